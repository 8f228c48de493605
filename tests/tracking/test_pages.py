"""Tracking pages: the task list, a task's page, editing and creating, documents, sessions."""

import datetime as dt
import html
import re
import sys
import types
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import dondoc.tracking as tracking_package
from dondoc.accounts.models import Clearance, RoleCode
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.tracking import services
from dondoc.tracking.models import (
    Coordination,
    DeadlineKind,
    DirectiveOpinion,
    Document,
    Extension,
    Priority,
    Task,
    Topic,
    WorkingSession,
)
from dondoc.tracking.status import TaskStatus
from tests.agencies.conftest import signed_in
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def issuer(db) -> Agency:
    return Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)


@pytest.fixture
def coord_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTGDVTW", name="Ban Tuyên giáo và Dân vận Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


def make_document(issuer: Agency, symbol: str = "57-NQ/TW", **fields) -> Document:
    number, rest = symbol.split("-", 1)
    fields.setdefault("title", "Về đột phá phát triển khoa học, công nghệ")
    fields.setdefault("issued_on", dt.date(2024, 12, 22))
    return Document.objects.create(
        symbol=symbol, number=int(number), doc_type=rest.split("/")[0], issuer_code="TW",
        issuing_body=issuer, **fields,
    )  # fmt: skip


def make_task(title: str, lead: Agency, *, due: dt.date | None = None, coordinators=(), **facts):
    facts.setdefault("created_on", TODAY - 60 * DAY)
    if facts.get("deadline_kind") != DeadlineKind.ONGOING:
        facts.setdefault("due_on", due or TODAY + 30 * DAY)
    task = Task.objects.create(title=title, lead_agency=lead, **facts)
    Coordination.objects.bulk_create(Coordination(task=task, agency=a) for a in coordinators)
    return task


def titles(response) -> list[str]:
    return [task.title for task in response.context["page"].object_list]


LIST = reverse("tracking:task_list")


def link(response, rel: str) -> str:
    """The query of the page's "next" or "prev" link."""
    found = re.search(rf'<a href="([^"]*)" rel="{rel}"', response.text)
    assert found, f"no {rel} link"
    return html.unescape(found[1])


def detail(task: Task) -> str:
    return reverse("tracking:task_detail", args=[task.pk])


# The list ----------------------------------------------------------------------------------


def test_focal_point_lists_only_tasks_their_agency_leads_or_coordinates(
    lead_focal, lead_agency, other_agency, coord_agency
):
    make_task("Chủ trì", lead_agency)
    make_task("Phối hợp", coord_agency, coordinators=[lead_agency])
    make_task("Của Hà Nội", other_agency)
    response = signed_in(lead_focal).get(LIST)
    assert sorted(titles(response)) == ["Chủ trì", "Phối hợp"]
    assert "Của Hà Nội" not in response.text
    assert response.context["counts"]["total"] == 2


def test_list_row_shows_document_lead_coordinators_deadlines_status_and_progress(
    office_user, lead_agency, other_agency, coord_agency, issuer
):
    document = make_document(issuer)
    make_task(
        "Xây dựng kế hoạch", lead_agency, document=document, due=TODAY - 5 * DAY,
        extended_due_on=TODAY + 3 * DAY, coordinators=[other_agency, coord_agency], progress=40,
    )  # fmt: skip
    response = signed_in(office_user).get(LIST)
    row = response.context["page"].object_list[0]
    assert row.coordinator_count == 2
    assert row.status == TaskStatus.DUE_SOON
    text = response.text
    assert "57-NQ/TW" in text
    assert "Ban Tổ chức Trung ương" in text or "BTCTW" in text
    assert "29/11/2026" in text  # the extended deadline...
    assert "ban đầu 21/11/2026" in text  # ...and the original one
    assert "Sắp đến hạn" in text  # status in words, not only a colour
    assert "40%" in text


def test_search_ignores_diacritics_and_case(office_user, lead_agency):
    make_task("Tổ chức hội nghị quán triệt Nghị quyết", lead_agency)
    make_task("Xây dựng đề án chuyển đổi số", lead_agency)
    client = signed_in(office_user)
    assert titles(client.get(LIST, {"q": "to chuc hoi nghi"})) == [
        "Tổ chức hội nghị quán triệt Nghị quyết"
    ]
    assert titles(client.get(LIST, {"q": "CHUYỂN ĐỔI"})) == ["Xây dựng đề án chuyển đổi số"]
    assert titles(client.get(LIST, {"q": "chuyen doi so"})) == ["Xây dựng đề án chuyển đổi số"]
    assert titles(client.get(LIST, {"q": "kinh te"})) == []


def test_filters_by_status_agencies_document_flags_priority_topic_and_deadline(
    office_user, lead_agency, other_agency, coord_agency, issuer
):
    strategic = make_document(issuer, is_strategic=True)
    other_doc = make_document(issuer, "45-CT/TW", title="Chỉ thị khác")
    topic = Topic.objects.create(name="Chuyển đổi số")
    overdue = make_task("Quá hạn", lead_agency, due=TODAY - DAY, document=strategic, is_key=True)
    overdue.topics.add(topic)
    make_task(
        "Sắp đến hạn", other_agency, due=TODAY + 2 * DAY, coordinators=[coord_agency],
        document=other_doc, priority=Priority.URGENT,
    )  # fmt: skip
    make_task("Còn xa", lead_agency, due=TODAY + 60 * DAY, coordinators=[coord_agency])
    client = signed_in(office_user)
    assert titles(client.get(LIST, {"status": "overdue"})) == ["Quá hạn"]
    both = client.get(LIST, {"status": ["overdue", "due_soon"]})
    assert titles(both) == ["Quá hạn", "Sắp đến hạn"]
    assert titles(client.get(LIST, {"lead": "HANOI"})) == ["Sắp đến hạn"]
    assert titles(client.get(LIST, {"coordinator": "BTGDVTW"})) == ["Sắp đến hạn", "Còn xa"]
    assert titles(client.get(LIST, {"document": other_doc.pk})) == ["Sắp đến hạn"]
    assert titles(client.get(LIST, {"strategic": "1"})) == ["Quá hạn"]
    assert titles(client.get(LIST, {"key": "1"})) == ["Quá hạn"]
    assert titles(client.get(LIST, {"key": "0"})) == ["Sắp đến hạn", "Còn xa"]
    assert titles(client.get(LIST, {"priority": Priority.URGENT})) == ["Sắp đến hạn"]
    assert titles(client.get(LIST, {"topic": topic.pk})) == ["Quá hạn"]
    window = {"due_after": "2026-11-26", "due_before": "2026-12-31"}
    assert titles(client.get(LIST, window)) == ["Sắp đến hạn"]


def test_status_counts_cover_the_filtered_tasks_whatever_the_status_filter(
    office_user, lead_agency, other_agency
):
    make_task("Quá hạn", lead_agency, due=TODAY - DAY)
    make_task("Sắp đến hạn", lead_agency, due=TODAY + DAY)
    make_task("Của Hà Nội", other_agency, due=TODAY - DAY)
    response = signed_in(office_user).get(LIST, {"lead": "BTCTW", "status": "overdue"})
    assert titles(response) == ["Quá hạn"]
    counts = response.context["counts"]
    assert (counts["total"], counts["overdue"], counts["due_soon"]) == (2, 1, 1)
    due_soon_card = next(c for c in response.context["status_cards"] if c["status"] == "due_soon")
    assert "lead=BTCTW" in due_soon_card["url"]
    assert "status=due_soon" in due_soon_card["url"]
    assert "status=overdue" not in due_soon_card["url"]


def test_list_ignores_filter_values_it_does_not_know(office_user, lead_agency):
    make_task("Một nhiệm vụ", lead_agency)
    response = signed_in(office_user).get(
        LIST, {"status": "bogus", "priority": "x", "due_after": "not-a-date", "sort": "evil"}
    )
    assert response.status_code == 200
    assert titles(response) == ["Một nhiệm vụ"]


def test_columns_sort_by_title_progress_and_deadline(office_user, lead_agency):
    make_task("Bắc", lead_agency, due=TODAY + 3 * DAY, progress=50)
    make_task("Ánh", lead_agency, due=TODAY + 9 * DAY, progress=10)
    make_task("Cần", lead_agency, due=TODAY + DAY, progress=90)
    client = signed_in(office_user)
    assert titles(client.get(LIST)) == ["Cần", "Bắc", "Ánh"]
    assert titles(client.get(LIST, {"sort": "-due_on"})) == ["Ánh", "Bắc", "Cần"]
    assert titles(client.get(LIST, {"sort": "title"})) == ["Ánh", "Bắc", "Cần"]
    assert titles(client.get(LIST, {"sort": "-progress"})) == ["Cần", "Bắc", "Ánh"]
    header = client.get(LIST, {"sort": "progress"}).text
    assert 'aria-sort="ascending"' in header
    assert "sort=-progress" in header  # clicking again reverses


def test_tasks_without_a_deadline_come_last_in_the_default_order(office_user, lead_agency):
    make_task("Không thời hạn", lead_agency, deadline_kind=DeadlineKind.ONGOING)
    make_task("Có thời hạn", lead_agency, due=TODAY + 30 * DAY)
    assert titles(signed_in(office_user).get(LIST)) == ["Có thời hạn", "Không thời hạn"]


def test_list_pages_fifty_tasks_at_a_time_with_the_total(office_user, lead_agency):
    Task.objects.bulk_create(
        Task(title=f"Nhiệm vụ {n:03d}", lead_agency=lead_agency, due_on=TODAY + n * DAY,
             created_on=TODAY, search_text=f"nhiem vu {n:03d}")
        for n in range(1, 121)
    )  # fmt: skip
    client = signed_in(office_user)
    first = client.get(LIST, {"q": "nhiem vu"})
    assert len(titles(first)) == 50
    assert "120 nhiệm vụ" in first.text
    assert "Trang 1/3" in first.text
    assert "q=nhiem+vu" in first.text  # the next page keeps the filters
    second = client.get(LIST + link(first, "next"))
    last = client.get(LIST + link(second, "next"))
    assert "Trang 3/3" in last.text
    assert titles(last)[0] == "Nhiệm vụ 101"
    assert len(titles(last)) == 20
    assert 'rel="next"' not in last.text
    assert titles(client.get(LIST + link(last, "prev"))) == titles(second)


def test_htmx_request_gets_only_the_results(office_user, lead_agency):
    make_task("Tổ chức hội nghị", lead_agency)
    response = signed_in(office_user).get(
        LIST, {"q": "to chuc", "sort": "title"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "Tổ chức hội nghị" in response.text
    assert 'id="task-sort" value="title" hx-swap-oob="true"' in response.text


def build_tasks(
    count: int, lead: Agency, coordinators: list[Agency], document: Document, start: int = 0
) -> None:
    for n in range(start, start + count):
        task = make_task(
            f"Nhiệm vụ {n}", lead, due=TODAY + (n - 5) * DAY, document=document,
            extended_due_on=TODAY + n * DAY if n % 4 == 0 else None,
        )  # fmt: skip
        Coordination.objects.bulk_create(Coordination(task=task, agency=a) for a in coordinators)


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries.captured_queries)


# Every page's frame (session, user, roles, the header's agency, the unread notifications) and
# the list's own queries: the filter form's agencies, documents and topics; the status counts;
# the page's count; the page of rows. 11 today, one spare for the frame.
LIST_QUERIES = 12


def test_list_page_query_count_does_not_grow_with_rows(
    office_user, lead_agency, other_agency, coord_agency, issuer, django_assert_max_num_queries
):
    document = make_document(issuer)
    build_tasks(3, lead_agency, [other_agency, coord_agency], document)
    client = signed_in(office_user)
    few = count_queries(client, LIST, {"sort": "lead"})
    assert few <= LIST_QUERIES
    build_tasks(57, lead_agency, [other_agency, coord_agency], document, start=3)
    with django_assert_max_num_queries(few):
        response = client.get(LIST, {"sort": "lead"})
    shown = list(response.context["page"].object_list)
    assert len(shown) == 50
    with django_assert_max_num_queries(0):
        [(t.lead_agency.name, t.document.symbol, t.coordinator_count, t.status) for t in shown]


def test_focal_point_list_query_count_does_not_grow_with_rows(
    lead_focal, lead_agency, other_agency, issuer, django_assert_max_num_queries
):
    document = make_document(issuer)
    build_tasks(3, lead_agency, [other_agency], document)
    client = signed_in(lead_focal)
    params = {"status": ["overdue", "due_soon"], "q": "nhiem vu"}
    few = count_queries(client, LIST, params)
    assert few <= LIST_QUERIES + 1  # a focal point's agencies take one query more
    build_tasks(57, lead_agency, [other_agency], document, start=3)
    with django_assert_max_num_queries(few):
        response = client.get(LIST, params)
    assert len(titles(response)) == 11  # 3 overdue, 8 due within the week


# Export and import -------------------------------------------------------------------------


@dataclass
class FakeImportResult:
    created: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


@dataclass
class FakeRowError:
    row: int
    column: str
    message: str


@pytest.fixture
def fake_xlsx(monkeypatch):
    """Stands in for `dondoc.tracking.xlsx`, so the pages' side is tested on its own."""
    module = types.ModuleType("dondoc.tracking.xlsx")
    module.exported = []  # type: ignore[attr-defined]
    module.imported = []  # type: ignore[attr-defined]
    module.result = FakeImportResult(created=2)  # type: ignore[attr-defined]

    def tasks_to_xlsx(tasks):
        module.exported.append(list(tasks))  # type: ignore[attr-defined]
        return b"PK-fake-workbook"

    def import_tasks(file, actor, *, allow_duplicates):
        module.imported.append((file.read(), actor))  # type: ignore[attr-defined]
        module.allowed_duplicates = allow_duplicates  # type: ignore[attr-defined]
        return module.result  # type: ignore[attr-defined]

    module.tasks_to_xlsx = tasks_to_xlsx  # type: ignore[attr-defined]
    module.import_tasks = import_tasks  # type: ignore[attr-defined]
    # The views import the module where a workbook is made or read (`from dondoc.tracking import
    # xlsx`), so the stand-in takes its place in the package and in the module table.
    monkeypatch.setattr(tracking_package, "xlsx", module, raising=False)
    monkeypatch.setitem(sys.modules, "dondoc.tracking.xlsx", module)
    return module


def test_export_applies_the_list_filters_and_visibility_and_names_the_file_in_vietnamese(
    fake_xlsx, lead_focal, lead_agency, other_agency
):
    make_task("Quá hạn", lead_agency, due=TODAY - DAY)
    make_task("Trong hạn", lead_agency)
    make_task("Của Hà Nội", other_agency, due=TODAY - DAY)
    response = signed_in(lead_focal).get(reverse("tracking:task_export"), {"status": "overdue"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Danh%20s%C3%A1ch%20nhi%E1%BB%87m%20v%E1%BB%A5%2026-11-2026.xlsx" in (
        disposition
    )
    assert response.content == b"PK-fake-workbook"
    assert [t.title for t in fake_xlsx.exported[0]] == ["Quá hạn"]


def test_list_links_to_the_export_with_its_filters(office_user, lead_agency):
    response = signed_in(office_user).get(LIST, {"lead": "BTCTW", "q": "ke hoach"})
    assert f'href="{reverse("tracking:task_export")}?lead=BTCTW&amp;q=ke+hoach"' in response.text


def test_export_with_the_real_module_writes_a_workbook_of_the_visible_tasks(
    lead_focal, lead_agency, other_agency
):
    import io

    import openpyxl

    make_task("Xây dựng kế hoạch triển khai", lead_agency)
    make_task("Của Hà Nội", other_agency)
    response = signed_in(lead_focal).get(reverse("tracking:task_export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {str(c.value) for row in workbook.active.iter_rows() for c in row if c.value}
    assert "Xây dựng kế hoạch triển khai" in cells
    assert "Của Hà Nội" not in cells


def upload(name: str = "nhiem-vu.xlsx", content: bytes = b"PK-data"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_import_lists_row_numbered_errors_and_reports_nothing_created(fake_xlsx, office_user):
    fake_xlsx.result = FakeImportResult(
        created=0,
        errors=[
            FakeRowError(3, "Cơ quan chủ trì", "Không có cơ quan mã XYZ."),
            FakeRowError(7, "Thời hạn", "Ngày không hợp lệ."),
        ],
    )
    response = signed_in(office_user).post(
        reverse("tracking:task_import"), {"file": upload()}, follow=False
    )
    assert response.status_code == 200
    assert "Có 2 lỗi; chưa nhập nhiệm vụ nào" in response.text
    assert "Không có cơ quan mã XYZ." in response.text
    assert '<td class="num">7</td>' in response.text
    assert fake_xlsx.imported[0] == (b"PK-data", office_user)


def test_import_without_errors_goes_back_to_the_list_with_the_count(fake_xlsx, office_user):
    response = signed_in(office_user).post(
        reverse("tracking:task_import"), {"file": upload()}, follow=True
    )
    assert response.redirect_chain[-1][0] == LIST
    assert "Đã nhập 2 nhiệm vụ." in response.text


def test_import_refuses_a_file_that_is_not_xlsx(fake_xlsx, office_user):
    response = signed_in(office_user).post(
        reverse("tracking:task_import"), {"file": upload("danh-sach.csv")}
    )
    assert "Chỉ nhận tệp Excel định dạng .xlsx." in response.text
    assert fake_xlsx.imported == []


def _cell_values(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_import_with_the_real_module_shows_its_row_errors(office_user, lead_agency):
    from dondoc.tracking import xlsx

    client = signed_in(office_user)
    template = client.get(reverse("tracking:task_import_template"))
    assert template.status_code == 200
    assert _cell_values(template.content) == _cell_values(
        xlsx.template_xlsx()
    )  # bytes carry the time
    response = client.post(
        reverse("tracking:task_import"), {"file": upload(content=template.content)}
    )
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors
    assert errors[0].row == 2  # the template's example row is not imported
    assert not Task.objects.exists()


def test_the_import_templates_example_names_only_agencies_of_its_own_list(
    office_user, lead_agency, other_agency
):
    Agency.objects.create(
        code="VPTWD", name="Văn phòng Trung ương Đảng", kind=AgencyKind.CENTRAL_BODY
    )
    client = signed_in(office_user)
    sheets = _cell_values(client.get(reverse("tracking:task_import_template")).content)
    header, example = sheets["Nhiệm vụ"][0], sheets["Nhiệm vụ"][1]
    listed = {row[2] for row in sheets["Danh mục cơ quan"][1:]}
    lead = example[header.index("Cơ quan chủ trì")]
    coordinators = example[header.index("Cơ quan phối hợp")].split("; ")
    assert lead in listed
    assert set(coordinators) <= listed
    assert lead not in coordinators


@pytest.mark.parametrize("actor", ["lead_focal", "inspector", "leader"])
def test_only_the_office_imports(request, actor, fake_xlsx):
    client = signed_in(request.getfixturevalue(actor))
    assert client.get(reverse("tracking:task_import")).status_code == 403
    assert client.get(reverse("tracking:task_import_template")).status_code == 403
    assert client.post(reverse("tracking:task_import"), {"file": upload()}).status_code == 403
    assert fake_xlsx.imported == []


# A task's page -----------------------------------------------------------------------------


def test_task_page_shows_the_facts_agencies_deadlines_and_status(
    office_user, lead_agency, coord_agency, issuer
):
    document = make_document(issuer)
    task = make_task(
        "Xây dựng kế hoạch", lead_agency, document=document, due=TODAY - 10 * DAY,
        extended_due_on=TODAY + 20 * DAY, coordinators=[coord_agency], is_key=True,
        responsible_head="Đồng chí Trưởng Ban", expected_product="Kế hoạch được ban hành",
        source_clause="Mục III.2",
    )  # fmt: skip
    text = signed_in(office_user).get(detail(task)).text
    for expected in (
        "Xây dựng kế hoạch", "57-NQ/TW", "Mục III.2", "Ban Tổ chức Trung ương",
        "Ban Tuyên giáo và Dân vận Trung ương", "Đồng chí Trưởng Ban", "Kế hoạch được ban hành",
        "16/11/2026", "Đã gia hạn đến 16/12/2026", "Chưa hoàn thành, trong hạn",
        "Nhiệm vụ trọng tâm",
    ):  # fmt: skip
        assert expected in text, expected


def test_task_page_lists_parent_subtasks_waiting_and_blocking_that_the_reader_may_see(
    lead_focal, lead_agency, other_agency
):
    parent = make_task("Nhiệm vụ lớn", lead_agency)
    task = make_task("Nhiệm vụ này", lead_agency, parent=parent)
    make_task("Phần việc con", lead_agency, parent=task)
    waited = make_task("Việc phải chờ", lead_agency, due=TODAY - DAY)
    hidden = make_task("Việc của Hà Nội", other_agency)
    blocked = make_task("Việc đang chờ nhiệm vụ này", lead_agency)
    task.depends_on.add(waited, hidden)
    blocked.depends_on.add(task)
    response = signed_in(lead_focal).get(detail(task))
    page = response.context["page"]
    assert page.parent == parent
    assert [t.title for t in page.subtasks] == ["Phần việc con"]
    assert [t.title for t in page.waiting_for] == ["Việc phải chờ"]
    assert page.waiting_for[0].status == TaskStatus.OVERDUE
    assert [t.title for t in page.blocking] == ["Việc đang chờ nhiệm vụ này"]
    assert "Việc của Hà Nội" not in response.text


def test_task_page_shows_the_whole_timeline(office_user, lead_focal, lead_agency):
    task = make_task("Nhiệm vụ", lead_agency, due=TODAY + 3 * DAY, expected_product="Báo cáo")
    services.task_report_progress(lead_focal, task, percent=30, narrative="Đã khảo sát")
    services.extension_request(
        lead_focal, task, requested_due_on=TODAY + 40 * DAY, reason="Chờ số liệu"
    )
    services.obstacle_raise(lead_focal, task, text="Thiếu kinh phí", beyond_authority=True)
    text = signed_in(office_user).get(detail(task)).text
    for expected in ("Giao nhiệm vụ", "Đã khảo sát", "30%", "Chờ số liệu", "Thiếu kinh phí"):
        assert expected in text, expected
    assert "Báo cáo lãnh đạo" in text


def test_the_timeline_shows_each_events_time_and_person_in_the_order_it_happened(
    office_user, lead_focal, lead_agency
):
    task = services.task_create(
        office_user, title="Tổng kết", lead_agency=lead_agency, due_on=TODAY + 30 * DAY
    )
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 5, tzinfo=TZ), tick=False):
        services.task_report_progress(lead_focal, task, percent=40, narrative="Đã họp")
    with time_machine.travel(dt.datetime(2026, 11, 26, 15, 30, tzinfo=TZ), tick=False):
        services.task_report_progress(
            lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Báo cáo"
        )
    with time_machine.travel(dt.datetime(2026, 11, 26, 16, 0, tzinfo=TZ), tick=False):
        services.task_return(office_user, task, reason="Thiếu phụ lục")
    with time_machine.travel(dt.datetime(2026, 11, 26, 16, 45, tzinfo=TZ), tick=False):
        services.task_report_progress(
            lead_focal, task, percent=100, narrative="Bổ sung", is_final=True, product="Phụ lục"
        )
    with time_machine.travel(dt.datetime(2026, 11, 26, 17, 10, tzinfo=TZ), tick=False):
        services.task_accept(office_user, task, day=TODAY)
    page = signed_in(office_user).get(detail(task))
    kinds = [(e["kind"], e["at"] and timezone.localtime(e["at"]).strftime("%H:%M"), str(e["by"]))
             for e in page.context["page"].timeline]  # fmt: skip
    assert kinds[1:] == [
        ("report", "09:05", str(lead_focal)),
        ("report", "15:30", str(lead_focal)),
        ("returned", "16:00", str(office_user)),
        ("report", "16:45", str(lead_focal)),
        ("accepted", "17:10", str(office_user)),
    ]
    assert (kinds[0][0], kinds[0][2]) == ("created", str(office_user))
    assert "26/11/2026 17:10" in page.text
    assert "Thiếu phụ lục" in page.text


# The frame, the task's coordinators, topics, subtasks, waiting-for and blocking lists, and its
# reports, extensions and obstacles, and for the office the specialists it may assign to follow
# the task, and the audit log's entries for the timeline's times and persons (assignment,
# decisions, acceptance, letters): the same for a bare task and a busy one.
TASK_PAGE_QUERIES = 17


def test_task_page_query_count_does_not_grow_with_its_history(
    office_user, lead_agency, coord_agency, issuer, lead_focal, django_assert_max_num_queries
):
    task = make_task(
        "Nhiệm vụ", lead_agency, document=make_document(issuer), coordinators=[coord_agency],
        expected_product="Kế hoạch",
    )  # fmt: skip
    client = signed_in(office_user)
    bare = count_queries(client, detail(task))
    assert bare <= TASK_PAGE_QUERIES
    for n in range(5):
        make_task(f"Con {n}", lead_agency, parent=task)
        task.depends_on.add(make_task(f"Chờ {n}", lead_agency))
        services.task_report_progress(lead_focal, task, percent=10 * n, narrative=f"Kỳ {n}")
        services.obstacle_raise(lead_focal, task, text=f"Vướng {n}")
    services.extension_request(lead_focal, task, requested_due_on=TODAY + 90 * DAY, reason="Lý do")
    with django_assert_max_num_queries(bare):
        response = client.get(detail(task))
    assert len(response.context["answers"]) == 5
    assert len(response.context["page"].subtasks) == 5


# Create and edit ---------------------------------------------------------------------------


def task_form_data(lead: Agency, **overrides) -> dict:
    data = {
        "title": "Xây dựng kế hoạch triển khai",
        "description": "",
        "source_clause": "",
        "expected_product": "Kế hoạch",
        "lead_agency": lead.pk,
        "responsible_head": "",
        "deadline_kind": DeadlineKind.DATE,
        "due_on": "2026-12-15",
        "priority": Priority.NORMAL,
        "classification": Clearance.NORMAL,
    }
    return {**data, **overrides}


def test_office_assigns_a_task_from_a_document(office_user, lead_agency, coord_agency, issuer):
    document = make_document(issuer, classification=Clearance.CONFIDENTIAL)
    client = signed_in(office_user)
    url = f"{reverse('tracking:task_create')}?document={document.pk}"
    form = client.get(url)
    assert form.context["form"]["document"].value() == document.pk
    response = client.post(
        url,
        task_form_data(
            lead_agency, document=document.pk, coordinating_agencies=[coord_agency.pk],
            deadline_kind=DeadlineKind.MONTH, due_on="2026-12-03", classification=1,
        ),
    )  # fmt: skip
    task = Task.objects.get()
    assert response.status_code == 302
    assert response.url == detail(task)
    assert task.document == document
    assert task.due_on == dt.date(2026, 12, 31)  # "trong tháng 12/2026": the month's last day
    assert list(task.coordinating_agencies.all()) == [coord_agency]
    assert AuditEntry.objects.filter(action="create", object_id=str(task.pk)).count() == 1


def test_assigning_a_task_with_a_date_deadline_but_no_date_is_refused_in_vietnamese(
    office_user, lead_agency
):
    response = signed_in(office_user).post(
        reverse("tracking:task_create"), task_form_data(lead_agency, due_on="")
    )
    assert response.status_code == 200
    assert "Nhiệm vụ có thời hạn phải ghi rõ thời hạn." in response.text
    assert not Task.objects.exists()


def test_office_assigns_a_task_from_a_directive_opinion(office_user, lead_agency):
    session = WorkingSession.objects.create(
        held_on=TODAY - 20 * DAY, chair="Thường trực Ban Bí thư", topic="Chuyển đổi số"
    )
    opinion = DirectiveOpinion.objects.create(session=session, text="Khẩn trương hoàn thiện")
    client = signed_in(office_user)
    url = f"{reverse('tracking:task_create')}?opinion={opinion.pk}"
    assert "Khẩn trương hoàn thiện" in client.get(url).text
    client.post(url, task_form_data(lead_agency, opinion=opinion.pk))
    assert Task.objects.get().opinion == opinion


def test_create_from_a_document_above_the_users_clearance_is_not_found(office_user, issuer):
    document = make_document(issuer, classification=Clearance.TOP_SECRET)
    url = f"{reverse('tracking:task_create')}?document={document.pk}"
    assert signed_in(office_user).get(url).status_code == 404


def test_office_cannot_classify_a_task_above_its_own_clearance(office_user, lead_agency):
    response = signed_in(office_user).post(
        reverse("tracking:task_create"),
        task_form_data(lead_agency, classification=Clearance.TOP_SECRET),
    )
    assert "classification" in response.context["form"].errors
    assert not Task.objects.exists()


def test_office_edits_a_task_and_the_change_is_audited(office_user, lead_agency, coord_agency):
    task = make_task("Tên cũ", lead_agency, expected_product="Kế hoạch")
    client = signed_in(office_user)
    form = client.get(reverse("tracking:task_edit", args=[task.pk]))
    assert 'name="version" value="1"' in form.text
    response = client.post(
        reverse("tracking:task_edit", args=[task.pk]),
        task_form_data(
            lead_agency, title="Tên mới", version=1, coordinating_agencies=[coord_agency.pk]
        ),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.version, task.due_on) == ("Tên mới", 2, dt.date(2026, 12, 15))
    changes = AuditEntry.objects.get(action="update", object_id=str(task.pk)).changes
    assert changes["title"] == ["Tên cũ", "Tên mới"]
    assert changes["coordinating_agencies"] == [[], ["BTGDVTW"]]


def test_concurrent_edit_is_refused_and_keeps_the_users_input(office_user, lead_agency):
    colleague = make_user("chuyenvien2", office_user.agency, RoleCode.OFFICE)
    task = make_task("Tên ban đầu", lead_agency, expected_product="Kế hoạch")
    client = signed_in(office_user)
    url = reverse("tracking:task_edit", args=[task.pk])
    opened_version = client.get(url).context["form"]["version"].value()
    services.task_update(colleague, task, version=opened_version, title="Tên đồng nghiệp sửa")

    mine = task_form_data(lead_agency, title="Tên tôi sửa", version=opened_version)
    response = client.post(url, mine)

    assert response.status_code == 409
    assert "Nhiệm vụ đã được người khác cập nhật trong lúc bạn chỉnh sửa." in response.text
    assert 'value="Tên tôi sửa"' in response.text  # the user's input is kept...
    assert "Tên đồng nghiệp sửa" in response.text  # ...beside what was saved meanwhile
    task.refresh_from_db()
    assert task.title == "Tên đồng nghiệp sửa"  # nothing overwritten
    # Saving again, now knowingly over the latest version, goes through.
    again = {**mine, "version": response.context["form"]["version"].value()}
    assert again["version"] == "2"
    assert client.post(url, again).status_code == 302
    task.refresh_from_db()
    assert task.title == "Tên tôi sửa"


def test_edit_refuses_a_parent_the_user_cannot_see_or_the_task_itself(
    office_user, lead_agency, issuer
):
    secret = make_task("Nhiệm vụ tuyệt mật", lead_agency, classification=Clearance.TOP_SECRET)
    task = make_task("Nhiệm vụ", lead_agency)
    client = signed_in(office_user)
    url = reverse("tracking:task_edit", args=[task.pk])
    response = client.post(url, task_form_data(lead_agency, version=1, parent=secret.pk))
    assert f"Không có nhiệm vụ nào khớp “{secret.pk}”" in response.text
    response = client.post(url, task_form_data(lead_agency, version=1, parent=task.pk))
    assert "Nhiệm vụ không thể thuộc chính nó." in response.text


# Documents and working sessions ------------------------------------------------------------


DOCUMENTS = reverse("tracking:document_list")


def documents_listed(response) -> list[str]:
    return [d.symbol for d in response.context["page"].object_list]


def test_document_list_filters_by_type_issuer_strategic_and_text(office_user, issuer, lead_agency):
    secretariat = Agency.objects.create(code="BBT", name="Ban Bí thư", kind=AgencyKind.LEADERSHIP)
    make_document(issuer, "57-NQ/TW", is_strategic=True)
    make_document(secretariat, "45-CT/TW", title="Về lãnh đạo đại hội đảng bộ các cấp")
    make_document(issuer, "201-KL/TW", title="Kết luận về sắp xếp tổ chức bộ máy")
    client = signed_in(office_user)
    assert documents_listed(client.get(DOCUMENTS, {"doc_type": "CT"})) == ["45-CT/TW"]
    assert documents_listed(client.get(DOCUMENTS, {"issuer": secretariat.pk})) == ["45-CT/TW"]
    assert documents_listed(client.get(DOCUMENTS, {"strategic": "1"})) == ["57-NQ/TW"]
    assert documents_listed(client.get(DOCUMENTS, {"q": "to chuc bo may"})) == ["201-KL/TW"]
    assert documents_listed(client.get(DOCUMENTS, {"q": "201-kl"})) == ["201-KL/TW"]


def test_document_list_query_count_does_not_grow_with_rows(
    lead_focal, issuer, lead_agency, django_assert_max_num_queries
):
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            document = make_document(issuer, f"{n + 1}-KL/TW", title=f"Kết luận {n}")
            make_task(f"Nhiệm vụ {n}", lead_agency, document=document)

    add(0, 3)
    client = signed_in(lead_focal)
    few = count_queries(client, DOCUMENTS)
    assert few <= 9  # the frame, the issuers for the filter, the page's count and its rows
    add(3, 57)
    with django_assert_max_num_queries(few):
        response = client.get(DOCUMENTS)
    assert [d.task_count for d in response.context["page"].object_list] == [1] * 50


def test_document_page_shows_its_tasks_and_completion_figures(
    lead_focal, lead_agency, other_agency, issuer
):
    document = make_document(issuer)
    make_task("Đã xong", lead_agency, document=document, due=TODAY - 9 * DAY,
              reported_done_on=TODAY - 10 * DAY, accepted_on=TODAY - 5 * DAY)  # fmt: skip
    make_task("Quá hạn", lead_agency, document=document, due=TODAY - DAY)
    make_task("Trong hạn", lead_agency, document=document)
    make_task("Hủy", lead_agency, document=document, cancelled_on=TODAY - DAY)
    make_task("Của Hà Nội", other_agency, document=document)
    response = signed_in(lead_focal).get(reverse("tracking:document_detail", args=[document.pk]))
    counts = response.context["counts"]
    assert (counts["total"], counts["done_on_time"], counts["overdue"]) == (4, 1, 1)
    assert response.context["done_share"] == pytest.approx(100 / 3)
    assert "33,3%" in response.text or "33.3%" in response.text
    assert "Của Hà Nội" not in response.text
    assert [t.title for t in response.context["tasks"]] == [
        "Đã xong",
        "Quá hạn",
        "Trong hạn",
        "Hủy",
    ]


def test_office_registers_a_document_and_its_symbol_is_parsed(office_user, issuer):
    response = signed_in(office_user).post(
        reverse("tracking:document_create"),
        {"symbol": "201-KL/TW", "issuing_body": issuer.pk, "term": "XIII",
         "issued_on": "2025-11-01", "title": "Kết luận về công tác cán bộ", "classification": 0,
         "urgency": ""},
    )  # fmt: skip
    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("tracking:document_detail", args=[document.pk])
    assert (document.doc_type, document.number, document.issuer_code) == ("KL", 201, "TW")


def test_malformed_symbol_is_shown_on_the_symbol_field_in_vietnamese(office_user, issuer):
    response = signed_in(office_user).post(
        reverse("tracking:document_create"),
        {"symbol": "NQ57/TW", "issuing_body": issuer.pk, "issued_on": "2025-11-01",
         "title": "Sai thể thức", "classification": 0},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors["symbol"]
    assert errors == [
        "Số, ký hiệu “NQ57/TW” không đúng thể thức. Văn bản của Đảng ghi dạng 57-NQ/TW, "
        "văn bản nhà nước ghi dạng 86/NQ-CP."
    ]
    assert not Document.objects.exists()


def test_top_secret_document_is_registered_without_its_text(issuer):
    admin_office = make_user(
        "vanphong.mat", issuer, RoleCode.OFFICE, clearance=Clearance.TOP_SECRET
    )
    response = signed_in(admin_office).post(
        reverse("tracking:document_create"),
        {"symbol": "12-KL/TW", "issuing_body": issuer.pk, "issued_on": "2025-11-01",
         "title": "Kết luận", "classification": Clearance.TOP_SECRET, "full_text": "Nội dung"},
    )  # fmt: skip
    assert response.context["form"].errors["full_text"] == [
        "Văn bản Tuyệt mật chỉ đăng ký số, ký hiệu và trích yếu; toàn văn được quản lý ngoài hệ thống."
    ]
    assert not Document.objects.exists()


def test_the_document_form_says_where_top_secret_documents_are_kept(office_user, issuer):
    page = signed_in(office_user).get(reverse("tracking:document_create"))
    choices = [label for _value, label in page.context["form"].fields["classification"].choices]
    assert "Tuyệt mật" not in choices  # above the specialist's clearance: not offered
    assert "Văn bản Tuyệt mật không đăng ký ở đây: được quản lý ngoài hệ thống" in page.text
    cleared = make_user("vanphong.mat", issuer, RoleCode.OFFICE, clearance=Clearance.TOP_SECRET)
    page = signed_in(cleared).get(reverse("tracking:document_create"))
    choices = [label for _value, label in page.context["form"].fields["classification"].choices]
    assert "Tuyệt mật" in choices
    assert "chỉ đăng ký số, ký hiệu và trích yếu; nội dung được quản lý ngoài hệ thống" in page.text


@pytest.mark.parametrize("actor", ["lead_focal", "inspector"])
def test_only_the_office_registers_documents_and_assigns_tasks(request, actor, issuer):
    client = signed_in(request.getfixturevalue(actor))
    assert client.get(reverse("tracking:document_create")).status_code == 403
    assert client.get(reverse("tracking:task_create")).status_code == 403
    assert not client.get(DOCUMENTS).context["can_register"]


def test_working_session_page_lists_its_opinions_and_the_visible_tasks_made_of_them(
    lead_focal, lead_agency, other_agency
):
    session = WorkingSession.objects.create(
        held_on=TODAY - 20 * DAY, chair="Thường trực Ban Bí thư", topic="Chuyển đổi số"
    )
    opinion = DirectiveOpinion.objects.create(session=session, text="Hoàn thiện cơ sở dữ liệu")
    make_task("Xây dựng cơ sở dữ liệu", lead_agency, opinion=opinion)
    make_task("Việc của Hà Nội", other_agency, opinion=opinion)
    client = signed_in(lead_focal)
    listing = client.get(reverse("tracking:session_list"))
    assert "Chuyển đổi số" in listing.text
    response = client.get(reverse("tracking:session_detail", args=[session.pk]))
    assert "Hoàn thiện cơ sở dữ liệu" in response.text
    assert "Xây dựng cơ sở dữ liệu" in response.text
    assert "Việc của Hà Nội" not in response.text


# Classification ----------------------------------------------------------------------------


def test_classified_work_above_the_users_clearance_never_appears(
    lead_focal, office_user, leader, lead_agency, issuer
):
    confidential = make_document(issuer, "35-KL/TW", classification=Clearance.CONFIDENTIAL)
    top_secret = make_document(issuer, "36-KL/TW", classification=Clearance.TOP_SECRET)
    mat = make_task("Việc Mật", lead_agency, document=confidential, classification=1)
    tuyet_mat = make_task("Việc Tuyệt mật", lead_agency, document=top_secret, classification=3)
    make_task("Việc thường", lead_agency)
    session = WorkingSession.objects.create(
        held_on=TODAY, chair="Tổng Bí thư", topic="Chuyên đề mật", classification=1
    )

    focal = signed_in(lead_focal)  # clearance: Thường
    assert titles(focal.get(LIST)) == ["Việc thường"]
    assert titles(focal.get(reverse("tracking:inbox"))) == ["Việc thường"]
    assert focal.get(detail(mat)).status_code == 404
    assert documents_listed(focal.get(DOCUMENTS)) == []
    assert focal.get(reverse("tracking:document_detail", args=[confidential.pk])).status_code == 404
    assert "Chuyên đề mật" not in focal.get(reverse("tracking:session_list")).text
    assert focal.get(reverse("tracking:session_detail", args=[session.pk])).status_code == 404

    office = signed_in(office_user)  # clearance: Tối mật
    assert sorted(titles(office.get(LIST))) == ["Việc Mật", "Việc thường"]
    assert office.get(detail(tuyet_mat)).status_code == 404
    assert documents_listed(office.get(DOCUMENTS)) == ["35-KL/TW"]

    top = signed_in(leader)  # clearance: Tuyệt mật
    assert top.get(detail(tuyet_mat)).status_code == 200
    assert top.get(reverse("tracking:document_detail", args=[top_secret.pk])).status_code == 200


# The menu ----------------------------------------------------------------------------------


def test_menu_links_to_tasks_and_documents_and_the_inbox_for_agency_staff(office_user, lead_focal):
    office = signed_in(office_user).get(LIST).text
    assert f'href="{LIST}"' in office
    assert f'href="{DOCUMENTS}"' in office
    assert f'href="{reverse("tracking:inbox")}"' not in office
    focal = signed_in(lead_focal).get(LIST).text
    assert f'href="{reverse("tracking:inbox")}"' in focal


def test_pending_extension_is_shown_for_decision_to_the_office(
    office_user, lead_focal, lead_agency
):
    task = make_task("Nhiệm vụ", lead_agency, due=TODAY + 3 * DAY)
    extension = services.extension_request(
        lead_focal, task, requested_due_on=TODAY + 30 * DAY, reason="Chờ ý kiến các bộ"
    )
    response = signed_in(office_user).get(detail(task))
    assert [e for e, _form in response.context["decisions"]] == [extension]
    assert reverse("tracking:extension_decide", args=[task.pk, extension.pk]) in response.text
    assert Extension.objects.get().decision == "pending"
