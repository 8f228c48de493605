"""The office's work queue: what agencies sent that waits on the office (or, escalated, on the
leaders), oldest first.

Kinds of item (`QueueKind`):
- progress reports that came in since the user last marked the queue as seen (information:
  they leave the queue once seen);
- completion reports awaiting acceptance, extension requests awaiting a decision, obstacles
  awaiting an answer (they stay until someone acts on them);
- obstacles escalated to the leaders (the leaders' queue).

Every kind starts from `tasks_visible_to(user)`. "Mine" keeps the tasks the user follows as
chuyên viên theo dõi: the task's follower, or the document's when the task names none, stored
on the task as `Task.followed_by` (kept by the services, indexed).
Which actions a row offers is `row_actions`: the user's role allows them (`task_role_actions`)
and the row's derived status allows them (`statuses_allowing`); the kind of row already says
what waits. The POST that acts asks the full rule again (`task_access`).
"""

import dataclasses
import datetime as dt
import enum
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.accounts import rules
from dondoc.accounts.models import RoleCode, User
from dondoc.accounts.rules import AnyUser
from dondoc.tracking.access import (
    TaskAction,
    statuses_allowing,
    task_role_actions,
    tasks_visible_to,
    visible_through,
)
from dondoc.tracking.models import (
    Decision,
    Extension,
    Obstacle,
    ObstacleLevel,
    ProgressReport,
    QueueVisit,
    Task,
)
from dondoc.tracking.status import status_of

LIMIT = 50  # rows shown; the counts say how many there are in all
COUNT_LIMIT = 1000  # counted up to this, then shown as "1000+": a count must stay cheap
NEVER_SEEN = dt.timedelta(days=7)  # a first visit shows the progress reports of the last week


class QueueKind(enum.StrEnum):
    REPORT = "report"
    COMPLETION = "completion"
    EXTENSION = "extension"
    OBSTACLE = "obstacle"
    ESCALATED = "escalated"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    QueueKind.REPORT: _("Báo cáo tiến độ mới"),
    QueueKind.COMPLETION: _("Báo cáo hoàn thành chờ xác nhận"),
    QueueKind.EXTENSION: _("Đề nghị gia hạn chờ quyết định"),
    QueueKind.OBSTACLE: _("Vướng mắc chờ trả lời"),
    QueueKind.ESCALATED: _("Vướng mắc báo cáo lãnh đạo"),
}
OFFICE_KINDS = (QueueKind.REPORT, QueueKind.COMPLETION, QueueKind.EXTENSION, QueueKind.OBSTACLE)
# What the office or a leader may do with each kind of row.
KIND_ACTIONS = {
    QueueKind.REPORT: frozenset[TaskAction](),
    QueueKind.COMPLETION: frozenset({TaskAction.ACCEPT}),
    QueueKind.EXTENSION: frozenset({TaskAction.DECIDE_EXTENSION}),
    QueueKind.OBSTACLE: frozenset({TaskAction.ANSWER_OBSTACLE}),
    QueueKind.ESCALATED: frozenset({TaskAction.ANSWER_ESCALATED_OBSTACLE}),
}


def queue_user(user: AnyUser) -> bool:
    """Who has a work queue: the office (specialists, administrators) and the leaders."""
    return rules.office(user) or (isinstance(user, User) and user.has_role(RoleCode.LEADER))


def queue_kinds(user: User) -> tuple[QueueKind, ...]:
    kinds: tuple[QueueKind, ...] = OFFICE_KINDS if rules.office(user) else ()
    if user.has_role(RoleCode.LEADER):
        kinds += (QueueKind.ESCALATED,)
    return kinds


@dataclasses.dataclass(frozen=True)
class QueueFilters:
    mine: bool = True
    kind: QueueKind | None = None
    agency: str = ""  # the lead agency's code
    document: int | None = None


@dataclasses.dataclass
class QueueItem:
    kind: QueueKind
    at: dt.datetime
    task: Task
    subject: Any  # the ProgressReport, Extension or Obstacle
    is_new: bool
    actions: frozenset[TaskAction] = frozenset()

    @property
    def agency(self) -> Any:
        """The agency that sent it (an extension is always the lead agency's)."""
        return getattr(self.subject, "agency", None) or self.task.lead_agency

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.subject.pk}"


def queue_seen_at(user: User) -> dt.datetime | None:
    return QueueVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()


def _since(seen_at: dt.datetime | None) -> dt.datetime:
    return seen_at or timezone.now() - NEVER_SEEN


def _task_scope(user: User, filters: QueueFilters) -> Q:
    """Conditions on the item's task (prefix `task__`): visible, followed by the user if
    "mine", of the agency and document asked for."""
    scope = visible_through(user)
    if filters.mine:
        scope &= Q(task__followed_by=user)
    if filters.agency:
        scope &= Q(task__lead_agency__code=filters.agency)
    if filters.document:
        scope &= Q(task__document_id=filters.document)
    return scope


def _open_task() -> Q:
    return Q(task__cancelled_on__isnull=True, task__accepted_on__isnull=True)


def _items(user: User, kind: QueueKind, filters: QueueFilters, seen_at: dt.datetime | None) -> Any:
    """The queryset of one kind's items, oldest first, with `queued_at`."""
    scope = _task_scope(user, filters)
    if kind == QueueKind.REPORT:
        return ProgressReport.objects.filter(
            scope, is_final=False, created_at__gt=_since(seen_at)
        ).annotate(queued_at=F("created_at"))
    if kind == QueueKind.COMPLETION:
        # From the few tasks awaiting acceptance (their index) to each one's last final report.
        latest_final = ProgressReport.objects.filter(task=OuterRef("pk"), is_final=True)
        awaiting = Task.objects.filter(
            reported_done_on__isnull=False, accepted_on__isnull=True, cancelled_on__isnull=True
        ).values_list(
            Subquery(latest_final.order_by("-reported_on", "-id").values("pk")[:1]), flat=True
        )
        if filters.mine:  # the few the user follows, before the reports are read
            awaiting = awaiting.filter(followed_by=user)
        ids = [pk for pk in awaiting if pk is not None]  # ids first: a few, read from their index
        return ProgressReport.objects.filter(scope, pk__in=ids).annotate(queued_at=F("created_at"))
    if kind == QueueKind.EXTENSION:
        return Extension.objects.filter(scope, _open_task(), decision=Decision.PENDING).annotate(
            queued_at=F("created_at")
        )
    level = ObstacleLevel.LEADER if kind == QueueKind.ESCALATED else ObstacleLevel.OFFICE
    return Obstacle.objects.filter(
        scope, task__cancelled_on__isnull=True, answered_on__isnull=True, level=level
    ).annotate(queued_at=F("created_at"))


def _related(kind: QueueKind) -> tuple[str, ...]:
    with_agency = ("agency",) if kind != QueueKind.EXTENSION else ()
    return ("task__lead_agency", "task__document", *with_agency)


def queue_counts(
    user: User, filters: QueueFilters, seen_at: dt.datetime | None
) -> dict[QueueKind, int]:
    """How many items of each kind the user has (one count per kind)."""
    unfiltered = dataclasses.replace(filters, kind=None)
    return {
        kind: _items(user, kind, unfiltered, seen_at).order_by()[:COUNT_LIMIT].count()
        for kind in queue_kinds(user)
    }


def queue_items(
    user: User, filters: QueueFilters, today: dt.date, seen_at: dt.datetime | None
) -> list[QueueItem]:
    """The oldest `LIMIT` items of the kinds asked for, oldest first, each with the actions
    its row offers. One query per kind."""
    kinds = [k for k in queue_kinds(user) if filters.kind in (None, k)]
    items: list[QueueItem] = []
    for kind in kinds:
        rows = (
            _items(user, kind, filters, seen_at)
            .select_related(*_related(kind))
            .order_by("queued_at", "pk")[:LIMIT]
        )
        items.extend(_item(user, kind, row, seen_at, today) for row in rows)
    items.sort(key=lambda item: (item.at, item.subject.pk))
    return items[:LIMIT]


def queue_item(user: User, kind: QueueKind, pk: int, today: dt.date) -> QueueItem | None:
    """One row of the queue as it is now (after an action), or None if it left the queue."""
    row = (
        _items(user, kind, QueueFilters(mine=False), queue_seen_at(user))
        .select_related(*_related(kind))
        .filter(pk=pk)
        .first()
    )
    return None if row is None else _item(user, kind, row, None, today)


def _item(
    user: User, kind: QueueKind, row: Any, seen_at: dt.datetime | None, today: dt.date
) -> QueueItem:
    return QueueItem(
        kind=kind,
        at=row.queued_at,
        task=row.task,
        subject=row,
        is_new=seen_at is None or row.queued_at > seen_at,
        actions=row_actions(user, kind, status_of(row.task, today)),
    )


def row_actions(user: User, kind: QueueKind, status: str) -> frozenset[TaskAction]:
    """What a row offers: the kind's actions that the user's role allows and that a task in
    `status` allows."""
    allowed = task_role_actions(user) & KIND_ACTIONS[kind]
    return frozenset(a for a in allowed if status in statuses_allowing(a))


def queue_filters(user: User, data: Any) -> QueueFilters:
    """Filters from the query string; anything not understood is left out. The office sees
    what it follows unless it asks for all; leaders follow no task: they see all."""
    kind = data.get("kind") or ""
    document = data.get("document") or ""
    scope = data.get("scope") or ("mine" if rules.office(user) else "all")
    return QueueFilters(
        mine=scope == "mine",
        kind=QueueKind(kind) if kind in set(queue_kinds(user)) else None,
        agency=(data.get("agency") or "").strip()[:32],
        document=int(document) if document.isdigit() else None,
    )


def queue_tasks_followed(user: User) -> QuerySet[Task]:
    """Tasks the user follows, directly or through the document."""
    return tasks_visible_to(user).filter(followed_by=user)
