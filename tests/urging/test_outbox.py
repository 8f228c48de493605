"""E-mail: the outbox is sent once per row, failures are recorded and retried, and people who
chose the daily digest get one digest instead of an e-mail per reminder."""

import datetime as dt
import smtplib
import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from dondoc.urging.models import EmailOutbox, Notification, NotificationKind
from dondoc.urging.services import (
    LEASE,
    MAX_ATTEMPTS,
    backoff,
    digests_send,
    outbox_deliver,
    reminder_sweep,
)
from dondoc.urging.tasks import daily_digest_task, deliver_outbox_task, reminder_sweep_task
from tests.urging.conftest import DAY, DEADLINE, at, make_task

pytestmark = pytest.mark.django_db
FAILING = "tests.urging.test_outbox.FailingBackend"
COUNTING = "tests.urging.test_outbox.CountingBackend"
REFUSING_ONE = "tests.urging.test_outbox.RefusingOneBackend"
SLOW = "tests.urging.test_outbox.SlowBackend"


class FailingBackend(BaseEmailBackend):
    """The mail server, refusing everything (the outside world, mocked)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class CountingBackend(LocmemBackend):
    """The mail server as Django's SMTP backend uses it: a connection is opened once and
    reused until closed; the test counts the connections (SMTP sessions)."""

    sessions = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        CountingBackend.sessions += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False


class RefusingOneBackend(LocmemBackend):
    """A mail server that refuses one recipient address and takes every other message."""

    def send_messages(self, email_messages):
        if any("daumoi.btgdvtw" in m.to[0] for m in email_messages):
            raise smtplib.SMTPRecipientsRefused({"daumoi.btgdvtw@example.vn": (550, b"no")})
        return super().send_messages(email_messages)


class SlowBackend(LocmemBackend):
    """A mail server taking 2 ms per message, so that two workers overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.002 * len(email_messages))
        return super().send_messages(email_messages)


def many_overdue(lead_agency, coord_agency, count: int) -> None:
    """`count` overdue tasks swept: twice `count` e-mails queued, none sent yet."""
    for n in range(count):
        make_task(f"Nhiệm vụ {n}", lead_agency, due=DEADLINE - DAY, coordinators=[coord_agency])
    reminder_sweep(DEADLINE)
    mail.outbox.clear()  # the sweep's own after-commit delivery is not what these tests are about
    EmailOutbox.objects.update(sent_at=None, attempts=0, next_attempt_at=timezone.now())


@pytest.fixture
def queued(lead_agency, coord_agency, lead_focal, coord_focal) -> int:
    """Three overdue tasks: six e-mails queued (lead and coordinating focal points)."""
    for n in range(3):
        make_task(f"Nhiệm vụ {n}", lead_agency, due=DEADLINE - DAY, coordinators=[coord_agency])
    with at(DEADLINE):
        reminder_sweep(DEADLINE)
    return EmailOutbox.objects.count()


def test_each_outbox_row_is_sent_exactly_once_even_if_delivery_runs_twice(queued):
    assert queued == 6
    with at(DEADLINE):
        first, second = outbox_deliver(), outbox_deliver()
    assert (first.sent, second.sent) == (6, 0)
    assert len(mail.outbox) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        EmailOutbox.objects.values_list("to", flat=True)
    )
    assert not EmailOutbox.objects.filter(sent_at__isnull=True).exists()
    assert set(EmailOutbox.objects.values_list("attempts", flat=True)) == {1}
    message = mail.outbox[0]
    assert message.subject == "Nhắc việc: nhiệm vụ đã quá hạn 1 ngày"
    assert "Cơ quan chủ trì: Ban Tổ chức Trung ương" in message.body
    assert message.extra_headers["Message-ID"].startswith("<outbox-")


def test_a_row_being_sent_by_another_worker_is_not_picked_up(queued):
    row = EmailOutbox.objects.first()
    with at(DEADLINE):  # what another worker's claim leaves: one attempt, leased for a while
        EmailOutbox.objects.filter(pk=row.pk).update(
            attempts=1, next_attempt_at=timezone.now() + LEASE
        )
        assert outbox_deliver().sent == queued - 1
    assert len(mail.outbox) == queued - 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_share_the_outbox_and_send_each_row_once(
    settings, lead_agency, coord_agency, lead_focal, coord_focal
):
    many_overdue(lead_agency, coord_agency, 60)
    settings.EMAIL_BACKEND = SLOW
    start = threading.Barrier(2)
    results = []

    def deliver() -> None:
        start.wait()
        results.append(outbox_deliver(batch=10))
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == len(mail.outbox) == EmailOutbox.objects.count() == 120
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 120
    assert all(r.sent for r in results)  # both worked: the second skipped the first's rows
    assert not EmailOutbox.objects.filter(sent_at__isnull=True).exists()
    assert set(EmailOutbox.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_rows_another_worker_is_claiming_are_skipped_not_waited_for(
    lead_agency, coord_agency, lead_focal, coord_focal
):
    many_overdue(lead_agency, coord_agency, 5)
    held = list(EmailOutbox.objects.order_by("next_attempt_at", "id").values_list("pk", flat=True))
    locked, release = threading.Event(), threading.Event()

    def other_worker_claiming() -> None:  # holds the first three rows' locks, as a claim does
        from django.db import transaction

        with transaction.atomic():
            list(EmailOutbox.objects.select_for_update().filter(pk__in=held[:3]))
            locked.set()
            release.wait(30)
        connection.close()

    other = threading.Thread(target=other_worker_claiming)
    other.start()
    assert locked.wait(30)
    try:
        result = outbox_deliver()  # would block here without SKIP LOCKED
    finally:
        release.set()
        other.join()
    assert result.sent == 7
    assert {int(m.extra_headers["X-Dondoc-Outbox"]) for m in mail.outbox} == set(held[3:])
    assert outbox_deliver().sent == 3  # once the other worker let go, they are sent too


def test_a_batch_goes_through_one_smtp_connection(settings, queued):
    settings.EMAIL_BACKEND = COUNTING
    CountingBackend.sessions = 0
    with at(DEADLINE):
        assert outbox_deliver(batch=4).sent == queued == 6
    assert CountingBackend.sessions == 2  # batches of 4 and 2
    assert len(mail.outbox) == 6


def test_delivery_queries_do_not_grow_with_the_messages(
    django_assert_num_queries, lead_agency, coord_agency, lead_focal, coord_focal
):
    many_overdue(lead_agency, coord_agency, 3)
    with django_assert_num_queries(5):  # claim (savepoint, select, update, release), mark sent
        assert outbox_deliver().sent == 6
    many_overdue(lead_agency, coord_agency, 40)
    with django_assert_num_queries(5):
        assert outbox_deliver().sent == 86


def test_a_refused_message_is_retried_later_and_the_rest_of_the_batch_sent(settings, queued):
    settings.EMAIL_BACKEND = REFUSING_ONE
    with at(DEADLINE, hour=9):
        result = outbox_deliver()
    assert (result.sent, result.failed) == (3, 3)  # the lead's three sent, the coordinator's not
    refused = EmailOutbox.objects.filter(to="daumoi.btgdvtw@example.vn")
    assert all(
        r.sent_at is None and r.last_error.startswith("SMTPRecipientsRefused") for r in refused
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(DEADLINE, hour=10):
        assert outbox_deliver().sent == 3
    assert sorted(m.to[0] for m in mail.outbox).count("daumoi.btgdvtw@example.vn") == 3


def test_a_message_failing_ten_times_is_kept_unsent_with_its_error(settings, queued):
    settings.EMAIL_BACKEND = FAILING
    EmailOutbox.objects.update(attempts=MAX_ATTEMPTS - 1)
    with at(DEADLINE, hour=9):
        assert (outbox_deliver().failed, outbox_deliver().failed) == (3, 3)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(DEADLINE + 2 * DAY):
        assert outbox_deliver().sent == 0  # given up: not tried again
    given_up = EmailOutbox.objects.filter(attempts=MAX_ATTEMPTS, sent_at__isnull=True)
    assert given_up.count() == queued
    assert all(row.last_error.startswith("SMTPServerDisconnected") for row in given_up)


def test_a_failing_mail_server_is_recorded_and_the_row_retried_later(settings, queued):
    settings.EMAIL_BACKEND = FAILING
    with at(DEADLINE, hour=9):
        result = outbox_deliver()
    # three failures in a row: the server is down, stop and leave the rest for later
    assert (result.sent, result.failed) == (0, 3)
    failed = EmailOutbox.objects.filter(attempts=1)
    assert failed.count() == 3
    for row in failed:
        assert row.sent_at is None
        assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert row.next_attempt_at == dt.datetime(2026, 12, 15, 2, 5, tzinfo=dt.UTC)  # 09:05 +7
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(DEADLINE, hour=9):
        assert outbox_deliver().sent == 3  # the three never tried; the failed ones wait
    with at(DEADLINE, hour=10):
        assert outbox_deliver().sent == 3  # backoff over: retried, sent once
    assert len(mail.outbox) == 6
    assert not EmailOutbox.objects.exclude(last_error="").exists()
    assert sorted(EmailOutbox.objects.values_list("attempts", flat=True)) == [1, 1, 1, 2, 2, 2]


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3)] == [dt.timedelta(minutes=m) for m in (5, 10, 20)]
    assert backoff(12) == dt.timedelta(hours=6)


def test_sending_happens_after_commit(django_capture_on_commit_callbacks, queued, lead_agency):
    make_task("Thêm", lead_agency, due=DEADLINE)
    with at(DEADLINE), django_capture_on_commit_callbacks(execute=True) as callbacks:
        reminder_sweep(DEADLINE)
    assert len(callbacks) == 1  # one delivery job per sweep, run after commit
    assert len(mail.outbox) == queued + 1


def test_digest_readers_get_no_immediate_email_and_one_digest(
    lead_agency, lead_focal, digest_focal
):
    make_task("Sắp đến hạn", lead_agency, due=DEADLINE + 2 * DAY)
    make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    with at(DEADLINE):
        reminder_sweep(DEADLINE)
        outbox_deliver()
    assert {m.to[0] for m in mail.outbox} == {"daumoi.btctw@example.vn"}  # immediate only
    assert Notification.objects.filter(recipient=digest_focal, digest_pending=True).count() == 2

    mail.outbox.clear()
    with at(DEADLINE + DAY, hour=7):
        assert digests_send(DEADLINE + DAY).digests == 1
        assert digests_send(DEADLINE + DAY).digests == 0  # a rerun sends nothing
        outbox_deliver()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["daumoi2.btctw@example.vn"]
    assert digest.subject == "Tổng hợp nhắc việc ngày 16/12/2026: 2 thông báo"
    assert "QUÁ HẠN (1)" in digest.body
    assert "SẮP ĐẾN HẠN (1)" in digest.body
    record = Notification.objects.get(kind=NotificationKind.DIGEST)
    assert record.items.count() == 2
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_a_notification_after_the_digest_waits_for_the_next_day(lead_agency, digest_focal):
    make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    reminder_sweep(DEADLINE)
    digests_send(DEADLINE)
    make_task("Mới quá hạn", lead_agency, due=DEADLINE - DAY)
    reminder_sweep(DEADLINE)
    assert digests_send(DEADLINE).digests == 0
    assert digests_send(DEADLINE + DAY).items == 1


def test_jobs_are_recorded(queued):
    from dondoc.core.models import JobRun

    with at(DEADLINE + 3 * DAY):
        reminder_sweep_task.apply()
        deliver_outbox_task.apply()
        daily_digest_task.apply(kwargs={"day": "2026-12-18"})
    runs = {r.name: r for r in JobRun.objects.all()}
    assert set(runs) == {"reminder_sweep", "outbox_deliver", "daily_digest"}
    assert all(r.succeeded for r in runs.values())
    assert runs["reminder_sweep"].detail.startswith("2026-12-18: ")
    assert runs["outbox_deliver"].detail.startswith("12 sent")


def test_reminder_links_to_the_task_at_the_sites_address(settings, lead_agency, lead_focal):
    settings.SITE_URL = "https://dondoc.vptw.vn/"
    task = make_task("Nhiệm vụ có liên kết", lead_agency, due=DEADLINE - DAY)
    with at(DEADLINE):
        reminder_sweep(DEADLINE)
    body = EmailOutbox.objects.get(notification__task=task).body
    assert f"https://dondoc.vptw.vn/tasks/{task.pk}/" in body
