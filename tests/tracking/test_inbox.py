"""The agency inbox: an agency's own tasks, most urgent first, reported on in two clicks."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.models import Coordination, DeadlineKind, Document, ProgressReport, Task
from dondoc.tracking.status import TaskStatus
from tests.agencies.conftest import signed_in
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
INBOX = reverse("tracking:inbox")


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coord_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTGDVTW", name="Ban Tuyên giáo và Dân vận Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


def make_task(title: str, lead: Agency, due: dt.date | None = None, coordinators=(), **facts):
    if facts.get("deadline_kind") != DeadlineKind.ONGOING:
        facts.setdefault("due_on", due or TODAY + 30 * DAY)
    task = Task.objects.create(title=title, lead_agency=lead, created_on=TODAY - 90 * DAY, **facts)
    Coordination.objects.bulk_create(Coordination(task=task, agency=a) for a in coordinators)
    return task


def titles(response) -> list[str]:
    return [task.title for task in response.context["page"].object_list]


def report_url(task: Task) -> str:
    return reverse("tracking:inbox_report", args=[task.pk])


HTMX = {"HX-Request": "true"}


def test_inbox_puts_open_work_first_overdue_then_due_soon_nearest_deadline_first(
    lead_focal, lead_agency
):
    make_task("Đã xong", lead_agency, due=TODAY - 50 * DAY,
              reported_done_on=TODAY - 51 * DAY, accepted_on=TODAY - 40 * DAY)  # fmt: skip
    make_task("Đã hủy", lead_agency, due=TODAY - 60 * DAY, cancelled_on=TODAY - 30 * DAY)
    make_task("Chờ xác nhận", lead_agency, due=TODAY - 20 * DAY, reported_done_on=TODAY - DAY)
    make_task("Thường xuyên", lead_agency, deadline_kind=DeadlineKind.ONGOING)
    make_task("Còn xa", lead_agency, due=TODAY + 40 * DAY)
    make_task("Sắp đến hạn, sau", lead_agency, due=TODAY + 6 * DAY)
    make_task("Sắp đến hạn, trước", lead_agency, due=TODAY + DAY)
    make_task("Quá hạn ít", lead_agency, due=TODAY - DAY)
    make_task("Quá hạn lâu", lead_agency, due=TODAY - 30 * DAY)
    make_task("Gia hạn nên chưa quá hạn", lead_agency, due=TODAY - 40 * DAY,
              extended_due_on=TODAY + 20 * DAY)  # fmt: skip
    response = signed_in(lead_focal).get(INBOX)
    assert titles(response) == [
        "Quá hạn lâu", "Quá hạn ít", "Sắp đến hạn, trước", "Sắp đến hạn, sau",
        "Gia hạn nên chưa quá hạn", "Còn xa", "Thường xuyên", "Chờ xác nhận", "Đã xong", "Đã hủy",
    ]  # fmt: skip
    assert "Chưa hoàn thành, quá hạn" in response.text


def test_inbox_has_a_tab_for_lead_and_a_tab_for_coordinating(
    lead_focal, lead_agency, coord_agency, other_agency
):
    make_task("Chủ trì", lead_agency, coordinators=[coord_agency])
    make_task("Phối hợp", coord_agency, coordinators=[lead_agency])
    make_task("Của Hà Nội", other_agency)
    client = signed_in(lead_focal)
    lead = client.get(INBOX)
    assert titles(lead) == ["Chủ trì"]
    assert lead.context["counts"] == {"lead": 1, "coordinating": 1}
    assert "Chủ trì (1)" in lead.text
    coordinating = client.get(INBOX, {"tab": "coordinating"})
    assert titles(coordinating) == ["Phối hợp"]
    assert "Ban Tuyên giáo và Dân vận Trung ương" in coordinating.text  # who leads it
    assert "Của Hà Nội" not in lead.text + coordinating.text


def test_htmx_tab_switch_gets_only_the_results(lead_focal, lead_agency, coord_agency):
    make_task("Phối hợp", coord_agency, coordinators=[lead_agency])
    response = signed_in(lead_focal).get(INBOX, {"tab": "coordinating"}, headers=HTMX)
    assert "<html" not in response.text
    assert "Phối hợp" in response.text


@pytest.mark.parametrize("actor", ["office_user", "inspector", "leader"])
def test_inbox_is_for_agency_staff_only(request, actor):
    assert signed_in(request.getfixturevalue(actor)).get(INBOX).status_code == 403


def test_head_of_agency_has_the_inbox_too(lead_agency):
    head = make_user("truong.btctw", lead_agency, RoleCode.HEAD)
    make_task("Chủ trì", lead_agency)
    assert titles(signed_in(head).get(INBOX)) == ["Chủ trì"]


def test_report_in_two_clicks_opens_a_form_in_the_row_and_answers_the_updated_row(
    lead_focal, lead_agency
):
    task = make_task("Xây dựng kế hoạch", lead_agency, due=TODAY - DAY, progress=20)
    client = signed_in(lead_focal)
    inbox = client.get(INBOX).text
    assert f'hx-get="{report_url(task)}"' in inbox  # click 1: the row's button
    opened = client.get(report_url(task), headers=HTMX)
    assert opened.text.lstrip().startswith(f"{'<tbody'}")
    assert f'id="inbox-task-{task.pk}"' in opened.text
    assert 'name="percent" value="20"' in opened.text  # starts from the current progress
    assert 'name="is_final"' in opened.text  # the lead may report completion
    submitted = client.post(  # click 2: send
        report_url(task), {"percent": 60, "narrative": "Đã xong dự thảo"}, headers=HTMX
    )
    assert submitted.status_code == 200
    assert "Đã ghi nhận báo cáo tiến độ." in submitted.text
    assert "60%" in submitted.text
    assert "<form" not in submitted.text
    task.refresh_from_db()
    assert (task.progress, task.last_report_on) == (60, TODAY)


def test_inline_report_errors_show_in_the_row_with_the_input_kept(lead_focal, lead_agency):
    task = make_task("Xây dựng kế hoạch", lead_agency, expected_product="")
    response = signed_in(lead_focal).post(
        report_url(task),
        {"percent": 100, "narrative": "Đã ban hành", "is_final": "on", "product": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Báo cáo hoàn thành phải nêu hoặc đính kèm sản phẩm đầu ra." in response.text
    assert "Đã ban hành" in response.text
    assert not ProgressReport.objects.exists()


def test_inline_final_report_makes_the_task_await_acceptance(lead_focal, lead_agency):
    task = make_task("Xây dựng kế hoạch", lead_agency, due=TODAY + 3 * DAY)
    response = signed_in(lead_focal).post(
        report_url(task),
        {"percent": 90, "narrative": "Đã ban hành", "is_final": "on", "product": "Kế hoạch 12"},
        headers=HTMX,
    )
    assert "Chờ xác nhận" in response.text
    task.refresh_from_db()
    assert (task.progress, task.reported_done_on) == (100, TODAY)


def test_coordinating_agency_contributes_but_is_not_offered_the_final_report(
    lead_focal, lead_agency, coord_agency
):
    task = make_task("Phối hợp", coord_agency, coordinators=[lead_agency], progress=30)
    client = signed_in(lead_focal)
    opened = client.get(report_url(task), headers=HTMX)
    assert 'name="is_final"' not in opened.text
    refused = client.post(
        report_url(task),
        {"percent": 100, "narrative": "Xong", "is_final": "on", "product": "Báo cáo"},
        headers=HTMX,
    )
    assert refused.status_code == 403
    client.post(report_url(task), {"percent": 50, "narrative": "Đã góp ý"}, headers=HTMX)
    task.refresh_from_db()
    assert task.progress == 30  # a contribution does not move the lead's progress
    assert ProgressReport.objects.get().agency == lead_agency


def test_closing_the_inline_form_gives_back_the_plain_row(lead_focal, lead_agency):
    task = make_task("Xây dựng kế hoạch", lead_agency)
    response = signed_in(lead_focal).get(report_url(task), {"close": "1"}, headers=HTMX)
    assert "<form" not in response.text
    assert "Xây dựng kế hoạch" in response.text


def test_without_javascript_the_report_goes_back_to_the_inbox(lead_focal, lead_agency):
    task = make_task("Xây dựng kế hoạch", lead_agency)
    response = signed_in(lead_focal).post(
        report_url(task), {"percent": 40, "narrative": "Tiến triển"}, follow=True
    )
    assert response.redirect_chain[-1][0] == INBOX
    assert "Đã ghi nhận báo cáo tiến độ." in response.text


def test_another_agencys_task_cannot_be_reached_from_the_inbox(
    other_focal, lead_agency, other_agency
):
    task = make_task("Của Ban Tổ chức", lead_agency)
    client = signed_in(other_focal)
    assert client.get(report_url(task), headers=HTMX).status_code == 404
    posted = client.post(report_url(task), {"percent": 90, "narrative": "x"}, headers=HTMX)
    assert posted.status_code == 404
    assert client.get(reverse("tracking:task_detail", args=[task.pk])).status_code == 404
    assert not ProgressReport.objects.exists()


def test_finished_tasks_offer_no_report_button(lead_focal, lead_agency):
    task = make_task("Đã hủy", lead_agency, cancelled_on=TODAY - DAY)
    response = signed_in(lead_focal).get(INBOX)
    assert report_url(task) not in response.text
    assert 'class="btn small"' not in response.text


# Every page's frame (session, user, roles, the header's agency, the unread notifications),
# the two tab counts (which also give the page count) and the rows. 7 today, one spare.
INBOX_QUERIES = 8


def test_inbox_query_count_does_not_grow_with_rows(
    lead_focal, lead_agency, coord_agency, django_assert_max_num_queries
):
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            make_task(f"Nhiệm vụ {n}", lead_agency, due=TODAY + (n - 10) * DAY,
                      coordinators=[coord_agency])  # fmt: skip

    add(0, 3)
    client = signed_in(lead_focal)
    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)
    few = len(queries.captured_queries)
    assert few <= INBOX_QUERIES
    add(3, 57)
    with django_assert_max_num_queries(few):
        response = client.get(INBOX)
    shown = list(response.context["page"].object_list)
    assert len(shown) == 50
    assert response.context["page"].paginator.num_pages == 2
    second = {"after": response.context["page"].next_cursor}
    with django_assert_max_num_queries(few):
        assert len(client.get(INBOX, second).context["page"].object_list) == 10
    assert shown[0].status == TaskStatus.OVERDUE


def test_inbox_rows_name_the_document_only_within_the_users_clearance(
    lead_focal, lead_agency, office_agency
):
    def document(symbol: str, classification: int) -> Document:
        number, doc_type = symbol.split("-")[0], symbol.split("-")[1][:2]
        return Document.objects.create(
            symbol=symbol, number=int(number), doc_type=doc_type, issuer_code="TW", issuing_body=office_agency,
            issued_on=dt.date(2025, 1, 1), title=symbol, classification=classification,
        )  # fmt: skip

    make_task("Theo nghị quyết", lead_agency, document=document("57-NQ/TW", 0), is_key=True)
    make_task("Theo chỉ thị mật", lead_agency, document=document("12-CT/TW", Clearance.SECRET))
    page = signed_in(lead_focal).get(INBOX).text
    assert titles_in_rows(page) == ["Theo nghị quyết", "Theo chỉ thị mật"]
    assert "57-NQ/TW" in page
    assert "12-CT/TW" not in page
    assert page.count('<span class="badge">Trọng tâm</span>') == 1
    assert page.count(">Báo cáo</a>") == 2


def titles_in_rows(page: str) -> list[str]:
    return re.findall(
        r'<tbody id="inbox-task-\d+" class="inbox-task">\s*<tr>\s*<td><a href="[^"]+">([^<]+)</a>',
        page,
    )


def test_inbox_rows_show_each_kind_of_deadline_and_take_no_title_as_html(lead_focal, lead_agency):
    """The rows are drawn in Python (`tracking/templatetags/tracking.py`, `inbox_rows`)."""
    make_task("Gia hạn <i>rồi</i>", lead_agency, due=TODAY + DAY, extended_due_on=TODAY + 20 * DAY)
    make_task(
        "Trong tháng", lead_agency, due=dt.date(2026, 12, 31), deadline_kind=DeadlineKind.MONTH
    )
    make_task("Thường xuyên", lead_agency, deadline_kind=DeadlineKind.ONGOING)
    page = signed_in(lead_focal).get(INBOX).text
    assert "Gia hạn &lt;i&gt;rồi&lt;/i&gt;</a>" in page
    assert 'aria-label="Báo cáo tiến độ: Gia hạn &lt;i&gt;rồi&lt;/i&gt;"' in page
    assert "<i>rồi</i>" not in page
    assert '16/12/2026<div class="muted small">gia hạn; ban đầu 27/11/2026</div>' in page
    assert '31/12/2026<div class="muted small">Trong tháng</div>' in page
    assert "<td>Thường xuyên</td>" in page


def test_inbox_rows_speak_the_users_language(lead_focal, lead_agency):
    make_task("Một việc", lead_agency, due=TODAY - DAY, is_key=True)
    client = signed_in(lead_focal)
    assert ">Báo cáo</a>" in client.get(INBOX).text  # the words are made once per language…
    english = client.get(INBOX, headers={"Accept-Language": "en"}).text
    assert ">Báo cáo</a>" not in english  # …and not served to another one
    assert ">Report</a>" in english
