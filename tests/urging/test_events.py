"""Every event on a task notifies the people it concerns, in the app and by e-mail, with a link
to the place to act (urging/events.py)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.tracking import services
from dondoc.tracking.models import Document, DocumentType, Task
from dondoc.urging.models import Notification
from dondoc.urging.services import digests_send
from tests.agencies.conftest import signed_in
from tests.urging.conftest import at, make_task, person

DAY = dt.timedelta(days=1)
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _today():
    with at(TODAY):
        yield


@pytest.fixture
def specialist(office_agency):
    return person("chuyenvien", office_agency, RoleCode.OFFICE)


@pytest.fixture
def leader_person(office_agency):
    user = person("lanhdao", office_agency, RoleCode.LEADER)
    user.clearance = Clearance.SECRET
    user.save()
    return user


@pytest.fixture
def task(lead_agency, specialist) -> Task:
    return make_task("Xây dựng đề án", lead_agency, follower=specialist)


def notified(**filters) -> set[tuple[str, str, str]]:
    rows = Notification.objects.filter(**filters).values_list("kind", "recipient__username", "link")
    return set(rows)


def test_assigning_a_task_notifies_the_lead_agencys_focal_points_and_head(
    django_capture_on_commit_callbacks, specialist, lead_agency, lead_focal, lead_head, coord_focal
):
    with django_capture_on_commit_callbacks(execute=True):
        task = services.task_create(
            specialist, title="Sơ kết Nghị quyết", lead_agency=lead_agency, due_on=TODAY + 30 * DAY
        )
    page = reverse("tracking:task_detail", args=[task.pk])
    assert notified() == {
        ("assigned", "daumoi.btctw", page),
        ("assigned", "truong.btctw", page),
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "daumoi.btctw@example.vn",
        "truong.btctw@example.vn",
    ]
    assert "Cơ quan được giao chủ trì nhiệm vụ mới." in mail.outbox[0].body
    assert f"http://127.0.0.1:8000{page}" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("act", "kind", "queue_kind"),
    [
        (lambda f, t: services.task_report_progress(f, t, percent=30, narrative="Đã họp"),
         "reported", "report"),
        (lambda f, t: services.task_report_progress(
            f, t, percent=100, narrative="Xong", is_final=True, product="Đề án"),
         "completion", "completion"),
        (lambda f, t: services.extension_request(
            f, t, requested_due_on=TODAY + 90 * DAY, reason="Chờ số liệu"),
         "extension_asked", "extension"),
        (lambda f, t: services.obstacle_raise(f, t, text="Thiếu kinh phí"),
         "obstacle", "obstacle"),
    ],
)  # fmt: skip
def test_each_agency_action_notifies_the_following_specialist_with_a_link_to_the_queue(
    django_capture_on_commit_callbacks, task, lead_focal, lead_head, specialist, act, kind,
    queue_kind,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        act(lead_focal, task)
    assert notified() == {(kind, "chuyenvien", f"/queue/?kind={queue_kind}")}
    assert [m.to for m in mail.outbox] == [["chuyenvien@example.vn"]]
    assert "BTCTW" in Notification.objects.get().message


def test_what_waits_on_a_task_nobody_follows_goes_to_every_office_specialist(
    django_capture_on_commit_callbacks, lead_agency, lead_focal, specialist, leader_person,
    office_agency,
):  # fmt: skip
    other = person("chuyenvien2", office_agency, RoleCode.OFFICE)
    person("quantri", office_agency, RoleCode.ADMIN)
    task = make_task("Chưa phân công", lead_agency)
    with django_capture_on_commit_callbacks(execute=True):
        services.obstacle_raise(lead_focal, task, text="Vướng")
    queue = "/queue/?kind=obstacle"
    assert notified() == {("obstacle", "chuyenvien", queue), ("obstacle", "chuyenvien2", queue)}
    assert {m.to[0] for m in mail.outbox} == {specialist.email, other.email}
    assert "Vướng" in signed_in(specialist).get(reverse("tracking:queue"), {"scope": "all"}).text


def test_a_progress_report_nobody_follows_rings_no_one_but_stays_in_the_queue(
    django_capture_on_commit_callbacks, lead_agency, lead_focal, specialist
):
    task = make_task("Chưa phân công", lead_agency)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_report_progress(lead_focal, task, percent=30, narrative="Đang khảo sát")
    assert notified() == set()
    queue = signed_in(specialist).get(reverse("tracking:queue"), {"scope": "all"})
    assert "Chưa phân công" in queue.text


def test_the_documents_follower_is_told_when_the_task_names_none(
    django_capture_on_commit_callbacks, lead_agency, lead_focal, specialist, office_agency
):
    other = person("chuyenvien2", office_agency, RoleCode.OFFICE)
    document = Document.objects.create(
        symbol="18-NQ/TW", doc_type=DocumentType.RESOLUTION, issuer_code="TW",
        issued_on=TODAY - 200 * DAY, title="Về tinh gọn", issuing_body=office_agency,
    )  # fmt: skip
    task = services.task_create(
        specialist, title="Theo văn bản", lead_agency=lead_agency, document=document,
        due_on=TODAY + 30 * DAY,
    )  # fmt: skip
    services.document_follower_set(specialist, document, other)
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_request(
            lead_focal, task, requested_due_on=TODAY + 60 * DAY, reason="Chờ số liệu"
        )
    assert notified(kind="extension_asked") == {
        ("extension_asked", "chuyenvien2", "/queue/?kind=extension")
    }


def test_an_obstacle_beyond_the_offices_authority_notifies_the_leaders(
    django_capture_on_commit_callbacks, task, lead_focal, specialist, leader_person
):
    with django_capture_on_commit_callbacks(execute=True):
        obstacle = services.obstacle_raise(lead_focal, task, text="Vượt thẩm quyền")
    with django_capture_on_commit_callbacks(execute=True):
        services.obstacle_escalate(specialist, obstacle)
    assert ("escalated", "lanhdao", "/queue/?kind=escalated") in notified()


@pytest.mark.parametrize(
    ("decide", "kind", "message"),
    [
        (lambda s, t, e, o: services.extension_decide(s, e, approve=True, reason=""),
         "extension_done", "Văn phòng đồng ý gia hạn đến ngày 24/02/2027."),
        (lambda s, t, e, o: services.extension_decide(s, e, approve=False, reason="Không"),
         "extension_done", "Văn phòng không đồng ý gia hạn; thời hạn giữ nguyên."),
        (lambda s, t, e, o: services.obstacle_answer(s, o, answer="Đã bố trí"),
         "answered", "Vướng mắc, kiến nghị đã được trả lời."),
    ],
)  # fmt: skip
def test_each_office_decision_notifies_the_agency_with_a_link_to_the_task(
    django_capture_on_commit_callbacks, task, lead_focal, coord_focal, specialist, decide, kind,
    message,
):  # fmt: skip
    extension = services.extension_request(
        lead_focal, task, requested_due_on=TODAY + 90 * DAY, reason="Chờ"
    )
    obstacle = services.obstacle_raise(lead_focal, task, text="Vướng")
    with django_capture_on_commit_callbacks(execute=True):
        decide(specialist, task, extension, obstacle)
    page = reverse("tracking:task_detail", args=[task.pk])
    assert notified(kind=kind) == {(kind, "daumoi.btctw", page)}
    assert Notification.objects.get(kind=kind).message == message


def test_acceptance_and_return_notify_the_lead_agency(
    django_capture_on_commit_callbacks, task, lead_focal, specialist
):
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Đề án"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.task_return(specialist, task, reason="Thiếu phụ lục")
    assert {k for k, _u, _l in notified(recipient=lead_focal)} == {"returned"}
    task.refresh_from_db()
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Bổ sung", is_final=True, product="Đề án"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.task_accept(specialist, task)
    assert {k for k, _u, _l in notified(recipient=lead_focal)} == {"returned", "accepted"}


def test_the_digest_reader_gets_it_in_the_digest_not_at_once(
    django_capture_on_commit_callbacks, lead_agency, digest_focal, specialist
):
    with django_capture_on_commit_callbacks(execute=True):
        services.task_create(
            specialist, title="Nhiệm vụ", lead_agency=lead_agency, due_on=TODAY + 30 * DAY
        )
    assert mail.outbox == []
    assert Notification.objects.get(recipient=digest_focal).digest_pending
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(TODAY)
    assert "Cơ quan được giao chủ trì nhiệm vụ mới." in mail.outbox[0].body


def test_nobody_is_told_of_a_task_above_their_clearance(
    django_capture_on_commit_callbacks, specialist, lead_agency, lead_focal
):
    specialist.clearance = Clearance.SECRET
    specialist.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.task_create(
            specialist, title="Mật", lead_agency=lead_agency, due_on=TODAY + 30 * DAY,
            classification=Clearance.SECRET,
        )  # fmt: skip
    assert notified() == set()


def test_the_notification_page_shows_what_happened_and_where_to_act(
    django_capture_on_commit_callbacks, task, lead_focal, specialist
):
    with django_capture_on_commit_callbacks(execute=True):
        services.obstacle_raise(lead_focal, task, text="Thiếu kinh phí")
    page = signed_in(specialist).get(reverse("urging:notifications")).text
    assert "BTCTW nêu vướng mắc, kiến nghị." in page
    assert 'href="/queue/?kind=obstacle"' in page


def test_two_reports_the_same_day_ring_once(
    django_capture_on_commit_callbacks, task, lead_focal, specialist
):
    for percent in (20, 30):
        with django_capture_on_commit_callbacks(execute=True):
            services.task_report_progress(lead_focal, task, percent=percent, narrative="Tiếp")
    assert Notification.objects.filter(recipient=specialist).count() == 1


def test_a_report_whose_notice_finds_the_database_gone_is_notified_by_the_retry_job(
    django_capture_on_commit_callbacks, task, lead_focal, specialist, monkeypatch
):
    """The database went away between the report's commit and its notice (a restart:
    scripts/drill_pg_restart.py lost two so): the notice is queued as a job, which retries until
    the database is back, then tells the same people as ever, once."""
    from django.db import OperationalError

    from dondoc.tracking import tasks as tracking_tasks
    from dondoc.urging import events as urging_events

    queued: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        tracking_tasks.task_event_redispatch_task, "delay", lambda *args: queued.append(args)
    )
    real = urging_events._notify

    def database_gone(*args: object) -> None:
        raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(urging_events, "_notify", database_gone)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_report_progress(lead_focal, task, percent=30, narrative="Đang triển khai")
    assert (Notification.objects.count(), len(queued)) == (0, 1)

    monkeypatch.setattr(urging_events, "_notify", real)  # the database is back
    with django_capture_on_commit_callbacks(execute=True):
        tracking_tasks.task_event_redispatch_task.apply(args=queued[0]).get()
    assert notified() == {("reported", "chuyenvien", "/queue/?kind=report")}
    assert [m.to for m in mail.outbox] == [["chuyenvien@example.vn"]]
