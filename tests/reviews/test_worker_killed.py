"""A job worker killed (SIGKILL) in the middle of generating a review (issue #11): the job is
delivered again to the next worker, which makes the review — one review, its files once, done.

Real processes on a throwaway SQLite data folder with the embedded broker, as in
tests/core/test_broker.py; tests/reviews/slow_review.py slows the rendering of the last file
down so that the kill lands with the figures and the DOCX stored and the XLSX not yet."""

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.core.processes import ROOT, dondoc, process_env, stop_group, wait_for

PREPARE = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from dondoc.accounts.models import Role, User
from dondoc.agencies.models import Agency
from dondoc.reviews.services import review_request
office = Agency.objects.create(code="VPTW", name="Văn phòng Trung ương Đảng", kind="central_body")
user = User.objects.create_user(username="chuyenvien", full_name="Chuyên viên", agency=office)
user.roles.set([Role.objects.get(code="office")])
review_request(user, period="2026-10", scope="all", formats=["docx", "xlsx"])
"""


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "celery", "-A", "dondoc", "worker", "--pool=threads",
        "--concurrency=1", "--loglevel=WARNING", "-I", "tests.reviews.slow_review",
    ]  # fmt: skip
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True
    )


def query(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(sql).fetchall()


def test_a_review_whose_worker_is_killed_is_made_once_by_the_next_worker(tmp_path):
    data, marks = tmp_path / "data", tmp_path / "marks"
    marks.mkdir()
    env = process_env(data, REVIEW_TEST_FOLDER=str(marks), REVIEW_TEST_SLEEP="60")
    database = data / "dondoc.sqlite3"
    dondoc(env, "shell", "-c", PREPARE)
    review = "SELECT status, progress, docx, xlsx FROM reviews_reviewreport"  # the one review

    first = start_worker(env)
    try:
        wait_for(lambda: list(marks.iterdir()), 120, "the review's rendering to start")
        status, progress, docx, xlsx = query(database, review)[0]
        assert (status, progress, bool(docx), xlsx) == ("running", 70, True, "")  # half made
    finally:
        stop_group(first, signal.SIGKILL)
    assert len(os.listdir(data / "queue-unacked")) == 1  # taken, never acknowledged

    second = start_worker({**env, "REVIEW_TEST_SLEEP": "0"})
    try:
        wait_for(lambda: query(database, review)[0][0] == "done", 120, "the review to be made")
        wait_for(lambda: not os.listdir(data / "queue-unacked"), 20, "the acknowledgement")
    finally:
        stop_group(second, signal.SIGTERM)
    assert first.returncode == -signal.SIGKILL
    assert second.returncode == 0

    assert query(database, "SELECT count(*) FROM reviews_reviewreport") == [(1,)]
    status, progress, docx, xlsx = query(database, review)[0]
    assert (status, progress) == ("done", 100)
    files = sorted(path.name for path in (data / "files").rglob("*") if path.is_file())
    assert files == sorted([Path(docx).name, Path(xlsx).name])  # each file once, nothing left over
    runs = query(database, "SELECT succeeded FROM core_jobrun WHERE name = 'review_generate'")
    assert Counter(run for (run,) in runs) == {None: 1, 1: 1}  # the killed run; the retry
    assert os.listdir(data / "queue") == []
