"""The forms of an item's page, one per action of `access.ItemAction`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency
from dondoc.programs.models import CONTENT_SECTIONS


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


class RoundForm(forms.Form):
    agencies = forms.CharField(
        label=_("Cơ quan được xin ý kiến (mã cơ quan, cách nhau bởi dấu phẩy)"), max_length=2000
    )
    deadline = forms.DateField(
        label=_("Hạn trả lời"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_agencies(self) -> list[Agency]:
        codes = [c.strip() for c in self.cleaned_data["agencies"].replace(";", ",").split(",")]
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


class MonthForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
