"""Work follows agencies through reorganizations.

When agencies merge (or one is renamed, or dissolved into a successor), in the same
transaction that records the reorganization:
- open tasks they lead pass to the successor, each with a `LeadTransfer` row and an audit entry;
- their places as coordinating agency on open tasks pass to the successor;
- unanswered obstacles they raised are now the successor's, so the answer reaches its inbox;
(their users move too, in `accounts.services.users_transfer`).
Completed and cancelled tasks, progress reports and decisions stay attributed to the agency
that did the work. A split names no single successor, so nothing moves automatically: the
office reassigns the split agency's open tasks (they are listed on the agency page).
"""

from django.db.models import Q

from dondoc.agencies.models import Agency, Reorganization
from dondoc.agencies.selectors import reorganization_successor
from dondoc.audit.services import Actor, audit_record
from dondoc.tracking.models import Coordination, LeadTransfer, Obstacle, Task
from dondoc.tracking.tallies import tallies_refresh

OPEN = Q(accepted_on__isnull=True, cancelled_on__isnull=True)


def work_transfer(actor: Actor, reorganization: Reorganization) -> int:
    """Move the predecessors' open work to the single successor; returns the tasks moved.
    Registered with `agencies.services.work_transfer_register` (see `TrackingConfig`)."""
    successor = reorganization_successor(reorganization)
    if successor is None:
        return 0
    predecessors = [a.pk for a in reorganization.predecessors.all()]
    tasks = list(Task.objects.filter(OPEN, lead_agency_id__in=predecessors))
    LeadTransfer.objects.bulk_create(
        LeadTransfer(task=task, from_agency_id=task.lead_agency_id, to_agency=successor,
                     transferred_on=reorganization.effective_on, reorganization=reorganization)
        for task in tasks
    )  # fmt: skip
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(lead_agency=successor)
    _move_coordinations(predecessors, successor)
    Obstacle.objects.filter(agency_id__in=predecessors, answered_on__isnull=True).update(
        agency=successor
    )
    for task in tasks:
        audit_record(actor, "transfer", task,
                     {"lead_agency": [task.lead_agency_id, successor.pk]}, agency_id=successor.pk)  # fmt: skip
    tallies_refresh([*predecessors, successor.pk])
    return len(tasks)


def _move_coordinations(predecessors: list[int], successor: Agency) -> None:
    moving = Coordination.objects.filter(Q(task__accepted_on__isnull=True, task__cancelled_on__isnull=True),
                                         agency_id__in=predecessors)  # fmt: skip
    task_ids = set(moving.values_list("task_id", flat=True))
    moving.delete()
    already = set(
        Coordination.objects.filter(task_id__in=task_ids, agency=successor).values_list(
            "task_id", flat=True
        )
    )
    led = set(
        Task.objects.filter(pk__in=task_ids, lead_agency=successor).values_list("pk", flat=True)
    )
    Coordination.objects.bulk_create(
        Coordination(task_id=pk, agency=successor) for pk in task_ids - already - led
    )
