"""`dondoc restore FILE --yes`: replace the database, files and anchors with a backup's, then
check the audit chain of what was restored."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dondoc.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Khôi phục từ bản sao lưu (thay thế dữ liệu hiện có), rồi kiểm tra chuỗi nhật ký."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="xác nhận thay thế dữ liệu hiện có")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                _("Khôi phục sẽ thay thế toàn bộ dữ liệu hiện có; chạy lại với --yes để xác nhận.")
            )
        try:
            manifest = backup_restore(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã khôi phục bản sao lưu lúc %(at)s.") % {"at": manifest.created_at}
            )
        )
        call_command("audit", "verify", stdout=self.stdout)  # the audit app's command, by name
