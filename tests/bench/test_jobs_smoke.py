"""Smoke tests of the whole-job benchmarks (`dondoc bench jobs`) at the tiny scale: the review's
floor gives the review's answer, the import workbooks are what the importer takes and refuses,
and wrk's output is read so that a lost session cannot pass for speed. No timings are tested."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dondoc.accounts.models import User
from dondoc.audit.models import AuditEntry
from dondoc.bench.generate import bench_generate
from dondoc.bench.jobs import (
    BAD_LEAD,
    floor_agrees,
    floor_totals,
    import_workbooks,
    jobs_markdown_table,
    last_full_month,
    parse_wrk,
    review_floor,
    summary,
)
from dondoc.reviews.figures import review_figures
from dondoc.reviews.periods import Scope
from dondoc.tracking.models import Coordination, Decision, Extension, LeadTransfer, Task
from dondoc.tracking.status import TaskStatus
from dondoc.tracking.xlsx import import_tasks

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội, the same day

# Captured from `dondoc bench jobs --only throughput` at `small` on SQLite (2 busy cores): the
# server answered 345 pages; 308 requests waited past wrk's 2 s timeout.
WRK_SLOW = "\n".join(
    [
        "Running 20s test @ http://127.0.0.1:53311/inbox/",
        "  2 threads and 64 connections",
        "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
        "    Latency     1.67s   334.66ms   1.99s    86.49%",
        "    Req/Sec    14.05      9.67    40.00     68.25%",
        "  Latency Distribution",
        "     50%    1.77s ",
        "     75%    1.88s ",
        "     90%    1.97s ",
        "     99%    1.99s ",
        "  345 requests in 20.07s, 8.66MB read",
        "  Socket errors: connect 0, read 0, write 0, timeout 308",
        "Requests/sec:     17.19",
        "Transfer/sec:    442.00KB",
        "status 200 345",
        "",
    ]
)
# Captured the same way with a session cookie the server does not know: every answer is the
# redirect to the login page, which wrk itself does not count as an error.
WRK_LOST_SESSION = "\n".join(
    [
        "Running 3s test @ http://127.0.0.1:60783/inbox/",
        "  2 threads and 64 connections",
        "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
        "    Latency    93.14ms  155.39ms   1.56s    97.39%",
        "    Req/Sec   445.39    243.48     1.07k    77.97%",
        "  Latency Distribution",
        "     50%   76.88ms",
        "     75%   99.23ms",
        "     90%  135.92ms",
        "     99%    1.05s ",
        "  2639 requests in 3.01s, 1.21MB read",
        "Requests/sec:    876.86",
        "Transfer/sec:    410.17KB",
        "status 302 2639",
        "",
    ]
)


@pytest.fixture
def tiny(db: None) -> dict[str, int]:
    return bench_generate("tiny", seed=1, today=TODAY, out=lambda _line: None)


@pytest.fixture
def office(tiny: dict[str, int]) -> User:
    return User.objects.get(username="vanphong")


def _counts(totals: dict[str, int]) -> dict[str, int]:
    return {key: totals[key] for key in [*TaskStatus.values, "key_overdue"]}


def _floor_totals_by_agency(groups: list[tuple]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for _document, lead, _key, status, n, *_rest in groups:
        if status != TaskStatus.CANCELLED:
            totals[lead] = totals.get(lead, 0) + n
    return totals


def test_review_floor_gives_the_reviews_figures_for_last_month(tiny: dict[str, int]) -> None:
    period = last_full_month(TODAY)
    figures = review_figures(period, Scope("all"), now=NOW)
    floor = review_floor(period, TODAY)

    assert period.code == "2026-10"
    assert figures["totals"]["assigned"] > 0
    assert figures["overdue"]  # lists worth comparing
    assert figures["obstacles"]
    assert _counts(figures["totals"]) == floor_totals(floor["groups"])
    assert _counts(figures["previous_totals"]) == floor_totals(floor["previous_groups"])
    assert {r["agency_id"]: r["total"] for r in figures["by_agency"]} == _floor_totals_by_agency(
        floor["groups"]
    )
    assert [r["task_id"] for r in figures["overdue"]] == [r[0] for r in floor["overdue"]]
    assert [r["obstacle_id"] for r in figures["obstacles"]] == [r[0] for r in floor["obstacles"]]
    assert floor_agrees(figures, floor)


def test_review_floor_reads_leads_and_deadlines_as_they_stood_on_the_day(
    tiny: dict[str, int],
) -> None:
    """A transfer and an extension decided after the review's day change nothing for that day;
    an extension decided before it takes a task out of the overdue list."""
    period = last_full_month(TODAY)
    day = period.end
    before = review_figures(period, Scope("all"), now=NOW)
    moved, extended = (Task.objects.get(pk=r["task_id"]) for r in before["overdue"][:2])
    old_lead = moved.lead_agency_id
    new_lead = Task.objects.exclude(lead_agency_id=old_lead).values_list("lead_agency_id").first()
    assert new_lead is not None
    LeadTransfer.objects.create(
        task=moved,
        from_agency_id=old_lead,
        to_agency_id=new_lead[0],
        transferred_on=day + dt.timedelta(days=5),
    )
    new_due = day + dt.timedelta(days=60)
    for task, decided_on in ((moved, day + dt.timedelta(days=10)), (extended, day)):
        Extension.objects.create(
            task=task,
            requested_on=decided_on,
            previous_due_on=task.extended_due_on or task.due_on,
            requested_due_on=new_due,
            reason="Chờ ý kiến",
            decision=Decision.APPROVED,
            decided_on=decided_on,
        )
    Task.objects.filter(pk__in=[moved.pk, extended.pk]).update(extended_due_on=new_due)
    Task.objects.filter(pk=moved.pk).update(lead_agency_id=new_lead[0])

    figures = review_figures(period, Scope("all"), now=NOW)
    floor = review_floor(period, TODAY)

    overdue = {r["task_id"]: r["agency_id"] for r in figures["overdue"]}
    assert overdue[moved.pk] == old_lead
    assert extended.pk not in overdue
    assert {r[0]: r[4] for r in floor["overdue"]} == overdue
    assert _counts(figures["totals"]) == floor_totals(floor["groups"])
    assert floor_agrees(figures, floor)


def test_import_workbook_is_taken_whole_by_the_importer(office: User) -> None:
    valid, _broken = import_workbooks(50, office, broken_row=45)
    tasks, links = Task.objects.count(), Coordination.objects.count()

    result = import_tasks(io.BytesIO(valid), office, today=TODAY)

    assert result.errors == []
    assert result.created == 50
    assert Task.objects.count() == tasks + 50
    assert Coordination.objects.count() > links
    sheet = load_workbook(io.BytesIO(valid), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 50
    for symbol, _clause, content, *_rest in rows[:10]:
        task = Task.objects.select_related("document").get(title=content)
        assert task.document is not None
        assert task.document.symbol == symbol


def test_broken_import_workbook_is_refused_with_nothing_written(office: User) -> None:
    _valid, broken = import_workbooks(50, office, broken_row=45)
    written = Task.objects.count(), Coordination.objects.count(), AuditEntry.objects.count()

    result = import_tasks(io.BytesIO(broken), office, today=TODAY)

    assert result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(46, "Cơ quan chủ trì")]
    assert BAD_LEAD in result.errors[0].message
    assert (
        Task.objects.count(),
        Coordination.objects.count(),
        AuditEntry.objects.count(),
    ) == written


def test_wrk_output_is_read_with_timeouts_as_errors() -> None:
    parsed = parse_wrk(WRK_SLOW)

    assert parsed["requests"] == 345
    assert parsed["duration_s"] == 20.07
    assert parsed["requests_per_s"] == 17.19
    assert parsed["latency"] == {
        "p50_ms": 1770.0,
        "p75_ms": 1880.0,
        "p90_ms": 1970.0,
        "p99_ms": 1990.0,
    }
    assert parsed["socket_errors"]["timeout"] == 308
    assert parsed["statuses"] == {200: 345}
    assert parsed["errors"] == 308


def test_a_lost_session_counts_every_redirect_as_an_error() -> None:
    parsed = parse_wrk(WRK_LOST_SESSION)

    assert parsed["requests_per_s"] == 876.86  # fast, because it only ever answered a redirect
    assert parsed["wrk_non_2xx_3xx"] == 0  # and wrk alone would call that a clean run
    assert parsed["errors"] == 2639
    table = jobs_markdown_table({"summary": summary({"throughput": {**parsed, "connections": 64}})})
    assert "| throughput | inbox, 64 connections (requests/s) | 876.86 | ≥ 200 | **no** |" in table
    assert "| throughput | errors: non-2xx + socket | 2639 | 0 | **no** |" in table


def test_wrk_output_without_a_summary_is_refused() -> None:
    with pytest.raises(ValueError, match="not a wrk summary"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused\n")


@pytest.mark.django_db
def test_outbox_bench_sends_each_message_once_to_a_real_smtp_server() -> None:
    """Django's SMTP backend against the bench's SMTP sink (a child process): 120 e-mails in
    batches of 100 go through two SMTP sessions, each received exactly once."""
    from dondoc.bench.outbox import bench_outbox

    report = bench_outbox(messages=120, runs=1)
    run = report["runs"][0]
    assert (run["sent"], run["received"], run["smtp_sessions"]) == (120, 120, 2)
    assert report["exactly_once"]
    assert not User.objects.filter(username="bench-outbox").exists()  # cleaned up after
