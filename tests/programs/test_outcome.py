"""An approved proposal becomes, in the decision's transaction, a document registered in
tracking with the tasks it assigns, linked back to the item — or nothing at all."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.programs import services
from dondoc.programs.models import ItemState, ProgramItem
from dondoc.programs.services import Assignment, Outcome
from dondoc.tracking import services as tracking_services
from dondoc.tracking.models import Document, Task
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY

DAY = dt.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def politburo(db) -> Agency:
    return Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)


@pytest.fixture
def submitted(item) -> ProgramItem:
    ProgramItem.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED, submitted_on=TODAY)
    item.refresh_from_db()
    return item


def outcome(politburo, *assignments: Assignment) -> Outcome:
    return Outcome(
        "12-NQ/TW", TODAY, "Nghị quyết về sắp xếp tổ chức bộ máy", politburo, assignments
    )


def test_approving_registers_the_document_and_its_tasks_linked_to_the_item(
    fixed_day, submitted, leader, politburo, lead_agency, coord_agency
):
    due = dt.date(2027, 3, 31)
    services.item_decide(leader, submitted, approve=True, note="Thông qua.", outcome=outcome(
        politburo,
        Assignment("Xây dựng kế hoạch thực hiện", lead_agency, due, "Kế hoạch", (coord_agency,)),
        Assignment("Sơ kết một năm", coord_agency, dt.date(2027, 12, 31)),
    ))  # fmt: skip
    submitted.refresh_from_db()
    document = Document.objects.get(symbol="12-NQ/TW")
    assert submitted.state == ItemState.APPROVED
    assert submitted.resulting_document == document
    assert (document.issuing_body, document.issued_on) == (politburo, TODAY)
    tasks = list(document.tasks.order_by("pk"))
    assert [(t.title, t.lead_agency, t.due_on, t.expected_product) for t in tasks] == [
        ("Xây dựng kế hoạch thực hiện", lead_agency, due, "Kế hoạch"),
        ("Sơ kết một năm", coord_agency, dt.date(2027, 12, 31), ""),
    ]
    assert list(tasks[0].coordinating_agencies.all()) == [coord_agency]
    # Audited: the decision, the document, each task and the link, by the leader.
    actions = list(AuditEntry.objects.filter(actor=leader).values_list("action", flat=True))
    assert actions.count("create") == 3
    assert {"program_item_approved", "program_item_outcome"} <= set(actions)


def test_a_refused_task_leaves_nothing_of_the_approval(
    fixed_day, submitted, leader, politburo, lead_agency
):
    ended = Agency.objects.create(
        code="BKTTW", name="Ban Kinh tế Trung ương", kind=AgencyKind.CENTRAL_BODY,
        valid_to=dt.date(2025, 2, 28),
    )  # fmt: skip
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.item_decide(leader, submitted, approve=True, outcome=outcome(
            politburo,
            Assignment("Xây dựng kế hoạch", lead_agency, dt.date(2027, 3, 31)),
            Assignment("Tổng kết", ended, dt.date(2027, 6, 30)),
        ))  # fmt: skip
    assert "Nhiệm vụ 2:" in str(refused.value.error_dict["assignments"])
    submitted.refresh_from_db()
    assert (submitted.state, submitted.decided_on, submitted.resulting_document) == (
        ItemState.SUBMITTED, None, None,
    )  # fmt: skip
    assert not Document.objects.exists()
    assert not Task.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_failure_while_writing_the_tasks_rolls_the_decision_back(
    fixed_day, submitted, leader, politburo, lead_agency, monkeypatch
):
    def broken(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(tracking_services, "_tasks_insert", broken)
    with pytest.raises(IntegrityError):
        services.item_decide(leader, submitted, approve=True, outcome=outcome(
            politburo, Assignment("Xây dựng kế hoạch", lead_agency, dt.date(2027, 3, 31)),
        ))  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.state == ItemState.SUBMITTED
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="program_item_approved").exists()


def test_a_returned_item_registers_no_document(fixed_day, submitted, leader, politburo):
    with pytest.raises(ValidationError):
        services.item_decide(leader, submitted, approve=False, note="Chưa đạt.",
                             outcome=outcome(politburo))  # fmt: skip
    assert not Document.objects.exists()


def test_the_leader_approves_with_the_document_and_assignments_in_the_page(
    fixed_day, submitted, leader, politburo, lead_agency
):
    web = signed_in(leader)
    page = web.get(reverse("programs:item_detail", args=[submitted.pk]))
    assert 'value="BCT"' in page.content.decode()  # the body's issuer offered
    url = reverse("programs:item_act", args=[submitted.pk, "decide"])
    form = {
        "decide-approve": "1", "decide-symbol": "12-NQ/TW", "decide-issued_on": "2026-11-26",
        "decide-document_title": "Nghị quyết về sắp xếp tổ chức bộ máy",
        "decide-issuing_body": "BCT",
        "decide-assignments": "Xây dựng kế hoạch | BTCTW | 31/03/2027 | Kế hoạch\n"
                              "Tổng kết | KHONGCO | 30/06/2027",
    }  # fmt: skip
    refused = web.post(url, form)
    assert refused.status_code == 200
    assert "Dòng 2: không có cơ quan đang hoạt động với mã KHONGCO." in refused.content.decode()
    assert not Document.objects.exists()

    form["decide-assignments"] = "Xây dựng kế hoạch | BTCTW | 31/03/2027 | Kế hoạch"
    assert web.post(url, form).status_code == 302
    shown = web.get(reverse("programs:item_detail", args=[submitted.pk])).content.decode()
    assert "12-NQ/TW" in shown
    assert "(1 nhiệm vụ được giao)" in shown
    assert Task.objects.get().lead_agency == lead_agency


def test_the_api_approves_with_the_document_or_refuses_all_of_it(
    fixed_day, submitted, leader, politburo, lead_agency, api
):
    client = api(leader)
    body = {
        "approve": True,
        "document": {
            "symbol": "12-NQ/TW", "issued_on": "2026-11-26", "title": "Nghị quyết",
            "issuing_body": "BCT",
            "assignments": [{"title": "Kế hoạch", "lead": "BTCTW", "due_on": "2025-01-01"}],
        },
    }  # fmt: skip
    refused = client.post(f"programs/items/{submitted.pk}/decision", body)
    assert refused.status_code in (400, 422), refused.content  # deadline before the document
    assert not Document.objects.exists()
    body["document"]["assignments"][0]["due_on"] = "2027-03-31"
    answer = client.post(f"programs/items/{submitted.pk}/decision", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["resulting_tasks"] == 1
    assert answer.json()["resulting_document"] == Document.objects.get().pk


def test_the_appraisal_report_is_a_party_format_docx(
    fixed_day, item, lead_focal, office_user, invited_agency, invited_focal, other_focal
):
    import io

    import docx

    from tests.programs.conftest import CONTENT

    services.item_edit_content(lead_focal, item, **CONTENT)
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 7 * DAY)
    services.round_close(lead_focal, item)
    services.item_send_to_appraisal(lead_focal, item)
    appraisal = services.appraisal_record(
        office_user, item, passed=False, content_ok=True, procedure_ok=True, authority_ok=False,
        reasons="Chưa rõ thẩm quyền ban hành.",
    )  # fmt: skip
    url = reverse("programs:appraisal_report", args=[item.pk, appraisal.pk])
    page = signed_in(lead_focal).get(reverse("programs:item_detail", args=[item.pk]))
    assert url in page.content.decode()
    response = signed_in(lead_focal).get(url)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for c in t.rows[0].cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert "Hà Nội, ngày 26 tháng 11 năm 2026" in cells
    assert "Số       -BC/VPTW" in cells
    assert "thẩm định đề án “Đề án sắp xếp tổ chức bộ máy các cơ quan Đảng”" in text
    assert "Về thẩm quyền: chưa đạt." in text
    assert "0/1 cơ quan đã trả lời; chưa trả lời: Ban Nội chính Trung ương." in text
    assert "Đề án chưa đủ điều kiện trình" in text
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert signed_in(other_focal).get(url).status_code == 404


def test_the_appraisal_report_carries_the_handling_table_and_what_changed_since_comments(
    fixed_day, item, lead_focal, office_user, invited_agency, invited_focal
):
    import io

    import docx

    from dondoc.programs.models import HandlingOutcome, Invitation
    from tests.programs.conftest import CONTENT

    services.item_edit_content(lead_focal, item, **CONTENT)
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 7 * DAY)
    services.invitation_answer(invited_focal, item, opinion="Đề nghị rút ngắn lộ trình.")
    services.round_close(lead_focal, item)
    invitation = Invitation.objects.get(round__item=item)
    services.comment_handle(
        lead_focal, item, invitation_id=invitation.pk, outcome=HandlingOutcome.PARTLY,
        explanation="Rút ngắn một quý; giữ khảo sát.",
    )  # fmt: skip
    item.refresh_from_db()
    services.version_submit(
        lead_focal, item, changes_note="Lộ trình rút ngắn theo ý kiến Ban Nội chính.",
        revision=item.content_revision,
        **{**CONTENT, "roadmap": "Quý I: khảo sát, dự thảo; quý II: trình."},
    )  # fmt: skip
    services.item_send_to_appraisal(lead_focal, item)
    appraisal = services.appraisal_record(
        office_user, item, passed=True, content_ok=True, procedure_ok=True, authority_ok=True
    )
    url = reverse("programs:appraisal_report", args=[item.pk, appraisal.pk])
    document = docx.Document(io.BytesIO(signed_in(office_user).get(url).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Bảng tổng hợp tiếp thu, giải trình ý kiến của các cơ quan:" in text
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "TT"]
    assert [c.text for c in table.rows[1].cells] == [
        "1", "Ban Nội chính Trung ương (lần 1)", "Đề nghị rút ngắn lộ trình.",
        "Tiếp thu một phần", "Rút ngắn một quý; giữ khảo sát.",
    ]  # fmt: skip
    assert (
        "Phiên bản 2 (được thẩm định) thay đổi so với phiên bản 1 (được lấy ý kiến) ở các phần: "
        "Lộ trình." in text
    )
    assert "Giải trình (phiên bản 2): Lộ trình rút ngắn theo ý kiến Ban Nội chính." in text
