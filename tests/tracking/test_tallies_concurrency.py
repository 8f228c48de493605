"""Tallies under concurrent writers: six threads change tasks of the same two agencies at once
through the services (real transactions, each thread its own connection); afterwards the kept
tallies equal a recount from the tasks, and the figures read from them equal a count.

PostgreSQL only, as in tests/audit/test_concurrency.py: SQLite's test database is a shared-cache
in-memory one where a second writer fails at once instead of waiting."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.core.access import ActionRefused
from dondoc.tracking import services
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Task
from dondoc.tracking.selectors import status_counts
from dondoc.tracking.tallies import tallies_for, tallies_rebuild
from tests.conftest import make_user
from tests.tracking.test_tallies import (  # noqa: F401 — fixtures
    many,
    random_change,
    recounted,
    strategic,
    tallied,
    today,
)

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS, STEPS = 6, 12
REFUSED = (ActionRefused, services.ValidationError, services.EditConflictError)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_tallies_stay_equal_to_the_tasks_under_concurrent_writers(
    many,  # noqa: F811
    office_user,
    lead_focal,
    other_focal,
    lead_agency,
    other_agency,
    today,  # noqa: F811
):
    tallies_rebuild(today)
    actors = {"office": office_user,
              "focal": {lead_agency.pk: lead_focal, other_agency.pk: other_focal}}  # fmt: skip
    pks = [task.pk for task in many]

    def writer(seed: int) -> tuple[int, list[str]]:
        rng, applied, failures = random.Random(seed), 0, []
        try:
            for _step in range(STEPS):
                task = Task.objects.get(pk=rng.choice(pks))  # this thread's own copy
                try:
                    random_change(rng, task, actors, today)
                    applied += 1
                except REFUSED:
                    continue  # refused by the task's state or a newer version: nothing changed
                except Exception as error:  # a deadlock or lost write is the finding
                    failures.append(repr(error))
            return applied, failures
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(writer, range(WRITERS)))

    assert [f for _n, failures in results for f in failures] == []
    assert sum(n for n, _f in results) > WRITERS * STEPS // 3
    kept = tallied()
    assert kept == recounted(today)
    leader = make_user("lanhdao2", office_user.agency, RoleCode.LEADER, clearance=Clearance.SECRET)
    assert tallies_for(leader, today).status_counts() == status_counts(
        tasks_visible_to(leader), today
    )
