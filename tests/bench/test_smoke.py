"""Smoke tests of the benchmark tools at a tiny scale (the benchmarks themselves are not tests)."""

import datetime as dt

import pytest
from django.test import Client

from dondoc.accounts.models import User
from dondoc.bench.floors import overview_floor, task_count_floor
from dondoc.bench.generate import bench_generate
from dondoc.bench.run import plan_paths, time_requests
from dondoc.tracking.models import Coordination, ProgressReport, Task
from dondoc.tracking.selectors import status_counts
from dondoc.tracking.status import TaskStatus

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def tiny(db: None) -> dict[str, int]:
    return bench_generate("tiny", seed=1, today=TODAY, out=lambda _line: None)


def test_tiny_scale_loads_its_counts_with_varied_statuses(tiny: dict[str, int]) -> None:
    assert Task.objects.count() == 300
    assert User.objects.count() == 300
    assert Coordination.objects.count() > 300
    assert ProgressReport.objects.count() > 300
    assert not Task.objects.filter(search_text="").exists()
    counts = status_counts(Task.objects.all(), TODAY)
    assert sum(1 for s in TaskStatus.values if counts[s]) >= 5


def test_floor_overview_agrees_with_the_selector(tiny: dict[str, int]) -> None:
    counts = status_counts(Task.objects.all(), TODAY)
    floor: dict[str, int] = {}
    for _code, _name, status, n in overview_floor(TODAY, clearance=3):
        floor[status] = floor.get(status, 0) + n
    assert floor == {s: counts[s] for s in TaskStatus.values if counts[s]}
    assert task_count_floor(TODAY, "overdue", "BTCTW", False, "ke hoach") >= 0


def test_request_timing_runs_against_the_test_client(tiny: dict[str, int], client: Client) -> None:
    office = User.objects.get(username="vanphong")
    client.force_login(office)
    paths = plan_paths(3)
    for name in ("task_list", "task_page", "dashboard"):
        result = time_requests(lambda path: client.get(path).status_code, paths[name])
        assert result["n"] == 3
        assert result["p50_ms"] <= result["p99_ms"]
