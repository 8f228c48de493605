"""Which agencies a user may see, and the one door to a single agency: `agency_access`.

Users who work across agencies (`User.sees_all_agencies`: administrators, the office, leaders,
inspectors) see every agency, ended ones included. Everyone else sees their own agency and the
agencies under it, at any depth. Only administrators change agencies.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.agencies.models import Agency

AnyUser = User | AnonymousUser


def agency_subtree_ids(root_id: int) -> set[int]:
    """The id of an agency and of every agency below it, one query per level of depth."""
    ids = {root_id}
    level = [root_id]
    while level:
        below = Agency.objects.filter(parent_id__in=level).order_by().values_list("pk", flat=True)
        level = [pk for pk in below if pk not in ids]  # a cycle stops here instead of looping
        ids.update(level)
    return ids


def agency_ids_visible_to(user: AnyUser) -> set[int] | None:
    """The ids of the agencies `user` may see, or None when they may see all of them."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    if user.sees_all_agencies:
        return None
    if user.agency_id is None:
        return set()
    return agency_subtree_ids(user.agency_id)


def agencies_visible_to(user: AnyUser) -> QuerySet[Agency]:
    """The agencies `user` may see: the start of every agency list, page and export."""
    ids = agency_ids_visible_to(user)
    if ids is None:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=ids)


def agency_access(user: AnyUser, code: str, *, write: bool = False) -> Agency:
    """The agency with this code, if `user` may see it (and change it, when `write`).

    Raises Http404 when the agency does not exist or is not visible to the user (so its
    existence is not revealed), PermissionDenied when it is visible but not writable.
    """
    agency = agencies_visible_to(user).select_related("parent").filter(code=code).first()
    if agency is None:
        raise Http404(_("Không tìm thấy cơ quan."))
    if write and not rules.administrator(user):
        raise PermissionDenied
    return agency
