"""Template helpers of the tracking pages: status words, sortable column headers."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dondoc.tracking.selectors import SORTS
from dondoc.tracking.status import TaskStatus

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The words of a status (`open_on_time` → "Chưa hoàn thành, trong hạn")."""
    try:
        return str(TaskStatus(value).label)
    except ValueError:
        return ""


# Tags that every task row uses are Python, not included templates: a list of 50 rows renders
# 150 fewer templates (an include costs a template lookup and a context of its own).


@register.simple_tag
def status_badge(value: str) -> SafeString:
    """A status as a badge: its words always, its colour only as a help."""
    return format_html('<span class="status status-{}">{}</span>', value, status_label(value))


def _day(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@register.simple_tag
def deadline(task: Any) -> SafeString:
    """The effective deadline, with the original one under it after an extension, or the kind
    of deadline under it when it is not a plain date."""
    if task.extended_due_on:
        original = _("gia hạn; ban đầu %(day)s") % {"day": _day(task.due_on)}
        return format_html(
            '{}<div class="muted small">{}</div>', _day(task.extended_due_on), original
        )
    if not task.due_on:
        return format_html("{}", task.get_deadline_kind_display())
    if task.deadline_kind == "date":
        return format_html("{}", _day(task.due_on))
    return format_html(
        '{}<div class="muted small">{}</div>', _day(task.due_on), task.get_deadline_kind_display()
    )


@register.simple_tag
def progress_bar(task: Any) -> SafeString:
    return format_html(
        '<span class="progress"><span class="bar" aria-hidden="true"><span style="width: {}%">'
        "</span></span> {}%</span>",
        task.progress,
        task.progress,
    )


@register.simple_tag(takes_context=True)
def sort_header(context: Any, key: str, label: str, target: str = "#task-results") -> SafeString:
    """A column header that sorts the list by `key` (again: the other way, where it can)."""
    request = context["request"]
    current = request.GET.get("sort") or "due_on"
    descending = f"-{key.lstrip('-')}"
    ascending = key.lstrip("-")
    if current == ascending and descending in SORTS:
        wanted, state = descending, "ascending"
    elif current == descending:
        wanted, state = ascending, "descending"
    else:
        wanted, state = ascending, "none"
    query = request.GET.copy()
    query["sort"] = wanted
    query.pop("page", None)
    url = f"?{query.urlencode()}"
    hint = {
        "ascending": _("đang xếp tăng dần"),
        "descending": _("đang xếp giảm dần"),
        "none": _("bấm để sắp xếp"),
    }[state]
    arrow = {"ascending": "▲", "descending": "▼", "none": ""}[state]
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="{}" hx-get="{}" hx-target="{}" '
        'hx-push-url="true">{}<span class="visually-hidden"> ({})</span>'
        '<span aria-hidden="true"> {}</span></a></th>',
        state,
        url,
        url,
        target,
        label,
        hint,
        arrow,
    )
