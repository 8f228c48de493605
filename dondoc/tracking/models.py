"""Directive tracking: documents, directive opinions, tasks and what agencies report on them.

Only facts are stored (deadlines, report dates, acceptance, cancellation); a task's status is
derived from them as of a day, by the rules in `status.py`.
"""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Clearance
from dondoc.core.fields import CleanCharField, CleanTextField
from dondoc.core.text import search_key

if TYPE_CHECKING:
    from dondoc.agencies.models import Agency


class DocumentType(models.TextChoices):
    RESOLUTION = "NQ", _("Nghị quyết")
    DIRECTIVE = "CT", _("Chỉ thị")
    CONCLUSION = "KL", _("Kết luận")
    REGULATION = "QĐ", _("Quy định, quyết định")
    NOTICE = "TB", _("Thông báo")
    PLAN = "KH", _("Kế hoạch")
    PROGRAM = "CTr", _("Chương trình")
    PROPOSAL = "ĐA", _("Đề án")
    REPORT = "BC", _("Báo cáo")
    LETTER = "CV", _("Công văn")
    GUIDANCE = "HD", _("Hướng dẫn")
    RULES = "QC", _("Quy chế")
    STATEMENT = "TTr", _("Tờ trình")
    CIRCULAR = "TT", _("Thông tri")
    DECREE = "NĐ", _("Nghị định")


class Urgency(models.TextChoices):
    NORMAL = "", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    EXPRESS = "hoa_toc", _("Hỏa tốc")


class Document(models.Model):
    symbol = CleanCharField(_("số, ký hiệu"), max_length=64)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    doc_type = CleanCharField(_("loại văn bản"), max_length=8, choices=DocumentType.choices)
    issuer_code = CleanCharField(_("ký hiệu cơ quan ban hành"), max_length=32)
    issuing_body = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="documents_issued",
    )
    term = CleanCharField(_("khóa"), max_length=16, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    title = CleanCharField(_("trích yếu"), max_length=500)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Clearance.choices, default=Clearance.NORMAL
    )
    urgency = CleanCharField(_("độ khẩn"), max_length=16, choices=Urgency.choices, blank=True)
    is_strategic = models.BooleanField(_("nghị quyết chiến lược"), default=False)
    full_text = CleanTextField(_("toàn văn"), blank=True)
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chuyên viên theo dõi"),
    )
    search_text = CleanCharField(max_length=700, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)  # compare-and-set: `document_update`

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "doc_type", "term", "number"],
                name="document_number_unique_per_issuer_type_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = search_key(f"{self.symbol} {self.title}")[:700]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class WorkingSession(models.Model):
    """A leader's thematic working session (buổi làm việc chuyên đề)."""

    held_on = models.DateField(_("ngày làm việc"))
    chair = CleanCharField(_("người chủ trì"), max_length=200)
    topic = CleanCharField(_("chuyên đề"), max_length=500)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Clearance.choices, default=Clearance.NORMAL
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("buổi làm việc")

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} — {self.topic}"


class DirectiveOpinion(models.Model):
    """A directive opinion (ý kiến chỉ đạo) given at a working session."""

    session = models.ForeignKey(WorkingSession, on_delete=models.CASCADE, related_name="opinions")
    text = CleanTextField(_("nội dung ý kiến chỉ đạo"))

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")

    def __str__(self) -> str:
        return self.text[:80]


class Topic(models.Model):
    name = CleanCharField(_("chủ đề"), max_length=120, unique=True)

    def __str__(self) -> str:
        return self.name


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    MONTH = "month", _("Trong tháng")
    QUARTER = "quarter", _("Trong quý")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    ONGOING = "ongoing", _("Thường xuyên")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Bình thường")
    HIGH = 1, _("Cao")
    URGENT = 2, _("Khẩn")


class Task(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    opinion = models.ForeignKey(
        DirectiveOpinion, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        db_index=False,  # indexed where set: see Meta.indexes
    )  # fmt: skip
    # The program item (đề án) whose approval assigned the task; tracking reads only its id
    # and title (programs stands above tracking: the reference is by name, not by import).
    program_item = models.ForeignKey(
        "programs.ProgramItem", verbose_name=_("đề án, nội dung chương trình"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        db_index=False,  # indexed where set: see Meta.indexes
    )  # fmt: skip
    source_clause = CleanCharField(_("điều, khoản, mục"), max_length=200, blank=True)
    title = CleanCharField(_("nhiệm vụ"), max_length=500)
    description = CleanTextField(_("nội dung"), blank=True)
    expected_product = CleanCharField(_("sản phẩm đầu ra"), max_length=300, blank=True)
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="tasks_led",
    )
    coordinating_agencies: "models.ManyToManyField[Agency, Coordination]" = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("cơ quan phối hợp"),
        through="Coordination",
        related_name="tasks_coordinated",
        blank=True,
    )
    responsible_head = CleanCharField(
        _("người đứng đầu chịu trách nhiệm"), max_length=200, blank=True
    )
    deadline_kind = CleanCharField(
        _("loại thời hạn"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    extended_due_on = models.DateField(_("thời hạn đã gia hạn"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("mức ưu tiên"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_key = models.BooleanField(_("nhiệm vụ trọng tâm"), default=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="subtasks",
        db_index=False,  # indexed where set: see Meta.indexes
    )  # fmt: skip
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, related_name="blocking", blank=True, verbose_name=_("chờ")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="tasks")
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Clearance.choices, default=Clearance.NORMAL
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    last_report_on = models.DateField(_("báo cáo gần nhất"), null=True, blank=True)
    reported_done_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    accepted_on = models.DateField(_("ngày xác nhận hoàn thành"), null=True, blank=True)
    cancelled_on = models.DateField(_("ngày hủy, điều chỉnh"), null=True, blank=True)
    created_on = models.DateField(_("ngày giao"))
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chuyên viên theo dõi"),
    )
    # Who follows the task in effect: its own follower, else its document's. Kept by the
    # services in the same transaction (task creation, `task_follower_set`,
    # `document_follower_set`); the queue's "mine" and the notifications read it.
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,  # indexed where set: see Meta.indexes
    )
    search_text = CleanCharField(max_length=700, editable=False, db_index=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["lead_agency", "due_on"], name="task_lead_due"),
            models.Index(fields=["due_on", "id"], name="task_due_id"),
            # The effective deadline (after an approved extension): deadline ranges, due-soon lists.
            models.Index(Coalesce("extended_due_on", "due_on"), "id", name="task_deadline_id"),
            models.Index(fields=["document", "lead_agency"], name="task_document_lead"),
            # Few tasks have a parent or come from a directive opinion. Indexed whole, the NULLs
            # made SQLite's statistics promise thousands of rows per parent, so it walked the
            # deadline index instead (a task page's subtasks: 172 ms at 100,000 tasks).
            models.Index(
                fields=["parent"], condition=models.Q(parent__isnull=False), name="task_parent"
            ),
            models.Index(
                fields=["opinion"], condition=models.Q(opinion__isnull=False), name="task_opinion"
            ),
            models.Index(
                fields=["program_item"],
                condition=models.Q(program_item__isnull=False),
                name="task_program_item",
            ),
            # The office's queue: the few tasks whose completion awaits acceptance.
            models.Index(
                fields=["reported_done_on"],
                condition=models.Q(reported_done_on__isnull=False, accepted_on__isnull=True),
                name="task_awaiting_acceptance",
            ),
            # The queue's "mine": the tasks a specialist follows (most follow none).
            models.Index(
                fields=["followed_by", "id"],
                condition=models.Q(followed_by__isnull=False),
                name="task_followed_by",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="task_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_kind="ongoing") | models.Q(due_on__isnull=False),
                name="task_has_deadline_unless_ongoing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = search_key(self.title)[:700]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def effective_due_on(self):  # type: ignore[no-untyped-def]
        return self.extended_due_on or self.due_on


class Coordination(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="coordinations")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="coordinations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="coordination_unique")
        ]
        indexes = [models.Index(fields=["agency", "task"], name="coordination_agency_task")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.task}"


class TaskSource(models.TextChoices):
    FORM = "form", _("Biểu mẫu")
    IMPORT = "import", _("Nhập từ Excel")
    ASSIST = "assist", _("Nhập từ văn bản")
    API = "api", _("API")


class TaskSubmission(models.Model):
    """One submission that created tasks: a page's form token, or an imported file's checksum.

    The unique `key` is what stops a double click, a resubmitted page or a file imported twice
    from creating the same tasks again: the second insert fails in the database, whatever the
    timing (`services.tasks_create_many`)."""

    key = CleanCharField(max_length=80, unique=True)
    source = CleanCharField(max_length=16, choices=TaskSource.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    file_name = CleanCharField(max_length=255, blank=True)
    created = models.PositiveIntegerField(default=0)
    first_task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )

    def __str__(self) -> str:
        return self.key


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reported_on = models.DateField(_("ngày báo cáo"))
    period = CleanCharField(_("kỳ báo cáo"), max_length=32, blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    narrative = CleanTextField(_("kết quả thực hiện"))
    is_final = models.BooleanField(_("báo cáo hoàn thành"), default=False)
    product = CleanCharField(_("sản phẩm"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["task", "reported_on"], name="report_task_date"),
            models.Index(fields=["created_at", "id"], name="report_created"),  # the queue
        ]
        verbose_name = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y} {self.percent}%"


class Decision(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class Extension(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_on = models.DateField(_("ngày đề nghị"))
    previous_due_on = models.DateField(_("thời hạn trước khi gia hạn"))
    requested_due_on = models.DateField(_("thời hạn đề nghị"))
    reason = CleanTextField(_("lý do"))
    decision = CleanCharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = CleanTextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["decision", "created_at"], name="extension_decision")]
        verbose_name = _("đề nghị gia hạn")
        constraints = [
            # One request awaiting a decision per task, decided by the database: of simultaneous
            # requests (a double click) one is stored and the others refused (services).
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(decision="pending"),
                name="extension_one_pending_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous_due_on:%d/%m/%Y} → {self.requested_due_on:%d/%m/%Y}"


class ObstacleLevel(models.TextChoices):
    OFFICE = "office", _("Văn phòng xử lý")
    LEADER = "leader", _("Báo cáo lãnh đạo")


class Obstacle(models.Model):
    """An obstacle or proposal (vướng mắc, kiến nghị) raised by an agency on a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="obstacles")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    raised_on = models.DateField(_("ngày nêu"))
    text = CleanTextField(_("vướng mắc"))
    proposal = CleanTextField(_("kiến nghị"), blank=True)
    level = CleanCharField(
        max_length=16, choices=ObstacleLevel.choices, default=ObstacleLevel.OFFICE
    )
    answer = CleanTextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("vướng mắc, kiến nghị")
        indexes = [
            models.Index(fields=["answered_on", "level"], name="obstacle_open"),
            # The queue: open obstacles of a level, oldest first, read until a page is full.
            models.Index(
                fields=["level", "created_at", "id"],
                condition=models.Q(answered_on__isnull=True),
                name="obstacle_open_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class LeadTransfer(models.Model):
    """An open task passed from one lead agency to another (after a merge or by decision).

    The task's `lead_agency` is the current lead; these rows let a report for a past day find
    the lead of that day, so old reports read as they did.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="lead_transfers")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    transferred_on = models.DateField(_("ngày chuyển giao"))
    reorganization = models.ForeignKey(
        "agencies.Reorganization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["transferred_on", "id"]
        indexes = [models.Index(fields=["task", "transferred_on"], name="transfer_task_day")]

    def __str__(self) -> str:
        return f"{self.from_agency} → {self.to_agency} ({self.transferred_on:%d/%m/%Y})"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """A random name under attachments/YYYY/MM/: the uploader's file name never reaches a path
    (it is kept in `original_name`, for display and download only)."""
    return f"attachments/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file kept with a document (its text, annexes) or with a progress report (evidence).

    Stored by the default storage in MEDIA_ROOT, outside the web root; it is only ever served
    by a view that checks access through its parent (`attachments.attachment_access`). The
    content type is the one detected from the content (`attachments.check_file`), never the
    browser's.
    """

    document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("báo cáo tiến độ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    original_name = CleanCharField(_("tên tệp"), max_length=255)
    file = models.FileField(upload_to=attachment_upload_to, max_length=255)
    content_type = CleanCharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = CleanCharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=False, report__isnull=True)
                | models.Q(document__isnull=True, report__isnull=False),
                name="attachment_has_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class RecurringPeriod(models.Model):
    """One period of a recurring task (hằng tháng, hằng quý), closed by the lead agency's report.

    The task's `due_on` is the due date of its oldest period not yet reported; each lead report
    closes that period here (on time or late, for ever) and moves the task to the next one.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="periods")
    due_on = models.DateField(_("hạn của kỳ"))
    extended_due_on = models.DateField(_("hạn đã gia hạn của kỳ"), null=True, blank=True)
    reported_on = models.DateField(_("ngày báo cáo"))
    report = models.OneToOneField(
        ProgressReport, on_delete=models.CASCADE, related_name="closed_period"
    )

    class Meta:
        ordering = ["task", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due_on"], name="recurring_period_unique")
        ]
        verbose_name = _("kỳ của nhiệm vụ định kỳ")

    def __str__(self) -> str:
        return f"{self.task_id} {self.due_on:%m/%Y}"

    @property
    def on_time(self) -> bool:
        return self.reported_on <= (self.extended_due_on or self.due_on)


class QueueVisit(models.Model):
    """When a user last marked their work queue as seen: what came in after is "new"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_visit"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} {self.seen_at:%Y-%m-%d %H:%M}"


# Tallies: counts kept by the services, from which the figures are small sums (`tallies.py`) --


class TaskTally(models.Model):
    """How many tasks one lead agency has with the same facts, as they compare with any day of
    the tallies' window (`TallyWindow`): dates before the window read as its first day, dates
    after it as the day after (deadlines: far enough after that no day of the window sees them
    as due soon). Statuses are not kept: they are derived from these dates by the same SQL as
    the tasks' own (`status.status_expression`), for any day of the window."""

    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    classification = models.PositiveSmallIntegerField()
    is_key = models.BooleanField()
    strategic_document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, related_name="+"
    )  # the document, when it is a strategic resolution
    deadline_kind = models.CharField(max_length=16)  # "ongoing" or "date"
    due_on = models.DateField(null=True)  # the effective deadline, clamped; None: no deadline
    late = models.BooleanField()  # reported done after the effective deadline
    created_on = models.DateField()
    reported_done_on = models.DateField(null=True)
    accepted_on = models.DateField(null=True)
    cancelled_on = models.DateField(null=True)
    tasks = models.PositiveIntegerField()
    late_days = models.PositiveIntegerField(default=0)  # days after the deadline, summed

    class Meta:
        indexes = [models.Index(fields=["lead_agency"], name="tasktally_agency")]

    def __str__(self) -> str:
        return f"{self.lead_agency_id}: {self.tasks}"


class MonthTally(models.Model):
    """An agency's tasks done and overdue at the end of each past month of the trend, counted
    from the current facts (a later extension changes last month's figure, as it does when
    counted from the tasks)."""

    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    classification = models.PositiveSmallIntegerField()
    day = models.DateField()
    done = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["lead_agency"], name="monthtally_agency")]

    def __str__(self) -> str:
        return f"{self.lead_agency_id} {self.day}: {self.done}/{self.overdue}"


class TallyWindow(models.Model):
    """The one row saying for which days the tallies hold (`from_day` to `until_day`), and the
    figures' version: every change the tallies see moves it on."""

    from_day = models.DateField()
    until_day = models.DateField()
    due_soon_days = models.PositiveSmallIntegerField()
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.from_day}-{self.until_day} v{self.version}"


class AgencyTally(models.Model):
    """The version of the figures an agency's staff see (tasks it leads or coordinates): moved on
    by every change to one of those tasks, so a change elsewhere keeps their cache."""

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.agency_id} v{self.version}"


class EventOutbox(models.Model):
    """A task's event (`tracking/events.py`), written in the same transaction as the change it
    tells of: if the process dies between the change's commit and the event's handlers, the row
    is still here, unsent, and the periodic sweep (`events.events_redispatch_stale`) runs the
    handlers then. `dispatched_at` is set by compare-and-set in the same transaction as the
    handlers' writes (the notices), so a row's handlers take effect at most once, whichever of
    the after-commit handler, the retry job and the sweep gets to it first."""

    event = models.JSONField()  # the TaskEvent's fields
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    error = CleanTextField(blank=True)  # a handler that failed (logged, not retried)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="event_outbox_unsent",
            ),
            models.Index(fields=["dispatched_at"], name="event_outbox_dispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.event.get('kind')} {self.event.get('task_ids')}"
