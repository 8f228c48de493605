"""Who may see and do what with tasks and documents: the one rule every page, export and API uses.

Seeing:
- office specialists, leaders, inspectors and administrators see every agency's tasks;
- anyone else sees the tasks their agency leads or coordinates;
- nobody sees a task or document classified above their clearance (Tuyệt mật content is kept
  outside the system: only its reference is registered).

Doing (`task_permissions`):
- the office (office specialists and administrators) assigns, edits, accepts or returns
  completion, decides extensions, answers obstacles and cancels;
- focal points and heads of the lead agency report progress (including the final report),
  ask for extensions and raise obstacles; those of a coordinating agency contribute reports
  and raise obstacles;
- leaders answer obstacles escalated to them; inspectors only read.
"""

import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from dondoc.accounts.models import RoleCode
from dondoc.tracking.models import Coordination, Document, Task


class TaskAction(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"
    REPORT = "report"
    FINAL_REPORT = "final_report"
    ACCEPT = "accept"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    RAISE_OBSTACLE = "raise_obstacle"
    ANSWER_OBSTACLE = "answer_obstacle"
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


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    tasks = Task.objects.filter(classification__lte=user.clearance)
    if user.sees_all_agencies:
        return tasks
    if not user.agency_id:
        return tasks.none()
    return tasks.filter(agency_scope(user.agency_id))


def agency_scope(agency_id: int) -> Q:
    """Tasks an agency leads or coordinates: one list of ids, each half read from its index
    (an OR of the two would make the database read every task)."""
    led = Task.objects.filter(lead_agency_id=agency_id).order_by().values("pk")
    coordinated = Coordination.objects.filter(agency_id=agency_id).order_by().values("task_id")
    return Q(pk__in=led.union(coordinated, all=True))


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(classification__lte=user.clearance)


def is_office(user: Any) -> bool:
    return bool(user.has_role(RoleCode.OFFICE, RoleCode.ADMIN))


def task_permissions(user: Any, task: Task) -> frozenset[TaskAction]:
    """What `user` may do with a task they can see."""
    actions = {TaskAction.VIEW}
    if is_office(user):
        actions |= OFFICE_ACTIONS
    if user.has_role(RoleCode.LEADER):
        actions.add(TaskAction.ANSWER_ESCALATED_OBSTACLE)
    if user.agency_id and user.has_role(RoleCode.FOCAL, RoleCode.HEAD):
        if task.lead_agency_id == user.agency_id:
            actions |= LEAD_ACTIONS
        elif task.coordinations.filter(agency_id=user.agency_id).exists():
            actions |= COORDINATOR_ACTIONS
    return frozenset(actions)


def task_access(user: Any, pk: int, action: TaskAction = TaskAction.VIEW) -> Task:
    """The task if `user` may see it and do `action`; 404 if invisible, 403 if not allowed."""
    try:
        task = tasks_visible_to(user).select_related("lead_agency", "document").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    if action not in task_permissions(user, task):
        raise PermissionDenied
    return task


def document_access(user: Any, pk: int) -> Document:
    try:
        return documents_visible_to(user).select_related("issuing_body").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
