"""`dondoc review --period 2026-10 --scope all --format docx,pdf,xlsx --out DIR`: compute a progress
review now and write its files (kiem-diem-2026-10-all.docx …), printing the headline figures and
how long each step took. Nothing is archived; every task counts (the command is run by whoever
runs the server)."""

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dondoc.reviews.charts import review_charts
from dondoc.reviews.content import date_vn, num, pct, review_content, review_title
from dondoc.reviews.figures import review_figures
from dondoc.reviews.models import review_file_name
from dondoc.reviews.periods import PERIOD_HELP, SCOPE_HELP
from dondoc.reviews.services import formats_check, review_check, review_render_one


class Command(BaseCommand):
    help = "Lập báo cáo kiểm điểm tiến độ và ghi các tệp DOCX, PDF, XLSX vào một thư mục."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help=f"Kỳ báo cáo: {PERIOD_HELP}.")
        parser.add_argument("--scope", default="all", help=f"Phạm vi: {SCOPE_HELP}.")
        parser.add_argument("--format", default="docx,pdf,xlsx", help="docx, pdf, xlsx (phẩy).")
        parser.add_argument("--out", default=".", help="Thư mục ghi tệp (tạo nếu chưa có).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period, scope = review_check(options["period"], options["scope"])
            formats = formats_check(options["format"].split(","))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        figures = review_figures(period, scope)
        timings = {"số liệu": time.perf_counter() - started}
        content = review_content(figures)
        images: dict[str, bytes] = {}
        if {"docx", "pdf"} & set(formats):
            step = time.perf_counter()
            images = review_charts(figures)
            timings["biểu đồ"] = time.perf_counter() - step
        for fmt in formats:
            step = time.perf_counter()
            path = out / review_file_name(period.code, scope.slug, fmt)
            path.write_bytes(review_render_one(fmt, content, images))
            timings[fmt] = time.perf_counter() - step
            self.stdout.write(f"Đã ghi {path}")
        self._headline(figures)
        self.stdout.write(
            "Thời gian: "
            + "; ".join(
                f"{name} {seconds:.2f} s".replace(".", ",") for name, seconds in timings.items()
            )
            + f"; tổng {time.perf_counter() - started:.2f} s".replace(".", ",")
        )

    def _headline(self, figures: dict[str, Any]) -> None:
        t = figures["totals"]
        self.stdout.write(
            f"{review_title(figures['scope']['phrase'], figures['period']['label'])} "
            f"(tính đến ngày {date_vn(figures['as_of'])}):\n"
            f"  Nhiệm vụ phải thực hiện: {num(t['required'])} (đã hủy, điều chỉnh: "
            f"{num(t['cancelled'])})\n"
            f"  Đã hoàn thành: {num(t['done'])} ({pct(t['done_share'])}%) — đúng hạn "
            f"{num(t['done_on_time'])}, quá hạn {num(t['done_late'])}\n"
            f"  Chưa hoàn thành, quá hạn: {num(t['overdue'])} ({pct(t['overdue_share'])}%), "
            f"kỳ trước {pct(figures['previous_totals']['overdue_share'])}%\n"
            f"  Vướng mắc chờ trả lời: {num(len(figures['obstacles']))}; gia hạn trong kỳ: "
            f"{num(len(figures['extensions']))}"
        )
