"""Chương trình công tác và đề án: work programs, their items (proposals and reports), the
comment rounds with their invitations, and appraisals (see docs/programs.md).

Facts only: the state of an item is the step its path has reached, written by the services
in `services.py`; whether an invitation is late is derived from its round's deadline."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField, CleanTextField


class Body(models.TextChoices):
    """The body that considers an item and decides it."""

    CENTRAL_COMMITTEE = "ctw", _("Hội nghị Trung ương")
    POLITBURO = "bct", _("Bộ Chính trị")
    SECRETARIAT = "bbt", _("Ban Bí thư")


# The agency (agencies' reference list, kind "leadership") that issues a body's documents.
BODY_ISSUER_CODES = {
    Body.CENTRAL_COMMITTEE: "BCHTW",
    Body.POLITBURO: "BCT",
    Body.SECRETARIAT: "BBT",
}


class ProgramKind(models.TextChoices):
    YEAR = "year", _("Chương trình công tác năm")
    TERM = "term", _("Chương trình làm việc toàn khóa")


class WorkProgram(models.Model):
    """A yearly program, or the full-term program (toàn khóa) of a body: `year` to `end_year`,
    its items each planned for a year of the term. A yearly program may be derived from the
    full-term one (`term_program`): the term's items planned for its year are carried into it."""

    title = CleanCharField(_("tên chương trình"), max_length=255)
    body = CleanCharField(_("cơ quan xem xét"), max_length=8, choices=Body.choices)
    kind = CleanCharField(_("loại"), max_length=8, choices=ProgramKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), help_text=_("Năm đầu của chương trình."))
    end_year = models.PositiveSmallIntegerField(
        _("đến năm"), null=True, blank=True, help_text=_("Năm cuối của chương trình toàn khóa.")
    )
    term = CleanCharField(_("nhiệm kỳ"), max_length=32, blank=True)
    term_program = models.ForeignKey(
        "self",
        verbose_name=_("chương trình toàn khóa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="year_programs",
        help_text=_("Chương trình toàn khóa mà chương trình năm này được lập từ đó."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chương trình công tác")
        ordering = ["-year", "body", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "year"], name="program_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(kind="year", end_year__isnull=True)
                | models.Q(kind="term", end_year__gte=models.F("year")),
                name="program_term_years",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_term(self) -> bool:
        return self.kind == ProgramKind.TERM

    @property
    def years(self) -> list[int]:
        """The years the program spans (one for a yearly program)."""
        return list(range(self.year, (self.end_year or self.year) + 1))


class ItemKind(models.TextChoices):
    PROPOSAL = "de_an", _("Đề án")
    REPORT = "bao_cao", _("Báo cáo")
    SUBMISSION = "to_trinh", _("Tờ trình")
    DRAFT_DOCUMENT = "du_thao", _("Dự thảo văn bản")
    FINAL_REVIEW = "tong_ket", _("Tổng kết")
    INTERIM_REVIEW = "so_ket", _("Sơ kết")


class ItemState(models.TextChoices):
    """The step the item's path has reached, in order; `returned` goes back to revision."""

    DRAFTING = "drafting", _("Đang soạn thảo")
    COMMENTING = "commenting", _("Đang lấy ý kiến")
    REVISING = "revising", _("Đang tiếp thu, chỉnh lý")
    APPRAISAL = "appraisal", _("Đang thẩm định")
    APPRAISED = "appraised", _("Đã thẩm định, chờ trình")
    SUBMITTED = "submitted", _("Đã trình")
    APPROVED = "approved", _("Đã thông qua")
    RETURNED = "returned", _("Trả lại để hoàn thiện")
    WITHDRAWN = "withdrawn", _("Đã rút khỏi chương trình")
    PROPOSED = "proposed", _("Đề nghị bổ sung, chờ quyết định")  # an addition requested
    NOT_ADDED = "not_added", _("Không được bổ sung")  # the addition refused
    DEFERRED = "deferred", _("Hoãn, chưa xem xét")  # the body deferred it to a later month


# The sections a proposal must have before appraisal ("nêu rõ vấn đề, đầy đủ phương án,
# nguồn lực, có lộ trình và rõ trách nhiệm"), with their names as the page shows them.
CONTENT_SECTIONS = {
    "problem": _("Vấn đề cần giải quyết"),
    "options": _("Các phương án"),
    "resources": _("Nguồn lực"),
    "roadmap": _("Lộ trình"),
    "responsibilities": _("Trách nhiệm"),
}


class ProgramItem(models.Model):
    program = models.ForeignKey(
        WorkProgram, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="items"
    )
    title = CleanCharField(_("tên đề án, báo cáo"), max_length=500)
    kind = CleanCharField(_("loại"), max_length=16, choices=ItemKind.choices)
    planned_month = models.PositiveSmallIntegerField(_("tháng dự kiến trình"))
    planned_year = models.PositiveSmallIntegerField(
        _("năm dự kiến trình"),
        null=True,
        blank=True,
        help_text=_("Với nội dung của chương trình toàn khóa: năm trong nhiệm kỳ."),
    )
    by_quarter = models.BooleanField(
        _("dự kiến theo quý"), default=False, help_text=_("Tháng dự kiến là tháng cuối quý.")
    )
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="program_items",
    )
    coordinating_agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("cơ quan phối hợp"),
        blank=True,
        related_name="coordinated_program_items",
    )
    classification = models.PositiveSmallIntegerField(_("độ mật"), default=0)
    state = CleanCharField(
        _("giai đoạn"), max_length=16, choices=ItemState.choices, default=ItemState.DRAFTING
    )
    problem = CleanTextField(_("vấn đề cần giải quyết"), blank=True)
    options = CleanTextField(_("các phương án"), blank=True)
    resources = CleanTextField(_("nguồn lực"), blank=True)
    roadmap = CleanTextField(_("lộ trình"), blank=True)
    responsibilities = CleanTextField(_("trách nhiệm"), blank=True)
    submitted_on = models.DateField(_("ngày trình"), null=True, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = CleanTextField(_("ý kiến quyết định"), blank=True)
    resulting_document = models.ForeignKey(
        "tracking.Document",
        verbose_name=_("văn bản kết quả"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="program_items",
        help_text=_("Văn bản ban hành khi đề án được thông qua, theo dõi trong phần Theo dõi."),
    )
    term_item = models.ForeignKey(
        "self",
        verbose_name=_("nội dung chương trình toàn khóa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried",
        help_text=_("Nội dung của chương trình toàn khóa được đưa vào chương trình năm này."),
    )
    responsible_leader = CleanCharField(
        _("lãnh đạo phụ trách"),
        max_length=200,
        blank=True,
        help_text=_("Đồng chí lãnh đạo phụ trách nội dung này."),
    )
    working_session = models.ForeignKey(
        "tracking.WorkingSession",
        verbose_name=_("buổi làm việc chuyên đề"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="program_items",
        help_text=_("Buổi làm việc chuyên đề (trong phần Theo dõi) xem xét nội dung này."),
    )
    submitted_version = models.ForeignKey(
        "ProposalVersion",
        verbose_name=_("phiên bản trình"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_revision = models.PositiveIntegerField(
        _("lần sửa nội dung"),
        default=0,
        help_text=_("Tăng mỗi lần nội dung được lưu: hai người sửa cùng lúc không đè lên nhau."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đề án, nội dung chương trình")
        ordering = ["planned_month", "id"]
        indexes = [
            models.Index(fields=["program", "planned_month"], name="item_program_month"),
            models.Index(fields=["lead_agency", "state"], name="item_lead_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_month__gte=1, planned_month__lte=12),
                name="item_planned_month_1_12",
            ),
            models.UniqueConstraint(
                fields=["program", "term_item"],
                condition=models.Q(term_item__isnull=False),
                name="item_term_carried_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def planned_label(self) -> str:
        if self.by_quarter:
            return str(_("Quý %(q)d") % {"q": (self.planned_month + 2) // 3})
        return str(_("Tháng %(m)d") % {"m": self.planned_month})

    def missing_sections(self) -> list[str]:
        """The names of the content sections still empty (appraisal needs every one)."""
        return [str(name) for field, name in CONTENT_SECTIONS.items() if not getattr(self, field)]


class RescheduleKind(models.TextChoices):
    POSTPONE = "postpone", _("Lùi thời gian trình")
    STRETCH = "stretch", _("Giãn thời gian trình")
    WITHDRAW = "withdraw", _("Rút khỏi chương trình")
    ADD = "add", _("Bổ sung vào chương trình")
    MOVE_YEAR = "move_year", _("Chuyển sang năm khác của nhiệm kỳ")  # a full-term item
    DEFER = "defer", _("Hoãn, chưa xem xét")  # decided by the body itself on a submitted item


class RescheduleDecision(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class RescheduleRequest(models.Model):
    """Rescheduling is a request, not an edit: the lead agency or the office asks, the body's
    authority decides. An addition (bổ sung) is a request too: the item exists from the
    request on, in the step `proposed`, its planned month the request's `from_month` and
    `to_month`, and enters the program (drafting) only when approved. The item's original plan
    is the `from_month` of its first approved request (or its planned month if none), shown
    beside every change. A postponement (or stretch, or deferral) into a month of the next year
    names `from_year` and `to_year`: approved, the item itself moves into that year's program
    of the body (the same row, its history with it); its original year is the `from_year` of
    its first such move."""

    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="reschedules")
    kind = CleanCharField(_("đề nghị"), max_length=16, choices=RescheduleKind.choices)
    from_month = models.PositiveSmallIntegerField(_("tháng dự kiến khi đề nghị"))
    to_month = models.PositiveSmallIntegerField(_("tháng đề nghị"), null=True, blank=True)
    from_year = models.PositiveSmallIntegerField(
        _("năm dự kiến khi đề nghị"),
        null=True,
        blank=True,
        help_text=_("Khi chuyển năm, hoặc lùi sang chương trình năm sau."),
    )
    to_year = models.PositiveSmallIntegerField(
        _("năm đề nghị"),
        null=True,
        blank=True,
        help_text=_("Khi chuyển năm, hoặc lùi sang chương trình năm sau."),
    )
    reason = CleanTextField(_("lý do"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("ngày đề nghị"))
    decision = CleanCharField(
        _("quyết định"),
        max_length=16,
        choices=RescheduleDecision.choices,
        default=RescheduleDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_reason = CleanTextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("đề nghị điều chỉnh thời gian")
        ordering = ["item", "-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(decision="pending"),
                name="reschedule_one_pending_per_item",
            ),
            # A year move names both years; a postponement, stretch or deferral into the next
            # year's program names both too (none when it stays in its year); nothing else does.
            models.CheckConstraint(
                condition=models.Q(kind="move_year", from_year__isnull=False, to_year__isnull=False)
                | models.Q(
                    kind__in=["postpone", "stretch", "defer"],
                    from_year__isnull=False,
                    to_year__gt=models.F("from_year"),
                )
                | (
                    ~models.Q(kind="move_year")
                    & models.Q(from_year__isnull=True, to_year__isnull=True)
                ),
                name="reschedule_years_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.get_kind_display()}"


class ProposalVersion(models.Model):
    """A version of the proposal as the lead agency handed it on: the five sections frozen, and
    the explanation of what changed since the version before (giải trình những vấn đề có sự thay
    đổi, bổ sung). A comment round and an appraisal refer to the version they read; the
    submission to the body carries the version submitted."""

    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    problem = CleanTextField(_("vấn đề cần giải quyết"), blank=True)
    options = CleanTextField(_("các phương án"), blank=True)
    resources = CleanTextField(_("nguồn lực"), blank=True)
    roadmap = CleanTextField(_("lộ trình"), blank=True)
    responsibilities = CleanTextField(_("trách nhiệm"), blank=True)
    changes_note = CleanTextField(_("giải trình những vấn đề có sự thay đổi, bổ sung"), blank=True)
    after_appraisal = models.BooleanField(_("sau thẩm định"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_on = models.DateField(_("ngày"))

    class Meta:
        verbose_name = _("phiên bản đề án")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="version_number_per_item"),
            models.CheckConstraint(  # a change after appraisal is explained
                condition=models.Q(after_appraisal=False) | ~models.Q(changes_note=""),
                name="version_explains_changes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — v{self.number}"

    def sections(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in CONTENT_SECTIONS}


class CommentRound(models.Model):
    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("lần lấy ý kiến"))
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("phiên bản được lấy ý kiến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
    )
    opened_on = models.DateField(_("ngày gửi"))
    deadline = models.DateField(_("hạn trả lời"))
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("đợt lấy ý kiến")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="round_number_per_item"),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(closed_on__isnull=True),
                name="round_one_open_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.number}"


class Invitation(models.Model):
    """An agency asked for its opinion in a round, and its reply."""

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="program_invitations"
    )
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = CleanTextField(_("ý kiến"), blank=True)
    next_reminder_on = models.DateField(_("lần nhắc tiếp theo"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("số lần đã nhắc"), default=0)

    class Meta:
        verbose_name = _("lời mời tham gia ý kiến")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="invitation_once_per_round"),
        ]
        indexes = [
            models.Index(
                fields=["next_reminder_on"],
                condition=models.Q(next_reminder_on__isnull=False),
                name="invitation_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.agency}"


class Appraisal(models.Model):
    """The office's appraisal: the checklist of content, procedure and authority, and the
    verdict (passed, or returned with reasons)."""

    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="appraisals")
    appraised_on = models.DateField(_("ngày thẩm định"))
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    content_ok = models.BooleanField(_("nội dung đầy đủ"), default=False)
    procedure_ok = models.BooleanField(_("đúng trình tự, thủ tục"), default=False)
    authority_ok = models.BooleanField(_("đúng thẩm quyền"), default=False)
    passed = models.BooleanField(_("đạt"))
    reasons = CleanTextField(_("lý do, ý kiến thẩm định"), blank=True)
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("phiên bản được thẩm định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
    )

    class Meta:
        verbose_name = _("thẩm định")
        ordering = ["item", "appraised_on", "id"]

    def __str__(self) -> str:
        return f"{self.item} — {self.appraised_on}"


class DayException(models.Model):
    """A day the office announces off (nghỉ bù) or as a make-up working day (làm bù), beside
    the public holidays that the `holidays` library knows."""

    day = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    note = CleanCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class HandlingOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp thu")
    PARTLY = "partly", _("Tiếp thu một phần")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp thu, giải trình")


class CommentHandling(models.Model):
    """How the lead agency handled one agency's comment (bảng tổng hợp tiếp thu, giải trình ý
    kiến): accepted, partly or not, with the explanation (required unless accepted, a check
    constraint). `revision` counts the saves: a save names the revision it read, so two people
    editing the table at once cannot overwrite each other unseen."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="handling")
    outcome = CleanCharField(_("tiếp thu"), max_length=16, choices=HandlingOutcome.choices)
    explanation = CleanTextField(_("giải trình"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("ngày ghi"))
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("tiếp thu, giải trình ý kiến")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["accepted", "partly", "not_accepted"]),
                name="handling_outcome_known",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="accepted") | ~models.Q(explanation=""),
                name="handling_explained_unless_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} — {self.outcome}"


class FileKind(models.TextChoices):
    DRAFT = "draft", _("Dự thảo văn bản")
    EXPLANATION = "explanation", _("Báo cáo tiếp thu, giải trình")
    ANSWER = "answer", _("Văn bản góp ý của cơ quan")


def program_file_upload_to(instance: "ProgramFile", filename: str) -> str:
    """A random name: the uploader's file name never reaches a path (as tracking's files)."""
    return f"programs/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class ProgramFile(models.Model):
    """A file of a proposal: a draft document or the explanation report of a version (the lead
    agency's), or the file an invited agency answered with. Exactly one parent, by kind (a
    check constraint). Type read from the content by tracking's checker (PDF, Word); stored
    outside the web root under a random name and sent only after the item's access rule."""

    item = models.ForeignKey(ProgramItem, on_delete=models.CASCADE, related_name="files")
    kind = CleanCharField(_("loại tệp"), max_length=16, choices=FileKind.choices)
    version = models.ForeignKey(
        ProposalVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    original_name = CleanCharField(_("tên tệp"), max_length=255)
    file = models.FileField(upload_to=program_file_upload_to, max_length=255)
    content_type = CleanCharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = CleanCharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp của đề án")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["draft", "explanation"],
                    version__isnull=False,
                    invitation__isnull=True,
                )
                | models.Q(kind="answer", version__isnull=True, invitation__isnull=False),
                name="program_file_one_parent_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
