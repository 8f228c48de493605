"""Expired sessions are deleted every day by a scheduled job (Django's `clearsessions`), so
`django_session` does not keep every sign-in forever."""

import datetime as dt

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from dondoc.accounts.tasks import sessions_clear_expired_task
from dondoc.core.models import JobRun

pytestmark = pytest.mark.django_db


def _session(expires_in: dt.timedelta) -> str:
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    return str(store.session_key)


def test_the_daily_job_deletes_expired_sessions_and_keeps_the_live_ones():
    live = _session(dt.timedelta(hours=1))
    _session(dt.timedelta(hours=-1))
    _session(dt.timedelta(days=-30))

    assert sessions_clear_expired_task.apply().get() == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert JobRun.objects.get(name="accounts_sessions_clear").succeeded
    assert sessions_clear_expired_task.apply().get() == 0


def test_the_session_cleanup_is_scheduled_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["accounts-clear-sessions-daily"]
    assert entry["task"] == sessions_clear_expired_task.name
    assert entry["task"] in current_app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {5})
