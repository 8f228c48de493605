"""Assisted entry over HTTP: paste a notice, review the proposed tasks, assign them all or none."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.forms import CheckboxInput
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.agencies.models import Agency, AgencyAlias, AgencyKind
from dondoc.agencies.services import agency_alias_teach
from dondoc.audit.models import AuditEntry
from dondoc.tracking.models import Coordination, DeadlineKind, Document, Task
from tests.agencies.conftest import signed_in

NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ASSIST = reverse("tracking:assist")
CONFIRM = reverse("tracking:assist_confirm")

NOTICE = """THÔNG BÁO KẾT LUẬN CỦA BỘ CHÍNH TRỊ
Ngày 18/11/2026, Bộ Chính trị họp, nghe báo cáo về việc thực hiện Quy định số 105-QĐ/TW. \
Bộ Chính trị kết luận như sau:
1. Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Văn phòng Trung ương Đảng nghiên cứu, \
tham mưu sửa đổi Quy định số 105-QĐ/TW, báo cáo Bộ Chính trị trước ngày 15/12/2026.
2. Thành ủy Hà Nội tổng kết việc thí điểm mô hình chính quyền đô thị; hoàn thành trong quý \
I/2027.
"""
TO_PROVINCES = (
    "Giao các tỉnh ủy, thành ủy trực thuộc Trung ương rà soát, sắp xếp tổ chức bộ máy, báo cáo "
    "kết quả về Ban Tổ chức Trung ương trước ngày 31/3/2027."
)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def agencies(office_agency, lead_agency, other_agency) -> dict[str, Agency]:
    """VPTW, BTCTW and HANOI (tests/conftest.py), another province and one merged away."""
    ho_chi_minh = Agency.objects.create(
        code="HCM", name="Thành ủy Thành phố Hồ Chí Minh", short_name="TP.HCM",
        kind=AgencyKind.PROVINCE,
    )  # fmt: skip
    merged = Agency.objects.create(
        code="BINHDUONG", name="Tỉnh ủy Bình Dương", kind=AgencyKind.PROVINCE,
        valid_to=dt.date(2025, 6, 30),
    )  # fmt: skip
    return {
        "VPTW": office_agency, "BTCTW": lead_agency, "HANOI": other_agency,
        "HCM": ho_chi_minh, "BINHDUONG": merged,
    }  # fmt: skip


@pytest.fixture
def document(agencies) -> Document:
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    return Document.objects.create(
        symbol="45-TB/TW", number=45, doc_type="TB", issuer_code="TW", issuing_body=politburo,
        issued_on=dt.date(2026, 11, 20), title="Kết luận về việc thực hiện Quy định số 105-QĐ/TW",
    )  # fmt: skip


@pytest.fixture
def office(office_user) -> Client:
    client = Client()
    client.force_login(office_user)
    return client


def read(client: Client, text: str, document: Document | None = None, **fields: Any):
    data = {"text": text, "document": document.pk if document else "", **fields}
    return client.post(ASSIST, data)


def as_submitted(response, **changes: Any) -> dict[str, Any]:
    """What the browser sends back from the review page, with `changes` ({"0-title": ...} for
    row 0's title; None leaves a checkbox unticked or a field empty)."""
    data: dict[str, Any] = {}
    for field in response.context["form"]:
        data[field.html_name] = field.value() or ""
    rows = response.context["rows"]
    data.update({f"{rows.prefix}-{k}": v for k, v in rows.management_form.initial.items()})
    for row in rows:
        for field in row:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = value.isoformat() if isinstance(value, dt.date) else value
    for key, value in changes.items():
        name = f"{rows.prefix}-{key}"
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return {key: value for key, value in data.items() if value is not None}


def rows(response) -> list[Any]:
    return list(response.context["rows"])


# Step 2: proposals, nothing saved ----------------------------------------------------------


def test_pasted_notice_gives_one_row_per_assignment_and_saves_nothing(office, agencies, document):
    audited = AuditEntry.objects.count()
    response = read(office, NOTICE, document)
    assert response.status_code == 200
    assert response.templates[0].name == "tracking/assist_review.html"
    first, second = rows(response)
    assert first.initial["lead_agency"] == agencies["BTCTW"].pk
    assert first.initial["coordinating_agencies"] == [agencies["VPTW"].pk]
    assert first.initial["deadline_kind"] == DeadlineKind.DATE
    assert first.initial["due_on"] == dt.date(2026, 12, 15)
    assert first.initial["title"].startswith("Nghiên cứu, tham mưu sửa đổi Quy định số 105-QĐ/TW")
    assert second.initial["lead_agency"] == agencies["HANOI"].pk
    assert second.initial["coordinating_agencies"] == []
    assert (second.initial["deadline_kind"], second.initial["due_on"]) == (
        DeadlineKind.QUARTER,
        dt.date(2027, 3, 31),
    )
    html = response.text
    assert "<mark>Ban Tổ chức Trung ương</mark>" in html  # the words that named the lead
    assert f'<option value="{agencies["BTCTW"].pk}" selected>' in html
    assert "lead-warning" not in html
    assert "Xác nhận và giao nhiệm vụ" in html
    assert Task.objects.count() == 0
    assert AuditEntry.objects.count() == audited


def test_review_page_query_count_does_not_grow_with_the_rows(office, agencies, document):
    counts = []
    for text in (NOTICE, "\n".join([NOTICE, NOTICE, NOTICE, TO_PROVINCES])):
        with CaptureQueriesContext(connection) as queries:
            response = read(office, text, document)
        counts.append((len(rows(response)), len(queries)))
    (few, few_queries), (many, many_queries) = counts
    assert (few, many) == (2, 7)
    assert few_queries == many_queries <= 10


def test_reference_date_is_the_documents_date(office, agencies, document):
    text = "Giao Ban Tổ chức Trung ương xây dựng đề án, hoàn thành trong 30 ngày kể từ ngày ký."
    (row,) = rows(read(office, text, document, issued_on="2026-01-01"))
    assert row.initial["due_on"] == dt.date(2026, 12, 20)


def test_unknown_and_group_leads_are_left_to_choose_with_a_warning(office, agencies, document):
    text = (
        "Giao Bộ Y tế chủ trì xây dựng đề án, hoàn thành trong tháng 6/2027.\n"
        "Giao các bộ, ngành rà soát văn bản, hoàn thành trong quý I/2027.\n" + TO_PROVINCES
    )
    response = read(office, text, document)
    unknown, ministries, provinces = rows(response)
    assert unknown.initial["lead_agency"] is None
    assert "Không tìm thấy “Bộ Y tế”" in unknown.warning
    assert ministries.initial["lead_agency"] is None
    assert "hãy chọn cơ quan chủ trì" in ministries.warning
    assert "expand_group" not in ministries.fields  # no kind of agency matches "các bộ, ngành"
    assert provinces.initial["lead_agency"] is None
    assert [a.code for a in provinces.group_members] == ["HANOI", "HCM"]
    assert "cả 2 cơ quan" in provinces.warning
    assert response.text.count('data-testid="lead-warning"') == 3
    assert "Tạo một nhiệm vụ cho từng cơ quan trong nhóm" in response.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n  ", "Vui lòng dán nội dung văn bản."),
        ("Hôm nay Bộ Chính trị họp bàn về tình hình kinh tế - xã hội.", "Không tìm thấy nhiệm vụ"),
        ("Ban Tæ chøc Trung \u00ad¬ng chñ tr× nghiªn cøu ®Ò ¸n, hoµn thµnh", "lỗi phông chữ"),  # noqa: RUF001
        ("Ban Toå chöùc Trung öông chuû trì nghieân cöùu ñeà aùn", "lỗi phông chữ"),
        ("\x00\x01\x02 binary", "Null"),
    ],
    ids=["empty", "no-assignment", "tcvn3", "vni", "null-bytes"],
)
def test_unreadable_or_empty_text_gets_a_clear_message(office, agencies, document, text, message):
    response = read(office, text, document)
    assert response.status_code == 200
    assert response.templates[0].name == "tracking/assist.html"
    assert message in response.text or message in str(response.context["form"].errors)
    assert Task.objects.count() == 0


def test_utf8_read_as_windows_1252_is_still_read(office, agencies, document):
    text = NOTICE.encode("utf-8").decode("cp1252", errors="replace")
    assert len(rows(read(office, text, document))) == 2


def test_without_a_document_a_date_is_needed(office, agencies):
    response = read(office, NOTICE)
    assert "Chọn văn bản, hoặc nhập ngày ban hành" in response.text
    assert len(rows(read(office, NOTICE, issued_on="2026-11-20"))) == 2


def test_back_keeps_the_pasted_text(office, agencies, document):
    data = as_submitted(read(office, NOTICE, document))
    response = office.post(ASSIST, {**data, "back": "1"})
    assert response.templates[0].name == "tracking/assist.html"
    assert "Thành ủy Hà Nội tổng kết" in response.context["form"]["text"].value()
    assert Task.objects.count() == 0


# Step 3: confirm -----------------------------------------------------------------------------


def test_confirm_assigns_every_row_with_lead_coordinators_deadline_and_audit(
    office, office_user, agencies, document
):
    review = read(office, NOTICE, document)
    response = office.post(CONFIRM, as_submitted(review, **{"1-expected_product": "Báo cáo"}))
    assert response.status_code == 302
    assert response.url == reverse("tracking:document_detail", args=[document.pk])
    page = office.get(response.url)
    assert "Đã giao 2 nhiệm vụ" in page.text
    revise, review_pilot = Task.objects.order_by("pk")
    assert revise.lead_agency == agencies["BTCTW"]
    assert list(revise.coordinations.values_list("agency__code", flat=True)) == ["VPTW"]
    assert (revise.deadline_kind, revise.due_on) == (DeadlineKind.DATE, dt.date(2026, 12, 15))
    assert revise.document == document
    assert "Giao Ban Tổ chức Trung ương chủ trì" in revise.description  # the source sentence
    assert review_pilot.lead_agency == agencies["HANOI"]
    assert not review_pilot.coordinations.exists()
    assert (review_pilot.deadline_kind, review_pilot.due_on) == (
        DeadlineKind.QUARTER,
        dt.date(2027, 3, 31),
    )
    assert review_pilot.expected_product == "Báo cáo"
    entries = AuditEntry.objects.filter(action="create", object_type="tracking.task")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        [str(revise.pk), str(review_pilot.pk)]
    )
    assert {entry.actor_id for entry in entries} == {office_user.pk}


def test_corrections_are_what_is_assigned(office, agencies, document):
    review = read(office, NOTICE, document)
    data = as_submitted(
        review,
        **{
            "0-title": "Sửa đổi Quy định 105",
            "0-lead_agency": str(agencies["VPTW"].pk),
            "0-coordinating_agencies": [str(agencies["BTCTW"].pk), str(agencies["HCM"].pk)],
            "0-deadline_kind": DeadlineKind.MONTH,
            "0-due_on": "2027-01-10",
            "0-is_key": "on",
            "1-include": None,
        },
    )
    assert office.post(CONFIRM, data).status_code == 302
    (task,) = Task.objects.all()
    assert (task.title, task.lead_agency.code, task.is_key) == (
        "Sửa đổi Quy định 105",
        "VPTW",
        True,
    )
    assert sorted(task.coordinations.values_list("agency__code", flat=True)) == ["BTCTW", "HCM"]
    assert (task.deadline_kind, task.due_on) == (DeadlineKind.MONTH, dt.date(2027, 1, 31))


def test_a_row_without_lead_is_refused_and_nothing_is_saved(office, agencies, document):
    audited = AuditEntry.objects.count()
    data = as_submitted(read(office, NOTICE, document), **{"1-lead_agency": ""})
    response = office.post(CONFIRM, data)
    assert response.status_code == 200
    first, second = rows(response)
    assert not first.errors
    assert second.errors["lead_agency"] == ["Chọn cơ quan chủ trì."]
    assert "Chưa giao nhiệm vụ nào" in response.text
    assert "Chọn cơ quan chủ trì." in response.text
    assert Task.objects.count() == 0
    assert Coordination.objects.count() == 0
    assert AuditEntry.objects.count() == audited


def test_a_row_without_deadline_date_is_refused(office, agencies, document):
    data = as_submitted(read(office, NOTICE, document), **{"0-due_on": ""})
    response = office.post(CONFIRM, data)
    assert rows(response)[0].errors["due_on"] == ["Nhiệm vụ có thời hạn phải ghi rõ thời hạn."]
    assert Task.objects.count() == 0


def test_rows_the_task_rules_refuse_are_marked_and_no_row_is_assigned(office, agencies, document):
    lead_twice = [str(agencies["VPTW"].pk), str(agencies["BTCTW"].pk)]
    data = as_submitted(
        read(office, NOTICE, document),
        **{"0-coordinating_agencies": lead_twice, "1-deadline_kind": "date",
           "1-due_on": "2026-11-19"},
    )  # fmt: skip
    response = office.post(CONFIRM, data)
    assert response.status_code == 200
    first, second = rows(response)
    assert first.errors["coordinating_agencies"] == [
        "Cơ quan “Ban Tổ chức Trung ương” đã là cơ quan chủ trì, không ghi lại là cơ quan phối hợp."
    ]
    assert second.errors["due_on"] == [
        "Thời hạn 19/11/2026 trước ngày ban hành văn bản 45-TB/TW (20/11/2026)."
    ]
    assert Task.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="tracking.task").exists()


def test_an_unticked_row_is_neither_checked_nor_assigned(office, agencies, document):
    data = as_submitted(
        read(office, NOTICE, document), **{"0-include": None, "0-title": "", "0-due_on": "x"}
    )
    assert office.post(CONFIRM, data).status_code == 302
    assert list(Task.objects.values_list("lead_agency__code", flat=True)) == ["HANOI"]


def test_nothing_ticked_is_an_error(office, agencies, document):
    data = as_submitted(read(office, NOTICE, document), **{"0-include": None, "1-include": None})
    response = office.post(CONFIRM, data)
    assert response.status_code == 200
    assert "Chưa chọn nhiệm vụ nào để giao" in response.text
    assert Task.objects.count() == 0


def test_group_lead_expands_to_one_task_per_active_province(office, agencies, document):
    review = read(office, TO_PROVINCES, document)
    refused = office.post(CONFIRM, as_submitted(review))
    assert rows(refused)[0].errors["lead_agency"] == ["Chọn cơ quan chủ trì."]
    assert Task.objects.count() == 0
    response = office.post(CONFIRM, as_submitted(review, **{"0-expand_group": "on"}))
    assert response.status_code == 302
    assert "Đã giao 2 nhiệm vụ" in office.get(response.url).text
    tasks = Task.objects.order_by("lead_agency__code")
    assert [t.lead_agency.code for t in tasks] == ["HANOI", "HCM"]  # not the merged province
    assert {(t.deadline_kind, t.due_on, t.document_id) for t in tasks} == {
        (DeadlineKind.DATE, dt.date(2027, 3, 31), document.pk)
    }
    assert AuditEntry.objects.filter(action="create", object_type="tracking.task").count() == 2


def test_group_expansion_and_a_chosen_lead_together_are_refused(office, agencies, document):
    data = as_submitted(
        read(office, TO_PROVINCES, document),
        **{"0-expand_group": "on", "0-lead_agency": str(agencies["HANOI"].pk)},
    )
    response = office.post(CONFIRM, data)
    assert "không cả hai" in response.text
    assert Task.objects.count() == 0


def test_without_a_document_the_tasks_go_to_the_task_list(office, agencies):
    review = read(office, NOTICE, issued_on="2026-11-20")
    response = office.post(CONFIRM, as_submitted(review))
    assert response.url == reverse("tracking:task_list")
    assert Task.objects.filter(document__isnull=True).count() == 2


# Who may use it ------------------------------------------------------------------------------


def test_office_opens_it_from_a_document_with_the_document_chosen(office, agencies, document):
    page = office.get(reverse("tracking:document_detail", args=[document.pk]))
    assert f"{ASSIST}?document={document.pk}" in page.text
    assert "Nhập từ văn bản" in office.get(reverse("tracking:task_list")).text
    response = office.get(ASSIST, {"document": document.pk})
    assert response.status_code == 200
    assert response.context["form"]["document"].value() == document.pk


def test_a_document_above_the_clearance_is_not_found(office, agencies, document):
    document.classification = Clearance.TOP_SECRET
    document.save()
    assert office.get(ASSIST, {"document": document.pk}).status_code == 404
    assert office.get(ASSIST, {"document": "abc"}).status_code == 404


@pytest.mark.parametrize("actor", ["leader", "inspector", "lead_focal", "other_focal"])
def test_only_the_office_may_use_it(request, actor, office, agencies, document):
    review = read(office, NOTICE, document)
    client = signed_in(request.getfixturevalue(actor))  # past the second factor where needed
    assert client.get(ASSIST).status_code == 403
    assert client.post(ASSIST, {"text": NOTICE, "document": document.pk}).status_code == 403
    assert client.post(CONFIRM, as_submitted(review)).status_code == 403
    assert Task.objects.count() == 0


def test_a_focal_point_sees_no_link_and_cannot_reach_it(lead_focal, agencies, document):
    client = Client()
    client.force_login(lead_focal)
    assert "Nhập từ văn bản" not in client.get(reverse("tracking:task_list")).text
    assert client.get(ASSIST, {"document": document.pk}).status_code == 403
    assert client.post(ASSIST, {"text": NOTICE, "document": document.pk}).status_code == 403
    assert Task.objects.count() == 0


# The confirm page: where each proposal came from, split, merge, unknown agencies ------------

REWORK = reverse("tracking:assist_rework")
SEVERAL_LEADS = (
    "Giao Ban Tổ chức Trung ương; Thành ủy Hà Nội; Bộ Y tế rà soát quy định về tuyển dụng, "
    "báo cáo trước ngày 15/12/2026."
)
UNKNOWN = "Giao Sở KH-ĐT chủ trì rà soát danh mục dự án, báo cáo trước ngày 15/12/2026."


def test_each_proposal_is_marked_in_the_pasted_text_with_its_confidence(office, agencies, document):
    response = read(office, NOTICE, document)
    html = response.text
    source = response.context["source"]
    marked = [(words, number) for words, number in source if number]
    assert [number for _, number in marked] == [1, 2]
    assert marked[0][0].startswith("Giao Ban Tổ chức Trung ương chủ trì")
    assert marked[1][0].startswith("Thành ủy Hà Nội tổng kết")
    assert "".join(words for words, _ in source) == NOTICE.strip()  # nothing lost or added
    assert 'id="span-1"' in html
    assert 'href="#span-2"' in html
    assert 'data-testid="confidence">Độ tin cậy: 90%' in html


def test_unresolved_and_several_lead_proposals_come_first(office, agencies, document):
    text = NOTICE + "\n3. " + UNKNOWN
    titles = [row.initial["lead_text"] for row in rows(read(office, text, document))]
    assert titles == ["Sở KH-ĐT", "Ban Tổ chức Trung ương", "Thành ủy Hà Nội"]


def test_a_proposal_with_several_leads_splits_into_one_task_per_lead(office, agencies, document):
    review = read(office, SEVERAL_LEADS, document)
    (row,) = rows(review)
    assert row.lead_names == ["Ban Tổ chức Trung ương", "Thành ủy Hà Nội", "Bộ Y tế"]
    assert "Tách thành 3 nhiệm vụ, mỗi cơ quan một nhiệm vụ" in review.text
    split = office.post(REWORK, {**as_submitted(review), "rework": "split:0"})
    assert split.status_code == 200
    btc, hanoi, health = rows(split)
    assert [r.initial["lead_agency"] for r in (btc, hanoi, health)] == [
        agencies["BTCTW"].pk,
        agencies["HANOI"].pk,
        None,
    ]
    assert health.initial["lead_text"] == "Bộ Y tế"
    assert health.unresolved_words == "Bộ Y tế"
    assert {r.initial["due_on"] for r in (btc, hanoi, health)} == {"2026-12-15"}
    assert btc.initial["coordinating_agencies"] == []  # the other leads are no coordinators
    assert "multi-lead" not in split.text
    assert Task.objects.count() == 0


def test_two_proposals_merge_into_one(office, agencies, document):
    review = read(office, NOTICE, document)
    merged = office.post(REWORK, {**as_submitted(review), "rework": "merge:1"})
    (row,) = rows(merged)
    assert row.initial["lead_agency"] == agencies["BTCTW"].pk
    assert row.initial["title"].count(";") >= 1
    assert "Thành ủy Hà Nội tổng kết" in row.initial["sentence"]
    assert row.initial["due_on"] == "2026-12-15"  # the first's deadline
    response = office.post(CONFIRM, as_submitted(merged))
    assert response.status_code == 302
    assert Task.objects.count() == 1


def test_rework_needs_a_known_action(office, agencies, document):
    review = read(office, NOTICE, document)
    assert office.post(REWORK, {**as_submitted(review), "rework": "drop:0"}).status_code == 400


def test_an_unknown_name_mapped_to_an_agency_is_taught_and_resolves_next_time(
    office, office_user, agencies, document
):
    planning = Agency.objects.create(
        code="SKHDT", name="Sở Kế hoạch và Đầu tư", kind=AgencyKind.OTHER
    )
    review = read(office, UNKNOWN, document)
    (row,) = rows(review)
    assert row.initial["lead_agency"] is None
    assert "Ghi nhớ “Sở KH-ĐT” là tên gọi khác" in review.text
    data = as_submitted(review, **{"0-lead_agency": str(planning.pk)})
    response = office.post(CONFIRM, data)
    assert response.status_code == 302
    assert Task.objects.get().lead_agency == planning
    alias = AgencyAlias.objects.get()
    assert (alias.agency, alias.text, alias.created_by) == (planning, "Sở KH-ĐT", office_user)
    assert AuditEntry.objects.filter(action="agency.alias").count() == 1
    assert "Đã ghi nhớ “Sở KH-ĐT”" in office.get(response.url).text
    (again,) = rows(read(office, UNKNOWN, document))
    assert again.initial["lead_agency"] == planning.pk
    assert "teach_alias" not in again.fields


def test_an_unknown_name_is_not_taught_when_the_box_is_cleared(office, agencies, document):
    planning = Agency.objects.create(
        code="SKHDT", name="Sở Kế hoạch và Đầu tư", kind=AgencyKind.OTHER
    )
    review = read(office, UNKNOWN, document)
    data = as_submitted(review, **{"0-lead_agency": str(planning.pk), "0-teach_alias": None})
    assert office.post(CONFIRM, data).status_code == 302
    assert not AgencyAlias.objects.exists()


def test_a_name_taught_to_another_agency_is_said_and_the_task_stays(
    office, office_user, agencies, document
):
    planning = Agency.objects.create(
        code="SKHDT", name="Sở Kế hoạch và Đầu tư", kind=AgencyKind.OTHER
    )
    review = read(office, UNKNOWN, document)
    agency_alias_teach(office_user, agencies["HANOI"], "Sở KH-ĐT")  # meanwhile, elsewhere
    data = as_submitted(review, **{"0-lead_agency": str(planning.pk)})
    response = office.post(CONFIRM, data, follow=True)
    assert Task.objects.get().lead_agency == planning
    assert "đã là tên gọi khác của Thành ủy Hà Nội" in response.text


def test_the_expected_product_read_from_the_text_fills_the_row_and_is_assigned(
    office, agencies, document
):
    text = (
        "Giao Ban Tổ chức Trung ương chủ trì xây dựng Đề án sắp xếp đơn vị sự nghiệp, "
        "trình Bộ Chính trị trước ngày 15/12/2026."
    )
    review = read(office, text, document)
    [row] = rows(review)
    assert row.initial["expected_product"] == "Đề án"
    assert 'value="Đề án"' in review.text
    assert office.post(CONFIRM, as_submitted(review)).status_code == 302
    assert Task.objects.get().expected_product == "Đề án"
