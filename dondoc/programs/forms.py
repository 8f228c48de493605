"""The forms of an item's page, one per action of `access.ItemAction`."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency
from dondoc.agencies.selectors import agency_choices
from dondoc.programs.models import (
    CONTENT_SECTIONS,
    FileKind,
    HandlingOutcome,
    Invitation,
    ItemKind,
    ProgramItem,
    ProgramKind,
    RescheduleKind,
)
from dondoc.programs.services import Assignment, Outcome
from dondoc.tracking.forms import AgencyLookupField, AgencyLookupMultipleField
from dondoc.tracking.models import WorkingSession


class ContentForm(forms.Form):
    # The content revision the editor read: a save by someone else since is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    problem = forms.CharField(
        label=CONTENT_SECTIONS["problem"], widget=forms.Textarea, required=False
    )
    options = forms.CharField(
        label=CONTENT_SECTIONS["options"], widget=forms.Textarea, required=False
    )
    resources = forms.CharField(
        label=CONTENT_SECTIONS["resources"], widget=forms.Textarea, required=False
    )
    roadmap = forms.CharField(
        label=CONTENT_SECTIONS["roadmap"], widget=forms.Textarea, required=False
    )
    responsibilities = forms.CharField(
        label=CONTENT_SECTIONS["responsibilities"], widget=forms.Textarea, required=False
    )


def _agencies(text: str) -> list[Agency]:
    """Active agencies by their codes, comma-separated, in that order; unknown codes named."""
    codes = [c.strip() for c in text.replace(";", ",").split(",")]
    wanted = list(dict.fromkeys(c for c in codes if c))
    found = {a.code: a for a in Agency.objects.active().filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise forms.ValidationError(
            _("Không có cơ quan đang hoạt động với mã: %(codes)s."),
            params={"codes": ", ".join(unknown)},
            code="unknown_agency",
        )
    return [found[c] for c in wanted]


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Tên đề án, nội dung"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại"), choices=ItemKind.choices)
    planned_month = forms.TypedChoiceField(
        label=_("Tháng dự kiến trình"), choices=[(str(m), str(m)) for m in range(1, 13)], coerce=int
    )
    planned_year = forms.IntegerField(
        label=_("Năm dự kiến trình (chương trình toàn khóa)"), min_value=2000, max_value=2100
    )
    by_quarter = forms.BooleanField(label=_("Dự kiến theo quý (tháng cuối quý)"), required=False)
    lead_agency = AgencyLookupField(
        label=_("Cơ quan chủ trì"),
        help_text=_("Gõ tên, tên viết tắt hoặc mã cơ quan rồi chọn trong danh sách gợi ý."),
    )
    coordinating = AgencyLookupMultipleField(
        label=_("Cơ quan phối hợp"),
        queryset=Agency.objects.active(),
        required=False,
        help_text=_("Gõ tên hoặc mã cơ quan rồi chọn trong danh sách gợi ý; mỗi ô một cơ quan."),
    )

    def __init__(
        self, user: Any, *args: Any, term_years: list[int] | None = None, **kwargs: Any
    ) -> None:
        """`user` picks the lead among the agencies offered to them (the ended ones refused);
        `term_years`: the years of a full-term program, to choose the item's year from; None
        for a yearly program, whose items take the program's year."""
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = agency_choices(user, ended=False)  # type: ignore[attr-defined]
        if term_years is None:
            del self.fields["planned_year"]
        else:
            self.fields["planned_year"] = forms.TypedChoiceField(
                label=_("Năm dự kiến trình"),
                choices=[(str(y), str(y)) for y in term_years],
                coerce=int,
            )


class AdditionForm(ItemForm):
    """An item the office or its future lead agency asks to add to the adopted program."""

    reason = forms.CharField(label=_("Lý do đề nghị bổ sung"), widget=forms.Textarea)


class DeriveForm(forms.Form):
    """The office derives a year's program from the full-term program."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))


class RoundForm(forms.Form):
    agencies = forms.CharField(
        label=_("Cơ quan được xin ý kiến (mã cơ quan, cách nhau bởi dấu phẩy)"), max_length=2000
    )
    deadline = forms.DateField(
        label=_("Hạn trả lời"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_agencies(self) -> list[Agency]:
        return _agencies(self.cleaned_data["agencies"])


class AnswerForm(forms.Form):
    opinion = forms.CharField(label=_("Ý kiến của cơ quan"), widget=forms.Textarea)
    file = forms.FileField(label=_("Văn bản góp ý (PDF, Word), nếu có"), required=False)


class VersionForm(ContentForm):
    """A revised version: the sections as they now stand and what changed, and why."""

    changes_note = forms.CharField(
        label=_("Giải trình những vấn đề có sự thay đổi, bổ sung"), widget=forms.Textarea
    )


class FileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tệp"),
        choices=[(k, label) for k, label in FileKind.choices if k != FileKind.ANSWER],
    )
    file = forms.FileField(label=_("Tệp (PDF, Word)"))


class HandlingForm(forms.Form):
    """How one comment received was handled (bảng tổng hợp tiếp thu, giải trình ý kiến)."""

    invitation_id = forms.TypedChoiceField(label=_("Ý kiến của cơ quan"), coerce=int)
    outcome = forms.ChoiceField(label=_("Tiếp thu"), choices=HandlingOutcome.choices)
    explanation = forms.CharField(
        label=_("Giải trình (bắt buộc khi không tiếp thu hoặc tiếp thu một phần)"),
        widget=forms.Textarea,
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, item: ProgramItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answered = Invitation.objects.filter(
            round__item=item, round__closed_on__isnull=False, answered_on__isnull=False
        ).select_related("agency", "round")
        self.fields["invitation_id"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), f"{_('Lần')} {i.round.number}: {i.agency.name}")
            for i in answered.order_by("round__number", "agency__sort_text")
        ]

    def clean_revision(self) -> int:
        return self.cleaned_data.get("revision") or 0


class YearChoice(forms.Form):
    """A month's year: the item's program year or the next (the item then moves into the next
    year's program of its body). A full-term item has no choice of year here."""

    to_year = forms.TypedChoiceField(
        label=_("Năm"), coerce=int, empty_value=None, required=False, choices=[]
    )

    def __init__(self, *args: Any, item: ProgramItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = item.program.year
        field = self.fields["to_year"]
        if item.program.kind != ProgramKind.YEAR:
            del self.fields["to_year"]
            return
        field.choices = [(str(year), str(year)), (str(year + 1), str(year + 1))]  # type: ignore[attr-defined]
        field.help_text = _("Chọn năm %(next)d để lùi sang chương trình công tác năm %(next)d.") % {
            "next": year + 1
        }
        self.initial.setdefault("to_year", year)


class DeferForm(YearChoice):
    to_month = forms.TypedChoiceField(
        label=_("Tháng dự kiến trình lại"),
        choices=[(str(m), str(m)) for m in range(1, 13)],
        coerce=int,
    )
    reason = forms.CharField(label=_("Lý do hoãn"), widget=forms.Textarea)

    field_order = ["to_month", "to_year", "reason"]


class LinksForm(forms.Form):
    responsible_leader = forms.CharField(
        label=_("Lãnh đạo phụ trách"), max_length=200, required=False
    )
    working_session_id = forms.TypedChoiceField(
        label=_("Buổi làm việc chuyên đề (phần Theo dõi)"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, item: ProgramItem, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = WorkingSession.objects.filter(classification__lte=user.clearance)[:200]
        self.fields["working_session_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(s.pk), str(s)) for s in sessions),
        ]


class AppraisalForm(forms.Form):
    content_ok = forms.BooleanField(
        label=_("Nội dung đầy đủ (vấn đề, phương án, nguồn lực, lộ trình, trách nhiệm)"),
        required=False,
    )
    procedure_ok = forms.BooleanField(
        label=_("Đúng trình tự, thủ tục (đã lấy ý kiến, tiếp thu)"), required=False
    )
    authority_ok = forms.BooleanField(label=_("Đúng thẩm quyền"), required=False)
    passed = forms.TypedChoiceField(
        label=_("Kết luận"),
        choices=[("1", _("Đạt, đủ điều kiện trình")), ("0", _("Trả lại để hoàn thiện"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Ý kiến, lý do"), widget=forms.Textarea, required=False)


def _assignment(number: int, line: str) -> Assignment:
    """One line "nội dung | mã cơ quan chủ trì | thời hạn dd/mm/yyyy | sản phẩm"."""
    parts = [p.strip() for p in line.split("|")]
    if len(parts) < 3:
        raise forms.ValidationError(
            _("Dòng %(n)d: cần ít nhất nội dung, mã cơ quan chủ trì và thời hạn, cách nhau bởi |."),
            params={"n": number},
            code="assignment_format",
        )
    title, code, due, *rest = parts
    agency = Agency.objects.active().filter(code=code).first()
    if agency is None:
        raise forms.ValidationError(
            _("Dòng %(n)d: không có cơ quan đang hoạt động với mã %(code)s."),
            params={"n": number, "code": code},
            code="unknown_agency",
        )
    try:
        day, month, year = (int(part) for part in due.split("/")) if due else (0, 0, 0)
        due_on = dt.date(year, month, day) if due else None
    except ValueError:
        raise forms.ValidationError(
            _("Dòng %(n)d: thời hạn “%(due)s” không đúng dạng ngày/tháng/năm."),
            params={"n": number, "due": due},
            code="invalid_date",
        ) from None
    return Assignment(title, agency, due_on, expected_product=" | ".join(rest))


class DecisionForm(forms.Form):
    """The decision, and on approval the document the body issues with the tasks it assigns
    (registered in Theo dõi in the same transaction)."""

    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Thông qua")), ("0", _("Trả lại để hoàn thiện"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea, required=False)
    symbol = forms.CharField(
        label=_("Số, ký hiệu văn bản ban hành (khi thông qua, nếu đã có)"),
        max_length=64,
        required=False,
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    issuing_body = forms.CharField(label=_("Mã cơ quan ban hành"), max_length=32, required=False)
    assignments = forms.CharField(
        label=_("Nhiệm vụ giao (mỗi dòng: nội dung | mã cơ quan chủ trì | thời hạn | sản phẩm)"),
        widget=forms.Textarea,
        required=False,
    )
    full_text = forms.CharField(
        label=_("Toàn văn văn bản ban hành"),
        widget=forms.Textarea,
        required=False,
        max_length=100_000,
        help_text=_(
            "Nếu dán toàn văn, sau khi ghi quyết định hệ thống đọc và đề xuất các nhiệm vụ văn "
            "bản giao để Văn phòng xác nhận."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        symbol = (data.get("symbol") or "").strip()
        lines = [ln for ln in (data.get("assignments") or "").splitlines() if ln.strip()]
        outcome = None
        if symbol:
            for field in ("issued_on", "document_title", "issuing_body"):
                if not data.get(field):
                    self.add_error(field, _("Cần nhập khi đăng ký văn bản ban hành."))
            body = Agency.objects.filter(code=(data.get("issuing_body") or "").strip()).first()
            if data.get("issuing_body") and body is None:
                self.add_error("issuing_body", _("Không có cơ quan với mã này."))
            assignments = []
            for number, line in enumerate(lines, start=1):
                try:
                    assignments.append(_assignment(number, line))
                except forms.ValidationError as error:
                    self.add_error("assignments", error)
            if not self.errors and body is not None:
                outcome = Outcome(
                    symbol, data["issued_on"], data["document_title"], body, assignments,
                    data.get("full_text") or "",
                )  # fmt: skip
        elif lines or (data.get("full_text") or "").strip():
            self.add_error(
                "symbol", _("Nhiệm vụ được giao theo văn bản ban hành: cần số, ký hiệu.")
            )
        return {"approve": data.get("approve"), "note": data.get("note", ""), "outcome": outcome}


class RescheduleForm(YearChoice):
    kind = forms.ChoiceField(
        label=_("Đề nghị"),
        choices=[
            (k, label)
            for k, label in RescheduleKind.choices
            if k not in {RescheduleKind.ADD, RescheduleKind.MOVE_YEAR, RescheduleKind.DEFER}
        ],
    )
    to_month = forms.TypedChoiceField(
        label=_("Tháng dự kiến mới (khi lùi, giãn)"),
        choices=[("", "—"), *((str(m), str(m)) for m in range(1, 13))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea)

    field_order = ["kind", "to_month", "to_year", "reason"]


class YearMoveForm(forms.Form):
    """Ask to move a full-term item to another year of the term (the service checks the year)."""

    to_year = forms.IntegerField(label=_("Năm dự kiến trình mới"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea)


class RescheduleDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Đồng ý")), ("0", _("Không đồng ý"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea, required=False)


class MonthForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
