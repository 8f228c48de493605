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
from dondoc.core.dates import month_end, quarter_end, quarter_of
from dondoc.core.text import person_sort_key, search_key, sort_key
from dondoc.demo.load import DEMO_ACCOUNTS, TASK_TEMPLATES
from dondoc.demo.people import full_name
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
from dondoc.tracking.tallies import tallies_rebuild

AGENCIES_JSON = Path("dondoc/demo/data/agencies.json")
BENCH_PASSWORD = "dondoc-bench-2026"  # noqa: S105 - benchmark data only, printed by the runner
HISTORY_DAYS = 730
Row = tuple[Any, ...]

CHUNK = 50_000
STRATEGIC_RESOLUTIONS = 24
CONTRIBUTIONS = (0, 1, 1, 2, 2)  # contributions per coordinating link (mean 1.2)
TASK_COLUMNS = [
    "id", "document_id", "source_clause", "title", "search_text", "expected_product",
    "description", "lead_agency_id", "responsible_head", "deadline_kind", "due_on",
    "priority", "is_key", "created_on", "progress", "last_report_on",
    "reported_done_on", "accepted_on", "cancelled_on",
]  # fmt: skip
REPORT_COLUMNS = [
    "task_id",
    "agency_id",
    "reported_on",
    "period",
    "percent",
    "is_final",
    "product",
    "narrative",
]
EXTENSION_COLUMNS = [
    "task_id", "requested_on", "previous_due_on", "requested_due_on", "reason",
    "decision", "decided_by_id", "decided_on", "decision_reason",
]  # fmt: skip
OBSTACLE_COLUMNS = [
    "task_id", "agency_id", "raised_on", "text", "proposal", "level", "answer",
    "answered_by_id", "answered_on",
]  # fmt: skip
NARRATIVE_SENTENCES = [
    "Đã ban hành kế hoạch triển khai và phân công cụ thể cho các đơn vị.",
    "Đang tổng hợp ý kiến góp ý của các sở, ngành và địa phương.",
    "Đã tổ chức hội nghị quán triệt với sự tham gia của trên 300 đại biểu.",
    "Dự thảo báo cáo đã được gửi xin ý kiến Thường trực cấp ủy.",
    "Một số địa phương chậm gửi số liệu nên việc tổng hợp còn chậm so với kế hoạch.",
    "Đã hoàn thành khảo sát thực tế tại 12 đơn vị cơ sở.",
    "Cơ quan phối hợp đã cung cấp đầy đủ tài liệu theo đề nghị.",
    "Đang hoàn thiện dự thảo lần thứ hai sau khi tiếp thu ý kiến.",
    "Kinh phí thực hiện đã được bố trí trong dự toán năm.",
    "Đã thành lập tổ biên tập gồm đại diện các cơ quan liên quan.",
    "Tiến độ cơ bản bảo đảm theo kế hoạch đề ra.",
    "Đề nghị lùi thời gian tổ chức hội thảo do trùng lịch công tác.",
    "Đã số hóa 85% hồ sơ, tài liệu phục vụ cơ sở dữ liệu.",
    "Kết quả bước đầu được cấp ủy đánh giá cao.",
    "Còn vướng mắc về cơ chế phối hợp giữa các cơ quan, đang kiến nghị tháo gỡ.",
    "Đã gửi văn bản đôn đốc các đơn vị chưa báo cáo.",
]
EXTENSION_REASONS = [
    "Cần thêm thời gian lấy ý kiến các cơ quan liên quan.",
    "Nội dung phức tạp, cần tổ chức thêm hội thảo chuyên gia.",
    "Chờ số liệu tổng kết năm của các địa phương.",
    "Cơ quan phối hợp chưa gửi ý kiến đúng hạn.",
]
OBSTACLE_TEXTS = [
    "Chưa thống nhất được phương án giữa các cơ quan phối hợp.",
    "Thiếu kinh phí để tổ chức khảo sát tại các địa phương.",
    "Quy định hiện hành chưa rõ thẩm quyền quyết định.",
    "Nhân sự thực hiện thay đổi do sắp xếp tổ chức bộ máy.",
]


@dataclass(frozen=True)
class Scale:
    agencies: int
    office_staff: int  # office specialists (chuyên viên Văn phòng) besides the demo accounts
    documents: int
    tasks: int
    obstacles: int
    extensions: int


SCALES = {
    "tiny": Scale(150, 5, 60, 300, 30, 30),
    "small": Scale(400, 20, 600, 10_000, 2_000, 2_000),
    "medium": Scale(1_500, 60, 4_000, 100_000, 20_000, 20_000),
    "national": Scale(5_000, 200, 20_000, 1_000_000, 200_000, 200_000),
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
    """COPY on PostgreSQL, `executemany` elsewhere; counts rows per second per table.

    Columns not given get the model field's default (or now() for auto timestamps), so the
    rows are what the ORM would have written.
    """

    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.postgres = connection.vendor == "postgresql"
        self.timings: dict[str, tuple[int, float]] = {}

    def write(self, model: type[models.Model], columns: Sequence[str], rows: list[Row]) -> None:
        start = time.perf_counter()
        names, tail = self._columns(model, list(columns))
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + tail)
            else:
                marks = ", ".join(["%s"] * len(names))
                sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, [row + tail for row in rows])
        self._record(table, len(rows), time.perf_counter() - start)

    def _record(self, table: str, count: int, seconds: float) -> None:
        done, spent = self.timings.get(table, (0, 0.0))
        self.timings[table] = (done + count, spent + seconds)

    def report(self) -> None:
        for table, (count, seconds) in self.timings.items():
            rate = count / seconds if seconds else 0.0
            self.out(f"  {table:<32} {count:>10,} rows  {seconds:7.2f} s  {rate:>10,.0f} rows/s")

    @staticmethod
    def _columns(model: type[models.Model], columns: list[str]) -> tuple[list[str], Row]:
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
        return names + [str(c) for c, _ in extra], tuple(v for _, v in extra)


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
        start = time.perf_counter()
        with connection.cursor() as cursor:
            if self.writer.postgres:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Task, Document]):
                    cursor.execute(sql)
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give later
        self.writer.report()
        self.out(f"  analyze {time.perf_counter() - start:.1f} s")
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

    # Users, as agencies have them: the demo accounts; for each lead agency its head and one to
    # three focal points (most have one); the office's specialists.
    def _users(self) -> None:
        password = make_password(BENCH_PASSWORD)  # hashed once: the hasher is slow on purpose
        start = time.perf_counter()
        people: list[tuple[str, str, list[str], int | None, int]] = [
            (u, name, list(roles), self.agencies.get(code or ""), clearance)
            for u, name, roles, code, clearance in DEMO_ACCOUNTS
        ]
        taken = {p[0] for p in people}
        for pk, code, *_ in self.leads:
            key = code.lower()
            focal_count = self.rng.choices((1, 2, 3), (6, 3, 1))[0]
            staff = [(f"truong.{key}", RoleCode.HEAD), (f"daumoi.{key}", RoleCode.FOCAL)] + [
                (f"daumoi.{key}.{n}", RoleCode.FOCAL) for n in range(2, focal_count + 1)
            ]
            people += [
                (username, full_name(self.rng), [str(role)], pk, 0)
                for username, role in staff
                if username not in taken
            ]
        office = self.agencies.get("VPTW")
        people += [
            (f"chuyenvien{n:04d}", full_name(self.rng), [str(RoleCode.OFFICE)], office, 1)
            for n in range(self.scale.office_staff)
        ]
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
        strategic_left = STRATEGIC_RESOLUTIONS
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
            # A term has a couple of dozen strategic resolutions, not thousands.
            strategic = (
                doc_type == DocumentType.RESOLUTION and strategic_left > 0 and rng.random() < 0.3
            )
            strategic_left -= strategic
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
            return DeadlineKind.QUARTER, quarter_end(due.year, quarter_of(due))
        return DeadlineKind.DATE, due

    def _tasks(self) -> None:
        """Tasks and their history, written in chunks so memory stays flat at any scale."""
        self.doc_weights = [8 if d[4] else 3 for d in self.documents]
        self.lead_ids = [pk for pk, *_ in self.leads]
        self.narratives = _narratives(self.rng)
        base = (Task.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        done, total = 0, self.scale.tasks
        while done < total:
            size = min(CHUNK, total - done)
            self._task_chunk(base + done, size)
            done += size
            if total > CHUNK:
                self.out(f"  tasks {done:>10,} / {total:,}")

    def _task_chunk(self, first_id: int, size: int) -> None:
        rng, scale = self.rng, self.scale
        sources = rng.choices(self.documents, self.doc_weights, k=size)
        tasks: list[Row] = []
        coords: list[Row] = []
        reports: list[Row] = []
        late: list[int] = []
        for i, source in enumerate(sources):
            task, is_late = self._task(first_id + i, source, coords, reports)
            tasks.append(task)
            if is_late and task[10] is not None:
                late.append(i)
        extension_rows, extended = self._extensions(
            tasks, late, round(scale.extensions * size / scale.tasks)
        )
        at = TASK_COLUMNS.index("due_on") + 1
        self.writer.write(
            Task,
            [*TASK_COLUMNS[:at], "extended_due_on", *TASK_COLUMNS[at:]],
            [(*t[:at], extended.get(t[0]), *t[at:]) for t in tasks],
        )
        self.writer.write(Coordination, ["task_id", "agency_id"], coords)
        self.writer.write(ProgressReport, REPORT_COLUMNS, reports)
        self.writer.write(Extension, EXTENSION_COLUMNS, extension_rows)
        obstacles = self._obstacles(tasks, round(scale.obstacles * size / scale.tasks))
        self.writer.write(Obstacle, OBSTACLE_COLUMNS, obstacles)

    def _task(
        self, task_id: int, source: tuple[Any, ...], coords: list[Row], reports: list[Row]
    ) -> tuple[Row, bool]:
        """One task with the demo's lateness model; appends its links and reports."""
        rng, today = self.rng, self.today
        doc_id, issued, label, subject, _strategic = source
        earliest = max(issued + dt.timedelta(days=3), today - dt.timedelta(days=HISTORY_DAYS))
        created = earliest + dt.timedelta(days=rng.randint(0, max((today - earliest).days - 5, 0)))
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
        # History: the lead's periodic reports, then a final one on the completion day.
        end = min(completes or today, today, cancelled or today)
        cadence = rng.randint(35, 60) if late else rng.randint(20, 35)
        total = max(((completes or today) - created).days, 1)
        day = created + dt.timedelta(days=cadence)
        progress, last_report, done_on, accepted = 0, None, None, None
        narratives = self.narratives
        while day < end:
            pace = rng.uniform(0.55, 0.8) if late else rng.uniform(0.9, 1.1)
            progress = max(5, min(95, int(100 * (day - created).days / total * pace)))
            reports.append(
                (task_id, lead_pk, day, f"{day:%m/%Y}", progress, False, "", rng.choice(narratives))
            )
            last_report = day
            day += dt.timedelta(days=cadence)
        if completes is not None and completes <= today and cancelled is None:
            reports.append(
                (task_id, lead_pk, completes, f"{completes:%m/%Y}", 100, True, product,
                 rng.choice(narratives))
            )  # fmt: skip
            progress, last_report, done_on = 100, completes, completes
            accepted = completes + dt.timedelta(days=rng.randint(1, 10))
            accepted = accepted if accepted <= today else None
        # Coordinating agencies: 0-4 links, each contributing 0-2 times (mean 1.2) along the way.
        lived = max((end - created).days, 1)
        for agency in {rng.choice(self.lead_ids) for _ in range(rng.randrange(5))} - {lead_pk}:
            coords.append((task_id, agency))
            for _ in range(rng.choice(CONTRIBUTIONS)):
                on = created + dt.timedelta(days=rng.randrange(lived))
                reports.append(
                    (task_id, agency, on, f"{on:%m/%Y}", rng.randint(20, 100), False, "",
                     rng.choice(narratives))
                )  # fmt: skip
        task = (
            task_id, doc_id, f"Mục {rng.randint(1, 6)}.{rng.randint(1, 9)}", title,
            self.key(title), product, f"Triển khai theo {label}.", lead_pk,
            f"Người đứng đầu {short or name}", str(kind), due, priority, is_key,
            created, progress, last_report, done_on, accepted, cancelled,
        )  # fmt: skip
        return task, late

    def _extensions(
        self, tasks: list[Row], late: list[int], quota: int
    ) -> tuple[list[Row], dict[int, dt.date]]:
        """Extensions on late tasks, asked 2 to 10 days before the deadline; 60% approved."""
        rng, rows, extended = self.rng, [], {}
        for i in rng.sample(late, min(quota, len(late))):
            task_id, due, created = tasks[i][0], tasks[i][10], tasks[i][13]
            asked = max(due - dt.timedelta(days=rng.randint(2, 10)), created)
            approved = rng.random() < 0.6
            requested = due + dt.timedelta(days=rng.choice([15, 30, 45, 60]))
            rows.append(
                (
                    task_id, asked, due, requested, rng.choice(EXTENSION_REASONS),
                    Decision.APPROVED if approved else Decision.REFUSED, self.office_id,
                    min(asked + dt.timedelta(days=3), self.today),
                    "Đồng ý gia hạn." if approved else "Đề nghị khẩn trương hoàn thành đúng hạn.",
                )
            )  # fmt: skip
            if approved:
                extended[task_id] = requested
        return rows, extended

    def _obstacles(self, tasks: list[Row], quota: int) -> list[Row]:
        """Obstacles on random tasks, raised 5-40 days in; half answered, 30% for the leader."""
        rng, rows = self.rng, []
        for t in rng.sample(tasks, min(quota, len(tasks))):
            raised = min(t[13] + dt.timedelta(days=rng.randint(5, 40)), self.today)
            answered = rng.random() < 0.5
            rows.append(
                (
                    t[0], t[7], raised, rng.choice(OBSTACLE_TEXTS),
                    "Đề nghị Văn phòng Trung ương chủ trì cuộc họp liên ngành.",
                    ObstacleLevel.LEADER if rng.random() < 0.3 else ObstacleLevel.OFFICE,
                    "Văn phòng sẽ tổ chức họp liên ngành trong tháng." if answered else "",
                    self.office_id if answered else None,
                    min(raised + dt.timedelta(days=7), self.today) if answered else None,
                )
            )  # fmt: skip
        return rows


def _narratives(rng: random.Random, count: int = 400) -> list[str]:
    """Report narratives of 1-5 sentences (about 60 to 600 characters), Vietnamese."""
    return [" ".join(rng.sample(NARRATIVE_SENTENCES, rng.randint(1, 5))) for _ in range(count)]


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
        counts = builder.build()
        start = time.perf_counter()
        counts["tally_rows"] = tallies_rebuild(timezone.localdate())  # the services' counts
        out(f"  tallies {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # what autovacuum would do soon: visibility map
            cursor.execute("VACUUM ANALYZE")
    return counts
