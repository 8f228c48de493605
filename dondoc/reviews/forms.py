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
from dondoc.agencies.selectors import agency_choices
from dondoc.core.text import search_key
from dondoc.core.widgets import LookupInput
from dondoc.tracking.forms import AgencyLookupField
from dondoc.tracking.models import Document

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
    ignored): all, strategic, the issuing bodies and the documents (newest first) — at most
    `limit` of them, what the form's scope picker suggests (a lead agency has its own picker)."""
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
    agency = AgencyLookupField(
        label=_("Cơ quan chủ trì"), required=False,
        help_text=_(
            "Để báo cáo riêng các nhiệm vụ do một cơ quan chủ trì: gõ tên, tên viết tắt hoặc mã "
            "cơ quan rồi chọn trong danh sách gợi ý (phạm vi để “Toàn bộ nhiệm vụ”)."
        ),
    )  # fmt: skip
    formats = forms.MultipleChoiceField(
        label=_("Định dạng"), choices=FORMAT_CHOICES, initial=list(FORMATS),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, user: Any, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = _last_month(today).label
        self.fields["agency"].queryset = agency_choices(user, ended=False)  # type: ignore[attr-defined]

    def clean_period(self) -> str:
        try:
            return period_parse(self.cleaned_data["period"]).code
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_scope(self) -> str:
        try:
            scope = scope_parse(self.cleaned_data["scope"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        offered = self.fields["agency"].queryset  # type: ignore[attr-defined]
        if scope.kind == "agency" and not offered.filter(pk=scope.agency_id).exists():
            raise ValidationError(
                _("Cơ quan %(code)s không còn hoạt động nên không chọn được ở đây; chọn cơ quan "
                  "chủ trì trong ô “Cơ quan chủ trì” theo danh sách gợi ý."),
                code="agency_not_offered", params={"code": scope.value},
            )  # fmt: skip
        return scope.code

    def clean(self) -> dict[str, Any]:
        """A lead agency picked narrows the whole of the tasks to those it leads: the scope
        becomes `agency:<code>`; with another scope it is refused (they do not combine)."""
        cleaned = super().clean() or {}
        agency = cleaned.pop("agency", None)
        if agency is not None and cleaned.get("scope") not in (None, "all"):
            self.add_error("agency", ValidationError(
                _("Chỉ chọn cơ quan chủ trì khi phạm vi là “Toàn bộ nhiệm vụ”; hãy bỏ một trong "
                  "hai."), code="scope_and_agency",
            ))  # fmt: skip
        elif agency is not None:
            cleaned["scope"] = f"agency:{agency.code}"
        return cleaned
