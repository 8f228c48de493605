"""The Celery application: Redis in production, a broker in the data folder by default."""

import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_ready

from dondoc.core import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
broker.register()

app = Celery("dondoc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect  # type: ignore[untyped-decorator]
def _restore_unacked_jobs(**_: Any) -> None:
    """The embedded worker starts by taking back the jobs a dead predecessor had taken."""
    options = app.conf.broker_transport_options or {}
    if app.conf.broker_url.startswith(f"{broker.ALIAS}://"):
        broker.restore_unacked(Path(options["data_folder_in"]), Path(options["unacked_folder"]))


@worker_ready.connect  # type: ignore[untyped-decorator]
def _start_heartbeat(**_: Any) -> None:
    """While the worker lives, it says so every few seconds (`/healthz` reads it)."""
    from dondoc.core.heartbeat import heartbeat_start

    heartbeat_start()
