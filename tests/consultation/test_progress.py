"""While a synthesis run is going, the synthesis page follows it without a reload: htmx asks
for the run's status every 3 s; once the run has ended the page reloads with the new themes."""

import datetime as dt

import time_machine
from django.test import TestCase

from dondoc.consultation import services

from .conftest import NOW, web


def status(client, draft):
    return client.get(f"/consultation/{draft.pk}/synthesis/", headers={"HX-Request": "true"})


def test_the_page_follows_a_going_run_then_reloads_when_it_ends(office_user, themed):
    office = web(office_user)
    with TestCase.captureOnCommitCallbacks():  # queued, not run: the run stays going
        run = services.synthesis_start(office_user, themed)
    page = office.get(f"/consultation/{themed.pk}/synthesis/").content.decode()
    assert 'hx-trigger="every 3s"' in page
    fragment = status(office, themed)
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert body.lstrip().startswith('<p id="run-status"')  # the status alone, not the page
    assert "Đang tổng hợp" in body
    assert "<progress" in body
    assert 'hx-trigger="every 3s"' in body
    assert "HX-Refresh" not in fragment.headers
    services.synthesis_cancel(office_user, themed)
    ended = status(office, themed)
    assert ended.headers["HX-Refresh"] == "true"  # the page reloads, showing the run's end
    assert (
        'hx-trigger="every 3s"'
        not in office.get(f"/consultation/{themed.pk}/synthesis/").content.decode()
    )
    run.refresh_from_db()
    assert run.stage == "failed"


def test_a_stuck_run_is_not_polled(office_user, themed, settings):
    settings.CONSULTATION_RUN_STUCK_MINUTES = 60
    with TestCase.captureOnCommitCallbacks():
        services.synthesis_start(office_user, themed)
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        page = web(office_user).get(f"/consultation/{themed.pk}/synthesis/").content.decode()
    assert "Chạy tiếp lượt tổng hợp bị dừng" in page
    assert 'hx-trigger="every 3s"' not in page
