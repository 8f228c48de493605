"""The public comment page while Redis is down (issue #11). Its limits live in the "shared"
cache; here that is a real Redis, on a closed port or one the test starts and stops. A
citizen's comment is still taken and stored, the outage is logged when it starts and when it
ends (not on every request), the hourly catch-up places the comments in the themes, and the
limits count again once Redis is back."""

import datetime as dt
import logging
import uuid

import pytest
import time_machine
from django.test import Client

from dondoc.consultation import services
from dondoc.consultation.models import Comment, CommenterIdentity
from tests.core.processes import RedisServer

from .conftest import NOW
from .test_flow import PLANNING, _comments, public_post, synthesize

CLOSED_PORT = "redis://127.0.0.1:1/0"


def redis_caches(url: str) -> dict[str, dict[str, object]]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
    }


def outage_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "dondoc.core.sharedcache"]


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_citizens_comment_while_redis_is_down_and_the_hourly_catch_up_places_them(
    draft, open_round, lead_focal, office_user, settings, caplog
):
    _comments(draft, open_round, lead_focal)
    synthesize(office_user, draft)
    settings.CACHES = redis_caches(CLOSED_PORT)
    client = Client()
    with caplog.at_level(logging.WARNING):
        sent = [
            public_post(client, draft.pk, text=f"{PLANNING} ở xã số {n}", full_name=f"Người {n}")
            for n in range(3)
        ]

    assert [r.status_code for r in sent] == [200, 200, 200]
    assert all("ý kiến đã được ghi nhận" in r.content.decode() for r in sent)
    waiting = Comment.objects.filter(signature__isnull=True)
    assert waiting.count() == 3
    assert CommenterIdentity.objects.filter(comment__in=waiting).count() == 3
    [warning] = outage_logs(caplog)
    assert "unreachable" in warning
    assert services.comments_absorb_due() == {draft.pk: 3}  # nothing was queued for them
    assert not Comment.objects.filter(signature__isnull=True).exists()


def test_the_limits_count_again_when_redis_is_back_and_the_outage_is_logged_at_both_ends(
    draft, open_round, settings, caplog, own_redis
):
    settings.CONSULTATION_PUBLIC_PER_HOUR = 2
    settings.CACHES = redis_caches(own_redis.url)
    client = Client()
    with caplog.at_level(logging.WARNING):
        assert public_post(client, draft.pk).status_code == 200  # counted: 1 of 2
        own_redis.stop()
        during = [public_post(client, draft.pk).status_code for _ in range(3)]
        own_redis.start()
        with time_machine.travel(NOW + dt.timedelta(seconds=10), tick=False):  # retry is due
            after = [public_post(client, draft.pk).status_code for _ in range(2)]

    assert during == [200, 200, 200]  # not counted, not refused
    assert after == [200, 429]  # the count kept by Redis goes on: 2 of 2, then refused
    assert Comment.objects.count() == 5
    down, back = outage_logs(caplog)
    assert "unreachable" in down
    assert "answers again" in back
    assert "9 counts were skipped" in back  # 3 comments, 3 counts each: challenge, address, device
