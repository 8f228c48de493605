"""Agency pages: who may open which, the list's search, order and cost, create and edit."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.agencies.services import AgencyFields, agency_update
from dondoc.audit.models import AuditEntry
from tests.agencies.conftest import add_agency
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)


def detail(code: str) -> str:
    return reverse("agencies:detail", args=[code])


def listed(response) -> list[str]:
    return [agency.code for agency in response.context["page"].object_list]


# Who sees what -----------------------------------------------------------------------------


def test_focal_point_opens_own_agency_but_not_another(web, lead_focal, lead_agency, other_agency):
    client = web(lead_focal)
    response = client.get(detail("BTCTW"))
    assert response.status_code == 200
    assert "Ban Tổ chức Trung ương" in response.text
    assert client.get(detail("HANOI")).status_code == 404
    assert client.get(detail("KHONGCO")).status_code == 404


def test_focal_point_lists_only_own_agency_and_its_units(
    web, lead_focal, lead_agency, lead_units, other_agency, office_agency
):
    response = web(lead_focal).get(reverse("agencies:list"))
    assert set(listed(response)) == {"BTCTW", "BTCTW-V1", "BTCTW-V1-P1"}
    assert "Thành ủy Hà Nội" not in response.text


@pytest.mark.parametrize("actor", ["office_user", "inspector"])
def test_office_and_inspectors_open_every_agency(
    web, request, actor, lead_agency, other_agency, office_agency
):
    client = web(request.getfixturevalue(actor))
    for code in ("BTCTW", "HANOI", "VPTW"):
        assert client.get(detail(code)).status_code == 200
    assert set(listed(client.get(reverse("agencies:list")))) == {"BTCTW", "HANOI", "VPTW"}


def test_user_with_neither_agency_nor_cross_agency_role_is_refused(web, db, lead_agency):
    client = web(make_user("khach", None, "focal"))
    assert client.get(reverse("agencies:list")).status_code == 403
    assert client.get(detail("BTCTW")).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, lead_agency):
    response = client.get(detail("BTCTW"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("actor", ["lead_focal", "office_user", "inspector", "leader"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("agencies:create"),
        reverse("agencies:edit", args=["BTCTW"]),
        reverse("agencies:reorganize"),
    ],
)
def test_only_administrators_create_edit_or_reorganize(web, request, actor, url, lead_agency):
    client = web(request.getfixturevalue(actor))
    before = list(Agency.objects.values())
    assert client.get(url).status_code == 403
    assert client.post(url, {"code": "X", "name": "X", "kind": "other"}).status_code == 403
    assert list(Agency.objects.values()) == before


# The detail page ---------------------------------------------------------------------------


def test_detail_shows_parent_children_members_and_validity(
    web, office_user, lead_agency, lead_units, lead_focal
):
    department, _office = lead_units
    Agency.objects.filter(pk=department.pk).update(valid_from=dt.date(2025, 3, 1))
    response = web(office_user).get(detail("BTCTW-V1"))
    page = response.context["page"]
    assert page.agency == department
    assert [child.code for child in page.children] == ["BTCTW-V1-P1"]
    assert "Ban Tổ chức Trung ương" in response.text  # its parent
    assert "Phòng Tổng hợp" in response.text  # its child
    assert "01/03/2025" in response.text
    members = web(office_user).get(detail("BTCTW")).context["page"].members
    assert members == [lead_focal]


def test_detail_links_only_to_agencies_the_reader_may_open(web, lead_focal, lead_units):
    response = web(lead_focal).get(detail("BTCTW-V1"))
    assert f'href="{detail("BTCTW")}"' in response.text
    response = web(make_user("daumoi.vu", lead_units[0], "focal")).get(detail("BTCTW-V1"))
    assert "Ban Tổ chức Trung ương" in response.text  # the parent is named...
    assert f'href="{detail("BTCTW")}"' not in response.text  # ...but not linked


# The list ----------------------------------------------------------------------------------


def test_search_ignores_diacritics_and_case(web, office_user, lead_agency, other_agency):
    client = web(office_user)
    assert listed(client.get(reverse("agencies:list"), {"q": "to chuc"})) == ["BTCTW"]
    assert listed(client.get(reverse("agencies:list"), {"q": "TỔ CHỨC"})) == ["BTCTW"]
    assert listed(client.get(reverse("agencies:list"), {"q": "ha noi"})) == ["HANOI"]
    assert listed(client.get(reverse("agencies:list"), {"q": "ban trung uong"})) == ["BTCTW"]
    assert listed(client.get(reverse("agencies:list"), {"q": "hanoi"})) == ["HANOI"]  # the code
    assert listed(client.get(reverse("agencies:list"), {"q": "hai phong"})) == []


def test_list_is_in_vietnamese_alphabetical_order(web, office_user, db):
    add_agency("TUTH", "Thành ủy Thành phố Hồ Chí Minh")
    add_agency("DUCP", "Đảng ủy Chính phủ")
    add_agency("BTC", "Ban Tổ chức Trung ương")
    add_agency("UBKT", "Ủy ban Kiểm tra Trung ương")
    add_agency("DUQH", "Đảng ủy Quốc hội")
    add_agency("BCT", "Bộ Chính trị")
    response = web(office_user).get(reverse("agencies:list"))
    assert listed(response) == ["BTC", "BCT", "DUCP", "DUQH", "TUTH", "UBKT", "VPTW"]


def test_list_filters_by_kind_and_by_parent(
    web, office_user, lead_agency, lead_units, other_agency
):
    client = web(office_user)
    kind = client.get(reverse("agencies:list"), {"kind": AgencyKind.PROVINCE})
    assert listed(kind) == ["HANOI"]
    children = client.get(reverse("agencies:list"), {"parent": "BTCTW", "status": "all"})
    assert listed(children) == ["BTCTW-V1"]
    assert "Đơn vị trực thuộc Ban Tổ chức Trung ương" in children.text


@time_machine.travel(dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC), tick=False)
def test_list_shows_active_agencies_unless_asked_for_ended_or_upcoming(web, office_user, db):
    add_agency("CU", "Tỉnh ủy Cũ", valid_to=TODAY - dt.timedelta(days=1))
    add_agency("NAY", "Tỉnh ủy Nay", valid_to=TODAY)  # its last day
    add_agency("MOI", "Tỉnh ủy Mới", valid_from=TODAY + dt.timedelta(days=1))
    client = web(office_user)
    url = reverse("agencies:list")
    assert set(listed(client.get(url))) == {"NAY", "VPTW"}
    assert listed(client.get(url, {"status": "ended"})) == ["CU"]
    assert listed(client.get(url, {"status": "upcoming"})) == ["MOI"]
    assert set(listed(client.get(url, {"status": "all"}))) == {"CU", "NAY", "MOI", "VPTW"}
    assert "Đã kết thúc" in client.get(url, {"status": "ended"}).text


def test_list_ignores_a_filter_value_it_does_not_know(web, office_user, lead_agency):
    response = web(office_user).get(reverse("agencies:list"), {"kind": "bogus", "q": "to chuc"})
    assert response.status_code == 200
    assert listed(response) == ["BTCTW"]


def test_list_pages_through_many_agencies(web, office_user, db):
    for n in range(60):
        add_agency(f"A{n:02d}", f"Cơ quan {n:02d}")
    client = web(office_user)
    first = client.get(reverse("agencies:list"), {"q": "co quan"})
    assert len(listed(first)) == 50
    second = client.get(reverse("agencies:list"), {"q": "co quan", "page": 2})
    assert listed(second) == ["A50", "A51", "A52", "A53", "A54", "A55", "A56", "A57", "A58", "A59"]
    assert "q=co+quan" in first.text  # the next page keeps the search


def test_htmx_request_gets_only_the_results(web, office_user, lead_agency):
    response = web(office_user).get(
        reverse("agencies:list"), {"q": "to chuc"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "Ban Tổ chức Trung ương" in response.text


def build_tree(roots: int) -> None:
    """`roots` agencies, each with three units, each unit with two offices."""
    for r in range(roots):
        root = add_agency(f"R{r}", f"Cơ quan {r}")
        for u in range(3):
            unit = add_agency(f"R{r}U{u}", f"Vụ {r}.{u}", root)
            for o in range(2):
                add_agency(f"R{r}U{u}O{o}", f"Phòng {r}.{u}.{o}", unit)


# Session, user, roles, the page's count and rows, the user's agency in the header; the
# administrator's second-factor device; for a focal point, one query per level of the tree.
@pytest.mark.parametrize(("actor", "queries"), [("office_user", 6), ("admin_user", 7)])
def test_list_page_query_count_does_not_grow_with_rows(
    web, request, db, actor, queries, django_assert_max_num_queries
):
    build_tree(5)
    client = web(request.getfixturevalue(actor))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse("agencies:list"), {"status": "all"})
    agencies = listed_objects(response)
    assert len(agencies) == 50
    with django_assert_max_num_queries(0):
        parents = {agency.parent.code for agency in agencies if agency.parent}
        counts = {agency.code: agency.children_count for agency in agencies}
    assert "R0" in parents
    assert counts["R0"] == 3


def test_focal_list_page_query_count_grows_only_with_depth(web, db, django_assert_max_num_queries):
    build_tree(5)
    focal = make_user("daumoi.r0", Agency.objects.get(code="R0"), "focal")
    client = web(focal)
    with django_assert_max_num_queries(6 + 3):  # the agency's units, their offices, none below
        response = client.get(reverse("agencies:list"))
    assert len(listed(response)) == 10


def listed_objects(response) -> list[Agency]:
    return list(response.context["page"].object_list)


# Create and edit ---------------------------------------------------------------------------


def test_administrator_creates_an_agency_under_a_parent(web, admin_user, lead_agency):
    response = web(admin_user).post(
        reverse("agencies:create"),
        {
            "code": "btctw-v2",
            "name": "Vụ Cơ sở đảng",
            "short_name": "",
            "kind": AgencyKind.OTHER,
            "parent": lead_agency.pk,
            "valid_from": "2025-03-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    assert response.url == detail("BTCTW-V2")
    agency = Agency.objects.get(code="BTCTW-V2")
    assert agency.parent == lead_agency
    assert agency.valid_from == dt.date(2025, 3, 1)
    entry = AuditEntry.objects.get(action="agency.create")
    assert entry.actor == admin_user
    assert entry.changes["name"] == [None, "Vụ Cơ sở đảng"]


def test_create_refuses_a_taken_code_in_vietnamese(web, admin_user, lead_agency):
    response = web(admin_user).post(
        reverse("agencies:create"), {"code": "BTCTW", "name": "Trùng", "kind": AgencyKind.OTHER}
    )
    assert response.status_code == 200
    assert "Mã BTCTW đã được dùng cho cơ quan khác." in response.text
    assert Agency.objects.count() == 2  # the lead agency and the administrator's office


def test_create_refuses_a_code_with_diacritics_or_spaces(web, admin_user, db):
    response = web(admin_user).post(
        reverse("agencies:create"), {"code": "HÀ NỘI", "name": "Hà Nội", "kind": AgencyKind.OTHER}
    )
    assert "Mã chỉ gồm chữ in hoa không dấu" in response.text
    assert not Agency.objects.filter(name="Hà Nội").exists()


def test_administrator_edits_an_agency_and_the_change_is_audited(
    web, admin_user, lead_agency, other_agency
):
    client = web(admin_user)
    form = client.get(reverse("agencies:edit", args=["HANOI"]))
    assert 'value="Thành ủy Hà Nội"' in form.text
    response = client.post(
        reverse("agencies:edit", args=["HANOI"]),
        {"code": "HANOI", "name": "Thành ủy Hà Nội", "short_name": "TU Hà Nội", "kind": "province"},
    )
    assert response.status_code == 302
    other_agency.refresh_from_db()
    assert other_agency.short_name == "TU Hà Nội"
    entry = AuditEntry.objects.get(action="agency.update")
    assert entry.changes == {"short_name": ["Hà Nội", "TU Hà Nội"]}


def test_edit_refuses_to_put_an_agency_under_its_own_unit(web, admin_user, lead_units):
    _department, office = lead_units
    response = web(admin_user).post(
        reverse("agencies:edit", args=["BTCTW"]),
        {
            "code": "BTCTW",
            "name": "Ban Tổ chức Trung ương",
            "kind": "central_body",
            "parent": office.pk,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors  # its own units are not offered
    assert Agency.objects.get(code="BTCTW").parent is None


def test_service_refuses_a_cycle_in_the_hierarchy(admin_user, lead_agency, lead_units):
    _department, office = lead_units
    fields = AgencyFields(
        code="BTCTW", name="Ban Tổ chức Trung ương", kind="central_body", parent=office
    )
    with pytest.raises(ValidationError) as refused:
        agency_update(admin_user, lead_agency, fields)
    assert refused.value.messages == [
        "Cơ quan cấp trên không thể là chính cơ quan này hoặc một đơn vị trực thuộc nó."
    ]
    assert Agency.objects.get(code="BTCTW").parent is None


def test_edit_of_an_unknown_agency_is_not_found(web, admin_user):
    assert web(admin_user).get(reverse("agencies:edit", args=["KHONGCO"])).status_code == 404
