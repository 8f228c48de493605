"""The task list (with its export and import), one task's page, creating and editing tasks."""

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.core.access import allow
from dondoc.core.htmx import partial
from dondoc.core.page_panels import page_panels
from dondoc.core.xlsx import XLSX_CONTENT_TYPE
from dondoc.tracking import selectors, services
from dondoc.tracking.access import (
    TaskAction,
    TaskActionRefused,
    document_access,
    obstacle_action,
    task_access,
    task_actions,
    tasks_visible_to,
)
from dondoc.tracking.forms import (
    DependencyForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FollowerForm,
    ObstacleAnswerForm,
    ObstacleForm,
    ProgressReportForm,
    ReasonForm,
    TaskCreateForm,
    TaskFilterForm,
    TaskForm,
    TaskImportForm,
    submission_key,
)
from dondoc.tracking.keyset import fingerprint
from dondoc.tracking.models import DirectiveOpinion, Obstacle, ObstacleLevel, Task
from dondoc.tracking.selectors import TaskFilters
from dondoc.tracking.status import TaskStatus
from dondoc.tracking.tallies import tallies_for
from dondoc.tracking.views.common import add_service_error, page_of, posted

EXPORT_MAX_ROWS = 20_000  # beyond this a request would take too long: narrow the filters


View = Callable[..., HttpResponse]


def shows_refusal(view: View) -> View:
    """An action the task's state does not allow now: 409, the task page, the reason."""

    @functools.wraps(view)
    def wrapper(request: rules.SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TaskActionRefused as refusal:
            if refusal.by_role:
                raise
            messages.error(request, str(refusal))
            return render_task_page(request, refusal.task, status=409)

    return wrapper


# The list ----------------------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def task_list(request: rules.SignedInRequest) -> HttpResponse:
    """Every user's list of the tasks they may see, filtered, sorted, 50 a page; the status
    counts above it cover the filtered tasks in every status (the status filter aside)."""
    today = timezone.localdate()
    form = TaskFilterForm(request.user, request.GET or None)
    filters = form.filters()
    visible = tasks_visible_to(request.user)
    tasks = selectors.task_rows(selectors.tasks_matching(visible, filters, today), today)
    counted = selectors.task_list_counts(visible, filters, today, tallies_for(request.user, today))
    keys = selectors.sort_keys(filters.sort)
    page = page_of(request, tasks, keys, fingerprint(filters, today), counted.total)
    counts = counted.per_status or {}
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "counts": counts,
        "counted": counted,
        "count_cap": selectors.COUNT_CAP,
        "status_cards": _status_cards(request, counts, filters.status),
        "today": today,
        "can_assign": rules.office(request.user),
        "more_filters": _more_filters(filters),
    }
    template = "tracking/_task_results.html" if partial(request) else "tracking/task_list.html"
    return render(request, template, context)


def _more_filters(filters: TaskFilters) -> bool:
    """Whether a filter beyond the text and the status is in use (their panel then opens)."""
    basic = {"q", "status", "sort"}
    return any(
        getattr(filters, f.name) not in (None, "", ())
        for f in dataclasses.fields(filters)
        if f.name not in basic
    )


def _status_cards(
    request: rules.SignedInRequest, counts: dict[str, int], chosen: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One card per status with its count and a link to the list filtered to that status."""
    cards = []
    for status in TaskStatus:
        query = request.GET.copy()
        query.setlist("status", [status.value])
        for moved in ("page", "after", "before"):
            query.pop(moved, None)
        cards.append(
            {
                "status": status.value,
                "label": status.label,
                "count": counts.get(status.value),
                "url": f"{reverse('tracking:task_list')}?{query.urlencode()}",
                "chosen": status.value in chosen,
            }
        )
    return cards


@allow(rules.signed_in)
@require_GET
def task_export(request: rules.SignedInRequest) -> HttpResponse:
    """The list as an Excel workbook: the same filters, the same visibility."""
    today = timezone.localdate()
    filters = TaskFilterForm(request.user, request.GET or None).filters()
    tasks = selectors.tasks_matching(tasks_visible_to(request.user), filters, today)
    if tasks.count() > EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("Danh sách có hơn %(limit)s nhiệm vụ; vui lòng lọc bớt trước khi xuất Excel.")
            % {"limit": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")},
        )
        return redirect(f"{reverse('tracking:task_list')}?{request.GET.urlencode()}")
    from dondoc.tracking import xlsx  # openpyxl: loaded by the processes that write a workbook

    response = HttpResponse(xlsx.tasks_to_xlsx(tasks), content_type=XLSX_CONTENT_TYPE)
    filename = _("Danh sách nhiệm vụ %(day)s.xlsx") % {"day": f"{today:%d-%m-%Y}"}
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@allow(rules.office)
def task_import(request: rules.SignedInRequest) -> HttpResponse:
    """Tasks from an Excel workbook: all rows or none; errors listed by row and column."""
    form = TaskImportForm(posted(request), request.FILES or None)
    errors: list[Any] = []
    warnings: list[Any] = []
    if form.is_bound and form.is_valid():
        from dondoc.tracking import xlsx  # openpyxl: loaded by the processes that read a workbook

        try:
            result = xlsx.import_tasks(
                form.cleaned_data["file"],
                request.user,
                allow_duplicates=form.cleaned_data["allow_duplicates"],
            )
        except services.DuplicateSubmissionError as done:
            messages.info(request, _("Tệp này đã được nhập: %(done)s") % {"done": done})
            return redirect("tracking:task_list")
        if result.created:
            messages.success(request, _("Đã nhập %(count)s nhiệm vụ.") % {"count": result.created})
            return redirect("tracking:task_list")
        errors, warnings = list(result.errors), list(result.warnings)
    if warnings:
        form = TaskImportForm(ask_duplicates=True)
    context = {"form": form, "errors": errors, "warnings": warnings}
    return render(request, "tracking/task_import.html", context)


@allow(rules.office)
@require_GET
def task_import_template(request: rules.SignedInRequest) -> HttpResponse:
    """The blank workbook to fill in for an import."""
    from dondoc.tracking import xlsx  # openpyxl: loaded by the processes that write a workbook

    response = HttpResponse(xlsx.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    filename = _("Mẫu nhập nhiệm vụ.xlsx")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


# One task ----------------------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def task_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk)
    return render_task_page(request, task)


def render_task_page(
    request: rules.SignedInRequest,
    task: Task,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The task page with the forms of exactly what the user may do now (`task_actions`);
    `bound` replaces a form by the one just posted, so that its errors show where the user
    typed."""
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    can = task_actions(user, task, today)
    page = selectors.task_page(user, task, today)
    context = {
        "task": task,
        "page": page,
        "can": {action.value: True for action in can},
        "forms": _action_forms(request.user, task, can, bound),
        "decisions": [
            (e, bound.get(f"decide-{e.pk}") or ExtensionDecisionForm(auto_id=f"id_decide{e.pk}_%s"))
            for e in page.pending_extensions
            if TaskAction.DECIDE_EXTENSION in can
        ],
        "answers": [
            _answer(obstacle, can, bound)
            for obstacle in page.open_obstacles
            if obstacle_action(obstacle) in can
        ],
        "today": today,
        # Rows the apps above add (programs: the item whose approval assigned it, if the user
        # may see that item).
        "fact_panels": page_panels("tracking.task.facts", user, task),
    }
    return render(request, "tracking/task_detail.html", context, status=status)


def _action_forms(
    user: User, task: Task, can: frozenset[TaskAction], bound: dict[str, Any]
) -> dict[str, Any]:
    """The task's own forms, one for each action the user may take."""
    forms: dict[str, Any] = {}
    if TaskAction.REPORT in can or TaskAction.FINAL_REPORT in can:
        forms["report"] = bound.get("report") or ProgressReportForm(
            task=task, final=TaskAction.FINAL_REPORT in can, auto_id="id_report_%s"
        )
    if TaskAction.REQUEST_EXTENSION in can:
        forms["extension"] = bound.get("extension") or ExtensionRequestForm(
            auto_id="id_extension_%s"
        )
    if TaskAction.RAISE_OBSTACLE in can:
        forms["obstacle"] = bound.get("obstacle") or ObstacleForm(auto_id="id_obstacle_%s")
    if TaskAction.ACCEPT in can:
        forms["return"] = bound.get("return") or ReasonForm(auto_id="id_return_%s")
    if TaskAction.EDIT in can:
        forms["cancel"] = bound.get("cancel") or ReasonForm(auto_id="id_cancel_%s")
        forms["dependency"] = bound.get("dependency") or DependencyForm(
            user, auto_id="id_dependency_%s"
        )
        forms["follower"] = bound.get("follower") or FollowerForm(
            auto_id="id_follower_%s", initial={"follower": task.follower_id}
        )
    return forms


def _answer(
    obstacle: Obstacle, can: frozenset[TaskAction], bound: dict[str, Any]
) -> dict[str, Any]:
    """An open obstacle the user may answer, with its form (and escalation, for the office)."""
    return {
        "obstacle": obstacle,
        "form": bound.get(f"answer-{obstacle.pk}")
        or ObstacleAnswerForm(auto_id=f"id_answer{obstacle.pk}_%s"),
        "may_escalate": obstacle.level == ObstacleLevel.OFFICE,
    }


# Create and edit ---------------------------------------------------------------------------


@allow(rules.office)
def task_create(request: rules.SignedInRequest) -> HttpResponse:
    """Assign a task, from a document (`?document=`) or a directive opinion (`?opinion=`)."""
    initial: dict[str, Any] = {}
    document = _from_query(request, "document")
    if document is not None:
        initial["document"] = document_access(request.user, document).pk
    opinion = _from_query(request, "opinion")
    if opinion is not None:
        initial["opinion"] = _opinion(request.user, opinion)
    form = TaskCreateForm(request.user, posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                request.user,
                coordinating_agencies=data["coordinating_agencies"],
                document=data["document"],
                opinion=data["opinion"],
                key=submission_key("form", data["submission"]),
                **form.task_fields(),
            )
        except services.DuplicateSubmissionError as done:
            messages.info(request, str(done))
            return redirect("tracking:task_detail", pk=done.submission.first_task_id)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã giao nhiệm vụ số %(pk)s.") % {"pk": task.pk})
            return redirect("tracking:task_detail", pk=task.pk)
    return render(
        request,
        "tracking/task_form.html",
        {"form": form, "task": None, "opinion": initial.get("opinion")},
    )


def _from_query(request: rules.SignedInRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdecimal():
        raise Http404
    return int(value)


def _opinion(user: Any, pk: int) -> DirectiveOpinion:
    opinion = (
        DirectiveOpinion.objects.select_related("session")
        .filter(pk=pk, session__classification__lte=user.clearance)
        .first()
    )
    if opinion is None:
        raise Http404
    return opinion


@allow(rules.signed_in)
@shows_refusal
def task_edit(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Edit a task. If someone saved it after this form was opened, nothing is overwritten:
    the user sees the message, their own input, and what was saved meanwhile."""
    task = task_access(request.user, pk, TaskAction.EDIT)
    form = TaskForm(request.user, posted(request), task=task)
    conflict: Task | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_update(
                request.user,
                task,
                version=data["version"],
                coordinating_agencies=data["coordinating_agencies"],
                **form.task_fields(),
            )
        except services.EditConflictError as error:
            conflict = _reopen_after_conflict(form, task, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ số %(pk)s.") % {"pk": task.pk})
            return redirect("tracking:task_detail", pk=task.pk)
    context = {
        "form": form,
        "task": task,
        "conflict": conflict,
        "conflict_changes": _changes(form, conflict) if conflict else [],
    }
    return render(request, "tracking/task_form.html", context, status=409 if conflict else 200)


def _reopen_after_conflict(form: TaskForm, task: Task, message: str) -> Task:
    """Keep the user's input, say why it was not saved, and let a new save be a deliberate
    choice made with the latest version in view."""
    latest = Task.objects.select_related("lead_agency").get(pk=task.pk)
    data = cast(QueryDict, form.data).copy()
    data["version"] = str(latest.version)
    form.data = data
    form.add_error(None, message)
    return latest


def _changes(form: TaskForm, latest: Task) -> list[dict[str, Any]]:
    """The fields where the saved task now differs from what the user typed."""
    saved = TaskForm.initial_for(latest)
    rows = []
    for name in (*TaskForm.TASK_FIELDS, "coordinating_agencies"):
        typed = form.cleaned_data.get(name)
        typed_value = getattr(typed, "pk", typed)
        if name == "coordinating_agencies":
            typed_value = sorted(a.code for a in typed or [])
            saved[name] = sorted(saved[name])
        if typed_value != saved[name]:
            rows.append({"label": form.fields[name].label, "saved": _shown(latest, name)})
    return rows


def _shown(task: Task, name: str) -> Any:
    if name == "coordinating_agencies":
        return ", ".join(
            task.coordinations.select_related("agency").values_list("agency__name", flat=True)
        )
    if name == "due_on":
        return f"{task.due_on:%d/%m/%Y}" if task.due_on else "—"
    display = getattr(task, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(task, name)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value if value not in (None, "") else "—"


@allow(rules.signed_in)
@require_GET
def task_lookup(request: rules.SignedInRequest) -> HttpResponse:
    """Suggestions for a task lookup input: `?field=<name>&<name>=<what the user typed>`."""
    term = request.GET.get(request.GET.get("field", "q"), "")
    options = selectors.tasks_suggested(request.user, term)
    return render(request, "core/lookup_options.html", {"options": options})
