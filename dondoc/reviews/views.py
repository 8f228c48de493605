"""The review pages: the archive with the request form, one review (its status polled every two
seconds while it is being made, then its figures), and the downloads."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dondoc.accounts import rules
from dondoc.core.access import allow

from . import services
from .access import review_access, reviews_visible_to
from .content import review_content
from .forms import ReviewRequestForm, period_suggestions, scope_suggestions
from .models import FORMATS

PAGE_SIZE = 30
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FIELD_OF_ERROR = {"bad_period": "period", "future_period": "period", "bad_scope": "scope",
                  "bad_format": "formats"}  # fmt: skip


def _is_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


@allow(rules.review_reader)
@require_http_methods(["GET", "POST"])
def review_list(request: rules.SignedInRequest) -> HttpResponse:
    """The archive, newest first; for the office also the form that asks for a new review."""
    today = timezone.localdate()
    can_request = rules.office(request.user)
    form = (
        ReviewRequestForm(request.user, request.POST or None, today=today) if can_request else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.review_request(request.user, **form.cleaned_data, today=today)
            except ValidationError as error:
                for single in error.error_list:
                    form.add_error(FIELD_OF_ERROR.get(single.code or ""), single)
            else:
                return redirect("reviews:detail", pk=report.pk)
    reports = (
        reviews_visible_to(request.user)
        .select_related("requested_by", "agency")
        .defer("figures")  # the list needs none of the numbers
    )
    context: dict[str, Any] = {
        "form": form,
        "page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    if form is not None:
        context["periods"] = period_suggestions(today)
    return render(
        request, "reviews/list.html", context, status=400 if form and form.errors else 200
    )


@allow(rules.office)
@require_GET
def review_scopes(request: rules.SignedInRequest) -> HttpResponse:
    """Suggestions for the scope picker: `?field=scope&scope=<what the user typed>`, labels as
    values (the form reads them back)."""
    term = request.GET.get(request.GET.get("field", "scope"), "")[:200]
    return render(request, "core/lookup_options.html", {"options": scope_suggestions(term)})


@allow(rules.review_reader)
@require_GET
def review_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """One review: its progress while being made, then its figures and files. An htmx request
    (the two-second poll) gets only the part that changes."""
    report = review_access(request.user, pk)
    content = review_content(report.figures) if report.figures else None
    context = {"report": report, "content": content, "figures": report.figures}
    template = "reviews/_body.html" if _is_fragment(request) else "reviews/detail.html"
    return render(request, template, context)


@allow(rules.review_reader)
@require_GET
def review_download(request: rules.SignedInRequest, pk: int, fmt: str) -> FileResponse:
    """A file of a review the user may see, as an attachment; 404 for anything else."""
    report = review_access(request.user, pk)
    if fmt not in FORMATS or not getattr(report, fmt):
        raise Http404
    stored = getattr(report, fmt)
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=report.file_name(fmt),
        content_type=CONTENT_TYPES[fmt],
    )
