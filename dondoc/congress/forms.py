"""Input forms of the congress pages: they check the shape of what was typed; the services
decide whether it may be done."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.congress.models import GuestKind, PressRole


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
