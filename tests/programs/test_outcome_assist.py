"""An approved proposal's resulting document hands its tasks to tracking through the assisted
entry: its text is read by tracking's extractor, the office reviews the proposed tasks and
confirms them through tracking's one write path (`tasks_create_many`); the item lists them."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.programs import selectors, services
from dondoc.programs.models import ItemState, ProgramItem
from dondoc.programs.services import Outcome
from dondoc.tracking import services as tracking
from dondoc.tracking.extraction import AgencyMatcher, extract_tasks
from dondoc.tracking.models import Document, Task, TaskSource
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY
from tests.tracking.test_page_assist import as_submitted

pytestmark = pytest.mark.django_db

CONCLUSION = """KẾT LUẬN CỦA BỘ CHÍNH TRỊ
Bộ Chính trị thông qua Đề án sắp xếp tổ chức bộ máy các cơ quan Đảng và kết luận như sau:
1. Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Ban Tuyên giáo và Dân vận Trung ương \
xây dựng kế hoạch thực hiện Đề án, hoàn thành trước ngày 31/01/2027.
2. Giao Ban Nội chính Trung ương sơ kết một năm thực hiện, báo cáo Bộ Chính trị trước ngày \
15/12/2027.
"""


@pytest.fixture
def approved(fixed_day, item, leader, invited_agency) -> ProgramItem:
    """The item approved with its conclusion's text and no task typed by hand."""
    ProgramItem.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED, submitted_on=TODAY)
    item.refresh_from_db()
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    outcome = Outcome(
        "350-KL/TW", TODAY, "Kết luận về Đề án sắp xếp tổ chức bộ máy", politburo,
        full_text=CONCLUSION,
    )  # fmt: skip
    services.item_decide(leader, item, approve=True, outcome=outcome)
    item.refresh_from_db()
    return item


def test_the_documents_text_is_read_and_confirmed_through_trackings_service(
    approved, office_user, lead_agency, coord_agency, invited_agency
):
    document = approved.resulting_document
    assert document is not None
    assert document.full_text == CONCLUSION.strip()
    assert Task.objects.count() == 0  # nothing assigned until the office confirms

    proposals = extract_tasks(document.full_text, document.issued_on, AgencyMatcher.from_database())
    assert [(p.lead.code if p.lead else None) for p in proposals] == ["BTCTW", "BNCTW"]
    codes = {a.code: a.pk for a in Agency.objects.all()}
    rows = [
        tracking.NewTask(
            title=p.title, lead_agency_id=codes[p.lead.code], document_id=document.pk,
            coordinating_agency_ids=tuple(codes[c.code] for c in p.coordinating),
            due_on=p.deadline.due_on if p.deadline else None, row=n,
        )
        for n, p in enumerate(proposals, start=1)
        if p.lead is not None
    ]  # fmt: skip
    tracking.tasks_create_many(office_user, rows, source=TaskSource.ASSIST)

    listed = selectors.item_tasks(office_user, approved)
    assert [t.lead_agency.code for t in listed] == ["BTCTW", "BNCTW"]
    assert [t.due_on for t in listed] == [dt.date(2027, 1, 31), dt.date(2027, 12, 15)]
    first = Task.objects.get(lead_agency=lead_agency)
    assert list(first.coordinating_agencies.values_list("code", flat=True)) == ["BTGDVTW"]
    assert AuditEntry.objects.filter(action="create", object_type__contains="task").count() == 2


def test_the_office_confirms_the_proposed_tasks_from_the_item_page(
    approved, office_user, lead_agency, invited_agency
):
    client = signed_in(office_user)
    item_url = reverse("programs:item_detail", args=[approved.pk])
    page = client.get(item_url).content.decode()
    assert 'id="assist-tasks"' in page
    assert 'id="assist-already"' not in page  # no task assigned yet
    assert f'action="{reverse("tracking:assist")}"' in page
    assert f'name="document" value="{approved.resulting_document_id}"' in page
    assert "Giao Ban Nội chính Trung ương sơ kết một năm" in page  # the text, ready to read

    review = client.post(
        reverse("tracking:assist"),
        {"document": approved.resulting_document_id, "text": CONCLUSION},
    )
    assert review.templates[0].name == "tracking/assist_review.html"
    assert len(list(review.context["rows"])) == 2
    assert Task.objects.count() == 0

    done = client.post(reverse("tracking:assist_confirm"), as_submitted(review))
    assert done.status_code == 302
    assert Task.objects.filter(document=approved.resulting_document).count() == 2
    page = client.get(item_url).content.decode()
    assert 'id="item-tasks"' in page
    assert "Văn bản đã có 2 nhiệm vụ được giao" in page  # a second reading is warned
    for task in Task.objects.all():
        assert f'href="{reverse("tracking:task_detail", args=[task.pk])}"' in page


def test_only_the_office_is_offered_the_assisted_entry(approved, lead_focal, leader):
    for user in (lead_focal, leader):
        page = signed_in(user).get(reverse("programs:item_detail", args=[approved.pk]))
        assert 'id="assist-tasks"' not in page.content.decode()
    refused = signed_in(lead_focal).post(
        reverse("tracking:assist"),
        {"document": approved.resulting_document_id, "text": CONCLUSION},
    )
    assert refused.status_code == 403
    assert Task.objects.count() == 0


def test_the_decision_form_keeps_the_text_with_the_document(fixed_day, item, leader, lead_agency):
    ProgramItem.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED, submitted_on=TODAY)
    Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    response = signed_in(leader).post(reverse("programs:item_act", args=[item.pk, "decide"]), {
        "decide-approve": "1", "decide-symbol": "351-KL/TW", "decide-issued_on": "2026-11-26",
        "decide-document_title": "Kết luận về Đề án", "decide-issuing_body": "BCT",
        "decide-full_text": CONCLUSION,
    })  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get(symbol="351-KL/TW")
    assert "Giao Ban Tổ chức Trung ương chủ trì" in document.full_text
    item.refresh_from_db()
    assert item.resulting_document == document


def test_a_resulting_document_classified_above_the_readers_clearance_is_not_shown(
    approved, office_user, api
):
    """Tracking may raise the resulting document's classification after the decision: an office
    specialist cleared below it still sees the item, but neither the document's symbol nor its
    text (the assisted-entry form is not drawn), on the page, in the API or in the export."""
    Document.objects.filter(pk=approved.resulting_document_id).update(
        classification=Clearance.TOP_SECRET
    )
    assert office_user.clearance < Clearance.TOP_SECRET
    client = signed_in(office_user)
    page = client.get(reverse("programs:item_detail", args=[approved.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "350-KL/TW" not in html
    assert "Ban Nội chính Trung ương sơ kết" not in html
    assert 'id="assist-tasks"' not in html
    detail = api(office_user).get(f"/api/v1/programs/items/{approved.pk}")
    assert detail.status_code == 200
    assert detail.json()["resulting_document"] is None
    export = client.get(reverse("programs:items_export", args=[approved.program_id]))
    assert export.status_code == 200
    assert b"350-KL/TW" not in _cells(export.content)


def test_the_cleared_reader_still_sees_the_resulting_document(approved, leader):
    """The same page read by a leader cleared for the document names it."""
    Document.objects.filter(pk=approved.resulting_document_id).update(
        classification=Clearance.TOP_SECRET
    )
    html = signed_in(leader).get(reverse("programs:item_detail", args=[approved.pk])).content
    assert "350-KL/TW" in html.decode()


def _cells(data: bytes) -> bytes:
    """Every cell value of the exported workbook, joined."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
