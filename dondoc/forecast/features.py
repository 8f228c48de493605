"""What is known about a task at a moment t, as numbers for the model.

`History.load(until)` reads the facts of every task with a handful of queries (tasks, reports,
approved extensions, dependencies, coordinations, obstacles), keeping only facts dated on or
before `until`; `History.features(task_id, t)` then works in memory and looks only at facts
dated on or before t. So a report filed after t never changes the features at t, and the same
history serves the many (task, t) snapshots of training.

Outcome (`History.outcome(task_id, k)`): as known on day k, a task with a deadline ended late if
its final report is dated after its effective deadline, or if the deadline passed with no final
report; on time if the final report is on or before the deadline; unknown otherwise.
"""

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from dondoc.tracking.models import (
    Coordination,
    DeadlineKind,
    Decision,
    Extension,
    Obstacle,
    ProgressReport,
    Task,
)

# The columns of the feature matrix, in order.
FEATURES = [
    "elapsed_share",  # (t - created) / (deadline as of t - created)
    "progress",  # last reported percent as of t, 0-1
    "pace",  # progress ÷ elapsed share, clipped to [0, 2]
    "behind",  # elapsed share - progress, clipped to [0, 1]: the "behind schedule" gap
    "days_since_report",  # since the last report (or since creation)
    "agency_on_time_rate",  # (on time + 2) / (done + 3) among the lead's tasks done by t
    "priority",
    "is_key",
    "source_resolution",  # Nghị quyết
    "source_conclusion",  # Kết luận
    "source_directive",  # Chỉ thị
    "source_opinion",  # ý kiến chỉ đạo
    "source_strategic",
    "open_dependencies",
    "coordinators",
    "open_obstacles",
    "window_days",  # original deadline - created
]
PRIOR_ON_TIME, PRIOR_DONE = 2, 3


def on_time_rate(on_time: int, done: int) -> float:
    """The on-time rate pulled towards 2/3 for agencies with few finished tasks."""
    return (on_time + PRIOR_ON_TIME) / (done + PRIOR_DONE)


@dataclass
class TaskFacts:
    id: int
    created_on: dt.date
    due_on: dt.date | None
    deadline_kind: str
    reported_done_on: dt.date | None
    cancelled_on: dt.date | None
    lead_agency_id: int
    priority: int
    is_key: bool
    doc_type: str | None
    is_strategic: bool
    is_opinion: bool


@dataclass
class History:
    until: dt.date
    tasks: dict[int, TaskFacts]
    reports: dict[int, list[tuple[dt.date, int]]] = field(default_factory=dict)
    extensions: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    depends_on: dict[int, list[int]] = field(default_factory=dict)
    coordinators: dict[int, int] = field(default_factory=dict)
    obstacles: dict[int, list[tuple[dt.date, dt.date | None]]] = field(default_factory=dict)
    # per lead agency: completion days in order, and the running count of on-time ones
    _agency_days: dict[int, list[dt.date]] = field(default_factory=dict)
    _agency_on_time: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, until: dt.date) -> "History":
        rows = Task.objects.filter(created_on__lte=until).values_list(
            "id",
            "created_on",
            "due_on",
            "deadline_kind",
            "reported_done_on",
            "cancelled_on",
            "lead_agency_id",
            "priority",
            "is_key",
            "document__doc_type",
            "document__is_strategic",
            "opinion_id",
        )
        tasks = {
            r[0]: TaskFacts(
                id=r[0],
                created_on=r[1],
                due_on=r[2],
                deadline_kind=r[3],
                reported_done_on=r[4] if r[4] and r[4] <= until else None,
                cancelled_on=r[5] if r[5] and r[5] <= until else None,
                lead_agency_id=r[6],
                priority=r[7],
                is_key=r[8],
                doc_type=r[9],
                is_strategic=bool(r[10]),
                is_opinion=r[11] is not None,
            )
            for r in rows
        }
        history = cls(until=until, tasks=tasks)
        history._load_facts()
        history._index_agencies()
        return history

    def _load_facts(self) -> None:
        until = self.until
        reports = (
            ProgressReport.objects.filter(reported_on__lte=until, is_final=False)
            .order_by("task_id", "reported_on", "id")
            .values_list("task_id", "reported_on", "percent")
        )
        for task_id, day, percent in reports:
            self.reports.setdefault(task_id, []).append((day, percent))
        extensions = (
            Extension.objects.filter(decision=Decision.APPROVED)
            .order_by("task_id", "decided_on", "id")
            .values_list("task_id", "decided_on", "requested_on", "requested_due_on")
        )
        for task_id, decided, requested, new_due in extensions:
            day = decided or requested
            if day <= until:
                self.extensions.setdefault(task_id, []).append((day, new_due))
        for from_id, to_id in Task.depends_on.through.objects.values_list(
            "from_task_id", "to_task_id"
        ):
            self.depends_on.setdefault(from_id, []).append(to_id)
        for task_id in Coordination.objects.values_list("task_id", flat=True):
            self.coordinators[task_id] = self.coordinators.get(task_id, 0) + 1
        for task_id, raised, answered in Obstacle.objects.filter(raised_on__lte=until).values_list(
            "task_id", "raised_on", "answered_on"
        ):
            self.obstacles.setdefault(task_id, []).append((raised, answered))

    def _index_agencies(self) -> None:
        finished: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
        for task in self.tasks.values():
            if task.reported_done_on and task.due_on and not task.cancelled_on:
                late = task.reported_done_on > self.deadline(task.id, task.reported_done_on)
                finished[task.lead_agency_id].append((task.reported_done_on, not late))
        for agency_id, items in finished.items():
            items.sort()
            self._agency_days[agency_id] = [day for day, _ in items]
            counts, running = [0], 0
            for _, on_time in items:
                running += on_time
                counts.append(running)
            self._agency_on_time[agency_id] = counts

    # --- facts as of a day -------------------------------------------------------------------

    def deadline(self, task_id: int, day: dt.date) -> dt.date:
        """The effective deadline as known on `day`: the latest extension approved by then."""
        task = self.tasks[task_id]
        due = task.due_on
        assert due is not None
        for decided, new_due in self.extensions.get(task_id, []):
            if decided <= day:
                due = new_due
        return due

    def is_open(self, task_id: int, day: dt.date) -> bool:
        task = self.tasks[task_id]
        return (
            task.created_on <= day
            and not (task.cancelled_on and task.cancelled_on <= day)
            and not (task.reported_done_on and task.reported_done_on <= day)
        )

    def is_forecastable(self, task_id: int, day: dt.date) -> bool:
        """Open on `day`, with a deadline that has not passed yet: the tasks a forecast is for."""
        task = self.tasks[task_id]
        if task.due_on is None or task.deadline_kind == DeadlineKind.ONGOING:
            return False
        return self.is_open(task_id, day) and self.deadline(task_id, day) >= day

    def outcome(self, task_id: int, known_on: dt.date) -> bool | None:
        """Late (True), on time (False) or not known yet (None), as known on `known_on`."""
        task = self.tasks[task_id]
        if task.due_on is None or task.deadline_kind == DeadlineKind.ONGOING:
            return None
        if task.cancelled_on and task.cancelled_on <= known_on:
            return None
        deadline = self.deadline(task_id, known_on)
        if task.reported_done_on and task.reported_done_on <= known_on:
            return task.reported_done_on > deadline
        return True if deadline < known_on else None

    def agency_rate(self, agency_id: int, day: dt.date) -> float:
        """The lead's on-time rate among its tasks finished on or before `day`, with the prior."""
        days = self._agency_days.get(agency_id, [])
        done = bisect.bisect_right(days, day)
        on_time = self._agency_on_time[agency_id][done] if days else 0
        return on_time_rate(on_time, done)

    def features(self, task_id: int, day: dt.date) -> list[float]:
        task = self.tasks[task_id]
        deadline = self.deadline(task_id, day)
        span = max((deadline - task.created_on).days, 1)
        elapsed = max((day - task.created_on).days, 0) / span
        reports = [r for r in self.reports.get(task_id, []) if r[0] <= day]
        progress = reports[-1][1] / 100 if reports else 0.0
        last = reports[-1][0] if reports else task.created_on
        open_deps = sum(
            1
            for other in self.depends_on.get(task_id, [])
            if other in self.tasks and self.is_open(other, day)
        )
        open_obstacles = sum(
            1
            for raised, answered in self.obstacles.get(task_id, [])
            if raised <= day and (answered is None or answered > day)
        )
        assert task.due_on is not None
        return [
            elapsed,
            progress,
            min(progress / max(elapsed, 0.05), 2.0),
            min(max(elapsed - progress, 0.0), 1.0),
            float((day - last).days),
            self.agency_rate(task.lead_agency_id, day),
            float(task.priority),
            float(task.is_key),
            float(task.doc_type == "NQ"),
            float(task.doc_type == "KL"),
            float(task.doc_type == "CT"),
            float(task.is_opinion),
            float(task.is_strategic),
            float(open_deps),
            float(self.coordinators.get(task_id, 0)),
            float(open_obstacles),
            float(max((task.due_on - task.created_on).days, 1)),
        ]

    def matrix(self, snapshots: list[tuple[int, dt.date]]) -> np.ndarray:
        if not snapshots:
            return np.zeros((0, len(FEATURES)))
        return np.array([self.features(task_id, day) for task_id, day in snapshots], dtype=float)


def features_as_of(task_ids: list[int], day: dt.date) -> np.ndarray:
    """The feature rows of these tasks as of `day` (one row per id, in order; columns FEATURES)."""
    history = History.load(day)
    return history.matrix([(task_id, day) for task_id in task_ids])
