"""What happened to tasks, told to whoever listens, after the change is committed.

Tracking's services publish an event (`publish`) when a task is assigned, reported on, asked
for an extension, raised an obstacle on, or decided on by the office or a leader. The apps
above tracking subscribe in their `AppConfig.ready()` (`subscribe`): urging notifies the people
concerned. Tracking never names them: the floors stay in order (docs/architecture.md).

Each event is written to an outbox (`EventOutbox`) in the transaction that makes the change,
and its handlers run once that transaction has committed, so nobody is told of a change that was
rolled back; a handler that fails is logged and does not undo the change. What is written in
the change's transaction survives what happens after it: a process killed between the commit
and the handlers, or a database that went away then (scripts/drill_pg_restart.py lost two
reports' notices so before the outbox), leaves the row unsent; a retry job (the database gone)
and the periodic sweep (`events_redispatch_stale`, every 5 minutes, rows older than 2 minutes)
dispatch it. Each row is dispatched once: claimed by compare-and-set in the same transaction as
the handlers' writes (`event_dispatch`).
"""

import dataclasses
import datetime as dt
import enum
import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone

from dondoc.tracking.models import EventOutbox

log = logging.getLogger(__name__)


class EventKind(enum.StrEnum):
    TASK_ASSIGNED = "assigned"
    PROGRESS_REPORTED = "reported"
    COMPLETION_REPORTED = "completion"
    EXTENSION_REQUESTED = "extension_asked"
    OBSTACLE_RAISED = "obstacle"
    OBSTACLE_ESCALATED = "escalated"  # raised beyond the office's authority, or escalated by it
    EXTENSION_DECIDED = "extension_done"
    OBSTACLE_ANSWERED = "answered"
    COMPLETION_ACCEPTED = "accepted"
    COMPLETION_RETURNED = "returned"


# Who acted: an agency (its focal point or head) or the office (or a leader).
AGENCY_EVENTS = frozenset(
    {
        EventKind.PROGRESS_REPORTED,
        EventKind.COMPLETION_REPORTED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.OBSTACLE_RAISED,
    }
)
OFFICE_DECISIONS = frozenset(
    {
        EventKind.EXTENSION_DECIDED,
        EventKind.OBSTACLE_ANSWERED,
        EventKind.COMPLETION_ACCEPTED,
        EventKind.COMPLETION_RETURNED,
    }
)


@dataclasses.dataclass(frozen=True)
class TaskEvent:
    kind: EventKind
    task_ids: tuple[int, ...]
    actor_id: int | None
    agency_id: int | None = None  # the agency that acted, or whose obstacle was answered
    approved: bool | None = None  # an extension's decision
    subject_id: int | None = None  # the report, extension or obstacle


Handler = Callable[[TaskEvent], None]
_handlers: list[Handler] = []
STALE = dt.timedelta(minutes=2)  # an event left unsent this long is the sweep's to dispatch
KEEP = dt.timedelta(days=7)  # dispatched events kept this long, then deleted by the sweep


def subscribe(handler: Handler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def publish(event: TaskEvent) -> None:
    """Write the event to the outbox in the current transaction (the change's), and tell the
    subscribers once it commits (at once outside one)."""
    publish_many([event])


def publish_many(events: Iterable[TaskEvent]) -> None:
    rows = EventOutbox.objects.bulk_create(
        EventOutbox(event=dataclasses.asdict(event)) for event in events
    )
    for row in rows:
        transaction.on_commit(functools.partial(_dispatch_after_commit, row.pk))


def _dispatch_after_commit(row_id: int) -> None:
    try:
        event_dispatch(row_id)
    except OperationalError as error:
        log.warning("event %s: database unavailable (%s); queued to run again", row_id, error)
        _redispatch_later(row_id)
    except Exception:
        log.exception("event %s could not be dispatched; the sweep will try again", row_id)


def event_dispatch(row_id: int) -> bool:
    """Run the subscribers on the outbox row `row_id`, unless it was dispatched already; True if
    this call dispatched it. The row is claimed (`dispatched_at` set where it is still empty) in
    the same transaction as the handlers' writes: two callers at once (the handler after commit
    and the sweep) dispatch it once, the second finding it claimed. A handler that fails is
    logged and its writes undone, the others' kept (the row records the failure); one that finds
    the database gone (`OperationalError`) undoes the whole dispatch, left for a retry."""
    with transaction.atomic():
        claimed = EventOutbox.objects.filter(pk=row_id, dispatched_at__isnull=True).update(
            dispatched_at=timezone.now()
        )
        if not claimed:
            return False
        fields = EventOutbox.objects.values_list("event", flat=True).get(pk=row_id)
        event = _event(fields)
        failed = [name for handler in list(_handlers) if (name := _run(handler, event))]
        if failed:
            EventOutbox.objects.filter(pk=row_id).update(error=", ".join(failed))
    return True


def _run(handler: Handler, event: TaskEvent) -> str:
    """Run one handler in a savepoint; the handler's name if it failed, else empty."""
    try:
        with transaction.atomic():
            handler(event)
    except OperationalError:
        raise
    except Exception:
        log.exception("event handler %s failed on %s", _name(handler), event)
        return _name(handler)
    return ""


def events_redispatch_stale(now: dt.datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """The periodic sweep: dispatch the events left unsent for more than `STALE` (their process
    died between the change's commit and the handlers, or the database went away), oldest
    first; delete those dispatched more than `KEEP` ago. Returns (dispatched, deleted). A row
    that cannot be dispatched at all (not a `TaskEvent` any more) is set aside, reported, so
    that it does not hold back the rows after it."""
    now = now or timezone.now()
    stale = EventOutbox.objects.filter(dispatched_at__isnull=True, created_at__lt=now - STALE)
    ids = list(stale.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    dispatched = sum(_sweep_one(pk) for pk in ids)
    deleted, _ = EventOutbox.objects.filter(dispatched_at__lt=now - KEEP).delete()
    return dispatched, deleted


def _sweep_one(row_id: int) -> bool:
    """Dispatch one stale row; a row that fails other than by the database going away is
    logged and marked dispatched with its error (an operator reads it there), not retried."""
    try:
        return event_dispatch(row_id)
    except OperationalError:
        raise  # the database is gone: the sweep's job is retried
    except Exception as error:
        log.exception("event %s cannot be dispatched; set aside", row_id)
        EventOutbox.objects.filter(pk=row_id, dispatched_at__isnull=True).update(
            dispatched_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:500]
        )
        return False


def _name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def _event(fields: dict[str, Any]) -> TaskEvent:
    return TaskEvent(**{**fields, "kind": EventKind(str(fields["kind"])),
                        "task_ids": tuple(fields["task_ids"])})  # fmt: skip


def _redispatch_later(row_id: int) -> None:
    from dondoc.tracking.tasks import task_event_redispatch_task  # tasks.py imports this module

    try:
        task_event_redispatch_task.delay(row_id)
    except Exception:  # the row waits, unsent, for the sweep
        log.warning("event %s: the retry could not be queued; the sweep will send it", row_id)
