"""The office's work queue: what agencies sent, oldest first, acted on without leaving it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.tracking import services
from dondoc.tracking.models import Decision, Document, DocumentType, ObstacleLevel, Task
from dondoc.tracking.queue import QueueKind
from tests.agencies.conftest import signed_in
from tests.conftest import make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
QUEUE = reverse("tracking:queue")
HTMX = {"HX-Request": "true"}


def at(hour: int, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at(17), tick=False):
        yield


@pytest.fixture
def colleague(office_agency):
    return make_user("chuyenvien2", office_agency, RoleCode.OFFICE, clearance=Clearance.SECRET)


def make_task(title: str, lead, follower=None, document=None, **facts) -> Task:
    facts.setdefault("due_on", TODAY + 30 * DAY)
    followed_by = follower or (document.follower if document else None)  # as the services do
    return Task.objects.create(
        title=title, lead_agency=lead, created_on=TODAY - 60 * DAY, follower=follower,
        followed_by=followed_by, document=document, **facts,
    )  # fmt: skip


def when(hour: int):
    return time_machine.travel(at(hour), tick=False)


def office_day(focal, follower) -> dict[str, Task]:
    """A lead agency's morning: a report at 8, a completion at 9, an extension request at 10,
    an obstacle at 11, on four tasks that `follower` follows."""
    agency = focal.agency
    tasks = {name: make_task(name, agency, follower) for name in
             ("Báo cáo", "Hoàn thành", "Gia hạn", "Vướng mắc")}  # fmt: skip
    with when(8):
        services.task_report_progress(focal, tasks["Báo cáo"], percent=40, narrative="Đã họp")
    with when(9):
        services.task_report_progress(
            focal, tasks["Hoàn thành"], percent=100, narrative="Xong", is_final=True,
            product="Đề án",
        )  # fmt: skip
    with when(10):
        services.extension_request(
            focal, tasks["Gia hạn"], requested_due_on=TODAY + 60 * DAY, reason="Chờ số liệu"
        )
    with when(11):
        services.obstacle_raise(focal, tasks["Vướng mắc"], text="Thiếu kinh phí")
    return tasks


def kinds_and_titles(response) -> list[tuple[str, str]]:
    return [(item.kind, item.task.title) for item, _forms in response.context["items"]]


def test_the_queue_lists_what_agencies_sent_by_kind_oldest_first(
    office_user, lead_focal, django_assert_max_num_queries
):
    office_day(lead_focal, office_user)
    response = signed_in(office_user).get(QUEUE)
    assert kinds_and_titles(response) == [
        (QueueKind.REPORT, "Báo cáo"),
        (QueueKind.COMPLETION, "Hoàn thành"),
        (QueueKind.EXTENSION, "Gia hạn"),
        (QueueKind.OBSTACLE, "Vướng mắc"),
    ]
    assert {kind: n for kind, n, _shown in response.context["kind_counts"]} == dict.fromkeys(
        [QueueKind.REPORT, QueueKind.COMPLETION, QueueKind.EXTENSION, QueueKind.OBSTACLE], 1
    )
    page = response.text
    assert "Báo cáo hoàn thành chờ xác nhận (1)" in page
    assert "Xác nhận hoàn thành" in page
    assert "Báo cáo lãnh đạo (vượt thẩm quyền)" in page
    assert page.count(">Mới<") == 4  # never looked: everything is new


def test_marking_seen_drops_reports_and_keeps_what_waits_for_a_decision(office_user, lead_focal):
    tasks = office_day(lead_focal, office_user)
    client = signed_in(office_user)
    with when(12):
        client.post(reverse("tracking:queue_seen"))
    with when(14):
        services.task_report_progress(lead_focal, tasks["Báo cáo"], percent=60, narrative="Tiếp")
    response = client.get(QUEUE)
    assert kinds_and_titles(response) == [
        (QueueKind.COMPLETION, "Hoàn thành"),
        (QueueKind.EXTENSION, "Gia hạn"),
        (QueueKind.OBSTACLE, "Vướng mắc"),
        (QueueKind.REPORT, "Báo cáo"),
    ]
    assert response.text.count(">Mới<") == 1  # only the report of 14:00
    assert "60%" in response.text
    assert "40%" not in response.text


def test_the_queue_defaults_to_what_i_follow_and_all_is_one_click_away(
    office_user, colleague, lead_focal, lead_agency, office_agency
):
    office_day(lead_focal, colleague)
    document = Document.objects.create(
        symbol="57-NQ/TW", doc_type=DocumentType.RESOLUTION, issuer_code="TW",
        issued_on=TODAY - 300 * DAY, title="Về đột phá khoa học", follower=office_user,
        issuing_body=office_agency,
    )  # fmt: skip
    mine = make_task("Theo văn bản", lead_agency, document=document)
    services.obstacle_raise(lead_focal, mine, text="Chưa rõ đầu mối")
    client = signed_in(office_user)
    response = client.get(QUEUE)
    assert kinds_and_titles(response) == [(QueueKind.OBSTACLE, "Theo văn bản")]
    assert "Việc tôi theo dõi" in response.text
    everything = client.get(QUEUE, {"scope": "all"})
    assert len(kinds_and_titles(everything)) == 5
    assert client.get(QUEUE, {"scope": "all", "document": document.pk}).context["total"] == 1
    by_kind = client.get(QUEUE, {"scope": "all", "kind": "extension"})
    assert kinds_and_titles(by_kind) == [(QueueKind.EXTENSION, "Gia hạn")]


def test_filter_by_agency(office_user, lead_focal, other_focal):
    office_day(lead_focal, office_user)
    other = make_task("Hà Nội", other_focal.agency, office_user)
    services.obstacle_raise(other_focal, other, text="Vướng mắc của Hà Nội")
    client = signed_in(office_user)
    assert len(kinds_and_titles(client.get(QUEUE))) == 5
    only = client.get(QUEUE, {"agency": "HANOI"})
    assert kinds_and_titles(only) == [(QueueKind.OBSTACLE, "Hà Nội")]


def test_acting_inline_accepts_decides_and_answers_each_row(office_user, lead_focal):
    tasks = office_day(lead_focal, office_user)
    client = signed_in(office_user)
    items = {item.kind: item for item, _f in client.get(QUEUE).context["items"]}

    def act(kind: QueueKind, verb: str, **data):
        url = reverse("tracking:queue_act", args=[kind, items[kind].subject.pk, verb])
        return client.post(url, data, headers=HTMX)

    accepted = act(QueueKind.COMPLETION, "accept")
    assert "Đã xác nhận hoàn thành nhiệm vụ." in accepted.text
    assert Task.objects.get(pk=tasks["Hoàn thành"].pk).accepted_on == TODAY

    refused = act(QueueKind.EXTENSION, "decide", decision="refuse", reason="")
    assert "Cần nêu lý do không đồng ý gia hạn." in refused.text  # the row again, with why
    assert tasks["Gia hạn"].extensions.get().decision == Decision.PENDING
    approved = act(QueueKind.EXTENSION, "decide", decision="approve", reason="Đồng ý")
    assert "Đã đồng ý gia hạn đến ngày 25/01/2027." in approved.text
    assert Task.objects.get(pk=tasks["Gia hạn"].pk).extended_due_on == TODAY + 60 * DAY

    answered = act(QueueKind.OBSTACLE, "answer", answer="Đã đề nghị Ban Tài chính bố trí")
    assert "Đã trả lời vướng mắc, kiến nghị." in answered.text
    assert tasks["Vướng mắc"].obstacles.get().answered_by == office_user

    left = kinds_and_titles(client.get(QUEUE))
    assert left == [(QueueKind.REPORT, "Báo cáo")]


def test_return_needs_a_reason_and_keeps_what_was_typed(office_user, lead_focal):
    tasks = office_day(lead_focal, office_user)
    client = signed_in(office_user)
    item = next(i for i, _f in client.get(QUEUE).context["items"] if i.kind == "completion")
    url = reverse("tracking:queue_act", args=["completion", item.subject.pk, "return"])
    empty = client.post(url, {"reason": " "}, headers=HTMX)
    assert "This field is required" not in empty.text
    assert "Trường này là bắt buộc" in empty.text or "Cần nêu lý do" in empty.text
    assert Task.objects.get(pk=tasks["Hoàn thành"].pk).reported_done_on == TODAY
    returned = client.post(url, {"reason": "Thiếu sản phẩm"}, headers=HTMX)
    assert "Đã trả lại báo cáo hoàn thành" in returned.text
    assert Task.objects.get(pk=tasks["Hoàn thành"].pk).reported_done_on is None


def test_an_item_someone_else_handled_answers_so_instead_of_acting_twice(
    office_user, colleague, lead_focal
):
    office_day(lead_focal, office_user)
    client = signed_in(office_user)
    item = next(i for i, _f in client.get(QUEUE).context["items"] if i.kind == "obstacle")
    services.obstacle_answer(colleague, item.subject, answer="Đã trả lời trước")
    url = reverse("tracking:queue_act", args=["obstacle", item.subject.pk, "answer"])
    response = client.post(url, {"answer": "Lần hai"}, headers=HTMX)
    assert "Việc này đã được xử lý" in response.text
    item.subject.refresh_from_db()
    assert item.subject.answer == "Đã trả lời trước"


def test_an_escalation_a_colleague_made_first_is_refused_in_the_row_not_a_403(
    office_user, colleague, lead_focal, monkeypatch
):
    """The colleague escalated it after this row was looked up and before the service's claim
    (a race): the row says why, as the other refusals by state do."""
    office_day(lead_focal, office_user)
    client = signed_in(office_user)
    item = next(i for i, _f in client.get(QUEUE).context["items"] if i.kind == "obstacle")
    real = services.obstacle_escalate

    def colleague_first(actor, obstacle):
        real(colleague, obstacle)
        return real(actor, obstacle)

    monkeypatch.setattr(services, "obstacle_escalate", colleague_first)
    url = reverse("tracking:queue_act", args=["obstacle", item.subject.pk, "escalate"])
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    assert "không có vướng mắc nào đang chờ trả lời" in response.text


def test_escalated_obstacle_goes_to_the_leaders_queue_who_answers_it(
    office_user, leader, lead_focal
):
    office_day(lead_focal, office_user)
    client = signed_in(office_user)
    item = next(i for i, _f in client.get(QUEUE).context["items"] if i.kind == "obstacle")
    url = reverse("tracking:queue_act", args=["obstacle", item.subject.pk, "escalate"])
    assert "Đã báo cáo lãnh đạo" in client.post(url, headers=HTMX).text
    leaders = signed_in(leader)
    response = leaders.get(QUEUE)
    assert kinds_and_titles(response) == [(QueueKind.ESCALATED, "Vướng mắc")]
    answer = reverse("tracking:queue_act", args=["escalated", item.subject.pk, "answer"])
    assert "Đã trả lời" in leaders.post(answer, {"answer": "Đồng ý bố trí"}, headers=HTMX).text
    item.subject.refresh_from_db()
    assert item.subject.level == ObstacleLevel.LEADER
    assert item.subject.answered_by == leader
    # A leader does not decide the office's matters, even by a hand-made POST.
    extension = next(i for i, _f in client.get(QUEUE).context["items"] if i.kind == "extension")
    decide = reverse("tracking:queue_act", args=["extension", extension.subject.pk, "decide"])
    assert leaders.post(decide, {"decision": "approve"}, headers=HTMX).status_code == 403
    assert extension.subject.task.extensions.get().decision == Decision.PENDING


def test_agencies_and_inspectors_have_no_queue(lead_focal, inspector, office_user):
    office_day(lead_focal, office_user)
    assert signed_in(lead_focal).get(QUEUE).status_code == 403
    assert signed_in(inspector).get(QUEUE).status_code == 403
    item_url = reverse("tracking:queue_act", args=["obstacle", 1, "answer"])
    assert signed_in(lead_focal).post(item_url, {"answer": "x"}).status_code == 403


def test_a_task_above_the_users_clearance_stays_out_of_the_queue(office_agency, lead_agency):
    cleared_low = make_user("chuyenvien3", office_agency, RoleCode.OFFICE)
    focal = make_user("daumoi2", lead_agency, RoleCode.FOCAL, clearance=Clearance.SECRET)
    task = make_task("Mật", lead_agency, classification=Clearance.SECRET)
    services.obstacle_raise(focal, task, text="Vướng mắc mật")
    response = signed_in(cleared_low).get(QUEUE, {"scope": "all"})
    assert kinds_and_titles(response) == []
    assert "Vướng mắc mật" not in response.text


def test_the_menu_counts_my_items(office_user, lead_focal):
    office_day(lead_focal, office_user)
    client = signed_in(office_user)
    assert 'hx-get="/queue/badge/"' in client.get(reverse("home:home")).text
    badge = client.get(reverse("tracking:queue_badge"))
    assert ">4</span>" in badge.text


# The page's frame (session, user, roles, the header's agency), the visit mark, one query per
# kind for the rows and one count per kind, and the ids of completions awaiting acceptance (for
# the rows and for their count): 15, and it does not grow with the rows.
QUEUE_QUERIES = 15


def test_queue_query_count_does_not_grow_with_items(
    office_user, lead_focal, django_assert_max_num_queries
):
    office_day(lead_focal, office_user)
    client = signed_in(office_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)
    few = len(queries.captured_queries)
    assert few <= QUEUE_QUERIES
    for _round in range(5):
        office_day(lead_focal, office_user)
    with django_assert_max_num_queries(few):
        response = client.get(QUEUE)
    assert len(response.context["items"]) == 24


def test_the_office_assigns_who_follows_a_task_and_a_document(
    office_user, colleague, lead_focal, lead_agency, office_agency
):
    task = make_task("Phân công", lead_agency)
    client = signed_in(office_user)
    page = client.get(reverse("tracking:task_detail", args=[task.pk]))
    assert "Phân công chuyên viên theo dõi" in page.text
    client.post(reverse("tracking:task_follower", args=[task.pk]), {"follower": colleague.pk})
    task.refresh_from_db()
    assert task.follower == colleague
    refused = client.post(
        reverse("tracking:task_follower", args=[task.pk]), {"follower": lead_focal.pk}
    )
    assert "Select a valid choice" not in refused.text
    task.refresh_from_db()
    assert task.follower == colleague  # a focal point cannot follow work for the office
    assert (
        signed_in(lead_focal)
        .post(reverse("tracking:task_follower", args=[task.pk]), {"follower": lead_focal.pk})
        .status_code
        == 403
    )
    document = Document.objects.create(
        symbol="45-CT/TW", doc_type=DocumentType.DIRECTIVE, issuer_code="TW",
        issued_on=TODAY - 100 * DAY, title="Về phòng chống", issuing_body=office_agency,
    )  # fmt: skip
    client.post(
        reverse("tracking:document_follower", args=[document.pk]), {"follower": office_user.pk}
    )
    document.refresh_from_db()
    assert document.follower == office_user


def test_counts_stop_at_a_limit_and_say_so(office_user, lead_focal, monkeypatch):
    monkeypatch.setattr("dondoc.tracking.queue.COUNT_LIMIT", 2)
    monkeypatch.setattr("dondoc.tracking.views.queue.COUNT_LIMIT", 2)
    for _round in range(3):
        office_day(lead_focal, office_user)
    page = signed_in(office_user).get(QUEUE).text
    assert "Báo cáo tiến độ mới (2+)" in page
    assert "Tất cả (8+)" in page  # four kinds, each counted up to 2


def followed_document(office_agency, follower=None) -> Document:
    return Document.objects.create(
        symbol="18-NQ/TW", doc_type=DocumentType.RESOLUTION, issuer_code="TW", follower=follower,
        issued_on=TODAY - 200 * DAY, title="Về tinh gọn bộ máy", issuing_body=office_agency,
    )  # fmt: skip


def mine(user) -> set[str]:
    return {title for _kind, title in kinds_and_titles(signed_in(user).get(QUEUE))}


def test_a_documents_new_follower_takes_its_tasks_that_name_none(
    office_user, colleague, lead_focal, lead_agency, office_agency
):
    document = followed_document(office_agency, follower=colleague)
    plain = services.task_create(
        office_user, title="Theo văn bản", lead_agency=lead_agency, document=document,
        due_on=TODAY + 30 * DAY,
    )  # fmt: skip
    own = make_task("Có người theo dõi riêng", lead_agency, follower=colleague, document=document)
    for task in (plain, own):
        services.obstacle_raise(lead_focal, task, text="Chưa rõ")
    assert mine(colleague) == {"Theo văn bản", "Có người theo dõi riêng"}  # new task: document's
    assert mine(office_user) == set()

    signed_in(office_user).post(
        reverse("tracking:document_follower", args=[document.pk]), {"follower": office_user.pk}
    )
    assert mine(office_user) == {"Theo văn bản"}
    assert mine(colleague) == {"Có người theo dõi riêng"}

    services.task_follower_set(office_user, own, None)  # back to the document's follower
    assert mine(office_user) == {"Theo văn bản", "Có người theo dõi riêng"}
    services.document_follower_set(office_user, document, None)
    assert mine(office_user) == set()
    assert len(kinds_and_titles(signed_in(office_user).get(QUEUE, {"scope": "all"}))) == 2


def test_a_documents_follower_change_costs_the_same_for_many_tasks(
    office_user, colleague, lead_agency, office_agency, django_assert_max_num_queries
):
    document = followed_document(office_agency)
    make_task("Một", lead_agency, document=document)
    # The actor's and the follower's roles, the document, its tasks (one UPDATE), the audit
    # entry (chain head, insert), savepoints: the same for 1 task as for 21.
    with django_assert_max_num_queries(FOLLOWER_QUERIES):
        services.document_follower_set(office_user, document, colleague)
    for n in range(20):
        make_task(f"Nhiệm vụ {n}", lead_agency, document=document)
    with django_assert_max_num_queries(FOLLOWER_QUERIES):
        services.document_follower_set(office_user, document, office_user)
    assert Task.objects.filter(followed_by=office_user).count() == 21


FOLLOWER_QUERIES = 12


def test_the_migration_fills_who_follows_each_task(
    office_user, colleague, lead_agency, office_agency
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("dondoc.tracking.migrations.0012_task_followed_by")
    document = followed_document(office_agency, follower=office_user)
    by_document = make_task("Theo văn bản", lead_agency, document=document)
    own = make_task("Riêng", lead_agency, follower=colleague, document=document)
    nobody = make_task("Chưa ai", lead_agency)
    Task.objects.update(followed_by=None)  # as before the column existed
    migration.fill_followed_by(apps, None)
    followed = dict(Task.objects.values_list("pk", "followed_by"))
    assert followed == {by_document.pk: office_user.pk, own.pk: colleague.pk, nobody.pk: None}
