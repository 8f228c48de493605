"""Which tasks and documents a user may see: the one rule every list, page, export and API uses.

- Office specialists, leaders, inspectors and administrators see every agency's tasks.
- Anyone else sees the tasks their agency leads or coordinates.
- Nobody sees a task or document classified above their clearance.
"""

from typing import Any

from django.db.models import Q, QuerySet

from dondoc.tracking.models import Coordination, Document, Task


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    tasks = Task.objects.filter(classification__lte=user.clearance)
    if user.sees_all_agencies:
        return tasks
    if not user.agency_id:
        return tasks.none()
    return tasks.filter(agency_scope(user.agency_id))


def agency_scope(agency_id: int) -> Q:
    """Tasks an agency leads or coordinates."""
    coordinated = Coordination.objects.filter(agency_id=agency_id).values("task_id")
    return Q(lead_agency_id=agency_id) | Q(pk__in=coordinated)


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(classification__lte=user.clearance)
