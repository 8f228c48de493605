"""One visibility rule: who sees which agency, and who may change one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dondoc.agencies.access import agencies_visible_to, agency_access, agency_subtree_ids
from dondoc.agencies.models import Agency
from tests.agencies.conftest import add_agency
from tests.conftest import make_user


def codes(agencies) -> set[str]:
    return set(agencies.values_list("code", flat=True))


def test_focal_point_sees_own_agency_and_every_level_below_it(
    lead_focal, lead_agency, lead_units, other_agency, office_agency
):
    assert codes(agencies_visible_to(lead_focal)) == {"BTCTW", "BTCTW-V1", "BTCTW-V1-P1"}


def test_member_of_a_sub_agency_does_not_see_the_agency_above(lead_units, lead_agency):
    department, _office = lead_units
    member = make_user("daumoi.vu", department, "focal")
    assert codes(agencies_visible_to(member)) == {"BTCTW-V1", "BTCTW-V1-P1"}
    with pytest.raises(Http404):
        agency_access(member, lead_agency.code)


@pytest.mark.parametrize("actor", ["office_user", "inspector", "leader", "admin_user"])
def test_people_working_across_agencies_see_all_of_them(
    request, actor, lead_agency, other_agency, office_agency
):
    user = request.getfixturevalue(actor)
    assert codes(agencies_visible_to(user)) == {"BTCTW", "HANOI", "VPTW"}


def test_user_without_agency_or_cross_agency_role_sees_none(db, lead_agency):
    nobody = make_user("khach", None, "focal")
    assert not agencies_visible_to(nobody).exists()
    assert not agencies_visible_to(AnonymousUser()).exists()


def test_subtree_lookup_costs_one_query_per_level(
    lead_agency, lead_units, django_assert_num_queries
):
    with django_assert_num_queries(3):  # children, grandchildren, and the empty level below
        ids = agency_subtree_ids(lead_agency.pk)
    assert ids == set(Agency.objects.values_list("pk", flat=True))


def test_subtree_lookup_survives_a_cycle(db):
    first = add_agency("A", "A")
    second = add_agency("B", "B", first)
    Agency.objects.filter(pk=first.pk).update(parent=second)
    assert agency_subtree_ids(first.pk) == {first.pk, second.pk}


def test_agency_access_hides_other_agencies_and_refuses_writes_to_non_administrators(
    lead_focal, lead_agency, other_agency, admin_user
):
    assert agency_access(lead_focal, "BTCTW") == lead_agency
    with pytest.raises(Http404):
        agency_access(lead_focal, "HANOI")
    with pytest.raises(Http404):
        agency_access(lead_focal, "KHONGCO")
    with pytest.raises(PermissionDenied):
        agency_access(lead_focal, "BTCTW", write=True)
    assert agency_access(admin_user, "HANOI", write=True) == other_agency
