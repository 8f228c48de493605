"""`/healthz` reports the database, the broker and the worker's heartbeat; 503 when one is down."""

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError
from django.utils import timezone

from dondoc.core import health
from dondoc.core.heartbeat import heartbeat_beat

pytestmark = pytest.mark.django_db


def test_all_ok_with_a_recent_heartbeat(client, django_assert_max_num_queries):
    with time_machine.travel(timezone.now(), tick=False):  # a loaded machine may be slow
        heartbeat_beat("host:1")
        # SELECT 1, the newest heartbeat, the runs going (consultation's registered check)
        with django_assert_max_num_queries(3):
            response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == body["broker"]["status"] == "ok"
    assert body["worker"]["heartbeat_age_s"] == 0


def test_worker_that_never_beat_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"status": "down", "heartbeat_age_s": None}


def test_worker_silent_longer_than_the_limit_is_down(client, settings):
    with time_machine.travel(timezone.now() - timedelta(seconds=settings.HEARTBEAT_MAX_AGE + 5)):
        heartbeat_beat("host:1")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "down"


def test_worker_check_off_for_serve_without_jobs(client, settings):
    settings.HEALTH_CHECK_WORKER = False
    assert client.get("/healthz").status_code == 200


def test_database_down_is_reported_as_503(client, monkeypatch):
    def refuse() -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "down", "error": "DatabaseError"}
    assert response.json()["worker"] == {"status": "unknown"}


def test_broker_folder_missing_is_down(client, settings, tmp_path):
    heartbeat_beat("host:1")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "gone")}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "down"


def test_redis_broker_that_does_not_answer_is_down(client, settings):
    heartbeat_beat("host:1")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == {
        "status": "down",
        "kind": "redis",
        "error": "ConnectionError",
    }


def test_old_heartbeats_of_dead_processes_are_forgotten():
    from dondoc.core.models import WorkerHeartbeat

    with time_machine.travel(timezone.now() - timedelta(days=2)):
        heartbeat_beat("host:old")
    heartbeat_beat("host:new")
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["host:new"]
