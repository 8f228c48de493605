"""Failed sign-ins per address are counted across web processes (issue #11): gunicorn runs
several, and a per-process count would let an attacker spread guesses over them. The counts
live in the "shared" cache — a database table without Redis, Redis with REDIS_URL.

Two real processes, each signing in with wrong passwords from one address; the second is
refused once the failures of both reach the limit."""

import json
import uuid

import pytest

from tests.core.processes import dondoc, process_env

REDIS_URL = "redis://127.0.0.1:6379/15"
LIMIT = 5
ATTEMPTS = """
import json
from django.conf import settings
from django.test import Client
settings.STORAGES = {{**settings.STORAGES,  # no collectstatic manifest in this data folder
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
statuses = [
    Client().post("/accounts/login/", {{"username": f"ai-do-{{n}}", "password": "sai"}},
                  REMOTE_ADDR="203.0.113.66").status_code
    for n in range({count})
]
print(json.dumps(statuses))
"""


def sign_in_failures(env: dict[str, str], count: int) -> list[int]:
    out = dondoc(env, "shell", "-c", ATTEMPTS.format(count=count))
    return list(json.loads(out.strip().splitlines()[-1]))


@pytest.fixture(params=["database", "redis"])
def shared_env(request, tmp_path):
    prefix = f"ratelimit-test-{uuid.uuid4().hex}"
    extra = {
        "LOGIN_ADDRESS_RATE": f"{LIMIT}/1d",  # a 15-minute window could turn between processes
        "ALLOWED_HOSTS": "testserver",
        "DONDOC_SECURE": "false",
    }
    if request.param == "redis":
        extra.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix, CELERY_QUEUE=prefix)
    env = process_env(tmp_path, **extra)
    dondoc(env, "migrate", "--verbosity=0")
    yield env
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):  # leave the shared Redis as we found it
            client.delete(key)


def test_two_processes_share_the_count_of_failed_sign_ins_per_address(shared_env):
    first = sign_in_failures(shared_env, 3)
    second = sign_in_failures(shared_env, 3)

    assert first == [200, 200, 200]  # the form again, with its error
    assert second == [200, 200, 429]  # 3 + 2 failures reach the limit of 5 across processes
