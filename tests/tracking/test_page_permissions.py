"""Who may do what on a task, over HTTP, as `tracking/access.py` says.

A task the user may not see answers 404 on its page and on every action URL, so nothing of
another agency can be found by guessing; a task they see but may not act on answers 403; an
allowed page opens (200) and an allowed action is done and leads back to the task (302).
Refused requests change nothing.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dondoc.accounts.models import RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.tracking.models import (
    Coordination,
    Extension,
    Obstacle,
    ObstacleLevel,
    ProgressReport,
    Task,
)
from tests.agencies.conftest import signed_in
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
def coord_focal(coord_agency) -> User:
    return make_user("daumoi.btgdvtw", coord_agency, RoleCode.FOCAL)


@pytest.fixture
def task(lead_agency, coord_agency, other_agency) -> Task:
    """Led by BTCTW with BTGDVTW coordinating; HANOI has nothing to do with it."""
    task = Task.objects.create(
        title="Xây dựng kế hoạch triển khai Nghị quyết",
        lead_agency=lead_agency,
        due_on=TODAY + 20 * DAY,
        created_on=TODAY - 30 * DAY,
        expected_product="Kế hoạch",
    )
    Coordination.objects.create(task=task, agency=coord_agency)
    return task


def url(name: str, task: Task, *args: int) -> str:
    return reverse(f"tracking:{name}", args=[task.pk, *args])


def _extension(task: Task) -> Extension:
    return Extension.objects.create(
        task=task, requested_on=TODAY, previous_due_on=task.due_on,
        requested_due_on=TODAY + 60 * DAY, reason="Chờ ý kiến các bộ",
    )  # fmt: skip


def _obstacle(task: Task, level: str = ObstacleLevel.OFFICE) -> Obstacle:
    return Obstacle.objects.create(
        task=task, agency=task.lead_agency, raised_on=TODAY, text="Thiếu kinh phí", level=level
    )


def nothing(task: Task) -> None:
    return None


def reported_done(task: Task) -> None:
    Task.objects.filter(pk=task.pk).update(reported_done_on=TODAY - DAY)


def another_task(task: Task) -> Task:
    return Task.objects.create(
        title="Việc phải chờ", lead_agency=task.lead_agency, due_on=TODAY, created_on=TODAY
    )


def view(client: Client, task: Task, _: object):
    return client.get(url("task_detail", task))


def edit(client: Client, task: Task, _: object):
    return client.get(url("task_edit", task))


def report(client: Client, task: Task, _: object = None):
    return client.post(url("task_report", task), {"percent": 40, "narrative": "Đã dự thảo"})


def final_report(client: Client, task: Task, _: object = None):
    return client.post(
        url("task_report", task),
        {"percent": 100, "narrative": "Đã ban hành", "is_final": "on", "product": "Kế hoạch 12"},
    )


def inline_report(client: Client, task: Task, _: object):
    return client.post(
        url("inbox_report", task),
        {"percent": 40, "narrative": "Đã dự thảo"},
        headers={"HX-Request": "true"},
    )


def accept(client: Client, task: Task, _: object):
    return client.post(url("task_accept", task))


def return_report(client: Client, task: Task, _: object):
    return client.post(url("task_return", task), {"reason": "Chưa có sản phẩm"})


def request_extension(client: Client, task: Task, _: object):
    return client.post(
        url("extension_request", task), {"requested_due_on": "2027-01-31", "reason": "Chờ số liệu"}
    )


def decide_extension(client: Client, task: Task, extension: Extension):
    return client.post(
        url("extension_decide", task, extension.pk), {"decision": "approve", "reason": ""}
    )


def raise_obstacle(client: Client, task: Task, _: object):
    return client.post(url("obstacle_raise", task), {"text": "Thiếu kinh phí", "proposal": ""})


def answer_obstacle(client: Client, task: Task, obstacle: Obstacle):
    return client.post(url("obstacle_answer", task, obstacle.pk), {"answer": "Đã bố trí"})


def escalate_obstacle(client: Client, task: Task, obstacle: Obstacle):
    return client.post(url("obstacle_escalate", task, obstacle.pk))


def cancel(client: Client, task: Task, _: object):
    return client.post(url("task_cancel", task), {"reason": "Đã lồng ghép vào nhiệm vụ khác"})


def add_dependency(client: Client, task: Task, other: Task):
    return client.post(url("dependency_add", task), {"waits_for": other.pk})


def leader_obstacle(task: Task) -> Obstacle:
    return _obstacle(task, ObstacleLevel.LEADER)


# action: (what must exist first, the request)
ACTIONS: dict[str, tuple[Callable, Callable]] = {
    "view": (nothing, view),
    "edit": (nothing, edit),
    "report": (nothing, report),
    "final_report": (nothing, final_report),
    "inline_report": (nothing, inline_report),
    "accept": (reported_done, accept),
    "return": (reported_done, return_report),
    "request_extension": (nothing, request_extension),
    "decide_extension": (_extension, decide_extension),
    "raise_obstacle": (nothing, raise_obstacle),
    "answer_obstacle": (_obstacle, answer_obstacle),
    "escalate_obstacle": (_obstacle, escalate_obstacle),
    "answer_escalated": (leader_obstacle, answer_obstacle),
    "cancel": (nothing, cancel),
    "add_dependency": (another_task, add_dependency),
}


OK, FORBIDDEN, HIDDEN = "ok", 403, 404
ALLOWED = {
    "office_user": {
        "view", "edit", "accept", "return", "decide_extension", "answer_obstacle",
        "escalate_obstacle", "cancel", "add_dependency",
    },
    "leader": {"view", "answer_escalated"},
    "inspector": {"view"},
    "lead_focal": {
        "view", "report", "final_report", "inline_report", "request_extension", "raise_obstacle",
    },
    "coord_focal": {"view", "report", "inline_report", "raise_obstacle"},
    "other_focal": set(),  # an unrelated agency: the task does not exist for them
}  # fmt: skip
# The inbox is for agency staff: the rule of the page (403) comes before the task's (404).
PAGE_RULE = {("office_user", "inline_report"), ("leader", "inline_report"),
             ("inspector", "inline_report")}  # fmt: skip


def expected(actor: str, action: str) -> object:
    if action in ALLOWED[actor]:
        return OK
    if actor == "other_focal" and (actor, action) not in PAGE_RULE:
        return HIDDEN
    return FORBIDDEN


MATRIX = [
    pytest.param(actor, action, expected(actor, action), id=f"{actor}-{action}")
    for actor in ALLOWED
    for action in ACTIONS
]


def changes() -> tuple:
    """What a refused request must leave as it was."""
    return (
        AuditEntry.objects.count(),
        ProgressReport.objects.count(),
        Extension.objects.exclude(decision="pending").count(),
        Obstacle.objects.filter(answered_on__isnull=False).count(),
        Obstacle.objects.filter(level=ObstacleLevel.LEADER).count(),
        list(Task.objects.values_list("accepted_on", "cancelled_on", "version").order_by("pk")),
    )


@pytest.mark.parametrize(("actor", "action", "outcome"), MATRIX)
def test_permission_matrix(request, task, coord_focal, actor, action, outcome):
    client = signed_in(request.getfixturevalue(actor))
    prepare, perform = ACTIONS[action]
    prepared = prepare(task)
    before = changes()
    response = perform(client, task, prepared)
    if outcome == OK:
        assert response.status_code in (200, 302), response.content[:500]
        if response.status_code == 302:
            assert response.url == url("task_detail", task)
        else:
            assert "errorlist" not in response.text
        if action not in ("view", "edit"):
            assert AuditEntry.objects.count() > before[0]
    else:
        assert response.status_code == outcome
        assert changes() == before


def test_a_focal_point_of_another_agency_gets_not_found_for_a_task_that_does_not_exist(
    other_focal, task
):
    client = signed_in(other_focal)
    missing = Task(pk=task.pk + 1000)
    assert view(client, missing, None).status_code == 404
    assert report(client, missing).status_code == 404
    assert view(client, task, None).status_code == 404  # the same answer for a real one


def test_head_of_the_lead_agency_acts_as_its_focal_point(lead_agency, task):
    head = make_user("truong.btctw", lead_agency, RoleCode.HEAD)
    client = signed_in(head)
    assert report(client, task).status_code == 302
    assert final_report(client, task).status_code == 302
    assert edit(client, task, None).status_code == 403


def test_action_urls_answer_only_post(office_user, task):
    client = signed_in(office_user)
    assert client.get(url("task_accept", task)).status_code == 405
    assert client.get(url("task_report", task)).status_code == 405


def test_extension_or_obstacle_of_another_task_is_not_found(office_user, task, lead_agency):
    other = Task.objects.create(
        title="Nhiệm vụ khác", lead_agency=lead_agency, due_on=TODAY, created_on=TODAY
    )
    extension, obstacle = _extension(other), _obstacle(other)
    client = signed_in(office_user)
    decide = client.post(url("extension_decide", task, extension.pk), {"decision": "approve"})
    assert decide.status_code == 404
    answer = client.post(url("obstacle_answer", task, obstacle.pk), {"answer": "x"})
    assert answer.status_code == 404
    assert Extension.objects.get().decision == "pending"


def test_anonymous_visitor_is_sent_to_sign_in(client, task):
    for response in (view(client, task, None), report(client, task)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
