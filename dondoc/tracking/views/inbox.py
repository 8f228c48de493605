"""The agency inbox: a focal point's or head's tasks, and a progress report in two clicks."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.core.htmx import partial
from dondoc.tracking import selectors
from dondoc.tracking.access import (
    TaskAction,
    TaskActionRefused,
    statuses_allowing,
    task_access,
    tasks_visible_to,
)
from dondoc.tracking.forms import ProgressReportForm
from dondoc.tracking.keyset import fingerprint
from dondoc.tracking.models import Task
from dondoc.tracking.views.actions import may_report_final, report_action, report_progress
from dondoc.tracking.views.common import add_service_error, page_of
from dondoc.tracking.views.tasks import render_task_page, shows_refusal

LEAD, COORDINATING = "lead", "coordinating"


@allow(rules.agency_worker)
def inbox(request: rules.SignedInRequest) -> HttpResponse:
    """The tasks the user's agency leads (or coordinates, on the second tab): open ones first,
    overdue then due soon, nearest deadline first."""
    today = timezone.localdate()
    tab = COORDINATING if request.GET.get("tab") == COORDINATING else LEAD
    tasks = selectors.tasks_in_inbox(request.user, today, coordinating=tab == COORDINATING)
    counts = selectors.inbox_counts(request.user)
    page = page_of(request, tasks, selectors.INBOX_KEYS, fingerprint(tab, today), counts[tab])
    for task in page.object_list:
        task.status = selectors.inbox_status(task)
    context = {
        "tab": tab,
        "counts": counts,
        "page": page,
        "today": today,
        "reportable": statuses_allowing(TaskAction.REPORT),
    }
    template = "tracking/_inbox_results.html" if partial(request) else "tracking/inbox.html"
    return render(request, template, context)


@allow(rules.agency_worker)
@require_http_methods(["GET", "POST"])
@shows_refusal
def inbox_report(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """GET: the task's inbox row with a report form open under it (`?close=1`: without it).
    POST: file the report, then answer the updated row — or the form with its errors.
    A task that no longer takes reports answers its row with the reason."""
    action = report_action(request) if request.method == "POST" else TaskAction.REPORT
    try:
        task = task_access(request.user, pk, action)
    except TaskActionRefused as refusal:
        if refusal.by_role or not partial(request):
            raise
        return _row(request, refusal.task, None, message=str(refusal), refused=True)
    final = may_report_final(request.user, task)
    auto_id = f"id_inbox{task.pk}_%s"
    if request.method == "GET":
        if request.GET.get("close"):
            return _row(request, task, None)
        form = ProgressReportForm(task=task, final=final, auto_id=auto_id)
        form.fields["percent"].widget.attrs["autofocus"] = True  # typing starts at once
        return _row(request, task, form)
    form = ProgressReportForm(request.POST, final=final, auto_id=auto_id)
    if form.is_valid():
        try:
            message = report_progress(request.user, task, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not partial(request):
                messages.success(request, message)
                return redirect("tracking:inbox")
            return _row(request, task, None, message=message)
    if not partial(request):
        return render_task_page(request, task, {"report": form})
    return _row(request, task, form)


def _row(
    request: rules.SignedInRequest, task: Task, form: Any, message: str = "", refused: bool = False
) -> HttpResponse:
    today = timezone.localdate()
    fresh = selectors.task_rows(tasks_visible_to(request.user).filter(pk=task.pk), today).get()
    context = {
        "task": fresh,
        "form": form,
        "message": message,
        "today": today,
        "reportable": statuses_allowing(TaskAction.REPORT),
        "refused": refused,
    }
    return render(request, "tracking/_inbox_task.html", context)
