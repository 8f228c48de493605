"""Background jobs of accounts."""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from dondoc.core.jobs import job, job_run


@job
def sessions_clear_expired_task(self: Any) -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): delete the expired sessions, as Django's
    `clearsessions` does, so that `django_session` keeps only the sessions in use."""
    with job_run("accounts_sessions_clear", self) as run:
        expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        run.detail = f"{expired} expired sessions deleted"
    return expired
