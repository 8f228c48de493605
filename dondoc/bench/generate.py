"""`dondoc bench generate`: load realistic data fast, at a named scale.

Rows are built as plain tuples and written with PostgreSQL COPY (psycopg 3) when the database is
PostgreSQL, with `bulk_create(batch_size=5000)` otherwise. The data bypasses the services on
purpose, so nothing is written to the audit log. The lateness model is the demo's
(`docs/demo-data.md`); distributions are listed in `docs/benchmarks.md`.
"""

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from dondoc.accounts.models import Role, RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.agencies.reference import load_reference_agencies
from dondoc.core.text import person_sort_key, search_key, sort_key
from dondoc.demo.load import DEMO_ACCOUNTS, TASK_TEMPLATES
from dondoc.demo.people import full_name
from dondoc.tracking.deadlines import month_end
from dondoc.tracking.models import (
    Coordination,
    DeadlineKind,
    Decision,
    Document,
    DocumentType,
    Extension,
    Obstacle,
    ObstacleLevel,
    ProgressReport,
    Task,
)

AGENCIES_JSON = Path("dondoc/demo/data/agencies.json")
BENCH_PASSWORD = "dondoc-bench-2026"  # noqa: S105 - benchmark data only, printed by the runner
HISTORY_DAYS = 730
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Scale:
    agencies: int
    users: int
    documents: int
    tasks: int
    coordinations_per_task: float  # mean; links = tasks * this
    reports_per_task: float  # mean, before the completion report
    obstacles: int
    extensions: int


SCALES = {
    "tiny": Scale(150, 300, 60, 300, 2.0, 4.0, 30, 30),
    "small": Scale(400, 3_000, 600, 10_000, 2.0, 4.0, 2_000, 2_000),
    "medium": Scale(1_500, 10_000, 4_000, 100_000, 2.0, 4.0, 20_000, 20_000),
    "national": Scale(5_000, 50_000, 20_000, 1_000_000, 2.0, 4.0, 200_000, 200_000),
}

SUB_UNITS = [
    "Ban Tổ chức",
    "Ban Tuyên giáo và Dân vận",
    "Ủy ban Kiểm tra",
    "Văn phòng",
    "Đảng ủy các cơ quan",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Khoa học và Công nghệ",
    "Trường Chính trị",
    "Đảng ủy Công an",
]
SUBJECTS = [
    "chuyển đổi số",
    "tinh gọn tổ chức bộ máy",
    "phát triển kinh tế tư nhân",
    "khoa học, công nghệ và đổi mới sáng tạo",
    "hội nhập quốc tế",
    "xây dựng và thi hành pháp luật",
    "công tác cán bộ",
    "an ninh năng lượng",
    "giáo dục và đào tạo",
    "chăm sóc sức khỏe nhân dân",
]
DOC_TYPES = [
    (DocumentType.RESOLUTION, 3),
    (DocumentType.CONCLUSION, 5),
    (DocumentType.DIRECTIVE, 2),
    (DocumentType.NOTICE, 3),
    (DocumentType.PLAN, 3),
    (DocumentType.REGULATION, 1),
]


class Writer:
    """COPY on PostgreSQL, bulk_create elsewhere; counts rows per second per table."""

    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.postgres = connection.vendor == "postgresql"
        self.timings: dict[str, tuple[int, float]] = {}

    def write(self, model: type[models.Model], columns: Sequence[str], rows: list[Row]) -> None:
        start = time.perf_counter()
        if self.postgres:
            self._copy(model, list(columns), rows)
        else:
            objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model._default_manager.bulk_create(objs, batch_size=5000)
        self._record(model._meta.db_table, len(rows), time.perf_counter() - start)

    def _record(self, table: str, count: int, seconds: float) -> None:
        done, spent = self.timings.get(table, (0, 0.0))
        self.timings[table] = (done + count, spent + seconds)
        rate = count / seconds if seconds else 0.0
        self.out(f"  {table:<32} {count:>10,} rows  {seconds:7.2f} s  {rate:>10,.0f} rows/s")

    def _copy(self, model: type[models.Model], columns: list[str], rows: list[Row]) -> None:
        now = timezone.now()
        extra: list[tuple[str, Any]] = []
        for f in model._meta.concrete_fields:
            if f.primary_key or f.attname in columns:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                extra.append((f.column, now))
            elif f.has_default():
                extra.append((f.column, f.get_default()))
            else:
                extra.append((f.column, None if f.null else ""))
        names = [str(model._meta.get_field(c).column) for c in columns]  # type: ignore[union-attr]
        names += [str(c) for c, _ in extra]
        tail = tuple(v for _, v in extra)
        sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + tail)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class BenchBuilder:
    def __init__(self, scale: Scale, seed: int, today: dt.date, out: Callable[[str], None]):
        self.scale, self.today, self.out = scale, today, out
        self.rng = random.Random(seed)
        self.writer = Writer(out)
        self.keys: dict[str, str] = {}

    def key(self, text: str) -> str:
        cached = self.keys.get(text)
        if cached is None:
            cached = self.keys[text] = search_key(text)[:700]
        return cached

    def build(self) -> dict[str, int]:
        self._agencies()
        self._users()
        self._documents()
        self._tasks()
        if self.writer.postgres:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Task, Document]):
                    cursor.execute(sql)
        return {table: count for table, (count, _s) in self.writer.timings.items()}

    # Agencies: the real hierarchy, then sub-units under provinces and central bodies.
    def _agencies(self) -> None:
        start = time.perf_counter()
        load_reference_agencies(AGENCIES_JSON)
        active = list(Agency.objects.active().exclude(kind=AgencyKind.LEADERSHIP).order_by("code"))
        parents = [a for a in active if a.kind in (AgencyKind.PROVINCE, AgencyKind.CENTRAL_BODY)]
        parents = parents or active
        missing = max(self.scale.agencies - Agency.objects.count(), 0)
        new = []
        for n in range(missing):
            parent = parents[n % len(parents)]
            unit = SUB_UNITS[(n // len(parents)) % len(SUB_UNITS)]
            name = f"{unit} {parent.short_name or parent.name} ({n // (len(parents) * 10) + 1})"
            code = f"DV{n:05d}"
            new.append(
                Agency(
                    code=code,
                    name=name,
                    short_name=unit,
                    kind=AgencyKind.OTHER,
                    parent=parent,
                    search_text=search_key(f"{name} {unit} {code}"),
                    sort_text=sort_key(name),
                )
            )
        Agency.objects.bulk_create(new, batch_size=5000)
        self.writer._record("agencies_agency", missing, time.perf_counter() - start)
        self.agencies = {a.code: a.pk for a in Agency.objects.all()}
        leads = Agency.objects.active().exclude(kind=AgencyKind.LEADERSHIP).exclude(code="VPTW")
        self.leads = list(leads.order_by("code").values_list("pk", "code", "short_name", "name"))
        # Each agency's hidden reliability: most are dependable, a few struggle.
        self.reliability = {pk: self.rng.betavariate(6, 2) for pk, *_ in self.leads}

    # Users: the demo accounts, one focal point per lead agency, then staff to reach the scale.
    def _users(self) -> None:
        password = make_password(BENCH_PASSWORD)  # hashed once: the hasher is slow on purpose
        start = time.perf_counter()
        people: list[tuple[str, str, list[str], int | None, int]] = [
            (u, name, list(roles), self.agencies.get(code or ""), clearance)
            for u, name, roles, code, clearance in DEMO_ACCOUNTS
        ]
        taken = {p[0] for p in people}
        for pk, code, *_ in self.leads:
            username = f"daumoi.{code.lower()}"
            if username not in taken:
                people.append((username, full_name(self.rng), [RoleCode.FOCAL], pk, 0))
        n = 0
        while len(people) < self.scale.users:
            pk = self.leads[n % len(self.leads)][0]
            people.append((f"canbo{n:06d}", full_name(self.rng), [RoleCode.FOCAL], pk, 0))
            n += 1
        users = [
            User(
                username=u,
                full_name=name,
                agency_id=agency,
                clearance=clearance,
                email=f"{u}@dondoc.local",
                password=password,
                search_text=search_key(f"{name} {u} {u}@dondoc.local"),
                sort_text=person_sort_key(name),
            )
            for u, name, _roles, agency, clearance in people
        ]
        User.objects.bulk_create(users, batch_size=5000)
        self.writer._record("accounts_user", len(users), time.perf_counter() - start)
        ids = dict(User.objects.values_list("username", "pk"))
        self.office_id = ids["vanphong"]
        roles = {r.code for r in Role.objects.all()}
        Role.objects.bulk_create([Role(code=c) for c in RoleCode.values if c not in roles])
        through = User.roles.through
        links = [(ids[p[0]], str(code)) for p in people for code in p[2]]
        self.writer.write(through, ["user_id", "role_id"], links)

    # Documents: valid symbols, numbered per issuer, type and term.
    def _documents(self) -> None:
        rng = self.rng
        issuers = [c for c in ("BCHTW", "BCT", "BBT", "VPTW", "CP") if c in self.agencies]
        numbers: dict[tuple[str, str, str], int] = {}
        types, weights = zip(*DOC_TYPES, strict=True)
        rows, self.documents = [], []
        base = (Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        for i in range(self.scale.documents):
            issuer = rng.choice(issuers)
            doc_type = rng.choices(types, weights)[0]
            issued = self.today - dt.timedelta(days=rng.randint(0, HISTORY_DAYS + 60))
            term = "XIV" if issued >= dt.date(2026, 1, 23) else "XIII"
            number = numbers[(issuer, doc_type, term)] = (
                numbers.get((issuer, doc_type, term), 0) + 1
            )
            suffix = "TW" if issuer != "CP" else "CP"
            symbol = (
                f"{number}/{doc_type}-{suffix}" if issuer == "CP" else f"{number}-{doc_type}/TW"
            )
            subject = rng.choice(SUBJECTS)
            title = f"Về {subject}"
            strategic = doc_type == DocumentType.RESOLUTION and rng.random() < 0.3
            rows.append(
                (
                    base + i, symbol, number, str(doc_type), suffix, self.agencies[issuer], term,
                    issued, title, 0, strategic, self.key(f"{symbol} {title}"),
                )
            )  # fmt: skip
            label = f"{DocumentType(doc_type).label} số {symbol}"
            self.documents.append((base + i, issued, label, subject, strategic))
        columns = [
            "id", "symbol", "number", "doc_type", "issuer_code", "issuing_body_id", "term",
            "issued_on", "title", "classification", "is_strategic", "search_text",
        ]  # fmt: skip
        self.writer.write(Document, columns, rows)

    def _deadline(self, created: dt.date, window: int) -> tuple[str, dt.date | None]:
        roll = self.rng.random()
        due = created + dt.timedelta(days=window)
        if roll < 0.05:
            return DeadlineKind.ONGOING, None
        if roll < 0.15:
            return DeadlineKind.MONTH, month_end(due.year, due.month)
        if roll < 0.22:
            return DeadlineKind.QUARTER, month_end(due.year, 3 * ((due.month - 1) // 3 + 1))
        return DeadlineKind.DATE, due

    def _tasks(self) -> None:
        rng, today, scale = self.rng, self.today, self.scale
        weights = [8 if d[4] else 3 for d in self.documents]
        base = (Task.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        sources = rng.choices(self.documents, weights, k=scale.tasks)
        tasks: list[Row] = []
        coords: list[Row] = []
        reports: list[Row] = []
        late_ids: list[int] = []
        lead_ids = [pk for pk, *_ in self.leads]
        coordination_k = [0, 1, 2, 3, 4]  # mean 2
        cadence_scale = 4.0 / max(scale.reports_per_task, 0.1)
        for i, (doc_id, issued, label, subject, _strategic) in enumerate(sources):
            task_id = base + i
            earliest = max(issued + dt.timedelta(days=3), today - dt.timedelta(days=HISTORY_DAYS))
            created = earliest + dt.timedelta(
                days=rng.randint(0, max((today - earliest).days - 5, 0))
            )
            template, product, window = rng.choice(TASK_TEMPLATES)
            window = max(14, int(window * rng.uniform(0.5, 1.4)))
            kind, due = self._deadline(created, window)
            lead_pk, _code, short, name = self.leads[rng.randrange(len(self.leads))]
            priority = rng.choices((0, 1, 2), (70, 22, 8))[0]
            is_key = priority > 0 or rng.random() < 0.08
            waits = rng.random() < 0.12
            title = template.format(doc=label, subject=subject)[:500]
            logit = (
                -1.2 + 4.0 * (0.75 - self.reliability[lead_pk]) + 0.9 * (window < 45)
                + 1.1 * waits - 0.5 * (priority > 0) + rng.gauss(0, 0.6)
            )  # fmt: skip
            late = rng.random() < _sigmoid(logit)
            completes: dt.date | None = None
            cancelled: dt.date | None = None
            if due is not None:
                span = max((due - created).days, 1)
                if late:
                    mean_delay = 90 if rng.random() < 0.3 else 20
                    completes = due + dt.timedelta(days=int(rng.expovariate(1 / mean_delay)) + 1)
                else:
                    completes = due - dt.timedelta(days=int(span * rng.uniform(0, 0.35)))
                halfway = created + dt.timedelta(days=span // 2)
                if rng.random() < 0.02 and halfway <= today:
                    cancelled = halfway
            # History: periodic reports, then a final one on the completion day.
            end = min(completes or today, today, cancelled or today)
            cadence = (
                int((rng.randint(35, 60) if late else rng.randint(20, 35)) * cadence_scale) or 1
            )
            total = max(((completes or today) - created).days, 1)
            day = created + dt.timedelta(days=cadence)
            progress, last_report, done_on, accepted = 0, None, None, None
            while day < end:
                pace = rng.uniform(0.55, 0.8) if late else rng.uniform(0.9, 1.1)
                progress = max(5, min(95, int(100 * (day - created).days / total * pace)))
                reports.append((task_id, lead_pk, day, f"{day:%m/%Y}", progress, False, ""))
                last_report = day
                day += dt.timedelta(days=cadence)
            if completes is not None and completes <= today and cancelled is None:
                reports.append(
                    (task_id, lead_pk, completes, f"{completes:%m/%Y}", 100, True, product)
                )
                progress, last_report, done_on = 100, completes, completes
                accepted = completes + dt.timedelta(days=rng.randint(1, 10))
                accepted = accepted if accepted <= today else None
            tasks.append(
                (
                    task_id, doc_id, f"Mục {rng.randint(1, 6)}.{rng.randint(1, 9)}", title,
                    self.key(title), product, f"Triển khai theo {label}.", lead_pk,
                    f"Người đứng đầu {short or name}", str(kind), due, priority, is_key,
                    created, progress, last_report, done_on, accepted, cancelled,
                )
            )  # fmt: skip
            k = rng.choice(coordination_k)
            for agency in {rng.choice(lead_ids) for _ in range(k)} - {lead_pk}:
                coords.append((task_id, agency))
            if late and due is not None:
                late_ids.append(i)
        columns = [
            "id", "document_id", "source_clause", "title", "search_text", "expected_product",
            "description", "lead_agency_id", "responsible_head", "deadline_kind", "due_on",
            "priority", "is_key", "created_on", "progress", "last_report_on",
            "reported_done_on", "accepted_on", "cancelled_on",
        ]  # fmt: skip
        original = tasks
        extended = self._extensions(tasks, late_ids)
        if extended:
            at = columns.index("due_on") + 1
            columns.insert(at, "extended_due_on")
            tasks = [(*t[:at], extended.get(t[0]), *t[at:]) for t in tasks]
        self.writer.write(Task, columns, tasks)
        self.writer.write(Coordination, ["task_id", "agency_id"], coords)
        narrative = "Đang triển khai; đã hoàn thành các bước theo kế hoạch."
        self.writer.write(
            ProgressReport,
            ["task_id", "agency_id", "reported_on", "period", "percent", "is_final", "product",
             "narrative"],
            [(*r, narrative) for r in reports],
        )  # fmt: skip
        self.writer.write(Extension, *self.extension_rows)
        self._obstacles(original)

    def _extensions(self, tasks: list[Row], late: list[int]) -> dict[int, dt.date]:
        """Extensions on late tasks, asked 2 to 10 days before the deadline; 60% approved."""
        rng, rows, extended = self.rng, [], {}
        picks = rng.sample(late, min(self.scale.extensions, len(late)))
        for i in picks:
            task_id, due, created = tasks[i][0], tasks[i][10], tasks[i][13]
            if due is None:
                continue
            asked = max(due - dt.timedelta(days=rng.randint(2, 10)), created)
            approved = rng.random() < 0.6
            requested = due + dt.timedelta(days=rng.choice([15, 30, 45, 60]))
            rows.append(
                (
                    task_id, asked, due, requested,
                    "Cần thêm thời gian lấy ý kiến các cơ quan liên quan.",
                    Decision.APPROVED if approved else Decision.REFUSED, self.office_id,
                    min(asked + dt.timedelta(days=3), self.today),
                    "Đồng ý gia hạn." if approved else "Đề nghị khẩn trương hoàn thành đúng hạn.",
                )
            )  # fmt: skip
            if approved:
                extended[task_id] = requested
        columns = [
            "task_id", "requested_on", "previous_due_on", "requested_due_on", "reason",
            "decision", "decided_by_id", "decided_on", "decision_reason",
        ]  # fmt: skip
        self.extension_rows: tuple[list[str], list[Row]] = (columns, rows)
        return extended

    def _obstacles(self, tasks: list[Row]) -> None:
        rng, rows = self.rng, []
        for t in rng.sample(tasks, min(self.scale.obstacles, len(tasks))):
            raised = min(t[13] + dt.timedelta(days=rng.randint(5, 40)), self.today)
            answered = rng.random() < 0.5
            rows.append(
                (
                    t[0], t[7], raised, "Chưa thống nhất được phương án giữa các cơ quan phối hợp.",
                    "Đề nghị Văn phòng Trung ương chủ trì cuộc họp liên ngành.",
                    ObstacleLevel.LEADER if rng.random() < 0.3 else ObstacleLevel.OFFICE,
                    "Văn phòng sẽ tổ chức họp liên ngành trong tháng." if answered else "",
                    self.office_id if answered else None,
                    min(raised + dt.timedelta(days=7), self.today) if answered else None,
                )
            )  # fmt: skip
        columns = [
            "task_id", "agency_id", "raised_on", "text", "proposal", "level", "answer",
            "answered_by_id", "answered_on",
        ]  # fmt: skip
        self.writer.write(Obstacle, columns, rows)


def database_has_tasks() -> bool:
    return Task.objects.exists()


def bench_generate(
    scale: str,
    seed: int = 2026,
    today: dt.date | None = None,
    out: Callable[[str], None] = print,
) -> dict[str, int]:
    """Fill the configured database at `scale`; returns rows written per table."""
    builder = BenchBuilder(SCALES[scale], seed, today or timezone.localdate(), out)
    with transaction.atomic():
        return builder.build()
