"""Smoke tests of the benchmark tools at a tiny scale (the benchmarks themselves are not tests)."""

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.db.models import Count
from django.test import Client

from dondoc.accounts.models import RoleCode, User
from dondoc.bench.floors import dashboard_floor, overview_floor, task_list_floor
from dondoc.bench.generate import bench_generate
from dondoc.bench.run import (
    floors,
    plan_paths,
    results_markdown,
    task_list_filters,
    time_requests,
)
from dondoc.dashboards.selectors import leader_dashboard
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Coordination, ProgressReport, Task
from dondoc.tracking.selectors import TaskFilters, status_counts, tasks_matching
from dondoc.tracking.status import TaskStatus

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def tiny(db: None) -> dict[str, int]:
    return bench_generate("tiny", seed=1, today=TODAY, out=lambda _line: None)


def test_tiny_scale_loads_its_counts_with_varied_statuses(tiny: dict[str, int]) -> None:
    assert Task.objects.count() == 300
    leads = Task.objects.values("lead_agency").distinct().count()
    focal = User.objects.filter(roles__code=RoleCode.FOCAL).values("agency").annotate(n=Count("pk"))
    assert {row["n"] for row in focal} <= {1, 2, 3}  # as agencies have them, not ten each
    assert User.objects.filter(roles__code=RoleCode.HEAD).count() >= leads
    assert (
        User.objects.filter(roles__code=RoleCode.OFFICE, username__startswith="chuyenvien").count()
        == 5
    )
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


def test_floor_dashboard_agrees_with_the_dashboard(tiny: dict[str, int]) -> None:
    office = User.objects.get(username="vanphong")
    figures = leader_dashboard(office, TODAY)
    floor = dashboard_floor(TODAY, office.clearance)
    assert dict(floor["statuses"]) == {s.status: s.count for s in figures["slices"] if s.count}
    trend = floor["trend"][0]
    assert [(p.done, p.overdue) for p in figures["trend"]] == list(
        zip(trend[::2], trend[1::2], strict=True)
    )
    assert floor["due_count"][0][0] == figures["due_soon"].count
    assert [row[0] for row in floor["due_tasks"]] == [t.pk for t in figures["due_soon"].tasks]
    assert [row[2] for row in floor["top_agencies"]] == [
        r["overdue"] for r in figures["top_agencies"]
    ]
    assert floor["obstacle_count"][0][0] == figures["obstacles"].count


def test_floor_task_list_agrees_with_the_list(tiny: dict[str, int]) -> None:
    office = User.objects.get(username="vanphong")
    for plan in task_list_filters(10, seed=3):
        filters = TaskFilters(
            status=(plan["status"],) if "status" in plan else (), lead=plan.get("lead", ""),
            strategic=plan.get("strategic"), priority=plan.get("priority"), key=plan.get("key"),
            q=plan["q"],
        )  # fmt: skip
        matching = tasks_matching(tasks_visible_to(office), filters, TODAY)
        counts, total, page = task_list_floor(
            TODAY, {**plan, "clearance": office.clearance}, plan["q"]
        )
        assert total == matching.count()
        assert [row[0] for row in page] == list(matching.values_list("pk", flat=True)[:50])
        any_status = tasks_matching(tasks_visible_to(office), replace(filters, status=()), TODAY)
        assert sum(counts.values()) == any_status.count()


def test_request_timing_runs_against_the_test_client(tiny: dict[str, int], client: Client) -> None:
    office = User.objects.get(username="vanphong")
    client.force_login(office)
    paths = plan_paths(3)
    for name in ("task_list", "task_page", "dashboard"):
        result = time_requests(lambda path: client.get(path).status_code, paths[name])
        assert result["n"] == 3
        assert result["p50_ms"] <= result["p99_ms"]


def test_the_floors_and_selectors_run_with_the_same_parameters(tiny: dict[str, int]) -> None:
    results = floors(2)
    assert set(results) == {
        f"{kind}_{path}"
        for kind in ("floor", "selectors")
        for path in ("task_list", "dashboard", "overview")
    }
    assert all(r["n"] == 2 for r in results.values())


def _timing(p50: float) -> dict[str, float]:
    return {"n": 200, "p50_ms": float(p50), "p95_ms": p50 * 2.0, "p99_ms": 0, "mean_ms": 0}


def test_the_report_gives_medians_per_scale_their_floor_ratio_and_growth(tmp_path: Path) -> None:
    # (scale, inbox p50, dashboard p50, its floor's p50 in the same run)
    runs = [
        ("small", 30, 40, 10),
        ("small", 50, 30, 30),
        ("small", 40, 20, 10),
        ("medium", 70, 5, 5),
    ]
    files = []
    for n, (scale, inbox, dashboard, floor) in enumerate(runs):
        files.append(tmp_path / f"{n}.json")
        results = {"inbox": _timing(inbox), "dashboard": _timing(dashboard),
                   "floor_dashboard": _timing(floor)}  # fmt: skip
        files[-1].write_text(
            json.dumps({"scale": scale, "database": "postgres", "tasks": 10, "results": results})
        )
    text = results_markdown(files)
    assert "### small on postgres (10 tasks; median of 3 runs)" in text
    assert "| inbox | 200 | 40.0 | 80.0 | 0 | 50 ✗ |  |" in text  # p95 over the target
    # the ratios within each run are 4, 1 and 2: their median, not 30 / 10 from the medians
    assert "| dashboard | 200 | 30.0 | 60.0 | 0 | 300 ✓ | 2.00 |" in text
    assert "| inbox | 40 / 80 | 70 / 140 |" in text  # small → medium, side by side
