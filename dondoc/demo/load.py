"""Load the demo: agencies, accounts, documents, working sessions, tasks and their history."""

import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dondoc.accounts.models import Clearance, Role, RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.agencies.reference import load_reference_agencies
from dondoc.core.dates import month_end, quarter_end, quarter_of
from dondoc.core.text import search_key
from dondoc.demo import congress, consultation, programs
from dondoc.demo.people import full_name
from dondoc.tracking.models import (
    Coordination,
    DeadlineKind,
    Decision,
    DirectiveOpinion,
    Document,
    Extension,
    Obstacle,
    ObstacleLevel,
    Priority,
    ProgressReport,
    Task,
    WorkingSession,
)
from dondoc.tracking.symbols import parse_symbol
from dondoc.tracking.tallies import tallies_rebuild

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "dondoc-demo-2026"  # noqa: S105 - printed for newcomers; demo only

# username, full name, roles, agency code (None: no agency), clearance
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", [RoleCode.ADMIN], "VPTW", Clearance.SECRET),
    ("vanphong", "Nguyễn Thị Thu Hà", [RoleCode.OFFICE], "VPTW", Clearance.SECRET),
    ("lanhdao", "Trần Quốc Bảo", [RoleCode.LEADER], "VPTW", Clearance.TOP_SECRET),
    ("kiemtra", "Lê Minh Tâm", [RoleCode.INSPECTOR], "UBKTTW", Clearance.SECRET),
    ("daumoi.btctw", "Phạm Văn Hùng", [RoleCode.FOCAL], "BTCTW", Clearance.CONFIDENTIAL),
    ("daumoi.hanoi", "Vũ Thị Lan", [RoleCode.FOCAL], "HANOI", Clearance.NORMAL),
    ("truong.btctw", "Hoàng Đức Long", [RoleCode.HEAD], "BTCTW", Clearance.SECRET),
    ("thuky", "Đỗ Ngọc Ánh", [RoleCode.SECRETARIAT], "VPTW", Clearance.CONFIDENTIAL),
]

ISSUERS = {
    "Ban Chấp hành Trung ương": "BCHTW",
    "Bộ Chính trị": "BCT",
    "Bộ Chính trị, Ban Bí thư": "BCT",
    "Ban Bí thư": "BBT",
    "Văn phòng Trung ương Đảng": "VPTW",
    "Chính phủ": "CP",
}

TASK_TEMPLATES = [
    ("Xây dựng kế hoạch triển khai thực hiện {doc}", "Kế hoạch được ban hành", 45),
    ("Tổ chức hội nghị quán triệt, triển khai {doc}", "Hội nghị được tổ chức; báo cáo kết quả", 60),
    (
        "Rà soát, đề xuất sửa đổi, bổ sung các quy định liên quan đến {subject}",
        "Báo cáo rà soát",
        120,
    ),
    ("Xây dựng đề án về {subject}", "Đề án trình Bộ Chính trị", 180),
    ("Báo cáo sơ kết 6 tháng thực hiện {doc}", "Báo cáo sơ kết", 180),
    ("Hướng dẫn các cấp ủy thực hiện {doc}", "Văn bản hướng dẫn", 75),
    ("Kiểm tra, giám sát việc thực hiện {doc} tại các địa phương", "Báo cáo kết quả kiểm tra", 150),
    ("Tuyên truyền, phổ biến nội dung {doc}", "Báo cáo kết quả tuyên truyền", 90),
    ("Đề xuất cơ chế, chính sách đặc thù về {subject}", "Tờ trình kèm dự thảo văn bản", 150),
    ("Xây dựng cơ sở dữ liệu phục vụ theo dõi {subject}", "Cơ sở dữ liệu vận hành", 240),
    ("Chuẩn bị nội dung làm việc của Thường trực Ban Bí thư về {subject}", "Báo cáo chuyên đề", 40),
    ("Tổng hợp kết quả thực hiện {doc} quý", "Báo cáo quý", 90),
]

TOPICS = [
    "Tổ chức bộ máy",
    "Khoa học, công nghệ",
    "Chuyển đổi số",
    "Kinh tế tư nhân",
    "Hội nhập",
    "Xây dựng pháp luật",
    "Công tác cán bộ",
    "Đại hội Đảng",
    "Năng lượng",
    "Giáo dục",
    "Y tế",
]


@dataclass
class Plan:
    """What the generator decided for one task before writing it."""

    task: Task
    coordinators: list[Agency]
    late_drawn: bool
    completes_on: dt.date | None
    reports: list[ProgressReport] = field(default_factory=list)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class DemoBuilder:
    def __init__(self, today: dt.date, tasks: int, seed: int) -> None:
        self.today = today
        self.target_tasks = tasks
        self.rng = random.Random(seed)

    def build(self) -> dict[str, int]:
        load_reference_agencies(DATA / "agencies.json")
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.leads = [
            a
            for a in Agency.objects.active().exclude(kind=AgencyKind.LEADERSHIP).order_by("code")
            if a.code != "VPTW"
        ]
        # Each agency's hidden reliability: most are dependable, a few struggle.
        self.reliability = {a.pk: self.rng.betavariate(6, 2) for a in self.leads}
        self._accounts()
        documents = self._documents()
        opinions = self._sessions()
        plans = self._tasks(documents, opinions)
        self._write(plans)
        return {"agencies": len(self.agencies), "documents": len(documents), "tasks": len(plans)}

    def _accounts(self) -> None:
        roles = {r.code: r for r in Role.objects.all()}
        password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
        for username, name, role_codes, agency_code, clearance in DEMO_ACCOUNTS:
            user = User(
                username=username,
                full_name=name,
                clearance=clearance,
                agency=self.agencies.get(agency_code) if agency_code else None,
                email=f"{username}@dondoc.local",
                is_superuser=False,
            )
            user.password = password
            user.save()
            user.roles.set([roles[c] for c in role_codes])
        existing = set(User.objects.values_list("username", flat=True))
        for agency in self.leads:
            username = f"daumoi.{agency.code.lower()}"
            if username in existing:
                continue
            user = User(
                username=username,
                full_name=full_name(self.rng),
                agency=agency,
                email=f"{username}@dondoc.local",
                position="Chuyên viên",
            )
            user.password = password
            user.save()
            user.roles.set([roles[RoleCode.FOCAL]])

    def _documents(self) -> list[Document]:
        raw = json.loads((DATA / "documents.json").read_text(encoding="utf-8"))["documents"]
        documents = []
        for item in raw:
            symbol = parse_symbol(item["symbol"])
            title = item["subject"].split(" (")[0]
            documents.append(
                Document.objects.create(
                    symbol=item["symbol"],
                    number=symbol.number,
                    doc_type=symbol.doc_type,
                    issuer_code=symbol.issuer_code,
                    issuing_body=self.agencies[ISSUERS[item["issuer"]]],
                    term="XIV" if item["date"] >= "2026-01-23" else "XIII",
                    issued_on=dt.date.fromisoformat(item["date"]),
                    title=title[0].upper() + title[1:],
                    is_strategic=bool(item.get("strategic")),
                    classification=Clearance.CONFIDENTIAL if "tổ chức bộ máy" in title else 0,
                )
            )
        return [d for d in documents if d.issued_on >= self.today - dt.timedelta(days=800)]

    def _sessions(self) -> list[DirectiveOpinion]:
        opinions = []
        topics = [
            "chuyển đổi số trong các cơ quan Đảng",
            "công tác chuẩn bị Đại hội XIV",
            "sắp xếp đơn vị hành chính",
            "phát triển kinh tế tư nhân",
        ]
        for months_ago, topic in enumerate(topics, start=1):
            session = WorkingSession.objects.create(
                held_on=self.today - dt.timedelta(days=30 * months_ago + 5),
                chair="Thường trực Ban Bí thư",
                topic=f"Làm việc chuyên đề về {topic}",
            )
            for n in range(1, 4):
                opinions.append(
                    DirectiveOpinion.objects.create(
                        session=session,
                        text=f"Ý kiến chỉ đạo số {n} về {topic}: khẩn trương hoàn thiện, "
                        "báo cáo Thường trực Ban Bí thư.",
                    )
                )
        return opinions

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

    def _tasks(self, documents: list[Document], opinions: list[DirectiveOpinion]) -> list[Plan]:
        plans: list[Plan] = []
        sources: list[Document | DirectiveOpinion] = [*documents, *opinions]
        weights = [8 if isinstance(s, Document) and s.is_strategic else 3 for s in sources]
        while len(plans) < self.target_tasks:
            source = self.rng.choices(sources, weights)[0]
            plans.append(self._plan(source, len(plans)))
        return plans

    def _plan(self, source: Document | DirectiveOpinion, n: int) -> Plan:
        rng = self.rng
        if isinstance(source, Document):
            start, doc_label, subject = (
                source.issued_on,
                f"{source.get_doc_type_display()} số {source.symbol}",
                source.title.lower(),
            )
        else:
            start, doc_label, subject = (
                source.session.held_on,
                "ý kiến chỉ đạo của Thường trực Ban Bí thư",
                source.session.topic.lower().removeprefix("làm việc chuyên đề về "),
            )
        earliest = max(start + dt.timedelta(days=3), self.today - dt.timedelta(days=300))
        created = earliest + dt.timedelta(
            days=rng.randint(0, max((self.today - earliest).days - 5, 0))
        )
        template, product, window = rng.choice(TASK_TEMPLATES)
        window = max(14, int(window * rng.uniform(0.5, 1.4)))
        kind, due = self._deadline(created, window)
        lead = rng.choice(self.leads)
        priority = rng.choices([Priority.NORMAL, Priority.HIGH, Priority.URGENT], [70, 22, 8])[0]
        is_key = priority > 0 or rng.random() < 0.08
        has_dependency = rng.random() < 0.12
        title = template.format(doc=doc_label, subject=subject)
        task = Task(
            document=source if isinstance(source, Document) else None,
            opinion=source if isinstance(source, DirectiveOpinion) else None,
            source_clause=f"Mục {rng.randint(1, 6)}.{rng.randint(1, 9)}"
            if isinstance(source, Document)
            else "",
            title=title[:500],
            search_text=search_key(title)[:700],
            expected_product=product,
            description=f"Triển khai theo {doc_label}.",
            lead_agency=lead,
            responsible_head=f"Người đứng đầu {lead.short_name or lead.name}",
            deadline_kind=kind,
            due_on=due,
            priority=priority,
            is_key=is_key,
            created_on=created,
            classification=getattr(source, "classification", 0),
        )
        # Lateness: hidden agency reliability, tight windows, open dependencies, normal priority.
        tight = 1.0 if window < 45 else 0.0
        logit = (
            -1.2
            + 4.0 * (0.75 - self.reliability[lead.pk])
            + 0.9 * tight
            + 1.1 * has_dependency
            - 0.5 * (priority > 0)
            + rng.gauss(0, 0.6)
        )
        late = rng.random() < _sigmoid(logit)
        completes_on = None
        if due is not None:
            span = max((due - created).days, 1)
            if late:
                mean_delay = 90 if rng.random() < 0.3 else 20  # some late tasks get stuck
                completes_on = due + dt.timedelta(days=int(rng.expovariate(1 / mean_delay)) + 1)
            else:
                completes_on = due - dt.timedelta(days=int(span * rng.uniform(0, 0.35)))
            cancelled = created + dt.timedelta(days=span // 2)
            if rng.random() < 0.02 and cancelled <= self.today:
                task.cancelled_on = cancelled
        coordinators = rng.sample(
            [a for a in self.leads if a != lead], k=rng.choice([0, 0, 1, 2, 3])
        )
        plan = Plan(task, coordinators, late, completes_on)
        plan.has_dependency = has_dependency  # type: ignore[attr-defined]
        return plan

    def _history(self, plan: Plan) -> None:
        """Progress reports from creation to completion (or today); late tasks lag and go quiet."""
        task, rng = plan.task, self.rng
        end = min(plan.completes_on or self.today, self.today, task.cancelled_on or self.today)
        cadence = rng.randint(35, 60) if plan.late_drawn else rng.randint(20, 35)
        total = max(((plan.completes_on or self.today) - task.created_on).days, 1)
        day = task.created_on + dt.timedelta(days=cadence)
        while day < end:
            share = (day - task.created_on).days / total
            pace = rng.uniform(0.55, 0.8) if plan.late_drawn else rng.uniform(0.9, 1.1)
            percent = max(5, min(95, int(100 * share * pace)))
            plan.reports.append(
                ProgressReport(
                    task=task,
                    agency=task.lead_agency,
                    reported_on=day,
                    period=f"{day:%m/%Y}",
                    percent=percent,
                    narrative="Đang triển khai; đã hoàn thành các bước theo kế hoạch.",
                )
            )
            day += dt.timedelta(days=cadence)
        done = plan.completes_on
        if done is not None and done <= self.today and not task.cancelled_on:
            plan.reports.append(
                ProgressReport(
                    task=task,
                    agency=task.lead_agency,
                    reported_on=done,
                    percent=100,
                    is_final=True,
                    period=f"{done:%m/%Y}",
                    product=task.expected_product,
                    narrative=f"Đã hoàn thành: {task.expected_product.lower()}.",
                )
            )
            task.reported_done_on = done
            accepted = done + dt.timedelta(days=rng.randint(1, 10))
            task.accepted_on = accepted if accepted <= self.today else None
        if plan.reports:
            task.progress = plan.reports[-1].percent
            task.last_report_on = plan.reports[-1].reported_on

    @transaction.atomic
    def _write(self, plans: list[Plan]) -> None:
        for plan in plans:
            self._history(plan)
        Task.objects.bulk_create([p.task for p in plans], batch_size=500)
        Coordination.objects.bulk_create(
            [Coordination(task=p.task, agency=a) for p in plans for a in p.coordinators],
            batch_size=1000,
        )
        ProgressReport.objects.bulk_create([r for p in plans for r in p.reports], batch_size=1000)
        self._dependencies(plans)
        self._extensions(plans)
        self._obstacles(plans)
        self._topics(plans)

    def _dependencies(self, plans: list[Plan]) -> None:
        through = Task.depends_on.through
        links = []
        for i, plan in enumerate(plans):
            if getattr(plan, "has_dependency", False) and i > 0:
                other = plans[self.rng.randrange(0, i)].task
                links.append(through(from_task_id=plan.task.pk, to_task_id=other.pk))
        through.objects.bulk_create(links, ignore_conflicts=True)

    def _extensions(self, plans: list[Plan]) -> None:
        office = User.objects.get(username="vanphong")
        extensions, extended = [], []
        for plan in plans:
            task = plan.task
            if not plan.late_drawn or task.due_on is None or self.rng.random() > 0.35:
                continue
            asked = task.due_on - dt.timedelta(days=self.rng.randint(2, 10))
            if asked > self.today or asked <= task.created_on:
                continue
            approved = self.rng.random() < 0.6
            requested = task.due_on + dt.timedelta(days=self.rng.choice([15, 30, 45, 60]))
            extensions.append(
                Extension(
                    task=task,
                    requested_on=asked,
                    previous_due_on=task.due_on,
                    requested_due_on=requested,
                    reason="Cần thêm thời gian lấy ý kiến các cơ quan liên quan.",
                    decision=Decision.APPROVED if approved else Decision.REFUSED,
                    decided_by=office,
                    decided_on=min(asked + dt.timedelta(days=3), self.today),
                    decision_reason="Đồng ý gia hạn."
                    if approved
                    else "Đề nghị khẩn trương hoàn thành đúng hạn.",
                )
            )
            if approved:
                task.extended_due_on = requested
                extended.append(task)
        Extension.objects.bulk_create(extensions)
        Task.objects.bulk_update(extended, ["extended_due_on"], batch_size=500)

    def _obstacles(self, plans: list[Plan]) -> None:
        office = User.objects.get(username="vanphong")
        obstacles = []
        for plan in plans:
            task = plan.task
            if task.reported_done_on or self.rng.random() > (0.12 if plan.late_drawn else 0.03):
                continue
            raised = task.created_on + dt.timedelta(days=self.rng.randint(5, 40))
            if raised > self.today:
                continue
            answered = self.rng.random() < 0.5
            obstacles.append(
                Obstacle(
                    task=task,
                    agency=task.lead_agency,
                    raised_on=raised,
                    text="Chưa thống nhất được phương án giữa các cơ quan phối hợp.",
                    proposal="Đề nghị Văn phòng Trung ương chủ trì cuộc họp liên ngành.",
                    level=ObstacleLevel.LEADER if self.rng.random() < 0.3 else ObstacleLevel.OFFICE,
                    answer="Văn phòng sẽ tổ chức họp liên ngành trong tháng." if answered else "",
                    answered_by=office if answered else None,
                    answered_on=min(raised + dt.timedelta(days=7), self.today)
                    if answered
                    else None,
                )
            )
        Obstacle.objects.bulk_create(obstacles)

    def _topics(self, plans: list[Plan]) -> None:
        from dondoc.tracking.models import Topic

        topics = [Topic.objects.create(name=name) for name in TOPICS]
        through = Task.topics.through
        through.objects.bulk_create(
            [through(task_id=p.task.pk, topic_id=self.rng.choice(topics).pk) for p in plans],
            batch_size=1000,
        )


def demo_load(tasks: int = 3000, seed: int = 2026, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo. Returns what was created."""
    day = today or timezone.localdate()
    with transaction.atomic():
        created = DemoBuilder(day, tasks, seed).build()
        created["followed_documents"] = _assign_followers()
        for load in (programs.load, congress.load, consultation.load):
            created |= load(day, seed)
        created["tally_rows"] = tallies_rebuild(timezone.localdate())  # written around services
        return created


def _assign_followers() -> int:
    """The office's specialist follows every other document, so her queue's "mine" has work
    (the rest show under "all"). Written directly, like the rest of the demo's history."""
    office = User.objects.get(username="vanphong")
    followed = list(Document.objects.order_by("pk").values_list("pk", flat=True)[::2])
    Task.objects.filter(document_id__in=followed, follower__isnull=True).update(followed_by=office)
    return Document.objects.filter(pk__in=followed).update(follower=office)


def database_is_empty() -> bool:
    return not Agency.objects.exists()
