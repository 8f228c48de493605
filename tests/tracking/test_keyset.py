"""Keyset pagination of the task list, the agency inbox and `GET /api/v1/tasks`: the pages,
followed by their links, show every task once in the list's order, and a deep page costs the
queries of the first."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.tracking.models import DeadlineKind, Task
from dondoc.tracking.selectors import SORT_KEYS
from dondoc.tracking.views import common
from tests.agencies.conftest import signed_in

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
LIST = reverse("tracking:task_list")
INBOX = reverse("tracking:inbox")


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pages_of_three(monkeypatch):
    monkeypatch.setattr(common, "PAGE_SIZE", 3)


@pytest.fixture
def many(lead_agency) -> list[Task]:
    """Seventeen tasks with ties everywhere a sort looks: shared deadlines, shared progress,
    shared titles, no deadline, extended deadlines, done, overdue, due soon."""
    made = []
    for n in range(17):
        ongoing = n % 5 == 0
        facts = {"deadline_kind": DeadlineKind.ONGOING} if ongoing else {
            "due_on": TODAY + (n % 4 - 1) * 7 * DAY}  # fmt: skip
        if n % 6 == 1:
            facts["extended_due_on"] = TODAY + 40 * DAY
        if n % 7 == 2:
            facts["reported_done_on"] = TODAY - 3 * DAY
            facts["accepted_on"] = TODAY - DAY
        task = Task.objects.create(
            title=f"Việc {n % 3}", search_text=f"viec {n % 3}", lead_agency=lead_agency,
            created_on=TODAY - (n % 2) * DAY, progress=(n % 3) * 50, **facts,
        )  # fmt: skip
        made.append(task)
    return made


def ids(response) -> list[int]:
    return [task.pk for task in response.context["page"].object_list]


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)" rel="{rel}"', response.text)
    return html.unescape(found[1]) if found else None


def walk(client, url: str, query: dict[str, str]) -> tuple[list[list[int]], list[list[int]]]:
    """The pages met following "next" from the first, then "prev" back from the last."""
    response = client.get(url, query)
    forward = [ids(response)]
    while (following := link(response, "next")) is not None:
        response = client.get(url + following)
        forward.append(ids(response))
        assert len(forward) < 20
    backward = [ids(response)]
    while (previous := link(response, "prev")) is not None:
        response = client.get(url + previous)
        backward.append(ids(response))
        assert len(backward) < 20
    return forward, backward[::-1]


@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_task_list_pages_show_every_task_once_in_the_order_of_the_whole_list(
    office_user, many, sort, monkeypatch
):
    client = signed_in(office_user)
    whole = ids(client.get(LIST, {"sort": sort}))  # 50 a page: all seventeen
    assert sorted(whole) == sorted(t.pk for t in many)
    monkeypatch.setattr(common, "PAGE_SIZE", 3)
    forward, backward = walk(client, LIST, {"sort": sort})
    assert [pk for page in forward for pk in page] == whole
    assert [len(page) for page in forward] == [3, 3, 3, 3, 3, 2]
    assert backward == forward  # "Trang trước" goes back through the same pages


def test_tasks_without_a_deadline_stay_last_across_pages(office_user, many, pages_of_three):
    forward, _ = walk(signed_in(office_user), LIST, {})
    rows = Task.objects.in_bulk([pk for page in forward for pk in page])
    flat = [rows[pk] for page in forward for pk in page]
    deadlines = [t.due_on for t in flat]
    assert None in deadlines
    first_none = deadlines.index(None)
    assert all(d is None for d in deadlines[first_none:])
    assert deadlines[:first_none] == sorted(deadlines[:first_none])


def test_page_numbers_and_range_follow_the_links(office_user, many, pages_of_three):
    client = signed_in(office_user)
    first = client.get(LIST)
    assert "Trang 1/6" in first.text
    assert 'rel="prev"' not in first.text
    second = client.get(LIST + link(first, "next"))
    assert "Trang 2/6" in second.text
    assert "hiển thị 4\N{EN DASH}6" in second.text


def test_a_cursor_of_other_filters_or_edited_by_hand_starts_at_the_first_page(
    office_user, many, pages_of_three
):
    client = signed_in(office_user)
    first = client.get(LIST)
    after = link(first, "next")
    by_title = client.get(LIST, {"sort": "title"})
    assert ids(client.get(LIST + after + "&sort=title")) == ids(by_title)
    assert ids(client.get(LIST + after + "&q=viec+1")) == ids(client.get(LIST, {"q": "viec 1"}))
    for garbage in ("x", "eyJ9", "WzEsIngiLFsiYSJdXQ", "W10"):
        response = client.get(LIST, {"after": garbage})
        assert response.status_code == 200
        assert ids(response) == ids(first)


def test_a_deep_page_costs_the_queries_of_the_first_and_no_offset(
    office_user, many, pages_of_three
):
    client = signed_in(office_user)
    response = client.get(LIST, {"q": "viec"})
    with CaptureQueriesContext(connection) as first:
        client.get(LIST, {"q": "viec"})
    for _ in range(3):
        response = client.get(LIST + link(response, "next"))
    with CaptureQueriesContext(connection) as deep:
        client.get(LIST + link(response, "next"))
    assert len(deep) == len(first)
    assert not any("OFFSET" in q["sql"] for q in deep.captured_queries)


def test_inbox_pages_keep_the_inbox_order_and_cost_the_same(lead_focal, many, pages_of_three):
    client = signed_in(lead_focal)
    with CaptureQueriesContext(connection) as first:
        response = client.get(INBOX)
    whole = list(
        Task.objects.filter(pk__in=[t.pk for t in many]).values_list("pk", flat=True)
    )  # every task is the agency's
    forward, backward = walk(client, INBOX, {})
    flat = [pk for page in forward for pk in page]
    assert sorted(flat) == sorted(whole)
    assert backward == forward
    common.PAGE_SIZE = 50
    assert flat == ids(client.get(INBOX))  # the same order as one long page
    common.PAGE_SIZE = 3
    response = client.get(INBOX + link(client.get(INBOX), "next"))
    with CaptureQueriesContext(connection) as deep:
        client.get(INBOX + link(response, "next"))
    assert len(deep) == len(first)
    assert not any("OFFSET" in q["sql"] for q in deep.captured_queries)
