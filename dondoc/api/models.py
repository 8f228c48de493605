"""API tokens: a user's key to the REST API. Only a hash of the secret is stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField


class ApiToken(models.Model):
    """A bearer token for `/api/v1/`, issued by an administrator with `dondoc token create`.

    The secret is shown once, when the token is created; the database keeps its sha256 hash
    (the secret is 256 random bits, so a fast hash is safe) and a short `prefix` by which
    people recognise and revoke the token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = CleanCharField(_("tên"), max_length=100, blank=True)
    prefix = CleanCharField(_("tiền tố"), max_length=16, unique=True)
    key_hash = CleanCharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name or self.prefix} ({self.prefix}…)"
