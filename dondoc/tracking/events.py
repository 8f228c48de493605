"""What happened to tasks, told to whoever listens, after the change is committed.

Tracking's services publish an event (`publish`) when a task is assigned, reported on, asked
for an extension, raised an obstacle on, or decided on by the office or a leader. The apps
above tracking subscribe in their `AppConfig.ready()` (`subscribe`): urging notifies the people
concerned. Tracking never names them: the floors stay in order (docs/architecture.md).

Handlers run once the transaction that made the change has committed, so nobody is told of a
change that was rolled back; a handler that fails is logged and does not undo the change. A
handler that finds the database gone (it went away between the change's commit and the
handler: scripts/drill_pg_restart.py lost two reports' notifications so) is run again by a job,
retried like every job until the database is back (`event_redispatch`).
"""

import dataclasses
import enum
import logging
from collections.abc import Callable, Iterable

from django.db import OperationalError, transaction

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


def subscribe(handler: Handler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def publish(event: TaskEvent) -> None:
    """Tell the subscribers once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _dispatch(event))


def publish_many(events: Iterable[TaskEvent]) -> None:
    for event in events:
        publish(event)


def _dispatch(event: TaskEvent) -> None:
    for handler in list(_handlers):
        try:
            handler(event)
        except OperationalError as error:
            log.warning("event handler %s: database unavailable (%s); %s queued to run again",
                        _name(handler), error, event)  # fmt: skip
            _redispatch_later(handler, event)
        except Exception:
            log.exception("event handler %s failed on %s", handler, event)


def _name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def _redispatch_later(handler: Handler, event: TaskEvent) -> None:
    from dondoc.tracking.tasks import task_event_redispatch_task  # tasks.py imports this module

    try:
        task_event_redispatch_task.delay(_name(handler), dataclasses.asdict(event))
    except Exception:
        log.exception("event %s lost: its handler %s could not be queued", event, _name(handler))


def event_redispatch(handler_name: str, fields: dict[str, object]) -> None:
    """Run the subscribed handler named `handler_name` on the event `fields` describe (what
    `_redispatch_later` queued)."""
    handler = next(h for h in _handlers if _name(h) == handler_name)
    event = TaskEvent(**{**fields, "kind": EventKind(str(fields["kind"])),
                         "task_ids": tuple(fields["task_ids"])})  # type: ignore[arg-type]  # fmt: skip
    handler(event)
