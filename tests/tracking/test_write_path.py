"""One write path for tasks: the form, the XLSX import, assisted entry and the API give the same
answer for the same row, and a page or file submitted twice creates its tasks once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.api.services import token_create
from dondoc.audit.models import AuditEntry
from dondoc.audit.services import audit_verify
from dondoc.tracking import services
from dondoc.tracking.models import Document, Task, TaskSource, TaskSubmission
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient
from tests.tracking.test_xlsx import row, sheet_bytes

ISSUED = dt.date(2026, 11, 20)
TOO_EARLY = "Thời hạn 19/11/2026 trước ngày ban hành văn bản 45-TB/TW (20/11/2026)."
LEAD_TWICE = (
    "Cơ quan “Ban Tổ chức Trung ương” đã là cơ quan chủ trì, không ghi lại là cơ quan phối hợp."
)


@pytest.fixture
def document(office_user) -> Document:
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    return services.document_register(
        office_user, symbol="45-TB/TW", issuing_body=politburo, issued_on=ISSUED,
        title="Thông báo kết luận", term="XIV",
    )  # fmt: skip


# The same bad row, through every door ------------------------------------------------------

BAD_ROWS = {  # what is wrong: (due date, coordinators), the message
    "deadline before the document": (dt.date(2026, 11, 19), ["VPTW"], TOO_EARLY),
    "lead among the coordinators": (dt.date(2026, 12, 15), ["VPTW", "BTCTW"], LEAD_TWICE),
}


def by_form(office_user, document, agencies, due, coordinators):
    response = signed_in(office_user).post(
        reverse("tracking:task_create"),
        {
            "title": "Sửa đổi quy định", "lead_agency": agencies["BTCTW"].pk,
            "coordinating_agencies": [agencies[c].pk for c in coordinators],
            "document": document.pk, "deadline_kind": "date", "due_on": due.isoformat(),
            "priority": 2, "classification": 0,
        },
    )  # fmt: skip
    return [str(m) for errors in response.context["form"].errors.values() for m in errors]


def by_import(office_user, document, agencies, due, coordinators):
    upload = sheet_bytes(
        [
            row(
                symbol="45-TB/TW",
                lead="BTCTW",
                coordinators="; ".join(coordinators),
                deadline=f"{due:%d/%m/%Y}",
            )
        ]
    )
    result = services_import(upload, office_user)
    return [e.message.split(": ", 1)[1] for e in result.errors]


def services_import(upload, actor, **kwargs):
    from dondoc.tracking.xlsx import import_tasks

    return import_tasks(upload, actor, today=dt.date(2026, 11, 26), **kwargs)


def assist_data(document, agencies, due, coordinators, token="") -> dict:
    return {
        "text": "Giao Ban Tổ chức Trung ương chủ trì sửa đổi quy định.",
        "document": document.pk, "submission": token,
        "task-TOTAL_FORMS": 1, "task-INITIAL_FORMS": 1,
        "task-0-include": "on", "task-0-title": "Sửa đổi quy định",
        "task-0-lead_agency": agencies["BTCTW"].pk,
        "task-0-coordinating_agencies": [agencies[c].pk for c in coordinators],
        "task-0-deadline_kind": "date", "task-0-due_on": due.isoformat(),
    }  # fmt: skip


def by_assist(office_user, document, agencies, due, coordinators):
    response = signed_in(office_user).post(
        reverse("tracking:assist_confirm"), assist_data(document, agencies, due, coordinators)
    )
    [proposal] = response.context["rows"]
    return [str(m) for errors in proposal.errors.values() for m in errors]


def by_api(office_user, document, agencies, due, coordinators):
    _token, secret = token_create(office_user, name="tests")
    response = ApiClient(secret).post(
        "tasks",
        {
            "title": "Sửa đổi quy định",
            "lead": "BTCTW",
            "coordinating": coordinators,
            "document": document.pk,
            "due_on": due.isoformat(),
        },
    )
    assert response.status_code == 400
    return [m for messages in response.json()["fields"].values() for m in messages]


@pytest.mark.parametrize("door", [by_form, by_import, by_assist, by_api])
@pytest.mark.parametrize("wrong", BAD_ROWS)
def test_the_same_bad_row_is_refused_with_the_same_message_by_every_door(
    door, wrong, office_user, office_agency, lead_agency, document
):
    due, coordinators, message = BAD_ROWS[wrong]
    agencies = {"VPTW": office_agency, "BTCTW": lead_agency}
    said = door(office_user, document, agencies, due, coordinators)
    assert [m[:1].lower() + m[1:] for m in said] == [message[:1].lower() + message[1:]]
    assert not Task.objects.exists()


def test_an_ended_agency_is_refused_as_lead_by_the_service(office_user, document):
    merged = Agency.objects.create(
        code="BINHDUONG", name="Tỉnh ủy Bình Dương", kind=AgencyKind.PROVINCE,
        valid_to=dt.date(2025, 6, 30),
    )  # fmt: skip
    with pytest.raises(services.TaskRowsError) as refused:
        services.task_create(office_user, title="Rà soát", lead_agency=merged, due_on=ISSUED)
    assert refused.value.problems == [
        services.TaskProblem(
            1, "lead_agency", "agency_ended",
            "Cơ quan “Tỉnh ủy Bình Dương” đã thôi hoạt động từ 30/06/2025; "
            "hãy giao cho cơ quan kế thừa.",
        )
    ]  # fmt: skip


def test_every_row_is_checked_and_every_problem_named_by_its_row(
    office_user, office_agency, lead_agency, document
):
    rows = [
        services.NewTask("Một", lead_agency.pk, document_id=document.pk, due_on=ISSUED, row=4),
        services.NewTask(" ", lead_agency.pk, document_id=document.pk, due_on=None, row=5),
        services.NewTask("Ba", lead_agency.pk, (lead_agency.pk,), due_on=ISSUED, row=6),
    ]
    with pytest.raises(services.TaskRowsError) as refused:
        services.tasks_create_many(office_user, rows, source=TaskSource.API)
    assert [(p.row, p.field, p.code) for p in refused.value.problems] == [
        (5, "title", "title_required"),
        (5, "due_on", "deadline_required"),
        (6, "coordinating_agencies", "lead_among_coordinators"),
    ]
    assert not Task.objects.exists()


def test_bulk_creation_writes_each_task_once_with_one_chained_audit_entry_each(
    office_user, office_agency, lead_agency, document, django_assert_max_num_queries
):
    rows = [
        services.NewTask(
            f"Nhiệm vụ {n}",
            lead_agency.pk,
            (office_agency.pk,),
            document_id=document.pk,
            due_on=ISSUED,
            row=n,
        )
        for n in range(1, 51)
    ]
    # 14, 4 for the figures' versions (`tracking.tallies`: no tallies counted in this test) and
    # 1 for the event's outbox row (`tracking.events`: one for the 50 tasks)
    with django_assert_max_num_queries(19):
        tasks = services.tasks_create_many(office_user, rows, source=TaskSource.API)
    assert [t.title for t in Task.objects.order_by("pk")] == [r.title for r in rows]
    assert {t.coordinations.get().agency for t in tasks} == {office_agency}
    created = AuditEntry.objects.filter(action="create", object_type="tracking.task")
    assert sorted(int(pk) for pk in created.values_list("object_id", flat=True)) == [
        t.pk for t in tasks
    ]
    assert created.order_by("seq").first().changes["coordinating_agencies"] == [None, ["VPTW"]]
    assert audit_verify().ok


# Submitted twice ----------------------------------------------------------------------------


def test_the_task_form_submitted_twice_assigns_one_task(office_user, lead_agency):
    client = signed_in(office_user)
    token = client.get(reverse("tracking:task_create")).context["form"]["submission"].value()
    data = {
        "title": "Xây dựng kế hoạch", "lead_agency": lead_agency.pk, "deadline_kind": "date",
        "due_on": "2026-12-15", "priority": 2, "classification": 0, "submission": token,
    }  # fmt: skip
    first = client.post(reverse("tracking:task_create"), data)
    second = client.post(reverse("tracking:task_create"), data, follow=True)
    task = Task.objects.get()
    assert (
        first.url == second.redirect_chain[-1][0] == reverse("tracking:task_detail", args=[task.pk])
    )
    assert "đã được tạo lúc" in second.text
    assert TaskSubmission.objects.get().source == TaskSource.FORM


def test_assisted_entry_confirmed_twice_assigns_its_tasks_once(
    office_user, office_agency, lead_agency, document
):
    client = signed_in(office_user)
    token = client.get(reverse("tracking:assist")).context["form"]["submission"].value()
    agencies = {"VPTW": office_agency, "BTCTW": lead_agency}
    data = assist_data(document, agencies, dt.date(2026, 12, 15), ["VPTW"], token=str(token))
    first = client.post(reverse("tracking:assist_confirm"), data)
    second = client.post(reverse("tracking:assist_confirm"), data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == reverse("tracking:document_detail", args=[document.pk])
    assert "Các nhiệm vụ này đã được tạo lúc" in second.text
    assert Task.objects.count() == 1
    assert AuditEntry.objects.filter(action="create", object_type="tracking.task").count() == 1


def test_a_file_imported_twice_creates_its_tasks_once(office_user, lead_agency, document):
    client = signed_in(office_user)
    content = sheet_bytes([row(symbol="45-TB/TW")]).getvalue()

    def send():
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("nhiem-vu.xlsx", content)
        return client.post(reverse("tracking:task_import"), {"file": upload}, follow=True)

    assert "Đã nhập 1 nhiệm vụ." in send().text
    again = send()
    assert "Tệp này đã được nhập" in again.text
    assert again.redirect_chain[-1][0] == reverse("tracking:task_list")
    assert Task.objects.count() == 1
    submission = TaskSubmission.objects.get()
    assert (submission.file_name, submission.created) == ("nhiem-vu.xlsx", 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_with_one_token_create_the_tasks_once(office_user, lead_agency):
    start = threading.Barrier(2)
    outcomes: list[object] = []
    rows = [services.NewTask(f"Việc {n}", lead_agency.pk, due_on=ISSUED) for n in range(20)]

    def submit() -> None:
        try:
            start.wait()
            tasks = services.tasks_create_many(
                office_user, rows, source=TaskSource.ASSIST, key="assist:race"
            )
            outcomes.append(len(tasks))
        except BaseException as error:  # reported by the main thread
            outcomes.append(type(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == sorted([20, services.DuplicateSubmissionError], key=str)
    assert Task.objects.count() == 20
    assert audit_verify().ok


# Duplicate rows in a file -------------------------------------------------------------------


def test_repeated_rows_are_named_and_written_only_once_confirmed(
    office_user, lead_agency, document
):
    rows = [row(symbol="45-TB/TW", content="Tổng kết"), row(symbol="45-TB/TW", content="Sơ kết"),
            row(symbol="45-TB/TW", content="Tổng  kết ")]  # fmt: skip

    warned = services_import(sheet_bytes(rows), office_user)
    assert (warned.created, warned.errors) == (0, [])
    assert [w.message for w in warned.warnings] == [
        "Dòng 4 trùng với dòng 2 (cùng văn bản, nội dung nhiệm vụ và cơ quan chủ trì); "
        "kiểm tra lại hoặc xác nhận vẫn nhập."
    ]
    assert not Task.objects.exists()
    confirmed = services_import(sheet_bytes(rows), office_user, allow_duplicates=True)
    assert confirmed.created == 3


def test_the_import_page_shows_repeated_rows_and_asks_to_confirm(
    office_user, lead_agency, document
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = sheet_bytes([row(symbol="45-TB/TW"), row(symbol="45-TB/TW")]).getvalue()
    client = signed_in(office_user)
    url = reverse("tracking:task_import")
    page = client.post(url, {"file": SimpleUploadedFile("a.xlsx", content)})
    assert "Dòng 3 trùng với dòng 2" in page.text
    assert 'type="checkbox" name="allow_duplicates"' in page.text
    assert not Task.objects.exists()
    upload = SimpleUploadedFile("a.xlsx", content)
    done = client.post(url, {"file": upload, "allow_duplicates": "on"}, follow=True)
    assert "Đã nhập 2 nhiệm vụ." in done.text
