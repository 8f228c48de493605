"""`dondoc serve` supervises its job worker and scheduler (issue #11): a killed worker is logged
and restarted, jobs run again, /healthz says so, and SIGTERM to serve stops every child."""

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from dondoc.core.supervisor import Child, Supervisor
from tests.core.processes import ROOT, alive, children, dondoc, process_env, wait_for

ANCHOR = "from dondoc.audit.tasks import audit_anchor_task; audit_anchor_task.delay()"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    except OSError:
        return 0, {}


def url_status(port: int, length: int) -> int:
    """The status of a health request whose query string makes the URL `length` long."""
    url = f"http://127.0.0.1:{port}/healthz?q="
    try:
        with urllib.request.urlopen(url + "a" * (length - len(url)), timeout=10) as response:  # noqa: S310 - http://127.0.0.1 above
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def worker_health(port: int) -> tuple[int, object]:
    status, body = health(port)
    return status, body.get("worker", {}).get("status")


def job_children(pid: int) -> dict[str, int]:
    found = {}
    for child, cmdline in children(pid).items():
        for kind, command in (
            ("worker", "celery -A dondoc worker"),
            ("beat", "celery -A dondoc beat"),
            ("web", "-m gunicorn"),
        ):
            if command in cmdline:
                found[kind] = child
    return found


def test_killed_worker_is_restarted_and_serve_stops_its_children(tmp_path):
    data, port = tmp_path / "data", free_port()
    env = process_env(data, HEARTBEAT_SECONDS="1", HEARTBEAT_MAX_AGE="4")
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "dondoc.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: health(port)[0] == 200, 180, "serve to be healthy")
        assert (data / "gunicorn.ctl").exists()  # its own control socket, in its data folder
        assert url_status(port, 10_000) == 200  # gunicorn passes long lines on to dondoc …
        assert url_status(port, 20_000) == 414  # … which refuses them itself
        first = job_children(serve.pid)
        assert set(first) == {"worker", "beat", "web"}

        subprocess.run(["kill", "-9", str(first["worker"])], check=True)
        wait_for(lambda: worker_health(port) == (503, "down"), 30, "/healthz to see it gone")
        restarted = wait_for(
            lambda: (
                (p := job_children(serve.pid).get("worker")) not in (None, first["worker"]) and p
            ),
            60,
            "the worker to be restarted",
        )
        assert restarted != first["worker"]
        text = Path(log.name).read_text()
        assert f"job worker (pid {first['worker']}) exited with -9" in text
        assert "restarting in 1 s" in text

        dondoc(env, "shell", "-c", ANCHOR)  # a job enqueued after the restart still runs
        wait_for(lambda: (data / "audit-anchors.jsonl").exists(), 120, "the job to run")
        wait_for(lambda: health(port)[0] == 200, 90, "/healthz to be ok again")

        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        spawned = [restarted, first["beat"], first["web"]]
        wait_for(lambda: not any(alive(pid) for pid in spawned), 40, "the children to stop")
    finally:
        if serve.poll() is None:
            serve.kill()
        log.close()


def test_backoff_doubles_on_quick_deaths_and_resets_after_a_stable_run(tmp_path):
    child = Child("quitter", [sys.executable, "-c", "raise SystemExit(3)"], {})
    supervisor = Supervisor([child], min_backoff=1, max_backoff=4, stable_after=30)
    supervisor._spawn(child)
    now = time.monotonic()
    try:
        delays = []
        for _ in range(4):
            child.process.wait(timeout=10)
            supervisor.check(child, now=lambda: now)
            delays.append(child.backoff)
            supervisor.check(child, now=lambda: now + 100)  # its backoff is over: started again
        assert delays == [1, 2, 4, 4]
        assert child.restarts == 4
        child.process.wait(timeout=10)
        child.started_at = now - 60  # this one had stayed up a minute
        supervisor.check(child, now=lambda: now)
        assert child.backoff == 1
    finally:
        supervisor.stop(timeout=1)
