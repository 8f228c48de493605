from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dondoc.agencies.reference import DEFAULT_PATH, load_reference_agencies


class Command(BaseCommand):
    help = (
        "Nạp hệ thống cơ quan tham chiếu (cơ quan lãnh đạo, các ban Trung ương, đảng ủy trực "
        "thuộc, 34 tỉnh, thành phố và các tỉnh đã sáp nhập) từ tệp agencies.json; chạy lại "
        "nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, default=DEFAULT_PATH, help=f"mặc định: {DEFAULT_PATH}"
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        created = load_reference_agencies(path)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {path}: thêm mới {created} cơ quan."))
