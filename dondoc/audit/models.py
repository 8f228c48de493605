"""The audit log (nhật ký): an append-only, hash-chained record of who changed what, and when.

Each `AuditEntry` carries the sha256 of its own content and of the entry before it, so an
entry edited, removed or moved after the fact breaks the chain (`services.audit_verify`).
`AuditChainHead` is a single row holding the last sequence number and hash: writers lock it
to append one at a time, and it reveals entries cut off the end of the log.

Entries are written only by `services.audit_record`, in the caller's transaction. Updating or
deleting one is refused here (model and queryset) and, underneath, by database triggers
installed in migration 0003.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64  # the `prev_hash` of entry 1
HEAD_ID = 1


class AuditLogIsAppendOnly(Exception):  # noqa: N818 - reads as the sentence it is
    """Raised on any attempt to change or delete an audit entry through Django."""


def _refuse(what: str) -> NoReturn:
    raise AuditLogIsAppendOnly(f"The audit log is append-only: {what} refused.")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("bulk_update")

    def delete(self) -> NoReturn:
        _refuse("delete")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("bulk_create (entries are chained one by one by audit_record)")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("số thứ tự"), primary_key=True)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # covered by the (actor, seq) index below
    )
    actor_label = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("thao tác"), max_length=32)
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    agency_id = models.PositiveBigIntegerField(_("cơ quan liên quan"), null=True, blank=True)
    prev_hash = models.CharField(_("mã băm bản ghi trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-seq"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["actor", "seq"], name="audit_actor_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["agency_id", "seq"], name="audit_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("update")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("delete")

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """The changes as (field, before, after) rows, for display."""
        rows: list[tuple[str, Any, Any]] = []
        for field, pair in self.changes.items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            rows.append((field, before, after))
        return rows


class AuditChainHead(models.Model):
    """The one row (id 1) holding the last entry's sequence number and hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=models.Q(id=HEAD_ID), name="audit_single_head")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
