"""Reading people: the administrators' user list and the second-factor devices of a user."""

from base64 import b32encode
from dataclasses import dataclass

import qrcode
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from dondoc.accounts.models import ROLES_REQUIRING_2FA, RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.core.text import search_key


def users_matching(*, q: str = "", agency: Agency | None = None, role: str = "") -> QuerySet[User]:
    """Users for the administrators' list, in Vietnamese name order (given name first).

    `q` is matched word by word against the stored diacritic-free `search_text`, so
    "nguyen van" finds "Nguyễn Văn An" and "an nguyen" finds him too.
    """
    users = User.objects.select_related("agency").prefetch_related("roles")
    for word in search_key(q).split():
        users = users.filter(search_text__contains=word)
    if agency is not None:
        users = users.filter(agency=agency)
    if role:
        users = users.filter(roles__code=role)
    has_device = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    needs_device = User.roles.through.objects.filter(
        user_id=OuterRef("pk"), role_id__in=ROLES_REQUIRING_2FA
    )
    return users.annotate(
        has_second_factor=Exists(has_device), requires_second_factor=Exists(needs_device)
    ).order_by("sort_text", "id")


def username_taken(username: str) -> bool:
    """Usernames are unique regardless of case, so "NguyenVan" cannot shadow "nguyenvan"."""
    return User.objects.filter(username__iexact=username).exists()


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_device_pending(user: User) -> TOTPDevice | None:
    """The device being enrolled: created, shown as a QR code, not yet confirmed by a code.

    The oldest one: if two requests raced to create one, both show and check the same."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()


def active_administrators_exist(*, excluding: User | None = None) -> bool:
    administrators = User.objects.filter(is_active=True, roles__code=RoleCode.ADMIN)
    if excluding is not None:
        administrators = administrators.exclude(pk=excluding.pk)
    return administrators.exists()


@dataclass(frozen=True)
class TotpEnrolment:
    """What the enrolment page shows: a QR code to scan, or the secret to type in."""

    qr_svg: SafeString
    secret: str  # base32, in groups of four for reading aloud or typing
    config_url: str


def totp_enrolment(device: TOTPDevice) -> TotpEnrolment:
    config_url = str(device.config_url)
    image = qrcode.make(config_url, image_factory=SvgPathImage, box_size=12, border=4)
    svg = image.to_string(encoding="unicode")
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return TotpEnrolment(
        # The SVG is generated here from our own data, with no user input in it.
        qr_svg=mark_safe(svg),  # noqa: S308
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        config_url=config_url,
    )
