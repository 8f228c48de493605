"""`/api/v1/stats/overview`: the headline figures, the same as `status_counts`."""

import datetime as dt

import pytest

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Task
from dondoc.tracking.selectors import status_counts
from dondoc.tracking.services import task_create
from dondoc.tracking.status import TaskStatus

D = dt.timedelta


@pytest.fixture
def spread(office_user, lead_agency, other_agency, today):
    """Tasks of three lead agencies in several states."""
    third = Agency.objects.create(code="BTGTW", name="Ban Tuyên giáo", kind=AgencyKind.CENTRAL_BODY)
    plan = [
        (lead_agency, -5, {}),
        (lead_agency, -1, {}),
        (lead_agency, 3, {}),
        (lead_agency, 40, {"cancelled_on": today - D(days=2)}),
        (other_agency, -9, {}),
        (other_agency, 60, {}),
        (third, 20, {"reported_done_on": today - D(days=1)}),
        (third, -30, {"reported_done_on": today - D(days=20), "accepted_on": today - D(days=10)}),
        (third, None, {}),
    ]
    for n, (agency, days, facts) in enumerate(plan):
        task = task_create(
            office_user,
            title=f"Nhiệm vụ {n}",
            lead_agency=agency,
            coordinating_agencies=[other_agency] if agency == lead_agency and n == 0 else [],
            deadline_kind="ongoing" if days is None else "date",
            due_on=None if days is None else today + D(days=days),
            created_on=today - D(days=60),
        )
        Task.objects.filter(pk=task.pk).update(**facts)
    return plan


@pytest.mark.parametrize("actor", ["office_user", "inspector", "lead_focal", "other_focal"])
def test_overview_matches_status_counts(request, api, spread, today, actor):
    user = request.getfixturevalue(actor)
    body = api(user).get("stats/overview").json()
    expected = status_counts(tasks_visible_to(user), today)
    assert body["as_of"] == today.isoformat()
    assert body["counts"] == expected
    live = expected["total"] - expected["cancelled"]
    assert body["overdue_share"] == pytest.approx(expected["overdue"] / live)
    for status in [*TaskStatus.values, "total"]:
        assert sum(row["counts"][status] for row in body["by_lead_agency"]) == expected[status]


def test_overview_per_lead_agency(api, office_user, spread):
    body = api(office_user).get("stats/overview").json()
    rows = {row["code"]: row for row in body["by_lead_agency"]}
    assert [row["code"] for row in body["by_lead_agency"]] == ["BTCTW", "HANOI", "BTGTW"]
    assert rows["BTCTW"]["counts"] == {
        "open_on_time": 0, "due_soon": 1, "overdue": 2, "awaiting_acceptance": 0,
        "done_on_time": 0, "done_late": 0, "ongoing": 0, "cancelled": 1, "total": 4,
    }  # fmt: skip
    assert rows["BTCTW"]["overdue_share"] == pytest.approx(2 / 3)
    assert rows["BTGTW"]["counts"]["awaiting_acceptance"] == 1
    assert rows["BTGTW"]["counts"]["done_late"] == 1  # reported ten days after the deadline
    assert rows["BTGTW"]["counts"]["ongoing"] == 1
    assert rows["HANOI"]["name"] == "Thành ủy Hà Nội"
    assert body["overdue_share"] == pytest.approx(3 / 8)


def test_overview_for_a_past_day(api, office_user, spread, today):
    past = today - D(days=15)
    body = api(office_user).get("stats/overview", as_of=past.isoformat()).json()
    assert body["as_of"] == past.isoformat()
    assert body["counts"] == status_counts(Task.objects.all(), past)


def test_overview_of_nothing(api, unrelated_focal, spread):
    body = api(unrelated_focal).get("stats/overview").json()
    assert body["counts"]["total"] == 0
    assert body["overdue_share"] == 0.0
    assert body["by_lead_agency"] == []


def test_overview_is_a_fixed_number_of_queries_whatever_the_number_of_agencies(
    api, office_user, spread, today, django_assert_num_queries
):
    client = api(office_user)
    client.get("stats/overview")
    for n in range(12):
        agency = Agency.objects.create(code=f"P{n}", name=f"Tỉnh ủy {n}", kind=AgencyKind.PROVINCE)
        task_create(office_user, title="x", lead_agency=agency, due_on=today)
    # the address's failed sign-ins (one cache read), token+user, roles, the figures' version,
    # the tallies' window, the per-agency counts, names
    with django_assert_num_queries(7):
        body = client.get("stats/overview").json()
    assert len(body["by_lead_agency"]) == 15
    # nothing changed since: the figures come from the cache (address, token+user, roles, version)
    with django_assert_num_queries(4):
        assert client.get("stats/overview").json() == body
