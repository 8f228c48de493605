"""`/healthz`: the database, the job broker and the job worker's heartbeat, each ok or down,
and the checks that feature apps register (`health_check_register`, from their
`AppConfig.ready()`: core imports no feature app), which may also say "degraded".

Answers 200 when all are ok, 200 with the status "degraded" when something needs an operator
but the site serves (a synthesis run that stopped progressing), and 503 when one is down, so a
load balancer or a monitor sees a dead worker (issue #11) and not only a dead web process.
"""

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from dondoc.core.heartbeat import heartbeat_age_seconds

Check = dict[str, object]
# a feature's check: given whether the database answered, its report ("status": ok, degraded,
# down or unknown, and what the operator needs to act)
HealthCheck = Callable[[bool], Check]

_registered: dict[str, HealthCheck] = {}


def health_check_register(key: str, check: HealthCheck) -> None:
    _registered[key] = check


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"status": "down", "error": type(error).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def check_broker() -> Check:
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        except redis.RedisError as error:
            return {"status": "down", "kind": "redis", "error": type(error).__name__}
        return {"status": "ok", "kind": "redis"}
    folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
    if not (folder.is_dir() and os.access(folder, os.W_OK)):
        return {"status": "down", "kind": "data folder", "error": "not writable"}
    queued = sum(1 for _ in folder.iterdir())
    return {"status": "ok", "kind": "data folder", "queued": queued}


def check_worker(database_ok: bool) -> Check:
    if not settings.HEALTH_CHECK_WORKER:
        return {"status": "ok", "checked": False}
    if not database_ok:
        return {"status": "unknown"}
    age = heartbeat_age_seconds()
    if age is None:
        return {"status": "down", "heartbeat_age_s": None}
    status = "ok" if age <= settings.HEARTBEAT_MAX_AGE else "down"
    return {"status": status, "heartbeat_age_s": round(age, 1)}


def health_report() -> tuple[str, dict[str, Check]]:
    """The overall status (ok, degraded or down) and every check."""
    database = check_database()
    database_ok = database["status"] == "ok"
    checks = {
        "database": database,
        "broker": check_broker(),
        "worker": check_worker(database_ok),
    }
    for key in sorted(_registered):
        checks[key] = _registered[key](database_ok)
    statuses = {check["status"] for check in checks.values()}
    if statuses <= {"ok"}:
        return "ok", checks
    return ("degraded" if statuses <= {"ok", "degraded"} else "down"), checks
