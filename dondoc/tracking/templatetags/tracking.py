"""Template helpers of the tracking pages: status words, sortable column headers."""

import functools
from collections.abc import Container, Iterable
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dondoc.tracking.models import DeadlineKind
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
_ANY_PK_TEXT = str(_ANY_PK)


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
        "close": escape(_("Đóng")),
        "report": escape(_("Báo cáo")),
        "report_on": _("Báo cáo tiến độ: %(title)s"),  # escaped with its title
        "extended": _("gia hạn; ban đầu %(day)s"),  # escaped with its day
    }
    words |= {f"deadline:{kind.value}": str(kind.label) for kind in DeadlineKind}  # escaped later
    return words | {status.value: status_badge(status.value) for status in TaskStatus}


def _row_deadline(task: Any, words: dict[str, str]) -> str:
    """`deadline(task)` for the inbox rows, with its words from `words` (no gettext per row)."""
    if task.extended_due_on:
        original = words["extended"] % {"day": _day(task.due_on)}
        return f'{_day(task.extended_due_on)}<div class="muted small">{escape(original)}</div>'
    if not task.due_on:
        return escape(
            words.get(f"deadline:{task.deadline_kind}") or task.get_deadline_kind_display()
        )
    if task.deadline_kind == "date":
        return _day(task.due_on)
    kind = words.get(f"deadline:{task.deadline_kind}") or task.get_deadline_kind_display()
    return f'{_day(task.due_on)}<div class="muted small">{escape(kind)}</div>'


def _inbox_row(
    task: Any,
    user: Any,
    reportable: Container[str],
    words: dict[str, str],
    urls: tuple[str, str],
    message: str = "",
    refused: bool = False,
    form: object = None,
) -> str:
    """One inbox `<tr>` as a string: every value from the database goes through `escape`,
    the fixed words and badges were escaped when `_row_words` made them."""
    pk = str(task.pk)
    detail_url, report_url = (url.replace(_ANY_PK_TEXT, pk) for url in urls)
    note = ""
    if message:
        kind = "form-errors" if refused else "saved"
        note = f'\n      <div class="{kind}" role="status">{escape(message)}</div>'
    own = task.lead_agency_id == user.agency_id
    if own:
        document = task.document
        source = document.symbol if document and document.classification <= user.clearance else "—"
    else:
        source = task.lead_agency.short_name or task.lead_agency.name
    button = ""
    if task.status in reportable:
        if form:
            button = (
                f'<button type="button" class="btn secondary small" hx-get="{report_url}?close=1" '
                f'hx-target="#inbox-task-{pk}" hx-swap="outerHTML">{words["close"]}</button>'
            )
        else:
            label = words["report_on"] % {"title": Truncator(task.title).chars(60)}
            button = (
                f'<a class="btn small" href="{detail_url}#report" hx-get="{report_url}" '
                f'hx-target="#inbox-task-{pk}" hx-swap="outerHTML" aria-label="{escape(label)}">'
                f"{words['report']}</a>"
            )
    status = words.get(task.status) or status_badge(task.status)
    progress = int(task.progress)
    symbol = ' class="symbol"' if own else ""
    return (
        f'<tr>\n    <td><a href="{detail_url}">{escape(task.title)}</a>'
        f"{words['key'] if task.is_key else ''}{note}</td>\n"
        f"    <td{symbol}>{escape(source)}</td>\n"
        f"    <td>{_row_deadline(task, words)}</td>\n    <td>{status}</td>\n"
        f'    <td class="num"><span class="progress"><span class="bar" aria-hidden="true">'
        f'<span style="width: {progress}%"></span></span> {progress}%</span></td>\n'
        f'    <td class="row-actions">{button}</td>\n  </tr>'
    )


@register.simple_tag(takes_context=True)
def inbox_row(
    context: Any, task: Any, message: str = "", refused: bool = False, form: object = None
) -> SafeString:
    """One inbox row (`<tr>`), for the row an htmx report answers: with its `message`, or the
    close button when a report `form` is open under the row."""
    words = _row_words(get_language())
    urls = _row_urls(get_script_prefix())
    row = _inbox_row(
        task, context["user"], context["reportable"], words, urls, message, refused, form
    )
    return mark_safe(row)  # noqa: S308 - every value escaped in _inbox_row


@register.simple_tag(takes_context=True)
def inbox_rows(context: Any, tasks: Iterable[Any]) -> SafeString:
    """The inbox's rows, each in its `<tbody>` (the target an htmx report replaces). Python,
    with words and URLs made once and no `format_html` per value: 50 rows through an included
    template cost ~33 ms of CPU, through one tag per row ~11 ms at load 9 (issue #17,
    docs/benchmarks.md "Inbox rows")."""
    user, reportable = context["user"], context["reportable"]
    words = _row_words(get_language())
    urls = _row_urls(get_script_prefix())
    rows = (
        f'<tbody id="inbox-task-{task.pk}" class="inbox-task">\n  '
        f"{_inbox_row(task, user, reportable, words, urls)}\n</tbody>"
        for task in tasks
    )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped in _inbox_row


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
