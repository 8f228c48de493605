"""`dondoc congress_bench`: a national congress at full size in an empty scratch database, then
every congress page and API list timed in process (Django's test client, no network, no
gunicorn), reporting p50 and p95 in milliseconds, wall and CPU of the thread (`thread_time`:
on SQLite the database work is in it; on PostgreSQL the server's share is not).

The congress: 2,000 delegates (1,600 official, 400 alternates) in 46 delegations, a hall of
2,000 delegate seats, seated by the solver; 200 guests, 300 journalists; ten sessions with 120
speeches and three agenda revisions, each published; 1,500 check-ins at the first session. Delegates, hall,
seating and revisions go through the services (audited); credentials decisions, guests, press,
speeches and check-ins are bulk rows (no audit entries), as `dondoc bench generate` does.

Run it on a database of its own (`DONDOC_DATA_DIR=/tmp/congress-bench` or a `DATABASE_URL`),
after `dondoc migrate`."""

import datetime as dt
import random
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import Role, RoleCode, User
from dondoc.api.services import token_create
from dondoc.congress import services
from dondoc.congress.badges import badge_token
from dondoc.congress.models import (
    BoardKind,
    CheckIn,
    Congress,
    Credentials,
    Delegate,
    Guest,
    GuestKind,
    GuestReply,
    PressPass,
    PressRole,
    PressState,
    Speech,
    SpeechState,
)
from dondoc.congress.services import DelegateData, ProfileData

DELEGATIONS = 46


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _getter(client: Client, url: Callable[[], str], headers: dict[str, str]) -> Callable[[], Any]:
    return lambda: client.get(url(), headers=headers)


class Command(BaseCommand):
    help = "Sinh một đại hội 2.000 đại biểu và đo thời gian các trang, API (p50, p95)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delegates", type=int, default=2000)
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument(
            "--only", default="", help="only the rows whose name contains this text"
        )
        parser.add_argument(
            "--profile", default="", help="write cProfile stats of the timed requests here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Congress.objects.exists():
            raise CommandError("Cơ sở dữ liệu đã có đại hội: hãy dùng một cơ sở dữ liệu trống.")
        rng = random.Random(options["seed"])
        started, cpu = time.perf_counter(), _cpu()
        congress, people = self._generate(rng, options["delegates"])
        self.stdout.write(
            f"generated in {time.perf_counter() - started:.1f} s ({_cpu() - cpu:.1f} s CPU)"
        )
        cpu = _cpu()
        self.only, self.profile = options["only"], options["profile"]
        for line in self._measure(rng, congress, people, options["requests"]):
            self.stdout.write(line)
        self.stdout.write(f"measured: {_cpu() - cpu:.1f} s CPU")

    def _user(self, username: str, role: str) -> User:
        user = User.objects.create(username=username, full_name=username)
        user.roles.set([Role.objects.get_or_create(code=role)[0]])
        return user

    def _generate(self, rng: random.Random, size: int) -> tuple[Congress, dict[str, User]]:
        secretary = self._user("bench.thuky", RoleCode.SECRETARIAT)
        office = self._user("bench.office", RoleCode.OFFICE)
        verifier = self._user("bench.thamtra", RoleCode.FOCAL)
        delegate_user = self._user("bench.daibieu", RoleCode.FOCAL)
        opens = timezone.localdate() + dt.timedelta(days=20)
        congress = services.congress_create(
            secretary, "Đại hội đại biểu toàn quốc lần thứ XIV", "congress", opens,
            opens + dt.timedelta(days=4),
        )  # fmt: skip
        services.board_create(
            secretary, congress, BoardKind.CREDENTIALS, "Ban Thẩm tra", [verifier]
        )
        for day in range(5):
            for part in (1, 2):
                services.session_add(
                    secretary, congress, opens + dt.timedelta(days=day), part,
                    f"Phiên {day * 2 + part}",
                    [(f"Mục {i} của phiên", "Đoàn Chủ tịch", 30) for i in range(1, 5)],
                )  # fmt: skip
        official = size * 4 // 5
        for block in range(DELEGATIONS):
            delegation = services.delegation_create(
                secretary, congress, f"D{block:02d}", f"Đảng bộ số {block + 1}", block + 1
            )
            count = official // DELEGATIONS + (block < official % DELEGATIONS)
            alternates = (size - official) // DELEGATIONS + (
                block < (size - official) % DELEGATIONS
            )
            services.delegates_register(
                secretary, congress,
                [
                    DelegateData(
                        delegation, f"Nguyễn Văn {block}-{i:03d}", "elected",
                        "official" if i < count else "alternate",
                        ProfileData(1960 + i % 30, "female" if i % 3 == 0 else "male", "Kinh",
                                    "Thạc sĩ", "Ủy viên", 1990),
                        presidium=(i == 0 and block < 10),
                        needs_accessible_seat=(i == 1 and block % 5 == 0),
                    )
                    for i in range(count + alternates)
                ],
            )  # fmt: skip
        services.hall_create(secretary, congress, rows=20, width=25, stage=30)
        ids = list(Delegate.objects.filter(congress=congress).values_list("pk", flat=True))
        verified = rng.sample(ids, len(ids) * 7 // 10)
        Delegate.objects.filter(pk__in=verified).update(credentials=Credentials.VERIFIED)
        services.seating_solve(secretary, congress)
        me = Delegate.objects.filter(congress=congress, standing="official", presidium=False)[0]
        services.delegate_link_user(secretary, me, delegate_user)
        self._visitors(rng, congress, secretary)
        sessions = list(congress.sessions.all())
        services.agenda_publish(secretary, congress)
        for n in range(3):
            services.agenda_revise(
                secretary, sessions[n], [(f"Mục {i} sửa", "Đoàn Chủ tịch", 25) for i in range(1, 4)],
                f"Sửa lần {n + 1}",
            )  # fmt: skip
            services.agenda_publish(secretary, congress, f"Công bố lại lần {n + 1}")
        officials = list(
            Delegate.objects.filter(congress=congress, standing="official").values_list(
                "pk", flat=True
            )
        )
        now = timezone.now()
        CheckIn.objects.bulk_create(
            (CheckIn(session=sessions[0], delegate_id=d, at=now, by=secretary)
             for d in officials[: len(officials) * 15 // 16]),
            batch_size=2000,
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return congress, {"secretary": secretary, "office": office, "verifier": verifier,
                          "delegate": delegate_user}  # fmt: skip

    def _visitors(self, rng: random.Random, congress: Congress, by: User) -> None:
        Guest.objects.bulk_create(
            Guest(congress=congress, kind=GuestKind.INTERNATIONAL if i % 4 == 0 else GuestKind.DOMESTIC,
                  full_name=f"Khách mời {i}", title="Trưởng đoàn", organization=f"Đảng bạn {i % 30}",
                  protocol_rank=i + 1, seating_area="K-1", reply=rng.choice(list(GuestReply)))
            for i in range(200)
        )  # fmt: skip
        PressPass.objects.bulk_create(
            PressPass(congress=congress, full_name=f"Phóng viên {i}", outlet=f"Báo {i % 40}",
                      role=rng.choice(list(PressRole)), card_number=f"NB-{i:05d}",
                      state=rng.choice(list(PressState)))
            for i in range(300)
        )  # fmt: skip
        sessions = list(congress.sessions.all())
        delegations = list(congress.delegations.all())
        Speech.objects.bulk_create(
            Speech(session=sessions[i % len(sessions)], delegation=delegations[i % len(delegations)],
                   topic=f"Chủ đề {i % 12}", summary="Tóm tắt",
                   state=SpeechState.APPROVED if i % 3 else SpeechState.PROPOSED,
                   position=(i // len(sessions) + 1) if i % 3 else None)
            for i in range(120)
        )  # fmt: skip

    def _measure(
        self, rng: random.Random, congress: Congress, people: dict[str, User], requests: int
    ) -> list[str]:
        pk = congress.pk
        delegates = list(Delegate.objects.filter(congress=congress).values_list("pk", flat=True))
        session = congress.sessions.all()[1]
        tokens = iter(
            badge_token(d)
            for d in Delegate.objects.filter(congress=congress, standing="official").exclude(
                credentials=Credentials.REJECTED
            )
        )

        def page(name: str, **query: str) -> Callable[[], str]:
            url = reverse(f"congress:{name}", args=[pk])
            suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
            return lambda: url + suffix

        def delegate_page() -> str:
            return reverse("congress:delegate", args=[pk, rng.choice(delegates)])

        api = f"/api/v1/congress/{pk}"
        cases: list[tuple[str, str, Callable[[], str]]] = [
            ("list", "secretary", lambda: reverse("congress:list")),
            ("detail", "secretary", page("detail")),
            ("delegates, page 1", "secretary", page("delegates")),
            ("delegates, page 10", "office", page("delegates", page="10")),
            ("delegates, search", "office", page("delegates", q="Văn 3")),
            ("a delegate", "office", delegate_page),
            ("credentials review", "verifier", page("credentials")),
            ("seating chart (2,000 seats)", "secretary", page("seating")),
            ("check-in page", "secretary", page("checkin")),
            ("agenda and speeches", "secretary", page("agenda")),
            ("guests", "secretary", page("guests")),
            ("press", "secretary", page("press")),
            ("delegate's own page", "delegate", page("me")),
            ("API detail", "api:office", lambda: api),
            ("API delegates (100)", "api:office", lambda: f"{api}/delegates?limit=100"),
            ("API delegates (500)", "api:office", lambda: f"{api}/delegates?limit=500"),
            ("API guests", "api:secretary", lambda: f"{api}/guests"),
            ("API press", "api:secretary", lambda: f"{api}/press"),
        ]
        lines = [f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}"]
        for name, who, url in cases:
            if self.only not in name:
                continue
            client = Client(HTTP_HOST="localhost")
            headers: dict[str, str] = {}
            if who.startswith("api:"):
                _token, secret = token_create(people[who[4:]], name="bench")
                headers = {"Authorization": f"Bearer {secret}"}
            else:
                client.force_login(people[who])
            lines.append(self._time(name, requests, _getter(client, url, headers)))
        scan = Client(HTTP_HOST="localhost")
        scan.force_login(people["secretary"])
        scan_url = reverse("congress:checkin_scan", args=[pk])

        def one_scan() -> Any:
            body = f'{{"token": "{next(tokens)}", "session": {session.pk}}}'
            return scan.post(scan_url, body, content_type="application/json")

        if self.only in "check-in scan (new)":
            lines.append(self._time("check-in scan (new)", requests, one_scan))
        return lines

    def _time(self, name: str, requests: int, call: Callable[[], Any]) -> str:
        call()  # warm-up, not counted
        times, cpu = [], []
        profiler = None
        if self.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        for _ in range(requests):
            start, start_cpu = time.perf_counter(), time.thread_time()
            response = call()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{name}: {response.status_code}")
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(self.profile)
        p95, cpu95 = statistics.quantiles(times, n=20)[18], statistics.quantiles(cpu, n=20)[18]
        return (
            f"{name:<30} {statistics.median(times):>8.1f} {p95:>8.1f} "
            f"{statistics.median(cpu):>8.1f} {cpu95:>8.1f}"
        )
