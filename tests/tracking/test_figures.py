"""Cached figures (`tracking.figures`): never stale after a change, never shown to someone who
sees other tasks than the user they were computed for."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.api.services import token_create
from dondoc.tracking.services import task_accept, task_create, task_report_progress
from dondoc.tracking.status import TaskStatus
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient
from tests.conftest import make_user

D = dt.timedelta


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user, name="tests")[1])


def overview(user) -> dict:
    response = api_for(user).get("stats/overview")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def test_a_report_changes_the_overview_at_once(office_user, lead_focal, lead_agency, today):
    task = task_create(
        office_user, title="Báo cáo", lead_agency=lead_agency, due_on=today - D(days=3)
    )
    assert overview(office_user)["counts"][TaskStatus.OVERDUE] == 1
    task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Báo cáo"
    )
    after = overview(office_user)["counts"]
    assert after[TaskStatus.OVERDUE] == 0
    assert after[TaskStatus.AWAITING_ACCEPTANCE] == 1
    task.refresh_from_db()
    task_accept(office_user, task)
    assert overview(office_user)["counts"][TaskStatus.DONE_LATE] == 1


def test_the_dashboard_shows_a_new_task_at_once(office_user, leader, lead_agency, today):
    client = signed_in(leader)
    task_create(office_user, title="Một", lead_agency=lead_agency, due_on=today - D(days=1))
    assert client.get(reverse("dashboards:leader")).context["overdue_count"] == 1
    task_create(office_user, title="Hai", lead_agency=lead_agency, due_on=today - D(days=2))
    assert client.get(reverse("dashboards:leader")).context["overdue_count"] == 2


def test_an_agency_never_gets_figures_cached_for_another(
    office_user, lead_focal, other_focal, lead_agency, other_agency, today
):
    task_create(office_user, title="Của Ban", lead_agency=lead_agency, due_on=today - D(days=1))
    assert overview(lead_focal)["counts"]["total"] == 1
    assert overview(other_focal)["counts"]["total"] == 0
    assert overview(lead_focal)["counts"]["total"] == 1


def test_a_secret_task_cached_for_the_cleared_stays_hidden_from_others(
    office_user, lead_agency, today
):
    secret_reader = make_user(
        "tuyetmat", office_user.agency, RoleCode.OFFICE, clearance=Clearance.TOP_SECRET
    )
    office_user.clearance = Clearance.NORMAL
    office_user.save()
    task_create(
        secret_reader,
        title="Mật",
        lead_agency=lead_agency,
        due_on=today,
        classification=Clearance.TOP_SECRET,
    )
    assert overview(secret_reader)["counts"]["total"] == 1
    assert overview(office_user)["counts"]["total"] == 0


def test_with_the_cache_off_every_request_counts_again(
    settings, office_user, lead_agency, today, django_assert_num_queries
):
    settings.FIGURES_CACHE = False
    task_create(office_user, title="Một", lead_agency=lead_agency, due_on=today)
    client = api_for(office_user)
    client.get("stats/overview")
    # the address's failed sign-ins (one cache read), token+user, roles, the tallies' window
    # (none counted here), per-agency counts, their names
    with django_assert_num_queries(6):
        client.get("stats/overview")
