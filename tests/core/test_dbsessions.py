"""Every PostgreSQL session says which dondoc process holds it, and an idle one does not live
forever (issue #11: sessions were left open on the test database with nothing to tell whose).

The cause: persistent connections (DB_CONN_MAX_AGE) are closed only when the thread that owns
one starts or ends its next request or job; a gunicorn or worker pool thread that gets no more
work keeps its session idle as long as the process lives. The server now ends such a session
after DB_IDLE_SESSION_SECONDS and Django reconnects at the next use (core/dbsessions.py)."""

import copy
import socket
import subprocess
import sys
import urllib.request

import pytest
from django.db import connection, connections

from dondoc.core.dbsessions import application_name, process_kind
from tests.core.processes import ROOT, children, dondoc, process_env, stop_group, wait_for

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL sessions")


@pytest.mark.parametrize(
    ("argv", "environ", "kind"),
    [
        (["/venv/bin/gunicorn", "dondoc.wsgi:application"], {}, "web"),
        (["/venv/lib/gunicorn/__main__.py", "--workers=2", "dondoc.wsgi"], {}, "web"),
        (["/venv/bin/celery", "-A", "dondoc", "worker", "--pool=threads"], {}, "worker"),
        (["/venv/bin/celery", "-A", "dondoc", "worker", "--beat"], {}, "worker"),
        (["/venv/lib/celery/__main__.py", "-A", "dondoc", "beat"], {}, "beat"),
        (["/venv/bin/dondoc", "migrate"], {"PYTEST_XDIST_WORKER": "gw0"}, "cli"),
        (["/venv/bin/pytest", "tests/core"], {}, "test"),
        (["-c"], {"PYTEST_XDIST_WORKER": "gw1"}, "test"),
        (["/venv/bin/dondoc", "serve"], {"DONDOC_PROCESS": "worker"}, "worker"),
    ],
)
def test_the_process_kind_is_read_from_the_command_or_named(argv, environ, kind):
    assert process_kind(argv, environ) == kind


def test_a_command_line_session_names_its_command():
    name = application_name(["/venv/bin/dondoc", "backup"], {})
    assert name.startswith("dondoc-cli/")
    assert name.endswith(" backup")
    assert len(application_name(["/venv/bin/dondoc", "x" * 200], {}).encode()) <= 63


@pg_only
def test_the_test_run_s_own_session_is_named(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('application_name')")
        assert cursor.fetchone()[0].startswith("dondoc-test/")
        cursor.execute("SHOW idle_session_timeout")
        assert cursor.fetchone()[0] == "5min"  # DB_IDLE_SESSION_SECONDS' default, 300


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _sessions(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the test's transaction keeps one
        cursor.execute(
            "SELECT application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name LIKE %s",
            [f"{prefix}%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pg_only
def test_a_web_worker_s_session_names_it_and_ends_with_it(db, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = process_env(
        tmp_path, DATABASE_URL=_database_url(), DONDOC_SECURE="false", HEALTH_CHECK_WORKER="false"
    )
    command = [sys.executable, "-m", "gunicorn", f"--bind=127.0.0.1:{port}", "--workers=1",
               "--threads=2", "--worker-class=gthread", f"--control-socket={tmp_path / 'ctl'}",
               "dondoc.wsgi:application"]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_for(healthy, 60, "gunicorn to answer /healthz")
        names = _sessions("dondoc-web/")
        assert len(set(names)) == 1  # each thread that answered: one session, one pid
        worker_pid = int(names[0].split("/")[1])
        assert worker_pid in children(server.pid)  # the forked web worker, not the master
    finally:
        stop_group(server, 15)
    wait_for(lambda: not _sessions("dondoc-web/"), 10, "the web worker's session to end")


@pg_only
def test_a_command_s_session_names_the_command(db, tmp_path):
    env = process_env(tmp_path, DATABASE_URL=_database_url())
    query = "from django.db import connection; c = connection.cursor(); " \
            "c.execute(\"SELECT current_setting('application_name')\"); print(c.fetchone()[0])"  # fmt: skip
    name = dondoc(env, "shell", "-c", query).strip().splitlines()[-1]
    assert name.startswith("dondoc-cli/")
    assert name.endswith(" shell")


@pg_only
def test_the_server_ends_an_idle_session_and_the_next_use_reconnects(db):
    idle = connections.create_connection("default")
    idle.settings_dict = copy.deepcopy(idle.settings_dict)
    idle.settings_dict["OPTIONS"]["options"] = "-c idle_session_timeout=500"  # ms
    try:
        with idle.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]

        def ended() -> bool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                return cursor.fetchone()[0] == 0

        wait_for(ended, 10, "the idle session to be ended by the server")
        idle.close_if_unusable_or_obsolete()  # what Django does as a request or job starts
        with idle.cursor() as cursor:  # the health check notices, a new session is opened
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        idle.close()
