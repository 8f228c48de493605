"""Who may see and do what with tasks and documents: the one rule every page, export, service
and API call uses.

Seeing (`tasks_visible_to`, `documents_visible_to`):
- office specialists, leaders, inspectors and administrators see every agency's tasks;
- anyone else sees the tasks their agency leads or coordinates;
- nobody sees a task or document classified above their clearance (Tuyệt mật content is kept
  outside the system: only its reference is registered).

Doing (`task_actions(user, task, today)`): an action is allowed when *who* allows it and
*when* allows it.
- Who (`_who`), by role and the user's agency's relation to the task: the office (office
  specialists and administrators) edits, cancels, accepts or returns completion, decides
  extensions and answers obstacles; focal points and heads of the lead agency report progress
  (the final report included), ask for extensions and raise obstacles; those of a coordinating
  agency contribute reports and raise obstacles; leaders answer obstacles escalated to them;
  inspectors only read.
- When (`WHEN`), by the task's derived state (`tracking/status.py`) and its open requests:
  a cancelled task can only be read; an accepted one is a closed record (an obstacle still
  open on it can be answered); while a completion awaits acceptance the office decides it and
  the lead agency waits; an extension is asked only of a task with a deadline and no request
  pending, and decided only while one is pending; an obstacle is answered only while open.

`check_task_action` raises `TaskActionRefused` with the first reason that applies; every
service that changes a task calls it first, `task_access` calls it for the views and the API,
and the task page draws the forms of exactly `task_actions`.
"""

import dataclasses
import datetime as dt
import enum
import functools
import itertools
from collections.abc import Callable, Iterator, Mapping

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dondoc.accounts import rules
from dondoc.accounts.models import RoleCode, User
from dondoc.core.access import ActionRefused
from dondoc.tracking.error_codes import TrackingErrorCode as Code
from dondoc.tracking.models import (
    Coordination,
    Decision,
    Document,
    Extension,
    Obstacle,
    ObstacleLevel,
    Task,
)
from dondoc.tracking.status import DONE, TaskStatus, status_of


class TaskAction(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"  # edit, cancel, add what the task waits for
    REPORT = "report"
    FINAL_REPORT = "final_report"
    ACCEPT = "accept"  # accept or return a completion report
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    RAISE_OBSTACLE = "raise_obstacle"
    ANSWER_OBSTACLE = "answer_obstacle"  # answer or escalate one within the office's authority
    ANSWER_ESCALATED_OBSTACLE = "answer_escalated_obstacle"


OFFICE_ACTIONS = frozenset(
    {
        TaskAction.EDIT,
        TaskAction.ACCEPT,
        TaskAction.DECIDE_EXTENSION,
        TaskAction.ANSWER_OBSTACLE,
    }
)
LEAD_ACTIONS = frozenset(
    {
        TaskAction.REPORT,
        TaskAction.FINAL_REPORT,
        TaskAction.REQUEST_EXTENSION,
        TaskAction.RAISE_OBSTACLE,
    }
)
COORDINATOR_ACTIONS = frozenset({TaskAction.REPORT, TaskAction.RAISE_OBSTACLE})
LEADER_ACTIONS = frozenset({TaskAction.ANSWER_ESCALATED_OBSTACLE})

REFUSALS: Mapping[Code, Promise] = {
    Code.NOT_ALLOWED: _("Bạn không có quyền thực hiện thao tác này với nhiệm vụ này."),
    Code.TASK_CANCELLED: _("Nhiệm vụ đã được hủy, điều chỉnh: không nhận thêm thao tác nào."),
    Code.TASK_CLOSED: _(
        "Nhiệm vụ đã được xác nhận hoàn thành: không nhận thêm báo cáo, đề nghị hay thay đổi."
    ),
    Code.AWAITING_ACCEPTANCE: _(
        "Nhiệm vụ đã báo cáo hoàn thành, đang chờ Văn phòng xác nhận: chưa nhận thêm báo cáo "
        "hay đề nghị gia hạn."
    ),
    Code.NOT_AWAITING_ACCEPTANCE: _("Nhiệm vụ không có báo cáo hoàn thành đang chờ xác nhận."),
    Code.NO_DEADLINE: _("Nhiệm vụ thường xuyên không có thời hạn để gia hạn."),
    Code.EXTENSION_PENDING: _("Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định."),
    Code.NO_PENDING_EXTENSION: _("Nhiệm vụ không có đề nghị gia hạn nào chờ quyết định."),
    Code.NO_OPEN_OBSTACLE: _("Nhiệm vụ không có vướng mắc nào đang chờ trả lời."),
}


class TaskActionRefused(ActionRefused):
    """`user` may not do `action` on `task`: `code` says why. A refusal by role (`by_role`)
    is a 403, like any other permission; a refusal by the task's state is a 409."""

    def __init__(self, action: TaskAction, code: Code, task: Task) -> None:
        self.action, self.task = action, task
        super().__init__(code, str(REFUSALS[code]))


def tasks_visible_to(user: User) -> QuerySet[Task]:
    tasks = Task.objects.filter(classification__lte=user.clearance)
    if user.sees_all_agencies:
        return tasks
    if not user.agency_id:
        return tasks.none()
    return tasks.filter(agency_scope(user.agency_id))


def visible_through(user: User, field: str = "task") -> Q:
    """`tasks_visible_to` as a condition on a related task (`field`): for those who see every
    agency a plain join condition, which the database reads from the other table's index
    instead of listing every visible task first."""
    if not user.sees_all_agencies:
        return Q(**{f"{field}__in": tasks_visible_to(user)})
    return Q(**{f"{field}__classification__lte": user.clearance})


def agency_scope(agency_id: int) -> Q:
    """Tasks an agency leads or coordinates: one list of ids, each half read from its index
    (an OR of the two would make the database read every task)."""
    led = Task.objects.filter(lead_agency_id=agency_id).order_by().values("pk")
    coordinated = Coordination.objects.filter(agency_id=agency_id).order_by().values("task_id")
    return Q(pk__in=led.union(coordinated, all=True))


def documents_visible_to(user: User) -> QuerySet[Document]:
    return Document.objects.filter(classification__lte=user.clearance)


# Who ----------------------------------------------------------------------------------------


def _who(user: User, task: Task) -> frozenset[TaskAction]:
    """What `user`'s roles and agency allow on `task`, whatever its state; nothing if they
    cannot see it."""
    if task.classification > user.clearance:
        return frozenset()
    actions: set[TaskAction] = set()
    if user.sees_all_agencies:
        actions.add(TaskAction.VIEW)
    actions |= task_role_actions(user)
    agency_worker = rules.agency_worker(user)
    relation_matters = agency_worker or TaskAction.VIEW not in actions
    if not (user.agency_id and relation_matters):
        return frozenset(actions)  # skip the query: the agency's relation would add nothing
    if task.lead_agency_id == user.agency_id:
        actions |= {TaskAction.VIEW, *(LEAD_ACTIONS if agency_worker else ())}
    elif task.coordinations.filter(agency_id=user.agency_id).exists():
        actions |= {TaskAction.VIEW, *(COORDINATOR_ACTIONS if agency_worker else ())}
    return frozenset(actions)


def task_role_actions(user: User) -> frozenset[TaskAction]:
    """The actions the user's roles alone allow on any task they can see (the office's and
    the leaders'): lists of other agencies' work (the office's queue) offer these per row,
    with `statuses_allowing`, instead of asking each task."""
    actions: set[TaskAction] = set()
    if rules.office(user):
        actions |= OFFICE_ACTIONS
    if user.has_role(RoleCode.LEADER):
        actions |= LEADER_ACTIONS
    return frozenset(actions)


# When ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TaskState:
    """What of a task decides which actions it accepts now: its derived status and what waits
    on it."""

    status: TaskStatus
    has_deadline: bool
    pending_extension: bool
    open_obstacle_levels: frozenset[str]


def task_state(task: Task, today: dt.date) -> TaskState:
    """The task's state as of `today`, read in one query."""
    open_obstacles = Obstacle.objects.filter(task=OuterRef("pk"), answered_on__isnull=True)
    facts = (
        Task.objects.filter(pk=task.pk)
        .values_list(
            Exists(Extension.objects.filter(task=OuterRef("pk"), decision=Decision.PENDING)),
            Exists(open_obstacles.filter(level=ObstacleLevel.OFFICE)),
            Exists(open_obstacles.filter(level=ObstacleLevel.LEADER)),
        )
        .get()
    )
    levels = zip((ObstacleLevel.OFFICE, ObstacleLevel.LEADER), facts[1:], strict=True)
    return TaskState(
        status=status_of(task, today),
        has_deadline=task.effective_due_on is not None,
        pending_extension=facts[0],
        open_obstacle_levels=frozenset(level for level, is_open in levels if is_open),
    )


Condition = Callable[[TaskState], Code | None]  # None: the state allows it; else why not


def _not_cancelled(state: TaskState) -> Code | None:
    return Code.TASK_CANCELLED if state.status == TaskStatus.CANCELLED else None


def _live(state: TaskState) -> Code | None:
    """Neither cancelled nor accepted as done."""
    return _not_cancelled(state) or (Code.TASK_CLOSED if state.status in DONE else None)


def _awaiting(state: TaskState) -> Code | None:
    awaiting = state.status == TaskStatus.AWAITING_ACCEPTANCE
    return None if awaiting else Code.NOT_AWAITING_ACCEPTANCE


def _not_awaiting(state: TaskState) -> Code | None:
    awaiting = state.status == TaskStatus.AWAITING_ACCEPTANCE
    return Code.AWAITING_ACCEPTANCE if awaiting else None


def _has_deadline(state: TaskState) -> Code | None:
    return None if state.has_deadline else Code.NO_DEADLINE


def _no_pending_extension(state: TaskState) -> Code | None:
    return Code.EXTENSION_PENDING if state.pending_extension else None


def _pending_extension(state: TaskState) -> Code | None:
    return None if state.pending_extension else Code.NO_PENDING_EXTENSION


def _open_obstacle(level: str) -> Condition:
    def condition(state: TaskState) -> Code | None:
        return None if level in state.open_obstacle_levels else Code.NO_OPEN_OBSTACLE

    return condition


# For each action, what the task's state must be, checked in this order.
WHEN: Mapping[TaskAction, tuple[Condition, ...]] = {
    TaskAction.VIEW: (),
    TaskAction.EDIT: (_live,),
    TaskAction.REPORT: (_live, _not_awaiting),
    TaskAction.FINAL_REPORT: (_live, _not_awaiting),
    TaskAction.ACCEPT: (_live, _awaiting),
    TaskAction.REQUEST_EXTENSION: (_live, _not_awaiting, _has_deadline, _no_pending_extension),
    TaskAction.DECIDE_EXTENSION: (_live, _pending_extension),
    TaskAction.RAISE_OBSTACLE: (_live,),
    TaskAction.ANSWER_OBSTACLE: (_not_cancelled, _open_obstacle(ObstacleLevel.OFFICE)),
    TaskAction.ANSWER_ESCALATED_OBSTACLE: (
        _not_cancelled,
        _open_obstacle(ObstacleLevel.LEADER),
    ),
}


def _refusal_by_state(action: TaskAction, state: TaskState) -> Code | None:
    return next(filter(None, (condition(state) for condition in WHEN[action])), None)


def _states(status: TaskStatus) -> Iterator[TaskState]:
    """Every state a task in `status` can be in."""
    levels = [
        frozenset(),
        *(frozenset({level}) for level in ObstacleLevel),
        frozenset(ObstacleLevel),
    ]
    for has_deadline, pending, open_levels in itertools.product(
        (True, False), (True, False), levels
    ):
        yield TaskState(status, has_deadline, pending, open_levels)


@functools.cache
def statuses_allowing(action: TaskAction) -> frozenset[TaskStatus]:
    """The statuses in which `action` is possible at all: lists that show an action per row
    (the inbox's report button) ask this instead of reading each task's state."""
    return frozenset(
        status
        for status in TaskStatus
        if any(_refusal_by_state(action, state) is None for state in _states(status))
    )


# Both ---------------------------------------------------------------------------------------


def task_actions(user: User, task: Task, today: dt.date) -> frozenset[TaskAction]:
    """Everything `user` may do with `task` on `today`: allowed by who they are and by the
    task's state. The task page draws exactly these forms; the API lists them."""
    who = _who(user, task)
    if who <= {TaskAction.VIEW}:
        return who  # nothing to ask of the state
    state = task_state(task, today)
    return frozenset(action for action in who if _refusal_by_state(action, state) is None)


def task_action_refusal(user: User, task: Task, action: TaskAction, today: dt.date) -> Code | None:
    """Why `user` may not do `action` with `task` on `today`, or None if they may."""
    if action not in _who(user, task):
        return Code.NOT_ALLOWED
    if not WHEN[action]:
        return None
    return _refusal_by_state(action, task_state(task, today))


def check_task_action(
    user: User, task: Task, action: TaskAction, today: dt.date | None = None
) -> None:
    """Is `action` allowed now? Raises `TaskActionRefused` with the reason if not."""
    code = task_action_refusal(user, task, action, today or timezone.localdate())
    if code is not None:
        raise TaskActionRefused(action, code, task)


def obstacle_action(obstacle: Obstacle) -> TaskAction:
    """The office answers obstacles within its authority; leaders those escalated to them."""
    if obstacle.level == ObstacleLevel.LEADER:
        return TaskAction.ANSWER_ESCALATED_OBSTACLE
    return TaskAction.ANSWER_OBSTACLE


def task_access(user: User, pk: int, action: TaskAction = TaskAction.VIEW) -> Task:
    """The task if `user` may see it and do `action` now; 404 if invisible,
    `TaskActionRefused` (a `PermissionDenied`) if not allowed."""
    try:
        task = (
            tasks_visible_to(user)
            .select_related("lead_agency", "document__follower", "follower")
            .get(pk=pk)
        )
    except (Task.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    if action != TaskAction.VIEW:  # seeing is what `tasks_visible_to` just said
        check_task_action(user, task, action)
    return task


def document_access(user: User, pk: int) -> Document:
    try:
        return documents_visible_to(user).select_related("issuing_body", "follower").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
