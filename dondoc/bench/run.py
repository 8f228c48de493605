"""`dondoc bench run`: time the hot paths through the production server, and their floors.

The runner starts `dondoc serve --no-jobs` on a free loopback port with the same environment
(DATABASE_URL, DONDOC_DATA_DIR), signs in through the login form, creates an API token with the
API's own service, then times each path from the client (wall time of a full request and
response) over N requests with varied parameters. Floors run in this process through
`django.db.connection` with the same parameters.
"""

import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.utils import timezone

from dondoc.accounts.models import RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.api.services import token_create
from dondoc.api.stats import overview_figures
from dondoc.bench.floors import dashboard_floor, overview_floor, task_list_floor
from dondoc.bench.generate import BENCH_PASSWORD
from dondoc.core.text import search_key
from dondoc.dashboards.selectors import leader_figures
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Task
from dondoc.tracking.selectors import TaskFilters, status_counts, task_rows, tasks_matching
from dondoc.tracking.status import TaskStatus

Fetch = Callable[[str], int]
WORDS = ["ke hoach", "hoi nghi", "de an", "bao cao", "chuyen doi so", "tuyen truyen", "kiem tra"]


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds (nearest-rank), plus the count and the mean."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    return {
        "n": len(ordered),
        "p50_ms": round(rank(50) * 1000, 2),
        "p95_ms": round(rank(95) * 1000, 2),
        "p99_ms": round(rank(99) * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def time_requests(fetch: Fetch, paths: list[str]) -> dict[str, float]:
    """Fetch every path in turn; each must answer 200. Returns the percentiles."""
    samples = []
    for path in paths:
        start = time.perf_counter()
        status = fetch(path)
        samples.append(time.perf_counter() - start)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
    return percentiles(samples)


def time_calls(call: Callable[[Any], object], params: list[Any]) -> dict[str, float]:
    samples = []
    for p in params:
        start = time.perf_counter()
        call(p)
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def lead_codes() -> list[str]:
    """Codes of the agencies in operation that lead tasks."""
    agencies = Agency.objects.active().exclude(kind=AgencyKind.LEADERSHIP)
    return list(agencies.filter(tasks_led__isnull=False).values_list("code", flat=True).distinct())


def task_list_filters(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """N filter sets for the office task list: three of status, lead agency, strategic,
    priority and key task (a random three each time), plus a search word without diacritics."""
    rng = random.Random(seed)
    leads = lead_codes()
    draw: dict[str, Callable[[], Any]] = {
        "status": lambda: rng.choice(TaskStatus.values),
        "lead": lambda: rng.choice(leads),
        "strategic": lambda: rng.random() < 0.5,
        "priority": lambda: rng.choice([0, 1, 2]),
        "key": lambda: rng.random() < 0.5,
    }
    plans = []
    for _ in range(n):
        chosen = rng.sample(sorted(draw), 3)
        plans.append({**{name: draw[name]() for name in chosen}, "q": rng.choice(WORDS)})
    return plans


def task_list_url(filters: dict[str, Any]) -> str:
    yes_no = {True: "yes", False: "no"}
    query = {k: yes_no.get(v, v) if isinstance(v, bool) else v for k, v in filters.items()}
    return f"/tasks/?{urllib.parse.urlencode(query)}"


def past_days(n: int, seed: int = 7) -> list[dt.date]:
    rng = random.Random(seed)
    today = timezone.localdate()
    return [today - dt.timedelta(days=rng.randint(0, 365)) for _ in range(n)]


def plan_paths(n: int, seed: int = 7) -> dict[str, list[str]]:
    """N varied paths per hot path, drawn from the data in the database."""
    rng = random.Random(seed)
    leads = lead_codes()
    task_ids = list(Task.objects.values_list("id", flat=True)[:50_000])
    statuses = list(TaskStatus.values)

    def api_filters() -> dict[str, str]:
        return {
            "status": rng.choice(statuses),
            "lead": rng.choice(leads),
            "priority": str(rng.choice([0, 1, 2])),
            "limit": "50",
        }

    q = urllib.parse.urlencode
    return {
        "inbox": [f"/inbox/?page={rng.choice([1, 1, 1, 2])}" for _ in range(n)],
        "task_list": [task_list_url(f) for f in task_list_filters(n, seed)],
        "task_page": [f"/tasks/{rng.choice(task_ids)}/" for _ in range(n)],
        "dashboard": ["/dashboard/" for _ in range(n)],
        "api_overview": ["/api/v1/stats/overview" for _ in range(n)],
        "api_tasks": [f"/api/v1/tasks?{q(api_filters())}" for _ in range(n)],
    }


def plan_uncached(n: int, seed: int = 7) -> dict[str, list[str]]:
    """The figure paths with the figures cache off: what the first request after a change pays."""
    return {
        "dashboard_uncached": ["/dashboard/" for _ in range(n)],
        "api_overview_uncached": [f"/api/v1/stats/overview?as_of={d}" for d in past_days(n, seed)],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(**env: str) -> Iterator[tuple[str, int]]:
    """`dondoc serve --no-jobs` on a free loopback port (`env` added to ours); yields its URL
    and its pid."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "dondoc.cli", "serve", "--no-jobs", "--port", str(port)],
        env={**os.environ, "DONDOC_DEMO": os.environ.get("DONDOC_DEMO", "1"), **env},
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("dondoc serve exited") from None
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def server(**env: str) -> Iterator[str]:
    """`serving`, for callers that need only the URL."""
    with serving(**env) as (base, _pid):
        yield base


class Client:
    """A browser-like client: a cookie jar, the login form with its CSRF token."""

    def __init__(self, base: str, token: str = "") -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = token

    def get(self, path: str) -> int:
        request = urllib.request.Request(self.base + path)  # noqa: S310 - our loopback server
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with self.opener.open(request, timeout=120) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def sign_in(self, username: str, password: str) -> None:
        with self.opener.open(self.base + "/accounts/login/") as response:
            page = response.read().decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": match[1]}  # type: ignore[index]
        request = urllib.request.Request(  # noqa: S310 - our loopback server
            self.base + "/accounts/login/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + "/accounts/login/"},
        )
        with self.opener.open(request) as response:
            if "/accounts/login/" in response.geturl():
                raise RuntimeError(f"sign-in failed for {username}")


def actors() -> tuple[User, User]:
    office = User.objects.filter(roles__code=RoleCode.OFFICE).order_by("id").first()
    focal = (
        User.objects.filter(roles__code=RoleCode.FOCAL, agency__tasks_led__isnull=False)
        .order_by("id")
        .first()
    )
    if office is None or focal is None:
        raise RuntimeError("run `dondoc bench generate` first")
    return office, focal


def floors(n: int, seed: int = 7) -> dict[str, dict[str, float]]:
    """The floors, with the parameters the HTTP paths used (`n` of each); beside each, dondoc's
    own selectors for the same answer in this process (no HTTP, no cache), to compare the
    database work alone."""
    today = timezone.localdate()
    office, _focal = actors()
    clearance = office.clearance
    lists = task_list_filters(n, seed)
    days = past_days(n, seed)
    return {
        "selectors_task_list": time_calls(lambda f: task_list_selectors(office, f, today), lists),
        "floor_task_list": time_calls(
            lambda f: task_list_floor(today, {**f, "clearance": clearance}, search_key(f["q"])),
            lists,
        ),
        "selectors_dashboard": time_calls(lambda d: leader_figures(office, d), [today] * n),
        "floor_dashboard": time_calls(lambda d: dashboard_floor(d, clearance), [today] * n),
        "selectors_overview": time_calls(lambda d: overview_figures(office, d), days),
        "floor_overview": time_calls(lambda d: overview_floor(d, clearance), days),
    }


def task_list_selectors(user: User, plan: dict[str, Any], today: dt.date) -> object:
    """What the task list view asks the database: counts of the filtered tasks in any status,
    the total of the chosen status and its first page."""
    filters = TaskFilters(
        status=(plan["status"],) if "status" in plan else (), lead=plan.get("lead", ""),
        strategic=plan.get("strategic"), priority=plan.get("priority"), key=plan.get("key"),
        q=plan["q"],
    )  # fmt: skip
    visible = tasks_visible_to(user)
    counts = status_counts(tasks_matching(visible, replace(filters, status=()), today), today)
    chosen = task_rows(tasks_matching(visible, filters, today), today)
    return counts, chosen.count(), list(chosen[:50])


def bench_run(scale: str, requests: int, out: Path, heavy: int = 0) -> dict[str, Any]:
    """Time every hot path over `requests` requests, and the uncached figure paths and the
    floors over `heavy` (default: a tenth, at least 20)."""
    heavy = heavy or max(20, requests // 10)
    office, focal = actors()
    _token, raw = token_create(office, name="bench")
    results: dict[str, Any] = {}
    for env, paths in (({}, plan_paths(requests)), ({"FIGURES_CACHE": "0"}, plan_uncached(heavy))):
        with server(**env) as base:
            office_client, focal_client = Client(base), Client(base)
            office_client.sign_in(office.username, BENCH_PASSWORD)
            focal_client.sign_in(focal.username, BENCH_PASSWORD)
            api_client = Client(base, token=raw)
            for name, plan in paths.items():
                client = api_client if name.startswith("api_") else office_client
                client = focal_client if name == "inbox" else client
                client.get(plan[0])  # warm-up, not counted
                results[name] = time_requests(client.get, plan)
    results.update(floors(heavy))
    report = {
        "scale": scale,
        "requests": requests,
        "database": os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0],
        "at": timezone.now().isoformat(timespec="seconds"),
        "tasks": Task.objects.count(),
        "results": results,
    }
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{scale}-{report['database']}-{timezone.now():%Y%m%dT%H%M%S}.json"
    target.write_text(json.dumps(report, indent=2))
    return report


TARGET_P95_MS = {
    "inbox": 50, "task_list": 150, "task_page": 50, "dashboard": 300, "api_overview": 200,
    "api_tasks": 100,
}  # fmt: skip
FLOOR_OF = {
    "selectors_task_list": "floor_task_list",
    "selectors_dashboard": "floor_dashboard",
    "selectors_overview": "floor_overview",
    "task_list": "floor_task_list",
    "dashboard": "floor_dashboard",
    "dashboard_uncached": "floor_dashboard",
    "api_overview": "floor_overview",
    "api_overview_uncached": "floor_overview",
}


def markdown_table(report: dict[str, Any]) -> str:
    """The report as a Markdown table: percentiles, the target, and the ratio of p50 to the
    floor's p50 (the plain SQL for the same answer) measured in the same run."""
    results = report["results"]
    lines = [
        "| path | n | p50 ms | p95 ms | p99 ms | target p95 | p50 / floor p50 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        target = TARGET_P95_MS.get(name)
        verdict = "" if target is None else f"{target} {'✓' if r['p95_ms'] <= target else '✗'}"
        ratio = r.get("floor_ratio", _floor_ratio(results, name, FLOOR_OF.get(name, "")))
        ratio = "" if ratio is None else f"{ratio:.2f}"
        lines.append(
            f"| {name} | {r['n']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {verdict} "
            f"| {ratio} |"
        )
    return "\n".join(lines)


def _floor_ratio(results: dict[str, Any], name: str, floor: str) -> float | None:
    """A path's p50 over its floor's p50, both from the same run."""
    if name not in results or not results.get(floor, {}).get("p50_ms"):
        return None
    return float(results[name]["p50_ms"] / results[floor]["p50_ms"])


def summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs of one scale and database as one report: the median of each percentile, and
    of each path's ratio to its floor within a run (the floor runs beside it, same parameters)."""
    names = list(reports[0]["results"])
    results: dict[str, dict[str, Any]] = {
        name: {
            key: round(statistics.median(r["results"][name][key] for r in reports), 2)
            for key in ("p50_ms", "p95_ms", "p99_ms", "mean_ms")
        }
        | {"n": min(r["results"][name]["n"] for r in reports)}
        for name in names
        if all(name in r["results"] for r in reports)
    }
    for name, floor in FLOOR_OF.items():
        ratios = [_floor_ratio(r["results"], name, floor) for r in reports]
        if name in results and all(ratio is not None for ratio in ratios):
            results[name]["floor_ratio"] = statistics.median(r for r in ratios if r is not None)
    return {**reports[0], "runs": len(reports), "results": results}


SCALES = ("tiny", "small", "medium", "national")


def _by_database(
    groups: dict[tuple[str, str], list[dict[str, Any]]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """The merged report of each scale, per database, smallest scale first."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for scale in SCALES:
        for (name, database), reports in groups.items():
            if name == scale:
                found.setdefault(database, {})[scale] = summary(reports)
    return found


def growth_markdown(database: str, merged_by_scale: dict[str, dict[str, Any]]) -> str:
    """p50 / p95 of every path at each scale, side by side."""
    scales = list(merged_by_scale)
    paths = [p for p in merged_by_scale[scales[-1]]["results"] if p in TARGET_P95_MS]
    paths += [p for p in merged_by_scale[scales[-1]]["results"] if p.endswith("_uncached")]
    lines = [
        f"### Growth on {database}: p50 / p95 ms, {' → '.join(scales)}\n",
        "| path | " + " | ".join(scales) + " |",
        "|---|" + "---:|" * len(scales),
    ]
    for path in paths:
        cells = []
        for scale in scales:
            r = merged_by_scale[scale]["results"].get(path)
            cells.append(f"{r['p50_ms']:g} / {r['p95_ms']:g}" if r else "")
        lines.append(f"| {path} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def results_markdown(files: list[Path]) -> str:
    """One table per scale and database, medians over the request runs found in `files`; then
    one table per run of the whole jobs (`bench jobs` reports, kept apart)."""
    from .jobs import jobs_markdown_table  # the jobs module loads the review's renderers

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    jobs = []
    for path in sorted(files):
        report = json.loads(path.read_text())
        if isinstance(report.get("summary"), list):
            jobs.append(report)
            continue
        groups.setdefault((report["scale"], report["database"]), []).append(report)
    order = {scale: n for n, scale in enumerate(SCALES)}
    parts = []
    for (scale, database), reports in sorted(groups.items(), key=lambda g: order[g[0][0]]):
        merged = summary(reports)
        parts.append(
            f"### {scale} on {database} ({merged['tasks']:,} tasks; median of "
            f"{len(reports)} run{'s' * (len(reports) > 1)})\n\n{markdown_table(merged)}\n"
        )
    parts += [growth_markdown(database, merged_by_scale) for database, merged_by_scale in
              _by_database(groups).items() if len(merged_by_scale) > 1]  # fmt: skip
    for report in jobs:
        parts.append(
            f"### whole jobs, {report['scale']} on {report['database']} "
            f"({report['tasks']:,} tasks; {report['at'][:16]})\n\n{jobs_markdown_table(report)}\n"
        )
    return "\n".join(parts)
