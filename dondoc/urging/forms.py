from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.urging.models import ReminderRuleSet, parse_days


class RuleSetForm(forms.Form):
    """One rule set; a plain form, so the service sees the row as it was before the edit."""

    days_before = forms.CharField(
        label=_("Nhắc trước thời hạn (số ngày)"),
        required=False,
        max_length=64,
        help_text=_("Cách nhau bằng dấu phẩy, ví dụ: 7, 2."),
    )
    on_due_day = forms.BooleanField(label=_("Nhắc vào ngày đến hạn"), required=False)
    overdue_every_days = forms.IntegerField(
        label=_("Nhắc quá hạn, lặp lại sau (ngày)"),
        min_value=0,
        max_value=90,
        help_text=_("Gửi ngày đầu tiên quá hạn, rồi lặp lại sau số ngày này; 0: chỉ một lần."),
    )
    escalate_after_days = forms.IntegerField(
        label=_("Báo người đứng đầu khi quá hạn (ngày)"),
        min_value=0,
        max_value=365,
        help_text=_("0: không báo người đứng đầu."),
    )

    def __init__(self, *args: object, rule_set: ReminderRuleSet, **kwargs: object) -> None:
        kwargs.setdefault("prefix", rule_set.kind)
        kwargs.setdefault(
            "initial",
            {
                "days_before": rule_set.days_before,
                "on_due_day": rule_set.on_due_day,
                "overdue_every_days": rule_set.overdue_every_days,
                "escalate_after_days": rule_set.escalate_after_days,
            },
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rule_set = rule_set

    def clean_days_before(self) -> str:
        days = parse_days(self.cleaned_data["days_before"])
        return ", ".join(str(d) for d in days)
