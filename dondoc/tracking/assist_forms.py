"""Forms of assisted entry (`views/assist.py`): the pasted text, and one proposed task to confirm.

Step 1 (`AssistTextForm`) reads the text and the date deadlines are counted from: the chosen
document's date, or a date typed when there is no document. Step 2 (`ProposalFormSet`) holds one
`ProposalForm` per proposal of `dondoc.tracking.extraction`; only the rows left ticked are
checked and assigned. A group lead ("các tỉnh ủy, thành ủy") may become one task per active
agency of the group's kind (`GROUP_KINDS`); any other group needs a lead chosen by hand.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.agencies.selectors import agency_choices
from dondoc.tracking.access import documents_visible_to
from dondoc.tracking.extraction import GROUPS, ProposedTask
from dondoc.tracking.extraction.segments import repair_mojibake
from dondoc.tracking.forms import DateInput, DocumentField, deadline_on, submission_field
from dondoc.tracking.models import DeadlineKind, Document

TEXT_MAX_LENGTH = 100_000  # about 0.5 s of reading; a conclusion or notice is far shorter
GROUP_KINDS: dict[str, str] = {  # the groups whose members the database knows by their kind
    "GROUP:PROVINCES": AgencyKind.PROVINCE,
    "GROUP:CENTRAL_BODIES": AgencyKind.CENTRAL_BODY,
    "GROUP:CENTRAL_PARTY_COMMITTEES": AgencyKind.CENTRAL_PARTY_COMMITTEE,
}

# Characters of Latin-1 that Vietnamese Unicode text does not use but legacy fonts (TCVN3
# ".VnTime", VNI) and wrong decodings leave behind ("Ban Tæ chøc Trung ­¬ng", "Ban Toå chöùc"),
# and the replacement character of a lossy decoding.
_VIETNAMESE_LATIN1 = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý" + "\u00a0\u00a7\u00ab\u00b0\u00b2\u00b7\u00bb"
)
_FOREIGN = frozenset(chr(c) for c in range(0xA1, 0x100) if chr(c) not in _VIETNAMESE_LATIN1)
_FOREIGN |= {"\ufffd"}
_LOST_LETTER = re.compile(r"(?<=\w)\?+(?=\w)")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
GARBLED_SHARE = 0.02  # of the letters


def looks_garbled(text: str) -> bool:
    """Whether `text` reads as a legacy font or a broken encoding, after the repairs that the
    extraction makes itself (UTF-8 read as Windows-1252 is decoded again, line by line)."""
    repaired = "\n".join(repair_mojibake(line) for line in text.splitlines())
    odd = sum(ch in _FOREIGN for ch in repaired)
    odd += len(_LOST_LETTER.findall(repaired)) + len(_CONTROL.findall(repaired))
    letters = sum(ch.isalpha() for ch in repaired) or 1
    return odd >= 3 and odd / letters >= GARBLED_SHARE


class AssistTextForm(forms.Form):
    """The pasted text and where its tasks go; the document's date is the reference date."""

    document = DocumentField(
        label=_("Văn bản"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("Các nhiệm vụ được giao sẽ gắn với văn bản này."),
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Chỉ cần khi không chọn văn bản: thời hạn tương đối (“trong 30 ngày”, "
            "“hằng quý”) được tính từ ngày này. Khi đã chọn văn bản, dùng ngày ban "
            "hành của văn bản."
        ),
    )
    text = forms.CharField(
        label=_("Nội dung văn bản"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Dán nội dung kết luận, thông báo kết luận hoặc nghị quyết (có thể dán cả văn bản)."
        ),
        error_messages={"required": _("Vui lòng dán nội dung văn bản.")},
    )
    submission = submission_field()

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = documents_visible_to(user).order_by("-issued_on", "-id")
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        document = data.get("document")
        if document is not None:
            data["issued_on"] = document.issued_on
        elif data.get("issued_on") is None and "issued_on" not in self.errors:
            self.add_error(
                "issued_on",
                ValidationError(
                    _("Chọn văn bản, hoặc nhập ngày ban hành để tính thời hạn."),
                    code="reference_date_required",
                ),
            )
        return data


@dataclass(frozen=True)
class AgencyOptions:
    """The active agencies a specialist may pick, read once for every row of the formset."""

    agencies: tuple[Agency, ...]

    @classmethod
    def for_user(cls, user: Any) -> "AgencyOptions":
        return cls(tuple(agency_choices(user, ended=False)))

    def choices(self) -> list[tuple[int, str]]:
        return [(agency.pk, f"{agency.name} ({agency.code})") for agency in self.agencies]

    def by_pk(self, pks: Iterable[int]) -> list[Agency]:
        wanted = set(pks)
        return [agency for agency in self.agencies if agency.pk in wanted]

    def pk_of(self, code: str) -> int | None:
        return self._pk_by_code.get(code)

    @functools.cached_property
    def _pk_by_code(self) -> dict[str, int]:
        return {agency.code: agency.pk for agency in self.agencies}

    def of_group(self, code: str) -> list[Agency]:
        kind = GROUP_KINDS.get(code)
        return [agency for agency in self.agencies if kind and agency.kind == kind]


class ProposalForm(forms.Form):
    """One proposed task. The hidden fields keep what the text said, to show it again."""

    include = forms.BooleanField(label=_("Giao nhiệm vụ này"), required=False, initial=True)
    sentence = forms.CharField(required=False, widget=forms.HiddenInput)
    lead_code = forms.CharField(required=False, widget=forms.HiddenInput)
    lead_text = forms.CharField(required=False, widget=forms.HiddenInput)
    deadline_text = forms.CharField(required=False, widget=forms.HiddenInput)
    other_coordinators = forms.CharField(required=False, widget=forms.HiddenInput)
    leads_text = forms.CharField(required=False, widget=forms.HiddenInput)  # "A|B|C"
    span_start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    span_end = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confidence = forms.FloatField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    lead_agency = forms.TypedChoiceField(
        label=_("Cơ quan chủ trì"), coerce=int, empty_value=None, required=False
    )
    expand_group = forms.BooleanField(
        label=_("Tạo một nhiệm vụ cho từng cơ quan trong nhóm"), required=False
    )
    coordinating_agencies = forms.TypedMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Giữ phím Ctrl (Cmd trên máy Mac) để chọn nhiều cơ quan."),
    )
    deadline_kind = forms.ChoiceField(label=_("Loại thời hạn"), choices=DeadlineKind.choices)
    due_on = forms.DateField(label=_("Thời hạn"), required=False, widget=DateInput)
    expected_product = forms.CharField(label=_("Sản phẩm đầu ra"), required=False, max_length=300)
    is_key = forms.BooleanField(label=_("Nhiệm vụ trọng tâm"), required=False)
    teach_alias = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, options: AgencyOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        choices = options.choices()
        self.fields["lead_agency"].choices = [("", _("— Chọn cơ quan chủ trì —")), *choices]  # type: ignore[attr-defined]
        self.fields["coordinating_agencies"].choices = choices  # type: ignore[attr-defined]
        if not self.group_members:
            del self.fields["expand_group"]
        if self.unresolved_words:
            self.fields["teach_alias"].label = gettext(
                "Ghi nhớ “%(name)s” là tên gọi khác của cơ quan chủ trì đã chọn (lần sau tự nhận ra)"
            ) % {"name": self.unresolved_words}
        else:
            del self.fields["teach_alias"]

    @staticmethod
    def initial_for(proposal: ProposedTask, options: AgencyOptions) -> dict[str, Any]:
        """The row's first values: what the text says, in the agencies the database has."""
        lead = proposal.lead
        coordinating = [ref for ref in proposal.coordinating if options.pk_of(ref.code)]
        deadline = proposal.deadline
        return {
            "include": True,
            "sentence": proposal.sentence,
            "lead_code": lead.code if lead else "",
            "lead_text": proposal.lead_text,
            "deadline_text": deadline.text if deadline else "",
            "other_coordinators": "; ".join(
                ref.name for ref in proposal.coordinating if ref not in coordinating
            ),
            "leads_text": "|".join(proposal.leads) if len(proposal.leads) > 1 else "",
            "span_start": proposal.span[0],
            "span_end": proposal.span[1],
            "confidence": round(proposal.confidence, 2),
            "title": proposal.title,
            "lead_agency": options.pk_of(lead.code) if lead else None,
            "coordinating_agencies": [options.pk_of(ref.code) for ref in coordinating],
            "deadline_kind": deadline.kind if deadline else DeadlineKind.DATE,
            "due_on": deadline.due_on if deadline else None,
            "expected_product": _products_text(proposal.products),
        }

    # What the text said ---------------------------------------------------------------

    def _said(self, name: str) -> str:
        value = self[name].value()
        return str(value) if value else ""

    @property
    def included(self) -> bool:
        if not self.is_bound:
            return bool(self.initial.get("include", True))
        field = self.fields["include"]
        return bool(
            field.widget.value_from_datadict(self.data, self.files, self.add_prefix("include"))
        )

    @property
    def lead_names(self) -> list[str]:
        """Every lead named together in the text ("Giao A; B; C ..."), two or more, or none."""
        names = [name.strip() for name in self._said("leads_text").split("|") if name.strip()]
        return names if len(names) > 1 else []

    @property
    def unresolved_words(self) -> str:
        """The words naming a lead the registry does not hold (not a group), if any: the
        specialist maps them to an agency, and may keep them as its alias. Words naming several
        leads ("Ủy ban nhân dân các tỉnh: A, B") name a list, not an agency: no alias."""
        code, words = self._said("lead_code"), self._said("lead_text")
        if not words or code.startswith("GROUP:") or (code and self.options.pk_of(code)):
            return ""
        if self.lead_names and ":" in words:
            return ""
        return words

    @property
    def needs_attention(self) -> bool:
        """Shown first: no registered lead, or several leads to split."""
        return bool(self.lead_names) or not self.options.pk_of(self._said("lead_code"))

    @property
    def span(self) -> tuple[int, int] | None:
        start, end = self["span_start"].value(), self["span_end"].value()
        try:
            span = (int(start), int(end))
        except (TypeError, ValueError):
            return None
        return span if 0 <= span[0] < span[1] else None

    @property
    def confidence_percent(self) -> int | None:
        value = self["confidence"].value()
        try:
            return round(float(value) * 100) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    @property
    def group_name(self) -> str:
        group = GROUPS.get(self._said("lead_code"))
        return group[0] if group else ""

    @property
    def group_members(self) -> list[Agency]:
        return self.options.of_group(self._said("lead_code"))

    @property
    def warning(self) -> str:
        """Why the lead is not chosen yet, if it is not (a group, an unknown agency, none)."""
        code, words = self._said("lead_code"), self._said("lead_text")
        if self.group_members:
            return gettext(
                "Văn bản giao cho nhóm “%(group)s”. Chọn một cơ quan chủ trì, hoặc "
                "đánh dấu “Tạo một nhiệm vụ cho từng cơ quan trong nhóm” để giao cho "
                "cả %(count)s cơ quan."
            ) % {"group": self.group_name, "count": len(self.group_members)}
        if self.group_name:
            return gettext("Văn bản giao cho nhóm “%(group)s”: hãy chọn cơ quan chủ trì.") % {
                "group": self.group_name
            }
        if code and self.options.pk_of(code):
            return ""
        if words:
            return gettext(
                "Không tìm thấy “%(name)s” trong danh mục cơ quan: hãy chọn cơ quan chủ trì."
            ) % {"name": words}
        return gettext("Chưa xác định được cơ quan chủ trì: hãy chọn.")

    def sentence_parts(self) -> tuple[str, str, str]:
        """The sentence cut around the words naming the lead, to highlight them."""
        sentence, words = self._said("sentence"), self._said("lead_text")
        start = sentence.lower().find(words.lower()) if words else -1
        if start < 0 or len(sentence.lower()) != len(sentence):
            return sentence, "", ""
        end = start + len(words)
        return sentence[:start], sentence[start:end], sentence[end:]

    # Checking -------------------------------------------------------------------------

    def full_clean(self) -> None:
        """A row left unticked is neither checked nor assigned."""
        super().full_clean()
        if self.is_bound and not self.included:
            self._errors = ErrorDict()
            self.cleaned_data = {"include": False}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = self.options.by_pk([data["lead_agency"]]) if data.get("lead_agency") else []
        if data.get("expand_group") and lead:
            self.add_error(
                "lead_agency",
                ValidationError(
                    _(
                        "Chọn một cơ quan chủ trì hoặc giao cho từng cơ quan trong nhóm, không cả hai."
                    ),
                    code="lead_and_group",
                ),
            )
        elif data.get("expand_group"):
            data["leads"] = self.group_members
        elif lead:
            data["leads"] = lead
        else:
            self.add_error(
                "lead_agency",
                ValidationError(_("Chọn cơ quan chủ trì."), code="lead_required"),
            )
        data["coordinating_agencies"] = self.options.by_pk(data.get("coordinating_agencies") or [])
        kind = data.get("deadline_kind")
        if kind and "due_on" in data:
            data["due_on"] = deadline_on(kind, data["due_on"])
            if kind != DeadlineKind.ONGOING and data["due_on"] is None:
                self.add_error(
                    "due_on",
                    ValidationError(
                        _("Nhiệm vụ có thời hạn phải ghi rõ thời hạn."), code="deadline_required"
                    ),
                )
        return data

    def leads(self) -> list[Agency]:
        """One task is assigned per lead: the chosen agency, or every member of the group."""
        return list(self.cleaned_data.get("leads", []))

    def alias_to_teach(self) -> tuple[Agency, str] | None:
        """(agency, words) when the specialist mapped unknown words to one chosen lead and
        asked to keep them as the agency's other name."""
        data = self.cleaned_data
        words = self.unresolved_words
        leads = data.get("leads") or []
        if not words or not data.get("teach_alias") or data.get("expand_group") or len(leads) != 1:
            return None
        return leads[0], words

    def task_fields(self) -> dict[str, Any]:
        """The task's own fields, as `services.new_task` takes them (the sentence it came
        from is kept as the task's content)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("sentence", ""),
            "expected_product": data["expected_product"],
            "deadline_kind": data["deadline_kind"],
            "due_on": data["due_on"],
            "is_key": data["is_key"],
        }


class BaseProposalFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def included_forms(self) -> list[ProposalForm]:
        return [form for form in self.forms if form.included]

    def clean(self) -> None:
        if not any(form.included for form in self.forms):
            raise ValidationError(
                _("Chưa chọn nhiệm vụ nào để giao: đánh dấu ít nhất một nhiệm vụ."),
                code="nothing_included",
            )


ProposalFormSet = forms.formset_factory(ProposalForm, formset=BaseProposalFormSet, extra=0)
ROWS_PREFIX = "task"


def proposal_formset(
    options: AgencyOptions,
    data: Any = None,
    proposals: Iterable[ProposedTask] = (),
) -> BaseProposalFormSet:
    """The rows to confirm: from the extraction's proposals, or as posted back."""
    initial = [ProposalForm.initial_for(proposal, options) for proposal in proposals]
    initial.sort(key=lambda row: not _needs_attention(row, options))  # stable: text order
    return _formset(options, data, initial)


def _formset(
    options: AgencyOptions, data: Any, initial: list[dict[str, Any]]
) -> BaseProposalFormSet:
    formset = ProposalFormSet(
        data, initial=initial or None, prefix=ROWS_PREFIX, form_kwargs={"options": options}
    )
    return cast(BaseProposalFormSet, formset)


def _needs_attention(row: dict[str, Any], options: AgencyOptions) -> bool:
    return bool(row.get("leads_text")) or not options.pk_of(row.get("lead_code") or "")


_ROW_FIELDS = [name for name in ProposalForm.base_fields if name not in ("expand_group",)]


def _posted_row(form: ProposalForm) -> dict[str, Any]:
    """A posted row as first values for a new page, without checking it."""
    row: dict[str, Any] = {}
    for name in _ROW_FIELDS:
        if name in form.fields or name == "teach_alias":
            row[name] = form[name].value() if name in form.fields else True
    row["lead_agency"] = _as_int(row.get("lead_agency"))
    row["coordinating_agencies"] = [
        pk for pk in (_as_int(v) for v in row.get("coordinating_agencies") or []) if pk
    ]
    return row


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def split_row(row: dict[str, Any], resolve: Any, options: AgencyOptions) -> list[dict[str, Any]]:
    """One row per lead named together: each keeps the task, its deadline and its own lead
    (resolved through `resolve(words) -> code or ""`); the other leads are no coordinators."""
    names = [name for name in str(row.get("leads_text") or "").split("|") if name.strip()]
    if len(names) < 2:
        return [row]
    codes = [resolve(name) for name in names]
    co_leads = {options.pk_of(code) for code in codes if code}
    rows = []
    for name, code in zip(names, codes, strict=True):
        rows.append(
            {
                **row,
                "include": True,
                "lead_text": name.strip(),
                "lead_code": code,
                "leads_text": "",
                "lead_agency": options.pk_of(code) if code else None,
                "coordinating_agencies": [
                    pk for pk in row.get("coordinating_agencies", []) if pk not in co_leads
                ],
            }
        )
    return rows


def merge_rows(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """`second` folded into `first` (one deliverable read as two): the first's lead, both
    texts and coordinators, the first's deadline unless it has none, the span of both."""
    merged = dict(first)
    merged["title"] = "; ".join(t for t in (first.get("title"), second.get("title")) if t)[:500]
    merged["sentence"] = " ".join(t for t in (first.get("sentence"), second.get("sentence")) if t)
    merged["coordinating_agencies"] = list(
        dict.fromkeys(
            [*first.get("coordinating_agencies", []), *second.get("coordinating_agencies", [])]
        )
    )
    if not first.get("due_on"):
        for name in ("deadline_kind", "due_on", "deadline_text"):
            merged[name] = second.get(name)
    spans = [
        (_as_int(row.get("span_start")), _as_int(row.get("span_end"))) for row in (first, second)
    ]
    starts = [start for start, _ in spans if start is not None]
    ends = [end for _, end in spans if end is not None]
    if starts and ends:
        merged["span_start"], merged["span_end"] = min(starts), max(ends)
    products = [p for p in (first.get("expected_product"), second.get("expected_product")) if p]
    merged["expected_product"] = "; ".join(products)[:300]
    return merged


def reworked_formset(
    options: AgencyOptions, data: Any, action: str, index: int, resolve: Any
) -> BaseProposalFormSet:
    """The rows as posted, with row `index` split into one row per lead (`action` "split") or
    folded into the row above (`action` "merge"); a new, unchecked page."""
    posted = _formset(options, data, [])
    rows = [_posted_row(form) for form in posted.forms]
    if 0 <= index < len(rows):
        if action == "split":
            rows[index : index + 1] = split_row(rows[index], resolve, options)
        elif action == "merge" and index > 0:
            rows[index - 1 : index + 1] = [merge_rows(rows[index - 1], rows[index])]
    return _formset(options, None, rows)


def _products_text(products: list[str]) -> str:
    """ "Báo cáo", "Đề án, tờ trình": the kinds the text asks for, as the product field shows."""
    text = ", ".join(products)
    return text[:1].upper() + text[1:]
