"""The reminder sweep: who is reminded of what, on which day, and never twice."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import Clearance
from dondoc.tracking.models import DeadlineKind, Priority
from dondoc.urging import bulk, services
from dondoc.urging.models import (
    EmailOutbox,
    Notification,
    ReminderRuleSet,
    ReminderSchedule,
    RuleSetKind,
)
from dondoc.urging.selectors import reminder_policies
from dondoc.urging.services import Recipients, SweepResult, reminder_sweep
from tests.urging.conftest import DAY, DEADLINE, at, make_task, sent

pytestmark = pytest.mark.django_db


def sweep_every_day(first: dt.date, last: dt.date) -> dict[dt.date, set[tuple[str, str, str]]]:
    """Run the sweep each day (twice, as the hourly beat would), under a travelled clock;
    return what each day created, as (kind, days relative to the deadline, recipient)."""
    created: dict[dt.date, set[tuple[str, str, str]]] = {}
    day = first
    while day <= last:
        before = set(Notification.objects.values_list("pk", flat=True))
        with at(day):
            reminder_sweep(timezone.localdate())
        with at(day, hour=15):
            again = reminder_sweep(timezone.localdate())
        assert again.notifications == 0
        new = Notification.objects.exclude(pk__in=before).filter(task__isnull=False)
        rows = new.values_list("kind", "ref_on", "recipient__username")
        if rows:
            created[day] = {(k, f"{(ref - DEADLINE).days:+d}", who) for k, ref, who in rows}
        day += DAY
    return created


def test_normal_task_is_reminded_at_its_edges(
    lead_agency, coord_agency, lead_focal, coord_focal, lead_head
):
    make_task("Xây dựng đề án", lead_agency, coordinators=[coord_agency])
    created = sweep_every_day(DEADLINE - 20 * DAY, DEADLINE + 11 * DAY)
    focal, coord, head = "daumoi.btctw", "daumoi.btgdvtw", "truong.btctw"
    overdue = lambda days: {("overdue", days, focal), ("overdue", days, coord)}  # noqa: E731
    assert created == {
        DEADLINE - 7 * DAY: {("due_soon", "-7", focal)},
        DEADLINE - 2 * DAY: {("due_soon", "-2", focal)},
        DEADLINE: {("due_today", "+0", focal)},
        DEADLINE + 1 * DAY: overdue("+1"),
        DEADLINE + 4 * DAY: overdue("+4"),
        DEADLINE + 7 * DAY: overdue("+7") | {("escalation", "+7", head)},
        DEADLINE + 10 * DAY: overdue("+10"),
    }


def test_urgent_and_key_tasks_start_14_days_before_and_escalate_after_3(
    lead_agency, lead_focal, lead_head
):
    make_task("Khẩn", lead_agency, priority=Priority.URGENT)
    make_task("Trọng tâm", lead_agency, due=DEADLINE + DAY, is_key=True)
    created = sweep_every_day(DEADLINE - 15 * DAY, DEADLINE + 5 * DAY)
    assert [day - DEADLINE for day in sorted(created)] == [
        d * DAY for d in (-14, -13, -7, -6, -2, -1, 0, 1, 2, 3, 4, 5)
    ]
    assert created[DEADLINE + 3 * DAY] == {("escalation", "+3", "truong.btctw")}
    assert ("escalation", "+4", "truong.btctw") in created[DEADLINE + 4 * DAY]  # the key task


def test_no_reminder_for_done_awaiting_cancelled_or_ongoing_tasks(lead_agency, lead_focal):
    day = DEADLINE + DAY
    make_task("Đã xong", lead_agency, reported_done_on=DEADLINE, accepted_on=DEADLINE)
    make_task("Chờ xác nhận", lead_agency, reported_done_on=DEADLINE - DAY)
    make_task("Đã hủy", lead_agency, cancelled_on=DEADLINE - 3 * DAY)
    make_task("Thường xuyên", lead_agency, deadline_kind=DeadlineKind.ONGOING)
    assert reminder_sweep(day).notifications == 0
    assert not ReminderSchedule.objects.exists()


def test_a_task_finished_after_its_schedule_was_made_is_parked(lead_agency, lead_focal):
    task = make_task("Xây dựng kế hoạch", lead_agency)
    reminder_sweep(DEADLINE - 10 * DAY)
    task.reported_done_on = DEADLINE - 8 * DAY
    task.save()
    result = reminder_sweep(DEADLINE - 7 * DAY)
    assert (result.parked, result.notifications) == (1, 0)
    schedule = ReminderSchedule.objects.get(pk=task.pk)
    assert (schedule.next_on, schedule.deadline) == (None, None)
    # returned by the office: reminders resume from the next sweep
    task.reported_done_on = None
    task.save()
    assert reminder_sweep(DEADLINE - 2 * DAY).notifications == 1


def test_an_extension_moves_the_schedule_to_the_new_deadline(lead_agency, lead_focal):
    task = make_task("Sơ kết", lead_agency)
    reminder_sweep(DEADLINE + DAY)
    assert sent() == {("overdue", DEADLINE + DAY, "daumoi.btctw")}
    task.extended_due_on = DEADLINE + 30 * DAY
    task.save()
    result = reminder_sweep(DEADLINE + 2 * DAY)
    assert (result.refreshed, result.notifications) == (1, 0)
    assert ReminderSchedule.objects.get(pk=task.pk).next_on == DEADLINE + 23 * DAY
    assert reminder_sweep(DEADLINE + 23 * DAY).notifications == 1


def test_a_task_found_long_overdue_gets_its_latest_notice_and_the_escalation(
    lead_agency, lead_focal, lead_head
):
    make_task("Quá hạn từ lâu", lead_agency, due=DEADLINE - 30 * DAY)
    reminder_sweep(DEADLINE)
    assert sent() == {
        ("overdue", DEADLINE - 2 * DAY, "daumoi.btctw"),  # steps +1, +4 … +28: the latest
        ("escalation", DEADLINE - 23 * DAY, "truong.btctw"),
    }


def test_changed_rules_apply_from_the_next_sweep(lead_agency, lead_focal, office_user):
    task = make_task("Hướng dẫn", lead_agency)
    reminder_sweep(DEADLINE - 20 * DAY)
    assert ReminderSchedule.objects.get(pk=task.pk).next_on == DEADLINE - 7 * DAY
    rules = ReminderRuleSet.objects.get(kind=RuleSetKind.NORMAL)
    services.rule_set_update(office_user, rules, days_before="10, 5")
    assert reminder_sweep(DEADLINE - 20 * DAY).refreshed == 1
    assert ReminderSchedule.objects.get(pk=task.pk).next_on == DEADLINE - 10 * DAY


def test_the_sweep_twice_the_same_day_sends_nothing_new(
    lead_agency, coord_agency, lead_focal, coord_focal, lead_head
):
    for n in range(5):
        make_task(f"Nhiệm vụ {n}", lead_agency, due=DEADLINE - n * DAY, coordinators=[coord_agency])
    first = reminder_sweep(DEADLINE + 7 * DAY)
    assert first.notifications > 0
    assert first.emails == first.notifications == EmailOutbox.objects.count()
    second = reminder_sweep(DEADLINE + 7 * DAY)
    assert (second.due, second.notifications, second.emails) == (0, 0, 0)


def test_a_row_claimed_by_another_worker_is_left_alone(lead_agency, lead_focal):
    """Two workers read the same due row; the second's compare-and-set changes nothing."""
    task = make_task("Báo cáo", lead_agency)
    reminder_sweep(DEADLINE - 20 * DAY)  # creates the schedule
    day = DEADLINE - 7 * DAY
    seen_by_a = ReminderSchedule.objects.select_related("task").get(pk=task.pk)
    seen_by_b = ReminderSchedule.objects.select_related("task").get(pk=task.pk)
    policies, recipients = reminder_policies(), Recipients.load()
    a, b = SweepResult(day), SweepResult(day)
    for seen, result in ((seen_by_a, a), (seen_by_b, b)):
        owed = services._schedules_advance([seen], day, policies, recipients, {task.pk: []}, result)
        services._notify_all(owed, day, result)
    assert (a.claimed, a.notifications) == (1, 1)
    assert (b.claimed, b.lost, b.notifications) == (0, 1, 0)
    assert Notification.objects.count() == EmailOutbox.objects.count() == 1


def test_the_database_refuses_a_second_copy_even_without_the_claim(lead_agency, lead_focal):
    """If the schedule were reset (a restore, a bug), the unique key still holds."""
    make_task("Báo cáo", lead_agency)
    reminder_sweep(DEADLINE)
    ReminderSchedule.objects.update(next_on=DEADLINE - 30 * DAY, rules_revision=0)
    assert reminder_sweep(DEADLINE).notifications == 0
    assert Notification.objects.count() == EmailOutbox.objects.count() == 1


def test_a_sweep_over_many_tasks_takes_as_many_queries_as_over_a_few(
    lead_agency, coord_agency, lead_focal, coord_focal, lead_head, digest_focal
):
    """Claims, notifications and e-mails are written a chunk per statement: the first sweep
    (every schedule new) and the next day's (every schedule claimed again) take the same
    number of queries for 3 tasks as for 60."""
    counts = []
    for n in (3, 60):
        Notification.objects.all().delete()
        ReminderSchedule.objects.all().delete()
        tasks = [
            make_task(f"Nhiệm vụ {n}.{k}", lead_agency, due=DEADLINE - k % 9 * DAY,
                      coordinators=[coord_agency])
            for k in range(n)
        ]  # fmt: skip
        with CaptureQueriesContext(connection) as first:
            result = reminder_sweep(DEADLINE + 7 * DAY)
        assert result.claimed == n
        assert result.notifications >= 3 * n
        with CaptureQueriesContext(connection) as steady:
            reminder_sweep(DEADLINE + 8 * DAY)
        counts.append((len(first), len(steady)))
        for task in tasks:
            task.delete()
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 12


def test_an_email_links_to_the_task_page_of_the_whole_site(lead_agency, lead_focal):
    task = make_task("Báo cáo", lead_agency)
    reminder_sweep(DEADLINE)
    assert reverse("tracking:task_detail", args=[task.pk]) in EmailOutbox.objects.get().body


def test_each_reminder_email_says_what_is_due_and_where_to_report(lead_agency, lead_focal):
    """The text is written in Python with words translated once per process (no template per
    e-mail): what a focal point reads, for a reminder before the deadline and on its day."""
    task = make_task("Kế hoạch <chuyển đổi số>", lead_agency, progress=40)
    reminder_sweep(DEADLINE - 3 * DAY)
    reminder_sweep(DEADLINE)
    soon, today = EmailOutbox.objects.order_by("pk")
    assert soon.subject == "Nhắc việc: nhiệm vụ sắp đến hạn (còn 3 ngày)"
    assert today.subject == "Nhắc việc: nhiệm vụ đến hạn hôm nay"
    path = reverse("tracking:task_detail", args=[task.pk])
    assert soon.body.startswith(
        "Kính gửi đồng chí,\n\nNhiệm vụ dưới đây còn 3 ngày đến hạn.\n\n"
        "Nhiệm vụ: Kế hoạch <chuyển đổi số>\nCơ quan chủ trì: Ban Tổ chức Trung ương\n"
        f"Thời hạn: {DEADLINE:%d/%m/%Y}\nTiến độ đã báo cáo: 40%\n\n"
        f"Xem và báo cáo tiến độ trong dondoc: http://127.0.0.1:8000{path}\n\n-- \n"
    )
    assert f"Nhiệm vụ dưới đây đến hạn hôm nay ({DEADLINE:%d/%m/%Y})." in today.body


def test_nobody_is_told_of_a_task_above_their_clearance(lead_agency, lead_focal):
    make_task("Mật", lead_agency, classification=Clearance.CONFIDENTIAL)
    reminder_sweep(DEADLINE)
    assert sent() == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_notification_once(
    monkeypatch, lead_agency, coord_agency, lead_focal, coord_focal, lead_head
):
    monkeypatch.setenv(services.THROTTLE_ENV, "2")  # make the two sweeps overlap
    tasks = [
        make_task(f"Nhiệm vụ {n}", lead_agency, due=DEADLINE - n * DAY, coordinators=[coord_agency])
        for n in range(40)
    ]
    start = threading.Barrier(2)
    results: list[SweepResult] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait()
            results.append(reminder_sweep(DEADLINE))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.claimed for r in results) == len(tasks)
    assert sum(r.notifications for r in results) == Notification.objects.count()
    # task n is n days overdue: a notice to both focal points, escalated from the 7th day;
    # the task due today: one reminder to the lead's focal point
    expected = 1 + sum(2 + (n >= 7) for n in range(1, 40))
    assert Notification.objects.count() == expected
    assert EmailOutbox.objects.count() == Notification.objects.count()
    assert reminder_sweep(DEADLINE).notifications == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes VALUES lists")
@pytest.mark.django_db
def test_the_sweeps_array_parameters_carry_any_text_dates_and_nulls():
    texts = ["a,b", "{x}", 'nói "rõ"', "back\\slash", "NULL", "", " cách ", "dòng\nmới", None]
    dates = [dt.date(2026, 12, 7), None, dt.date(1999, 1, 31)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unnest(%s::text[]), unnest(%s::integer[]), unnest(%s::boolean[])",
            [bulk._array(texts, "text"), bulk._array([*range(-4, 4), None], "integer"),
             bulk._array([True, False, None, *[True] * 6], "boolean")],
        )  # fmt: skip
        rows = cursor.fetchall()
        cursor.execute("SELECT unnest(%s::date[])", [bulk._array(dates, "date")])
        assert [d for (d,) in cursor.fetchall()] == dates
    assert [r[0] for r in rows] == texts
    assert [r[1] for r in rows] == [*range(-4, 4), None]
    assert [r[2] for r in rows] == [True, False, None, *[True] * 6]


def test_a_sweep_that_fills_the_tables_takes_their_statistics_again(
    monkeypatch, lead_agency, coord_agency, lead_focal, coord_focal
):
    """A first sweep fills tables PostgreSQL thinks empty; without fresh statistics each
    e-mail's foreign-key check scanned the notifications (docs/benchmarks.md). Past
    `ANALYZE_AFTER` new schedules, and each time the notifications have grown fourfold, the
    sweep takes the statistics again — and sends the same reminders."""
    monkeypatch.setattr(services, "ANALYZE_AFTER", 3)
    monkeypatch.setattr(services, "SWEEP_CHUNK", 1)
    taken: list[str] = []
    monkeypatch.setattr(bulk, "schedules_analyze", lambda: taken.append("schedules"))
    monkeypatch.setattr(bulk, "notifications_analyze", lambda: taken.append("notifications"))
    for k in range(6):
        make_task(f"Nhiệm vụ {k}", lead_agency, due=DEADLINE - k * DAY, coordinators=[coord_agency])
    result = reminder_sweep(DEADLINE + 7 * DAY)
    assert result.claimed == 6
    assert result.notifications == Notification.objects.count() >= 12
    # The schedules once they are in; the notifications once 3 are written (two per task,
    # before the third task's chunk); the next threshold, 12, is reached only by the last.
    assert taken == ["schedules", "notifications"]
    taken.clear()
    assert reminder_sweep(DEADLINE + 7 * DAY).notifications == 0  # nothing twice
    assert taken == []
