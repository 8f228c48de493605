"""`dondoc bench checkin`: a congress's entrances over real HTTP, against `dondoc serve`.

A congress of `--delegates` official delegates (verified, in 46 delegations) and one session
today is generated through the services; `--scanners` secretariat accounts sign in through the
login form, each one phone at an entrance. Every delegate's badge is then scanned twice (a
delegate shown in at one door and again at another, or a phone's queue replayed after a network
loss): the twice-`delegates` scans are shuffled into one shared queue that the scanners empty,
so a badge's two scans usually come from two entrances, sometimes at the same moment; each
scanner sends one at a time to the page's own endpoint
(`POST /congress/<id>/checkin/scan/`, session cookie and CSRF token as the phone sends them)
over the production server (`dondoc serve --no-jobs`: gunicorn, the same environment).

Reported: wall time, scans per second, p50/p95/p99 of a scan, the answers (`created` true,
`created` false, any other status), the server's CPU per scan; then checked, from the answers
and from the database: every delegate answered `created: true` exactly once and `false` for the
other scan, one check-in row and one audit entry per delegate, the last answer's count of
present delegates equal to the delegates. The run fails (exit 1) if any of these does not hold.
Use a scratch database (`DONDOC_DATA_DIR=/tmp/...` or a `DATABASE_URL`) after `dondoc migrate`.
"""

import asyncio
import datetime as dt
import json
import os
import random
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import Role, RoleCode, User
from dondoc.audit.models import AuditEntry
from dondoc.bench.generate import BENCH_PASSWORD
from dondoc.bench.load import _signed_in, cpu_seconds, process_tree
from dondoc.bench.run import percentiles, serving
from dondoc.congress import services
from dondoc.congress.badges import badge_token
from dondoc.congress.models import CheckIn, Congress, CongressSession, Credentials, Delegate
from dondoc.congress.services import DelegateData, ProfileData

DELEGATIONS = 46


@dataclass(frozen=True)
class Scan:
    delegate: int
    token: str


@dataclass(frozen=True)
class Answer:
    scanner: int
    delegate: int
    status: int
    created: bool | None
    present: int | None
    seconds: float


def generate(
    delegates: int, scanners: int, seed: int
) -> tuple[Congress, CongressSession, list[User]]:
    """A congress opening today with `delegates` verified official delegates, and `scanners`
    secretariat accounts (password `BENCH_PASSWORD`)."""
    stamp = time.strftime("%H%M%S")
    role = Role.objects.get_or_create(code=RoleCode.SECRETARIAT)[0]
    password = make_password(BENCH_PASSWORD)
    people = []
    for i in range(scanners):
        user = User.objects.create(
            username=f"bench.cua{stamp}.{i:02d}", full_name=f"Cửa {i + 1}", password=password
        )
        user.roles.set([role])
        people.append(user)
    today = timezone.localdate()
    secretary = people[0]
    congress = services.congress_create(
        secretary, f"Đại hội đo điểm danh {stamp}", "congress", today, today + dt.timedelta(days=4)
    )
    session = services.session_add(secretary, congress, today, 1, "Phiên khai mạc")
    rng = random.Random(seed)
    for block in range(DELEGATIONS):
        delegation = services.delegation_create(
            secretary, congress, f"D{block:02d}", f"Đảng bộ số {block + 1}", block + 1
        )
        count = delegates // DELEGATIONS + (block < delegates % DELEGATIONS)
        services.delegates_register(
            secretary, congress,
            [
                DelegateData(delegation, f"Nguyễn Văn {block}-{i:03d}", "elected", "official",
                             ProfileData(1960 + rng.randrange(30), rng.choice(["male", "female"]),
                                         "Kinh", "Thạc sĩ", "Ủy viên", 1990))
                for i in range(count)
            ],
        )  # fmt: skip
    Delegate.objects.filter(congress=congress).update(credentials=Credentials.VERIFIED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return congress, session, people


async def post_json(
    base: str, path: str, headers: dict[str, str], body: bytes
) -> tuple[int, bytes]:
    """One POST on a new loopback connection (`Connection: close`): status and body."""
    parts = urllib.parse.urlsplit(base)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
             "Content-Type: application/json", f"Content-Length: {len(body)}",
             *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _sep, payload = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), payload


def scan_order(scans: list[Scan], seed: int) -> list[Scan]:
    """Every scan twice, shuffled: the second scan of a delegate may come right after the first
    (two doors at once) or much later (a queue replayed)."""
    doubled = scans * 2
    random.Random(seed).shuffle(doubled)
    return doubled


async def _scanner(
    number: int, queue: "asyncio.Queue[Scan]", base: str, path: str, headers: dict[str, str],
    session: int, answers: list[Answer],
) -> None:  # fmt: skip
    while not queue.empty():
        scan = queue.get_nowait()
        body = json.dumps({"token": scan.token, "session": session}).encode()
        started = time.perf_counter()
        try:
            status, payload = await asyncio.wait_for(post_json(base, path, headers, body), 60)
        except (OSError, TimeoutError, ValueError, IndexError):
            status, payload = 0, b""
        seconds = time.perf_counter() - started
        data = json.loads(payload) if status == 200 else {}
        answers.append(
            Answer(number, scan.delegate, status, data.get("created"), data.get("present"), seconds)
        )


async def _scan_all(
    base: str, path: str, scanners: list[dict[str, str]], session: int, order: list[Scan]
) -> tuple[list[Answer], float]:
    queue: asyncio.Queue[Scan] = asyncio.Queue()
    for scan in order:
        queue.put_nowait(scan)
    answers: list[Answer] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(_scanner(i, queue, base, path, h, session, answers) for i, h in enumerate(scanners))
    )
    return answers, time.perf_counter() - started


def verify(congress: Congress, session: CongressSession, answers: list[Answer]) -> dict[str, Any]:
    """What a secretariat would check after the doors close: each delegate counted once."""
    created: Counter[int] = Counter()
    repeated: Counter[int] = Counter()
    for answer in answers:
        if answer.created is True:
            created[answer.delegate] += 1
        elif answer.created is False:
            repeated[answer.delegate] += 1
    ids = set(Delegate.objects.filter(congress=congress).values_list("pk", flat=True))
    rows = CheckIn.objects.filter(session=session)
    audited = AuditEntry.objects.filter(
        action="check_in", object_type="congress.delegate", object_id__in=[str(i) for i in ids]
    ).count()
    doors: dict[int, set[int]] = defaultdict(set)
    for answer in answers:
        doors[answer.delegate].add(answer.scanner)
    last_present = max((a.present or 0) for a in answers)
    checks = {
        "every delegate created once": set(created) == ids and set(created.values()) == {1},
        "every second scan answered created=false": set(repeated) == ids
        and set(repeated.values()) == {1},
        "check-in rows = delegates": rows.count() == len(ids),
        "distinct delegates in rows = delegates": rows.values("delegate").distinct().count()
        == len(ids),
        "audit entries = delegates": audited == len(ids),
        "highest present answered = delegates": last_present == len(ids),
    }
    return {
        "checks": checks,
        "check_in_rows": rows.count(),
        "audit_entries": audited,
        "highest_present": last_present,
        "scanned_at_two_entrances": sum(len(d) == 2 for d in doors.values()),
    }


def checkin_run(
    *, delegates: int = 2000, scanners: int = 10, seed: int = 15,
    out_dir: str = "bench/results", out: Callable[[str], None] = print,
) -> dict[str, Any]:  # fmt: skip
    """Generate, serve, scan, verify; save the JSON to `out_dir` and return it."""
    started = time.perf_counter()
    congress, session, people = generate(delegates, scanners, seed)
    out(f"generated {delegates} delegates in {time.perf_counter() - started:.1f} s")
    scans = [Scan(d.pk, badge_token(d)) for d in Delegate.objects.filter(congress=congress)]
    order = scan_order(scans, seed)
    path = reverse("congress:checkin_scan", args=[congress.pk])
    with serving(DONDOC_DEMO="0", DONDOC_SECURE="0") as (base, pid):
        headers = []
        for user in people:
            actor = _signed_in(base, user.username)
            headers.append({"Cookie": actor.cookies, "X-CSRFToken": actor.csrf,
                            "Referer": f"{base}/congress/{congress.pk}/checkin/", "Origin": base})  # fmt: skip
        pids = process_tree(pid)
        cpu_before = cpu_seconds(pids)
        answers, wall = asyncio.run(_scan_all(base, path, headers, session.pk, order))
        cpu = cpu_seconds(pids) - cpu_before
    # This process's connection sat idle through the scans: PostgreSQL may have ended it
    # (`DB_IDLE_SESSION_SECONDS`); the checks below open a fresh one.
    connection.close()
    statuses = Counter(a.status for a in answers)
    outcome: dict[str, int] = defaultdict(int)
    for a in answers:
        outcome["created" if a.created else "already" if a.created is False else str(a.status)] += 1
    result = {
        "kind": "checkin",
        "database": connection.vendor,
        "at": timezone.now().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "delegates": delegates,
        "scanners": scanners,
        "scans": len(order),
        "seconds": round(wall, 1),
        "scans_per_s": round(len(answers) / wall, 1),
        "latency": percentiles([a.seconds for a in answers if a.status == 200] or [0.0]),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "answers": dict(outcome),
        "server_cpu_ms_per_scan": round(1000 * cpu / max(len(answers), 1), 1),
        **verify(congress, session, answers),
    }
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")  # noqa: DTZ005 - a file name
    (folder / f"checkin-{connection.vendor}-{stamp}.json").write_text(json.dumps(result, indent=1))
    return result
