"""`dondoc audit verify`: check that nobody has edited, deleted or reordered the audit log;
`dondoc audit anchor`: write the chain head outside the database (an anchor);
`dondoc audit rechain`: key, once, a log written before the chain was keyed."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dondoc.audit.rechain import RechainRefused, audit_legacy_log, audit_rechain
from dondoc.audit.services import VERIFY_BATCH_SIZE, audit_anchor, audit_verify


class Command(BaseCommand):
    help = (
        "Nhật ký hệ thống: `verify` kiểm tra tính toàn vẹn của chuỗi bản ghi; "
        "`anchor` ghi mốc neo đầu chuỗi ra ngoài cơ sở dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="verify|anchor|rechain"
        )
        verify = actions.add_parser(
            "verify",
            help="Kiểm tra chuỗi mã băm; thoát với mã 1 nếu chuỗi bị phá vỡ.",
        )
        verify.add_argument("--batch-size", type=int, default=VERIFY_BATCH_SIZE)
        actions.add_parser("anchor", help="Ghi số thứ tự và mã băm đầu chuỗi vào tệp mốc neo.")
        rechain = actions.add_parser(
            "rechain",
            help=(
                "Khóa lại một lần bằng khóa bí mật nhật ký được ghi trước khi chuỗi có khóa "
                "(chạy bằng vai trò chủ sở hữu cơ sở dữ liệu)."
            ),
        )
        rechain.add_argument("--by", default=getpass.getuser(), help="Người thực hiện.")
        rechain.add_argument("--yes", action="store_true", help="Thực hiện (không chỉ kiểm tra).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            anchor = audit_anchor()
            self.stdout.write(
                self.style.SUCCESS(_("Đã ghi mốc neo: bản ghi số %(seq)d") % {"seq": anchor.seq})
            )
            return
        if options["action"] == "rechain":
            self.rechain(options["by"], confirmed=options["yes"])
            return
        self.verify(options["batch_size"])

    def rechain(self, operator: str, *, confirmed: bool) -> None:
        try:
            if not confirmed:
                found = audit_legacy_log()
                self.stdout.write(
                    _(
                        "%(legacy)d bản ghi chưa có khóa, %(keyed)d bản ghi có khóa; "
                        "chạy lại với --yes để nối lại chuỗi."
                    )
                    % {"legacy": found.legacy, "keyed": found.keyed}
                )
                return
            done = audit_rechain(operator)
        except RechainRefused as refused:
            raise CommandError(
                _("Không nối lại chuỗi nhật ký: %(reason)s.") % {"reason": refused}, returncode=1
            ) from refused
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã nối lại chuỗi nhật ký: %(n)d bản ghi (%(legacy)d chưa có khóa), "
                    "ghi nhận ở bản ghi số %(seq)d, mốc neo mới số %(anchor)d."
                )
                % {
                    "n": done.entries,
                    "legacy": done.legacy,
                    "seq": done.record_seq,
                    "anchor": done.anchor.seq,
                }
            )
        )

    def verify(self, batch_size: int) -> None:
        result = audit_verify(batch_size=batch_size)
        if not result.ok:
            raise CommandError(
                _(
                    "Chuỗi nhật ký bị phá vỡ: %(reason)s (%(checked)d bản ghi đầu hợp lệ; "
                    "bản ghi hỏng đầu tiên: số %(first)s)."
                )
                % {
                    "reason": result.reason,
                    "checked": result.checked,
                    "first": result.first_bad_seq or "?",
                },
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(_("Chuỗi nhật ký toàn vẹn: %(n)d bản ghi") % {"n": result.checked})
        )
