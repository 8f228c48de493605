"""The audit log pages, for administrators: the filtered list and one entry."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dondoc.accounts import rules
from dondoc.audit import selectors
from dondoc.audit.forms import AuditFilterForm
from dondoc.audit.models import AuditEntry
from dondoc.core.access import allow


@allow(rules.administrator)
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    before, after = form.cursor()
    page = selectors.audit_page(form.filters(), before=before, after=after)
    return render(request, "audit/entry_list.html", {"form": form, "page": page})


@allow(rules.administrator)
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    try:
        entry = selectors.audit_entry(seq)
    except AuditEntry.DoesNotExist:
        raise Http404 from None
    return render(
        request, "audit/entry_detail.html", {"entry": entry, "last_seq": selectors.audit_last_seq()}
    )
