"""Urging: the reminder sweep, the e-mail outbox, the daily digest, the office's rules.

Guarantees (docs/urging.md tells how they are tested):

- *No duplicate.* A due schedule row is claimed by compare-and-set
  (`filter(pk=…, next_on=old).update(next_on=new)`, proceeding only when exactly one row
  changed), and a notification is unique per (recipient, task, kind, reference date) in the
  database: whichever worker or retry comes second creates nothing.
- *Nothing lost.* The claim, the notifications and their outbox e-mails are written in one
  transaction: a worker killed half-way rolls all of it back, the row stays due, and the
  redelivered job does it. E-mails are sent after commit from the outbox; a failure is recorded
  and retried with backoff.
"""

import datetime as dt
import functools
import logging
import os
import smtplib
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dondoc.accounts import rules
from dondoc.accounts.models import NotificationMode, RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.audit.services import Change, audit_record, audit_record_many, diff
from dondoc.core.text import clean, normalize
from dondoc.tracking.models import Coordination, Task
from dondoc.tracking.status import TaskStatus, status_filter, status_of
from dondoc.urging import bulk
from dondoc.urging import policy as steps
from dondoc.urging.models import (
    DEFAULT_RULES,
    EmailOutbox,
    Notification,
    NotificationKind,
    ReminderRuleSet,
    ReminderSchedule,
    RuleSetKind,
)
from dondoc.urging.policy import Policy
from dondoc.urging.selectors import (
    NOT_URGENT,
    URGENT,
    is_urgent,
    reminder_policies,
    tasks_to_urge,
)

log = logging.getLogger("dondoc.urging")

OPEN = (TaskStatus.OVERDUE, TaskStatus.DUE_SOON, TaskStatus.OPEN_ON_TIME)
SWEEP_CHUNK = 200
# Rows written past which a table's statistics are taken again (PostgreSQL's ANALYZE): the
# first sweep of a database, or one after the tables were emptied, fills tables its
# statistics call empty, and PostgreSQL planned what reads them as scans of the whole table —
# each e-mail's foreign-key check scanned the notifications (national, without autovacuum:
# 108,000 scans, 2.3 billion rows read, 290 s instead of ~40 s; docs/benchmarks.md). Taken
# after the refresh for the schedules, and for the notifications and e-mails each time they
# have grown fourfold since (10,000, 40,000, 160,000 …): a few ANALYZEs of ~0.1 s.
ANALYZE_AFTER = 10_000
THROTTLE_ENV = "DONDOC_SWEEP_THROTTLE_MS"  # test hook: sleep per claimed row (docs/urging.md)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# The sweep -------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    day: dt.date
    refreshed: int = 0  # schedules created or computed again (new task, changed deadline…)
    due: int = 0  # rows found due
    claimed: int = 0  # rows this sweep claimed and advanced
    parked: int = 0  # rows of tasks no longer open (done, cancelled…)
    lost: int = 0  # rows another worker claimed first
    notifications: int = 0
    emails: int = 0

    def summary(self) -> str:
        return (
            f"{self.day:%Y-%m-%d}: {self.refreshed} schedules refreshed, {self.due} due, "
            f"{self.claimed} claimed, {self.parked} parked, {self.lost} taken by another worker; "
            f"{self.notifications} notifications, {self.emails} e-mails queued"
        )


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    digest: bool
    clearance: int


@dataclass
class Recipients:
    """Focal points and heads of every agency, loaded once per sweep."""

    focal: dict[int, list[Recipient]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, list[Recipient]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> "Recipients":
        found = cls()
        rows = (
            User.objects.filter(
                is_active=True,
                agency__isnull=False,
                roles__code__in=[RoleCode.FOCAL, RoleCode.HEAD],
            )
            .values_list(
                "pk", "agency_id", "email", "notification_mode", "clearance", "roles__code"
            )
            .order_by("pk")
        )
        for pk, agency_id, email, mode, clearance, role in rows:
            person = Recipient(pk, email or "", mode == NotificationMode.DIGEST, clearance)
            (found.focal if role == RoleCode.FOCAL else found.heads)[agency_id].append(person)
        return found

    def for_reminder(self, kind: str, task: Task, coordinators: list[int]) -> list[Recipient]:
        """Focal points of the lead agency; for an overdue notice also those of coordinating
        agencies; for an escalation the heads of the lead agency. Never someone whose clearance
        is below the task's classification."""
        if kind == steps.ESCALATION:
            people = list(self.heads.get(task.lead_agency_id, []))
        else:
            people = list(self.focal.get(task.lead_agency_id, []))
            if kind == steps.OVERDUE:
                for agency_id in coordinators:
                    people += self.focal.get(agency_id, [])
        unique = {p.id: p for p in people if p.clearance >= task.classification}
        return list(unique.values())


def reminder_sweep(day: dt.date) -> SweepResult:
    """Send the reminders due on `day`: refresh the schedules of tasks that are new or whose
    deadline, urgency or rules changed, then claim and process every row due on or before
    `day`, a chunk at a time. Safe to run twice, or on two workers at once."""
    result = SweepResult(day)
    policies = reminder_policies()
    result.refreshed = _schedules_refresh(day, policies)
    recipients = Recipients.load()
    due_ids = list(
        ReminderSchedule.objects.filter(next_on__lte=day)
        .order_by("pk")
        .values_list("pk", flat=True)
    )  # ids first; each chunk is then read with its tasks
    result.due = len(due_ids)
    analyze_at = ANALYZE_AFTER
    for chunk in _batched(due_ids, SWEEP_CHUNK):
        if result.notifications >= analyze_at:  # the table grew: plan its checks afresh
            bulk.notifications_analyze()
            analyze_at *= 4
        coordinators = _coordinators(chunk)
        with transaction.atomic():  # the chunk's claims, notifications and e-mails, or nothing
            rows = list(
                ReminderSchedule.objects.filter(pk__in=chunk, next_on__lte=day)
                .select_related("task", "task__lead_agency", "task__document")
                .select_for_update(of=("self",))  # PostgreSQL: locked in the order of the ids,
                .order_by("pk")  # so two workers' chunks wait for each other, never deadlock
            )
            result.lost += len(chunk) - len(rows)  # claimed meanwhile by another worker
            owed = _schedules_advance(rows, day, policies, recipients, coordinators, result)
            _notify_all(owed, day, result)
    if result.emails:
        transaction.on_commit(outbox_deliver_soon)
    return result


def _open_tasks(day: dt.date) -> QuerySet[Task]:
    """Tasks with a deadline that are not done, awaiting acceptance, cancelled or ongoing."""
    condition = Q()
    for status in OPEN:
        condition |= status_filter(status, day)
    return Task.objects.filter(condition)


def _stale(policies: dict[bool, Policy]) -> Q:
    """The task's schedule is missing, parked, or computed from another deadline, urgency or
    revision of the rules. Only positive comparisons, so one LEFT JOIN serves them all."""
    s = "reminder_schedule__"

    def differs(name: str, value: Any) -> Q:
        return Q(**{f"{s}{name}__lt": value}) | Q(**{f"{s}{name}__gt": value})

    return (
        Q(**{f"{s}deadline__isnull": True})
        | differs("deadline", F("effective_due"))
        | (Q(**{f"{s}urgent": True}) & NOT_URGENT)
        | (Q(**{f"{s}urgent": False}) & URGENT)
        | (URGENT & differs("rules_revision", policies[True].revision))
        | (NOT_URGENT & differs("rules_revision", policies[False].revision))
    )


def _schedules_refresh(day: dt.date, policies: dict[bool, Policy]) -> int:
    """Create or compute again the schedules of open tasks whose schedule is stale. A new or
    recomputed schedule starts at the first step of its series; the due pass then sends only
    the latest step on or before `day` (see `policy.reminders_due`). An existing schedule is
    rewritten by compare-and-set on what it was computed from, a chunk per statement."""
    stale = (
        _open_tasks(day)
        .annotate(
            effective_due=Coalesce(F("extended_due_on"), F("due_on")),
            urgent=Case(When(URGENT, then=Value(True)), default=Value(False)),
        )
        .filter(_stale(policies))
        .values_list(
            "pk",
            "effective_due",
            "urgent",
            "reminder_schedule__task_id",
            "reminder_schedule__deadline",
            "reminder_schedule__urgent",
            "reminder_schedule__rules_revision",
        )
        .order_by("pk")
    )
    refreshed = inserted = 0
    now = timezone.now()
    starts: dict[tuple[bool, dt.date], tuple[dt.date | None, str]] = {}  # tasks share deadlines
    for chunk in _batched(stale.iterator(chunk_size=2000), 1000):
        new, again = [], []
        for pk, deadline, urgent, existing, old_deadline, old_urgent, old_revision in chunk:
            policy = policies[bool(urgent)]
            if (bool(urgent), deadline) not in starts:
                start = steps.first_step(policy, deadline)
                starts[bool(urgent), deadline] = start, steps.step_label(policy, deadline, start)
            first, step = starts[bool(urgent), deadline]
            if existing is None:
                new.append(
                    bulk.NewSchedule(pk, first, step, deadline, bool(urgent), policy.revision)
                )
                continue
            seen = bulk.Seen(None, old_deadline, old_urgent, old_revision)
            again.append(bulk.Claim(pk, seen, first, step, deadline, bool(urgent), policy.revision))
        refreshed += len(bulk.schedules_claim(again, now))
        bulk.schedules_insert(new, now)
        inserted += len(new)
    if inserted >= ANALYZE_AFTER:
        bulk.schedules_analyze()
    return refreshed + inserted


def _coordinators(task_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = Coordination.objects.filter(task_id__in=task_ids).values_list("task_id", "agency_id")
    for task_id, agency_id in rows:
        found[task_id].append(agency_id)
    return found


def _schedules_advance(
    rows: list[ReminderSchedule],
    day: dt.date,
    policies: dict[bool, Policy],
    recipients: Recipients,
    coordinators: dict[int, list[int]],
    result: SweepResult,
) -> "Owed":
    """Claim the due `rows` of a chunk, in one statement of compare-and-sets (`bulk`), and
    return the notifications owed by those this worker claimed, to be created in the same
    transaction (`_notify_all`). A row another worker claimed first owes nothing here."""
    claims: list[bulk.Claim] = []
    owed: dict[int, Owed] = {}
    for row in rows:
        task = row.task
        seen = bulk.Seen(row.next_on, row.deadline, row.urgent, row.rules_revision)
        if status_of(task, day) not in OPEN or task.effective_due_on is None:
            claims.append(bulk.Claim(row.pk, seen, None, "", None))  # parked
            continue
        deadline: dt.date = task.effective_due_on
        urgent = is_urgent(task)
        policy = policies[urgent]
        since = row.next_on
        if (row.deadline, row.urgent, row.rules_revision) != (deadline, urgent, policy.revision):
            since = steps.first_step(policy, deadline)  # changed since the refresh: compute again
        due = steps.reminders_due(policy, deadline, since, day) if since and since <= day else []
        next_on = steps.step_after(policy, deadline, day)
        step = steps.step_label(policy, deadline, next_on)
        claims.append(bulk.Claim(row.pk, seen, next_on, step, deadline, urgent, policy.revision))
        owed[row.pk] = [
            (task, person, kind, ref_on)
            for kind, ref_on in due
            for person in recipients.for_reminder(kind, task, coordinators[row.pk])
        ]
    won = bulk.schedules_claim(claims, timezone.now())
    result.lost += len(claims) - len(won)
    result.parked += len(won - owed.keys())
    claimed = sorted(won & owed.keys())
    result.claimed += len(claimed)
    for _pk in claimed:
        _throttle()
    return [item for pk in claimed for item in owed[pk]]


def _throttle() -> None:
    """Test hook: with DONDOC_SWEEP_THROTTLE_MS set, sleep after each claim, inside its chunk's
    transaction, so that a test can kill the worker in the middle of a sweep."""
    delay = os.environ.get(THROTTLE_ENV)
    if delay:
        time.sleep(int(delay) / 1000)


Owed = list[tuple[Task, Recipient, str, dt.date]]  # (task, person, kind, reference date)


def _notify_all(owed: Owed, day: dt.date, result: SweepResult) -> None:
    """The notifications `owed` that do not exist yet, in one insert (the database's unique key
    leaves out those sent before), and in one more the e-mails of those who want them at once,
    each text written once per task and kind (it names no recipient)."""
    now = timezone.now()  # once, not a default per row: 600,000 rows on a national first day
    created = bulk.notifications_insert(
        [
            bulk.NewNotification(
                person.id, task.pk, kind, ref_on, task.effective_due_on,
                digest_pending=person.digest and bool(person.email),
            )
            for task, person, kind, ref_on in owed
        ],
        now,
    )  # fmt: skip
    result.notifications += len(created)
    texts: dict[tuple[int, str, dt.date], tuple[str, str]] = {}
    emails = []
    for task, person, kind, ref_on in owed:
        pk = created.get((person.id, task.pk, kind, ref_on))
        if pk is None or not person.email or person.digest:
            continue
        key = (task.pk, kind, ref_on)
        if key not in texts:
            texts[key] = _reminder_email(kind, task, day)
        subject, body = texts[key]
        emails.append(bulk.NewEmail(pk, person.email, subject, body))
    result.emails += bulk.emails_insert(emails, now)


TASK_URLS = "dondoc.tracking.urls"  # mounted at the site's root (dondoc/urls.py)


def _task_path(task: Task) -> str:
    """The task's address for an e-mail: absolute, so a mail client can open it. Reversed in
    the tracking app's own URLs: the whole site's would import every app and the API (12-17 s
    on the shared machine) into a worker that only sends reminders (docs/benchmarks.md);
    tests/urging/test_sweep.py checks that both give the same address."""
    path = _task_path_pattern(get_script_prefix()).replace(_ANY_PK, str(task.pk))
    return settings.SITE_URL.rstrip("/") + path


_ANY_PK = "987654321"  # stands for a task's id in the path reversed once


@functools.lru_cache(maxsize=4)
def _task_path_pattern(script_prefix: str) -> str:
    """The task page's path with `_ANY_PK` (`script_prefix`: the key): reversed once, not per
    e-mail."""
    return reverse("task_detail", TASK_URLS, args=[_ANY_PK])


SUBJECTS = {  # marked for translation here, translated when the e-mail is written
    NotificationKind.DUE_SOON: gettext_noop("Nhắc việc: nhiệm vụ sắp đến hạn (còn %(days)s ngày)"),
    NotificationKind.DUE_TODAY: gettext_noop("Nhắc việc: nhiệm vụ đến hạn hôm nay"),
    NotificationKind.OVERDUE: gettext_noop("Nhắc việc: nhiệm vụ đã quá hạn %(days)s ngày"),
    NotificationKind.ESCALATION: gettext_noop(
        "Báo cáo người đứng đầu: nhiệm vụ quá hạn %(days)s ngày"
    ),
}


SENTENCES = {  # the reminder's first sentence per kind (`days`: before or past the deadline)
    NotificationKind.DUE_SOON: gettext_noop("Nhiệm vụ dưới đây còn %(days)s ngày đến hạn."),
    NotificationKind.DUE_TODAY: gettext_noop("Nhiệm vụ dưới đây đến hạn hôm nay (%(date)s)."),
    NotificationKind.OVERDUE: gettext_noop(
        "Nhiệm vụ dưới đây đã quá hạn %(days)s ngày mà chưa hoàn thành."
    ),
    NotificationKind.ESCALATION: gettext_noop(
        "Nhiệm vụ dưới đây, do cơ quan đồng chí chủ trì, đã quá hạn %(days)s ngày mà chưa hoàn "
        "thành. Đề nghị đồng chí chỉ đạo hoàn thành, hoặc đề nghị gia hạn nêu rõ lý do."
    ),
}


@functools.lru_cache(maxsize=4)
def _reminder_words(language: str) -> dict[str, str]:
    """The reminder e-mail's words in `language`, translated once per process instead of
    through a template per e-mail: a national first sweep writes ~40,000 texts, and the
    template engine was a third of its CPU (docs/benchmarks.md)."""
    with translation.override(language):
        words = {f"sentence:{kind}": _(text) for kind, text in SENTENCES.items()}
        words |= {
            "greeting": _("Kính gửi đồng chí,"),
            "task": _("Nhiệm vụ"),
            "document": _("Văn bản"),
            "lead": _("Cơ quan chủ trì"),
            "deadline": _("Thời hạn"),
            "progress": _("Tiến độ đã báo cáo"),
            "open": _("Xem và báo cáo tiến độ trong dondoc"),
            "footer": _(
                "Thư tự động của dondoc — theo dõi, đôn đốc. Muốn nhận một thư tổng hợp mỗi ngày "
                "thay cho từng thư, chọn “Tổng hợp hằng ngày” trong trang cá nhân."
            ),
        }
        words |= {f"subject:{kind}": _(text) for kind, text in SUBJECTS.items()}
    return words


def _reminder_email(kind: str, task: Task, day: dt.date) -> tuple[str, str]:
    """The subject and body of a reminder of `kind` about `task` (plain text, in the site's
    language), cleaned as the outbox's columns store them (the sweep writes them without
    model objects)."""
    w = _reminder_words(settings.LANGUAGE_CODE)
    deadline = task.effective_due_on or day
    days = abs((deadline - day).days)
    subject = w[f"subject:{kind}"] % {"days": days}
    sentence = w[f"sentence:{kind}"] % {"days": days, "date": f"{day:%d/%m/%Y}"}
    document = f"{w['document']}: {task.document.symbol}\n" if task.document else ""
    due = f"{task.effective_due_on:%d/%m/%Y}" if task.effective_due_on else ""
    body = (
        f"{w['greeting']}\n\n{sentence}\n\n{w['task']}: {task.title}\n{document}"
        f"{w['lead']}: {task.lead_agency.name}\n{w['deadline']}: {due}\n"
        f"{w['progress']}: {task.progress}%\n\n{w['open']}: {_task_path(task)}\n\n-- \n"
        f"{w['footer']}\n\n"
    )
    return clean(subject)[:255], clean(body)


def outbox_deliver_soon() -> None:
    """After commit: ask a worker to send the outbox now. If the broker cannot be reached the
    rows simply wait for the periodic delivery (every 5 minutes): nothing is lost."""
    from dondoc.urging.tasks import deliver_outbox_task  # the task module imports this one

    try:
        deliver_outbox_task.delay()
    except Exception:
        log.warning("could not enqueue outbox delivery; the periodic run will send", exc_info=True)


# The outbox ------------------------------------------------------------------------------------

MAX_ATTEMPTS = 10
LEASE = dt.timedelta(minutes=15)  # a claimed row is not picked again for this long
BACKOFF_BASE = dt.timedelta(minutes=5)
BACKOFF_MAX = dt.timedelta(hours=6)
GIVE_UP_AFTER_FAILURES_IN_A_ROW = 3  # the mail server is down: stop this run, retry later
OUTBOX_BATCH = 100  # rows claimed together and sent through one SMTP connection


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    released: int = 0  # claimed, not tried: the mail server was down; due again at once

    def summary(self) -> str:
        return f"{self.sent} sent, {self.failed} failed, {self.released} left for the next run"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` failed ones: 5, 10, 20… minutes, at most 6 h."""
    delay: dt.timedelta = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, BACKOFF_MAX)


def outbox_deliver(limit: int = 500, batch: int = OUTBOX_BATCH) -> DeliveryResult:
    """Send the e-mails that are due, `batch` rows at a time: claim them (`_outbox_claim`), send
    them through one SMTP connection, then mark the sent ones in one UPDATE. A failure records
    the error and the time of the next try; after three failures in a row the server is taken
    to be down and the batch's untried rows are released for the next run. A row marked sent is
    never selected again."""
    result = DeliveryResult()
    while (room := limit - result.sent - result.failed - result.released) > 0:
        rows = _outbox_claim(min(batch, room))
        if not rows or not _outbox_send(rows, result) or len(rows) < min(batch, room):
            break  # nothing (more) due, or the mail server is down
    return result


def _outbox_claim(size: int) -> list[EmailOutbox]:
    """Take up to `size` due rows, oldest first, and lease them: `attempts + 1`, `next_attempt_at
    = now + LEASE`, so no other worker picks them while they are sent. On PostgreSQL the rows are
    read `FOR UPDATE SKIP LOCKED`: a second worker claiming at the same moment takes the next
    rows instead of waiting; on SQLite the transaction holds the write lock from its start."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            EmailOutbox.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS)
            .order_by("next_attempt_at", "id")[:size]
        )
        EmailOutbox.objects.filter(pk__in=[row.pk for row in rows]).update(
            attempts=F("attempts") + 1, next_attempt_at=now + LEASE
        )
    for row in rows:
        row.attempts += 1
    return rows


def _outbox_send(rows: list[EmailOutbox], result: DeliveryResult) -> bool:
    """Send claimed rows through one connection; record what happened. False: the mail server
    failed three times in a row (the rows not tried are released)."""
    sent: list[int] = []
    failures_in_a_row = 0
    connection = get_connection()
    try:
        for index, row in enumerate(rows):
            try:
                connection.open()  # once per batch; again only after a failure closed it
                _send(row, connection)
            except Exception as error:
                result.failed += 1
                failures_in_a_row += 1
                _outbox_failed(row, error)
                _close(connection)  # the next message opens a fresh one
                if failures_in_a_row >= GIVE_UP_AFTER_FAILURES_IN_A_ROW:
                    result.released += _outbox_release(rows[index + 1 :])
                    return False
                continue
            failures_in_a_row = 0
            sent.append(row.pk)
    finally:
        _close(connection)
        EmailOutbox.objects.filter(pk__in=sent).update(sent_at=timezone.now(), last_error="")
        result.sent += len(sent)
    return True


def _close(connection: Any) -> None:
    """Close an SMTP connection that may already be broken: whatever QUIT answers is moot."""
    with suppress(smtplib.SMTPException, OSError):
        connection.close()


def _outbox_failed(row: EmailOutbox, error: Exception) -> None:
    EmailOutbox.objects.filter(pk=row.pk).update(
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + backoff(row.attempts),
    )
    log.warning("e-mail %s failed (attempt %s): %s", row.pk, row.attempts, error)


def _outbox_release(rows: list[EmailOutbox]) -> int:
    """Give back claimed rows that were not tried: the claim's attempt is undone, due now."""
    return EmailOutbox.objects.filter(pk__in=[row.pk for row in rows]).update(
        attempts=F("attempts") - 1, next_attempt_at=timezone.now()
    )


def _send(row: EmailOutbox, connection: Any) -> None:
    message = EmailMessage(
        normalize(row.subject),  # one line: a line break in a header is refused
        clean(row.body),  # rows queued before the columns cleaned their text
        to=[row.to],
        connection=connection,
        # One Message-ID per row: if a crash between sending and recording makes us send it
        # again, mail servers and clients can tell it is the same message.
        headers={"Message-ID": f"<outbox-{row.pk}@dondoc>", "X-Dondoc-Outbox": str(row.pk)},
    )
    message.send()


def emails_erase(user: User) -> int:
    """The account erasure's hook (`accounts.services.user_erase`): e-mails not yet sent to the
    person are dropped (their address is being erased; nothing is sent to an erased account),
    those sent lose their address (the row stays: what was sent and when), and no digest is
    built for them. Returns the rows changed; a second call finds none."""
    mine = EmailOutbox.objects.filter(notification__recipient=user)
    dropped: int = mine.filter(sent_at__isnull=True).delete()[0]
    blanked = mine.exclude(to="").update(to="")
    undigested = Notification.objects.filter(recipient=user, digest_pending=True).update(
        digest_pending=False
    )
    return dropped + blanked + undigested


# The daily digest ------------------------------------------------------------------------------


@dataclass
class DigestResult:
    digests: int = 0
    items: int = 0

    def summary(self) -> str:
        return f"{self.digests} digests with {self.items} notifications"


class _NothingToDigestError(Exception):
    """Another worker took this person's notifications first: undo the empty digest."""


def digests_send(day: dt.date) -> DigestResult:
    """One digest e-mail per person who chose the daily digest, listing their notifications not
    yet digested. At most one digest per person per day (a unique row), so a rerun sends
    nothing; notifications created after today's digest wait for tomorrow's."""
    result = DigestResult()
    people = (
        Notification.objects.filter(digest_pending=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(people)).order_by("pk"):
        try:
            result.items += _digest_one(user, day)
        except _NothingToDigestError:
            continue
        result.digests += 1
    if result.digests:
        transaction.on_commit(outbox_deliver_soon)
    return result


@transaction.atomic
def _digest_one(user: User, day: dt.date) -> int:
    try:
        with transaction.atomic():
            digest = Notification.objects.create(
                recipient=user,
                task=None,
                kind=NotificationKind.DIGEST,
                ref_on=day,
                read_at=timezone.now(),  # a record of what was sent, not something to act on
            )
    except IntegrityError:
        raise _NothingToDigestError from None  # today's digest was sent already
    taken = Notification.objects.filter(recipient=user, digest_pending=True).update(
        digest_pending=False, digested_in=digest
    )
    if not taken:
        raise _NothingToDigestError
    items = list(
        Notification.objects.filter(digested_in=digest)
        .select_related("task", "task__lead_agency", "task__document")
        .order_by("kind", "deadline", "id")
    )
    if user.email:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Tổng hợp nhắc việc ngày %(day)s: %(count)s thông báo") % {
                "day": f"{day:%d/%m/%Y}",
                "count": len(items),
            }
            body = render_to_string(
                "urging/email/digest.txt",
                {"user": user, "day": day, "groups": _digest_groups(items)},
            )
        EmailOutbox.objects.create(notification=digest, to=user.email, subject=subject, body=body)
    return len(items)


DIGEST_ORDER = [
    NotificationKind.ESCALATION,
    NotificationKind.OVERDUE,
    NotificationKind.DUE_TODAY,
    NotificationKind.DUE_SOON,
    # Events (urging/events.py)
    NotificationKind.ESCALATED,
    NotificationKind.OBSTACLE,
    NotificationKind.EXTENSION_ASKED,
    NotificationKind.COMPLETION,
    NotificationKind.REPORTED,
    NotificationKind.ASSIGNED,
    NotificationKind.EXTENSION_DONE,
    NotificationKind.ANSWERED,
    NotificationKind.ACCEPTED,
    NotificationKind.RETURNED,
]


def _digest_groups(items: list[Notification]) -> list[tuple[str, list[dict[str, Any]]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item.task is not None:
            grouped[item.kind].append({"n": item, "task": item.task, "path": _task_path(item.task)})
    return [(str(kind.label), grouped[kind]) for kind in DIGEST_ORDER if grouped[kind]]


# In-app ----------------------------------------------------------------------------------------


def notification_mark_read(notification: Notification) -> Notification:
    """Mark one notification read (the caller fetched it through `notification_access`)."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# The office's rules ----------------------------------------------------------------------------

RULE_FIELDS = ["days_before", "on_due_day", "overdue_every_days", "escalate_after_days"]


def rule_sets_ensure() -> list[ReminderRuleSet]:
    """Both rule sets, creating a missing one with the default rules."""
    for kind in RuleSetKind.values:
        ReminderRuleSet.objects.get_or_create(kind=kind, defaults=DEFAULT_RULES[kind])
    return list(ReminderRuleSet.objects.order_by("kind"))


@transaction.atomic
def rule_set_update(actor: User, rule_set: ReminderRuleSet, **changes: Any) -> ReminderRuleSet:
    """Change a rule set. Its revision goes up, so the next sweep computes the schedules of
    the tasks it governs again."""
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rule fields: {sorted(unknown)}")
    before = {name: getattr(rule_set, name) for name in RULE_FIELDS}
    for name, value in changes.items():
        setattr(rule_set, name, value)
    rule_set.full_clean()
    rule_set.days_before = ", ".join(str(d) for d in rule_set.policy().days_before)
    after = {name: getattr(rule_set, name) for name in RULE_FIELDS}
    if after == before:
        return rule_set
    rule_set.revision = F("revision") + 1
    rule_set.save()
    rule_set.refresh_from_db()
    audit_record(actor, "update", rule_set, diff(before, after))
    return rule_set


# Urging letters ------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def urging_letter_record_sent(actor: User, agency: Agency, day: dt.date, number: str = "") -> int:
    """The office sent `agency` its urging letter of `day`: the letter goes on the timeline of
    each task it names (one audit entry per task, read back by the task's timeline). Returns how
    many tasks it named."""
    if not rules.office(actor):
        raise PermissionDenied(_("Chỉ Văn phòng ghi nhận công văn đôn đốc đã gửi."))
    number = clean(number)[:32]
    label = (
        _("Công văn số %(number)s ngày %(day)s") % {"number": number, "day": f"{day:%d/%m/%Y}"}
        if number
        else _("Công văn ngày %(day)s") % {"day": f"{day:%d/%m/%Y}"}
    )
    tasks = list(tasks_to_urge(agency, day))
    return audit_record_many(
        actor,
        "urging_letter",
        [Change(task, {"letter": [None, label]}, agency_id=agency.pk) for task in tasks],
    )
