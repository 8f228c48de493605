"""Administrators browse and filter the audit log; nobody else opens it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dondoc.accounts import rules
from dondoc.audit import urls as audit_urls
from dondoc.audit.services import audit_record
from dondoc.core.access import view_rule

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
LIST = "/audit/"


def record_at(when: dt.datetime, *args, **kwargs):
    with time_machine.travel(when, tick=False):
        return audit_record(*args, **kwargs)


@pytest.fixture
def entries(admin_user, office_user, office_agency, lead_agency):
    """Four entries on three days (Hà Nội time), by two people and one system job."""
    return [
        record_at(
            dt.datetime(2026, 3, 1, 9, 0, tzinfo=HANOI),
            admin_user,
            "create",
            office_agency,
            {"name": [None, "Văn phòng"]},
        ),
        record_at(
            dt.datetime(2026, 3, 1, 23, 30, tzinfo=HANOI),  # 16:30 UTC, still 1 March here
            office_user,
            "update",
            lead_agency,
            {"short_name": ["BTC", "BTCTW"]},
        ),
        record_at(
            dt.datetime(2026, 3, 2, 0, 30, tzinfo=HANOI),
            None,
            "reminders.send",
            "tracking.reminder",
            {"sent": [0, 3]},
        ),
        record_at(
            dt.datetime(2026, 3, 5, 8, 0, tzinfo=HANOI),
            office_user,
            "merge",
            office_agency,
            {"parent": ["A", "B"]},
        ),
    ]


def seqs(response) -> list[int]:
    return [entry.seq for entry in response.context["page"].entries]


def test_every_audit_page_is_for_administrators_only():
    for pattern in audit_urls.urlpatterns:
        assert view_rule(pattern.callback) is rules.administrator


@pytest.mark.parametrize("url", [LIST, "/audit/1/"])
def test_office_specialist_is_refused(office_web, entries, url):
    assert office_web.get(url).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_administrator_sees_entries_newest_first_with_changes(admin_web, entries):
    response = admin_web.get(LIST)
    assert response.status_code == 200
    assert seqs(response) == [4, 3, 2, 1]
    html = response.content.decode()
    assert "Nhật ký hệ thống" in html
    assert "BTC → BTCTW" in html
    assert "Hệ thống" in html  # the system job's entry


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "chuyenvien"}, [4, 2]),
        ({"actor": "quantri"}, [1]),
        ({"object_type": "tracking.reminder"}, [3]),
        ({"object_type": "agencies.agency", "object_id": "1"}, None),  # filled in below
        ({"action": "merge"}, [4]),
        ({"date_from": "2026-03-01", "date_to": "2026-03-01"}, [2, 1]),
        ({"date_from": "2026-03-02"}, [4, 3]),
        ({"date_to": "2026-03-02"}, [3, 2, 1]),
    ],
)
def test_filters_narrow_the_list(admin_web, entries, office_agency, query, expected):
    if expected is None:
        query = {**query, "object_id": str(office_agency.pk)}
        expected = [4, 1]
    assert seqs(admin_web.get(LIST, query)) == expected


def test_actor_filter_matches_the_persons_name_without_diacritics(admin_web, entries, office_user):
    office_user.full_name = "Nguyễn Thị Hương"
    office_user.save()
    assert seqs(admin_web.get(LIST, {"actor": "huong"})) == [4, 2]


def test_invalid_filter_is_shown_and_ignored(admin_web, entries):
    response = admin_web.get(LIST, {"date_from": "không phải ngày", "action": "merge"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert seqs(response) == [4]


def test_pages_hold_fifty_entries_and_walk_back_and_forth(admin_web, admin_user, office_agency):
    for i in range(120):
        audit_record(admin_user, "update", office_agency, {"n": [i, i + 1]})
    first = admin_web.get(LIST)
    assert seqs(first) == list(range(120, 70, -1))
    assert first.context["page"].newer_than is None
    second = admin_web.get(LIST, {"before": first.context["page"].older_than})
    assert seqs(second) == list(range(70, 20, -1))
    third = admin_web.get(LIST, {"before": second.context["page"].older_than})
    assert seqs(third) == list(range(20, 0, -1))
    assert third.context["page"].older_than is None
    back = admin_web.get(LIST, {"after": third.context["page"].newer_than})
    assert seqs(back) == seqs(second)
    html = second.content.decode()
    assert "before=21" in html
    assert "after=70" in html


def test_list_query_count_does_not_grow_with_the_page(
    admin_web, admin_user, office_user, office_agency, django_assert_max_num_queries
):
    audit_record(admin_user, "update", office_agency, {"n": [0, 1]})
    with django_assert_max_num_queries(12) as few:
        admin_web.get(LIST)
    for i in range(60):
        audit_record(office_user if i % 2 else admin_user, "update", office_agency, {"n": [i, 1]})
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_web.get(LIST)


def test_detail_shows_one_entry_with_its_changes_and_hashes(admin_web, entries):
    response = admin_web.get(reverse("audit:detail", args=[2]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bản ghi nhật ký số 2" in html
    assert "BTCTW" in html
    assert entries[1].hash in html
    assert entries[1].prev_hash in html


def test_detail_of_unknown_entry_is_not_found(admin_web, entries):
    assert admin_web.get(reverse("audit:detail", args=[99])).status_code == 404


def test_list_shows_five_changes_and_counts_the_rest(admin_web, admin_user, office_agency):
    changes = {f"field{i}": [i, i + 1] for i in range(7)}
    audit_record(admin_user, "update", office_agency, changes)
    html = admin_web.get(LIST).content.decode()
    assert "field4" in html
    assert "field5" not in html
    assert "và 2 thay đổi khác" in html
