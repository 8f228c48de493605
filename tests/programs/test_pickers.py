"""The lead agency of a program item is picked like a task's: typed (code, name or short name,
diacritics ignored) with suggestions of the agencies the field accepts; an ended agency is
neither suggested nor accepted. The coordinating agencies are typed too, one box each, like the
task form's (no comma-separated list of codes)."""

import datetime as dt

import pytest
from django.urls import reverse

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs.models import ProgramItem
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def _item(**fields: object) -> dict[str, object]:
    return {"title": "Đề án phát triển kinh tế tư nhân", "kind": "de_an",
            "planned_month": "5", **fields}  # fmt: skip


@pytest.fixture
def merged(db) -> Agency:
    return Agency.objects.create(
        code="BTGTW", name="Ban Tuyên giáo Trung ương", kind=AgencyKind.CENTRAL_BODY,
        valid_to=TODAY - dt.timedelta(days=30),
    )  # fmt: skip


def test_the_item_forms_render_the_typed_agency_picker(fixed_day, office_user, program):
    page = signed_in(office_user).get(reverse("programs:program_detail", args=[program.pk]))
    html = page.content.decode()
    assert 'hx-get="/agencies/lookup/current/?field=lead_agency"' in html
    assert html.count('list="id_new_lead_agency-options"') == 1
    assert html.count('list="id_add_lead_agency-options"') == 1
    assert "Mã cơ quan chủ trì" not in html
    assert 'hx-get="/agencies/lookup/current/?field=coordinating"' in html
    assert html.count('name="coordinating"') == 6  # three boxes in each of the two forms
    assert "cách nhau bởi dấu phẩy" not in html


@pytest.mark.parametrize("typed", ["BTCTW", "ban to chuc", "Ban Tổ chức Trung ương"])
def test_an_active_agency_typed_by_code_or_name_leads_the_item(
    fixed_day, office_user, program, lead_agency, typed
):
    url = reverse("programs:item_new", args=[program.pk])
    response = signed_in(office_user).post(url, _item(lead_agency=typed))
    assert response.status_code == 302
    assert ProgramItem.objects.get().lead_agency == lead_agency


def test_an_ended_agency_is_not_suggested_and_is_refused_in_vietnamese(
    fixed_day, office_user, program, lead_agency, merged
):
    web = signed_in(office_user)
    suggested = web.get(
        reverse("agencies:lookup_current"), {"field": "lead_agency", "lead_agency": "tuyen giao"}
    ).content.decode()
    assert "BTGTW" not in suggested
    url = reverse("programs:item_new", args=[program.pk])
    refused = web.post(url, _item(lead_agency=merged.code))
    assert refused.status_code == 200
    assert refused.context["item_form"].errors["lead_agency"] == [
        "Không có cơ quan nào khớp “BTGTW”; gõ vài chữ của tên, tên viết tắt hoặc mã cơ quan "
        "rồi chọn trong danh sách gợi ý."
    ]
    assert not ProgramItem.objects.exists()


def test_an_agency_asks_an_addition_led_by_itself_picked_by_default(
    fixed_day, lead_focal, program, lead_agency
):
    web = signed_in(lead_focal)
    page = web.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
    assert 'name="lead_agency" value="BTCTW"' in page
    response = web.post(
        reverse("programs:item_add_request", args=[program.pk]),
        _item(lead_agency="BTCTW", reason="Yêu cầu mới của Bộ Chính trị."),
    )
    assert response.status_code == 302


def test_coordinating_agencies_typed_one_per_box_are_saved_and_an_ended_one_is_refused(
    fixed_day, office_user, program, lead_agency, coord_agency, invited_agency, merged
):
    web = signed_in(office_user)
    url = reverse("programs:item_new", args=[program.pk])
    refused = web.post(url, _item(lead_agency="BTCTW", coordinating=["BTGDVTW", merged.code]))
    assert refused.status_code == 200
    assert refused.context["item_form"].errors["coordinating"] == [
        "Không có cơ quan mã BTGTW trong danh sách được chọn."
    ]
    assert 'value="BTGDVTW"' in refused.content.decode()  # what was typed is kept
    assert not ProgramItem.objects.exists()
    added = web.post(url, _item(lead_agency="BTCTW", coordinating=["BTGDVTW", "", "BNCTW"]))
    assert added.status_code == 302
    item = ProgramItem.objects.get()
    assert set(item.coordinating_agencies.all()) == {coord_agency, invited_agency}
