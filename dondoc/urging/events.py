"""Notify the people a task's event concerns (`tracking/events.py`), in the app at once and by
e-mail through the outbox (or in the daily digest, for those who chose it).

Who is told:
- a task assigned: the lead agency's focal points and heads;
- an agency's report, completion report, extension request or obstacle: the office specialist
  who follows the task (`Task.followed_by`: the task's, else its document's). If nobody follows
  it, what waits on the office's decision (a completion, an extension request, an obstacle)
  goes to every office specialist, so that someone acts; a progress report goes to nobody (the
  queue shows it under "all");
- an obstacle beyond the office's authority (raised so, or escalated): the leaders;
- the office's decision (extension, answer, acceptance, return): the focal points of the agency
  concerned (the lead agency; for an answer, the agency that raised the obstacle).
Never the person who acted, never someone whose clearance is below the task's classification.
Each notification links to the place to act: the office's and leaders' queue, filtered to its
kind, or the task's page for an agency. One notification per person, task, kind and day (the
table's unique constraint): a second report the same day does not ring twice.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dondoc.accounts.models import NotificationMode, RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.tracking.events import AGENCY_EVENTS, EventKind, TaskEvent
from dondoc.tracking.models import Task
from dondoc.tracking.queue import QueueKind
from dondoc.urging.models import EmailOutbox, Notification, NotificationKind
from dondoc.urging.services import outbox_deliver_soon

MESSAGES = {  # marked here, translated when the notification is written
    EventKind.TASK_ASSIGNED: gettext_noop("Cơ quan được giao chủ trì nhiệm vụ mới."),
    EventKind.PROGRESS_REPORTED: gettext_noop("%(agency)s báo cáo tiến độ."),
    EventKind.COMPLETION_REPORTED: gettext_noop(
        "%(agency)s báo cáo hoàn thành, chờ Văn phòng xác nhận."
    ),
    EventKind.EXTENSION_REQUESTED: gettext_noop("%(agency)s đề nghị gia hạn."),
    EventKind.OBSTACLE_RAISED: gettext_noop("%(agency)s nêu vướng mắc, kiến nghị."),
    EventKind.OBSTACLE_ESCALATED: gettext_noop(
        "Vướng mắc, kiến nghị của %(agency)s vượt thẩm quyền Văn phòng, cần lãnh đạo cho ý kiến."
    ),
    EventKind.OBSTACLE_ANSWERED: gettext_noop("Vướng mắc, kiến nghị đã được trả lời."),
    EventKind.COMPLETION_ACCEPTED: gettext_noop("Văn phòng đã xác nhận hoàn thành nhiệm vụ."),
    EventKind.COMPLETION_RETURNED: gettext_noop(
        "Văn phòng trả lại báo cáo hoàn thành; nhiệm vụ tiếp tục được theo dõi."
    ),
}
APPROVED = gettext_noop("Văn phòng đồng ý gia hạn đến ngày %(day)s.")
REFUSED = gettext_noop("Văn phòng không đồng ý gia hạn; thời hạn giữ nguyên.")
# What an agency sends that waits on the office's decision: on a task nobody follows, every
# office specialist is told (someone must act); a mere progress report is not rung to them all.
AWAITING_THE_OFFICE = frozenset(
    {EventKind.COMPLETION_REPORTED, EventKind.EXTENSION_REQUESTED, EventKind.OBSTACLE_RAISED}
)
QUEUE_KINDS = {
    EventKind.PROGRESS_REPORTED: QueueKind.REPORT,
    EventKind.COMPLETION_REPORTED: QueueKind.COMPLETION,
    EventKind.EXTENSION_REQUESTED: QueueKind.EXTENSION,
    EventKind.OBSTACLE_RAISED: QueueKind.OBSTACLE,
    EventKind.OBSTACLE_ESCALATED: QueueKind.ESCALATED,
}


def notify_on_event(event: TaskEvent) -> None:
    """The handler `tracking.events` calls after the change committed, inside the transaction
    that marks the event dispatched: the e-mails are asked for once that commits."""
    tasks = list(
        Task.objects.filter(pk__in=event.task_ids).select_related("document", "lead_agency")
    )
    if not tasks:
        return
    with transaction.atomic():
        emails = _notify(event, tasks)
    if emails:
        transaction.on_commit(outbox_deliver_soon)


def _recipients(
    event: TaskEvent, task: Task, known: dict[tuple[int, ...], list[User]]
) -> list[User]:
    """Who `event` on `task` concerns; `known` keeps the answers for tasks alike (an import
    assigns thousands of tasks to a few agencies)."""
    follower = task.followed_by_id  # the task's follower, else its document's
    key = (task.classification, task.lead_agency_id or 0, follower or 0)
    if key not in known:
        known[key] = _who(event, task, follower)
    return known[key]


def _who(event: TaskEvent, task: Task, follower: int | None) -> list[User]:
    active = User.objects.filter(is_active=True, clearance__gte=task.classification)
    if event.kind == EventKind.TASK_ASSIGNED:
        people = active.filter(
            agency_id=task.lead_agency_id, roles__code__in=[RoleCode.FOCAL, RoleCode.HEAD]
        )
    elif event.kind == EventKind.OBSTACLE_ESCALATED:
        people = active.filter(roles__code=RoleCode.LEADER)
    elif event.kind in AGENCY_EVENTS and follower:
        people = active.filter(pk=follower)
    elif event.kind in AWAITING_THE_OFFICE:  # nobody follows it: every office specialist
        people = active.filter(roles__code=RoleCode.OFFICE)
    elif event.kind in AGENCY_EVENTS:  # a progress report nobody follows: the queue shows it
        people = active.none()
    else:
        people = active.filter(agency_id=event.agency_id or 0, roles__code=RoleCode.FOCAL)
    return list(people.exclude(pk=event.actor_id or 0).distinct())


def _link(event: TaskEvent, task: Task) -> str:
    if event.kind in QUEUE_KINDS:
        return reverse("tracking:queue") + f"?kind={QUEUE_KINDS[event.kind]}"
    return reverse("tracking:task_detail", args=[task.pk])


def _message(event: TaskEvent, task: Task, agency: Agency | None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if event.kind == EventKind.EXTENSION_DECIDED:
            if event.approved:
                return _(APPROVED) % {"day": f"{task.effective_due_on:%d/%m/%Y}"}
            return _(REFUSED)
        name = (agency.short_name or agency.name) if agency else ""
        return _(MESSAGES[event.kind]) % {"agency": name}


def _notify(event: TaskEvent, tasks: list[Task]) -> int:
    """Write the notifications and the e-mails of those who want them at once. Returns the
    number of e-mails queued."""
    now, today = timezone.now(), timezone.localdate()
    agency = Agency.objects.filter(pk=event.agency_id).first() if event.agency_id else None
    kind = NotificationKind(event.kind.value)
    rows: list[Notification] = []
    wanted: dict[tuple[int, int], tuple[User, Task]] = {}
    known: dict[tuple[int, ...], list[User]] = {}
    for task in tasks:
        message, link = _message(event, task, agency), _link(event, task)
        for person in _recipients(event, task, known):
            digest = person.notification_mode == NotificationMode.DIGEST and bool(person.email)
            rows.append(
                Notification(
                    recipient=person, task=task, kind=kind, ref_on=today, created_at=now,
                    deadline=task.effective_due_on, message=message, link=link,
                    digest_pending=digest,
                )
            )  # fmt: skip
            if person.email and not digest:
                wanted[(person.pk, task.pk)] = (person, task)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # once per person, task, day
    created = Notification.objects.filter(
        kind=kind, ref_on=today, created_at=now, task_id__in=[t.pk for t in tasks]
    )
    emails = [
        _email(notification, *wanted[(notification.recipient_id, notification.task_id or 0)])
        for notification in created
        if (notification.recipient_id, notification.task_id or 0) in wanted
    ]
    EmailOutbox.objects.bulk_create(emails)
    return len(emails)


def _email(notification: Notification, person: User, task: Task) -> EmailOutbox:
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{notification.get_kind_display()}: {task.title}"[:255]
        body = render_to_string(
            "urging/email/event.txt",
            {"n": notification, "task": task,
             "path": settings.SITE_URL.rstrip("/") + notification.link},
        )  # fmt: skip
    return EmailOutbox(notification=notification, to=person.email, subject=subject, body=body)
