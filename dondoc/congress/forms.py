"""Input forms of the congress pages: they check the shape of what was typed; the services
decide whether it may be done."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.congress.models import GuestKind, PressRole, SpeechMode


class GuestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=GuestKind.choices)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    title = forms.CharField(label=_("Chức danh"), max_length=255)
    organization = forms.CharField(label=_("Đảng, nước hoặc cơ quan"), max_length=255)
    protocol_rank = forms.IntegerField(label=_("Thứ tự nghi lễ"), min_value=1, max_value=32000)
    seating_area = forms.CharField(label=_("Khu vực ngồi"), max_length=32, required=False)
    interpreter = forms.CharField(label=_("Phiên dịch (ngôn ngữ)"), max_length=64, required=False)


class PressForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    outlet = forms.CharField(label=_("Cơ quan báo chí"), max_length=255)
    role = forms.ChoiceField(label=_("Nhiệm vụ"), choices=PressRole.choices)
    card_number = forms.CharField(label=_("Số thẻ nhà báo"), max_length=32)
    press_centre = forms.BooleanField(label=_("Vào Trung tâm báo chí"), required=False)


class SpeechForm(forms.Form):
    session = forms.IntegerField(label=_("Phiên họp"))
    delegation = forms.IntegerField(label=_("Đoàn"))
    topic = forms.CharField(label=_("Chủ đề"), max_length=255)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea)
    mode = forms.ChoiceField(label=_("Hình thức"), choices=SpeechMode.choices)
    minutes = forms.IntegerField(label=_("Thời gian (phút)"), min_value=1, max_value=60, initial=7)


def parse_items(text: str) -> list[tuple[str, str, int]]:
    """Agenda items typed one a line as `nội dung | người trình bày | phút`."""
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        title = parts[0]
        presenter = parts[1] if len(parts) > 1 else ""
        try:
            minutes = int(parts[2]) if len(parts) > 2 else 30
        except ValueError as bad:
            raise forms.ValidationError(
                _("Dòng «%(line)s»: thời lượng phải là số phút.") % {"line": line.strip()}
            ) from bad
        items.append((title, presenter, minutes))
    return items
