"""The office's work queue (`tracking/queue.py`): the page, the menu's count, "mark as seen",
and acting on a row without leaving the queue (htmx answers the row; without htmx, the queue
again with a message)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.core.htmx import partial
from dondoc.tracking import services
from dondoc.tracking.access import TaskAction, TaskActionRefused, task_access
from dondoc.tracking.forms import (
    ExtensionDecisionForm,
    ObstacleAnswerForm,
    QueueFilterForm,
    ReasonForm,
)
from dondoc.tracking.queue import (
    COUNT_LIMIT,
    QueueFilters,
    QueueItem,
    QueueKind,
    queue_counts,
    queue_filters,
    queue_item,
    queue_items,
    queue_seen_at,
    queue_user,
)
from dondoc.tracking.views.common import add_service_error


def _accept(item: QueueItem, request: rules.SignedInRequest, data: dict[str, Any]) -> str:
    services.task_accept(request.user, item.task)
    return _("Đã xác nhận hoàn thành nhiệm vụ.")


def _return(item: QueueItem, request: rules.SignedInRequest, data: dict[str, Any]) -> str:
    services.task_return(request.user, item.task, reason=data["reason"])
    return _("Đã trả lại báo cáo hoàn thành; nhiệm vụ tiếp tục được theo dõi.")


def _decide(item: QueueItem, request: rules.SignedInRequest, data: dict[str, Any]) -> str:
    approve = data["decision"] == ExtensionDecisionForm.APPROVE
    extension = item.subject
    services.extension_decide(request.user, extension, approve=approve, reason=data["reason"])
    if approve:
        return _("Đã đồng ý gia hạn đến ngày %(day)s.") % {
            "day": f"{extension.requested_due_on:%d/%m/%Y}"
        }
    return _("Đã không đồng ý gia hạn.")


def _answer(item: QueueItem, request: rules.SignedInRequest, data: dict[str, Any]) -> str:
    services.obstacle_answer(request.user, item.subject, answer=data["answer"])
    return _("Đã trả lời vướng mắc, kiến nghị.")


def _escalate(item: QueueItem, request: rules.SignedInRequest, data: dict[str, Any]) -> str:
    services.obstacle_escalate(request.user, item.subject)
    return _("Đã báo cáo lãnh đạo vướng mắc vượt thẩm quyền.")


class _NoInput(forms.Form):
    pass


# (kind, verb) -> the action it needs, its form, the service call.
VERBS: dict[tuple[QueueKind, str], tuple[TaskAction, type[forms.Form], Any]] = {
    (QueueKind.COMPLETION, "accept"): (TaskAction.ACCEPT, _NoInput, _accept),
    (QueueKind.COMPLETION, "return"): (TaskAction.ACCEPT, ReasonForm, _return),
    (QueueKind.EXTENSION, "decide"): (TaskAction.DECIDE_EXTENSION, ExtensionDecisionForm, _decide),
    (QueueKind.OBSTACLE, "answer"): (TaskAction.ANSWER_OBSTACLE, ObstacleAnswerForm, _answer),
    (QueueKind.OBSTACLE, "escalate"): (TaskAction.ANSWER_OBSTACLE, _NoInput, _escalate),
    (QueueKind.ESCALATED, "answer"): (
        TaskAction.ANSWER_ESCALATED_OBSTACLE,
        ObstacleAnswerForm,
        _answer,
    ),
}


def _forms(item: QueueItem, bound: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    """The forms a row shows: one per verb whose action the row offers."""
    drawn: dict[str, Any] = {}
    for (kind, verb), (action, form_class, _apply) in VERBS.items():
        if kind == item.kind and action in item.actions and form_class is not _NoInput:
            drawn[verb] = form_class(auto_id=f"id_{item.key}_{verb}_%s")
    if bound is not None:
        drawn[bound[0]] = bound[1]
    return drawn


def _query(filters: QueueFilters, **changes: Any) -> str:
    """The query string of `filters` with `changes` (links between scopes and kinds)."""
    parts = {"scope": "mine" if filters.mine else "all", "kind": filters.kind or "",
             "agency": filters.agency, "document": filters.document or ""}  # fmt: skip
    parts.update(changes)
    return urlencode({key: value for key, value in parts.items() if value})


@allow(queue_user)
def queue(request: rules.SignedInRequest) -> HttpResponse:
    """Oldest first, the items of every kind (or one), "mine" unless "all" is asked for."""
    user, today = request.user, timezone.localdate()
    filters = queue_filters(user, request.GET)
    seen_at = queue_seen_at(user)
    items = queue_items(user, filters, today, seen_at)
    counts = queue_counts(user, filters, seen_at)
    total = counts[filters.kind] if filters.kind else sum(counts.values())
    context = {
        "items": [(item, _forms(item)) for item in items],
        "kind_counts": [(kind, n, _shown(n)) for kind, n in counts.items()],
        "total": total,
        "total_shown": f"{total}+" if max(counts.values(), default=0) >= COUNT_LIMIT else total,
        "filters": filters,
        "filter_form": QueueFilterForm(
            initial={"agency": filters.agency, "document": filters.document}
        ),
        "query": _query(filters),
        "query_mine": _query(filters, scope="mine"),
        "query_all": _query(filters, scope="all"),
        "query_kind": _query(filters, kind=""),
        "seen_at": seen_at,
        "follows_work": rules.office(user),  # leaders follow no task: no "mine"
    }
    template = "tracking/_queue_results.html" if partial(request) else "tracking/queue.html"
    return render(request, template, context)


def _shown(count: int) -> str:
    """A count as shown: counting stops at `COUNT_LIMIT` ("1000+")."""
    return f"{COUNT_LIMIT}+" if count >= COUNT_LIMIT else str(count)


@allow(queue_user)
def queue_badge(request: rules.SignedInRequest) -> HttpResponse:
    """The menu's count of the user's items, loaded by htmx after the page."""
    counts = queue_counts(request.user, QueueFilters(), queue_seen_at(request.user))
    total = sum(counts.values())
    context = {"queue_count": total, "queue_shown": _shown(total)}
    return render(request, "tracking/_queue_badge.html", context)


@allow(queue_user)
@require_POST
def queue_seen(request: rules.SignedInRequest) -> HttpResponse:
    services.queue_mark_seen(request.user)
    messages.success(request, _("Đã đánh dấu mọi việc là đã xem."))
    query = request.POST.get("query", "")
    return redirect(reverse("tracking:queue") + (f"?{query}" if query else ""))


@allow(queue_user)
@require_POST
def queue_act(request: rules.SignedInRequest, kind: str, pk: int, verb: str) -> HttpResponse:
    """Act on one row: the same access rule and service as the task's page."""
    try:
        action, form_class, apply = VERBS[(QueueKind(kind), verb)]
    except (KeyError, ValueError) as unknown:
        raise Http404 from unknown
    today = timezone.localdate()
    item = queue_item(request.user, QueueKind(kind), pk, today)
    if item is None:
        return _done(request, kind, pk, _("Việc này đã được xử lý hoặc không còn trong hàng chờ."))
    form = form_class(request.POST, auto_id=f"id_{item.key}_{verb}_%s")
    try:  # refused by the task's state now, or by the service (decided meanwhile by a colleague)
        task_access(request.user, item.task.pk, action)
        if form.is_valid():
            try:
                return _done(request, kind, pk, apply(item, request, form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
    except TaskActionRefused as refusal:
        if refusal.by_role:
            raise
        return _done(request, kind, pk, str(refusal), refused=True)
    if not partial(request):
        for field_errors in form.errors.values():
            messages.error(request, "; ".join(str(e) for e in field_errors))
        return redirect("tracking:queue")
    context = {"item": item, "forms": _forms(item, (verb, form))}
    return render(request, "tracking/_queue_item.html", context)


def _done(
    request: rules.SignedInRequest, kind: str, pk: int, message: str, refused: bool = False
) -> HttpResponse:
    if not partial(request):
        (messages.error if refused else messages.success)(request, message)
        return redirect("tracking:queue")
    context = {"key": f"{kind}-{pk}", "message": message, "refused": refused}
    return render(request, "tracking/_queue_done.html", context)
