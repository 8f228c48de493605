# ruff: noqa: S603, S310, S108, T201 - a drill: our own commands, local URLs, results printed
"""PostgreSQL restarted under load (outside CI): a real server restart, not a proxy's cut.
Results go in docs/reliability.md.

    uv run python scripts/drill_pg_restart.py [--cluster /tmp/rel3pg] [--pg-port 5434]
        [--seconds 40] [--restarts 2] [--jobs 20] [--down-seconds 8]

Never touches the machine's shared PostgreSQL server: it makes a throwaway cluster of its own
(`initdb` into `--cluster`, `pg_ctl start` on `--pg-port`, sockets in /tmp), runs `dondoc serve`
(embedded jobs) on a database there, and drives, all at once:

- readers: threads calling `GET /api/v1/tasks` and `/healthz`;
- writers: threads posting progress reports (`POST /api/v1/tasks/{id}/reports`), each
  remembering what the server answered;
- jobs: audit-anchor jobs enqueued before and during the restarts (each appends one line).

The cluster is restarted with `pg_ctl restart -m fast` (every session ended, the server down
and up again); each further restart (`--restarts`) stops it, enqueues jobs while it is down,
keeps it down `--down-seconds`, and starts it again. Then it checks what the issue asks: every request answered
within the client's timeout (no hang) and, while the server was away, only with 503 +
Retry-After; 200 again without restarting dondoc; every job ran once; every report the server
acknowledged (201) is stored, and nothing half-written: each stored report has its audit entry,
the task's progress is its last report's, `dondoc audit verify` passes.
"""

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DB = "dondoc_drill_restart"
CLIENT_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*command: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def dondoc(env: dict[str, str], *args: str) -> str:
    return run(sys.executable, "-m", "dondoc.cli", *args, env=env)


def request(
    url: str, token: str, body: dict[str, object] | None = None
) -> tuple[str, str | None, dict[str, object], float]:
    """(status, Retry-After, JSON body, seconds); status "dropped" when there was no answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    started = time.monotonic()
    try:
        req = urllib.request.Request(url, data=data, headers=headers)
        with urllib.request.urlopen(req, timeout=CLIENT_TIMEOUT) as r:
            status, retry, raw = str(r.status), r.headers.get("Retry-After"), r.read()
    except urllib.error.HTTPError as error:
        status, retry, raw = str(error.code), error.headers.get("Retry-After"), error.read()
    except OSError as error:
        status, retry, raw = ("timeout" if "timed out" in str(error) else "dropped"), None, b""
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        parsed = {}
    return status, retry, parsed if isinstance(parsed, dict) else {}, time.monotonic() - started


def wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.log = Path(os.devnull)

    @staticmethod
    def as_owner(*command: str) -> list[str]:
        """PostgreSQL refuses to run as root: as root, run the server as `postgres`."""
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else [*command]

    def ctl(self, *args: str) -> None:
        run(*self.as_owner(str(PG_BIN / "pg_ctl"), "-D", str(self.folder), "-l", str(self.log),
                           *args))  # fmt: skip

    def create(self) -> None:
        if self.folder.exists():
            sys.exit(f"{self.folder} exists: remove it (a cluster of an earlier drill?)")
        self.log = Path(tempfile.mkdtemp(prefix="dondoc-drill-pglog-")) / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self.log.parent, "postgres")
        run(*self.as_owner(str(PG_BIN / "initdb"), "-D", str(self.folder), "-U", "postgres",
                           "--auth=trust"))  # fmt: skip
        self.ctl("-o", f"-p {self.port} -k /tmp", "-w", "start")
        self.psql(f"CREATE DATABASE {DB}")

    def psql(self, sql: str, db: str = "postgres") -> str:
        return run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
                   "-Atc", sql)  # fmt: skip

    def restart(self, while_down: Callable[[], object] | None = None) -> float:
        """`pg_ctl restart -m fast`; with `while_down`, stop, run it, then start (a longer gap)."""
        started = time.monotonic()
        if while_down is None:
            self.ctl("-o", f"-p {self.port} -k /tmp", "-m", "fast", "-w", "restart")
        else:
            self.ctl("-m", "fast", "-w", "stop")
            while_down()
            self.ctl("-o", f"-p {self.port} -k /tmp", "-w", "start")
        return time.monotonic() - started

    def destroy(self) -> None:
        if self.folder.exists():
            subprocess.run(
                self.as_owner(str(PG_BIN / "pg_ctl"), "-D", str(self.folder), "-m", "fast", "stop"),
                capture_output=True, check=False,
            )  # fmt: skip
            shutil.rmtree(self.folder, ignore_errors=True)


class Load:
    """Readers and writers; every answer counted by phase, every write remembered."""

    def __init__(self, base: str, tokens: dict[str, str], task_id: int, threads: int) -> None:
        self.base, self.tokens, self.task_id = base, tokens, task_id
        self.phase = "before"
        self.counts: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.acknowledged: list[int] = []  # report ids the server answered 201 for
        self.slowest = 0.0
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._read) for _ in range(threads)]
        self.threads += [threading.Thread(target=self._write, args=(n,)) for n in range(threads)]

    def _count(self, kind: str, status: str, retry: str | None, seconds: float) -> None:
        if status == "503" and retry is None:
            status = "503 without Retry-After"
        with self.lock:
            self.counts[self.phase][f"{kind} {status}"] += 1
            self.slowest = max(self.slowest, seconds)

    def _read(self) -> None:
        while not self.stop.is_set():
            status, retry, _, took = request(self.base + "api/v1/tasks", self.tokens["office"])
            self._count("GET", status, retry, took)
            time.sleep(0.05)

    def _write(self, n: int) -> None:
        url = f"{self.base}api/v1/tasks/{self.task_id}/reports"
        i = 0
        while not self.stop.is_set():
            i += 1
            body = {"percent": (n * 7 + i) % 90, "narrative": f"Diễn tập {n}-{i}"}
            status, retry, answer, took = request(url, self.tokens["focal"], body)
            self._count("POST", status, retry, took)
            if status == "201":
                with self.lock:
                    self.acknowledged.append(int(str(answer["id"])))
            time.sleep(0.1)

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def summary(self) -> dict[str, object]:
        every = sum((c for c in self.counts.values()), collections.Counter())
        unclean = {
            s: n for s, n in every.items() if s.split(" ", 1)[1] not in {"200", "201", "503"}
        }
        return {
            "requests": sum(every.values()),
            "answers other than 200/201/503+Retry-After": unclean,
            "slowest answer s": round(self.slowest, 2),
            "by phase": {phase: dict(c) for phase, c in self.counts.items()},
        }


SETUP = """
from dondoc.accounts.models import Role, User
from dondoc.accounts.models import RoleCode
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.api.services import token_create
from dondoc.tracking import services
import datetime as dt
office = Agency.objects.create(code="VPTW", name="Văn phòng", kind=AgencyKind.CENTRAL_BODY)
lead = Agency.objects.create(code="BTCTW", name="Ban Tổ chức", kind=AgencyKind.CENTRAL_BODY)
def user(name, agency, role, clearance=0):
    u = User.objects.create_user(name, password="drill-pass-1", clearance=clearance)
    u.agency = agency
    u.save()
    u.roles.set([Role.objects.get_or_create(code=role)[0]])
    return u
specialist = user("chuyenvien", office, RoleCode.OFFICE)
focal = user("daumoi", lead, RoleCode.FOCAL)
task = services.task_create(specialist, title="Diễn tập", lead_agency=lead,
                            due_on=dt.date.today() + dt.timedelta(days=60))
print(task.pk, token_create(specialist, name="d")[1], token_create(focal, name="d")[1])
"""

CHECK = """
import json
from dondoc.audit.models import AuditEntry
from dondoc.core.models import JobRun
from dondoc.tracking.models import ProgressReport, Task
reports = list(ProgressReport.objects.order_by("id").values_list("id", "percent"))
audited = sorted(AuditEntry.objects.filter(action="report", object_type="tracking.task")
                 .values_list("changes", flat=True), key=str)
task = Task.objects.get()
runs = JobRun.objects.filter(name__contains="anchor")
print(json.dumps({
    "reports": [r[0] for r in reports],
    "report audit entries": AuditEntry.objects.filter(action="report").count(),
    "task progress": task.progress,
    "last report percent": reports[-1][1] if reports else None,
    "anchor job runs": runs.count(),
    "anchor job runs failed": runs.filter(succeeded=False).count(),
    "anchor jobs retried": runs.filter(attempt__gt=1).count(),
    "event redispatch jobs": JobRun.objects.filter(name="task_event_redispatch").count(),
    "event redispatch jobs succeeded": JobRun.objects.filter(
        name="task_event_redispatch", succeeded=True).count(),
}))
"""


def serve(env: dict[str, str], data: Path, port: int) -> subprocess.Popen[bytes]:
    log = (data / "serve.log").open("w")
    command = [sys.executable, "-m", "dondoc.cli", "serve", "--port", str(port)]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def enqueue(env: dict[str, str], jobs: int) -> None:
    dondoc(env, "shell", "-c",
           f"from dondoc.audit.tasks import audit_anchor_task\n"
           f"for _ in range({jobs}): audit_anchor_task.delay()")  # fmt: skip


def drill(options: argparse.Namespace) -> dict[str, object]:
    cluster = Cluster(Path(options.cluster), options.pg_port)
    data = Path(tempfile.mkdtemp(prefix="dondoc-drill-restart-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DONDOC_DATA_DIR=str(data), DONDOC_DEMO="false", DONDOC_SECURE="false",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{options.pg_port}/{DB}",
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    anchors = data / "audit-anchors.jsonl"
    ran = lambda: len(anchors.read_text().splitlines()) if anchors.exists() else 0  # noqa: E731
    cluster.create()
    web = serve(env, data, port)
    result: dict[str, object] = {"cluster": f"{cluster.folder} on port {cluster.port}"}
    try:
        started = time.monotonic()
        if not wait(lambda: request(base + "healthz", "")[0] == "200", options.start_seconds):
            sys.exit(f"serve did not become healthy; see {data}/serve.log")
        result["serve healthy after s"] = round(time.monotonic() - started, 1)
        task_id, office, focal = dondoc(env, "shell", "-c", SETUP).split()[-3:]
        tokens = {"office": office, "focal": focal}
        serve_pid = web.pid
        gaps, health_during = [], []
        with Load(base, tokens, int(task_id), options.threads) as load:
            enqueue(env, options.jobs // 2)  # queued before: they run, or wait, around the gap
            time.sleep(options.seconds / (options.restarts + 1))
            for n in range(options.restarts):
                load.phase = f"restart {n + 1}"
                watcher = threading.Thread(
                    target=lambda: health_during.append(request(base + "healthz", "")[:1])
                )

                # The first: a plain `restart -m fast`. The next: stopped, jobs enqueued while it
                # is down and the worker fails on them (then retries), held down, started.
                def down(n: int = n) -> None:
                    if n:
                        enqueue(env, options.jobs - options.jobs // 2)
                        time.sleep(options.down_seconds)

                restart = threading.Thread(
                    target=lambda d=down, n=n: gaps.append(cluster.restart(d if n else None))
                )
                restart.start()
                time.sleep(0.5)
                watcher.start()
                restart.join()
                watcher.join()
                load.phase = f"after restart {n + 1}"
                back = time.monotonic()
                recovered = wait(lambda: request(base + "api/v1/tasks", office)[0] == "200", 60)
                result[f"restart {n + 1}: first 200 after the server was back, s"] = (
                    round(time.monotonic() - back, 1) if recovered else "never"
                )
                time.sleep(options.seconds / (options.restarts + 1))
        result["restarts (pg_ctl restart -m fast), seconds each"] = [round(g, 1) for g in gaps]
        result["/healthz during the restarts"] = health_during
        result["jobs ran within 120 s"] = wait(lambda: ran() >= options.jobs, 120)
        time.sleep(3)  # a job run twice would show now
        stored = json.loads(dondoc(env, "shell", "-c", CHECK).strip().splitlines()[-1])
        lost = sorted(set(load.acknowledged) - set(stored["reports"]))
        verify = subprocess.run(
            [sys.executable, "-m", "dondoc.cli", "audit", "verify"],
            env=env, cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        log = (data / "serve.log").read_text(errors="replace")
        result.update({
            "serve restarted": web.poll() is not None or web.pid != serve_pid,
            "/healthz at the end": request(base + "healthz", "")[0],
            "requests": load.summary(),
            "reports acknowledged (201)": len(load.acknowledged),
            "reports stored": len(stored["reports"]),
            "acknowledged but not stored": lost,
            "stored reports without their audit entry": len(stored["reports"])
            - stored["report audit entries"],
            "task progress = last report's": stored["task progress"]
            == stored["last report percent"],
            "audit verify": (verify.returncode, verify.stdout.strip()[-200:]),
            "jobs enqueued": options.jobs,
            "jobs run (anchor lines)": ran(),
            "anchor job runs recorded (incl. retried attempts)": stored["anchor job runs"],
            "of which failed (then retried)": stored["anchor job runs failed"],
            "jobs that ran on a retry (attempt > 1)": stored["anchor jobs retried"],
            "event handlers failed (notices lost), from the log": log.count("failed on TaskEvent"),
            "event handlers queued again, from the log": log.count("queued to run again"),
            "event redispatch jobs (succeeded)": [
                stored["event redispatch jobs"], stored["event redispatch jobs succeeded"]
            ],
        })  # fmt: skip
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=60)
        if not options.keep:
            cluster.destroy()
    result["data folder (serve.log)"] = str(data)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", default="/tmp/rel3pg")
    parser.add_argument("--pg-port", type=int, default=5434)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--restarts", type=int, default=2)
    parser.add_argument("--threads", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--down-seconds", type=float, default=8)
    parser.add_argument("--start-seconds", type=float, default=600)
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    options = parser.parse_args()
    started = time.process_time()
    result = drill(options)
    result["drill CPU s (this process)"] = round(time.process_time() - started, 1)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
