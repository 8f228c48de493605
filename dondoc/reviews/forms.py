"""The request form of a progress review: period, scope and formats, checked by the service's
own parsers so the page and the command line accept exactly the same codes."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency
from dondoc.tracking.models import Document, Task

from .models import FORMATS
from .periods import PERIOD_HELP, SCOPE_HELP, Period, period_parse, scope_parse

FORMAT_CHOICES = [("docx", "Word (DOCX)"), ("pdf", "PDF"), ("xlsx", "Excel (XLSX)")]
DOCUMENT_SUGGESTIONS = 200


def _last_month(today: dt.date) -> Period:
    return period_parse(f"{today:%Y-%m}").previous()


def period_suggestions(today: dt.date) -> list[tuple[str, str]]:
    """The last twelve months, the last four quarters and the last two years."""
    month = period_parse(f"{today:%Y-%m}")
    quarter = period_parse(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    year = period_parse(str(today.year))
    found: list[Period] = []
    for first, count in ((month, 12), (quarter, 4), (year, 2)):
        period = first
        for _n in range(count):
            found.append(period)
            period = period.previous()
    return [(p.code, p.label) for p in found]


def scope_suggestions() -> list[tuple[str, str]]:
    """All, strategic, every issuing body, the recent documents and every active agency."""
    suggestions = [("all", "Toàn bộ nhiệm vụ"), ("strategic", "Các nghị quyết chiến lược")]
    issued = Document.objects.filter(issuing_body=OuterRef("pk"))
    issuers = Agency.objects.filter(Exists(issued)).order_by("sort_text")
    suggestions += [(f"issuer:{a.code}", f"Văn bản của {a.name}") for a in issuers]
    documents = Document.objects.order_by("-issued_on", "-id")[:DOCUMENT_SUGGESTIONS]
    suggestions += [(f"document:{d.symbol}", d.title[:90]) for d in documents]
    leading = Task.objects.filter(lead_agency=OuterRef("pk"))  # served by the (lead, due) index
    agencies = Agency.objects.active().filter(Exists(leading)).order_by("sort_text")
    suggestions += [(f"agency:{a.code}", f"Do {a.name} chủ trì") for a in agencies]
    return suggestions


class ReviewRequestForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ báo cáo"), max_length=32, help_text=PERIOD_HELP,
        widget=forms.TextInput(attrs={"list": "review-periods", "autocomplete": "off"}),
    )  # fmt: skip
    scope = forms.CharField(
        label=_("Phạm vi"), max_length=120, initial="all", help_text=SCOPE_HELP,
        widget=forms.TextInput(attrs={"list": "review-scopes", "autocomplete": "off"}),
    )  # fmt: skip
    formats = forms.MultipleChoiceField(
        label=_("Định dạng"), choices=FORMAT_CHOICES, initial=list(FORMATS),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = _last_month(today).code

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
