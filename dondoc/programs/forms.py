"""The forms of an item's page, one per action of `access.ItemAction`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency
from dondoc.programs.models import CONTENT_SECTIONS, ItemKind, RescheduleKind


class ContentForm(forms.Form):
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
    by_quarter = forms.BooleanField(label=_("Dự kiến theo quý (tháng cuối quý)"), required=False)
    lead_agency = forms.CharField(label=_("Mã cơ quan chủ trì"), max_length=32)
    coordinating = forms.CharField(
        label=_("Mã các cơ quan phối hợp (cách nhau bởi dấu phẩy)"), max_length=2000, required=False
    )

    def clean_lead_agency(self) -> Agency:
        agencies = _agencies(self.cleaned_data["lead_agency"])
        if len(agencies) != 1:
            raise forms.ValidationError(_("Cần đúng một cơ quan chủ trì."), code="one_lead")
        return agencies[0]

    def clean_coordinating(self) -> list[Agency]:
        return _agencies(self.cleaned_data["coordinating"])


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


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Thông qua")), ("0", _("Trả lại để hoàn thiện"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea, required=False)


class RescheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Đề nghị"), choices=RescheduleKind.choices)
    to_month = forms.TypedChoiceField(
        label=_("Tháng dự kiến mới (khi lùi, giãn)"),
        choices=[("", "—"), *((str(m), str(m)) for m in range(1, 13))],
        coerce=int,
        empty_value=None,
        required=False,
    )
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
