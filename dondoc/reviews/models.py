"""The archive of progress reviews: what was asked for, when it was computed, the figures exactly as
issued and the files made from them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Clearance
from dondoc.core.fields import CleanCharField, CleanTextField

from .periods import Scope

FORMATS = ("docx", "pdf", "xlsx")


class ReviewStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang lập")
    DONE = "done", _("Đã lập xong")
    FAILED = "failed", _("Lỗi")


def review_file_path(report: "ReviewReport", filename: str) -> str:
    """Under MEDIA_ROOT (outside the web root); served only by `reviews:download`."""
    return f"reviews/{report.requested_at:%Y/%m}/{report.pk}/{filename}"


class ReviewReport(models.Model):
    title = CleanCharField(_("tên báo cáo"), max_length=500)  # "Kiểm điểm tiến độ … tháng 10…"
    period = CleanCharField(_("kỳ báo cáo"), max_length=32)  # "2026-10", "2026-Q3"…
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    scope = CleanCharField(_("phạm vi"), max_length=120)  # "all", "agency:BTCTW"…
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Với phạm vi một cơ quan chủ trì: đầu mối và người đứng đầu cơ quan được xem."),
    )
    formats = CleanCharField(_("định dạng"), max_length=32, default="docx,pdf,xlsx")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    computed_as_of = models.DateTimeField(_("thời điểm tính số liệu"), null=True, blank=True)
    status = CleanCharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = CleanTextField(_("lỗi"), blank=True)
    figures = models.JSONField(_("số liệu"), null=True, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Clearance.choices, default=Clearance.NORMAL
    )
    docx = models.FileField(upload_to=review_file_path, blank=True)
    pdf = models.FileField(upload_to=review_file_path, blank=True)
    xlsx = models.FileField(upload_to=review_file_path, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("báo cáo kiểm điểm tiến độ")
        verbose_name_plural = _("báo cáo kiểm điểm tiến độ")
        indexes = [models.Index(fields=["agency", "requested_at"], name="review_agency_requested")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="review_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.scope}"

    @property
    def format_list(self) -> list[str]:
        return [f for f in self.formats.split(",") if f in FORMATS]

    @property
    def is_working(self) -> bool:
        return self.status in {ReviewStatus.QUEUED, ReviewStatus.RUNNING}

    def file_name(self, fmt: str) -> str:
        """ "kiem-diem-2026-10-all.docx", as the command line names them too."""
        kind, _, value = self.scope.partition(":")
        return review_file_name(self.period, Scope(kind, value).slug, fmt)


def review_file_name(period_code: str, scope_slug: str, fmt: str) -> str:
    period = period_code.replace("..", "-")
    return f"kiem-diem-{period}-{scope_slug}.{fmt}"
