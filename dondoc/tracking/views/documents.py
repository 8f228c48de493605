"""Documents (with their tasks and completion figures) and working sessions (with their
directive opinions). Nothing classified above the reader's clearance is listed or opened."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.core.htmx import partial
from dondoc.core.page_panels import page_panels
from dondoc.tracking import selectors, services
from dondoc.tracking.access import document_access, tasks_visible_to
from dondoc.tracking.forms import DocumentEditForm, DocumentFilterForm, DocumentForm, FollowerForm
from dondoc.tracking.status import DONE, TaskStatus, overdue_share
from dondoc.tracking.views.common import (
    PAGE_SIZE,
    add_service_error,
)

DOCUMENT_TASKS_SHOWN = 50


@allow(rules.signed_in)
@require_GET
def document_list(request: rules.SignedInRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    documents = selectors.documents_matching(request.user, form.filters())
    context = {
        "form": form,
        "page": Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_register": rules.office(request.user),
    }
    partial_page = partial(request)
    template = "tracking/_document_results.html" if partial_page else "tracking/document_list.html"
    return render(request, template, context)


@allow(rules.signed_in)
@require_GET
def document_lookup(request: rules.SignedInRequest) -> HttpResponse:
    """Suggestions for a lookup input: `?field=<name>&<name>=<what the user typed>`."""
    term = request.GET.get(request.GET.get("field", "q"), "")
    options = selectors.documents_suggested(request.user, term)
    return render(request, "core/lookup_options.html", {"options": options})


@allow(rules.signed_in)
@require_GET
def document_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """A document, how far its tasks have come (those the reader may see), and the tasks."""
    document = document_access(request.user, pk)
    today = timezone.localdate()
    tasks = tasks_visible_to(request.user).filter(document=document)
    counts = selectors.status_counts(tasks, today)
    share = overdue_share(counts)
    counted = share.base
    done = sum(counts[status] for status in DONE)
    rows = selectors.task_rows(tasks, today).order_by(*selectors.BY_DEADLINE)
    rows = rows[:DOCUMENT_TASKS_SHOWN]
    context = {
        "document": document,
        "counts": counts,
        "statuses": [(s.value, s.label, counts[s.value]) for s in TaskStatus],
        "done": done,
        "done_share": 100 * done / counted if counted else 0,
        "overdue": share,
        "tasks": rows,
        "more": counts["total"] > DOCUMENT_TASKS_SHOWN,
        "can_assign": rules.office(request.user),
        # Rows the apps above add (programs: the items that produced it, those the user sees).
        "fact_panels": page_panels("tracking.document.facts", request.user, document),
        "follower_form": FollowerForm(
            auto_id="id_follower_%s", initial={"follower": document.follower_id}
        )
        if rules.office(request.user)
        else None,
    }
    return render(request, "tracking/document_detail.html", context)


@allow(rules.office)
def document_create(request: rules.SignedInRequest) -> HttpResponse:
    """Register a document; its number-symbol gives its type, issuer code and number."""
    form = DocumentForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            document = services.document_register(
                request.user,
                symbol=data.pop("symbol"),
                issuing_body=data.pop("issuing_body"),
                **data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Đã đăng ký văn bản %(symbol)s.") % {"symbol": document.symbol}
            )
            return redirect("tracking:document_detail", pk=document.pk)
    return render(request, "tracking/document_form.html", {"form": form})


@allow(rules.office)
def document_edit(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Edit a registered document. If someone saved it after this form was opened, nothing is
    overwritten: the user keeps their input and sees what was saved meanwhile."""
    document = document_access(request.user, pk)
    initial = DocumentEditForm.initial_for(document)
    data = request.POST if request.method == "POST" else None
    form = DocumentEditForm(request.user, data, initial=initial)
    conflict = None
    if form.is_bound and form.is_valid():
        try:
            document = services.document_update(
                request.user, document, version=form.cleaned_data["version"],
                **form.document_fields(),
            )  # fmt: skip
        except services.DocumentEditConflictError as error:
            conflict = document_access(request.user, pk)
            posted = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
            posted["version"] = str(conflict.version)
            form.data = posted
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu văn bản %(symbol)s.") % {"symbol": document.symbol})
            return redirect("tracking:document_detail", pk=document.pk)
    context = {"form": form, "document": document, "conflict": conflict}
    return render(request, "tracking/document_form.html", context)


# Working sessions --------------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def session_list(request: rules.SignedInRequest) -> HttpResponse:
    sessions = (
        selectors.working_sessions_visible_to(request.user)
        .annotate(opinion_count=Count("opinions"))
        .order_by("-held_on", "-id")
    )
    context = {"page": Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))}
    return render(request, "tracking/session_list.html", context)


@allow(rules.signed_in)
@require_GET
def session_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    session = selectors.working_sessions_visible_to(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "session": session,
        "opinions": selectors.working_session_opinions(request.user, session, today),
        "can_assign": rules.office(request.user),
        # What the apps above add (programs: the items the session considers), each by its rule.
        "panels": page_panels("tracking.session", request.user, session),
    }
    return render(request, "tracking/session_detail.html", context)


@allow(rules.office)
@require_POST
def document_follower(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Assign the specialist who follows the document's tasks (those that name none)."""
    document = document_access(request.user, pk)
    form = FollowerForm(request.POST)
    if form.is_valid():
        try:
            services.document_follower_set(request.user, document, form.cleaned_data["follower"])
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Đã phân công chuyên viên theo dõi văn bản."))
    return redirect("tracking:document_detail", pk=document.pk)
