"""`dondoc urging sweep|deliver|digest`: run the urging jobs by hand (the worker runs them on
schedule: the sweep hourly, the digest at 07:00, delivery after each sweep and every 5 minutes)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dondoc.urging.services import digests_send, outbox_deliver, reminder_sweep


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {value!r} (cần dạng YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Đôn đốc: quét nhắc việc, gửi thư trong hộp thư đi, gửi thư tổng hợp hằng ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        jobs = parser.add_subparsers(dest="job", required=True)
        sweep = jobs.add_parser("sweep", help="tạo các nhắc việc đến hạn (mặc định: hôm nay)")
        sweep.add_argument("--day", type=_day, help="ngày quét, dạng YYYY-MM-DD")
        jobs.add_parser("deliver", help="gửi các thư đang chờ trong hộp thư đi")
        digest = jobs.add_parser("digest", help="gửi thư tổng hợp hằng ngày")
        digest.add_argument("--day", type=_day, help="ngày tổng hợp, dạng YYYY-MM-DD")

    def handle(self, *args: Any, job: str, day: dt.date | None = None, **options: Any) -> None:
        today = day or timezone.localdate()
        if job == "sweep":
            summary = reminder_sweep(today).summary()
        elif job == "deliver":
            summary = outbox_deliver().summary()
        else:
            summary = digests_send(today).summary()
        self.stdout.write(summary)
