"""The request form of a progress review: period, scope and formats, checked by the service's
own parsers, which read the labels the form offers as well as the codes the command line takes."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency
from dondoc.core.text import search_key
from dondoc.core.widgets import LookupInput
from dondoc.tracking.models import Document, Task

from .models import FORMATS
from .periods import (
    PERIOD_HELP,
    SCOPE_HELP,
    Period,
    document_scope_name,
    period_parse,
    scope_parse,
)

FORMAT_CHOICES = [("docx", "Word (DOCX)"), ("pdf", "PDF"), ("xlsx", "Excel (XLSX)")]
SCOPE_SUGGESTIONS = 20


def _last_month(today: dt.date) -> Period:
    return period_parse(f"{today:%Y-%m}").previous()


def period_suggestions(today: dt.date) -> list[tuple[str, str]]:
    """(label, code) of the last twelve months, the last four quarters and the last two years:
    the label is what the form offers and reads back."""
    month = period_parse(f"{today:%Y-%m}")
    quarter = period_parse(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    year = period_parse(str(today.year))
    found: list[Period] = []
    for first, count in ((month, 12), (quarter, 4), (year, 2)):
        period = first
        for _n in range(count):
            found.append(period)
            period = period.previous()
    return [(p.label, p.code) for p in found]


ALL_LABEL, STRATEGIC_LABEL = "Toàn bộ nhiệm vụ", "Các nghị quyết chiến lược"


def scope_suggestions(term: str, limit: int = SCOPE_SUGGESTIONS) -> list[tuple[str, str]]:
    """(label, detail) of the scopes whose label holds every word of `term` (diacritics
    ignored): all, strategic, the issuing bodies, the documents (newest first) and the active
    agencies that lead tasks — at most `limit` of them, what the form's picker suggests."""
    words = search_key(term).split()

    def matching(queryset: QuerySet[Any]) -> QuerySet[Any]:
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    found = [
        (label, "") for label in (ALL_LABEL, STRATEGIC_LABEL)
        if all(word in search_key(label) for word in words)
    ]  # fmt: skip
    issued = Document.objects.filter(issuing_body=OuterRef("pk"))
    issuers = matching(Agency.objects.filter(Exists(issued))).order_by("sort_text")
    found += [(f"Văn bản của {a.name}", a.code) for a in issuers[:limit]]
    documents = matching(Document.objects.order_by("-issued_on", "-id"))
    found += [(document_scope_name(d), d.title[:90]) for d in documents[:limit]]
    leading = Task.objects.filter(lead_agency=OuterRef("pk"))  # served by the (lead, due) index
    agencies = matching(Agency.objects.active().filter(Exists(leading))).order_by("sort_text")
    found += [(f"Do {a.name} chủ trì", a.code) for a in agencies[:limit]]
    return found[:limit]


class ReviewRequestForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ báo cáo"), max_length=80, help_text=PERIOD_HELP,
        widget=forms.TextInput(attrs={"list": "review-periods", "autocomplete": "off"}),
    )  # fmt: skip
    scope = forms.CharField(
        label=_("Phạm vi"), max_length=600, initial=ALL_LABEL, help_text=SCOPE_HELP,
        widget=LookupInput(reverse_lazy("reviews:scopes")),
    )  # fmt: skip
    formats = forms.MultipleChoiceField(
        label=_("Định dạng"), choices=FORMAT_CHOICES, initial=list(FORMATS),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = _last_month(today).label

    def clean_period(self) -> str:
        try:
            return period_parse(self.cleaned_data["period"]).code
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_scope(self) -> str:
        try:
            return scope_parse(self.cleaned_data["scope"]).code
        except ValidationError as error:
            raise ValidationError(error.messages) from None
