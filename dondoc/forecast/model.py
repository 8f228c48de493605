"""The lateness model: training snapshots, fitting, reasons and the time-based backtest.

Training (`training_set(history, known_on)`): every task whose outcome is known on `known_on`
gives up to three snapshots, at 25 %, 50 % and 75 % of its original window, each taken only
if the task was still open then and the moment is before `known_on`; the label is the task's
outcome. So the model sees tasks mid-flight, as it will when scoring open tasks.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from .features import FEATURES, History

SNAPSHOT_SHARES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
KINDS = ("logistic", "boosting")
DEFAULT_KIND = "boosting"  # better AUC and Brier than logistic in the backtests (docs)


def snapshot_days(history: History, task_id: int, known_on: dt.date) -> list[dt.date]:
    task = history.tasks[task_id]
    assert task.due_on is not None
    span = max((task.due_on - task.created_on).days, 1)
    days = [task.created_on + dt.timedelta(days=round(share * span)) for share in SNAPSHOT_SHARES]
    return [d for d in days if d < known_on and history.is_open(task_id, d)]


def training_set(history: History, known_on: dt.date) -> tuple[np.ndarray, np.ndarray, int]:
    """Features, labels and the number of tasks, from outcomes known on `known_on`."""
    snapshots: list[tuple[int, dt.date]] = []
    labels: list[int] = []
    tasks = 0
    for task_id in history.tasks:
        late = history.outcome(task_id, known_on)
        if late is None:
            continue
        days = snapshot_days(history, task_id, known_on)
        tasks += bool(days)
        snapshots += [(task_id, d) for d in days]
        labels += [int(late)] * len(days)
    return history.matrix(snapshots), np.array(labels, dtype=int), tasks


def make_model(kind: str = DEFAULT_KIND) -> Pipeline:
    if kind == "boosting":
        return make_pipeline(
            HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15)
        )
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))


def fit(x: np.ndarray, y: np.ndarray, kind: str = DEFAULT_KIND) -> Pipeline:
    if len(set(y.tolist())) < 2:
        raise ValueError("Cần cả nhiệm vụ đúng hạn và chậm hạn để huấn luyện mô hình.")
    with threadpool_limits(limits=1, user_api="openmp"):  # OpenMP threads only slow it here
        return make_model(kind).fit(x, y)


def predict(model: Pipeline, x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return np.zeros(0)
    with threadpool_limits(limits=1, user_api="openmp"):
        return np.asarray(model.predict_proba(x)[:, 1], dtype=float)


# --- reasons ---------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{round(100 * value)}%"


REASON_TEXT: dict[str, Any] = {
    "elapsed_share": lambda r: f"đã qua {_pct(r['elapsed_share'])} thời gian thực hiện",
    "progress": lambda r: f"tiến độ báo cáo mới đạt {_pct(r['progress'])}",
    "pace": lambda r: (
        f"tiến độ chậm so với thời gian đã qua (đạt {_pct(r['progress'])}, đã qua {_pct(r['elapsed_share'])} thời gian)"
    ),
    "behind": lambda r: (
        f"tiến độ chậm so với thời gian đã qua (đạt {_pct(r['progress'])}, đã qua {_pct(r['elapsed_share'])} thời gian)"
    ),
    "days_since_report": lambda r: f"lâu chưa báo cáo ({int(r['days_since_report'])} ngày)",
    "agency_on_time_rate": lambda r: (
        f"cơ quan chủ trì thường chậm (đúng hạn khoảng {_pct(r['agency_on_time_rate'])} nhiệm vụ đã xong)"
    ),
    "priority": lambda r: "không được xếp mức ưu tiên cao",
    "is_key": lambda r: "không phải nhiệm vụ trọng tâm",
    "source_resolution": lambda r: "nhiệm vụ triển khai nghị quyết",
    "source_conclusion": lambda r: "nhiệm vụ triển khai kết luận",
    "source_directive": lambda r: "nhiệm vụ triển khai chỉ thị",
    "source_opinion": lambda r: "nhiệm vụ từ ý kiến chỉ đạo",
    "source_strategic": lambda r: "thuộc nghị quyết chiến lược",
    "open_dependencies": lambda r: f"còn chờ {int(r['open_dependencies'])} nhiệm vụ khác",
    "coordinators": lambda r: f"nhiều cơ quan phối hợp ({int(r['coordinators'])})",
    "open_obstacles": lambda r: f"còn {int(r['open_obstacles'])} vướng mắc chưa được trả lời",
    "window_days": lambda r: f"thời gian thực hiện ngắn ({int(r['window_days'])} ngày)",
}
# The side of the training median on which each reason's text is true (+1: above, -1: below).
RISKY_SIDE = {name: 1 for name in FEATURES} | {
    "progress": -1,
    "pace": -1,
    "agency_on_time_rate": -1,
    "priority": -1,
    "is_key": -1,
    "window_days": -1,
}
MIN_PUSH = 0.15  # in log-odds: smaller pushes are not worth a reason


def contributions(model: Pipeline, x: np.ndarray) -> np.ndarray:
    """How much each feature pushes each row's log-odds up, against the average training task.

    Logistic regression: coefficient x standardized value. Boosting: the change in log-odds
    when the feature is set back to its training median (one feature at a time).
    """
    if len(x) == 0:
        return np.zeros((0, len(FEATURES)))
    if "standardscaler" in model.named_steps:
        scaled = model.named_steps["standardscaler"].transform(x)
        coef = model.named_steps["logisticregression"].coef_[0]
        return np.asarray(scaled * coef, dtype=float)
    medians = model.medians_
    base = _logit(predict(model, x))
    pushes = np.zeros_like(x)
    for j in range(x.shape[1]):
        reset = x.copy()
        reset[:, j] = medians[j]
        pushes[:, j] = base - _logit(predict(model, reset))
    return pushes


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)), dtype=float)


def reasons(model: Pipeline, x: np.ndarray, top: int = 3) -> list[list[str]]:
    """For each row, up to `top` Vietnamese phrases for the features that push it up most."""
    pushes = contributions(model, x)
    side = np.array([RISKY_SIDE[name] for name in FEATURES])
    # A push counts only where the text is true of the task (e.g. "short window" below median).
    pushes = np.where((x - model.medians_) * side > 0, pushes, 0.0)
    result = []
    for row, push in zip(x, pushes, strict=True):
        values = dict(zip(FEATURES, row, strict=True))
        order = [j for j in np.argsort(-push)[:top] if push[j] >= MIN_PUSH]
        result.append([REASON_TEXT[FEATURES[j]](values) for j in order])
    return result


def fit_with_medians(x: np.ndarray, y: np.ndarray, kind: str = DEFAULT_KIND) -> Pipeline:
    model = fit(x, y, kind)
    model.medians_ = np.median(x, axis=0)
    return model


# --- backtest --------------------------------------------------------------------------------


@dataclass
class Score:
    name: str
    auc: float
    brier: float


@dataclass
class Backtest:
    cut: dt.date
    n_train_samples: int
    n_train_tasks: int
    n_test: int
    n_late: int
    scores: list[Score]

    def score(self, name: str) -> Score:
        return next(s for s in self.scores if s.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cut": self.cut.isoformat(),
            "n_train_samples": self.n_train_samples,
            "n_test": self.n_test,
            "n_late": self.n_late,
            "scores": {s.name: {"auc": s.auc, "brier": s.brier} for s in self.scores},
        }


def _score(name: str, y: np.ndarray, p: np.ndarray) -> Score:
    return Score(name, float(roc_auc_score(y, p)), float(brier_score_loss(y, p)))


def backtest(history: History, cut: dt.date, kinds: tuple[str, ...] = KINDS) -> Backtest:
    """Train on outcomes known at `cut` (snapshots before it); score the tasks open at `cut`
    with their features as of `cut`; compare with their outcome as known in `history`."""
    x_train, y_train, n_tasks = training_set(history, cut)
    test_ids = [
        t
        for t in history.tasks
        if history.is_forecastable(t, cut) and history.outcome(t, history.until) is not None
    ]
    y = np.array([int(bool(history.outcome(t, history.until))) for t in test_ids])
    if len(set(y.tolist())) < 2:
        raise ValueError("Không đủ nhiệm vụ có kết quả sau ngày cắt để đánh giá.")
    x = history.matrix([(t, cut) for t in test_ids])
    scores = [_score(kind, y, predict(fit(x_train, y_train, kind), x)) for kind in kinds]
    col = FEATURES.index
    scores.append(_score("agency_late_rate", y, 1 - x[:, col("agency_on_time_rate")]))
    behind = np.clip(x[:, col("elapsed_share")] - x[:, col("progress")], 0, 1)
    scores.append(_score("progress_behind", y, behind))
    return Backtest(cut, len(y_train), n_tasks, len(y), int(y.sum()), scores)
