"""Agency pages: each view checks who may open it (`@allow`), then which agency (`access`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dondoc.accounts import rules
from dondoc.agencies import selectors, services
from dondoc.agencies.access import agency_access
from dondoc.agencies.forms import AgencyFilterForm, AgencyForm, ReorganizationForm
from dondoc.core.access import allow
from dondoc.core.htmx import HtmxHttpRequest, partial

PAGE_SIZE = 50


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@allow(rules.signed_in)
@require_GET
def agency_lookup(request: HttpRequest, *, ended: bool = True) -> HttpResponse:
    """Suggestions for a lookup input: `?field=<name>&<name>=<what the user typed>`; without
    the ended agencies if not `ended` (the pickers of forms, which refuse them)."""
    term = request.GET.get(request.GET.get("field", "q"), "")
    options = selectors.agencies_suggested(request.user, term, ended=ended)
    return render(request, "core/lookup_options.html", {"options": options})


@allow(rules.agency_reader)
def agency_list(request: HtmxHttpRequest) -> HttpResponse:
    form = AgencyFilterForm(request.GET or None)
    filters = form.filters()
    agencies = selectors.agencies_filtered(request.user, filters)
    context = {
        "form": form,
        "page": Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page")),
        "parent": selectors.agency_visible(request.user, filters.parent),
        "can_change": rules.administrator(request.user),
    }
    template = "agencies/_results.html" if partial(request) else "agencies/list.html"
    return render(request, template, context)


@allow(rules.agency_reader)
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = agency_access(request.user, code)
    context = {
        "page": selectors.agency_page(request.user, agency),
        "can_change": rules.administrator(request.user),
    }
    return render(request, "agencies/detail.html", context)


@allow(rules.administrator)
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.user, _posted(request))
    if form.is_bound and form.is_valid():
        try:
            agency = services.agency_create(request.user, form.agency_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": agency.name})
            return redirect("agencies:detail", code=agency.code)
    return render(request, "agencies/form.html", {"form": form, "agency": None})


@allow(rules.administrator)
def agency_edit(request: HttpRequest, code: str) -> HttpResponse:
    agency = agency_access(request.user, code, write=True)
    form = AgencyForm(request.user, _posted(request), agency=agency)
    if form.is_bound and form.is_valid():
        try:
            agency = services.agency_update(request.user, agency, form.agency_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu %(name)s.") % {"name": agency.name})
            return redirect("agencies:detail", code=agency.code)
    return render(request, "agencies/form.html", {"form": form, "agency": agency})


@allow(rules.administrator)
def reorganization_create(request: HttpRequest) -> HttpResponse:
    start = selectors.agency_visible(request.user, request.GET.get("from", ""))
    form = ReorganizationForm(
        request.user, _posted(request), initial={"predecessors": [start.pk] if start else []}
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            reorganization = services.reorganization_record(
                request.user,
                kind=data["kind"],
                effective_on=data["effective_on"],
                predecessors=data["predecessors"],
                successors=data["successors"],
                new_successor=form.new_successor(),
                decision=data["decision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Đã ghi nhận sắp xếp tổ chức: %(event)s.") % {"event": reorganization}
            )
            shown = reorganization.successors.first() or reorganization.predecessors.first()
            return (
                redirect("agencies:detail", code=shown.code) if shown else redirect("agencies:list")
            )
    return render(request, "agencies/reorganize.html", {"form": form})
