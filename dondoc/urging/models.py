"""Urging (đôn đốc): the office's reminder rules, each task's reminder schedule, the
notifications people receive and the e-mails waiting to be sent.

The rules and guarantees are described in docs/urging.md.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField, CleanTextField
from dondoc.urging.policy import Policy


class RuleSetKind(models.TextChoices):
    NORMAL = "normal", _("Nhiệm vụ thông thường")
    URGENT = "urgent", _("Nhiệm vụ khẩn, trọng tâm")


def parse_days(text: str) -> tuple[int, ...]:
    """'14, 7, 2' → (14, 7, 2): distinct positive whole days, largest first."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]
    try:
        days = {int(p) for p in parts}
    except ValueError:
        raise ValidationError(
            _("Nhập số ngày, cách nhau bằng dấu phẩy (ví dụ: 7, 2)."), code="days_invalid"
        ) from None
    if any(d < 1 or d > 365 for d in days):
        raise ValidationError(_("Mỗi số ngày phải từ 1 đến 365."), code="days_range")
    return tuple(sorted(days, reverse=True))


def validate_days(text: str) -> None:
    parse_days(text)


# The defaults, also seeded by migration 0002 (which keeps its own frozen copy).
DEFAULT_RULES: dict[str, dict[str, object]] = {
    RuleSetKind.NORMAL: {
        "days_before": "7, 2",
        "on_due_day": True,
        "overdue_every_days": 3,
        "escalate_after_days": 7,
    },
    RuleSetKind.URGENT: {
        "days_before": "14, 7, 2",
        "on_due_day": True,
        "overdue_every_days": 3,
        "escalate_after_days": 3,
    },
}


class ReminderRuleSet(models.Model):
    """When reminders are sent for one kind of task. Two rows, seeded by a migration: ordinary
    tasks, and urgent ones (priority "Khẩn" or key tasks)."""

    kind = CleanCharField(_("áp dụng cho"), max_length=16, choices=RuleSetKind.choices, unique=True)
    days_before = CleanCharField(
        _("nhắc trước thời hạn (số ngày)"),
        max_length=64,
        blank=True,
        validators=[validate_days],
        help_text=_("Các số ngày trước thời hạn, cách nhau bằng dấu phẩy, ví dụ: 7, 2."),
    )
    on_due_day = models.BooleanField(_("nhắc vào ngày đến hạn"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("nhắc quá hạn, cứ sau (ngày)"),
        default=3,
        help_text=_("Thông báo quá hạn gửi ngày đầu tiên quá hạn, rồi lặp lại sau số ngày này; "
                    "0: chỉ gửi một lần."),
    )  # fmt: skip
    escalate_after_days = models.PositiveSmallIntegerField(
        _("báo người đứng đầu khi quá hạn (ngày)"),
        default=7,
        help_text=_("Báo người đứng đầu cơ quan chủ trì khi nhiệm vụ quá hạn đủ số ngày này; "
                    "0: không báo."),
    )  # fmt: skip
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy tắc nhắc việc")
        verbose_name_plural = _("quy tắc nhắc việc")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def policy(self) -> Policy:
        return Policy(
            days_before=parse_days(self.days_before),
            on_due_day=self.on_due_day,
            overdue_every=self.overdue_every_days,
            escalate_after=self.escalate_after_days,
            revision=self.revision,
        )


class ReminderSchedule(models.Model):
    """A task's next reminder, kept by the sweep itself (Task has no field for it).

    `next_on` is the date of the next step (indexed: the sweep finds due rows with
    `next_on <= today`); `deadline`, `urgent` and `rules_revision` are what it was computed
    from, so the sweep sees that a task's deadline, urgency or the rules changed and computes
    it again. A schedule with `deadline` NULL is parked: the task is done, awaiting acceptance,
    cancelled or ongoing.
    """

    task = models.OneToOneField(
        "tracking.Task",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reminder_schedule",
    )
    next_on = models.DateField(_("lần nhắc tiếp theo"), null=True, blank=True, db_index=True)
    step = CleanCharField(_("loại nhắc"), max_length=64, blank=True)
    deadline = models.DateField(_("thời hạn đã tính"), null=True, blank=True)
    urgent = models.BooleanField(default=False)
    rules_revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lịch nhắc việc")

    def __str__(self) -> str:
        return f"{self.task_id} → {self.next_on} {self.step}"


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    DUE_TODAY = "due_today", _("Đến hạn hôm nay")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATION = "escalation", _("Báo người đứng đầu")
    DIGEST = "digest", _("Tổng hợp hằng ngày")
    # Events (tracking/events.py): who did what on a task, for those it concerns.
    ASSIGNED = "assigned", _("Giao nhiệm vụ")
    REPORTED = "reported", _("Báo cáo tiến độ")
    COMPLETION = "completion", _("Báo cáo hoàn thành")
    EXTENSION_ASKED = "extension_asked", _("Đề nghị gia hạn")
    OBSTACLE = "obstacle", _("Vướng mắc, kiến nghị")
    ESCALATED = "escalated", _("Báo cáo lãnh đạo")
    EXTENSION_DONE = "extension_done", _("Quyết định gia hạn")
    ANSWERED = "answered", _("Trả lời vướng mắc")
    ACCEPTED = "accepted", _("Xác nhận hoàn thành")
    RETURNED = "returned", _("Trả lại báo cáo hoàn thành")


# Kinds of notification that the feature apps above urging add (congress: an agenda change),
# by code (16 characters at most) and label, registered in their AppConfig.ready(). Their rows
# carry a message and a link and no task; the field's choices, and urging's migrations, stay
# urging's own.
OTHER_KINDS: dict[str, Promise] = {}


def notification_kind_register(code: str, label: Promise) -> None:
    if code in NotificationKind.values or len(code) > 16:
        raise ValueError(f"notification kind {code!r} is taken or too long")
    OTHER_KINDS[code] = label


class Notification(models.Model):
    """One reminder for one person, shown in the app and, by e-mail, sent at once (through the
    outbox) or in the daily digest. Unique per (recipient, task, kind, reference date): the
    database itself refuses a second copy, whichever worker or retry tries to create it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    task = models.ForeignKey(
        "tracking.Task", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = CleanCharField(_("loại"), max_length=16, choices=NotificationKind.choices)
    ref_on = models.DateField(_("ngày nhắc"))
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    message = CleanCharField(_("nội dung"), max_length=300, blank=True)  # events: what happened
    link = CleanCharField(_("nơi xử lý"), max_length=300, blank=True)  # events: where to act
    digest_pending = models.BooleanField(default=False)
    digested_in = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "task", "kind", "ref_on"],
                condition=models.Q(task__isnull=False),
                name="notification_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "ref_on"],
                condition=models.Q(task__isnull=True),
                name="notification_digest_once_a_day",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.ref_on:%d/%m/%Y} → {self.recipient_id}"

    @property
    def kind_label(self) -> str:
        """The kind's name, also for the kinds other apps registered (`OTHER_KINDS`). Looked up
        by value: `get_kind_display()` translates all fifteen choices on every call (a fifth of
        the notifications page's CPU, docs/benchmarks.md)."""
        if self.kind in OTHER_KINDS:
            return str(OTHER_KINDS[self.kind])
        if self.kind in NotificationKind.values:
            return str(NotificationKind(self.kind).label)
        return self.kind


class EmailOutbox(models.Model):
    """An e-mail to send, written in the transaction that created its notification and sent
    after commit by `deliver_outbox_task`. A row is claimed by compare-and-set before it is
    sent; `attempts`, `last_error` and `sent_at` record what happened."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email"
    )
    to = models.EmailField(_("người nhận"))
    subject = CleanCharField(_("tiêu đề"), max_length=255)
    body = CleanTextField(_("nội dung"))
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = CleanTextField(blank=True)

    class Meta:
        verbose_name = _("thư chờ gửi")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
