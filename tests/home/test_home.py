"""Home pages that lead somewhere: every figure is a link, the overdue share is stated on one
base, the due-soon list is sorted by the deadline it shows."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dondoc.tracking.models import Task
from dondoc.tracking.status import TaskStatus, overdue_share
from tests.agencies.conftest import signed_in

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
HOME = reverse("home:home")


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))):
        yield


def task(title: str, lead, due: dt.date, **facts) -> Task:
    return Task.objects.create(
        title=title, lead_agency=lead, due_on=due, created_on=TODAY - 90 * DAY, **facts
    )


@pytest.fixture
def tasks(lead_agency, other_agency):
    task("Quá hạn 1", lead_agency, TODAY - 10 * DAY)
    task("Quá hạn 2", lead_agency, TODAY - 5 * DAY)
    task("Quá hạn Hà Nội", other_agency, TODAY - 3 * DAY)
    task("Đã hủy", lead_agency, TODAY - 30 * DAY, cancelled_on=TODAY - 20 * DAY)
    task("Còn xa", lead_agency, TODAY + 60 * DAY)
    task("Gia hạn, hạn mới gần", lead_agency, TODAY - 40 * DAY, extended_due_on=TODAY + 2 * DAY)
    task("Sắp đến hạn", lead_agency, TODAY + 1 * DAY)
    task("Sắp đến hạn sau", lead_agency, TODAY + 5 * DAY)


def test_the_overdue_share_is_one_definition_over_tasks_not_cancelled():
    counts = dict.fromkeys(TaskStatus.values, 10) | {TaskStatus.CANCELLED: 30, "total": 100}
    share = overdue_share(counts)
    assert (share.overdue, share.base) == (10, 70)  # seven statuses of 10, the cancelled out
    assert round(share.percent, 2) == 14.29
    assert overdue_share(dict.fromkeys(TaskStatus.values, 0)).percent == 0


def test_the_home_page_states_the_share_and_its_caption_on_the_same_base(office_user, tasks):
    page = signed_in(office_user).get(HOME).text
    assert 'data-testid="overdue-share">42,86%' in page  # 3 overdue / 7 not cancelled
    assert "3 / 7 nhiệm vụ" in page
    assert "không tính nhiệm vụ đã hủy" in page


def test_every_figure_on_the_home_page_is_a_link_to_its_list(office_user, tasks):
    client = signed_in(office_user)
    page = client.get(HOME).text
    for status in TaskStatus.values:
        assert f'href="/tasks/?status={status}"' in page
    assert 'href="/tasks/?lead=BTCTW&amp;status=overdue"' in page
    listed = client.get("/tasks/", {"lead": "BTCTW", "status": "overdue"})
    assert [t.title for t in listed.context["page"].object_list] == ["Quá hạn 1", "Quá hạn 2"]


def test_due_soon_is_sorted_by_the_deadline_shown_with_the_original_visible(lead_focal, tasks):
    page = signed_in(lead_focal).get(HOME).text
    section = page.split('id="due-soon"')[1]
    titles = re.findall(r'/tasks/\d+/">([^<]+)</a>', section)
    assert titles == ["Quá hạn 1", "Quá hạn 2", "Sắp đến hạn", "Gia hạn, hạn mới gần",
                      "Sắp đến hạn sau"]  # fmt: skip
    assert "gia hạn; ban đầu 17/10/2026" in section


def test_the_head_sees_the_agencys_late_work_escalations_and_scorecard(
    lead_agency, lead_focal, tasks
):
    from dondoc.accounts.models import RoleCode
    from dondoc.tracking import services
    from dondoc.urging.models import Notification, NotificationKind
    from tests.conftest import make_user

    head = make_user("truong.btctw", lead_agency, RoleCode.HEAD)
    late = Task.objects.get(title="Quá hạn 1")
    Notification.objects.create(
        recipient=head, task=late, kind=NotificationKind.ESCALATION, ref_on=TODAY,
        deadline=late.due_on,
    )  # fmt: skip
    services.obstacle_raise(lead_focal, Task.objects.get(title="Còn xa"), text="Thiếu kinh phí")
    client = signed_in(head)
    page = client.get(HOME).text
    assert "Việc cần người đứng đầu quan tâm" in page
    assert 'data-testid="head-overdue">2<' in page
    assert 'href="/tasks/?lead=BTCTW&amp;status=overdue"' in page
    assert 'data-testid="head-escalations">1<' in page
    assert f'href="/tasks/{late.pk}/">Quá hạn 1</a>' in page
    assert "Còn xa" in page.split('id="head-waiting-title"')[1]  # its obstacle awaits an answer
    scorecard = reverse("dashboards:scorecard", args=["BTCTW"])
    assert f'href="{scorecard}"' in page
    assert client.get(scorecard).status_code == 200
    listed = client.get("/tasks/", {"lead": "BTCTW", "status": "overdue"})
    assert [t.title for t in listed.context["page"].object_list] == ["Quá hạn 1", "Quá hạn 2"]


def test_the_focal_point_does_not_get_the_heads_page(lead_focal, tasks):
    assert "Việc cần người đứng đầu quan tâm" not in signed_in(lead_focal).get(HOME).text
