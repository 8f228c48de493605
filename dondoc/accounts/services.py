"""Changing people: the sign-in steps, accounts kept by administrators, one's own profile.

Sign-ins, failures, second-factor events and account-security changes go to the
`dondoc.security` logger. Changes to users return what changed, field by field, so the
audit trail can record them.
"""

import enum
import logging
from collections.abc import Callable, Collection
from typing import Any, cast

from axes.models import AccessAttempt
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts import selectors
from dondoc.accounts.models import Clearance, NotificationMode, Role, RoleCode, User
from dondoc.agencies.models import Agency, Reorganization
from dondoc.agencies.selectors import reorganization_successor
from dondoc.audit.services import Actor, audit_record
from dondoc.core.text import normalize

security_log = logging.getLogger("dondoc.security")

ROLES_NEEDING_AGENCY = frozenset({RoleCode.FOCAL, RoleCode.HEAD})
TOTP_DEVICE_NAME = gettext_lazy("Ứng dụng xác thực")

Changes = dict[str, list[Any]]  # {field: [before, after]}, as the audit log takes them


def client_ip(request: HttpRequest) -> str:
    """The client address as django-axes resolved it (proxy-aware), else the socket peer."""
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))


# Sign-in -----------------------------------------------------------------------------------


def sign_in_password(request: HttpRequest, username: str, password: str) -> User | None:
    """First step: check the password (django-axes counts failures) and start the session.

    Users who must use a second factor are signed in but not verified; the access
    middleware keeps them on the second-factor pages until they are.
    """
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        security_log.warning(
            "sign-in refused: username=%r ip=%s locked_out=%s",
            username,
            client_ip(request),
            bool(getattr(request, "axes_locked_out", False)),
        )
        return None
    login(request, user)
    security_log.info(
        "sign-in password accepted: user=%s username=%r ip=%s second_factor=%s",
        user.pk,
        user.username,
        client_ip(request),
        "required" if user.requires_2fa else "not required",
    )
    return user


def sign_out(request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        security_log.info("sign-out: user=%s ip=%s", user.pk, client_ip(request))
    logout(request)


class TokenCheck(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too many wrong codes in a row: wait (1, 2, 4, 8… seconds)


def second_factor_enrol_start(user: User) -> TOTPDevice:
    """The device being enrolled, created once: reloading the page shows the same secret."""
    device = selectors.totp_device_pending(user)
    if device is None:
        created = TOTPDevice.objects.create(user=user, name=str(TOTP_DEVICE_NAME), confirmed=False)
        security_log.info("second factor enrolment started: user=%s", user.pk)
        # Another request may have raced to create one too: both then use the oldest.
        device = selectors.totp_device_pending(user) or created
    return device


def second_factor_check(request: HttpRequest, device: TOTPDevice, token: str) -> TokenCheck:
    """Check a code from `device` and, if it is right, mark the session verified.

    A code for a device being enrolled also confirms the device. The device row is locked
    while checking, so one code cannot be used twice by concurrent requests.
    """
    user = cast(User, request.user)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            result = TokenCheck.THROTTLED
        elif not device.verify_token(token):
            result = TokenCheck.WRONG
        else:
            result = TokenCheck.ACCEPTED
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                security_log.info("second factor enrolled: user=%s", user.pk)
    if result is not TokenCheck.ACCEPTED:
        security_log.warning(
            "second factor refused: user=%s ip=%s reason=%s",
            user.pk,
            client_ip(request),
            result.value,
        )
        return result
    otp_login(request, device)
    request.session.cycle_key()  # a new session id for the more privileged session
    security_log.info("second factor accepted: user=%s ip=%s", user.pk, client_ip(request))
    return result


# Accounts kept by administrators ------------------------------------------------------------


def _check_agency_for_roles(agency: Agency | None, roles: Collection[str]) -> None:
    if agency is None and ROLES_NEEDING_AGENCY.intersection(roles):
        raise ValidationError(
            {"agency": _("Đầu mối và người đứng đầu cơ quan phải thuộc một cơ quan.")}
        )


def _check_keeps_an_administrator(user: User, roles: Collection[str], is_active: bool) -> None:
    stays_administrator = is_active and RoleCode.ADMIN in roles
    if (
        not stays_administrator
        and user.is_active
        and user.has_role(RoleCode.ADMIN)
        and not selectors.active_administrators_exist(excluding=user)
    ):
        raise ValidationError(
            _("Hệ thống phải còn ít nhất một quản trị hệ thống đang hoạt động."),
            code="last_administrator",
        )


def _set_roles(user: User, roles: Collection[str]) -> None:
    user.roles.set(Role.objects.filter(code__in=roles))
    user.__dict__.pop("role_codes", None)  # drop the cached value


def _actor_id(actor: User | None) -> object:
    return actor.pk if actor is not None else "-"


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    password: str,
    email: str = "",
    position: str = "",
    agency: Agency | None = None,
    roles: Collection[str] = (),
    clearance: int = Clearance.NORMAL,
    is_active: bool = True,
) -> User:
    _check_agency_for_roles(agency, roles)
    user = User(
        username=User.normalize_username(username),
        full_name=normalize(full_name),
        email=User.objects.normalize_email(email),
        position=normalize(position),
        agency=agency,
        clearance=clearance,
        is_active=is_active,
    )
    user.set_password(password)
    if selectors.username_taken(user.username):
        raise ValidationError({"username": _("Tên đăng nhập này đã được dùng.")})
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same username created at the same moment
        raise ValidationError({"username": _("Tên đăng nhập này đã được dùng.")}) from error
    _set_roles(user, roles)
    created = {"username": [None, user.username], "agency": [None, agency], "roles": [None, sorted(roles)],
               "clearance": [None, clearance], "is_active": [None, is_active]}  # fmt: skip
    audit_record(actor, "user.create", user, created, agency_id=user.agency_id)
    security_log.info(
        "account created: user=%s roles=%s by=%s",
        user.pk,
        ",".join(sorted(roles)),
        _actor_id(actor),
    )
    return user


@transaction.atomic
def user_update(
    user: User,
    *,
    actor: User | None,
    full_name: str,
    email: str,
    position: str,
    agency: Agency | None,
    roles: Collection[str],
    clearance: int,
    is_active: bool,
) -> Changes:
    """Change a user's details and roles; returns {field: [before, after]} for what changed."""
    _check_agency_for_roles(agency, roles)
    _check_keeps_an_administrator(user, roles, is_active)
    wanted: dict[str, Any] = {
        "full_name": normalize(full_name),
        "email": User.objects.normalize_email(email),
        "position": normalize(position),
        "agency": agency,
        "clearance": clearance,
        "is_active": is_active,
    }
    changes: Changes = {}
    for field, new in wanted.items():
        old = user.agency if field == "agency" else getattr(user, field)
        if old != new:
            changes[field] = [old, new]
            setattr(user, field, new)
    if changes:
        user.save()
    old_roles, new_roles = set(user.role_codes), set(roles)
    if old_roles != new_roles:
        _set_roles(user, new_roles)
        changes["roles"] = [sorted(old_roles), sorted(new_roles)]
    if changes:
        audit_record(actor, "user.update", user, changes, agency_id=user.agency_id)
    if "is_active" in changes or "roles" in changes:
        security_log.info(
            "account access changed: user=%s is_active=%s roles=%s by=%s",
            user.pk,
            user.is_active,
            ",".join(sorted(new_roles)),
            _actor_id(actor),
        )
    return changes


def users_transfer(actor: Actor, reorganization: Reorganization) -> int:
    """Move the users of the agencies a reorganization ended to its single successor, each
    with an audit entry by `actor`; returns how many moved (none on a split)."""
    successor = reorganization_successor(reorganization)
    if successor is None:
        return 0
    ended = reorganization.predecessors.values_list("pk", flat=True)
    users = list(User.objects.filter(agency_id__in=list(ended)).order_by("pk"))
    User.objects.filter(pk__in=[user.pk for user in users]).update(agency=successor)
    for user in users:
        changes = {"agency": [user.agency_id, successor.pk]}
        audit_record(actor, "user.transfer", user, changes, agency_id=successor.pk)
    return len(users)


@transaction.atomic
def user_set_password(
    user: User, password: str, *, actor: User | None, request: HttpRequest | None = None
) -> None:
    """An administrator sets a new password; the user's open sessions end with the old one.

    Given the administrator's own `request`, their own session survives a change of their
    own password.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor, "user.password_set", user, {"password": ["***", "***"]})
    if request is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    security_log.info("password set by an administrator: user=%s by=%s", user.pk, _actor_id(actor))


def user_reset_second_factor(user: User, *, actor: User | None) -> int:
    """Remove the user's authenticator devices; their next sign-in enrols a new one.

    Sessions verified with a removed device stop being verified at once.
    """
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    security_log.warning(
        "second factor reset: user=%s devices_removed=%s by=%s", user.pk, removed, _actor_id(actor)
    )
    return removed


def erased_username(user: User) -> str:
    return f"da-xoa-{user.pk}"


# What a feature app holds about a person and erases with their account: given the user, it
# erases in the erasure's transaction and returns how many rows it changed. Registered from the
# feature's `AppConfig.ready()` (accounts imports no feature app).
ErasureHook = Callable[[User], int]

_erasure_hooks: dict[str, ErasureHook] = {}


def user_erase_hook_register(key: str, hook: ErasureHook) -> None:
    _erasure_hooks[key] = hook


@transaction.atomic
def user_erase(user: User, *, actor: User | None) -> list[str]:
    """Erase a person's account on request or departure (Decree 13/2023, Art. 16), in one
    step: deactivated, password unusable, second factor removed, and the personal fields
    replaced by a pseudonym naming the row (`da-xoa-<id>`, "Người dùng <id> (đã xóa)") or
    emptied; what feature apps hold about the person goes with it (their registered hooks: the
    e-mails to them). The row stays: the records and the audit log refer to it by id. One audit entry
    `user.erase` lists the fields erased, never their old values. Returns those fields; a
    second erasure finds nothing left and records nothing."""
    _check_keeps_an_administrator(user, (), is_active=False)
    old_username = user.username
    wanted = {
        "username": erased_username(user),
        "full_name": _("Người dùng %(id)s (đã xóa)") % {"id": user.pk},
        "first_name": "",
        "last_name": "",
        "email": "",
        "position": "",
        "is_active": False,
    }
    erased = [field for field, value in wanted.items() if getattr(user, field) != value]
    for field in erased:
        setattr(user, field, wanted[field])
    if user.has_usable_password():
        user.set_unusable_password()
        erased.append("password")
    if TOTPDevice.objects.filter(user=user).delete()[0]:
        erased.append("second_factor")
    erased += [key for key in sorted(_erasure_hooks) if _erasure_hooks[key](user)]
    if not erased:
        return []
    user.save()
    AccessAttempt.objects.filter(username=old_username).delete()
    changes = {
        field: ["***", getattr(user, field) if field in wanted else "***"] for field in erased
    }
    if "is_active" in changes:
        changes["is_active"] = [True, False]
    audit_record(actor, "user.erase", user, changes, agency_id=user.agency_id)
    security_log.warning("account erased: user=%s by=%s", user.pk, _actor_id(actor))
    return erased


# One's own profile -------------------------------------------------------------------------


def user_set_notification_mode(user: User, mode: str) -> bool:
    """Immediate e-mails or a daily digest; returns whether anything changed."""
    mode = NotificationMode(mode)
    if user.notification_mode == mode:
        return False
    user.notification_mode = mode
    user.save(update_fields=["notification_mode"])
    return True


def user_change_password(request: HttpRequest, user: User, new_password: str) -> None:
    """The signed-in user changes their own password and stays signed in on this device."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    security_log.info("password changed: user=%s ip=%s", user.pk, client_ip(request))


# Reads of personal data (Decree 13/2023, docs/personal-data.md) ------------------------------

PERSONAL_FIELDS = ("username", "full_name", "email", "position", "agency", "roles", "clearance")


def personal_data_viewed(actor: User, user: User) -> None:
    """Record that `actor` was shown another person's account (the administration page)."""
    if actor.pk == user.pk:
        return  # one's own data
    audit_record(actor, "personal_data_view", user, {"fields": [None, list(PERSONAL_FIELDS)]})


def personal_data_listed(actor: User, users: Collection[User], *, query: str = "") -> None:
    """Record that `actor` was shown a list of people (names, usernames, agencies, roles)."""
    if not users:
        return
    audit_record(
        actor,
        "personal_data_list",
        "accounts.user",
        {"users": [None, sorted(user.pk for user in users)], "query": [None, query]},
    )
