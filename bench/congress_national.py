"""A national Party Congress at full size, generated through the services into a scratch
database, then the secretariat's heavy work timed in process (Django's test client, no network):

    uv run python bench/congress_national.py                      # SQLite in a scratch folder
    DATABASE_URL=postgres://…/an_empty_database uv run python bench/congress_national.py

The congress: 34 provincial delegations (the provinces and cities since 1 July 2025) and 12
central ones, 1,600 official delegates (sized by delegation: 18 to 95) and 160 alternates, a
presidium of 24 on the stage, a hall of 2,000 delegate seats (four sections of 20 rows x 25),
90 % of credentials verified, the rest pending. Timed: the first automatic seating and a
re-seating after one province is given a block of seats by hand, the seating chart page, the
printed chart, the pretix export, every official delegate checked in through the phones'
endpoint (one scan at a time), and the badges PDF of every delegate. Wall seconds and the
process's CPU seconds; per-request p50 / p95 where there are many. JSON in
`bench/results/congress-national-<database>-<time>.json`."""

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
CENTRAL = (
    ("Đảng bộ các cơ quan Đảng Trung ương", "central", 40),
    ("Đảng bộ Chính phủ", "central", 60),
    ("Đảng bộ Quốc hội", "central", 30),
    ("Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương", "central", 25),
    ("Đảng bộ Quân đội", "armed", 95),
    ("Đảng bộ Công an Trung ương", "armed", 60),
    ("Đảng bộ Ngân hàng Nhà nước", "central", 18),
    ("Đảng bộ Tập đoàn Dầu khí", "central", 18),
    ("Đảng bộ Tập đoàn Điện lực", "central", 18),
    ("Đảng bộ Tập đoàn Công nghiệp Viễn thông Quân đội", "central", 18),
    ("Đảng bộ Ngoài nước", "central", 18),
    ("Đảng bộ Khối Doanh nghiệp Trung ương", "central", 22),
)
OFFICIAL = 1600
PRESIDIUM = 24


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sizes() -> list[tuple[str, str, int]]:
    """Each delegation's name, kind and number of official delegates: the central ones as set
    above, the provinces sharing the rest by a fixed weight (the two big cities first)."""
    central = sum(n for _name, _kind, n in CENTRAL)
    rest = OFFICIAL - central
    weights = [3.0, 1.0, 0.6, 0.6, 0.8, 0.7, 1.1, 1.6, 1.6, 1.0, 0.6, 0.9, 0.9, 1.2, 1.4, 1.4,
               1.2, 1.6, 1.2, 0.9, 1.2, 1.0, 1.1, 1.0, 1.1, 1.1, 3.2, 1.4, 1.0, 1.1, 1.2, 1.1,
               0.9, 1.1]  # fmt: skip
    share = [int(rest * w / sum(weights)) for w in weights]
    for i in range(rest - sum(share)):
        share[i % len(share)] += 1
    return [*[(f"Đảng bộ {p}", "province", n) for p, n in zip(PROVINCES, share, strict=True)],
            *CENTRAL]  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def once(self, name: str, call: Callable[[], Any]) -> Any:
        start, cpu = time.perf_counter(), _cpu()
        out = call()
        self.rows.append(
            {"what": name, "wall_s": time.perf_counter() - start, "cpu_s": _cpu() - cpu}
        )
        say(f"{name:<48} {self.rows[-1]['wall_s']:8.2f} s wall {self.rows[-1]['cpu_s']:8.2f} s CPU")
        return out

    def many(self, name: str, n: int, call: Callable[[], Any]) -> None:
        call()  # warm-up, not counted
        times = []
        start, cpu = time.perf_counter(), _cpu()
        for _ in range(n):
            t = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        wall, used = time.perf_counter() - start, _cpu() - cpu
        p95 = statistics.quantiles(times, n=20)[18] if n >= 20 else max(times)
        row = {"what": name, "requests": n, "wall_s": wall, "cpu_s": used,
               "p50_ms": statistics.median(times), "p95_ms": p95}  # fmt: skip
        self.rows.append(row)
        say(f"{name:<48} {n:5d} x p50 {row['p50_ms']:8.1f} ms p95 {p95:8.1f} ms "
              f"({wall:.1f} s wall, {used:.1f} s CPU)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="per page timed")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="congress-national-")
    os.environ.setdefault("DONDOC_DATA_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' manifest
    database = connection.vendor
    clock = Clock()
    congress, secretary = clock.once("generate (services, audited)", _generate)
    _measure(clock, congress, secretary, args.requests)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = out / f"congress-national-{database}-{stamp}.json"
    load = os.getloadavg()
    path.write_text(json.dumps({"database": database, "load": load, "rows": clock.rows},
                               ensure_ascii=False, indent=1))  # fmt: skip
    say(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {path.relative_to(ROOT)}")
    return 0


def _generate() -> tuple[Any, Any]:
    from django.db import connection
    from django.utils import timezone

    from dondoc.accounts.models import Role, RoleCode, User
    from dondoc.congress import services
    from dondoc.congress.models import Credentials, Delegate
    from dondoc.congress.services import DelegateData, ProfileData

    secretary = User.objects.create(username="bench.thuky", full_name="Thư ký")
    secretary.roles.set([Role.objects.get_or_create(code=RoleCode.SECRETARIAT)[0]])
    opens = timezone.localdate() + dt.timedelta(days=10)
    congress = services.congress_create(
        secretary, "Đại hội đại biểu toàn quốc lần thứ XIV", "congress", opens,
        opens + dt.timedelta(days=4),
    )  # fmt: skip
    for day in range(5):
        for part in (1, 2):
            services.session_add(
                secretary, congress, opens + dt.timedelta(days=day), part, f"Phiên {day * 2 + part}",
                [(f"Mục {i}", "Đoàn Chủ tịch", 30) for i in range(1, 4)],
            )  # fmt: skip
    presidium = 0
    for order, (name, kind, size) in enumerate(_sizes(), start=1):
        delegation = services.delegation_create(
            secretary, congress, f"D{order:02d}", name, order, kind
        )
        rows = []
        for i in range(size + size // 10):  # a tenth more as alternates
            chair = i == 0 and presidium < PRESIDIUM
            presidium += chair
            rows.append(
                DelegateData(
                    delegation, f"Đại biểu {order:02d}-{i:03d}", "elected",
                    "official" if i < size else "alternate",
                    ProfileData(1958 + i % 30, "female" if i % 3 == 0 else "male", "Kinh",
                                "Thạc sĩ", "Ủy viên", 1985 + i % 20),
                    presidium=chair, needs_accessible_seat=(i == 2 and order % 6 == 0),
                )
            )  # fmt: skip
        services.delegates_register(secretary, congress, rows)
    services.hall_create(secretary, congress, rows=20, width=25, stage=30)
    ids = list(
        Delegate.objects.filter(congress=congress).order_by("pk").values_list("pk", flat=True)
    )
    Delegate.objects.filter(pk__in=[d for i, d in enumerate(ids) if i % 10]).update(
        credentials=Credentials.VERIFIED
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return congress, secretary


def _measure(clock: Clock, congress: Any, secretary: Any, requests: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from dondoc.congress import services
    from dondoc.congress.badges import badge_token
    from dondoc.congress.models import CheckIn, Delegate, SeatAssignment

    first = clock.once(
        "first automatic seating", lambda: services.seating_solve(secretary, congress)
    )
    say(f"  seated {first.seated}, optimal {first.optimal}")
    hanoi = congress.delegations.get(code="D01")
    block = services.SeatBlock("A", (15, 20), (1, 25))
    placed = clock.once(
        "Hà Nội into a block (A, rows 15-20)",
        lambda: services.seats_assign_block(secretary, congress, block, delegation=hanoi),
    )
    say(f"  seated {placed.seated}, displaced {placed.displaced}")
    again = clock.once("re-seating after it", lambda: services.seating_solve(secretary, congress))
    say(f"  moved {again.moves}, pinned kept {again.pinned}")
    assert SeatAssignment.objects.filter(seat__congress=congress).count() == again.seated

    client = Client(HTTP_HOST="localhost")
    client.force_login(secretary)
    pk = congress.pk
    clock.many("seating chart page (SVG)", requests,
               lambda: client.get(reverse("congress:seating", args=[pk])))  # fmt: skip
    clock.many("pretix plan export (JSON)", requests,
               lambda: client.get(reverse("congress:seating_plan_json", args=[pk])))  # fmt: skip
    clock.many("printed chart (PDF)", 3,
               lambda: client.get(reverse("congress:seating_pdf", args=[pk])))  # fmt: skip
    badges = clock.once(
        "badges PDF, every delegate",
        lambda: client.get(reverse("congress:badges", args=[pk])),
    )
    count = Delegate.objects.filter(congress=congress).exclude(standing="replaced").count()
    say(f"  {count} badges, {len(badges.content) / 2**20:.1f} MB")

    session = congress.sessions.order_by("day", "part").first()
    officials = list(Delegate.objects.filter(congress=congress, standing="official"))
    tokens = iter([badge_token(d) for d in officials])
    url = reverse("congress:checkin_scan", args=[pk])

    def scan() -> Any:
        body = json.dumps({"token": next(tokens), "session": session.pk})
        return client.post(url, body, content_type="application/json")

    clock.many(f"check-in, {len(officials) - 1} scans one by one", len(officials) - 1, scan)
    checked = CheckIn.objects.filter(session=session).count()
    say(f"  {checked} check-ins for {len(officials)} official delegates")
    assert checked == len(officials)


if __name__ == "__main__":
    raise SystemExit(main())
