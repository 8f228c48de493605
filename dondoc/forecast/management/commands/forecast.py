"""`dondoc forecast train`: train on all history and score the open tasks.
`dondoc forecast backtest [--cut YYYY-MM-DD]`: train on what was known at the cut, score the
tasks open then, and compare with what happened, against two simple baselines."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dondoc.forecast.features import History
from dondoc.forecast.model import DEFAULT_KIND, KINDS, backtest
from dondoc.forecast.services import BACKTEST_DAYS, forecast_score, forecast_train

LABELS = {
    "logistic": "Mô hình: hồi quy logistic",
    "boosting": "Mô hình: gradient boosting",
    "agency_late_rate": "Cơ sở (a): tỷ lệ chậm của cơ quan chủ trì",
    "progress_behind": "Cơ sở (b): tiến độ chậm so với thời gian",
}


class Command(BaseCommand):
    help = "Dự báo nhiệm vụ có nguy cơ chậm: huấn luyện (train) hoặc kiểm tra ngược (backtest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["train", "backtest"])
        parser.add_argument("--cut", help="Ngày cắt của backtest, YYYY-MM-DD.")
        parser.add_argument("--kind", choices=KINDS, default=DEFAULT_KIND, help="Loại mô hình.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        try:
            if options["action"] == "train":
                self._train(today, options["kind"])
            else:
                cut = (
                    dt.date.fromisoformat(options["cut"])
                    if options["cut"]
                    else today - dt.timedelta(days=BACKTEST_DAYS)
                )
                self._backtest(today, cut)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None

    def _train(self, today: dt.date, kind: str) -> None:
        record = forecast_train(today, kind)
        scored = forecast_score(record, today)
        self.stdout.write(
            f"Đã huấn luyện {record.kind} trên {record.n_samples} mẫu ({record.n_tasks} nhiệm vụ); "
            f"đã dự báo {scored} nhiệm vụ đang mở. Tệp: {record.path}"
        )

    def _backtest(self, today: dt.date, cut: dt.date) -> None:
        result = backtest(History.load(today), cut)
        self.stdout.write(
            f"Ngày cắt {cut:%d/%m/%Y}: huấn luyện {result.n_train_samples} mẫu "
            f"({result.n_train_tasks} nhiệm vụ); đánh giá {result.n_test} nhiệm vụ đang mở, "
            f"{result.n_late} chậm."
        )
        self.stdout.write(f"{'':44} {'AUC':>6} {'Brier':>6}")
        for score in result.scores:
            self.stdout.write(f"{LABELS[score.name]:44} {score.auc:6.3f} {score.brier:6.3f}")
