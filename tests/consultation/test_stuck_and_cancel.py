"""A synthesis run that stopped progressing is reported on /healthz (degraded, with its id) and
on the synthesis page, where the office resumes it or cancels it; a cancel after the merge puts
every comment back where it was (campaign, section, theme), never half-placed."""

import datetime as dt

import pytest
import time_machine
from django.test import TestCase

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.models import (
    Comment,
    PlacementBefore,
    RunStage,
    SynthesisChunk,
    SynthesisRun,
    Theme,
)
from dondoc.core.heartbeat import heartbeat_beat

from .conftest import NOW, web
from .test_through_runs import PRICE, comment, synthesize


def healthz(client) -> dict:
    heartbeat_beat("host:1")  # the worker is alive: only the run is in question
    answer = client.get("/healthz")
    assert answer.status_code == 200  # a stuck run needs an operator; the site still serves
    return answer.json()


def started(user, draft) -> SynthesisRun:
    """A run started whose jobs were never taken (the worker died first)."""
    with TestCase.captureOnCommitCallbacks():  # queued, not run
        return services.synthesis_start(user, draft)


def test_a_run_without_progress_is_on_healthz_and_the_office_resumes_it(
    client, office_user, themed, settings
):
    settings.CONSULTATION_RUN_STUCK_MINUTES = 60
    run = started(office_user, themed)
    assert healthz(client)["consultation"] == {"status": "ok"}
    assert healthz(client)["status"] == "ok"
    later = NOW + dt.timedelta(minutes=61)
    with time_machine.travel(later, tick=False):
        body = healthz(client)
        assert body["status"] == "degraded"
        assert body["consultation"]["status"] == "degraded"
        assert [(s["run"], s["draft"], s["stage"]) for s in body["consultation"]["stuck_runs"]] == [
            (run.pk, themed.pk, "sign")
        ]
        page = web(office_user).get(f"/consultation/{themed.pk}/synthesis/").content.decode()
        assert f"Lượt tổng hợp số {run.pk}" in page
        assert "hơn 60 phút không tiến triển" in page
        assert "Chạy tiếp lượt tổng hợp bị dừng" in page
        with TestCase.captureOnCommitCallbacks(execute=True):
            answer = web(office_user).post(
                f"/consultation/{themed.pk}/synthesis/", {"action": "resume"}
            )
        assert answer.status_code == 302
        run.refresh_from_db()
        assert run.stage == RunStage.DONE, run.error
        assert healthz(client)["status"] == "ok"
    entry = AuditEntry.objects.get(action="synthesis_resume")
    assert (entry.actor, entry.changes["sent"]) == (office_user, [None, 1])


def test_a_long_run_that_progresses_is_not_stuck(client, office_user, themed, settings):
    settings.CONSULTATION_RUN_STUCK_MINUTES = 60
    run = started(office_user, themed)
    chunks = services.synthesis_plan(run.pk)
    with time_machine.travel(NOW + dt.timedelta(minutes=50), tick=False):
        assert services.synthesis_chunk_run(chunks[0], "worker-1").merge  # signed: on to merge
    with time_machine.travel(NOW + dt.timedelta(minutes=100), tick=False):
        assert healthz(client)["consultation"] == {"status": "ok"}  # 100 min old, 50 since a step
    with time_machine.travel(NOW + dt.timedelta(minutes=111), tick=False):
        stuck = healthz(client)["consultation"]["stuck_runs"]
        assert [(s["run"], s["stage"]) for s in stuck] == [(run.pk, "merge")]
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.synthesis_resume(office_user, themed)  # sends the merge again
    run.refresh_from_db()
    assert run.stage == RunStage.DONE, run.error


def test_only_a_stuck_run_is_resumed_and_only_by_the_office(api, office_user, leader, themed):
    started(office_user, themed)
    url = f"consultation/drafts/{themed.pk}/synthesis/resume"
    early = api(office_user).post(url)
    assert (early.status_code, early.json()["code"]) == (409, "run_not_stuck")
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        assert api(leader).post(url).status_code == 403
        with TestCase.captureOnCommitCallbacks(execute=True):
            resumed = api(office_user).post(url)
    assert resumed.status_code == 200
    assert (resumed.json()["stage"], resumed.json()["stuck"]) == ("sign", False)  # sent again
    assert SynthesisRun.objects.get(pk=resumed.json()["id"]).stage == RunStage.DONE
    none = api(office_user).post(url)
    assert (none.status_code, none.json()["code"]) == (409, "no_run")


def placement(draft) -> dict[int, tuple]:
    rows = Comment.objects.filter(draft=draft).values_list(
        "pk", "section", "theme", "campaign", "campaign_size"
    )
    return {pk: tuple(rest) for pk, *rest in rows}


def themes(draft) -> dict[int, tuple]:
    rows = Theme.objects.filter(draft=draft).values_list(
        "pk", "label", "size", "weighted_size", "agree", "disagree", "partial"
    )
    return {pk: tuple(rest) for pk, *rest in rows}


def run_until(run: SynthesisRun, step: str) -> None:
    """Do the run's jobs by hand up to `step`: merged, placed, or one section themed."""
    for chunk in services.synthesis_plan(run.pk):
        services.synthesis_chunk_run(chunk, "worker-1")
    placing = services.synthesis_merge(run.pk)
    if step == "merged":
        return
    sections = [services.synthesis_chunk_run(chunk, "worker-1").sections for chunk in placing]
    if step == "placed":
        return
    assert services.section_themes(run.pk, sections[-1][0]) > 0


@pytest.mark.parametrize("step", ["merged", "placed", "one section themed"])
def test_a_cancel_after_the_merge_puts_every_comment_back_where_it_was(
    office_user, themed, open_round, step
):
    # since the first run: an exact copy of a themed comment and a comment on another article
    comment(open_round, PRICE[0])
    comment(open_round, "Quy hoạch sử dụng đất phải công khai cho người dân góp ý", "Điều 3")
    before, themes_before = placement(themed), themes(themed)
    run = started(office_user, themed)
    run_until(run, step)
    assert placement(themed) != before  # the run had moved comments
    during = comment(open_round, "Ý kiến gửi khi đang tổng hợp về giá đất bồi thường")

    services.synthesis_cancel(office_user, themed)

    after = placement(themed)
    assert after.pop(during.pk) == (None, None, None, 1)  # came later: never touched
    assert after == before
    assert themes(themed) == themes_before  # the run's new themes gone, sizes as before
    assert not PlacementBefore.objects.exists()
    entry = AuditEntry.objects.get(action="synthesis_cancel")
    assert entry.changes["restored"] == [None, len(before)]
    # late jobs of the cancelled run change nothing; a second cancel finds no run
    for chunk in SynthesisChunk.objects.filter(run=run):
        services.synthesis_chunk_run(chunk.pk, "late")
    for section_id in run.figures.get("sections", []) or [None]:
        services.section_themes(run.pk, section_id)
    assert placement(themed) == {**before, during.pk: (None, None, None, 1)}
    with pytest.raises(services.DraftActionRefused):
        services.synthesis_cancel(office_user, themed)
    again = synthesize(office_user, themed)
    assert again.stage == RunStage.DONE
    assert Comment.objects.get(pk=during.pk).theme is not None
    assert not PlacementBefore.objects.exists()


def test_a_cancel_before_the_merge_changes_no_comment(office_user, themed):
    before = placement(themed)
    run = started(office_user, themed)
    services.synthesis_plan(run.pk)
    services.synthesis_cancel(office_user, themed)
    assert placement(themed) == before
