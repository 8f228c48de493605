"""`dondoc audit verify`: check that nobody has edited, deleted or reordered the audit log."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dondoc.audit.services import VERIFY_BATCH_SIZE, audit_verify


class Command(BaseCommand):
    help = "Nhật ký hệ thống: `verify` kiểm tra tính toàn vẹn của chuỗi bản ghi."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="verify")
        verify = actions.add_parser(
            "verify",
            help="Kiểm tra chuỗi mã băm; thoát với mã 1 nếu chuỗi bị phá vỡ.",
        )
        verify.add_argument("--batch-size", type=int, default=VERIFY_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        self.verify(options["batch_size"])

    def verify(self, batch_size: int) -> None:
        result = audit_verify(batch_size=batch_size)
        if not result.ok:
            raise CommandError(
                _("Chuỗi nhật ký bị phá vỡ: %(reason)s (%(checked)d bản ghi đầu hợp lệ).")
                % {"reason": result.reason, "checked": result.checked},
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(_("Chuỗi nhật ký toàn vẹn: %(n)d bản ghi") % {"n": result.checked})
        )
