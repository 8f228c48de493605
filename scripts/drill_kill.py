# ruff: noqa: S603, S310, T201 - a drill: our own commands, local URLs, results printed
"""Fault drill (outside CI): kill -9 processes of a running `dondoc serve` under load and count
what users would notice. Results go in docs/reliability.md.

    uv run python scripts/drill_kill.py [--seconds 20] [--threads 8] [--start-seconds 240]

1. web: every 1.5 s a gunicorn web worker is killed while 8 threads call the API and /healthz;
   counts answers by status, 5xx and connections dropped (the requests in flight).
2. jobs: 30 jobs are enqueued and the job worker is killed twice while they run; counts the
   jobs that ran (each writes an audit anchor line): none may be missing.
It runs on SQLite in a throwaway data folder; set DATABASE_URL to drill on PostgreSQL.
"""

import argparse
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dondoc(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "dondoc.cli", *args]
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def children(pid: int) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if ppid == pid:
                found[int(entry.name)] = cmdline
    return found


def find(pid: int, needle: str) -> int | None:
    return next((p for p, cmd in children(pid).items() if needle in cmd), None)


def get(url: str, token: str) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except OSError:
        return "dropped"


def wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def drill_web(base: str, token: str, serve: int, seconds: float, threads: int) -> dict[str, object]:
    counts: collections.Counter[str] = collections.Counter()
    stop, lock = threading.Event(), threading.Lock()

    def load() -> None:
        while not stop.is_set():
            for path in ("api/v1/tasks", "healthz"):
                status = get(base + path, token)
                with lock:
                    counts[status] += 1

    workers = [threading.Thread(target=load) for _ in range(threads)]
    for worker in workers:
        worker.start()
    kills, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1.5)
        master = find(serve, "-m gunicorn")
        web = next(iter(children(master))) if master and children(master) else None
        if web:
            os.kill(web, signal.SIGKILL)
            kills += 1
    stop.set()
    for worker in workers:
        worker.join()
    fivexx = sum(n for status, n in counts.items() if status.startswith("5"))
    return {
        "requests": sum(counts.values()),
        "web workers killed": kills,
        "5xx": fivexx,
        "dropped": counts["dropped"],
        "by status": dict(counts),
    }


def drill_jobs(env: dict[str, str], data: Path, serve: int, jobs: int) -> dict[str, object]:
    anchors = data / "audit-anchors.jsonl"
    before = len(anchors.read_text().splitlines()) if anchors.exists() else 0
    enqueue = (
        "from dondoc.audit.tasks import audit_anchor_task\n"
        f"for _ in range({jobs}): audit_anchor_task.delay()"
    )
    dondoc(env, "shell", "-c", enqueue)
    kills = 0
    for _ in range(2):
        worker = find(serve, "celery -A dondoc worker")
        if worker:
            os.kill(worker, signal.SIGKILL)
            kills += 1
        wait(lambda w=worker: find(serve, "celery -A dondoc worker") not in (None, w), 30)
    done = lambda: (len(anchors.read_text().splitlines()) if anchors.exists() else 0) - before  # noqa: E731
    wait(lambda: done() >= jobs and not os.listdir(data / "queue"), 120)
    return {
        "jobs enqueued": jobs,
        "job worker killed": kills,
        "jobs run": done(),
        "lost": max(0, jobs - done()),
        "run twice": max(0, done() - jobs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    # how long `serve` may take until /healthz says ok (its job worker's first heartbeat)
    parser.add_argument("--start-seconds", type=float, default=240)
    options = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="dondoc-drill-"))
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DONDOC_DATA_DIR=str(data), DONDOC_DEMO="false", DONDOC_SECURE="false", PYTHONPATH=str(ROOT)
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    log = (data / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "dondoc.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        if not wait(lambda: get(base + "healthz", "") == "200", options.start_seconds):
            sys.exit(f"serve did not start; see {log.name}")
        create = (
            "from dondoc.accounts.models import User; from dondoc.api.services import "
            "token_create; u = User.objects.create_user('drill', password='drill-pass-1'); "
            "print(token_create(u, name='drill')[1])"
        )
        token = dondoc(env, "shell", "-c", create).strip().splitlines()[-1]
        results = {
            "web": drill_web(base, token, serve.pid, options.seconds, options.threads),
            "jobs": drill_jobs(env, data, serve.pid, 30),
        }
        print(json.dumps(results, indent=2))
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
        log.close()


if __name__ == "__main__":
    main()
