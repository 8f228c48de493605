"""The embedded broker keeps a job whose worker dies in the middle of it (issue #11): the job
runs again when a worker starts, instead of being lost with the message file."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.core.processes import ROOT, dondoc, process_env, wait_for

ENQUEUE = "from tests.core.slow_jobs import slow_job; slow_job.delay({folder!r}, {seconds})"


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "celery", "-A", "dondoc", "worker", "--pool=threads",
        "--concurrency=2", "--loglevel=WARNING", "-I", "tests.core.slow_jobs",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def test_job_of_a_worker_killed_mid_job_runs_after_restart(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    env = process_env(data)
    first = start_worker(env)
    second = None
    try:
        dondoc(env, "shell", "-c", ENQUEUE.format(folder=str(out), seconds=4))
        wait_for(lambda: list(out.glob("started-*")), 60, "the job to start")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert not (out / "done").exists()
        assert len(os.listdir(data / "queue-unacked")) == 1  # taken, never acknowledged

        second = start_worker(env)
        wait_for(lambda: (out / "done").exists(), 60, "the job to run again")
        assert (out / "done").read_text() == str(second.pid)
        assert len(list(out.glob("started-*"))) == 2
        wait_for(lambda: not os.listdir(data / "queue-unacked"), 10, "the acknowledgement")
        assert os.listdir(data / "queue") == []
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)


def test_finished_job_leaves_no_message_behind(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    env = process_env(data)
    worker = start_worker(env)
    try:
        dondoc(env, "shell", "-c", ENQUEUE.format(folder=str(out), seconds=0))
        wait_for(lambda: (out / "done").exists(), 60, "the job to run")
        wait_for(lambda: not os.listdir(data / "queue-unacked"), 10, "the acknowledgement")
        assert [Path(p).name for p in os.listdir(data / "queue")] == []
    finally:
        worker.terminate()
        worker.wait(timeout=20)
