"""The figures of a review match a hand count, come from dated facts only, and are reproducible."""

import copy
import datetime as dt
import json
import random
import types
from collections import Counter

import pytest
from django.db import connection

from dondoc.accounts.models import RoleCode
from dondoc.agencies.models import Agency, AgencyKind, ReorganizationKind
from dondoc.agencies.services import AgencyFields, reorganization_record
from dondoc.reviews import figures as figures_module
from dondoc.reviews.content import review_content
from dondoc.reviews.figures import review_figures, status_as_of_expression
from dondoc.reviews.periods import period_parse, scope_parse
from dondoc.tracking import services as tracking
from dondoc.tracking.models import Decision, Extension, LeadTransfer, Task
from dondoc.tracking.selectors import lead_agency_on
from dondoc.tracking.status import status_expression, status_of
from tests.conftest import make_user

from .conftest import NOW, d

OCTOBER = period_parse("2026-10")


def october(scope: str = "all", **kwargs):
    return review_figures(OCTOBER, scope_parse(scope), now=NOW, **kwargs)


def without_moment(figures: dict) -> dict:
    return {k: v for k, v in json.loads(json.dumps(figures)).items() if k != "computed_at"}


def test_totals_match_the_hand_count(world):
    f = october()
    assert f["as_of"] == "2026-10-31"
    assert f["previous"]["code"] == "2026-09"
    assert f["previous_as_of"] == "2026-09-30"
    t = f["totals"]
    assert {s: t[s] for s in ("done_on_time", "done_late", "awaiting_acceptance", "open_on_time",
                              "due_soon", "overdue", "ongoing", "cancelled")} == {
        "done_on_time": 1, "done_late": 1, "awaiting_acceptance": 1, "open_on_time": 1,
        "due_soon": 2, "overdue": 3, "ongoing": 1, "cancelled": 1,
    }  # fmt: skip
    assert (t["assigned"], t["required"], t["done"], t["not_done"]) == (11, 10, 2, 7)
    assert (t["overdue_share"], t["done_share"], t["key_overdue"]) == (30.0, 20.0, 1)
    assert t["shares"]["due_soon"] == 20.0


def test_previous_period_and_change_match_the_hand_count(world):
    f = october()
    p = f["previous_totals"]
    assert (p["done_on_time"], p["open_on_time"], p["due_soon"], p["overdue"], p["cancelled"]) == (
        1, 5, 1, 3, 0,
    )  # fmt: skip
    assert (p["assigned"], p["required"], p["overdue_share"]) == (11, 11, 27.27)
    c = f["change"]
    assert (c["overdue"], c["done_late"], c["cancelled"], c["open_on_time"]) == (0, 1, 1, -4)
    assert c["overdue_share"] == 2.73


def test_table_by_document_matches_the_hand_count(world):
    rows = {r["label"]: r for r in october()["by_document"]}
    keys = ("total", "done_on_time", "done_late", "in_time", "awaiting_acceptance", "overdue",
            "overdue_share", "cancelled")  # fmt: skip
    assert [rows["Nghị quyết số 57-NQ/TW"][k] for k in keys] == [5, 1, 1, 2, 0, 1, 20.0, 0]
    assert [rows["Chỉ thị số 45-CT/TW"][k] for k in keys] == [4, 0, 0, 2, 1, 1, 25.0, 1]
    assert [rows["Ý kiến chỉ đạo và nhiệm vụ khác"][k] for k in keys] == [
        1,
        0,
        0,
        0,
        0,
        1,
        100.0,
        0,
    ]
    assert list(rows)[-1] == "Ý kiến chỉ đạo và nhiệm vụ khác"


def test_table_by_lead_agency_matches_the_hand_count_most_overdue_first(world):
    rows = october()["by_agency"]
    keys = ("code", "total", "done_on_time", "done_late", "in_time", "awaiting_acceptance",
            "overdue", "overdue_share")  # fmt: skip
    assert [[r[k] for k in keys] for r in rows] == [
        ["BTCTW", 6, 1, 1, 2, 0, 2, 33.33],
        ["HANOI", 4, 0, 0, 2, 1, 1, 25.0],
    ]
    assert rows[1]["name"] == "Thành ủy Hà Nội"


def test_lists_of_overdue_tasks_obstacles_and_extensions(world):
    f = october()
    assert [
        (r["title"][:3], r["days_overdue"], r["deadline"], r["agency"]) for r in f["overdue"]
    ] == [
        ("T12", 41, "2026-09-20", "Ban Tổ chức Trung ương"),
        ("T9 ", 30, "2026-10-01", "Ban Tổ chức Trung ương"),
        ("T3 ", 11, "2026-10-20", "Thành ủy Hà Nội"),
    ]
    assert f["overdue"][1]["is_key"] is True
    assert f["overdue"][1]["document"] == ""
    assert [(r["obstacle_id"], r["days_waiting"]) for r in f["obstacles"]] == [
        (world.obstacles["O1"].pk, 21),
        (world.obstacles["O3"].pk, 6),
    ]
    assert f["obstacles"][0]["agency"] == "Thành ủy Hà Nội"
    assert [(r["task"][:2], r["previous_due_on"], r["requested_due_on"], r["days_added"])
            for r in f["extensions"]] == [("T4", "2026-10-20", "2026-11-30", 41)]  # fmt: skip


@pytest.mark.parametrize(
    ("scope", "required", "overdue"),
    [
        ("strategic", 5, 1),
        ("document:57-NQ/TW", 5, 1),
        ("issuer:BBT", 4, 1),
        ("issuer:BCT", 5, 1),
        ("agency:BTCTW", 6, 2),
        ("agency:HANOI", 4, 1),
    ],
)
def test_scopes_count_their_own_tasks(world, scope, required, overdue):
    t = october(scope)["totals"]
    assert (t["required"], t["overdue"]) == (required, overdue)


def test_status_as_of_a_day_agrees_with_the_tracking_rules_when_no_later_fact_exists(world):
    day = d(26, 11)  # every fact of the world is dated on or before this day
    rows = Task.objects.annotate(as_of=status_as_of_expression(day), now=status_expression(day))
    for task in rows:
        assert task.as_of == task.now == status_of(task, day), task.title


def test_figures_for_a_past_day_do_not_change_when_later_facts_arrive(world, office_user):
    before = october()
    t = world.tasks
    # After 31/10: T3 extended, T6 accepted, T11 reported and accepted, T5 cancelled, O1 answered.
    lead_focal = make_user("daumoi.t3", t["T3"].lead_agency, RoleCode.FOCAL)
    extension = tracking.extension_request(
        lead_focal, t["T3"], requested_due_on=d(31, 12), reason="Thêm thời gian.", day=d(8, 11)
    )
    tracking.extension_decide(office_user, extension, approve=True, reason="", day=d(10, 11))
    tracking.task_accept(office_user, t["T6"], day=d(5, 11))
    Task.objects.filter(pk=t["T11"].pk).update(reported_done_on=d(2, 11), accepted_on=d(3, 11))
    tracking.task_cancel(office_user, Task.objects.get(pk=t["T5"].pk), reason="Điều chỉnh.",
                         day=d(15, 11))  # fmt: skip
    tracking.obstacle_answer(office_user, world.obstacles["O1"], answer="Đã họp.", day=d(20, 11))
    assert Task.objects.get(pk=t["T3"].pk).extended_due_on == d(31, 12)
    after = october()
    assert without_moment(after) == without_moment(before)
    # …while November sees them.
    november = review_figures(period_parse("2026-11"), scope_parse("all"), now=NOW)
    assert november["totals"]["cancelled"] == 2
    assert [r["task_id"] for r in november["extensions"]] == [t["T3"].pk]


def test_an_approved_extension_counts_only_from_the_day_it_was_decided(world):
    task = world.tasks["T3"]
    Extension.objects.create(
        task=task, requested_on=d(25, 10), previous_due_on=d(20, 10), requested_due_on=d(15, 12),
        reason="Chờ ý kiến.", decision=Decision.APPROVED, decided_on=d(1, 11),
    )  # fmt: skip
    Task.objects.filter(pk=task.pk).update(extended_due_on=d(15, 12))
    assert october()["totals"]["overdue"] == 3  # decided after the day: still overdue then
    november = review_figures(period_parse("2026-11"), scope_parse("all"), now=NOW)
    assert task.pk not in [r["task_id"] for r in november["overdue"]]


def test_lead_agency_is_the_one_of_that_day_after_a_merge(world):
    hatay = Agency.objects.create(code="HATAY", name="Tỉnh ủy Hà Tây", kind=AgencyKind.PROVINCE)
    reorganization_record(
        None,
        kind=ReorganizationKind.MERGE,
        effective_on=d(15, 11),
        predecessors=[world.hanoi, hatay],
        successors=[],
        new_successor=AgencyFields(code="HANOI2", name="Thành ủy Hà Nội (mới)",
                                   kind=AgencyKind.PROVINCE),
    )  # fmt: skip
    successor = Agency.objects.get(code="HANOI2")
    moved = set(LeadTransfer.objects.values_list("task_id", flat=True))
    assert moved == {world.tasks[n].pk for n in ("T3", "T4", "T6", "T11")}
    f = october()
    assert [(r["code"], r["total"], r["overdue"]) for r in f["by_agency"]] == [
        ("BTCTW", 6, 2),
        ("HANOI", 4, 1),
    ]
    assert f["overdue"][-1]["agency"] == "Thành ủy Hà Nội"
    assert [(r["task"][:2], r["agency"]) for r in f["extensions"]] == [("T4", "Thành ủy Hà Nội")]
    assert october("agency:HANOI")["totals"]["required"] == 4
    assert october("agency:HANOI2")["totals"]["assigned"] == 0
    november = review_figures(period_parse("2026-11"), scope_parse("all"), now=NOW)
    by_code = {r["code"]: r for r in november["by_agency"]}
    assert by_code["HANOI2"]["total"] == 4 - 0  # T3, T4, T6, T11 moved; T8 was cancelled
    assert by_code["HANOI"]["total"] == 0
    assert by_code["HANOI"]["cancelled"] == 1
    assert successor.pk == by_code["HANOI2"]["agency_id"]
    # the previous period is counted with the leads of its own last day (31/10: before the merge)
    hanoi2 = review_figures(period_parse("2026-11"), scope_parse("agency:HANOI2"), now=NOW)
    assert hanoi2["totals"]["assigned"] == 4
    assert hanoi2["previous_totals"]["assigned"] == 0
    hanoi = review_figures(period_parse("2026-11"), scope_parse("agency:HANOI"), now=NOW)
    assert hanoi["previous_totals"] == october("agency:HANOI")["totals"]


def test_counting_takes_a_few_queries_whatever_the_number_of_tasks(
    world, django_assert_max_num_queries
):
    for n in range(40):
        Task.objects.create(title=f"Thêm {n}", lead_agency=world.btctw, document=world.nq57,
                            due_on=d(1, 10), created_on=d(1, 8))  # fmt: skip
    # 6 for the figures (the counts, the previous period's and the overdue list in one
    # statement; on PostgreSQL 2 more around it to turn JIT off and give it memory, then
    # put both back); 3 for the forecast (its one query inside a savepoint); 1 for the
    # programs' adherence section (core.review_sections)
    with django_assert_max_num_queries(12):
        f = october()
    assert f["totals"]["overdue"] == 43


def test_tasks_above_the_requesters_reach_are_left_out(world):
    Task.objects.filter(pk=world.tasks["T3"].pk).update(classification=1)
    everything = october()
    assert everything["classification"] == 1
    visible = october(tasks=Task.objects.filter(classification__lte=0))
    assert visible["totals"]["overdue"] == 2
    assert visible["classification"] == 0


def test_before_the_forecast_has_run_the_section_says_so(world):
    f = october()
    assert f["forecast"] == {"available": False, "rows": []}
    section = review_content(f).sections[-1]
    assert section.title.startswith("VII.")
    assert section.blocks[0].text == "Chưa có dự báo."


def fake_forecast(monkeypatch, tasks_at_risk) -> None:
    """Stand in for the forecast's predictions (`forecast.selectors.tasks_at_risk`)."""
    monkeypatch.setattr(figures_module, "tasks_at_risk", tasks_at_risk)


def test_the_forecast_fills_the_section_with_the_open_tasks_at_risk(world, monkeypatch):
    seen = {}

    def tasks_at_risk(tasks, limit):
        seen["titles"] = sorted(tasks.values_list("title", flat=True))
        return [types.SimpleNamespace(task=world.tasks["T4"], probability=0.71,
                                      reasons=["Cơ quan hay chậm"])]  # fmt: skip

    fake_forecast(monkeypatch, tasks_at_risk)
    f = october()
    assert [title[:3] for title in seen["titles"]] == ["T11", "T4 ", "T5 "]  # open, not overdue
    assert f["forecast"]["available"] is True
    section = review_content(copy.deepcopy(f)).sections[-1]
    assert section.blocks[0].text.startswith("Dự báo tại thời điểm lập báo cáo (26/11/2026)")
    assert section.blocks[1].rows == [
        [1, "T4 Xây dựng đề án", "Thành ủy Hà Nội", "2026-11-30", 71.0, "Cơ quan hay chậm"]
    ]


def test_the_forecast_apps_selector_is_used_and_unlikely_tasks_left_out(world, monkeypatch):
    t = world.tasks

    def tasks_at_risk(tasks, limit):
        ids = set(tasks.values_list("pk", flat=True))
        found = [types.SimpleNamespace(task=t["T4"], probability=0.8, reasons=["Chờ nhau"]),
                 types.SimpleNamespace(task=t["T5"], probability=0.3, reasons=[])]  # fmt: skip
        return [item for item in found if item.task.pk in ids][:limit]

    fake_forecast(monkeypatch, tasks_at_risk)
    rows = october()["forecast"]["rows"]
    assert rows == [{"task_id": t["T4"].pk, "title": "T4 Xây dựng đề án", "agency": "Thành ủy Hà Nội",
                     "deadline": "2026-11-30", "probability": 0.8, "reasons": ["Chờ nhau"]}]  # fmt: skip


@pytest.mark.parametrize("outcome", ["nothing", "failure"])
def test_no_predictions_or_a_failing_forecast_leaves_the_review_without_one(
    world, monkeypatch, outcome
):
    def tasks_at_risk(tasks, limit):
        if outcome == "failure":
            raise RuntimeError("chưa huấn luyện")
        return []

    fake_forecast(monkeypatch, tasks_at_risk)
    f = october()
    assert f["forecast"] == {"available": False, "rows": []}
    assert f["totals"]["overdue"] == 3


def test_random_tasks_count_the_same_as_each_task_asked_one_by_one(world):
    """The one-statement count (`as_of.review_counts`) against each task's status and lead
    on the day asked the slow way (a correlated subquery per task: `status_as_of_expression`,
    `lead_agency_on`), over random tasks, extensions and transfers dated around both days."""
    rng = random.Random(17)
    leads = [world.btctw, world.hanoi]
    documents = [world.nq57, world.ct45, None]

    def around(*days: dt.date) -> dt.date:
        return rng.choice(days) + dt.timedelta(days=rng.randint(-40, 40))

    oct31, sep30 = d(31, 10), d(30, 9)
    for n in range(120):
        due = around(oct31, sep30)
        reported = around(oct31, sep30) if rng.random() < 0.5 else None
        task = Task.objects.create(
            title=f"Ngẫu nhiên {n}", lead_agency=rng.choice(leads), document=rng.choice(documents),
            is_key=rng.random() < 0.2, classification=rng.choice([0, 0, 1]),
            deadline_kind="ongoing" if rng.random() < 0.05 else "date",
            due_on=due, created_on=around(oct31, sep30) - dt.timedelta(days=30),
            reported_done_on=reported,
            accepted_on=reported + dt.timedelta(days=rng.randint(0, 20)) if reported and rng.random() < 0.7 else None,
            cancelled_on=around(oct31, sep30) if rng.random() < 0.08 else None,
        )  # fmt: skip
        for _ in range(rng.choice([0, 0, 1, 2])):
            Extension.objects.create(
                task=task, requested_on=due, previous_due_on=due,
                requested_due_on=due + dt.timedelta(days=rng.randint(5, 60)), reason="r",
                decision=rng.choice([Decision.APPROVED, Decision.APPROVED, Decision.REFUSED]),
                decided_on=around(oct31, sep30),
            )  # fmt: skip
        if rng.random() < 0.1:
            LeadTransfer.objects.create(
                task=task, from_agency=rng.choice(leads), to_agency=task.lead_agency,
                transferred_on=around(oct31, sep30),
            )  # fmt: skip
    f = october()

    def asked(day: dt.date) -> list[dict]:
        return list(
            Task.objects.filter(created_on__lte=day)
            .annotate(status=status_as_of_expression(day), lead=lead_agency_on(day))
            .values("pk", "status", "lead", "document_id", "is_key", "classification")
        )

    now, before = asked(oct31), asked(sep30)
    counts = Counter(row["status"] for row in now)
    assert {s: f["totals"][s] for s in counts} == dict(counts)
    assert f["totals"]["assigned"] == len(now)
    assert f["totals"]["key_overdue"] == sum(
        1 for row in now if row["is_key"] and row["status"] == "overdue"
    )
    assert f["previous_totals"]["assigned"] == len(before)
    previous = Counter(row["status"] for row in before)
    assert {s: f["previous_totals"][s] for s in previous} == dict(previous)
    assert f["classification"] == max(row["classification"] for row in now)
    for key, rows in (("document_id", f["by_document"]), ("agency_id", f["by_agency"])):
        field = "lead" if key == "agency_id" else key
        for row in rows:
            mine = [r for r in now if r[field] == row[key]]
            assert row["overdue"] == sum(1 for r in mine if r["status"] == "overdue")
            assert row["cancelled"] == sum(1 for r in mine if r["status"] == "cancelled")
            assert row["total"] == len(mine) - row["cancelled"]
        assert sum(r["total"] + r["cancelled"] for r in rows) == len(now)
    overdue = sorted((r["pk"], r["lead"]) for r in now if r["status"] == "overdue")
    assert sorted((r["task_id"], r["agency_id"]) for r in f["overdue"]) == overdue


@pytest.mark.skipif(connection.vendor != "postgresql", reason="settings of PostgreSQL")
def test_the_count_leaves_the_connections_settings_as_they_were(world):
    def settings() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
            return cursor.fetchone()

    before = settings()
    assert october()["totals"]["assigned"] == 11
    assert settings() == before
