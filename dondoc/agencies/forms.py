"""Forms of the agency pages: they read and check input; the services change data."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.access import AnyUser, agency_subtree_ids
from dondoc.agencies.models import Agency, AgencyKind, ReorganizationKind
from dondoc.agencies.selectors import AgencyFilters, AgencyStatus, agency_choices
from dondoc.agencies.services import CODE_MAX_LENGTH, AgencyFields, code_validator

ALL = "all"

if TYPE_CHECKING:  # generic in django-stubs only
    ModelChoiceField = forms.ModelChoiceField[Agency]
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField[Agency]
else:
    ModelChoiceField = forms.ModelChoiceField
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class AgencyChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class AgencyMultipleChoiceField(ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 10})

    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class AgencyCodeField(forms.CharField):
    """An agency's code, upper-cased as typed ("hanoi" is HANOI) before it is checked."""

    default_validators = [code_validator]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Chữ in hoa không dấu, ví dụ: BTCTW, HANOI."))
        super().__init__(max_length=CODE_MAX_LENGTH, **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()


class AgencyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên, tên viết tắt, mã")}),
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả các loại")), *AgencyKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[*AgencyStatus.choices, (ALL, _("Tất cả"))],
    )
    parent = AgencyCodeField(required=False, widget=forms.HiddenInput, help_text="")

    def filters(self) -> AgencyFilters:
        """The filters asked for; what does not validate is ignored."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # only the fields that validated
        status = data.get("status") or AgencyStatus.ACTIVE
        return AgencyFilters(
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            status=None if status == ALL else AgencyStatus(status),
            parent=data.get("parent", ""),
        )


class AgencyForm(forms.Form):
    code = AgencyCodeField(label=_("Mã"))
    name = forms.CharField(label=_("Tên đầy đủ"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=AgencyKind.choices)
    parent = AgencyChoiceField(
        label=_("Cơ quan cấp trên"), queryset=Agency.objects.none(), required=False
    )
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), required=False, widget=DateInput)
    valid_to = forms.DateField(label=_("Hiệu lực đến ngày"), required=False, widget=DateInput)

    def __init__(self, user: AnyUser, *args: Any, agency: Agency | None = None, **kwargs: Any):
        if agency is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": agency.code,
                    "name": agency.name,
                    "short_name": agency.short_name,
                    "kind": agency.kind,
                    "parent": agency.parent_id,
                    "valid_from": agency.valid_from,
                    "valid_to": agency.valid_to,
                },
            )
        super().__init__(*args, **kwargs)
        parents = agency_choices(user)
        if agency is not None:  # an agency cannot sit under itself or under its own units
            parents = parents.exclude(pk__in=agency_subtree_ids(agency.pk))
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def agency_fields(self) -> AgencyFields:
        return AgencyFields(**self.cleaned_data)


class ReorganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ReorganizationKind.choices)
    effective_on = forms.DateField(label=_("Ngày hiệu lực"), widget=DateInput)
    decision = forms.CharField(
        label=_("Văn bản quyết định"),
        max_length=255,
        required=False,
        help_text=_("Số, ký hiệu và ngày của văn bản, ví dụ: 60-NQ/TW ngày 12/4/2025."),
    )
    predecessors = AgencyMultipleChoiceField(
        label=_("Cơ quan trước (kết thúc hoạt động)"),
        queryset=Agency.objects.none(),
        help_text=_("Giữ phím Ctrl (Cmd trên máy Mac) để chọn nhiều cơ quan."),
    )
    successors = AgencyMultipleChoiceField(
        label=_("Cơ quan sau đã có"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Cơ quan tiếp nhận đang có trong danh sách."),
    )
    new_code = AgencyCodeField(label=_("Mã cơ quan mới"), required=False)
    new_name = forms.CharField(label=_("Tên cơ quan mới"), max_length=255, required=False)
    new_short_name = forms.CharField(
        label=_("Tên viết tắt cơ quan mới"), max_length=64, required=False
    )
    new_kind = forms.ChoiceField(
        label=_("Loại cơ quan mới"), choices=[("", "—"), *AgencyKind.choices], required=False
    )
    new_parent = AgencyChoiceField(
        label=_("Cơ quan cấp trên của cơ quan mới"), queryset=Agency.objects.none(), required=False
    )

    NEW_FIELDS = ("new_code", "new_name", "new_short_name", "new_kind", "new_parent")

    def __init__(self, user: AnyUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = agency_choices(user, ended=False)
        for name in ("predecessors", "successors", "new_parent"):
            self.fields[name].queryset = current  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(name) for name in self.NEW_FIELDS):
            for name in ("new_code", "new_name", "new_kind"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Cần nhập để tạo cơ quan mới."))
        return data

    def new_successor(self) -> AgencyFields | None:
        data = self.cleaned_data
        if not data.get("new_code"):
            return None
        return AgencyFields(
            code=data["new_code"],
            name=data["new_name"],
            kind=data["new_kind"],
            short_name=data["new_short_name"],
            parent=data["new_parent"],
        )
