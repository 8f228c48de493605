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


@register.inclusion_tag("tracking/_status.html")
def status_badge(value: str) -> dict[str, Any]:
    """A status as a badge: its words always, its colour only as a help."""
    return {"status": value, "label": status_label(value)}


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
