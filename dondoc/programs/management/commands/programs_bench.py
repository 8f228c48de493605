"""`dondoc programs_bench`: generate programs at scale in an empty scratch database and time the
programs pages (the calendar, the month view, the 8-week view as of today, the item page) in process (Django's test client, no network), reporting p50 and p95.

Run it on a database of its own (`DONDOC_DATA_DIR=/tmp/programs-bench` or a `DATABASE_URL`),
after `dondoc migrate`. The data bypasses the services (no audit entries), as `dondoc bench
generate` does."""

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from dondoc.accounts.models import Role, RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs.models import (
    Body,
    CommentRound,
    Invitation,
    ItemKind,
    ItemState,
    ProgramItem,
    ProgramKind,
    WorkProgram,
)

STATES = list(ItemState)
KINDS = list(ItemKind)


class Command(BaseCommand):
    help = "Sinh dữ liệu chương trình công tác và đo thời gian các trang (p50, p95)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agencies", type=int, default=5000)
        parser.add_argument("--items", type=int, default=20000)
        parser.add_argument("--per-program", type=int, default=200)
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args: Any, **options: Any) -> None:
        if WorkProgram.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có chương trình: hãy dùng một cơ sở dữ liệu trống."
            )
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        office, focal = self._generate(rng, options)
        self.stdout.write(f"generated in {time.perf_counter() - started:.1f} s")
        for line in self._measure(rng, office, focal, options["requests"]):
            self.stdout.write(line)

    @transaction.atomic
    def _generate(self, rng: random.Random, options: dict[str, Any]) -> tuple[User, User]:
        agencies = Agency.objects.bulk_create(
            Agency(code=f"CQ{n:05d}", name=f"Cơ quan số {n}", kind=AgencyKind.PROVINCE,
                   search_text=f"co quan so {n}", sort_text=f"co quan so {n:05d}")
            for n in range(options["agencies"])
        )  # fmt: skip
        n_programs = max(1, options["items"] // options["per_program"])
        programs = WorkProgram.objects.bulk_create(
            WorkProgram(title=f"Chương trình {n}", body=list(Body)[n % 3],
                        kind=ProgramKind.YEAR, year=2000 + n // 3)
            for n in range(n_programs)
        )  # fmt: skip
        items = ProgramItem.objects.bulk_create(
            (
                ProgramItem(
                    program=programs[n % n_programs], title=f"Đề án số {n} về công tác cán bộ",
                    kind=rng.choice(KINDS), planned_month=rng.randint(1, 12),
                    lead_agency=rng.choice(agencies), state=rng.choice(STATES),
                )
                for n in range(options["items"])
            ),
            batch_size=2000,
        )  # fmt: skip
        office = User.objects.create(username="bench.office", full_name="Văn phòng")
        office.roles.set([Role.objects.get_or_create(code=RoleCode.OFFICE)[0]])
        focal = User.objects.create(username="bench.focal", full_name="Đầu mối", agency=agencies[0])
        focal.roles.set([Role.objects.get_or_create(code=RoleCode.FOCAL)[0]])
        self._rounds(rng, items, agencies, office)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return office, focal

    def _rounds(
        self, rng: random.Random, items: list[ProgramItem], agencies: list[Agency], by: User
    ) -> None:
        with_rounds = [i for i in items if i.state != ItemState.DRAFTING]
        rounds = CommentRound.objects.bulk_create(
            (
                CommentRound(item=i, number=1, opened_on="2026-01-05", deadline="2026-01-15",
                             closed_on=None if i.state == ItemState.COMMENTING else "2026-01-16",
                             opened_by=by)
                for i in with_rounds
            ),
            batch_size=2000,
        )  # fmt: skip
        Invitation.objects.bulk_create(
            (Invitation(round=r, agency=a) for r in rounds for a in rng.sample(agencies, 3)),
            batch_size=5000,
        )

    def _measure(self, rng: random.Random, office: User, focal: User, requests: int) -> list[str]:
        programs = list(WorkProgram.objects.values_list("pk", flat=True))
        items = list(ProgramItem.objects.values_list("pk", flat=True)[:2000])
        led = list(
            ProgramItem.objects.filter(lead_agency=focal.agency).values_list("pk", flat=True)
        )
        cases: dict[str, tuple[User, Callable[[], str]]] = {
            "program calendar (office)": (
                office, lambda: reverse("programs:program_detail", args=[rng.choice(programs)])
            ),
            "program calendar (focal point)": (
                focal, lambda: reverse("programs:program_detail", args=[rng.choice(programs)])
            ),
            "month view (office)": (
                office,
                lambda: reverse("programs:month")
                + f"?year={rng.randint(2000, 2032)}&month={rng.randint(1, 12)}",
            ),
            "8-week view (office)": (office, lambda: reverse("programs:coming")),
            "8-week view (focal point)": (focal, lambda: reverse("programs:coming")),
            "item page (office)": (
                office, lambda: reverse("programs:item_detail", args=[rng.choice(items)])
            ),
            "item page (focal point, lead)": (
                focal, lambda: reverse("programs:item_detail", args=[rng.choice(led or items)])
            ),
        }  # fmt: skip
        lines = [f"{'page':<32} {'p50 ms':>8} {'p95 ms':>8}"]
        for name, (user, url) in cases.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            client.get(url())  # warm-up, not counted
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(url())
                times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{name}: {response.status_code}")
            cuts = statistics.quantiles(times, n=20)
            lines.append(f"{name:<32} {statistics.median(times):>8.1f} {cuts[18]:>8.1f}")
        return lines
