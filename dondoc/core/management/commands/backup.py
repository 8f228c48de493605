"""`dondoc backup [FILE]`: the database, uploaded files and audit anchors in one archive."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu, tệp đính kèm và mốc neo nhật ký vào một tệp .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="tệp sao lưu (mặc định: DATA_DIR/backups/…)")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        default = settings.DATA_DIR / "backups" / f"dondoc-{stamp}.tar.gz"
        archive = Path(options["file"] or default)
        try:
            manifest = backup_create(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã sao lưu vào %(file)s (%(n)d tệp, kèm mã kiểm tra).")
                % {"file": archive, "n": len(manifest.checksums)}
            )
        )
