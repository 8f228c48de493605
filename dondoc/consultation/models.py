"""Lấy ý kiến góp ý dự thảo: drafts and their sections, consultation rounds, comments (the
commenters' identities kept apart), the themes found per section and the drafting team's
response to each (see docs/consultation.md)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField, CleanTextField


class Draft(models.Model):
    """A draft document put up for comments; its sections are parsed from Markdown or DOCX."""

    title = CleanCharField(_("tên dự thảo"), max_length=300)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    identities_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dự thảo")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    """One text of a draft: the first import, then each new import of the revised text. The
    sections of every version are kept (comments stay on the section they were made on); the
    draft's `version` is the current one, which the public page shows."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="draft_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} v{self.number}"


class Section(models.Model):
    """A part, chapter, article (Điều), clause or numbered heading of one version of a draft,
    in reading order."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sections")
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    position = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=1)
    number = CleanCharField(_("số hiệu"), max_length=64, blank=True)  # "Điều 12", "II", "1"
    heading = CleanCharField(_("tiêu đề"), max_length=500, blank=True)
    body = CleanTextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["draft", "version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "version", "position"], name="section_position_unique"
            )
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.number, self.heading) if part) or "—"


class ConsultationRound(models.Model):
    """The window in which a draft takes comments; `public` opens the page without sign-in."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="rounds")
    opens_on = models.DateField(_("ngày bắt đầu"))
    closes_on = models.DateField(_("ngày kết thúc"))
    public = models.BooleanField(_("cho nhân dân góp ý"), default=True)

    class Meta:
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return f"{self.draft} ({self.opens_on:%d/%m/%Y} - {self.closes_on:%d/%m/%Y})"


class Stance(models.TextChoices):
    AGREE = "agree", _("Tán thành")
    DISAGREE = "disagree", _("Không tán thành")
    PARTIAL = "partial", _("Đồng ý một phần")


class Category(models.TextChoices):
    MEMBER = "member", _("Cán bộ, đảng viên")
    CITIZEN = "citizen", _("Nhân dân")
    EXPERT = "expert", _("Chuyên gia, nhà khoa học")
    AGENCY = "agency", _("Cơ quan, tổ chức")


class Channel(models.TextChoices):
    WEB = "web", _("Biểu mẫu trên mạng")
    AGENCY = "agency", _("Văn bản của cơ quan")
    CONFERENCE = "conference", _("Hội nghị")
    LETTER = "letter", _("Thư")
    IMPORT = "import", _("Nhập từ tệp")


class Comment(models.Model):
    """One comment. `chosen_section` is what the commenter picked; `section` is where the
    synthesis placed it (null: general). A near-duplicate points to its campaign's
    representative (`campaign`); the representative carries the campaign's size. `version` is
    the version of the draft the commenter read (its sections are the ones they could choose)."""

    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="comments")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    chosen_section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    stance = CleanCharField(_("ý kiến"), max_length=16, choices=Stance.choices)
    text = CleanTextField(_("nội dung góp ý"), blank=True)
    category = CleanCharField(_("đối tượng"), max_length=16, choices=Category.choices)
    channel = CleanCharField(_("kênh"), max_length=16, choices=Channel.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    campaign = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    campaign_size = models.PositiveIntegerField(default=1)
    theme = models.ForeignKey(
        "Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    # put in its theme by the office (split off, moved): the next run leaves it there
    theme_pinned = models.BooleanField(default=False)
    # A comment read from a file: the import and the row it came from (at most one comment per
    # row, enforced here, so that an import resumed after a crash never doubles a row).
    source_import = models.ForeignKey(
        "CommentImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["draft", "section", "campaign"], name="comment_draft_section"),
            models.Index(fields=["theme", "campaign"], name="comment_theme"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_import", "source_row"],
                condition=models.Q(source_import__isnull=False),
                name="comment_import_row_unique",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80] or self.get_stance_display()


class CommenterIdentity(models.Model):
    """Who wrote a comment (Decree 13/2023): read only by administrators, every read audited,
    never in a report or export."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="identity")
    full_name = CleanCharField(max_length=150, blank=True)
    phone = CleanCharField(max_length=32, blank=True)
    id_number = CleanCharField(max_length=32, blank=True)
    email = CleanCharField(max_length=254, blank=True)
    address = CleanCharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"#{self.comment_id}"


class Theme(models.Model):
    """A group of comments on one section (null: general comments), labelled with its
    distinctive phrases. Sizes count representatives (`size`) and every copy (`weighted_size`)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="themes")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="themes"
    )
    label = CleanCharField(_("chủ đề"), max_length=300)
    size = models.PositiveIntegerField(default=0)
    weighted_size = models.PositiveIntegerField(default=0)
    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    partial = models.PositiveIntegerField(default=0)
    representative = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # renamed, merged into, split or given a comment by the office: a later run maps its
    # themes onto this one instead of replacing it (as it does for an answered theme)
    edited = models.BooleanField(default=False)
    # the theme's most weighted phrases (syllable 1-2-grams) and their weights in its centre:
    # what a comment arriving later is compared with (`pipeline.nearest_theme`)
    terms = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["section__position", "-weighted_size", "id"]

    def __str__(self) -> str:
        return self.label


class ResponseKind(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp thu")
    PARTLY = "partly", _("Tiếp thu một phần")
    EXPLAINED = "explained", _("Giải trình")


class Response(models.Model):
    """The drafting team's answer to a theme, with a link to the revised section."""

    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="response")
    kind = CleanCharField(_("hình thức"), max_length=16, choices=ResponseKind.choices)
    explanation = CleanTextField(_("nội dung tiếp thu, giải trình"))
    revised_section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.explanation[:80]}"


class RunStage(models.TextChoices):
    SIGN = "sign", _("Chuẩn hóa, lập chữ ký văn bản")
    MERGE = "merge", _("Gộp ý kiến trùng lặp")
    PLACE = "place", _("Xếp ý kiến vào từng phần")
    THEMES = "themes", _("Tìm chủ đề từng phần")
    ABSORB = "absorb", _("Xếp ý kiến mới vào chủ đề")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Bị lỗi")


ACTIVE = ~models.Q(stage__in=[RunStage.DONE, RunStage.FAILED])


class RunKind(models.TextChoices):
    FULL = "full", _("Tổng hợp toàn bộ")
    ABSORB = "absorb", _("Xếp ý kiến mới")


class SynthesisRun(models.Model):
    """One run of the pipeline over a draft's comments: its stage, progress and figures.
    Stages: chunk jobs sign the comments (SIGN), one job finds the campaigns and learns where
    comments go (MERGE, the model kept in `model`), chunk jobs place them (PLACE), one job per
    section finds its themes (THEMES). An absorption (`kind` ABSORB) places the comments that
    came after the last run into its themes, in one transaction. At most one active run per
    draft, of either kind: the database refuses a second (`synthesis_run_one_active`)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="runs")
    kind = CleanCharField(max_length=16, choices=RunKind.choices, default=RunKind.FULL)
    started_at = models.DateTimeField(auto_now_add=True)
    # the last step the run took (started, a stage begun, a section themed, resumed); a chunk
    # claimed (`SynthesisChunk.claimed_at`) is progress too: `selectors.run_progressed_at`
    progressed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = CleanCharField(max_length=16, choices=RunStage.choices, default=RunStage.SIGN)
    sections_total = models.PositiveIntegerField(default=0)
    sections_done = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict)
    model = models.BinaryField(null=True, blank=True)  # the section model, pickled by MERGE
    error = CleanTextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"], condition=ACTIVE, name="synthesis_run_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.started_at:%Y-%m-%d %H:%M}"


class CommentSignature(models.Model):
    """What the campaign search needs of a comment, computed once by a chunk job: a key of
    its normalized text (exact duplicates) and its MinHash signature (64 uint32 values; empty
    for a short text). A comment's text never changes, so a later run signs only new ones."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    text_key = models.BigIntegerField()
    minhash = models.BinaryField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["text_key"], name="signature_text_key")]

    def __str__(self) -> str:
        return f"#{self.comment_id}"


class PlacementBefore(models.Model):
    """Where a comment was before a run's merge rewrote its campaign and section (its theme
    changes only in its section's themes job): written by the merge in one statement, read
    back by a cancel so that every comment is in its old place again, never half-placed;
    deleted when the run finishes or is cancelled."""

    run = models.ForeignKey(SynthesisRun, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    section_id = models.BigIntegerField(null=True)  # plain ids: written and read in bulk
    theme_id = models.BigIntegerField(null=True)
    campaign_id = models.BigIntegerField(null=True)
    campaign_size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "comment"], name="placement_before_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/#{self.comment_id}"


class ChunkState(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Bị lỗi")


class SynthesisChunk(models.Model):
    """A range of a draft's comments (by id) that one worker signs (stage SIGN) or places
    (stage PLACE); claimed by compare-and-set, retried when it fails, reported when it fails
    for good, re-sent when its worker vanished (`LEASE`)."""

    run = models.ForeignKey(SynthesisRun, on_delete=models.CASCADE, related_name="chunks")
    stage = CleanCharField(max_length=16, choices=RunStage.choices)
    number = models.PositiveIntegerField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    state = CleanCharField(max_length=16, choices=ChunkState.choices, default=ChunkState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = CleanCharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = CleanTextField(blank=True)

    class Meta:
        ordering = ["run", "stage", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "stage", "number"], name="synthesis_chunk_unique"
            )
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="synthesis_chunk_state")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.stage}/{self.number}"


def import_file_path(instance: "CommentImport", filename: str) -> str:
    """Under MEDIA_ROOT (outside the web root), a random name: never served directly."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consultation/imports/{secrets.token_hex(16)}.{suffix[:8]}"


class ImportState(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Bị gián đoạn")


class CommentImport(models.Model):
    """A file of comments (CSV, XLSX, JSONL) read row by row in batches. `rows_done` is the
    last row whose batch is committed: an interrupted import continues after it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="imports")
    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=import_file_path, max_length=255)
    file_name = CleanCharField(_("tên tệp"), max_length=255)
    state = CleanCharField(
        _("trạng thái"), max_length=16, choices=ImportState.choices, default=ImportState.PENDING
    )
    rows_done = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = CleanTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class ImportRejection(models.Model):
    """A row of an import that was not taken, with the reason (Vietnamese, for the office)."""

    source_import = models.ForeignKey(
        CommentImport, on_delete=models.CASCADE, related_name="rejections"
    )
    row = models.PositiveIntegerField()
    reason = CleanTextField()

    class Meta:
        ordering = ["source_import", "row"]
        constraints = [
            models.UniqueConstraint(fields=["source_import", "row"], name="rejection_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.row}: {self.reason}"
