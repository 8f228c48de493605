"""`dondoc bench jobs`: whole jobs, timed as the operator sees them (issue #5).

- review: the monthly review over all tasks for the last full month — `review_figures` alone
  (median of 5), then `review_render` to DOCX + PDF + XLSX; the figures' floor is plain SQL for
  the same answer (`review_floor`), timed in the same run with the same day, and checked to agree.
- sweep: `reminder_sweep` in a child process, twice: the first sweep (the urging tables are
  emptied first, so it creates every schedule) and the next day's, steady-state sweep.
  **It writes**: schedules, notifications and outbox e-mails stay in the database.
- import: a 100,000-row workbook in the offices' layout (`import_workbooks`) through
  `tracking.xlsx.import_tasks` in a child process, **inside a transaction rolled back** after the
  import returns (so the commit itself is not timed); then a workbook with one bad row near the
  end, which must be refused with nothing written.
- throughput: `wrk` (a second process) with 64 connections against `dondoc serve --no-jobs`,
  signed in as a focal point, on the agency inbox; every status outside 2xx counts as an error
  (a lost session answers 302), counted exactly by a Lua script.

On PostgreSQL the database is vacuumed and analyzed before each job and after the last (`vacuum`).

Peak memory is the child's own peak resident set, Django's start-up included: `VmHWM` from its
/proc/self/status, read as the job returns. Not `ru_maxrss` (`os.wait4`, RUSAGE_CHILDREN): Linux
carries the parent's high-water mark into a child across fork/vfork + exec, so a child started
by a parent of 220 MB reported 220 MB for a job that peaked at 167 MB. `MB` means 10^6 bytes.
"""

import datetime as dt
import http.client
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.bench.generate import BENCH_PASSWORD
from dondoc.bench.outbox import bench_outbox
from dondoc.bench.run import Client, actors, server
from dondoc.core.text import search_key
from dondoc.demo.load import TASK_TEMPLATES
from dondoc.reviews.charts import review_charts
from dondoc.reviews.content import review_content
from dondoc.reviews.figures import review_figures
from dondoc.reviews.models import FORMATS
from dondoc.reviews.periods import Period, Scope, period_parse
from dondoc.reviews.services import review_render, review_render_one
from dondoc.tracking.access import documents_visible_to
from dondoc.tracking.models import Task
from dondoc.tracking.status import TaskStatus
from dondoc.tracking.xlsx import COLUMNS
from dondoc.urging.models import EmailOutbox, Notification, ReminderSchedule

Out = Callable[[str], None]
JOBS = ("review", "sweep", "import", "throughput", "outbox")
IMPORT_ROWS = 100_000
INBOX = "/inbox/"


def _quiet(_line: str) -> None:
    pass


def _seconds(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _timed(call: Callable[[], Any], repeat: int) -> tuple[Any, dict[str, float]]:
    samples, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = call()
        samples.append(time.perf_counter() - start)
    stats = {"median_s": statistics.median(samples), "min_s": min(samples), "max_s": max(samples)}
    return answer, {k: round(v, 4) for k, v in stats.items()}


# =============================================================================================
# Monthly review


def last_full_month(today: dt.date) -> Period:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return period_parse(f"{end:%Y-%m}")


# A task as it stood on %(day)s: its lead then (before any later transfer) and its deadline then
# (the latest extension approved by then, else the original), as `reviews.figures` defines them.
# Computed once per task in a MATERIALIZED CTE, joined through window functions. Measured at
# `small` (10,000 tasks), best of 3, status groups: SQLite 32 ms, PostgreSQL 28 ms. Without the
# CTE, SQLite re-evaluates correlated subqueries once per use in the CASE (56-134 ms) and, once
# `ANALYZE` has run, scans the window join once per task (362 ms); PostgreSQL runs correlated
# subqueries per row (305 ms).
TASKS_AS_OF = """
  SELECT t.id, t.title, t.document_id, t.is_key, t.classification, t.deadline_kind, t.due_on,
         t.reported_done_on, t.accepted_on, t.cancelled_on,
         COALESCE(lt.from_agency_id, t.lead_agency_id) AS lead,
         COALESCE(ex.requested_due_on, t.due_on) AS deadline
  FROM tracking_task t
  LEFT JOIN (SELECT task_id, requested_due_on,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY decided_on DESC, id DESC) AS n
             FROM tracking_extension WHERE decision = 'approved' AND decided_on <= %(day)s) ex
         ON ex.task_id = t.id AND ex.n = 1
  LEFT JOIN (SELECT task_id, from_agency_id,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY transferred_on, id) AS n
             FROM tracking_leadtransfer WHERE transferred_on > %(day)s) lt
         ON lt.task_id = t.id AND lt.n = 1
  WHERE t.created_on <= %(day)s"""

STATUS_AS_OF = """
CASE
  WHEN x.cancelled_on <= %(day)s THEN 'cancelled'
  WHEN x.accepted_on <= %(day)s AND x.reported_done_on IS NOT NULL
       AND x.reported_done_on > x.deadline THEN 'done_late'
  WHEN x.accepted_on <= %(day)s AND x.reported_done_on IS NOT NULL THEN 'done_on_time'
  WHEN x.reported_done_on <= %(day)s THEN 'awaiting_acceptance'
  WHEN x.deadline_kind = 'ongoing' OR x.due_on IS NULL THEN 'ongoing'
  WHEN x.deadline < %(day)s THEN 'overdue'
  WHEN x.deadline <= %(soon)s THEN 'due_soon'
  ELSE 'open_on_time'
END"""

LEAD_AS_OF = """COALESCE((SELECT lt.from_agency_id FROM tracking_leadtransfer lt
  WHERE lt.task_id = t.id AND lt.transferred_on > %(day)s
  ORDER BY lt.transferred_on, lt.id LIMIT 1), t.lead_agency_id)"""

FLOOR_SQL = {
    # (document, lead then, key, status then) -> how many, highest classification; with names
    "groups": f"""
        WITH x AS MATERIALIZED ({TASKS_AS_OF})
        SELECT x.document_id, x.lead, x.is_key, {STATUS_AS_OF} AS status,
               COUNT(*) AS n, MAX(x.classification) AS top
        FROM x GROUP BY 1, 2, 3, 4""",  # noqa: S608 - constant SQL
    # the names the tables print: two small lookups, cheaper than a join per group
    "agencies": "SELECT id, code, name, short_name FROM agencies_agency",
    "documents": "SELECT id, symbol, title, doc_type, issued_on FROM tracking_document",
    "overdue": f"""
        WITH x AS MATERIALIZED ({TASKS_AS_OF})
        SELECT x.id, x.title, x.is_key, d.symbol, x.lead, a.name, x.deadline
        FROM x
        JOIN agencies_agency a ON a.id = x.lead
        LEFT JOIN tracking_document d ON d.id = x.document_id
        WHERE {STATUS_AS_OF} = 'overdue' ORDER BY x.deadline, x.id""",  # noqa: S608
    "obstacles": f"""
        SELECT o.id, o.task_id, t.title, o.raised_on, o.text, o.proposal, o.level, a.name
        FROM tracking_obstacle o JOIN tracking_task t ON t.id = o.task_id
        JOIN agencies_agency a ON a.id = {LEAD_AS_OF}
        WHERE t.created_on <= %(day)s AND o.raised_on <= %(day)s
          AND (o.answered_on IS NULL OR o.answered_on > %(day)s)
        ORDER BY o.raised_on, o.id""",  # noqa: S608
    "extensions": f"""
        SELECT e.task_id, t.title, e.previous_due_on, e.requested_due_on, e.decided_on, e.reason,
               a.name
        FROM tracking_extension e JOIN tracking_task t ON t.id = e.task_id
        JOIN agencies_agency a ON a.id = {LEAD_AS_OF}
        WHERE t.created_on <= %(day)s AND e.decision = 'approved'
          AND e.decided_on >= %(start)s AND e.decided_on <= %(day)s
        ORDER BY e.decided_on, e.id""",  # noqa: S608
}


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def review_floor(period: Period, today: dt.date) -> dict[str, list[tuple[Any, ...]]]:
    """The review's figures for all tasks in plain SQL: status groups as of the period's last day
    and the previous period's, the names of agencies and documents, the overdue list, obstacles
    waiting, extensions granted. Left out: the forecast section (no predictions in bench data)."""
    soon = dt.timedelta(days=int(settings.DUE_SOON_DAYS))
    day = min(period.end, today)
    before = min(period.previous().end, today)
    now = {"day": day, "soon": day + soon, "start": period.start}
    return {
        "groups": _fetch(FLOOR_SQL["groups"], now),
        "agencies": _fetch(FLOOR_SQL["agencies"], {}),
        "documents": _fetch(FLOOR_SQL["documents"], {}),
        "previous_groups": _fetch(FLOOR_SQL["groups"], {"day": before, "soon": before + soon}),
        "overdue": _fetch(FLOOR_SQL["overdue"], now),
        "obstacles": _fetch(FLOOR_SQL["obstacles"], now),
        "extensions": _fetch(FLOOR_SQL["extensions"], now),
    }


def floor_totals(groups: list[tuple[Any, ...]]) -> dict[str, int]:
    """Tasks per status, and key tasks overdue, from the floor's groups."""
    totals: Counter[str] = Counter()
    for _document, _lead, is_key, status, n, *_rest in groups:
        totals[status] += n
        if is_key and status == TaskStatus.OVERDUE:
            totals["key_overdue"] += n
    return {key: totals[key] for key in [*TaskStatus.values, "key_overdue"]}


def floor_agrees(figures: dict[str, Any], floor: dict[str, list[tuple[Any, ...]]]) -> bool:
    """The floor gives the figures' headline counts and the same lists."""

    def counts(totals: dict[str, Any]) -> dict[str, int]:
        return {key: totals[key] for key in [*TaskStatus.values, "key_overdue"]}

    return (
        counts(figures["totals"]) == floor_totals(floor["groups"])
        and counts(figures["previous_totals"]) == floor_totals(floor["previous_groups"])
        and [r["task_id"] for r in figures["overdue"]] == [r[0] for r in floor["overdue"]]
        and [r["obstacle_id"] for r in figures["obstacles"]] == [r[0] for r in floor["obstacles"]]
        and [r["task_id"] for r in figures["extensions"]] == [r[0] for r in floor["extensions"]]
    )


def bench_review(
    today: dt.date | None = None, repeat: int = 5, out: Out = _quiet
) -> dict[str, Any]:
    """`review_figures` for the last full month over all tasks (median of `repeat`), its floor,
    and `review_render` of all three formats from those figures."""
    today = today or timezone.localdate()
    period = last_full_month(today)
    now = timezone.now()
    out(f"review {period.code}: figures, {repeat} times")
    figures, timing = _timed(lambda: review_figures(period, Scope("all"), now=now), repeat)
    floor, floor_timing = _timed(lambda: review_floor(period, today), repeat)
    out("review: rendering DOCX, PDF, XLSX")
    start = time.perf_counter()
    files = review_render(figures, FORMATS)
    render_s = _seconds(start)
    return {
        "period": period.code,
        "tasks_counted": figures["totals"]["assigned"],
        "figures": timing,
        "floor": floor_timing,
        "ratio": round(timing["median_s"] / max(floor_timing["median_s"], 1e-6), 1),
        "floor_agrees": floor_agrees(figures, floor),
        "render_s": render_s,
        "render_steps_s": _render_steps(figures),
        "total_s": round(timing["median_s"] + render_s, 3),
        "bytes": {fmt: len(data) for fmt, data in files.items()},
    }


def _render_steps(figures: dict[str, Any]) -> dict[str, float]:
    """Where the rendering goes, step by step (a second rendering, as `dondoc review` times it)."""
    steps: dict[str, float] = {}
    start = time.perf_counter()
    content = review_content(figures)
    images = review_charts(figures)
    steps["content_and_charts"] = _seconds(start)
    for fmt in FORMATS:
        start = time.perf_counter()
        review_render_one(fmt, content, images)
        steps[fmt] = _seconds(start)
    return steps


# =============================================================================================
# Child processes: a job in a fresh interpreter, with its own peak memory

# The child imports only what its job needs (not this module, which loads the review's
# renderers), so that its peak memory is the job's own plus Django's.
CHILD = """
import datetime as dt, json, re, sys, time
from pathlib import Path
import django

django.setup()
from django.db import transaction
from django.utils import timezone

job, *args = sys.argv[1:]
if job == "sweep":
    from dondoc.urging.services import reminder_sweep
else:
    from dondoc.accounts.models import User
    from dondoc.audit.models import AuditEntry
    from dondoc.tracking.models import Coordination, Task
    from dondoc.tracking.xlsx import import_tasks

    def written():
        return [Task.objects.count(), Coordination.objects.count(), AuditEntry.objects.count()]


def memory_mb(field):
    status = Path("/proc/self/status").read_text()
    return round(int(re.search(field + r":\\s+(\\d+) kB", status)[1]) * 1024 / 1e6, 1)


rss_before = memory_mb("VmRSS")
if job == "sweep":
    start = time.perf_counter()
    result = reminder_sweep(dt.date.fromisoformat(args[0]))
    answer = {**vars(result), "day": args[0], "seconds": time.perf_counter() - start}
else:
    actor = User.objects.get(username=args[1])
    with transaction.atomic():  # rolled back once the import has returned
        # the import's write is a durable transaction; let it nest here, as Django's tests do
        transaction.get_connection().atomic_blocks[-1]._from_testcase = True
        before = written()
        start = time.perf_counter()
        result = import_tasks(Path(args[0]), actor, today=timezone.localdate())
        seconds = time.perf_counter() - start
        during = written()
        transaction.set_rollback(True)
    answer = {
        "created": result.created,
        "errors": len(result.errors),
        "first_error": result.errors[0].message if result.errors else "",
        "written": [b - a for a, b in zip(before, during)],
        "rolled_back": written() == before,
        "seconds": seconds,
    }
answer.update(
    seconds=round(answer["seconds"], 3), rss_before_mb=rss_before, peak_mb=memory_mb("VmHWM")
)
print(json.dumps(answer, default=str))
"""


def run_child(*args: str) -> dict[str, Any]:
    """Run `CHILD` in a new interpreter: ("sweep", day) or ("import", path, username). Returns
    its JSON answer (`seconds`: the job itself; `peak_mb`: its peak resident set, VmHWM) with
    `wall_s` (the whole process, Django's start-up included)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dondoc.settings"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, stderr=errors, env=env
        )
        output, _none = process.communicate()
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"child {args} failed ({process.returncode}):\n{tail}")
    answer: dict[str, Any] = json.loads(output.decode().strip().splitlines()[-1])
    answer["wall_s"] = _seconds(start)
    return answer


# =============================================================================================
# Reminder sweep


def urging_reset() -> dict[str, int]:
    """Empty the outbox, the notifications and the schedules, so the next sweep is a first one.
    For a benchmark database only."""
    return {
        "outbox": EmailOutbox.objects.all().delete()[0],
        "notifications": Notification.objects.all().delete()[0],
        "schedules": ReminderSchedule.objects.all().delete()[0],
    }


def bench_sweep(today: dt.date | None = None, out: Out = _quiet) -> dict[str, Any]:
    today = today or timezone.localdate()
    reset = urging_reset()
    out(f"sweep {today}: first (reset {reset}), then {today + dt.timedelta(days=1)}")
    first = run_child("sweep", today.isoformat())
    steady = run_child("sweep", (today + dt.timedelta(days=1)).isoformat())
    return {"reset": reset, "first": first, "steady": steady}


# =============================================================================================
# XLSX import

PRODUCTS = ["Kế hoạch được ban hành", "Báo cáo kết quả", "Đề án trình Bộ Chính trị", ""]
SUBJECTS = ["chuyển đổi số", "công tác cán bộ", "hội nhập quốc tế", "giáo dục và đào tạo"]
BAD_LEAD = "Ban Không Có Thật"
LEAD_COLUMN = next(c for c in COLUMNS if c.name == "lead")


def _unique_names(agencies: list[Agency]) -> dict[int, str]:
    """The active agencies whose full name the importer finds without ambiguity."""
    keys: Counter[str] = Counter()
    for a in agencies:
        keys.update({search_key(a.code), search_key(a.short_name), search_key(a.name)} - {""})
    return {a.pk: a.name for a in agencies if keys[search_key(a.name)] == 1}


def _deadline(rng: random.Random, issued: dt.date) -> Any:
    due = issued + dt.timedelta(days=rng.randint(30, 720))
    form = rng.choices(["date", "text", "month", "quarter", "ongoing"], [40, 15, 20, 15, 10])[0]
    if form == "date":
        return due
    if form == "text":
        return f"{due:%d/%m/%Y}"
    if form == "month":
        return f"tháng {due.month}/{due.year}"
    if form == "quarter":
        return f"quý {('I', 'II', 'III', 'IV')[(due.month - 1) // 3]}/{due.year}"
    return "Thường xuyên"


def _workbook_rows(rows: int, actor: Any, seed: int) -> Iterator[list[Any]]:
    """`rows` task rows drawn from the agencies and the documents `actor` may see: a document
    symbol, a clause, a content, a lead and 0-3 coordinators (full name where it is unambiguous,
    else the code), a deadline in one of the accepted forms after the document's date."""
    rng = random.Random(seed)
    agencies = list(Agency.objects.active().exclude(kind=AgencyKind.LEADERSHIP).order_by("code"))
    names = _unique_names(list(Agency.objects.active()))
    documents = list(documents_visible_to(actor).values_list("symbol", "issued_on"))
    symbols = Counter(symbol for symbol, _issued in documents)
    documents = [(s, issued) for s, issued in documents if symbols[s] == 1]
    for n in range(1, rows + 1):
        symbol, issued = rng.choice(documents)
        lead, *others = rng.sample(agencies, 1 + rng.randint(0, 3))
        template, product, _window = rng.choice(TASK_TEMPLATES)
        content = template.format(doc=symbol, subject=rng.choice(SUBJECTS))
        yield [
            symbol,
            f"Mục {rng.randint(1, 6)}.{rng.randint(1, 9)}",
            f"{content} (đợt {n})",
            names.get(lead.pk, lead.code),
            "; ".join(names.get(a.pk, a.code) for a in others),
            _deadline(rng, issued),
            rng.choice([product, *PRODUCTS]),
            "",
            "x" if rng.random() < 0.1 else "",
        ]


def import_workbooks(
    rows: int, actor: Any, *, broken_row: int, seed: int = 5
) -> tuple[bytes, bytes]:
    """Two workbooks in the offices' layout (header on row 1, tasks from row 2), with the same
    `rows` rows, except that in the second, data row `broken_row` (1-based) names a lead agency
    that does not exist: the importer must take the first whole and refuse the second."""
    books = [Workbook(write_only=True), Workbook(write_only=True)]
    sheets = [book.create_sheet("Nhiệm vụ") for book in books]
    for sheet in sheets:
        sheet.append([column.title for column in COLUMNS])
    for n, row in enumerate(_workbook_rows(rows, actor, seed), 1):
        sheets[0].append(row)
        if n == broken_row:
            row[COLUMNS.index(LEAD_COLUMN)] = BAD_LEAD
        sheets[1].append(row)
    files = []
    for book in books:
        buffer = io.BytesIO()
        book.save(buffer)
        files.append(buffer.getvalue())
    return files[0], files[1]


def bench_import(rows: int = IMPORT_ROWS, out: Out = _quiet) -> dict[str, Any]:
    office, _focal = actors()
    with tempfile.TemporaryDirectory() as folder:
        good, broken = Path(folder, "good.xlsx"), Path(folder, "broken.xlsx")
        start = time.perf_counter()
        valid_data, broken_data = import_workbooks(rows, office, broken_row=rows - 10)
        good.write_bytes(valid_data)
        broken.write_bytes(broken_data)
        out(f"import: two workbooks of {rows:,} rows built in {_seconds(start)} s")
        valid = run_child("import", str(good), office.username)
        out("import: the broken workbook")
        refused = run_child("import", str(broken), office.username)
        size = good.stat().st_size
    return {"rows": rows, "file_bytes": size, "valid": valid, "broken": refused}


# =============================================================================================
# Inbox throughput

STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d %d\\n", status, n)) end
end
"""
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str, unit: str) -> float:
    return round(float(value) * _UNITS_MS[unit], 2)


_SUMMARY = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m),")
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_SOCKETS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_PERCENTILE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_STATUS_LINE = re.compile(r"^status (\d+) (\d+)$", re.MULTILINE)
_WRK_BAD = re.compile(r"Non-2xx or 3xx responses: (\d+)")
SOCKET_ERRORS = ("connect", "read", "write", "timeout")


def parse_wrk(text: str) -> dict[str, Any]:
    """wrk's summary (run with --latency and `STATUS_SCRIPT`): requests/s, latency percentiles
    in ms, socket errors and the count of each status. `errors` counts every socket error and
    every response outside 2xx; wrk's own "Non-2xx or 3xx" count misses redirects, so it is
    used only when the status lines are missing (`statuses_counted` false)."""
    found, rate = _SUMMARY.search(text), _RATE.search(text)
    if not found or not rate:
        raise ValueError("not a wrk summary")
    sockets = _SOCKETS.search(text)
    counts = [int(n) for n in sockets.groups()] if sockets else [0] * len(SOCKET_ERRORS)
    socket_errors = dict(zip(SOCKET_ERRORS, counts, strict=True))
    statuses = {int(status): int(n) for status, n in _STATUS_LINE.findall(text)}
    wrk_bad = int(match[1]) if (match := _WRK_BAD.search(text)) else 0
    not_2xx = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    return {
        "requests": int(found[1]),
        "duration_s": round(_ms(found[2], found[3]) / 1000, 3),
        "requests_per_s": float(rate[1]),
        "latency": {f"p{p}_ms": _ms(value, unit) for p, value, unit in _PERCENTILE.findall(text)},
        "socket_errors": socket_errors,
        "statuses": statuses,
        "statuses_counted": bool(statuses),
        "wrk_non_2xx_3xx": wrk_bad,
        "errors": sum(counts) + (not_2xx if statuses else wrk_bad),
    }


def _status(base: str, path: str, cookie: str) -> int:
    """One GET with the cookie, redirects not followed."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        return conn.getresponse().status
    finally:
        conn.close()


def wrk_command(url: str, cookie: str, script: Path, seconds: int, connections: int) -> list[str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    return [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
            "-H", f"Cookie: {cookie}", url]  # fmt: skip


def bench_throughput(seconds: int = 20, connections: int = 64, out: Out = _quiet) -> dict[str, Any]:
    _office, focal = actors()
    with tempfile.TemporaryDirectory() as folder, server() as base:
        client = Client(base)
        client.sign_in(focal.username, BENCH_PASSWORD)
        cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
        signed_in = _status(base, INBOX, cookie)
        if signed_in != 200:
            raise RuntimeError(f"GET {INBOX} with the session cookie answered {signed_in}")
        script = Path(folder, "statuses.lua")
        script.write_text(STATUS_SCRIPT)
        out(f"throughput: wrk warm-up 3 s, then {seconds} s with {connections} connections")
        warm = wrk_command(base + INBOX, cookie, script, 3, connections)
        subprocess.run(warm, capture_output=True, check=True, timeout=60)  # noqa: S603
        command = wrk_command(base + INBOX, cookie, script, seconds, connections)
        done = subprocess.run(  # noqa: S603 - wrk, found on PATH, fixed arguments
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        )
        after = _status(base, INBOX, cookie)
    return {
        "user": focal.username,
        "path": INBOX,
        "connections": connections,
        **parse_wrk(done.stdout),
        "still_signed_in": after == 200,
        "wrk_output": done.stdout,
    }


# =============================================================================================
# The whole run


def vacuum(out: Out = _quiet) -> None:
    """On PostgreSQL, `VACUUM (ANALYZE)` the database: the rolled-back import leaves 100,000
    dead task rows (and their links), the sweep's reset dead notifications, and a cluster with
    autovacuum off (as here) never clears them. Measured: the review's figures took 2.7 s
    instead of 0.4 s after two rolled-back imports."""
    if connection.vendor != "postgresql":
        return
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    out(f"VACUUM (ANALYZE) in {_seconds(start)} s")


RUNNERS: dict[str, Callable[[Out], dict[str, Any]]] = {
    "review": lambda out: bench_review(out=out),
    "sweep": lambda out: bench_sweep(out=out),
    "import": lambda out: bench_import(out=out),
    "throughput": lambda out: bench_throughput(out=out),
    "outbox": lambda out: bench_outbox(),
}


def bench_jobs(
    scale: str, out_dir: Path, only: list[str] | None = None, out: Out = _quiet
) -> dict[str, Any]:
    """Run the whole jobs (all, or `only` those), write `<scale>-<db>-jobs-<time>.json` under
    `out_dir` and return the report."""
    unknown = set(only or []) - set(JOBS)
    if unknown:
        raise ValueError(f"unknown jobs: {sorted(unknown)}; choose among {', '.join(JOBS)}")
    results = {}
    for name in JOBS:
        if not only or name in only:
            vacuum(out)
            results[name] = RUNNERS[name](out)
    vacuum(out)
    report: dict[str, Any] = {
        "scale": scale,
        "database": os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0],
        "at": timezone.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "tasks": Task.objects.count(),
        "results": results,
    }
    report["summary"] = summary(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{scale}-{report['database']}-jobs-{timezone.now():%Y%m%dT%H%M%S}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return report


Row = tuple[str, str, Any, str, bool | None]  # job, measure, value, target, met (None: no target)


def _review_rows(r: dict[str, Any]) -> list[Row]:
    figures = r["figures"]["median_s"]
    return [
        ("review", f"figures {r['period']}, all tasks, median of 5 (s)", figures, "≤ 5", figures <= 5),
        ("review", "floor: plain SQL, median of 5 (s)", r["floor"]["median_s"], "same answer",
         r["floor_agrees"]),
        ("review", "figures / floor", f"{r['ratio']} times", "", None),
        ("review", "render DOCX + PDF + XLSX (s)", r["render_s"], "", None),
        ("review", "figures + render (s)", r["total_s"], "≤ 60", r["total_s"] <= 60),
    ]  # fmt: skip


def _sweep_rows(r: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for name, label in (("first", "first sweep"), ("steady", "next day's sweep")):
        s = r[name]
        what = f"{label} {s['day']}: {s['refreshed']} schedules, {s['notifications']} notifications"
        rows.append(("sweep", f"{what} (s)", s["seconds"], "≤ 30", s["seconds"] <= 30))
        rows.append(
            ("sweep", f"{label}: peak RSS (MB)", s["peak_mb"], "≤ 500", s["peak_mb"] <= 500)
        )
    return rows


def _import_rows(r: dict[str, Any]) -> list[Row]:
    valid, broken = r["valid"], r["broken"]
    ok = valid["created"] == r["rows"] and valid["rolled_back"]
    refused = broken["created"] == 0 and broken["errors"] == 1 and broken["written"] == [0, 0, 0]
    return [
        ("import", f"{r['rows']:,} rows, rolled back (s)", valid["seconds"], "≤ 120",
         ok and valid["seconds"] <= 120),
        ("import", "peak RSS (MB)", valid["peak_mb"], "≤ 1000", valid["peak_mb"] <= 1000),
        ("import", "one bad row near the end: refused (s)", broken["seconds"], "nothing written",
         refused),
        ("import", "broken: peak RSS (MB)", broken["peak_mb"], "", None),
    ]  # fmt: skip


def _throughput_rows(r: dict[str, Any]) -> list[Row]:
    rate, errors = r["requests_per_s"], r["errors"]
    latency = r["latency"]
    return [
        ("throughput", f"inbox, {r['connections']} connections (requests/s)", rate, "≥ 200",
         rate >= 200 and errors == 0 and r["statuses_counted"]),
        ("throughput", "errors: non-2xx + socket", errors, "0", errors == 0),
        ("throughput", "latency p50 / p99 (ms)", f"{latency.get('p50_ms')} / {latency.get('p99_ms')}",
         "", None),
    ]  # fmt: skip


def _outbox_rows(r: dict[str, Any]) -> list[Row]:
    return [
        ("outbox", f"{r['messages']:,} e-mails to SMTP on loopback, median (messages/s)",
         r["median_per_s"], "", None),
        ("outbox", "CPU per message (ms)", r["median_cpu_ms_per_message"], "", None),
        ("outbox", "each message received exactly once", r["exactly_once"], "yes",
         r["exactly_once"]),
    ]  # fmt: skip


def summary(results: dict[str, Any]) -> list[Row]:
    makers = {"review": _review_rows, "sweep": _sweep_rows, "import": _import_rows,
              "throughput": _throughput_rows, "outbox": _outbox_rows}  # fmt: skip
    return [row for name in JOBS if name in results for row in makers[name](results[name])]


def jobs_markdown_table(report: dict[str, Any]) -> str:
    lines = ["| job | measure | value | target | met |", "|---|---|---:|---|---|"]
    for job, measure, value, target, met in report["summary"]:
        mark = "" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {job} | {measure} | {value} | {target} | {mark} |")
    return "\n".join(lines)
