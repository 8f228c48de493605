"""Template helpers of the urging pages: the notifications list's items in Python.

An included template per item cost ~45 ms of CPU for a page of 50 at load 12 (~15 ms at load
5): a template lookup, a context, two `{% url %}`, a `{% csrf_token %}` and two date filters
per item (issue #17, docs/benchmarks.md "Notifications page")."""

import functools
from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dondoc.urging.models import OTHER_KINDS, Notification, NotificationKind

register = template.Library()

_ANY_PK = 987654321  # stands for an id in the URLs built once per script prefix
_ANY_PK_TEXT = str(_ANY_PK)
_KIND_CLASS = {"overdue": "status-overdue", "escalation": "status-overdue"}
_KIND_CLASS["digest"] = "status-ongoing"


@functools.lru_cache(maxsize=8)
def _urls(script_prefix: str) -> tuple[str, str]:
    """The task page's and the mark-read URL with `_ANY_PK` (`script_prefix`: the key)."""
    return (
        reverse("tracking:task_detail", args=[_ANY_PK]),
        reverse("urging:notification_read", args=[_ANY_PK]),
    )


@functools.lru_cache(maxsize=8)
def _words(language: str | None) -> dict[str, str]:
    """The items' fixed words (escaped) and the kinds' labels in `language` (the key)."""
    words = {
        "new": escape(_("Mới")),
        "deadline": escape(_("thời hạn")),
        "open": escape(_("Xem và xử lý")),
        "mark": escape(_("Đánh dấu đã đọc")),
        "digest": _("Thư tổng hợp nhắc việc ngày %(day)s đã được gửi."),  # as blocktranslate
    }
    kinds = {kind.value: str(kind.label) for kind in NotificationKind}
    kinds |= {code: str(label) for code, label in OTHER_KINDS.items()}
    return words | {f"kind:{code}": escape(label) for code, label in kinds.items()}


def _day(value: Any, pattern: str = "%d/%m/%Y") -> str:
    return value.strftime(pattern) if value else ""


def _item(n: Notification, words: dict[str, str], urls: tuple[str, str], csrf: str) -> str:
    """One notification's `<li>`: every value from the database through `escape`."""
    pk = str(n.pk)
    unread = n.read_at is None
    kind = words.get(f"kind:{n.kind}") or escape(n.kind_label)
    created = _day(timezone.localtime(n.created_at), "%d/%m/%Y %H:%M")
    head = (
        f'<li id="notification-{pk}" class="card notification{" unread" if unread else ""}">\n'
        f'  <p>\n    <span class="status {_KIND_CLASS.get(n.kind, "status-due_soon")}">{kind}</span>\n'
        f"    {'<strong>' + words['new'] + '</strong>' if unread else ''}\n"
        f'    <span class="muted">{created}</span>\n  </p>\n'
    )
    task = n.task
    if task is not None:
        message = f"<p>{escape(n.message)}</p>" if n.message else ""
        agency = task.lead_agency
        source = f"{escape(task.document.symbol)} · " if task.document else ""
        body = (
            f"  {message}\n"
            f'  <p><a href="{urls[0].replace(_ANY_PK_TEXT, str(task.pk))}">'
            f"{escape(task.title)}</a></p>\n"
            f'  <p class="muted">\n    {source}{escape(agency.short_name or agency.name)}\n'
            f"    · {words['deadline']} {_day(n.deadline)}\n  </p>\n"
        )
    elif n.message:
        body = f"  <p>{escape(n.message)}</p>\n"
    else:
        body = f"  <p>{words['digest'] % {'day': _day(n.ref_on)}}</p>\n"
    if n.link:
        body += f'  <p><a class="btn" href="{escape(n.link)}">{words["open"]}</a></p>\n'
    if unread:
        read_url = urls[1].replace(_ANY_PK_TEXT, pk)
        body += (
            f'  <form method="post" action="{read_url}"\n'
            f'        hx-post="{read_url}" hx-target="#notification-{pk}" hx-swap="outerHTML">\n'
            f'    {csrf}<button type="submit" class="btn secondary">{words["mark"]}</button>\n'
            "  </form>\n"
        )
    return f"{head}{body}</li>"


def _csrf_input(context: Any) -> str:
    """What `{% csrf_token %}` writes, once for all the items."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - the marker CsrfTokenNode checks
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


@register.simple_tag(takes_context=True)
def notification_items(context: Any, notifications: Iterable[Notification]) -> SafeString:
    """The notifications' `<li>`s (one item: `[n]`, as the mark-read answer draws it)."""
    words = _words(get_language())
    urls = _urls(get_script_prefix())
    csrf = _csrf_input(context)
    items = "\n".join(_item(n, words, urls, csrf) for n in notifications)
    return mark_safe(items)  # noqa: S308 - every value escaped in _item
