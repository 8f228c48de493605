"""One rule for what may happen to a task (`tracking.access.task_actions`), and every door
agrees with it.

The walk: every role (office, administrator, leader, inspector; focal point and head of the
lead agency, of a coordinating agency and of an unrelated agency), by every derived status,
by whether requests wait on the task (a pending extension, open obstacles at both levels), by
every `TaskAction`. For each, the task page draws the action's forms exactly when the rule allows
it, the API's `permissions` lists exactly the allowed set, and the action's services run when
it is allowed and raise `TaskActionRefused` with the rule's reason when it is not. The walk
iterates the enums: a new action or status that this file does not know fails it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dondoc.accounts.models import Clearance, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.api.services import token_create
from dondoc.tracking import services
from dondoc.tracking.access import (
    TaskAction,
    TaskActionRefused,
    task_action_refusal,
    task_actions,
)
from dondoc.tracking.error_codes import TrackingErrorCode as Code
from dondoc.tracking.models import (
    Coordination,
    DeadlineKind,
    Decision,
    Extension,
    Obstacle,
    ObstacleLevel,
    Task,
)
from dondoc.tracking.status import TaskStatus, status_of
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coord_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTGDVTW", name="Ban Tuyên giáo và Dân vận Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


@pytest.fixture
def stranger_agency(db) -> Agency:
    return Agency.objects.create(code="QNINH", name="Tỉnh ủy Quảng Ninh", kind=AgencyKind.PROVINCE)


# Every kind of user, by how they stand to the task (led by BTCTW, coordinated by BTGDVTW).
ACTORS: dict[str, Callable[[Any], User]] = {
    "office": lambda r: r.getfixturevalue("office_user"),
    "admin": lambda r: r.getfixturevalue("admin_user"),
    "leader": lambda r: r.getfixturevalue("leader"),
    "inspector": lambda r: r.getfixturevalue("inspector"),
    "lead_focal": lambda r: r.getfixturevalue("lead_focal"),
    "lead_head": lambda r: make_user("truong.btctw", r.getfixturevalue("lead_agency"), "head"),
    "coord_focal": lambda r: make_user("daumoi.btgd", r.getfixturevalue("coord_agency"), "focal"),
    "coord_head": lambda r: make_user("truong.btgd", r.getfixturevalue("coord_agency"), "head"),
    "stranger_focal": lambda r: make_user(
        "daumoi.qn", r.getfixturevalue("stranger_agency"), "focal"
    ),
    "stranger_head": lambda r: make_user("truong.qn", r.getfixturevalue("stranger_agency"), "head"),
}

# The facts that make each derived status on TODAY.
STATUS_FACTS: dict[TaskStatus, dict[str, Any]] = {
    TaskStatus.OPEN_ON_TIME: {"due_on": TODAY + 30 * DAY},
    TaskStatus.DUE_SOON: {"due_on": TODAY + 3 * DAY},
    TaskStatus.OVERDUE: {"due_on": TODAY - 5 * DAY},
    TaskStatus.AWAITING_ACCEPTANCE: {"due_on": TODAY + 30 * DAY, "reported_done_on": TODAY - DAY},
    TaskStatus.DONE_ON_TIME: {
        "due_on": TODAY + 30 * DAY, "reported_done_on": TODAY - 2 * DAY, "accepted_on": TODAY - DAY,
    },
    TaskStatus.DONE_LATE: {
        "due_on": TODAY - 10 * DAY, "reported_done_on": TODAY - 2 * DAY, "accepted_on": TODAY - DAY,
    },
    TaskStatus.ONGOING: {"deadline_kind": DeadlineKind.ONGOING, "due_on": None},
    TaskStatus.CANCELLED: {"due_on": TODAY + 30 * DAY, "cancelled_on": TODAY - DAY},
}  # fmt: skip

WAITING = ("nothing_waits", "requests_wait")


@dataclass
class Situation:
    """A task in one status, with an extension and an obstacle of each level to act on: pending
    and open when requests wait, else already decided and answered."""

    task: Task
    extension: Extension
    office_obstacle: Obstacle
    leader_obstacle: Obstacle
    other: Task  # a task it may be made to wait for


def situation(status: TaskStatus, waiting: str, lead: Agency, coord: Agency) -> Situation:
    task = Task.objects.create(
        title="Xây dựng kế hoạch triển khai", lead_agency=lead, created_on=TODAY - 60 * DAY,
        expected_product="Kế hoạch", **STATUS_FACTS[status],
    )  # fmt: skip
    assert status_of(task, TODAY) == status
    Coordination.objects.create(task=task, agency=coord)
    waits = waiting == "requests_wait"
    extension = Extension.objects.create(
        task=task, requested_on=TODAY - 3 * DAY, previous_due_on=TODAY, reason="Chờ số liệu",
        requested_due_on=TODAY + 90 * DAY,
        **({} if waits else {"decision": Decision.REFUSED, "decided_on": TODAY - 2 * DAY}),
    )  # fmt: skip
    answered = {} if waits else {"answer": "Đã xử lý", "answered_on": TODAY - 2 * DAY}
    obstacles = [
        Obstacle.objects.create(
            task=task,
            agency=lead,
            raised_on=TODAY - 3 * DAY,
            text="Thiếu kinh phí",
            level=level,
            **answered,
        )
        for level in (ObstacleLevel.OFFICE, ObstacleLevel.LEADER)
    ]
    other = Task.objects.create(
        title="Việc phải chờ", lead_agency=lead, due_on=TODAY + 10 * DAY, created_on=TODAY
    )
    return Situation(task, extension, *obstacles, other)


# What each action's services are, called as a user would.
ServiceCall = Callable[[User, Situation], object]
SERVICES: dict[TaskAction, list[ServiceCall]] = {
    TaskAction.VIEW: [],
    TaskAction.EDIT: [
        lambda u, s: services.task_update(u, s.task, version=s.task.version, title="Tên mới"),
        lambda u, s: services.task_cancel(u, s.task, reason="Đã lồng ghép vào việc khác"),
        lambda u, s: services.task_dependency_add(u, s.task, s.other),
    ],
    TaskAction.REPORT: [
        lambda u, s: services.task_report_progress(u, s.task, percent=40, narrative="Đã dự thảo"),
    ],
    TaskAction.FINAL_REPORT: [
        lambda u, s: services.task_report_progress(
            u, s.task, percent=100, narrative="Đã ban hành", is_final=True, product="Kế hoạch 12"
        ),
    ],
    TaskAction.ACCEPT: [
        lambda u, s: services.task_accept(u, s.task),
        lambda u, s: services.task_return(u, s.task, reason="Chưa có sản phẩm"),
    ],
    TaskAction.REQUEST_EXTENSION: [
        lambda u, s: services.extension_request(
            u, s.task, requested_due_on=TODAY + 200 * DAY, reason="Chờ ý kiến các bộ"
        ),
    ],
    TaskAction.DECIDE_EXTENSION: [
        lambda u, s: services.extension_decide(u, s.extension, approve=True, reason="Hợp lý"),
    ],
    TaskAction.RAISE_OBSTACLE: [
        lambda u, s: services.obstacle_raise(u, s.task, text="Chưa thống nhất phương án"),
    ],
    TaskAction.ANSWER_OBSTACLE: [
        lambda u, s: services.obstacle_answer(u, s.office_obstacle, answer="Đã bố trí"),
        lambda u, s: services.obstacle_escalate(u, s.office_obstacle),
    ],
    TaskAction.ANSWER_ESCALATED_OBSTACLE: [
        lambda u, s: services.obstacle_answer(u, s.leader_obstacle, answer="Đồng ý chủ trương"),
    ],
}


def _form(name: str, task: Task, *args: int) -> str:
    return f'action="{reverse(f"tracking:{name}", args=[task.pk, *args])}"'


# What of each action the task page draws.
PAGE_MARKS: dict[TaskAction, Callable[[Situation], list[str]]] = {
    TaskAction.VIEW: lambda s: [],  # the page itself opens (checked on its own)
    TaskAction.EDIT: lambda s: [
        f'href="{reverse("tracking:task_edit", args=[s.task.pk])}"',
        _form("task_cancel", s.task),
        _form("dependency_add", s.task),
    ],
    TaskAction.REPORT: lambda s: [_form("task_report", s.task)],
    TaskAction.FINAL_REPORT: lambda s: ['name="is_final"'],
    TaskAction.ACCEPT: lambda s: [_form("task_accept", s.task), _form("task_return", s.task)],
    TaskAction.REQUEST_EXTENSION: lambda s: [_form("extension_request", s.task)],
    TaskAction.DECIDE_EXTENSION: lambda s: [_form("extension_decide", s.task, s.extension.pk)],
    TaskAction.RAISE_OBSTACLE: lambda s: [_form("obstacle_raise", s.task)],
    TaskAction.ANSWER_OBSTACLE: lambda s: [
        _form("obstacle_answer", s.task, s.office_obstacle.pk),
        _form("obstacle_escalate", s.task, s.office_obstacle.pk),
    ],
    TaskAction.ANSWER_ESCALATED_OBSTACLE: lambda s: [
        _form("obstacle_answer", s.task, s.leader_obstacle.pk)
    ],
}


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(user, name="tests")[1])


def _page_agrees(user: User, s: Situation, allowed: frozenset[TaskAction]) -> None:
    response = signed_in(user).get(reverse("tracking:task_detail", args=[s.task.pk]))
    if TaskAction.VIEW not in allowed:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    for action in TaskAction:
        for mark in PAGE_MARKS[action](s):
            assert (mark in response.text) == (action in allowed), (action, mark)


def _api_agrees(user: User, s: Situation, allowed: frozenset[TaskAction]) -> None:
    response = _api(user).get(f"tasks/{s.task.pk}")
    if TaskAction.VIEW not in allowed:
        assert response.status_code == 404
        return
    assert response.json()["permissions"] == sorted(allowed)


def _services_agree(
    user: User, make: Callable[[], Situation], s: Situation, allowed: frozenset[TaskAction]
) -> None:
    # Refusals first: they write nothing, so one situation serves them all.
    for action in set(TaskAction) - allowed:
        reason = task_action_refusal(user, s.task, action, TODAY)
        assert reason is not None
        for call in SERVICES[action]:
            with pytest.raises(TaskActionRefused) as refused:
                call(user, s)
            assert (refused.value.action, refused.value.code) == (action, reason)
    # Each allowed call changes the task: each gets a situation of its own.
    for action in allowed:
        assert task_action_refusal(user, s.task, action, TODAY) is None
        for call in SERVICES[action]:
            call(user, make())


@pytest.mark.parametrize("waiting", WAITING)
@pytest.mark.parametrize("status", list(TaskStatus))
@pytest.mark.parametrize("actor", list(ACTORS))
def test_page_api_and_services_agree_with_the_rule(
    request, lead_agency, coord_agency, stranger_agency, actor, status, waiting
):
    user = ACTORS[actor](request)

    def make() -> Situation:
        return situation(status, waiting, lead_agency, coord_agency)

    s = make()
    allowed = task_actions(user, s.task, TODAY)
    _page_agrees(user, s, allowed)
    _api_agrees(user, s, allowed)
    _services_agree(user, make, s, allowed)


# What the rule says, in the words of the people who use it ---------------------------------


def _actions(request, actor: str, status: TaskStatus, waiting: str = "requests_wait") -> set:
    s = situation(
        status, waiting, request.getfixturevalue("lead_agency"),
        request.getfixturevalue("coord_agency"),
    )  # fmt: skip
    return set(task_actions(ACTORS[actor](request), s.task, TODAY))


@pytest.mark.parametrize("actor", ["office", "leader", "lead_focal", "coord_focal"])
def test_a_cancelled_task_can_only_be_read(request, coord_agency, actor):
    assert _actions(request, actor, TaskStatus.CANCELLED) == {TaskAction.VIEW}


@pytest.mark.parametrize("status", [TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE])
def test_an_accepted_task_takes_no_report_extension_or_obstacle_but_open_questions_get_answers(
    request, coord_agency, status
):
    assert _actions(request, "lead_focal", status) == {TaskAction.VIEW}
    assert _actions(request, "coord_focal", status) == {TaskAction.VIEW}
    assert _actions(request, "office", status) == {TaskAction.VIEW, TaskAction.ANSWER_OBSTACLE}
    assert _actions(request, "leader", status) == {
        TaskAction.VIEW, TaskAction.ANSWER_ESCALATED_OBSTACLE,
    }  # fmt: skip


def test_while_completion_awaits_acceptance_the_office_decides_and_the_lead_waits(
    request, coord_agency
):
    office = _actions(request, "office", TaskStatus.AWAITING_ACCEPTANCE)
    assert {TaskAction.ACCEPT, TaskAction.DECIDE_EXTENSION} <= office
    lead = _actions(request, "lead_focal", TaskStatus.AWAITING_ACCEPTANCE)
    assert lead == {TaskAction.VIEW, TaskAction.RAISE_OBSTACLE}


@pytest.mark.parametrize("status", [TaskStatus.OPEN_ON_TIME, TaskStatus.OVERDUE])
def test_acceptance_and_decisions_need_something_to_decide(request, coord_agency, status):
    assert TaskAction.ACCEPT not in _actions(request, "office", status)
    assert _actions(request, "office", status, "nothing_waits") == {
        TaskAction.VIEW,
        TaskAction.EDIT,
    }
    lead = _actions(request, "lead_focal", status, "nothing_waits")
    assert TaskAction.REQUEST_EXTENSION in lead
    assert TaskAction.REQUEST_EXTENSION not in _actions(request, "lead_focal", status)  # pending


def test_an_ongoing_task_has_no_deadline_to_extend(request, coord_agency):
    lead = _actions(request, "lead_focal", TaskStatus.ONGOING, "nothing_waits")
    assert lead == {
        TaskAction.VIEW, TaskAction.REPORT, TaskAction.FINAL_REPORT, TaskAction.RAISE_OBSTACLE,
    }  # fmt: skip


def test_a_task_classified_above_the_users_clearance_allows_them_nothing(
    office_user, lead_focal, lead_agency
):
    task = Task.objects.create(
        title="Việc", lead_agency=lead_agency, due_on=TODAY + 9 * DAY, created_on=TODAY,
        classification=Clearance.TOP_SECRET,
    )  # fmt: skip
    assert task_actions(office_user, task, TODAY) == frozenset()  # office clearance: Mật
    assert task_actions(lead_focal, task, TODAY) == frozenset()
    with pytest.raises(TaskActionRefused) as refused:
        services.obstacle_raise(lead_focal, task, text="Vướng")
    assert refused.value.code == Code.NOT_ALLOWED


def test_every_action_is_allowed_to_someone_somewhere(request, coord_agency, stranger_agency):
    allowed: set[TaskAction] = set()
    for actor in ("office", "leader", "lead_focal"):
        for status in TaskStatus:
            for waiting in WAITING:
                allowed |= _actions(request, actor, status, waiting)
    assert allowed == set(TaskAction)


# The cases that were wrong before, through the doors users use ----------------------------


@pytest.fixture
def cancelled(lead_agency, coord_agency) -> Situation:
    return situation(TaskStatus.CANCELLED, "nothing_waits", lead_agency, coord_agency)


@pytest.fixture
def accepted(lead_agency, coord_agency) -> Situation:
    return situation(TaskStatus.DONE_ON_TIME, "nothing_waits", lead_agency, coord_agency)


def test_api_refuses_an_obstacle_or_extension_on_a_cancelled_task_with_409(lead_focal, cancelled):
    client = _api(lead_focal)
    pk = cancelled.task.pk
    obstacle = client.post(f"tasks/{pk}/obstacles", {"text": "Thiếu kinh phí"})
    extension = client.post(
        f"tasks/{pk}/extensions", {"requested_due_on": "2027-06-30", "reason": "Chờ số liệu"}
    )
    for response in (obstacle, extension):
        assert (response.status_code, response.json()["code"]) == (409, Code.TASK_CANCELLED)
        assert "hủy" in response.json()["message"]
    assert Obstacle.objects.filter(task=cancelled.task).count() == 2  # the situation's own
    assert Extension.objects.filter(task=cancelled.task).count() == 1


def test_page_refuses_a_hand_made_obstacle_on_a_cancelled_task(lead_focal, cancelled):
    url = reverse("tracking:obstacle_raise", args=[cancelled.task.pk])
    response = signed_in(lead_focal).post(url, {"text": "Thiếu kinh phí", "proposal": ""})
    assert response.status_code == 409
    assert "Nhiệm vụ đã được hủy, điều chỉnh: không nhận thêm thao tác nào." in response.text
    assert Obstacle.objects.filter(task=cancelled.task).count() == 2


def test_api_lists_and_refuses_alike_on_an_accepted_task(lead_focal, accepted):
    client = _api(lead_focal)
    pk = accepted.task.pk
    assert client.get(f"tasks/{pk}").json()["permissions"] == ["view"]
    report = client.post(f"tasks/{pk}/reports", {"percent": 100, "narrative": "Bổ sung"})
    obstacle = client.post(f"tasks/{pk}/obstacles", {"text": "Thiếu kinh phí"})
    for response in (report, obstacle):
        assert (response.status_code, response.json()["code"]) == (409, Code.TASK_CLOSED)
    assert not accepted.task.reports.exists()


def test_a_role_that_never_may_is_still_forbidden_not_conflicted(inspector, lead_agency):
    task = Task.objects.create(
        title="Việc", lead_agency=lead_agency, due_on=TODAY + 9 * DAY, created_on=TODAY
    )
    response = _api(inspector).post(f"tasks/{task.pk}/obstacles", {"text": "Vướng"})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_inbox_row_of_a_task_closed_meanwhile_says_why_instead_of_a_form(lead_focal, lead_agency):
    task = Task.objects.create(
        title="Việc", lead_agency=lead_agency, due_on=TODAY + 9 * DAY, created_on=TODAY
    )
    client = signed_in(lead_focal)
    Task.objects.filter(pk=task.pk).update(cancelled_on=TODAY)
    url = reverse("tracking:inbox_report", args=[task.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Nhiệm vụ đã được hủy" in response.text
    assert 'name="percent"' not in response.text


def test_an_accepted_task_is_a_closed_record_for_the_office_too(office_user, accepted):
    client = signed_in(office_user)
    response = client.get(reverse("tracking:task_edit", args=[accepted.task.pk]))
    assert response.status_code == 409
    assert "Nhiệm vụ đã được xác nhận hoàn thành" in response.text
    page = client.get(reverse("tracking:task_detail", args=[accepted.task.pk]))
    assert reverse("tracking:task_edit", args=[accepted.task.pk]) not in page.text
