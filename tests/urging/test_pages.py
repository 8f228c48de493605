"""Urging pages: one's own notifications only, marked read with htmx, the unread count in the
menu; the rules and letters pages for the office only."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.urging.models import Notification, NotificationKind, ReminderRuleSet, RuleSetKind
from dondoc.urging.services import reminder_sweep
from tests.agencies.conftest import signed_in
from tests.urging.conftest import DAY, DEADLINE, at, make_task

pytestmark = pytest.mark.django_db
NOTIFICATIONS = reverse("urging:notifications")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def reminded(lead_agency, other_agency, lead_focal, other_focal):
    make_task("Việc của Ban Tổ chức", lead_agency, due=DEADLINE - DAY)
    make_task("Việc của Hà Nội", other_agency, due=DEADLINE - DAY)
    reminder_sweep(DEADLINE)
    return Notification.objects.get(recipient=lead_focal)


def test_notifications_page_shows_only_ones_own(reminded, lead_focal):
    with at(DEADLINE):
        page = signed_in(lead_focal).get(NOTIFICATIONS)
    assert page.status_code == 200
    assert "Việc của Ban Tổ chức" in page.text
    assert "Việc của Hà Nội" not in page.text
    assert [n.pk for n in page.context["page"].object_list] == [reminded.pk]


def test_unread_count_is_loaded_into_the_menu(reminded, lead_focal, office_user):
    client = signed_in(lead_focal)
    badge = reverse("urging:unread_badge")
    assert f'hx-get="{badge}" hx-trigger="load"' in client.get(reverse("home:home")).text
    assert client.get(badge, headers=HTMX).text.strip().endswith(">1</span>")
    assert " hidden>" in signed_in(office_user).get(badge, headers=HTMX).text  # nothing unread


def test_pages_pay_no_query_for_the_count_unless_they_show_it(reminded, lead_focal):
    client = signed_in(lead_focal)
    with CaptureQueriesContext(connection) as queries:
        home = client.get(reverse("home:home"))
    assert home.context["unread_notifications"] == 1  # there for templates that want it…
    assert not any("urging_notification" in q["sql"] for q in queries)  # …but not computed


def test_mark_read_with_htmx_answers_the_item_and_the_new_count(reminded, lead_focal):
    client = signed_in(lead_focal)
    url = reverse("urging:notification_read", args=[reminded.pk])
    assert f'hx-post="{url}"' in client.get(NOTIFICATIONS).text
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="notification-{reminded.pk}"' in response.text
    assert 'hx-swap-oob="true" hidden' in response.text  # the menu badge: nothing unread
    reminded.refresh_from_db()
    assert reminded.read_at is not None
    assert list(client.get(NOTIFICATIONS).context["page"].object_list) == []  # unread: none
    assert len(client.get(NOTIFICATIONS, {"show": "all"}).context["page"].object_list) == 1


def test_nobody_can_mark_someone_elses_notification(reminded, other_focal):
    url = reverse("urging:notification_read", args=[reminded.pk])
    assert signed_in(other_focal).post(url, headers=HTMX).status_code == 404
    reminded.refresh_from_db()
    assert reminded.read_at is None


def test_mark_all_read(reminded, lead_focal):
    response = signed_in(lead_focal).post(reverse("urging:notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=lead_focal, read_at__isnull=True).exists()


def test_office_edits_the_rules_and_the_change_is_audited(office_user):
    response = signed_in(office_user).post(
        reverse("urging:rules"),
        {
            "kind": "urgent",
            "urgent-days_before": "2, 14,7",
            "urgent-on_due_day": "on",
            "urgent-overdue_every_days": "2",
            "urgent-escalate_after_days": "5",
        },
    )
    assert response.status_code == 302
    urgent = ReminderRuleSet.objects.get(kind=RuleSetKind.URGENT)
    assert (urgent.days_before, urgent.overdue_every_days, urgent.escalate_after_days) == (
        "14, 7, 2",
        2,
        5,
    )
    assert urgent.revision == 2
    entry = AuditEntry.objects.get(object_type="urging.reminderruleset")
    assert entry.changes["escalate_after_days"] == [3, 5]


def test_rules_form_refuses_nonsense(office_user):
    response = signed_in(office_user).post(
        reverse("urging:rules"),
        {
            "kind": "normal",
            "normal-days_before": "bảy",
            "normal-overdue_every_days": "3",
            "normal-escalate_after_days": "7",
        },
    )
    assert response.status_code == 200
    assert "Nhập số ngày" in response.text
    assert ReminderRuleSet.objects.get(kind=RuleSetKind.NORMAL).revision == 1


@pytest.mark.parametrize(
    "url", [reverse("urging:rules"), reverse("urging:letters"), "/urging/letters/BTCTW.docx"]
)
@pytest.mark.parametrize("actor", ["lead_focal", "inspector", "leader"])
def test_rules_and_letters_are_for_the_office(request, url, actor, lead_agency):
    assert signed_in(request.getfixturevalue(actor)).get(url).status_code == 403


def test_letters_page_lists_agencies_with_work_to_urge(office_user, lead_agency, other_agency):
    make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    make_task("Còn xa", other_agency, due=DEADLINE + 60 * DAY)
    with at(DEADLINE):
        page = signed_in(office_user).get(reverse("urging:letters"))
        letter = signed_in(office_user).get(reverse("urging:letter_docx", args=["BTCTW"]))
    assert [row.agency.code for row in page.context["agencies"]] == ["BTCTW"]
    assert 'href="/urging/letters/BTCTW.docx"' in page.text
    assert letter.status_code == 200
    assert letter["Content-Type"].endswith("wordprocessingml.document")
    assert 'filename="cong-van-don-doc-BTCTW-20261215.docx"' in letter["Content-Disposition"]


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_notifications_page_query_count_does_not_grow_with_rows(lead_agency, lead_focal):
    client = signed_in(lead_focal)
    make_task("Một", lead_agency, due=DEADLINE - DAY)
    reminder_sweep(DEADLINE)
    few = count_queries(client, NOTIFICATIONS, {"show": "all"})
    for n in range(30):
        make_task(f"Nhiệm vụ {n}", lead_agency, due=DEADLINE - (n + 2) * DAY)
    reminder_sweep(DEADLINE)
    assert Notification.objects.filter(recipient=lead_focal).count() > 30
    assert count_queries(client, NOTIFICATIONS, {"show": "all"}) == few


def test_letters_page_query_count_does_not_grow_with_agencies(office_user, lead_agency):
    make_task("Một", lead_agency, due=DEADLINE - DAY)
    with at(DEADLINE):
        client = signed_in(office_user)
        few = count_queries(client, reverse("urging:letters"))
        for n in range(10):
            agency = lead_agency.__class__.objects.create(code=f"A{n}", name=f"Cơ quan {n}")
            make_task(f"Nhiệm vụ {n}", agency, due=DEADLINE - DAY)
        assert count_queries(client, reverse("urging:letters")) == few


def test_a_sent_letter_is_recorded_on_the_timeline_of_each_task_it_names(
    office_user, lead_focal, lead_agency, other_agency
):
    overdue = make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    far = make_task("Còn xa", lead_agency, due=DEADLINE + 60 * DAY)
    elsewhere = make_task("Cơ quan khác", other_agency, due=DEADLINE - DAY)
    with at(DEADLINE):
        client = signed_in(office_user)
        response = client.post(
            reverse("urging:letter_sent", args=["BTCTW"]), {"number": "125-CV/VPTW"}, follow=True
        )
        assert "trên 1 nhiệm vụ" in response.text
        page = signed_in(lead_focal).get(reverse("tracking:task_detail", args=[overdue.pk]))
        assert "Gửi công văn đôn đốc" in page.text
        assert "Công văn số 125-CV/VPTW ngày 15/12/2026" in page.text
        assert str(office_user) in page.text
        for task in (far, elsewhere):
            page = client.get(reverse("tracking:task_detail", args=[task.pk]))
            assert "Gửi công văn đôn đốc" not in page.text
    entry = AuditEntry.objects.get(action="urging_letter")
    assert (entry.object_id, entry.actor) == (str(overdue.pk), office_user)


@pytest.mark.parametrize("actor", ["lead_focal", "leader"])
def test_only_the_office_records_a_sent_letter(request, actor, lead_agency):
    make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    with at(DEADLINE):
        client = signed_in(request.getfixturevalue(actor))
        assert client.post(reverse("urging:letter_sent", args=["BTCTW"])).status_code == 403
    assert not AuditEntry.objects.filter(action="urging_letter").exists()


def _notify(person, lead_agency, count: int) -> list[Notification]:
    """`count` notifications for `person`, one a minute, the newest last made."""
    task = make_task("Việc nhắc nhiều lần", lead_agency, due=DEADLINE - DAY)
    start = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    return Notification.objects.bulk_create(
        Notification(recipient=person, task=task, kind=NotificationKind.OVERDUE,
                     ref_on=DEADLINE + n * DAY, deadline=DEADLINE - DAY,
                     created_at=start + dt.timedelta(minutes=n))
        for n in range(count)
    )  # fmt: skip


def test_notifications_page_queries_do_not_grow_with_the_notifications(
    django_assert_num_queries, lead_agency, lead_focal
):
    client = signed_in(lead_focal)
    _notify(lead_focal, lead_agency, 2)
    # session, user, roles, agency (menu), the page's rows: no count, no OFFSET
    with django_assert_num_queries(5):
        assert client.get(NOTIFICATIONS).status_code == 200
    _notify(lead_focal, lead_agency, 120)
    with django_assert_num_queries(5):
        page = client.get(NOTIFICATIONS).context["page"]
    assert len(page.object_list) == 50
    with django_assert_num_queries(6):  # "all": one more, whether anything is unread
        assert client.get(NOTIFICATIONS, {"show": "all"}).status_code == 200


def test_notifications_are_paged_newest_first_without_gaps_or_repeats(lead_agency, lead_focal):
    made = _notify(lead_focal, lead_agency, 60)
    Notification.objects.filter(pk=made[0].pk).update(
        read_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    )
    client = signed_in(lead_focal)
    first = client.get(NOTIFICATIONS, {"show": "all"})
    assert "Đánh dấu tất cả đã đọc" in first.text
    assert [n.pk for n in first.context["page"]] == [n.pk for n in reversed(made)][:50]
    next_url = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', first.text)[1]
    assert "show=all" in next_url
    second = client.get(NOTIFICATIONS + next_url.replace("&amp;", "&"))
    assert [n.pk for n in second.context["page"]] == [n.pk for n in reversed(made)][50:]
    assert second.context["page"].number == 2
    assert 'rel="next"' not in second.text
    assert 'rel="prev"' in second.text


def test_each_notification_says_what_where_and_when_in_local_time(lead_agency, lead_focal):
    """The items are drawn in Python (`urging/templatetags/urging.py`): what a person reads on
    each kind of item, and that nothing typed by someone else is taken as HTML."""
    task = make_task("Việc <b>có thẻ</b>", lead_agency, due=DEADLINE - DAY)
    made = dict(
        recipient=lead_focal, ref_on=DEADLINE, created_at=dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)
    )  # fmt: skip
    Notification.objects.bulk_create([
        Notification(task=task, kind=NotificationKind.OVERDUE, deadline=DEADLINE - DAY, **made),
        Notification(task=task, kind=NotificationKind.REPORTED, message="Đã báo <i>50%</i>",
                     link="/tasks/1/?a=1&b=2", read_at=made["created_at"], **made),
        Notification(kind=NotificationKind.DIGEST, **made),
    ])  # fmt: skip
    page = signed_in(lead_focal).get(NOTIFICATIONS, {"show": "all"}).text
    assert page.count("02/12/2026 00:30") == 3  # 17:30 UTC is past midnight in Hà Nội
    assert 'class="status status-overdue">Quá hạn</span>' in page
    assert 'class="status status-due_soon">Báo cáo tiến độ</span>' in page
    assert 'class="status status-ongoing">Tổng hợp hằng ngày</span>' in page
    assert f'<a href="/tasks/{task.pk}/">Việc &lt;b&gt;có thẻ&lt;/b&gt;</a>' in page
    assert "<b>có thẻ</b>" not in page
    assert "<p>Đã báo &lt;i&gt;50%&lt;/i&gt;</p>" in page
    assert 'href="/tasks/1/?a=1&amp;b=2">Xem và xử lý</a>' in page
    assert "Thư tổng hợp nhắc việc ngày 15/12/2026 đã được gửi." in page
    assert re.search(rf"BTCTW\s+· thời hạn {DEADLINE - DAY:%d/%m/%Y}\s", page)
    assert page.count(">Mới</strong>") == page.count(">Đánh dấu đã đọc</button>") == 2  # unread


def test_mark_read_from_the_page_passes_the_csrf_check(reminded, lead_focal):
    client = signed_in(lead_focal)
    client.handler.enforce_csrf_checks = True
    page = client.get(NOTIFICATIONS).text
    form = re.search(r'<form method="post" action="([^"]+)"\s+hx-post[^>]*>\s*<input type="hidden" '
                     r'name="csrfmiddlewaretoken" value="([^"]+)">', page)  # fmt: skip
    assert form is not None
    assert client.post(form[1]).status_code == 403  # without the token: refused
    assert client.post(form[1], {"csrfmiddlewaretoken": form[2]}, headers=HTMX).status_code == 200
    reminded.refresh_from_db()
    assert reminded.read_at is not None
