"""Issuing, revoking and checking API tokens. The `token` command and the tests call these.

A token reads `dondoc_<prefix>_<secret>`: the prefix (8 hex digits) names it in lists and in
`dondoc token revoke`; the whole string is what the client sends as `Authorization: Bearer …`.
"""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.api.models import ApiToken
from dondoc.audit.services import audit_record

TOKEN_PREFIX = "dondoc_"  # noqa: S105 - a marker, not a secret
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)  # last_used_at is written at most once a minute


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(
    user: User, *, name: str = "", expires_at: dt.datetime | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is not stored anywhere."""
    if not user.is_active:
        raise ValidationError(
            _("Tài khoản %(user)s đã bị khóa, không cấp được khóa API."),
            code="user_inactive",
            params={"user": user.username},
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("Thời điểm hết hạn phải ở tương lai."), code="expired")
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name.strip(),
                    prefix=prefix,
                    key_hash=token_hash(raw),
                    expires_at=expires_at,
                )
            break
        except IntegrityError:  # the same 32-bit prefix drawn twice: draw again
            continue
    else:  # pragma: no cover - five collisions in a row
        raise RuntimeError("Could not draw a unique token prefix.")
    audit_record(
        actor,
        "api_token_create",
        token,
        {
            "user": [None, user.username],
            "name": [None, token.name],
            "expires_at": [None, expires_at],
        },
        agency_id=user.agency_id,
    )
    return token, raw


@transaction.atomic
def token_revoke(token: ApiToken, *, actor: User | None = None) -> ApiToken:
    """Revoke a token for good; revoking twice is refused."""
    now = timezone.now()
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        raise ValidationError(_("Khóa API này đã bị thu hồi trước đó."), code="already_revoked")
    token.revoked_at = now
    audit_record(
        actor,
        "api_token_revoke",
        token,
        {"revoked_at": [None, now]},
        agency_id=token.user.agency_id,
    )
    return token


def token_authenticate(raw: str, now: dt.datetime | None = None) -> User | None:
    """The active user a live (not revoked, not expired) token belongs to, or None.

    Marks the token used, at most once a minute, by compare-and-set so concurrent requests
    write it once.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    stale = now - LAST_USED_RESOLUTION
    if token.last_used_at is None or token.last_used_at <= stale:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
        ).update(last_used_at=now)
    return token.user
