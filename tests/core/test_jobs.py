"""Background jobs run on a real worker: the embedded one (no Redis) and Celery on Redis.

These start real processes on a throwaway SQLite database in a temporary data folder, exactly
as `dondoc serve` (embedded) or a production worker (Redis) would.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dondoc.core.management.commands.serve import embedded_worker_command

ENQUEUE = "from dondoc.audit.tasks import audit_verify_task; audit_verify_task.delay()"
COUNT_RUNS = (
    "from dondoc.core.models import JobRun; "
    "print(JobRun.objects.filter(name='audit_verify', succeeded=True).count())"
)


def dondoc(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def worker_env(data_dir: Path, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DONDOC_DATA_DIR"] = str(data_dir)
    env["DONDOC_DEMO"] = "false"
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@pytest.mark.parametrize("broker", ["embedded", "redis"])
def test_enqueued_job_is_run_by_a_real_worker_and_recorded(tmp_path, broker):
    redis_url = "redis://127.0.0.1:6379/15" if broker == "redis" else None
    env = worker_env(tmp_path, redis_url)
    env["CELERY_QUEUE"] = f"test-{uuid.uuid4().hex}"  # nothing left over from another run
    dondoc(env, "migrate", "-v0")
    worker = subprocess.Popen(
        embedded_worker_command(), env=env, cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        dondoc(env, "shell", "-c", ENQUEUE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if dondoc(env, "shell", "-v0", "-c", COUNT_RUNS).strip() == "1":
                break
            time.sleep(1)
        else:
            worker.terminate()
            pytest.fail(
                f"the job never ran; worker said: {worker.communicate(timeout=10)[1][-2000:]}"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
