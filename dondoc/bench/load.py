"""`dondoc bench load`: a mixed workload, as offices use dondoc, against `dondoc serve`.

The production server (`dondoc serve --no-jobs`, gunicorn) runs in its own processes; this
process signs the actors in through the login form, then drives `--connections` concurrent
virtual users from one asyncio loop for `--seconds` (one request at a time each, a new loopback
connection per request, `Connection: close`), each request drawn from the mix below:

| path | who | share |
|---|---|---:|
| `inbox` `GET /inbox/` | a focal point of a busy lead agency (one of `--focal`) | 30% |
| `report` `POST /inbox/<id>/report/` (htmx: the row comes back) | the same, on an open task it leads | 10% |
| `task_list` `GET /tasks/?…` (three filters and a word, as `bench run`) | the office | 15% |
| `task_list_broad` `GET /tasks/?q=<common word>` (no agency: 100,000+ matches at national) | the office | 5% |
| `task_page` `GET /tasks/<id>/` | the office | 10% |
| `dashboard` `GET /dashboard/` | the office | 10% |
| `api_tasks` `GET /api/v1/tasks?…` | an API token | 8% |
| `api_overview` `GET /api/v1/stats/overview` | an API token | 7% |
| `floor` `GET /accounts/profile/`: a trivial signed-in page, the stack's own ceiling | the office | 5% |

Writes are about 1 in 10, and each changes what the dashboard and the overview count, so the
figures are measured while data changes, not on a warm cache. Reported: throughput, p50/p95/p99
per path, errors (any status other than 200, or a socket error), the server's memory (resident
set of the gunicorn master and workers) every second, and the server's CPU seconds (user +
system of the same processes, from /proc) per request, overall and per path from a short
sequential pass before the mixed run. The database's own CPU is not counted (PostgreSQL runs
outside, shared with other databases).
"""

import asyncio
import datetime as dt
import json
import os
import random
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from dondoc.accounts.models import RoleCode, User
from dondoc.api.services import token_create
from dondoc.bench.generate import BENCH_PASSWORD
from dondoc.bench.run import WORDS, Client, percentiles, plan_paths, serving
from dondoc.tracking.models import Task

MIX = {"inbox": 30, "report": 10, "task_list": 15, "task_list_broad": 5, "task_page": 10,
       "dashboard": 10, "api_tasks": 8, "api_overview": 7, "floor": 5}  # fmt: skip
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# The server's processes ----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(_children(current))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of `pids` (and their waited-for children)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / TICKS


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except OSError:
            continue
    return round(total * PAGE / 2**20, 1)


# The actors ------------------------------------------------------------------------------------


@dataclass
class Actor:
    cookies: str
    csrf: str = ""
    tasks: list[int] = field(default_factory=list)  # open tasks it leads: where it reports


def _signed_in(base: str, username: str) -> Actor:
    client = Client(base)
    client.sign_in(username, BENCH_PASSWORD)
    cookies = {c.name: c.value or "" for c in client.jar}
    return Actor("; ".join(f"{k}={v}" for k, v in cookies.items()), cookies.get("csrftoken", ""))


def focal_points(n: int) -> list[tuple[User, list[int]]]:
    """`n` focal points of the agencies leading the most open tasks, each with those tasks."""
    open_tasks = Task.objects.filter(reported_done_on__isnull=True, accepted_on__isnull=True,
                                     cancelled_on__isnull=True)  # fmt: skip
    busiest = open_tasks.values("lead_agency_id").annotate(n=Count("pk")).order_by("-n")[: n * 3]
    chosen: list[tuple[User, list[int]]] = []
    for row in busiest:
        user = User.objects.filter(roles__code=RoleCode.FOCAL, agency_id=row["lead_agency_id"],
                                   is_active=True).order_by("id").first()  # fmt: skip
        if user is not None:
            ids = open_tasks.filter(lead_agency_id=row["lead_agency_id"]).values_list(
                "pk", flat=True
            )
            chosen.append((user, list(ids[:200])))
        if len(chosen) == n:
            break
    return chosen


# The client --------------------------------------------------------------------------------


async def http(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> int:
    """One request on a new loopback connection; the status (the body is read and dropped)."""
    parts = urllib.parse.urlsplit(base)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    return int(status_line.split()[1])


@dataclass
class Plan:
    base: str
    office: Actor
    focal: list[Actor]
    token: str
    paths: dict[str, list[str]]
    rng: random.Random

    def request(self, name: str) -> tuple[str, str, dict[str, str], bytes]:
        """(method, path, headers, body) for one request of the path `name`."""
        rng = self.rng
        office = {"Cookie": self.office.cookies}
        api = {"Authorization": f"Bearer {self.token}"}
        if name in ("inbox", "report"):
            actor = rng.choice(self.focal)
            if name == "inbox":
                return "GET", "/inbox/", {"Cookie": actor.cookies}, b""
            body = urllib.parse.urlencode({
                "percent": rng.randint(5, 95), "narrative": "Đã triển khai, đang tổng hợp kết quả.",
                "period": "", "csrfmiddlewaretoken": actor.csrf,
            }).encode()  # fmt: skip
            headers = {"Cookie": actor.cookies, "HX-Request": "true", "X-CSRFToken": actor.csrf,
                       "Content-Type": "application/x-www-form-urlencoded",
                       "Referer": self.base + "/inbox/", "Origin": self.base}  # fmt: skip
            return "POST", f"/inbox/{rng.choice(actor.tasks)}/report/", headers, body
        if name == "task_list_broad":
            return "GET", f"/tasks/?{urllib.parse.urlencode({'q': rng.choice(WORDS)})}", office, b""
        if name == "floor":
            return "GET", "/accounts/profile/", office, b""
        path = rng.choice(self.paths[name])
        return "GET", path, api if name.startswith("api_") else office, b""


async def _user(plan: Plan, until: float, samples: dict[str, list[float]],
                errors: dict[str, int]) -> None:  # fmt: skip
    names, weights = list(MIX), list(MIX.values())
    while time.perf_counter() < until:
        name = plan.rng.choices(names, weights)[0]
        method, path, headers, body = plan.request(name)
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(http(plan.base, method, path, headers, body), 30)
        except (OSError, TimeoutError, ValueError, IndexError):
            status = 0
        if status == 200:
            samples[name].append(time.perf_counter() - start)
        else:
            errors[f"{name} {status}"] += 1


async def _mixed(plan: Plan, connections: int, seconds: float, pids: list[int]) -> dict[str, Any]:
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    memory: list[float] = []
    started, cpu_before = time.perf_counter(), cpu_seconds(pids)
    until = started + seconds

    async def sample_memory() -> None:
        while time.perf_counter() < until:
            memory.append(rss_mb(pids))
            await asyncio.sleep(1)

    await asyncio.gather(sample_memory(),
                         *(_user(plan, until, samples, errors) for _ in range(connections)))  # fmt: skip
    wall = time.perf_counter() - started
    cpu = cpu_seconds(pids) - cpu_before
    done = sum(len(s) for s in samples.values())
    return {
        "connections": connections,
        "seconds": round(wall, 1),
        "requests": done,
        "requests_per_s": round(done / wall, 1),
        "errors": dict(errors),
        "server_cpu_s": round(cpu, 1),
        "server_cpu_ms_per_request": round(1000 * cpu / max(done, 1), 1),
        "paths": {name: percentiles(s) for name, s in sorted(samples.items())},
        "memory_mb": {
            "first": memory[0] if memory else None,
            "max": max(memory, default=None),
            "last": memory[-1] if memory else None,
            "every_s": memory,
        },
    }


async def _sequential(plan: Plan, n: int, pids: list[int]) -> dict[str, dict[str, float]]:
    """Each path alone, one request at a time: the server's CPU per request, path by path."""
    costs = {}
    for name in MIX:
        await _request_ok(plan, name)  # warm
        before, started = cpu_seconds(pids), time.perf_counter()
        for _ in range(n):
            await _request_ok(plan, name)
        costs[name] = {
            "cpu_ms": round(1000 * (cpu_seconds(pids) - before) / n, 1),
            "wall_ms": round(1000 * (time.perf_counter() - started) / n, 1),
        }
    return costs


async def _request_ok(plan: Plan, name: str) -> None:
    method, path, headers, body = plan.request(name)
    status = await http(plan.base, method, path, headers, body)
    if status != 200:
        raise RuntimeError(f"{method} {path} answered {status}")


def load_run(
    scale: str,
    *,
    server_path: str = "",
    seconds: float = 60,
    connections: int = 16,
    focal: int = 20,
    sequential: int = 30,
    out_dir: str = "bench/results",
    out: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Start the server, sign the actors in, run the sequential pass then the mixed one; save
    the JSON to `out_dir` and return it. `server_path`: serve another checkout's code (its
    folder first on the server's PYTHONPATH), to compare two versions on the same data."""
    office = User.objects.filter(roles__code=RoleCode.OFFICE, is_active=True).order_by("id").first()
    if office is None:
        raise RuntimeError("run `dondoc bench generate` first")
    token = token_create(office, name=f"bench-load-{time.time_ns()}")[1]
    load_before = os.getloadavg()  # what else the machine was doing
    focal_users = focal_points(focal)
    paths = plan_paths(200)
    env = {"PYTHONPATH": server_path} if server_path else {}
    with serving(**env) as (base, pid):
        plan = Plan(base, _signed_in(base, office.username), [], token, paths, random.Random(7))
        for user, tasks in focal_users:
            actor = _signed_in(base, user.username)
            actor.tasks = tasks
            plan.focal.append(actor)
        pids = process_tree(pid)
        out(f"server pids {pids}; {len(plan.focal)} focal points signed in")
        costs = asyncio.run(_sequential(plan, sequential, pids))
        out(json.dumps(costs, indent=1))
        result = asyncio.run(_mixed(plan, connections, seconds, pids))
    connection.close()  # idle through the run: PostgreSQL's idle_session_timeout may have ended it
    result = {
        "kind": "load",
        "scale": scale,
        "server_code": server_path or "this checkout",
        "database": connection.vendor,
        "tasks": Task.objects.count(),
        "at": timezone.now().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),  # the run's own load (server, database, clients)
        "sequential": costs,
        "mixed": result,
    }
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")  # noqa: DTZ005 - a file name
    (folder / f"load-{scale}-{connection.vendor}-{stamp}.json").write_text(
        json.dumps(result, indent=1)
    )
    return result


def load_table(result: dict[str, Any]) -> str:
    """The mixed run as a Markdown table, the floor's share beside each path."""
    mixed = result["mixed"]
    floor = mixed["paths"].get("floor", {}).get("p50_ms")
    lines = ["| path | n | p50 ms | p95 ms | p99 ms | server CPU ms / request (alone) | floor p50 / p50 |",
             "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, p in mixed["paths"].items():
        share = f"{floor / p['p50_ms']:.2f}" if floor and p["p50_ms"] else ""
        cpu = result["sequential"].get(name, {}).get("cpu_ms", "")
        lines.append(
            f"| {name} | {p['n']} | {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {cpu} | {share} |"
        )
    return "\n".join(lines)
