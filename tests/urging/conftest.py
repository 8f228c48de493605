"""Actors and helpers for the urging tests: a lead agency with its focal point and head, a
coordinating agency with its focal point, and a focal point who reads a daily digest."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dondoc.accounts.models import NotificationMode, Role, RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.models import Coordination, DeadlineKind, Task
from dondoc.urging.models import Notification
from tests.conftest import make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = dt.date(2026, 12, 15)
DAY = dt.timedelta(days=1)
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _mail_in_memory_and_jobs_inline(settings) -> None:
    """E-mail goes to `django.core.mail.outbox`; a job enqueued after commit runs inline
    instead of going to a broker (the real-worker test starts real workers)."""
    settings.EMAIL_BACKEND = LOCMEM
    # Through the Django setting, which Celery reads lazily: setting `celery_app.conf` directly
    # would pin the value for every later test (restoring it still overrides the setting).
    settings.CELERY_TASK_ALWAYS_EAGER = True


def at(day: dt.date, hour: int = 9) -> time_machine.travel:
    """Travel to `day` at `hour` local time (the clock stands still)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False
    )


@pytest.fixture
def coord_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTGDVTW", name="Ban Tuyên giáo và Dân vận Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


@pytest.fixture
def lead_focal(lead_agency) -> User:
    return person("daumoi.btctw", lead_agency, RoleCode.FOCAL)


@pytest.fixture
def lead_head(lead_agency) -> User:
    return person("truong.btctw", lead_agency, RoleCode.HEAD)


@pytest.fixture
def coord_focal(coord_agency) -> User:
    return person("daumoi.btgdvtw", coord_agency, RoleCode.FOCAL)


@pytest.fixture
def digest_focal(lead_agency) -> User:
    return person("daumoi2.btctw", lead_agency, RoleCode.FOCAL, digest=True)


def person(username: str, agency: Agency | None, *roles: str, digest: bool = False) -> User:
    for code in roles:  # a transactional test's flush empties the roles seeded by migration
        Role.objects.get_or_create(code=code)
    user = make_user(username, agency, *roles)
    user.email = f"{username}@example.vn"
    if digest:
        user.notification_mode = NotificationMode.DIGEST
    user.save()
    return user


def make_task(
    title: str,
    lead: Agency,
    due: dt.date | None = DEADLINE,
    coordinators: Iterable[Agency] = (),
    **facts: object,
) -> Task:
    if facts.get("deadline_kind") == DeadlineKind.ONGOING:
        due = None
    if "follower" in facts:  # written as the services would: the effective follower too
        facts.setdefault("followed_by", facts["follower"])
    task = Task.objects.create(
        title=title, lead_agency=lead, due_on=due, created_on=dt.date(2026, 9, 1), **facts
    )
    Coordination.objects.bulk_create(Coordination(task=task, agency=a) for a in coordinators)
    return task


def sent(**filters: object) -> set[tuple[str, dt.date, str]]:
    """The notifications that exist, as (kind, reference date, recipient username)."""
    rows = Notification.objects.filter(task__isnull=False, **filters).values_list(
        "kind", "ref_on", "recipient__username"
    )
    return set(rows)
