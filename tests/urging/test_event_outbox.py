"""A task's event is written to an outbox in the change's own transaction (tracking/events.py):
a process that dies between the change's commit and the event's handlers loses no notice; the
sweep dispatches the row, and each row notifies once whoever dispatches it."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core import mail
from django.db import connection, transaction

from dondoc.tracking import events, services
from dondoc.tracking.models import EventOutbox, ProgressReport, Task
from dondoc.tracking.tasks import task_events_sweep_task
from dondoc.urging.models import Notification
from tests.races import needs_postgresql, race
from tests.urging.conftest import TZ, at, make_task, person

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 26)
LATER = dt.timedelta(minutes=3)  # past events.STALE


@pytest.fixture
def specialist(office_agency):
    from dondoc.accounts.models import RoleCode

    return person("chuyenvien", office_agency, RoleCode.OFFICE)


@pytest.fixture
def task(lead_agency, specialist) -> Task:
    return make_task("Xây dựng đề án", lead_agency, follower=specialist)


def _sweep() -> str:
    return task_events_sweep_task.apply().get()


def _notices() -> list[tuple[str, str]]:
    return list(Notification.objects.values_list("kind", "recipient__username"))


def _report(actor, task: Task, percent: int = 30) -> ProgressReport:
    return services.task_report_progress(actor, task, percent=percent, narrative="Đã họp")


def test_a_report_whose_handler_never_ran_is_notified_by_the_sweep_once(
    django_capture_on_commit_callbacks, task, lead_focal, specialist
):
    """The process died between the report's commit and its handler (the after-commit callback
    never runs): the office is still told, by the sweep, once; the handler coming late (or the
    sweep again) tells nobody twice."""
    with at(TODAY), django_capture_on_commit_callbacks(execute=False) as late:
        _report(lead_focal, task)
    assert _notices() == []
    assert EventOutbox.objects.get().dispatched_at is None
    with at(TODAY):  # too fresh for the sweep: its handler may be running
        assert _sweep() == "0 events dispatched, 0 old ones deleted"
    with time_after(LATER), django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == "1 events dispatched, 0 old ones deleted"
    assert _notices() == [("reported", "chuyenvien")]
    assert [m.to for m in mail.outbox] == [["chuyenvien@example.vn"]]

    # The handler, late after all, the next day (where "once per person, task, kind and day"
    # would not hold it back), and the sweep again: the row was dispatched, nothing more is sent.
    with time_after(LATER + dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        for callback in late:
            callback()
        _sweep()
    assert _notices() == [("reported", "chuyenvien")]
    assert len(mail.outbox) == 1


def test_a_handled_event_is_not_sent_again_by_the_sweep(
    django_capture_on_commit_callbacks, task, lead_focal
):
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        _report(lead_focal, task)
    assert EventOutbox.objects.get().dispatched_at is not None
    with time_after(LATER), django_capture_on_commit_callbacks(execute=True):
        assert _sweep().startswith("0 events dispatched")
    assert _notices() == [("reported", "chuyenvien")]
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_event_and_tells_nobody(
    django_capture_on_commit_callbacks, task, lead_focal
):
    def report_then_fail() -> None:
        with transaction.atomic():
            services.task_report_progress.__wrapped__(lead_focal, task, percent=30, narrative="X")
            raise RuntimeError("the request failed after the report")

    with at(TODAY), django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        report_then_fail()
    with time_after(LATER):
        _sweep()
    assert (EventOutbox.objects.count(), _notices()) == (0, [])


def test_a_failing_handler_is_recorded_and_does_not_undo_the_others(
    django_capture_on_commit_callbacks, task, lead_focal, monkeypatch
):
    def broken(event: events.TaskEvent) -> None:
        Notification.objects.all().delete()  # undone with its savepoint
        raise ValueError("a bug")

    monkeypatch.setattr(events, "_handlers", [*events._handlers, broken])
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        _report(lead_focal, task)
    row = EventOutbox.objects.get()
    assert row.dispatched_at is not None
    assert row.error.endswith("broken")
    assert _notices() == [("reported", "chuyenvien")]


def test_dispatched_events_are_deleted_after_a_week(
    django_capture_on_commit_callbacks, task, lead_focal
):
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        _report(lead_focal, task)
    with at(TODAY + dt.timedelta(days=6)):
        assert _sweep() == "0 events dispatched, 0 old ones deleted"
    with at(TODAY + dt.timedelta(days=8)):
        assert _sweep() == "0 events dispatched, 1 old ones deleted"
    assert _notices() == [("reported", "chuyenvien")]  # the notice stays


def test_the_sweep_runs_every_five_minutes_and_when_serve_starts(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["tracking-events-sweep"]
    assert entry["task"] == task_events_sweep_task.name  # the real job, by the name it runs as
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert task_events_sweep_task.name in settings.JOBS_AT_START


def time_after(delta: dt.timedelta):
    import time_machine

    start = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=TZ)
    return time_machine.travel(start + delta, tick=False)


# PostgreSQL: the handler and the sweep at once, and a real process killed after its commit ----


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_late_handler_and_sweeps_at_once_notify_once(task, lead_focal, monkeypatch):
    monkeypatch.setattr(events, "_dispatch_after_commit", lambda row_id: None)  # died
    with at(TODAY):
        _report(lead_focal, task)
    row = EventOutbox.objects.get()
    won: list[bool] = []
    lock = threading.Lock()

    def dispatch(n: int) -> None:
        done = events.event_dispatch(row.pk) if n % 2 else bool(events.events_redispatch_stale()[0])
        with lock:
            won.append(done)

    with time_after(LATER):
        outcomes = race(dispatch, racers=10)
    assert outcomes == {"stored": 10}
    assert sorted(won) == [False] * 9 + [True]
    assert _notices() == [("reported", "chuyenvien")]


KILLED_AFTER_COMMIT = """
import os, signal, sys
import django
django.setup()
from dondoc.accounts.models import User
from dondoc.tracking import events, services
from dondoc.tracking.models import Task
# The process dies the moment the report's transaction has committed, before any handler.
events._dispatch_after_commit = lambda row_id: os.kill(os.getpid(), signal.SIGKILL)
services.task_report_progress(
    User.objects.get(username=sys.argv[1]), Task.objects.get(pk=int(sys.argv[2])),
    percent=40, narrative="Báo cáo rồi chết",
)
print("the handler ran", flush=True)
"""


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_process_killed_after_its_reports_commit_loses_no_notice(task, lead_focal):
    base = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(base._replace(path="/" + connection.settings_dict["NAME"]))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "dondoc.settings",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_COMMIT, lead_focal.username, str(task.pk)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert ProgressReport.objects.get(task=task).percent == 40  # committed
    assert _notices() == []  # and nobody told
    assert EventOutbox.objects.get().dispatched_at is None

    with time_after(dt.timedelta(days=400)):  # the sweep, whenever it comes
        assert _sweep().startswith("1 events dispatched")
        assert _sweep().startswith("0 events dispatched")
    assert _notices() == [("reported", "chuyenvien")]


def test_an_unreadable_row_is_set_aside_and_does_not_hold_back_the_others(
    django_capture_on_commit_callbacks, task, lead_focal
):
    """A row written before a change to the events (not a `TaskEvent` any more) fails; the
    sweep records why on it and still notifies the report after it."""
    with at(TODAY), django_capture_on_commit_callbacks(execute=False):
        EventOutbox.objects.create(event={"kind": "no_such_kind", "task_ids": []})
        _report(lead_focal, task)
    with time_after(LATER), django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == "1 events dispatched, 0 old ones deleted"
    assert _notices() == [("reported", "chuyenvien")]
    broken = EventOutbox.objects.order_by("pk").first()
    assert broken is not None
    assert broken.dispatched_at is not None
    assert broken.error.startswith("ValueError")
