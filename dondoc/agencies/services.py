"""Changing agencies: creating and editing them, and recording reorganizations.

Every change is checked here (`ValidationError` with Vietnamese messages, for the form to
show), written in one transaction and recorded in the audit log in that same transaction.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dondoc.accounts.services import users_transfer
from dondoc.agencies.access import agency_subtree_ids
from dondoc.agencies.models import (
    Agency,
    AgencyAlias,
    AgencyKind,
    Reorganization,
    ReorganizationKind,
)
from dondoc.audit.services import Actor, audit_record, diff
from dondoc.core.text import normalize, search_key

CODE_MAX_LENGTH = 32
code_validator = RegexValidator(
    re.compile(r"\A[A-Z0-9][A-Z0-9_-]*\Z"),
    gettext_lazy(
        "Mã chỉ gồm chữ in hoa không dấu, chữ số, dấu gạch ngang hoặc gạch dưới "
        "(ví dụ: BTCTW, HANOI)."
    ),
)
ONE_DAY = dt.timedelta(days=1)

WorkTransfer = Callable[[Actor, Reorganization], object]
"""What an app moves to the successors when agencies reorganize (tracking: open tasks), given
who recorded it. Called inside the transaction that records the reorganization, after it is
stored: its writes and audit entries commit or roll back with it, and its exception undoes it.
Quick, and nothing outside the database (e-mail belongs in `transaction.on_commit`)."""

_work_transfers: list[WorkTransfer] = []


def work_transfer_register(transfer: WorkTransfer) -> None:
    """Called once from an app's `AppConfig.ready()`: a base app cannot import the feature apps
    whose work follows agencies, so they tell it what to move."""
    if transfer not in _work_transfers:
        _work_transfers.append(transfer)


def work_transfer(actor: Actor, reorganization: Reorganization) -> None:
    """Move every app's work, and the people, of the agencies ended to their successor."""
    users_transfer(actor, reorganization)
    for transfer in _work_transfers:
        transfer(actor, reorganization)


@dataclass(frozen=True)
class AgencyFields:
    """What an administrator states about an agency; the rest is derived on save."""

    code: str
    name: str
    kind: str
    short_name: str = ""
    parent: Agency | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def _snapshot(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent": agency.parent,
        "valid_from": agency.valid_from,
        "valid_to": agency.valid_to,
    }


def _day(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


# Agencies --------------------------------------------------------------------------------


def agency_check(fields: AgencyFields, *, agency: Agency | None = None) -> None:
    """Raise ValidationError unless `fields` may be stored (for `agency`, when editing)."""
    errors: list[str] = []
    try:
        code_validator(fields.code)
    except ValidationError as error:
        errors.extend(error.messages)
    if len(fields.code) > CODE_MAX_LENGTH:
        errors.append(_("Mã dài tối đa %(n)d ký tự.") % {"n": CODE_MAX_LENGTH})
    taken = Agency.objects.filter(code=fields.code)
    if agency is not None:
        taken = taken.exclude(pk=agency.pk)
    if taken.exists():
        errors.append(_("Mã %(code)s đã được dùng cho cơ quan khác.") % {"code": fields.code})
    if not fields.name.strip():
        errors.append(_("Nhập tên cơ quan."))
    if fields.kind not in AgencyKind.values:
        errors.append(_("Loại cơ quan không hợp lệ."))
    if fields.valid_from and fields.valid_to and fields.valid_to < fields.valid_from:
        errors.append(_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."))
    if (
        agency is not None
        and fields.parent is not None
        and fields.parent.pk in agency_subtree_ids(agency.pk)
    ):
        errors.append(
            _("Cơ quan cấp trên không thể là chính cơ quan này hoặc một đơn vị trực thuộc nó.")
        )
    if errors:
        raise ValidationError(errors)


def _audit_create(actor: Actor, agency: Agency) -> None:
    audit_record(actor, "agency.create", agency, diff({}, _snapshot(agency)), agency_id=agency.pk)


def agency_create(actor: Actor, fields: AgencyFields) -> Agency:
    agency_check(fields)
    with transaction.atomic():
        agency = Agency.objects.create(**vars(fields))
        _audit_create(actor, agency)
    return agency


def agency_update(actor: Actor, agency: Agency, fields: AgencyFields) -> Agency:
    """Store `fields` on `agency`; returns the stored agency (the one passed may be stale)."""
    agency_check(fields, agency=agency)
    with transaction.atomic():
        stored = Agency.objects.select_related("parent").get(pk=agency.pk)
        before = _snapshot(stored)
        for name, value in vars(fields).items():
            setattr(stored, name, value)
        changes = diff(before, _snapshot(stored))
        if changes:
            stored.save()
            audit_record(actor, "agency.update", stored, changes, agency_id=stored.pk)
    return stored


# Aliases: names the office teaches assisted entry -----------------------------------------

ALIAS_MAX_LENGTH = 255


def agency_alias_check(agency: Agency, text: str) -> str:
    """The alias's search key, or a `ValidationError` in Vietnamese."""
    key = search_key(text)
    if not any(ch.isalnum() for ch in key):
        raise ValidationError(_("Tên gọi khác phải có chữ."), code="alias_empty")
    if len(text) > ALIAS_MAX_LENGTH:
        raise ValidationError(
            _("Tên gọi khác dài tối đa %(limit)d ký tự.") % {"limit": ALIAS_MAX_LENGTH},
            code="alias_too_long",
        )
    if not agency.is_active:
        raise ValidationError(
            _("%(agency)s đã thôi hoạt động.") % {"agency": agency.name}, code="agency_inactive"
        )
    taken = AgencyAlias.objects.filter(key=key).exclude(agency=agency).select_related("agency")
    if (other := taken.first()) is not None:
        raise ValidationError(
            _("“%(text)s” đã là tên gọi khác của %(agency)s.")
            % {"text": other.text, "agency": other.agency.name},
            code="alias_taken",
        )
    return key


def agency_alias_teach(actor: Actor, agency: Agency, text: str) -> AgencyAlias:
    """Record `text` as another name of `agency` (who and when), for assisted entry to resolve
    it next time; teaching the same name again returns the alias already there."""
    text = normalize(text)
    key = agency_alias_check(agency, text)
    with transaction.atomic(durable=True):
        alias, created = AgencyAlias.objects.get_or_create(
            key=key,
            defaults={
                "agency": agency,
                "text": text,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            audit_record(
                actor, "agency.alias", agency, {"alias": [None, text]}, agency_id=agency.pk
            )
    return alias


# Reorganizations -------------------------------------------------------------------------


def _names(agencies: Iterable[Agency]) -> str:
    return ", ".join(agency.name for agency in agencies)


def _starts_with(agency: Agency, effective_on: dt.date) -> bool:
    """Does this successor begin with the reorganization (rather than continue through it)?"""
    return agency.pk is None or (
        agency.valid_from is not None and agency.valid_from >= effective_on
    )


def _shape_problems(
    kind: str, effective_on: dt.date, predecessors: Sequence[Agency], successors: Sequence[Agency]
) -> list[str]:
    """How many agencies each kind of reorganization ends and starts."""
    n_before, n_after = len(predecessors), len(successors)
    if kind == ReorganizationKind.MERGE:
        problems = []
        if n_after != 1:
            problems.append(_("Hợp nhất, sáp nhập phải có đúng một cơ quan sau."))
        elif n_before < 2 and _starts_with(successors[0], effective_on):
            problems.append(
                _(
                    "Hợp nhất phải có ít nhất hai cơ quan trước (chỉ một cơ quan thì là đổi tên, "
                    "hoặc sáp nhập vào một cơ quan đang hoạt động)."
                )
            )
        return problems
    if kind == ReorganizationKind.SPLIT:
        if n_before != 1 or n_after < 2:
            return [_("Chia tách phải có đúng một cơ quan trước và ít nhất hai cơ quan sau.")]
    elif kind == ReorganizationKind.RENAME:
        if n_before != 1 or n_after != 1:
            return [_("Đổi tên phải có đúng một cơ quan trước và đúng một cơ quan sau.")]
    elif kind != ReorganizationKind.DISSOLVE:
        return [_("Loại sắp xếp tổ chức không hợp lệ.")]
    return []


def _agency_problems(
    effective_on: dt.date, predecessors: Sequence[Agency], successors: Sequence[Agency]
) -> list[str]:
    """Which agencies may take part: not both sides, not ended already, dates in order."""
    problems = []
    both = {a.pk for a in predecessors} & {a.pk for a in successors if a.pk is not None}
    if both:
        problems.append(
            _("Một cơ quan không thể vừa là cơ quan trước vừa là cơ quan sau: %(names)s.")
            % {"names": _names(a for a in predecessors if a.pk in both)}
        )
    for agency in predecessors:
        if agency.valid_to is not None:
            problems.append(
                _("%(name)s đã kết thúc hoạt động (ngày %(day)s), không thể là cơ quan trước.")
                % {"name": agency.name, "day": _day(agency.valid_to)}
            )
        elif agency.valid_from is not None and agency.valid_from >= effective_on:
            problems.append(
                _("Ngày hiệu lực phải sau ngày %(name)s bắt đầu hoạt động (%(day)s).")
                % {"name": agency.name, "day": _day(agency.valid_from)}
            )
    for agency in successors:
        if agency.valid_to is not None and agency.valid_to < effective_on:
            problems.append(
                _("%(name)s đã kết thúc hoạt động (ngày %(day)s), không thể là cơ quan sau.")
                % {"name": agency.name, "day": _day(agency.valid_to)}
            )
    return problems


def reorganization_check(
    *,
    kind: str,
    effective_on: dt.date,
    predecessors: Sequence[Agency],
    successors: Sequence[Agency],
    new_successor: AgencyFields | None = None,
) -> None:
    """Raise ValidationError (all problems at once) unless this reorganization may be recorded."""
    problems: list[str] = []
    if not predecessors:
        problems.append(_("Chọn ít nhất một cơ quan trước."))
    all_successors = list(successors)
    if new_successor is not None:
        try:
            agency_check(new_successor)
        except ValidationError as error:
            problems.extend(error.messages)
        all_successors.append(Agency(code=new_successor.code, name=new_successor.name))
    problems += _shape_problems(kind, effective_on, predecessors, all_successors)
    problems += _agency_problems(effective_on, predecessors, all_successors)
    if problems:
        raise ValidationError(problems)


def _fresh(agencies: Iterable[Agency]) -> list[Agency]:
    """The stored rows of these agencies, in their given order, read inside the transaction."""
    wanted = [agency.pk for agency in agencies]
    stored = Agency.objects.select_related("parent").in_bulk(wanted)
    return [stored[pk] for pk in dict.fromkeys(wanted) if pk in stored]


def reorganization_record(
    actor: Actor,
    *,
    kind: str,
    effective_on: dt.date,
    predecessors: Iterable[Agency],
    successors: Iterable[Agency] = (),
    new_successor: AgencyFields | None = None,
    decision: str = "",
) -> Reorganization:
    """Record a merge, split, rename or dissolution taking effect on `effective_on`.

    In one transaction: creates `new_successor` (if given) valid from the effective date;
    ends every predecessor the day before (`valid_to`); moves the start (`valid_from`) of an
    existing successor that was to start later to the effective date, while a successor
    already in force (e.g. a province another one is merged into) keeps its history; stores
    the `Reorganization` with its predecessors and successors; writes the audit log; and moves
    the people and the work of the agencies ended to their successor (`work_transfer`), all
    audited as done by `actor`.

    A merge (hợp nhất) joins two or more agencies into one successor; one agency may also be
    merged into an existing successor that continues (sáp nhập). A split ends one agency into
    two or more; a rename ends one agency into one new one; a dissolution ends agencies, with
    successors optional (those taking over their work). An agency already ended cannot end
    again. Raises ValidationError with every problem found, writing nothing.
    """
    with transaction.atomic():
        before = _fresh(predecessors)
        after = _fresh(successors)
        reorganization_check(
            kind=kind,
            effective_on=effective_on,
            predecessors=before,
            successors=after,
            new_successor=new_successor,
        )
        day_before = effective_on - ONE_DAY
        # Compare-and-set: a predecessor ended meanwhile by someone else is not ended twice.
        ended = Agency.objects.filter(pk__in=[a.pk for a in before], valid_to__isnull=True)
        if ended.update(valid_to=day_before) != len(before):
            raise ValidationError(
                _("Một cơ quan trước vừa được người khác sắp xếp; vui lòng tải lại trang.")
            )
        started = [a for a in after if a.valid_from is not None and a.valid_from > effective_on]
        Agency.objects.filter(pk__in=[a.pk for a in started]).update(valid_from=effective_on)
        created = None
        if new_successor is not None:
            created = Agency.objects.create(
                **{**vars(new_successor), "valid_from": effective_on, "valid_to": None}
            )
            after.append(created)
        reorganization = Reorganization.objects.create(
            kind=kind, effective_on=effective_on, decision=decision
        )
        reorganization.predecessors.set(before)
        reorganization.successors.set(after)
        # The audit log's head is locked last, after every row this transaction writes.
        if created is not None:
            _audit_create(actor, created)
        _audit_reorganization(actor, reorganization, before, after, started)
        work_transfer(actor, reorganization)
    return reorganization


def _audit_reorganization(
    actor: Actor,
    reorganization: Reorganization,
    predecessors: Sequence[Agency],
    successors: Sequence[Agency],
    started: Sequence[Agency],
) -> None:
    day_before = reorganization.effective_on - ONE_DAY
    for agency in predecessors:
        changes = {"valid_to": [agency.valid_to, day_before]}
        audit_record(actor, "agency.update", agency, changes, agency_id=agency.pk)
    for agency in started:
        changes = {"valid_from": [agency.valid_from, reorganization.effective_on]}
        audit_record(actor, "agency.update", agency, changes, agency_id=agency.pk)
    audit_record(
        actor,
        "agency.reorganize",
        reorganization,
        {
            "kind": [None, reorganization.kind],
            "effective_on": [None, reorganization.effective_on],
            "decision": [None, reorganization.decision],
            "predecessors": [None, list(predecessors)],
            "successors": [None, list(successors)],
        },
    )
