"""Reading agencies: the filtered list, one agency's page, the choices offered in forms.

Every read starts from `access.agencies_visible_to(user)`.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import User
from dondoc.agencies.access import AnyUser, agencies_visible_to, agency_ids_visible_to
from dondoc.agencies.models import Agency, Reorganization, ReorganizationKind
from dondoc.core.text import search_key


class AgencyStatus(models.TextChoices):
    """Where an agency stands on a given day; derived from its validity dates."""

    ACTIVE = "active", _("Đang hoạt động")
    UPCOMING = "upcoming", _("Chưa có hiệu lực")
    ENDED = "ended", _("Đã kết thúc")


def agency_status(agency: Agency, day: dt.date | None = None) -> AgencyStatus:
    """The status of `agency` on `day` (today by default); `status_filter` is its SQL twin."""
    day = day or timezone.localdate()
    if agency.valid_to is not None and agency.valid_to < day:
        return AgencyStatus.ENDED
    if agency.valid_from is not None and agency.valid_from > day:
        return AgencyStatus.UPCOMING
    return AgencyStatus.ACTIVE


def status_filter(status: AgencyStatus, day: dt.date | None = None) -> Q:
    """The agencies whose `agency_status` on `day` (today by default) is `status`."""
    day = day or timezone.localdate()
    if status == AgencyStatus.ENDED:
        return Q(valid_to__lt=day)
    if status == AgencyStatus.UPCOMING:
        return Q(valid_from__gt=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


@dataclass(frozen=True)
class AgencyFilters:
    q: str = ""
    kind: str = ""
    status: AgencyStatus | None = AgencyStatus.ACTIVE  # None: every status
    parent: str = ""  # an agency's code: only the agencies directly under it


def agencies_filtered(user: AnyUser, filters: AgencyFilters) -> QuerySet[Agency]:
    """The visible agencies matching `filters`, in Vietnamese alphabetical order.

    Each carries its parent (`select_related`) and `children_count`. The text search ignores
    diacritics and case ("to chuc" finds "Tổ chức") and matches every word of the query in the
    name, short name or code.
    """
    agencies = agencies_visible_to(user)
    for word in search_key(filters.q).split():
        agencies = agencies.filter(search_text__contains=word)
    if filters.kind:
        agencies = agencies.filter(kind=filters.kind)
    if filters.status is not None:
        agencies = agencies.filter(status_filter(filters.status))
    if filters.parent:
        agencies = agencies.filter(parent__code=filters.parent)
    return (
        agencies.select_related("parent")
        .annotate(children_count=Count("children"))
        .order_by("sort_text", "id")
    )


@dataclass(frozen=True)
class AgencyPage:
    """What the page of one agency shows."""

    agency: Agency
    children: list[Agency]
    members: list[User]
    reorganizations: list[Reorganization]
    linked_ids: set[int] | None  # agencies the reader may open (None: all of them)


def agency_page(user: AnyUser, agency: Agency) -> AgencyPage:
    """One agency (already checked with `agency_access`) with its children, its members and
    the reorganizations it took part in, as predecessor or successor."""
    reorganizations = (
        Reorganization.objects.filter(
            Q(pk__in=agency.reorganizations_ended.values("pk"))
            | Q(pk__in=agency.reorganizations_started.values("pk"))
        )
        .prefetch_related("predecessors", "successors")
        .order_by("-effective_on", "-id")
    )
    return AgencyPage(
        agency=agency,
        children=list(agency.children.order_by("sort_text", "id")),
        members=list(agency.members.filter(is_active=True).order_by("sort_text", "id")),
        reorganizations=list(reorganizations),
        linked_ids=agency_ids_visible_to(user),
    )


def agency_visible(user: AnyUser, code: str) -> Agency | None:
    """The agency with this code if `user` may see it (for filters; pages use `agency_access`)."""
    return agencies_visible_to(user).filter(code=code).first() if code else None


def agency_choices(user: AnyUser, *, ended: bool = True) -> QuerySet[Agency]:
    """The agencies a form may offer `user` to pick (without the ended ones if not `ended`):
    the one rule both a picker's suggestions (`agencies_suggested`) and its field check."""
    agencies = agencies_visible_to(user)
    if not ended:
        agencies = agencies.filter(valid_to__isnull=True)
    return agencies.order_by("sort_text", "id")


LOOKUP_LIMIT = 20


def agencies_suggested(
    user: AnyUser, term: str, limit: int = LOOKUP_LIMIT, *, ended: bool = True
) -> list[tuple[str, str]]:
    """(code, name) of the agencies `user` may pick (`agency_choices`, without the ended ones
    if not `ended`) whose name or code holds every word of `term` (diacritics ignored), in
    Vietnamese order: what a lookup input suggests."""
    agencies = agencies_matching(agency_choices(user, ended=ended), term)
    return list(agencies.values_list("code", "name")[:limit])


def agencies_matching(agencies: QuerySet[Agency], words: str) -> QuerySet[Agency]:
    """Those of `agencies` whose name, short name or code holds every one of `words`
    (diacritics ignored): all of them when there are no words."""
    for word in search_key(words).split():
        agencies = agencies.filter(search_text__contains=word)
    return agencies


def agencies_typed(agencies: QuerySet[Agency], typed: str) -> QuerySet[Agency]:
    """Those of `agencies` that `typed` designates, as a picker reads it back: a code (a
    suggestion's value) or a number is that agency; other words are every agency matching
    them all (`agencies_matching`); nothing typed is none."""
    typed = typed.strip()
    if not search_key(typed).split():
        return agencies.none()
    if typed.isdigit():
        return agencies.filter(pk=int(typed))
    if agencies.filter(code__iexact=typed).exists():
        return agencies.filter(code__iexact=typed)
    return agencies_matching(agencies, typed)


def reorganization_successor(reorganization: Reorganization) -> Agency | None:
    """The one agency that takes over the work of those a reorganization ended, if there is
    one: a merge, a rename or a dissolution into a single successor. A split names none, so
    nothing moves by itself (the office reassigns the split agency's open work)."""
    if reorganization.kind == ReorganizationKind.SPLIT:
        return None
    successors = list(reorganization.successors.all())
    return successors[0] if len(successors) == 1 else None
