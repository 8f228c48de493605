"""The forms of the consultation pages; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.consultation.models import Category, ResponseKind, Section, Stance


class DraftImportForm(forms.Form):
    title = forms.CharField(label=_("Tên dự thảo"), max_length=300)
    text = forms.CharField(label=_("Nội dung (Markdown)"), widget=forms.Textarea, required=False)
    file = forms.FileField(label=_("Hoặc tệp DOCX"), required=False)


class DraftVersionForm(forms.Form):
    text = forms.CharField(label=_("Nội dung mới (Markdown)"), widget=forms.Textarea,
                           required=False)  # fmt: skip
    file = forms.FileField(label=_("Hoặc tệp DOCX"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp ý kiến (CSV, XLSX hoặc JSONL)"))


class RoundForm(forms.Form):
    opens_on = forms.DateField(label=_("Ngày bắt đầu"), widget=forms.DateInput({"type": "date"}))
    closes_on = forms.DateField(label=_("Ngày kết thúc"), widget=forms.DateInput({"type": "date"}))
    public = forms.BooleanField(label=_("Nhân dân góp ý trên mạng"), required=False, initial=True)


class CommentForm(forms.Form):
    stance = forms.ChoiceField(label=_("Ý kiến"), choices=Stance.choices, widget=forms.RadioSelect)
    section = forms.ModelChoiceField(
        label=_("Góp ý vào phần"), queryset=Section.objects.none(), required=False,
        empty_label=_("Toàn văn dự thảo"),
    )  # fmt: skip
    text = forms.CharField(label=_("Nội dung góp ý"), widget=forms.Textarea, required=False)

    def __init__(self, *args: object, sections: list[Section], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["section"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Section.objects.filter(pk__in=[s.pk for s in sections])


class PublicCommentForm(CommentForm):
    category = forms.ChoiceField(
        label=_("Bạn là"),
        choices=[c for c in Category.choices if c[0] != Category.AGENCY],
        initial=Category.CITIZEN,
    )
    full_name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), required=False,
                                max_length=150)  # fmt: skip
    phone = forms.CharField(label=_("Số điện thoại (không bắt buộc)"), required=False,
                            max_length=32)  # fmt: skip
    challenge = forms.CharField(widget=forms.HiddenInput)
    nonce = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)


class RespondForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ResponseKind.choices)
    explanation = forms.CharField(label=_("Nội dung tiếp thu, giải trình"), widget=forms.Textarea)
    revised_section = forms.IntegerField(widget=forms.HiddenInput, required=False)
