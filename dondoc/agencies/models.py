"""Agencies (cơ quan, đơn vị) in their hierarchy, and the reorganizations that change it."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField
from dondoc.core.text import search_key, sort_key


class AgencyKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Cơ quan lãnh đạo")
    CENTRAL_BODY = "central_body", _("Ban, cơ quan Đảng Trung ương")
    CENTRAL_PARTY_COMMITTEE = "central_party_committee", _("Đảng ủy trực thuộc Trung ương")
    PROVINCE = "province", _("Tỉnh ủy, thành ủy")
    MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
    STATE_BODY = "state_body", _("Cơ quan nhà nước")
    OTHER = "other", _("Khác")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, day: dt.date) -> "AgencyQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def active(self) -> "AgencyQuerySet":
        return self.filter(valid_to__isnull=True)


class Agency(models.Model):
    code = CleanCharField(_("mã"), max_length=32, unique=True)
    name = CleanCharField(_("tên đầy đủ"), max_length=255)
    short_name = CleanCharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = CleanCharField(_("loại"), max_length=32, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_text = CleanCharField(max_length=400, editable=False, db_index=True)
    sort_text = CleanCharField(max_length=600, editable=False, db_index=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["sort_text"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = search_key(f"{self.name} {self.short_name} {self.code}")
        self.sort_text = sort_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_active(self) -> bool:
        return self.valid_to is None


class ReorganizationKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
    DISSOLVE = "dissolve", _("Giải thể")


class Reorganization(models.Model):
    """A merge, split, rename or dissolution: which agencies ended, which took over, when."""

    kind = CleanCharField(_("loại"), max_length=16, choices=ReorganizationKind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    decision = CleanCharField(_("văn bản quyết định"), max_length=255, blank=True)
    predecessors = models.ManyToManyField(
        Agency, related_name="reorganizations_ended", verbose_name=_("cơ quan trước")
    )
    successors = models.ManyToManyField(
        Agency, related_name="reorganizations_started", verbose_name=_("cơ quan sau")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("sắp xếp tổ chức")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class AgencyAlias(models.Model):
    """Another name of an agency, taught by the office ("Sở KH-ĐT", "Ban TG Tỉnh ủy"): assisted
    entry resolves it to the agency. Per deployment data, not code: registries differ."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="aliases"
    )
    text = CleanCharField(_("tên gọi khác"), max_length=255)
    key = CleanCharField(max_length=255, unique=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("người thêm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm thêm"), auto_now_add=True)

    class Meta:
        verbose_name = _("tên gọi khác của cơ quan")
        verbose_name_plural = _("tên gọi khác của cơ quan")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.text} → {self.agency_id}"
