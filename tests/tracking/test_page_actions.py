"""Acting on a task from its page: each form calls one service; a refusal shows on the form."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dondoc.agencies.models import Agency
from dondoc.tracking import services
from dondoc.tracking.models import Decision, Obstacle, ObstacleLevel, Task
from dondoc.tracking.status import TaskStatus, status_of
from tests.agencies.conftest import signed_in

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def task(lead_agency: Agency) -> Task:
    return Task.objects.create(
        title="Xây dựng kế hoạch triển khai", lead_agency=lead_agency,
        due_on=TODAY + 20 * DAY, created_on=TODAY - 30 * DAY, expected_product="",
    )  # fmt: skip


def url(name: str, task: Task, *args: int) -> str:
    return reverse(f"tracking:{name}", args=[task.pk, *args])


def test_task_page_offers_each_user_only_the_forms_they_may_use(
    task, lead_focal, office_user, inspector
):
    focal = signed_in(lead_focal).get(url("task_detail", task)).context
    assert set(focal["forms"]) == {"report", "extension", "obstacle"}
    assert focal["forms"]["report"].fields.keys() >= {"is_final", "product"}
    office = signed_in(office_user).get(url("task_detail", task)).context
    assert set(office["forms"]) == {"cancel", "dependency", "follower"}
    assert signed_in(inspector).get(url("task_detail", task)).context["forms"] == {}


def test_final_report_without_a_product_is_refused_on_the_form_with_the_input_kept(
    task, lead_focal
):
    response = signed_in(lead_focal).post(
        url("task_report", task),
        {"percent": 100, "narrative": "Đã ban hành kế hoạch", "is_final": "on", "product": ""},
    )
    assert response.status_code == 200
    form = response.context["forms"]["report"]
    assert form.errors["product"] == ["Báo cáo hoàn thành phải nêu hoặc đính kèm sản phẩm đầu ra."]
    assert "Đã ban hành kế hoạch" in response.text
    task.refresh_from_db()
    assert task.reported_done_on is None


def test_final_report_then_acceptance_makes_the_task_done_on_time(task, lead_focal, office_user):
    focal = signed_in(lead_focal)
    response = focal.post(
        url("task_report", task),
        {"percent": 80, "narrative": "Đã ban hành", "is_final": "on", "product": "Kế hoạch 12"},
        follow=True,
    )
    assert "Đã gửi báo cáo hoàn thành" in response.text
    assert "Chờ xác nhận" in response.text
    office = signed_in(office_user)
    page = office.get(url("task_detail", task))
    assert page.context["can"]["accept"]
    accepted = office.post(url("task_accept", task), follow=True)
    assert "Đã xác nhận hoàn thành nhiệm vụ." in accepted.text
    task.refresh_from_db()
    assert status_of(task, TODAY) == TaskStatus.DONE_ON_TIME
    assert "Hoàn thành đúng hạn" in accepted.text
    assert accepted.context["forms"] == {}  # nothing left to report on a finished task


def test_office_returns_a_final_report_with_a_reason(task, lead_focal, office_user):
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Kế hoạch"
    )
    client = signed_in(office_user)
    refused = client.post(url("task_return", task), {"reason": ""})
    assert "reason" in refused.context["forms"]["return"].errors
    client.post(url("task_return", task), {"reason": "Sản phẩm chưa đạt"})
    task.refresh_from_db()
    assert task.reported_done_on is None


def test_extension_to_an_earlier_date_is_refused_on_its_field(task, lead_focal):
    response = signed_in(lead_focal).post(
        url("extension_request", task), {"requested_due_on": "2026-12-01", "reason": "Chờ"}
    )
    form = response.context["forms"]["extension"]
    assert form.errors["requested_due_on"] == [
        "Thời hạn đề nghị phải sau thời hạn hiện tại (16/12/2026)."
    ]


def test_office_approves_an_extension_and_both_deadlines_show(task, lead_focal, office_user):
    signed_in(lead_focal).post(
        url("extension_request", task), {"requested_due_on": "2027-01-31", "reason": "Chờ số liệu"}
    )
    extension = task.extensions.get()
    client = signed_in(office_user)
    refused = client.post(
        url("extension_decide", task, extension.pk), {"decision": "refuse", "reason": ""}
    )
    assert "Cần nêu lý do không đồng ý gia hạn." in refused.text
    extension.refresh_from_db()
    assert extension.decision == Decision.PENDING  # the refused decision was rolled back
    response = client.post(
        url("extension_decide", task, extension.pk),
        {"decision": "approve", "reason": "Hợp lý"},
        follow=True,
    )
    assert "Đã đồng ý gia hạn đến ngày 31/01/2027." in response.text
    assert "Đã gia hạn đến 31/01/2027" in response.text
    assert "thời hạn ban đầu 16/12/2026" in response.text
    task.refresh_from_db()
    assert task.extended_due_on == dt.date(2027, 1, 31)


def test_obstacle_beyond_authority_goes_to_the_leader_who_answers_it(
    task, lead_focal, office_user, leader
):
    signed_in(lead_focal).post(
        url("obstacle_raise", task),
        {"text": "Cần cơ chế đặc thù", "proposal": "Xin chủ trương", "beyond_authority": "on"},
    )
    obstacle = Obstacle.objects.get()
    assert obstacle.level == ObstacleLevel.LEADER
    office_page = signed_in(office_user).get(url("task_detail", task))
    assert office_page.context["answers"] == []  # not the office's to answer
    leader_client = signed_in(leader)
    assert leader_client.get(url("task_detail", task)).context["answers"][0]["form"] is not None
    leader_client.post(url("obstacle_answer", task, obstacle.pk), {"answer": "Đồng ý chủ trương"})
    obstacle.refresh_from_db()
    assert (obstacle.answer, obstacle.answered_by) == ("Đồng ý chủ trương", leader)


def test_office_escalates_an_obstacle_it_cannot_settle(task, lead_focal, office_user):
    services.obstacle_raise(lead_focal, task, text="Thiếu biên chế")
    obstacle = Obstacle.objects.get()
    client = signed_in(office_user)
    page = client.get(url("task_detail", task))
    assert page.context["answers"][0]["may_escalate"]
    response = client.post(url("obstacle_escalate", task, obstacle.pk), follow=True)
    assert "Đã báo cáo lãnh đạo vướng mắc vượt thẩm quyền." in response.text
    obstacle.refresh_from_db()
    assert obstacle.level == ObstacleLevel.LEADER


def test_dependency_cycle_is_refused_on_its_field(task, office_user, lead_agency):
    other = Task.objects.create(
        title="Việc khác", lead_agency=lead_agency, due_on=TODAY, created_on=TODAY
    )
    other.depends_on.add(task)
    response = signed_in(office_user).post(url("dependency_add", task), {"waits_for": other.pk})
    assert response.context["forms"]["dependency"].errors["waits_for"] == [
        "Không thể tạo quan hệ chờ vòng tròn giữa các nhiệm vụ."
    ]


def test_office_cancels_with_a_reason(task, office_user):
    client = signed_in(office_user)
    response = client.post(url("task_cancel", task), {"reason": "Lồng ghép vào nhiệm vụ khác"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert status_of(task, TODAY) == TaskStatus.CANCELLED
