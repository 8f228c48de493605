"""The default reminder rules (see docs/urging.md); the office edits them at /urging/rules/."""

from django.db import migrations

DEFAULTS = [
    # kind, days before the deadline, on the day, overdue every, escalate after (days overdue)
    ("normal", "7, 2", True, 3, 7),
    ("urgent", "14, 7, 2", True, 3, 3),
]


def seed(apps, schema_editor):
    rule_set = apps.get_model("urging", "ReminderRuleSet")
    for kind, before, on_day, every, escalate in DEFAULTS:
        rule_set.objects.get_or_create(
            kind=kind,
            defaults={
                "days_before": before,
                "on_due_day": on_day,
                "overdue_every_days": every,
                "escalate_after_days": escalate,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("urging", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
