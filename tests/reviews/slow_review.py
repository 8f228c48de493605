"""Slows the review's rendering down in a real worker, so that the test can kill the worker in
the middle of a review (tests/reviews/test_worker_killed.py). Loaded with
`celery worker -I tests.reviews.slow_review`: before rendering the XLSX file (the last, after
the DOCX is stored) it notes the process in REVIEW_TEST_FOLDER and sleeps REVIEW_TEST_SLEEP
seconds."""

import os
import time
from pathlib import Path

from dondoc.reviews import services

_render = services.review_render_one


def _slow_render(fmt, *args, **kwargs):  # type: ignore[no-untyped-def]
    if fmt != "xlsx":
        return _render(fmt, *args, **kwargs)
    Path(os.environ["REVIEW_TEST_FOLDER"], f"render-{os.getpid()}-{time.monotonic_ns()}").touch()
    time.sleep(float(os.environ.get("REVIEW_TEST_SLEEP", "0")))
    return _render(fmt, *args, **kwargs)


services.review_render_one = _slow_render
