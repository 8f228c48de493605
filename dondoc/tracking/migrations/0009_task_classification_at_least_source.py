from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def raise_to_source(apps, schema_editor):
    """A task classified below its document or its working session (issue #11, item 5) is
    raised to it: the services refuse such a task from now on."""
    Task = apps.get_model("tracking", "Task")
    Document = apps.get_model("tracking", "Document")
    WorkingSession = apps.get_model("tracking", "WorkingSession")
    document_level = Document.objects.filter(pk=OuterRef("document_id")).values("classification")
    Task.objects.filter(
        document__isnull=False, classification__lt=F("document__classification")
    ).update(classification=Subquery(document_level[:1]))
    session_level = WorkingSession.objects.filter(
        opinions__pk=OuterRef("opinion_id")
    ).values("classification")
    Task.objects.filter(
        opinion__isnull=False, classification__lt=F("opinion__session__classification")
    ).update(classification=Subquery(session_level[:1]))


class Migration(migrations.Migration):
    dependencies = [("tracking", "0008_extension_one_pending_per_task")]

    operations = [migrations.RunPython(raise_to_source, migrations.RunPython.noop)]
