"""A job that takes a while, for killing its worker in the middle (tests/core/test_broker.py).
The worker imports it with `-I tests.core.slow_jobs`."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task
def slow_job(folder: str, seconds: float) -> None:
    Path(folder, f"started-{os.getpid()}").touch()
    time.sleep(seconds)
    Path(folder, "done").write_text(str(os.getpid()), encoding="utf-8")
