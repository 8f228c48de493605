"""Template helpers of the tracking pages: status words, sortable column headers."""

import functools
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
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


_ANY_PK = 987654321  # stands for a task's id in the URLs built once per script prefix


@functools.lru_cache(maxsize=8)
def _row_urls(script_prefix: str) -> tuple[str, str]:
    """The task page's and the inline report's URL with `_ANY_PK` (`script_prefix`: the key)."""
    return (
        reverse("tracking:task_detail", args=[_ANY_PK]),
        reverse("tracking:inbox_report", args=[_ANY_PK]),
    )


@functools.lru_cache(maxsize=8)
def _row_words(language: str | None) -> dict[str, str]:
    """The row's fixed words and status badges in `language` (the key; gettext reads the
    active language), translated once instead of on every row."""
    words: dict[str, str] = {"key": format_html(' <span class="badge">{}</span>', _("Trọng tâm"))}
    words |= {
        "close": _("Đóng"),
        "report": _("Báo cáo"),
        "report_on": _("Báo cáo tiến độ: %(title)s"),
    }
    return words | {status.value: status_badge(status.value) for status in TaskStatus}


@register.simple_tag(takes_context=True)
def inbox_row(
    context: Any, task: Any, message: str = "", refused: bool = False, form: object = None
) -> SafeString:
    """An inbox row (`<tr>`): the task, its document or lead agency, deadline, status, progress
    and the report button, or the close button when a report `form` is open under the row.
    Python, with its words and URLs made once: 50 rows rendered by an included template cost
    about 20 ms of CPU a page (issue #17, docs/benchmarks.md "Inbox rows")."""
    user = context["user"]
    words = _row_words(get_language())
    pk = str(task.pk)
    detail_url, report_url = (
        url.replace(str(_ANY_PK), pk) for url in _row_urls(get_script_prefix())
    )
    note = ""
    if message:
        note = format_html(
            '\n      <div class="{}" role="status">{}</div>',
            "form-errors" if refused else "saved",
            message,
        )
    own = task.lead_agency_id == user.agency_id
    if own:
        document = task.document
        source = document.symbol if document and document.classification <= user.clearance else "—"
    else:
        source = task.lead_agency.short_name or task.lead_agency.name
    button: str = ""
    if task.status in context["reportable"]:
        target = f"#inbox-task-{pk}"
        if form:
            button = format_html(
                '<button type="button" class="btn secondary small" hx-get="{}?close=1" '
                'hx-target="{}" hx-swap="outerHTML">{}</button>',
                report_url,
                target,
                words["close"],
            )
        else:
            label = words["report_on"] % {"title": Truncator(task.title).chars(60)}
            button = format_html(
                '<a class="btn small" href="{}#report" hx-get="{}" hx-target="{}" '
                'hx-swap="outerHTML" aria-label="{}">{}</a>',
                detail_url,
                report_url,
                target,
                label,
                words["report"],
            )
    return format_html(
        '<tr>\n    <td><a href="{}">{}</a>{}{}</td>\n    <td{}>{}</td>\n    <td>{}</td>\n'
        '    <td>{}</td>\n    <td class="num">{}</td>\n    <td class="row-actions">{}</td>\n  </tr>',
        detail_url,
        task.title,
        words["key"] if task.is_key else "",
        note,
        mark_safe(' class="symbol"') if own else "",
        source,
        deadline(task),
        words.get(task.status) or status_badge(task.status),
        progress_bar(task),
        button,
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
