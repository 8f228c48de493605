"""Input forms of the congress pages: they check the shape of what was typed; the services
decide whether it may be done."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.congress.models import BoardPhase, DelegationKind, GuestKind, PressRole, SpeechMode
from dondoc.tracking.forms import AgencyLookupField, DateInput


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


class ProposalForm(forms.Form):
    """A delegation's speech: what its head or secretary types (the delegation is the page's)."""

    session = forms.IntegerField(label=_("Phiên họp"))
    agenda_item = forms.IntegerField(label=_("Mục chương trình"), required=False)
    title = forms.CharField(label=_("Tên tham luận"), max_length=255, required=False)
    topic = forms.CharField(label=_("Chủ đề"), max_length=255)
    speaker = forms.IntegerField(label=_("Người trình bày"), required=False)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea)
    mode = forms.ChoiceField(label=_("Hình thức"), choices=SpeechMode.choices)
    minutes = forms.IntegerField(label=_("Thời gian (phút)"), min_value=1, max_value=60, initial=7)
    document = forms.FileField(label=_("Toàn văn (PDF hoặc Word)"), required=False)


class SpeechForm(ProposalForm):
    """The secretariat registers a speech for any delegation."""

    delegation = forms.IntegerField(label=_("Đoàn"))


class StructureForm(forms.Form):
    """The structure of speeches: the total, the topics typed one a line (`chủ đề | số`), a
    share in per cent for each kind of delegation."""

    total = forms.IntegerField(label=_("Số tham luận trình bày"), min_value=1, max_value=500)
    topics = forms.CharField(label=_("Chủ đề"), required=False, widget=forms.Textarea)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, label in DelegationKind.choices:
            self.fields[f"share_{kind}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100, required=False
            )

    def shares(self) -> dict[str, int]:
        return {
            kind: self.cleaned_data[f"share_{kind}"] or 0
            for kind in DelegationKind.values
            if self.cleaned_data.get(f"share_{kind}")
        }


def parse_topics(text: str) -> list[tuple[str, int]]:
    """The structure's topics typed one a line as `chủ đề | số tham luận`."""
    topics = []
    for line in text.splitlines():
        if not line.strip():
            continue
        topic, _bar, count = line.rpartition("|")
        try:
            topics.append((topic.strip(), int(count)))
        except ValueError as bad:
            raise forms.ValidationError(
                _("Dòng «%(line)s»: ghi «chủ đề | số tham luận».") % {"line": line.strip()}
            ) from bad
    return topics


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


class BoardTaskForm(forms.Form):
    """One assignment of a preparation board, tracked as a task."""

    board = forms.TypedChoiceField(label=_("Tiểu ban"), coerce=int)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    lead_agency = AgencyLookupField(
        label=_("Cơ quan chủ trì"),
        help_text=_("Gõ tên, tên viết tắt hoặc mã cơ quan rồi chọn trong danh sách gợi ý."),
    )
    due_on = forms.DateField(label=_("Thời hạn"), widget=DateInput)
    expected_product = forms.CharField(label=_("Sản phẩm"), max_length=300, required=False)
    phase = forms.ChoiceField(label=_("Giai đoạn"), choices=BoardPhase.choices)

    def __init__(self, *args: Any, boards: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [(b.pk, b.name) for b in boards]  # type: ignore[attr-defined]
        self.fields["lead_agency"].queryset = agencies  # type: ignore[attr-defined]
