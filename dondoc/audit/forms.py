"""The filter bar of the audit log page."""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from dondoc.audit.selectors import AuditFilters

COMMON_ACTIONS = ("create", "update", "delete", "login", "logout", "merge", "assign", "export")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    object_type = forms.CharField(
        label=_("Loại đối tượng"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "audit-object-types"}),
    )
    object_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=64)
    action = forms.CharField(
        label=_("Thao tác"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=_date_input())
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid one is shown with its error and not applied)."""
        self.is_valid()
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor") or "",
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def cursor(self) -> tuple[int | None, int | None]:
        """Where the page starts: (`before`, `after`), the seq just newer / older than it."""
        self.is_valid()
        return self.cleaned_data.get("before"), self.cleaned_data.get("after")

    @staticmethod
    def object_types() -> list[str]:
        """Our models' labels to suggest, from the app registry (no query on the log)."""
        return sorted(
            model._meta.label_lower
            for model in apps.get_models()
            if model._meta.app_config.name.startswith("dondoc.")
            and model._meta.app_label != "audit"
        )

    @staticmethod
    def actions() -> tuple[str, ...]:
        return COMMON_ACTIONS
