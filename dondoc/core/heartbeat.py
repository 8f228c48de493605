"""The job worker's heartbeat: a row refreshed every few seconds while the worker lives.

`/healthz` (core/health.py) reports the newest beat's age, so a dead or stuck worker shows as
down within `HEARTBEAT_MAX_AGE` seconds instead of `ok` forever.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from dondoc.core.models import WorkerHeartbeat

log = logging.getLogger("dondoc.jobs")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def heartbeat_beat(worker: str) -> None:
    """Record that `worker` is alive now; forget workers silent for a day (old pids)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": now})
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()


def heartbeat_age_seconds() -> float | None:
    """Seconds since the newest beat of any worker; None if no worker ever beat."""
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    return None if newest is None else (timezone.now() - newest).total_seconds()


def heartbeat_start(stop: threading.Event | None = None) -> threading.Thread:
    """Beat every `HEARTBEAT_SECONDS` in a daemon thread until `stop` is set or the process ends;
    a database that is briefly down is logged and the next beat tried."""
    stop = stop or threading.Event()
    worker = worker_name()

    def run() -> None:
        while True:
            try:
                close_old_connections()
                heartbeat_beat(worker)
            except DatabaseError as error:
                log.warning("heartbeat of %s not written: %s", worker, error)
            if stop.wait(settings.HEARTBEAT_SECONDS):
                return

    thread = threading.Thread(target=run, name="dondoc-heartbeat", daemon=True)
    thread.start()
    return thread
