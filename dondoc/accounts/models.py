"""People, their roles and their clearance."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField
from dondoc.core.text import person_sort_key, search_key


class Clearance(models.IntegerChoices):
    """Security classification levels (độ mật), for documents and for the people reading them."""

    NORMAL = 0, _("Thường")
    CONFIDENTIAL = 1, _("Mật")
    SECRET = 2, _("Tối mật")
    TOP_SECRET = 3, _("Tuyệt mật")


class RoleCode(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    OFFICE = "office", _("Chuyên viên Văn phòng")
    FOCAL = "focal", _("Đầu mối cơ quan")
    HEAD = "head", _("Người đứng đầu cơ quan")
    LEADER = "leader", _("Lãnh đạo")
    INSPECTOR = "inspector", _("Kiểm tra, giám sát")
    SECRETARIAT = "secretariat", _("Thư ký, tổ giúp việc Đại hội")


ROLES_REQUIRING_2FA = frozenset({RoleCode.ADMIN, RoleCode.LEADER})


class Role(models.Model):
    code = CleanCharField(max_length=32, primary_key=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("vai trò")

    def __str__(self) -> str:
        return self.get_code_display()


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi ngay")
    DIGEST = "digest", _("Tổng hợp hằng ngày")


class User(AbstractUser):
    full_name = CleanCharField(_("họ và tên"), max_length=150)
    position = CleanCharField(_("chức vụ"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("vai trò"), blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("mức được tiếp cận"), choices=Clearance.choices, default=Clearance.NORMAL
    )
    notification_mode = CleanCharField(
        _("nhận nhắc việc"),
        max_length=16,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )
    search_text = CleanCharField(max_length=400, editable=False, db_index=True)
    sort_text = CleanCharField(max_length=600, editable=False, db_index=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["sort_text", "id"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = search_key(f"{self.full_name} {self.username} {self.email}")
        self.sort_text = person_sort_key(self.full_name or self.username)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @property
    def requires_2fa(self) -> bool:
        return bool(self.role_codes & ROLES_REQUIRING_2FA)

    @property
    def sees_all_agencies(self) -> bool:
        """Office, leaders, inspectors and administrators work across agencies."""
        return self.has_role(RoleCode.ADMIN, RoleCode.OFFICE, RoleCode.LEADER, RoleCode.INSPECTOR)
