"""`dondoc tallies rebuild`: count the figures' tallies again from the tasks (`tracking.tallies`).

Run after loading data around the services (a restore, a bulk load); the daily job does the
same just after midnight.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dondoc.tracking.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Đếm lại bảng tổng hợp số liệu nhiệm vụ từ các nhiệm vụ (rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = tallies_rebuild()
        self.stdout.write(f"{rows} tally rows in {time.perf_counter() - started:.1f} s")
