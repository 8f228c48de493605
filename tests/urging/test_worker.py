"""A real Celery worker on Redis killed (SIGKILL) in the middle of the reminder sweep: the job
is delivered again to a new worker, and in the end every notification exists exactly once and
every e-mail was sent exactly once.

Like tests/core/test_jobs.py this starts real processes on a throwaway database: SQLite in a
temporary data folder, or, when the suite runs on PostgreSQL, a scratch PostgreSQL database on
the same server (created and dropped by the test), where the killed worker's session must also
be gone and its open transaction rolled back by the server. The sweep is slowed down by the test hook DONDOC_SWEEP_THROTTLE_MS (a
sleep inside each row's transaction), so the kill lands mid-sweep, most likely mid-transaction.
The worker is the production app with short Redis recovery times (tests/urging/worker_app.py);
e-mail goes to a journal file (tests/urging/mailbox.py) that records each message sent.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.core.processes import group_members, stop_group

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[2]
TASKS = 20
# task n is n days overdue, with one coordinating agency: a notice to the lead's and the
# coordinator's focal points, and from the 7th day an escalation to the lead's head
EXPECTED = sum(2 + (n >= 7) for n in range(1, TASKS + 1))

# One process prepares everything (each Django start costs seconds): the database, the data,
# and the sweep job, enqueued before any worker runs.
PREPARE = f"""
import datetime as dt
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from dondoc.accounts.models import Role, User
from dondoc.agencies.models import Agency
from dondoc.tracking.models import Coordination, Task
lead = Agency.objects.create(code="BTCTW", name="Ban Tổ chức Trung ương", kind="central_body")
coord = Agency.objects.create(code="BTGDVTW", name="Ban Tuyên giáo và Dân vận", kind="central_body")
for username, agency, role in [
    ("daumoi.btctw", lead, "focal"), ("daumoi.btgdvtw", coord, "focal"), ("truong.btctw", lead, "head")
]:
    user = User.objects.create_user(
        username=username, email=username + "@example.vn", full_name=username, agency=agency
    )
    user.roles.set([Role.objects.get(code=role)])
today = timezone.localdate()
for n in range(1, {TASKS} + 1):
    task = Task.objects.create(
        title=f"Nhiệm vụ {{n}}", lead_agency=lead, due_on=today - dt.timedelta(days=n),
        created_on=today - dt.timedelta(days=90),
    )
    Coordination.objects.create(task=task, agency=coord)
import tests.urging.worker_app
from dondoc.urging.tasks import reminder_sweep_task
reminder_sweep_task.delay()
"""
WORKER = [
    sys.executable, "-m", "celery", "-A", "tests.urging.worker_app", "worker", "--pool=threads",
    "--concurrency=1", "--loglevel=WARNING", "--without-mingle", "--without-gossip",
    "--without-heartbeat",
]  # fmt: skip


def dondoc(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        env=env, capture_output=True, text=True, timeout=90, check=True,
    )  # fmt: skip


class Store:
    """The workers' database, read by the test: SQLite in the data folder or PostgreSQL."""

    def __init__(self, folder: Path, url: str = "") -> None:
        self.path, self.url = folder / "dondoc.sqlite3", url

    def count(self, sql: str) -> int:
        if not self.url:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10) as db:
                return int(db.execute(sql).fetchone()[0])
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            found = db.execute(sql).fetchone()
            return int(found[0]) if found else 0


@contextlib.contextmanager
def scratch_postgres():
    """A database of its own on the server of the suite's DATABASE_URL, dropped at the end."""
    import psycopg
    from psycopg import sql

    base = os.environ["DATABASE_URL"]
    name = f"dondoc_worker_{uuid.uuid4().hex[:12]}"
    server = base.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def start_worker(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        WORKER, env=env, cwd=cwd, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for(condition, seconds: float, worker: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    stop_group(worker, signal.SIGTERM)
    pytest.fail(f"{what}; worker said: {worker.stderr.read()[-3000:] if worker.stderr else ''}")


@pytest.fixture
def store(tmp_path):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield Store(tmp_path)
        return
    with scratch_postgres() as url:
        yield Store(tmp_path, url)


@pytest.fixture
def env(tmp_path, store) -> dict[str, str]:
    prefix = f"urging-test-{uuid.uuid4().hex}:"
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    if store.url:
        keep["DATABASE_URL"] = store.url
    yield {
        **keep,
        "DONDOC_DATA_DIR": str(tmp_path),
        "DONDOC_DEMO": "false",
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex}",
        "URGING_TEST_KEYPREFIX": prefix,
        "EMAIL_BACKEND": "tests.urging.mailbox.JournalBackend",
        "URGING_MAIL_JOURNAL": str(tmp_path / "mail.log"),
        "DONDOC_SWEEP_THROTTLE_MS": "150",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):  # leave the shared Redis as we found it
        client.delete(key)


def test_a_worker_killed_mid_sweep_loses_nothing_and_duplicates_nothing(env, store, tmp_path):
    count = store.count
    notifications = "SELECT count(*) FROM urging_notification"
    dondoc(env, "shell", "-c", PREPARE)

    first = start_worker(env, tmp_path)
    mine = f"dondoc-%/{first.pid}"  # the worker's sessions (core/dbsessions.py)
    sessions = f"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '{mine}'"  # noqa: S608
    try:
        schedules = "SELECT count(*) FROM urging_reminderschedule"
        wait_for(lambda: count(schedules) >= TASKS, 40, first, "the sweep never began")
        time.sleep(1)  # inside the claims of its one chunk: TASKS times 150 ms, one transaction
        if store.url:
            assert count(f"{sessions} AND xact_start IS NOT NULL") == 1  # mid-transaction
    finally:
        stop_group(first, signal.SIGKILL)  # mid-sweep, most likely mid-transaction
    if store.url:  # the server saw the connection drop and rolled its transaction back
        wait_for(lambda: count(sessions) == 0, 20, first, "the killed worker's session stayed")
    at_kill = count(notifications)
    assert at_kill < EXPECTED, "the sweep finished before the kill: slow it down more"
    assert at_kill == 0  # a chunk's claims and notifications commit together, or not at all
    assert count("SELECT count(*) FROM core_jobrun WHERE succeeded IS NULL") == 1

    second = start_worker(env, tmp_path)
    journal = Path(env["URGING_MAIL_JOURNAL"])
    sent_lines = lambda: journal.read_text().split() if journal.exists() else []  # noqa: E731
    try:
        wait_for(
            lambda: count("SELECT count(*) FROM core_jobrun WHERE name='reminder_sweep'"
                                    " AND succeeded") >= 1 and len(sent_lines()) >= EXPECTED,
            50, second, "the job was not delivered again, or its e-mails not sent",
        )  # fmt: skip
        time.sleep(1)  # a late duplicate send, if there were one, would show now
    finally:
        stop_group(second, signal.SIGTERM)
    assert not group_members(first.pid)
    assert not group_members(second.pid)

    assert count(notifications) == EXPECTED
    assert count("SELECT count(DISTINCT recipient_id || '-' || task_id || '-' || kind"
                           " || '-' || ref_on) FROM urging_notification") == EXPECTED  # fmt: skip
    outbox = "SELECT count(*) FROM urging_emailoutbox"
    assert count(outbox) == EXPECTED
    assert count(f"{outbox} WHERE sent_at IS NULL") == 0
    sends = Counter(sent_lines())
    assert len(sends) == EXPECTED
    assert set(sends.values()) == {1}  # every outbox row sent exactly once
