# ruff: noqa: S603, S310, S608, T201 - a drill: our own commands, local URLs, results printed
"""Outage drills (outside CI) with real processes: Redis stopped and restarted while jobs are
queued, and PostgreSQL lost and back under load. Results go in docs/reliability.md.

    uv run python scripts/drill_outages.py redis [--jobs 30] [--outage 8]
    uv run python scripts/drill_outages.py postgres [--seconds 30] [--threads 6]

redis: starts its own redis-server (a free port, append-only file, fsync always) in a throwaway
folder, `dondoc serve` on it (web only, as in production) and a Celery worker. The worker is
stopped, jobs are enqueued (each appends an audit anchor line), Redis is stopped: pages keep
answering, /healthz says the broker is down; the worker is started again while Redis is still
down; Redis comes back: /healthz recovers and every job runs once.

postgres: never stops the machine's PostgreSQL server (other work uses it). `dondoc serve`
(embedded jobs) reaches its own database `dondoc_drill_outage` through a TCP proxy in this
script; under load the proxy cuts every connection and refuses new ones for a while (what a
restart looks like from dondoc), later every backend of that database is ended with
pg_terminate_backend (a connection loss without an outage). Counts answers by phase: 503 with
Retry-After while it is gone, no other 5xx, and 200 again afterwards without restarting dondoc.
"""

import argparse
import collections
import contextlib
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
PG = "postgres://postgres@127.0.0.1:5432"
DRILL_DB = "dondoc_drill_outage"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dondoc(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "dondoc.cli", *args]
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def fetch(url: str, token: str = "") -> tuple[str, str | None, dict[str, object]]:
    """(status, Retry-After, JSON body or {}) of a GET; status "dropped" when no answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return str(r.status), r.headers.get("Retry-After"), _json(r.read())
    except urllib.error.HTTPError as error:
        return str(error.code), error.headers.get("Retry-After"), _json(error.read())
    except OSError:
        return "dropped", None, {}


def _json(body: bytes) -> dict[str, object]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def health(base: str) -> tuple[str, dict[str, object]]:
    status, _, body = fetch(base + "healthz")
    return status, body


def part(base: str, name: str) -> object:
    value = health(base)[1].get(name)
    return value.get("status") if isinstance(value, dict) else None


class Load:
    """Threads calling the API and /healthz; answers counted per phase."""

    def __init__(self, base: str, token: str, threads: int) -> None:
        self.base, self.token, self.phase = base, token, "before"
        self.counts: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.workers = [threading.Thread(target=self._run) for _ in range(threads)]

    def _run(self) -> None:
        while not self.stop.is_set():
            status, retry_after, _ = fetch(self.base + "api/v1/tasks", self.token)
            if status == "503" and retry_after is None:
                status = "503 without Retry-After"
            with self.lock:
                self.counts[self.phase][status] += 1
            time.sleep(0.05)

    def __enter__(self) -> "Load":
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for worker in self.workers:
            worker.join()

    def summary(self) -> dict[str, object]:
        every = sum((c for c in self.counts.values()), collections.Counter())
        return {
            "requests": sum(every.values()),
            "5xx other than 503": sum(
                n for s, n in every.items() if s.startswith("5") and s != "503"
            ),
            "by phase": {phase: dict(c) for phase, c in self.counts.items()},
        }


def serve(env: dict[str, str], data: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    log = (data / "serve.log").open("w")
    command = [sys.executable, "-m", "dondoc.cli", "serve", "--port", str(port), *extra]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def make_token(env: dict[str, str]) -> str:
    create = (
        "from dondoc.accounts.models import User; from dondoc.api.services import "
        "token_create; u = User.objects.create_user('drill', password='drill-pass-1'); "
        "print(token_create(u, name='drill')[1])"
    )
    return dondoc(env, "shell", "-c", create).strip().splitlines()[-1]


def base_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DONDOC_DATA_DIR=str(data), DONDOC_DEMO="false", DONDOC_SECURE="false", PYTHONPATH=str(ROOT)
    )
    return env


# ---------------------------------------------------------------------------------------------
# Redis


def redis_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
        "--appendonly", "yes", "--appendfsync", "always", "--save", "",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    ping = ["redis-cli", "-p", str(port), "ping"]
    wait(lambda: subprocess.run(ping, capture_output=True, check=False).returncode == 0, 20)
    return server


def celery_worker(env: dict[str, str], data: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "celery", "-A", "dondoc", "worker", "--pool=threads",
        "--concurrency=2", "--loglevel=WARNING",
    ]  # fmt: skip
    log = (data / "worker.log").open("a")
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def drill_redis(jobs: int, outage: float) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="dondoc-drill-redis-"))
    redis_port, port = free_port(), free_port()
    env = {**base_env(data), "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
    base = f"http://127.0.0.1:{port}/"
    anchors = data / "audit-anchors.jsonl"
    ran = lambda: len(anchors.read_text().splitlines()) if anchors.exists() else 0  # noqa: E731
    redis = redis_server(data, redis_port)
    web = serve(env, data, port)
    worker = celery_worker(env, data)
    result: dict[str, object] = {}
    try:
        if not wait(lambda: health(base)[0] == "200", 240):
            sys.exit(f"serve did not become healthy; see {data}/serve.log")
        token = make_token(env)
        stop(worker)  # jobs wait in Redis
        enqueue = (
            "from dondoc.audit.tasks import audit_anchor_task\n"
            f"for _ in range({jobs}): audit_anchor_task.delay()"
        )
        dondoc(env, "shell", "-c", enqueue)
        with Load(base, token, threads=4) as load:
            time.sleep(2)
            load.phase = "redis down"
            stop(redis)  # SIGTERM: the append-only file keeps the queue
            broker_down = wait(lambda: part(base, "broker") == "down", 20)
            health_down = health(base)
            worker = celery_worker(env, data)  # a worker starting while Redis is down
            time.sleep(outage)
            load.phase = "redis back"
            redis = redis_server(data, redis_port)
            recovered_at = time.monotonic()
            recovered = wait(lambda: health(base)[0] == "200", 120)
            recovery_s = round(time.monotonic() - recovered_at, 1)
            wait(lambda: ran() >= jobs, 120)
            time.sleep(3)  # a job run twice would show now
        result = {
            "jobs queued before Redis stopped": jobs,
            "jobs run": ran(),
            "lost": max(0, jobs - ran()),
            "run twice": max(0, ran() - jobs),
            "/healthz while Redis down": [health_down[0], health_down[1].get("broker")],
            "broker reported down": broker_down,
            "/healthz 200 again": recovered,
            "seconds until /healthz 200 after Redis restart": recovery_s,
            "pages": load.summary(),
        }
    finally:
        stop(worker)
        stop(web)
        stop(redis)
    return result


# ---------------------------------------------------------------------------------------------
# PostgreSQL, through a proxy that can cut it


class Proxy:
    """TCP forwarder 127.0.0.1:port -> PostgreSQL; `cut()` closes every connection and refuses
    new ones until `restore()`, as a restarting server would."""

    def __init__(self, target_port: int) -> None:
        self.target, self.port = ("127.0.0.1", target_port), free_port()
        self.down, self.lock, self.pairs = threading.Event(), threading.Lock(), []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if self.down.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> int:
        self.down.set()
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for end in pair:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                    end.close()
        return len(pairs)

    def restore(self) -> None:
        self.down.clear()


def psql(sql: str) -> str:
    command = ["psql", f"{PG}/postgres", "-Atc", sql]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def drill_postgres(seconds: float, threads: int) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="dondoc-drill-pg-"))
    psql(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {DRILL_DB}")
    proxy, port = Proxy(5432), free_port()
    env = {
        **base_env(data),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{proxy.port}/{DRILL_DB}",
    }
    base = f"http://127.0.0.1:{port}/"
    web = serve(env, data, port)
    result: dict[str, object] = {}
    try:
        if not wait(lambda: health(base)[0] == "200", 300):
            sys.exit(f"serve did not become healthy; see {data}/serve.log")
        token = make_token(env)
        third = seconds / 3
        with Load(base, token, threads) as load:
            time.sleep(third)
            load.phase = "database gone (proxy cut)"
            cut = proxy.cut()
            health_down = health(base)
            time.sleep(third / 2)
            proxy.restore()
            load.phase = "database back"
            back_at = time.monotonic()
            recovered = wait(lambda: fetch(base + "api/v1/tasks", token)[0] == "200", 60)
            first_200_s = round(time.monotonic() - back_at, 1)
            time.sleep(third / 2)
            load.phase = "backends terminated"
            terminated = psql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{DRILL_DB}'"
            ).strip()
            time.sleep(third / 2)
            load.phase = "after"
            time.sleep(third / 2)
        healthy_after = wait(lambda: health(base)[0] == "200", 60)
        result = {
            "connections cut by the proxy": cut,
            "/healthz while gone": [health_down[0], health_down[1].get("database")],
            "seconds to the first 200 after the database came back": first_200_s,
            "recovered without restarting dondoc": recovered,
            "backends terminated": int(terminated or 0),
            "/healthz 200 at the end": healthy_after,
            "requests": load.summary(),
        }
    finally:
        stop(web)
        psql(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("drill", choices=["redis", "postgres"])
    parser.add_argument("--jobs", type=int, default=30)
    parser.add_argument("--outage", type=float, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=6)
    options = parser.parse_args()
    started = time.process_time()
    if options.drill == "redis":
        result = drill_redis(options.jobs, options.outage)
    else:
        result = drill_postgres(options.seconds, options.threads)
    result["drill CPU s (this process)"] = round(time.process_time() - started, 1)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
