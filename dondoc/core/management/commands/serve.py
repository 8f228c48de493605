"""`dondoc serve`: migrate, load the demo into an empty database, start jobs, serve over HTTP."""

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

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
        if options["no_jobs"]:
            settings.HEALTH_CHECK_WORKER = False  # the web workers forked below inherit it
        jobs = None if options["no_jobs"] or settings.REDIS_URL else job_supervisor()
        if jobs is not None:
            jobs.start()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(f"dondoc đang chạy tại {url} — đăng nhập tại {url}accounts/login/")
        )
        try:
            serve(options["host"], options["port"], options["workers"], options["threads"])
        finally:  # gunicorn ends on SIGTERM/SIGINT by raising SystemExit: the children stop too
            if jobs is not None:
                jobs.stop()


def job_supervisor() -> Supervisor:
    """The embedded default: a Celery worker and its scheduler, broker in the data folder,
    each restarted when it dies (core/supervisor.py)."""
    env = {**os.environ, "DONDOC_DATA_DIR": str(settings.DATA_DIR)}
    return Supervisor(
        [
            Child("job worker", embedded_worker_command(), env),
            Child("job scheduler", embedded_scheduler_command(settings.DATA_DIR), env),
        ]
    )


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


def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Gunicorn, the production WSGI server, with threads; static files come from WhiteNoise."""
    from gunicorn.app.base import BaseApplication

    from dondoc.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            config = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": os.environ.get("ACCESS_LOG") or None,
                "timeout": 120,
                "graceful_timeout": 10,
                # one control socket per data folder: two serves on one machine don't collide
                "control_socket": str(settings.DATA_DIR / "gunicorn.ctl"),
            }
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()
