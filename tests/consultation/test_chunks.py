"""The synthesis shared by several workers: chunk jobs claimed by compare-and-set, a failed
chunk retried or reported, never lost, and the same campaigns found across chunks."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from dondoc.consultation import services
from dondoc.consultation.models import (
    ChunkState,
    Comment,
    CommentSignature,
    RunStage,
    SynthesisChunk,
    SynthesisRun,
    Theme,
)

from .conftest import web

CAMPAIGN = "Đề nghị bồi thường theo giá thị trường khi Nhà nước thu hồi đất của người dân"
OTHERS = [
    "Quy hoạch sử dụng đất phải công khai để nhân dân biết và giám sát việc thực hiện",
    "Phạm vi điều chỉnh của Luật cần nêu rõ quyền và trách nhiệm của Nhà nước",
    "Cần lấy ý kiến nhân dân trước khi phê duyệt quy hoạch sử dụng đất ở địa phương",
]


@pytest.fixture
def comments(open_round):
    texts = [CAMPAIGN, *OTHERS, CAMPAIGN.replace("Đề nghị", "Tôi đề nghị"), *OTHERS[::-1],
             CAMPAIGN + ".", CAMPAIGN.lower()]  # fmt: skip
    rows = [("partial", text, "citizen", "web", None) for text in texts]
    services._comments_import(open_round, rows)
    return list(Comment.objects.order_by("pk"))


def synthesize(user, draft) -> SynthesisRun:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.synthesis_start(user, draft)
    run.refresh_from_db()
    return run


def test_chunks_share_the_work_and_campaigns_are_found_across_chunks(
    office_user, draft, comments, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK", 3)
    run = synthesize(office_user, draft)

    assert run.stage == RunStage.DONE
    assert run.finished_at is not None
    chunks = SynthesisChunk.objects.filter(run=run)
    assert chunks.filter(stage=RunStage.SIGN).count() == 4  # 10 comments, 3 a chunk
    assert chunks.filter(stage=RunStage.PLACE).count() == 4
    assert set(chunks.values_list("state", "attempts")) == {(ChunkState.DONE, 1)}
    first = comments[0]
    copies = Comment.objects.filter(campaign=first).values_list("pk", flat=True)
    assert set(copies) == {comments[4].pk, comments[8].pk, comments[9].pk}  # chunks 2, 3, 4
    first.refresh_from_db()
    assert first.campaign_size == 4
    assert Theme.objects.filter(draft=draft).exists()
    assert CommentSignature.objects.count() == len(comments)
    run.refresh_from_db()
    assert run.model is not None  # the last run keeps its section model for absorbing
    second = synthesize(office_user, draft)
    run.refresh_from_db()
    assert run.model is None  # an earlier run's model goes
    assert second.model is not None


def test_a_failed_chunk_is_retried_and_the_run_finishes(office_user, draft, comments, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 3)
    real, failures = services._sign, []

    def fail_once(found):
        if not failures:
            failures.append(1)
            raise RuntimeError("worker lost its database connection")
        real(found)

    monkeypatch.setattr(services, "_sign", fail_once)
    run = synthesize(office_user, draft)
    assert run.stage == RunStage.DONE
    retried = SynthesisChunk.objects.get(run=run, stage=RunStage.SIGN, attempts=2)
    assert retried.state == ChunkState.DONE
    assert Comment.objects.filter(campaign__isnull=False).count() == 6  # 3 + the repeated 3


def test_a_chunk_failing_every_time_is_reported_on_the_run(
    office_user, draft, comments, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK", 3)

    def broken(run, found):
        raise ValueError("model cannot read this text")

    monkeypatch.setattr(services, "_place", broken)
    run = synthesize(office_user, draft)
    assert run.stage == RunStage.FAILED
    assert run.finished_at is None
    assert "bị lỗi 3 lần" in run.error
    assert "model cannot read this text" in run.error
    page = web(office_user).get(f"/consultation/{draft.pk}/synthesis/").content.decode()
    assert "Tổng hợp bị dừng" in page


def test_a_chunk_is_claimed_by_one_worker_and_taken_over_only_after_its_lease(
    office_user, draft, comments
):
    run = SynthesisRun.objects.create(draft=draft)
    (chunk_id,) = services.synthesis_plan(run.pk)
    SynthesisChunk.objects.filter(pk=chunk_id).update(
        state=ChunkState.RUNNING, task_id="worker-a", claimed_at=timezone.now()
    )
    assert services.synthesis_chunk_run(chunk_id, "worker-b") == services.ChunkOutcome()
    assert not CommentSignature.objects.exists()  # worker b did nothing
    assert services.synthesis_reap() == []

    later = timezone.now() - services.LEASE - dt.timedelta(seconds=1)
    SynthesisChunk.objects.filter(pk=chunk_id).update(claimed_at=later)
    assert services.synthesis_reap() == [chunk_id]  # worker a vanished: sent again
    outcome = services.synthesis_chunk_run(chunk_id, "worker-b")
    assert outcome.merge
    assert CommentSignature.objects.count() == len(comments)
    assert SynthesisChunk.objects.get(pk=chunk_id).task_id == "worker-b"


def test_a_redelivered_message_reclaims_its_own_chunk(office_user, draft, comments):
    run = SynthesisRun.objects.create(draft=draft)
    (chunk_id,) = services.synthesis_plan(run.pk)
    SynthesisChunk.objects.filter(pk=chunk_id).update(
        state=ChunkState.RUNNING, task_id="message-1", claimed_at=timezone.now()
    )
    assert services.synthesis_chunk_run(chunk_id, "message-1").merge


def test_a_second_run_signs_only_new_comments(office_user, draft, comments, open_round):
    synthesize(office_user, draft)
    signed = dict(CommentSignature.objects.values_list("comment_id", "text_key"))
    services._comments_import(open_round, [("agree", "Tán thành", "citizen", "web", None)])
    run = synthesize(office_user, draft)
    assert run.stage == RunStage.DONE
    assert CommentSignature.objects.count() == len(comments) + 1
    assert dict(CommentSignature.objects.filter(comment_id__in=signed).values_list(
        "comment_id", "text_key")) == signed  # fmt: skip


def test_a_comment_arriving_during_the_run_waits_for_the_next_one(
    office_user, draft, comments, open_round, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK", 3)
    real = services._sign

    def sign_then_a_comment_arrives(found):
        real(found)
        if not Comment.objects.filter(text="Đến muộn").exists():
            services._comments_import(open_round, [("partial", "Đến muộn", "citizen", "web", None)])

    monkeypatch.setattr(services, "_sign", sign_then_a_comment_arrives)
    run = synthesize(office_user, draft)
    assert run.stage == RunStage.DONE
    assert run.figures["comments"] == len(comments)
    late = Comment.objects.get(text="Đến muộn")
    assert not CommentSignature.objects.filter(comment=late).exists()
