"""Typed pickers on the task form: coordinating agencies and the parent task are typed with
suggestions (htmx into a datalist), not Ctrl-clicked in a long list or given by raw number."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.models import Task
from tests.agencies.conftest import signed_in
from tests.tracking.test_pages import TODAY, make_task, task_form_data


@pytest.fixture
def coord_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTGDVTW", name="Ban Tuyên giáo", kind=AgencyKind.CENTRAL_BODY
    )


def test_coordinators_are_typed_by_code_one_per_box(
    office_user,
    lead_agency,
    coord_agency,
    other_agency,
):
    client = signed_in(office_user)
    page = client.get(reverse("tracking:task_create"))
    assert 'hx-get="/agencies/lookup/current/?field=coordinating_agencies"' in page.text
    assert page.text.count('name="coordinating_agencies"') == 3  # empty boxes, no script
    assert "Giữ phím Ctrl" not in page.text
    response = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, coordinating_agencies=[coord_agency.code, "", other_agency.code],
    ))  # fmt: skip
    assert response.status_code == 302
    task = Task.objects.get()
    assert set(task.coordinations.values_list("agency__code", flat=True)) == {
        coord_agency.code, other_agency.code,
    }  # fmt: skip
    edit = client.get(reverse("tracking:task_edit", args=[task.pk])).text
    assert f'value="{coord_agency.code}"' in edit
    assert edit.count('name="coordinating_agencies"') == 5  # the two chosen and three spare


def test_an_unknown_coordinator_code_is_said_on_the_field(office_user, lead_agency):
    response = signed_in(office_user).post(
        reverse("tracking:task_create"),
        task_form_data(lead_agency, coordinating_agencies=["KHONGCO"]),
    )
    assert response.context["form"].errors["coordinating_agencies"] == [
        "Không có cơ quan mã KHONGCO trong danh sách được chọn."
    ]
    assert not Task.objects.exists()


def test_the_parent_task_is_suggested_by_its_words_or_number(office_user, lead_agency):
    parent = make_task("Chuyển đổi số quốc gia", lead_agency, due=TODAY)
    make_task("Xây dựng nông thôn mới", lead_agency, due=TODAY)
    secret = make_task("Chuyển đổi số ngành mật", lead_agency, due=TODAY,
                       classification=Clearance.TOP_SECRET)  # fmt: skip
    client = signed_in(office_user)
    form = client.get(reverse("tracking:task_create")).text
    assert 'hx-get="/tasks/lookup/?field=parent"' in form
    lookup = reverse("tracking:task_lookup")
    by_words = client.get(lookup, {"field": "parent", "parent": "chuyen doi"}).text
    assert f'<option value="#{parent.pk} · Chuyển đổi số quốc gia — BTCTW">' in by_words
    assert "nông thôn" not in by_words
    assert str(secret.pk) not in by_words  # above the specialist's clearance
    by_number = client.get(lookup, {"field": "parent", "parent": str(parent.pk)}).text
    assert "Chuyển đổi số quốc gia" in by_number


def test_the_parent_is_saved_from_the_label_it_suggested_and_shown_by_it(office_user, lead_agency):
    parent = make_task("Chuyển đổi số quốc gia", lead_agency, due=TODAY)
    client = signed_in(office_user)
    label = f"#{parent.pk} · Chuyển đổi số quốc gia — BTCTW"
    response = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, title="Số hóa hồ sơ", parent=label,
    ))  # fmt: skip
    assert response.status_code == 302
    child = Task.objects.get(title="Số hóa hồ sơ")
    assert child.parent == parent
    edit = client.get(reverse("tracking:task_edit", args=[child.pk])).text
    assert f'value="{label}"' in edit  # the label, not a bare number


def test_words_that_name_one_task_pick_it_and_several_are_refused(office_user, lead_agency):
    make_task("Chuyển đổi số quốc gia", lead_agency, due=TODAY)
    make_task("Chuyển đổi số ngành y tế", lead_agency, due=TODAY)
    nong_thon = make_task("Xây dựng nông thôn mới", lead_agency, due=TODAY)
    client = signed_in(office_user)
    ok = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, title="Việc con", parent="nong thon",
    ))  # fmt: skip
    assert ok.status_code == 302
    assert Task.objects.get(title="Việc con").parent == nong_thon
    refused = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, title="Việc con khác", parent="chuyển đổi số",
    ))  # fmt: skip
    assert refused.status_code == 200
    errors = refused.context["form"].errors.as_data()["parent"]
    assert [e.code for e in errors] == ["ambiguous_task"]
    assert "Có nhiều nhiệm vụ khớp “chuyển đổi số”" in refused.text
    unknown = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, title="Việc con khác", parent="không có việc này",
    ))  # fmt: skip
    assert [e.code for e in unknown.context["form"].errors.as_data()["parent"]] == ["unknown_task"]
    assert not Task.objects.filter(title="Việc con khác").exists()


def test_a_task_never_becomes_its_own_parent(office_user, lead_agency):
    task = make_task("Chuyển đổi số quốc gia", lead_agency, due=TODAY)
    client = signed_in(office_user)
    data = {**task_form_data(lead_agency, title=task.title, parent=f"#{task.pk}"),
            "version": task.version}  # fmt: skip
    response = client.post(reverse("tracking:task_edit", args=[task.pk]), data)
    assert response.context["form"].errors["parent"] == ["Nhiệm vụ không thể thuộc chính nó."]


def test_a_prerequisite_is_typed_like_the_parent(office_user, lead_agency):
    task = make_task("Ban hành quy chế", lead_agency, due=TODAY)
    first = make_task("Xây dựng dự thảo quy chế", lead_agency, due=TODAY)
    make_task("Xây dựng dự thảo đề án", lead_agency, due=TODAY)
    client = signed_in(office_user)
    page = client.get(reverse("tracking:task_detail", args=[task.pk])).text
    assert 'hx-get="/tasks/lookup/?field=waits_for"' in page
    url = reverse("tracking:dependency_add", args=[task.pk])
    refused = client.post(url, {"waits_for": "du thao"})
    errors = refused.context["forms"]["dependency"].errors.as_data()["waits_for"]
    assert [e.code for e in errors] == ["ambiguous_task"]
    assert not task.depends_on.exists()
    ok = client.post(url, {"waits_for": f"#{first.pk} · Xây dựng dự thảo quy chế — BTCTW"})
    assert ok.status_code == 302
    assert list(task.depends_on.all()) == [first]


def test_the_lead_agency_is_typed_with_suggestions_not_a_long_list(office_user, lead_agency):
    client = signed_in(office_user)
    page = client.get(reverse("tracking:task_create")).text
    assert 'hx-get="/agencies/lookup/current/?field=lead_agency"' in page
    assert '<select name="lead_agency"' not in page
    options = client.get(
        "/agencies/lookup/current/", {"field": "lead_agency", "lead_agency": "to chuc"}
    )
    assert 'value="BTCTW"' in options.text


@pytest.mark.parametrize("typed", ["BTCTW", "ban to chuc", "Ban Tổ chức Trung ương"])
def test_the_lead_agency_typed_by_code_or_name_without_diacritics_is_saved(
    office_user, lead_agency, other_agency, typed
):
    client = signed_in(office_user)
    response = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, lead_agency=typed,
    ))  # fmt: skip
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.lead_agency == lead_agency
    edit = client.get(reverse("tracking:task_edit", args=[task.pk])).text
    assert 'name="lead_agency" value="BTCTW"' in edit


def test_the_lead_agency_by_its_short_name(office_user, lead_agency, other_agency):
    client = signed_in(office_user)
    response = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, lead_agency="ha noi",
    ))  # fmt: skip
    assert response.status_code == 302
    assert Task.objects.get().lead_agency == other_agency


def test_an_unknown_or_ambiguous_lead_agency_is_refused_on_the_field(
    office_user, lead_agency, coord_agency
):
    client = signed_in(office_user)
    url = reverse("tracking:task_create")
    unknown = client.post(url, task_form_data(lead_agency, lead_agency="bo ngoai giao"))
    assert unknown.status_code == 200
    assert "Không có cơ quan nào khớp “bo ngoai giao”" in unknown.text
    ambiguous = client.post(url, task_form_data(lead_agency, lead_agency="ban"))
    assert "Có nhiều cơ quan khớp “ban”" in ambiguous.text
    assert not Task.objects.exists()


def test_a_form_picker_suggests_only_what_its_field_accepts(office_user, lead_agency):
    """An ended (merged, dissolved) agency is neither suggested by a form's picker nor
    accepted by its field; the filters' lookup still finds it (old tasks are searched by it)."""
    ended = Agency.objects.create(
        code="BTGTW", name="Ban Tuyên giáo Trung ương", kind=AgencyKind.CENTRAL_BODY,
        valid_to=TODAY - dt.timedelta(days=1),
    )  # fmt: skip
    client = signed_in(office_user)
    picked = {"field": "lead_agency", "lead_agency": "ban"}
    suggested = re.findall(
        r'value="([^"]+)"', client.get(reverse("agencies:lookup_current"), picked).text
    )
    assert suggested == [lead_agency.code]  # what is offered is accepted:
    ok = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, lead_agency=suggested[0],
    ))  # fmt: skip
    assert ok.status_code == 302
    refused = client.post(reverse("tracking:task_create"), task_form_data(
        lead_agency, title="Việc của cơ quan đã hợp nhất", lead_agency=ended.code,
    ))  # fmt: skip
    assert "Không có cơ quan nào khớp “BTGTW”" in refused.text
    assert not Task.objects.filter(lead_agency=ended).exists()
    in_filters = client.get(reverse("agencies:lookup"), {"field": "lead", "lead": "tuyen giao"})
    assert 'value="BTGTW"' in in_filters.text
