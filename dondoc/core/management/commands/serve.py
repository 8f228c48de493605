"""`dondoc serve`: migrate, load the demo into an empty database, start jobs, serve over HTTP."""

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dondoc.core.dbsessions import ENV
from dondoc.core.supervisor import Child, Supervisor


class Command(BaseCommand):
    help = "Chạy dondoc: cập nhật cơ sở dữ liệu, nạp dữ liệu mẫu nếu trống và phục vụ qua HTTP."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("DONDOC_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("DONDOC_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
        parser.add_argument(
            "--no-jobs", action="store_true", help="do not start the in-process job worker"
        )
        # --data-dir is taken by dondoc.cli before settings load; listed here for --help.
        parser.add_argument("--data-dir", help="data folder (also DONDOC_DATA_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Thư mục dữ liệu: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEMO:  # the demo app's command: a base app imports no feature app
            call_command("demo", if_empty=True, stdout=self.stdout)
        if not options["no_jobs"]:
            jobs_at_start_enqueue()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(f"dondoc đang chạy tại {url} — đăng nhập tại {url}accounts/login/")
        )
        jobs = not options["no_jobs"] and not settings.REDIS_URL
        supervise(children(options, jobs=jobs))


def jobs_at_start_enqueue() -> None:
    """Queue the jobs that should not wait for their first scheduled time (`JOBS_AT_START`), by
    name: a base app imports no feature app. Each decides itself whether there is work to do."""
    for name in settings.JOBS_AT_START:
        current_app.send_task(name)


def children(options: dict[str, Any], *, jobs: bool) -> list[Child]:
    """The web server, and in the embedded default (no Redis) the job worker and scheduler."""
    env = {**os.environ, "DONDOC_DATA_DIR": str(settings.DATA_DIR)}
    if options["no_jobs"]:
        env["HEALTH_CHECK_WORKER"] = "false"  # /healthz does not wait for a worker never started
    web = web_command(options["host"], options["port"], options["workers"], options["threads"])
    # DONDOC_PROCESS: each child's database sessions say what it is (core/dbsessions.py).
    found = [Child("web server", web, {**env, ENV: "web"})]
    if jobs:
        found.append(Child("job worker", embedded_worker_command(), {**env, ENV: "worker"}))
        scheduler = embedded_scheduler_command(settings.DATA_DIR)
        found.append(Child("job scheduler", scheduler, {**env, ENV: "beat"}))
    return found


def supervise(children: list[Child]) -> None:
    """Run the children until SIGTERM or SIGINT, restarting any that dies (core/supervisor.py);
    then stop them all."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    supervisor = Supervisor(children)
    supervisor.start()
    try:
        stop.wait()
    finally:
        supervisor.stop(timeout=20)


def embedded_worker_command() -> list[str]:
    """One Celery worker, for machines without Redis."""
    return [
        sys.executable, "-m", "celery", "-A", "dondoc", "worker", "--pool=threads",
        "--concurrency=2", "--loglevel=WARNING",
    ]  # fmt: skip


def embedded_scheduler_command(data_dir: Path) -> list[str]:
    """Celery beat, which puts the periodic jobs (CELERY_BEAT_SCHEDULE) in the queue."""
    return [
        sys.executable, "-m", "celery", "-A", "dondoc", "beat", "--loglevel=WARNING",
        f"--schedule={data_dir / 'celerybeat-schedule'}",
    ]  # fmt: skip


def web_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """Gunicorn, the production WSGI server, with threads; static files come from WhiteNoise.
    Its control socket is in the data folder, so two serves on one machine don't collide."""
    command = [
        sys.executable, "-m", "gunicorn", f"--bind={host}:{port}", f"--workers={workers}",
        f"--threads={threads}", "--worker-class=gthread", "--timeout=120",
        "--graceful-timeout=10", "--limit-request-line=0",  # Django answers long URLs (414)
        f"--control-socket={settings.DATA_DIR / 'gunicorn.ctl'}",
    ]  # fmt: skip
    if access_log := os.environ.get("ACCESS_LOG"):
        command.append(f"--access-logfile={access_log}")
    return [*command, "dondoc.wsgi:application"]
