"""A run whose jobs died stays "going" and blocks every later run: the office sees it reported
as stuck on the synthesis page, cancels it (page, API; audited), and starts a new one; a late
job of the cancelled run changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.test import TestCase

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.access import DraftActionRefused
from dondoc.consultation.models import ChunkState, RunStage, SynthesisChunk, SynthesisRun, Theme

from .conftest import NOW, web
from .test_through_runs import PRICE, synthesize


@pytest.fixture
def comments(office_user, draft, open_round):
    services._comments_import(open_round, [("partial", t, "citizen", "web", None) for t in PRICE])


def dead_run(user, draft) -> SynthesisRun:
    """A run started whose jobs never ran (the worker died before taking them)."""
    return services.synthesis_start(user, draft)  # on-commit jobs not executed


def test_a_run_going_too_long_is_reported_stuck_and_the_office_cancels_it_then_reruns(
    office_user, draft, comments, settings
):
    settings.CONSULTATION_RUN_STUCK_MINUTES = 60
    run = dead_run(office_user, draft)
    page = web(office_user).get(f"/consultation/{draft.pk}/synthesis/").content.decode()
    assert "Hủy lượt tổng hợp đang chạy" in page
    assert "không tiến triển" not in page  # just started: not stuck yet
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        page = web(office_user).get(f"/consultation/{draft.pk}/synthesis/").content.decode()
        assert "đã hơn 60 phút không tiến triển" in page
        answer = web(office_user).post(f"/consultation/{draft.pk}/synthesis/", {"action": "cancel"})
        assert answer.status_code == 302
    run.refresh_from_db()
    assert run.stage == RunStage.FAILED
    page = web(office_user).get(f"/consultation/{draft.pk}/synthesis/").content.decode()
    assert "Tổng hợp bị dừng:" in page
    assert "Đã hủy lúc" in page
    assert "không tiến triển" not in page
    assert "Hủy lượt tổng hợp đang chạy" not in page
    entry = AuditEntry.objects.get(action="synthesis_cancel")
    assert (entry.actor, entry.changes["stage"]) == (office_user, ["sign", "failed"])
    again = synthesize(office_user, draft)
    assert again.stage == RunStage.DONE
    assert Theme.objects.filter(draft=draft).exists()


def test_only_the_office_cancels_and_only_a_run_that_is_going(office_user, leader, draft, comments):
    with pytest.raises(DraftActionRefused) as refused:
        services.synthesis_cancel(office_user, draft)
    assert refused.value.code == "no_run"
    page = web(office_user).post(f"/consultation/{draft.pk}/synthesis/", {"action": "cancel"})
    assert page.status_code == 409
    assert "Không có lượt tổng hợp nào đang chạy" in page.content.decode()
    run = dead_run(office_user, draft)
    with pytest.raises(DraftActionRefused) as refused:
        services.synthesis_cancel(leader, draft)
    assert refused.value.code == "not_allowed"
    assert web(leader).post(f"/consultation/{draft.pk}/synthesis/",
                            {"action": "cancel"}).status_code == 403  # fmt: skip
    run.refresh_from_db()
    assert run.stage == RunStage.SIGN


def test_the_api_reports_a_stuck_run_and_cancels_it(api, office_user, leader, draft, comments):
    run = dead_run(office_user, draft)
    assert api(leader).get(f"consultation/drafts/{draft.pk}/synthesis/run").json()["stuck"] is False
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        going = api(leader).get(f"consultation/drafts/{draft.pk}/synthesis/run").json()
        assert (going["id"], going["stage"], going["stuck"]) == (run.pk, "sign", True)
        assert (
            api(leader).post(f"consultation/drafts/{draft.pk}/synthesis/cancel").status_code == 403
        )
        cancelled = api(office_user).post(f"consultation/drafts/{draft.pk}/synthesis/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["stage"] == "failed"
    assert api(leader).get(f"consultation/drafts/{draft.pk}/synthesis/run").json() is None
    again = api(office_user).post(f"consultation/drafts/{draft.pk}/synthesis/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "no_run")


def test_late_jobs_of_a_cancelled_run_do_nothing(office_user, draft, comments):
    with TestCase.captureOnCommitCallbacks() as jobs:  # planned, not run
        run = services.synthesis_start(office_user, draft)
    chunks = services.synthesis_plan(run.pk)
    services.synthesis_cancel(office_user, draft)
    for send in jobs:
        send()  # the first job arrives late: it plans nothing
    assert services.synthesis_chunk_run(chunks[0], "late").merge is False
    assert SynthesisChunk.objects.get(pk=chunks[0]).state == ChunkState.FAILED
    assert services.synthesis_reap() == []
    assert services.synthesis_merge(run.pk) == []
    assert services.section_themes(run.pk, None) == 0
    assert not Theme.objects.exists()
    assert SynthesisRun.objects.get(pk=run.pk).stage == RunStage.FAILED


def test_a_draft_without_comments_finishes_its_run(office_user, draft, open_round):
    run = synthesize(office_user, draft)
    assert run.stage == RunStage.DONE
    assert synthesize(office_user, draft).stage == RunStage.DONE
