"""`dondoc bench jobs --only outbox`: how many e-mails a second the outbox delivery sends to a
real SMTP server on loopback (`smtp_sink`, a child process that only counts).

`messages` outbox rows (each with its notification, for one account made for the run and
deleted after) are queued due now; `outbox_deliver()` is called until it sends nothing more;
the sink must have received each message exactly once. Timed: wall and this process's CPU
(the sink's own CPU is not counted). Repeated `runs` times; medians reported.
"""

import datetime as dt
import statistics
import subprocess
import sys
import time
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from dondoc.accounts.models import User
from dondoc.urging.models import EmailOutbox, Notification, NotificationKind
from dondoc.urging.services import outbox_deliver

USERNAME = "bench-outbox"


def _queue(messages: int) -> User:
    User.objects.filter(username=USERNAME).delete()
    user = User.objects.create(username=USERNAME, email="bench-outbox@example.vn")
    now = timezone.now()
    first = dt.date(2000, 1, 1)
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, kind=NotificationKind.DIGEST, ref_on=first + dt.timedelta(n))
        for n in range(messages)
    )
    body = "Nhắc việc: nhiệm vụ đã quá hạn.\n" * 20
    EmailOutbox.objects.bulk_create(
        EmailOutbox(
            notification=note,
            to=user.email,
            subject=f"Nhắc việc {n}",
            body=body,
            next_attempt_at=now - dt.timedelta(seconds=1),
        )
        for n, note in enumerate(notes)
    )
    return user


def _one_run(messages: int) -> dict[str, Any]:
    sink = subprocess.Popen(
        [sys.executable, "-W", "ignore", "-m", "dondoc.bench.smtp_sink"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None
    port = int(sink.stdout.readline())
    user = _queue(messages)
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    sent = calls = 0
    try:
        with override_settings(**smtp), CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            while result := outbox_deliver():
                calls += 1
                if not result.sent:
                    break
                sent += result.sent
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        count = len(queries)
    finally:
        sink.terminate()
        tail = sink.communicate()[0].split()
        user.delete()
    received, sessions = int(tail[-2]), int(tail[-1])
    return {
        "messages": messages,
        "sent": sent,
        "received": received,
        "smtp_sessions": sessions,
        "deliver_calls": calls,
        "queries": count,
        "seconds": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "per_s": round(sent / wall, 1),
        "exactly_once": sent == received == messages,
    }


def bench_outbox(messages: int = 3000, runs: int = 3) -> dict[str, Any]:
    results = [_one_run(messages) for _ in range(runs)]
    return {
        "messages": messages,
        "runs": results,
        "median_per_s": statistics.median(r["per_s"] for r in results),
        "median_cpu_ms_per_message": round(
            statistics.median(r["cpu_s"] for r in results) * 1000 / messages, 3
        ),
        "exactly_once": all(r["exactly_once"] for r in results),
    }
