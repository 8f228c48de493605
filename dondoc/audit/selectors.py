"""Reading the audit log: filtered, newest first, one keyset page at a time."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from dondoc.audit.models import HEAD_ID, AuditChainHead, AuditEntry
from dondoc.core.text import search_key

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # part of the username or the person's name, with or without diacritics
    object_type: str = ""  # a model label such as "tracking.task"
    object_id: str = ""
    action: str = ""
    date_from: dt.date | None = None  # local days, both ends included
    date_to: dt.date | None = None
    agency_id: int | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    older_than: int | None  # the `before` cursor of the next (older) page, if there is one
    newer_than: int | None  # the `after` cursor of the previous (newer) page, if there is one


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries matching every given filter, newest first, with their actors."""
    entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    if filters.actor:
        entries = entries.filter(
            Q(actor_label__icontains=filters.actor)
            | Q(actor__search_text__contains=search_key(filters.actor))
        )
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type.strip().lower())
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id.strip())
    if filters.action:
        entries = entries.filter(action=filters.action.strip())
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.agency_id is not None:
        entries = entries.filter(agency_id=filters.agency_id)
    return entries


def audit_page(
    filters: AuditFilters,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> AuditPage:
    """One page of `size` entries: the newest, those just older than seq `before`, or those
    just newer than seq `after`. One query, whatever the size of the log (no COUNT)."""
    entries = audit_entries(filters)
    if after is not None:
        rows = list(entries.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer, rows = len(rows) > size, rows[:size][::-1]
        has_older = bool(rows)  # we came from an older page
    else:
        if before is not None:
            entries = entries.filter(seq__lt=before)
        rows = list(entries[: size + 1])
        has_older, rows = len(rows) > size, rows[:size]
        has_newer = before is not None and bool(rows)
    return AuditPage(
        entries=rows,
        older_than=rows[-1].seq if has_older else None,
        newer_than=rows[0].seq if has_newer else None,
    )


def audit_entry(seq: int) -> AuditEntry:
    """One entry with its actor; raises AuditEntry.DoesNotExist."""
    return AuditEntry.objects.select_related("actor").get(seq=seq)


def audit_last_seq() -> int:
    """The sequence number of the newest entry, as the chain head records it."""
    seq = AuditChainHead.objects.filter(pk=HEAD_ID).values_list("seq", flat=True).first()
    return seq or 0
