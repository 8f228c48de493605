"""Tallies (`tracking.tallies`): kept by the services equal to a count from the tasks, never
showing a user a task they may not see, never a stale status, invalidated per agency."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.core.access import ActionRefused
from dondoc.dashboards.selectors import leader_figures
from dondoc.tracking import services
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import (
    DeadlineKind,
    Document,
    DocumentType,
    MonthTally,
    Obstacle,
    Task,
    TaskTally,
)
from dondoc.tracking.selectors import status_counts
from dondoc.tracking.status import TaskStatus
from dondoc.tracking.tallies import figures_version, tallies_for, tallies_rebuild
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient
from tests.conftest import make_user

D = dt.timedelta
TALLY_FIELDS = ("lead_agency_id", "classification", "is_key", "strategic_document_id",
                "deadline_kind", "due_on", "late", "created_on", "reported_done_on",
                "accepted_on", "cancelled_on")  # fmt: skip


def tallied() -> tuple[Counter, Counter]:
    """Every tally, as counts per key (the same key may be written in two rows)."""
    tasks: Counter = Counter()
    for row in TaskTally.objects.values_list(*TALLY_FIELDS, "tasks", "late_days"):
        tasks[(*row[:-2], "tasks")] += row[-2]
        tasks[(*row[:-2], "late_days")] += row[-1]
    months: Counter = Counter()
    for row in MonthTally.objects.values_list("lead_agency_id", "classification", "day",
                                              "done", "overdue"):  # fmt: skip
        months[(*row[:3], "done")] += row[3]
        months[(*row[:3], "overdue")] += row[4]
    return +tasks, +months


def recounted(today: dt.date) -> tuple[Counter, Counter]:
    tallies_rebuild(today)
    return tallied()


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def strategic(office_user) -> Document:
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    return Document.objects.create(
        symbol="57-NQ/TW", number=57, doc_type=DocumentType.RESOLUTION, issuer_code="TW",
        issuing_body=politburo, term="XIII", issued_on=dt.date(2024, 12, 22),
        title="Về đột phá phát triển khoa học, công nghệ", is_strategic=True,
    )  # fmt: skip


@pytest.fixture
def many(office_user, lead_agency, other_agency, office_agency, strategic, today):
    """Tasks of every kind of deadline, two lead agencies, coordinators, key and secret ones."""
    rng = random.Random(17)
    tasks = []
    for n in range(24):
        lead = (lead_agency, other_agency)[n % 2]
        ongoing = n % 7 == 0
        tasks.append(
            services.task_create(
                office_user,
                title=f"Nhiệm vụ {n}",
                lead_agency=lead,
                coordinating_agencies=[office_agency] if n % 3 == 0 else [],
                document=strategic if n % 4 == 0 else None,
                deadline_kind=DeadlineKind.ONGOING if ongoing else DeadlineKind.DATE,
                due_on=None if ongoing else today + D(days=rng.randint(-60, 60)),
                is_key=n % 5 == 0,
                classification=Clearance.SECRET if n % 6 == 1 else Clearance.NORMAL,
                created_on=today - D(days=rng.randint(70, 400)),
            )
        )
    return tasks


def random_change(rng, task, actors, today):  # noqa: C901 — one branch per service
    office, leads = actors["office"], actors["focal"]
    task.refresh_from_db()
    focal = leads[task.lead_agency_id]
    kind = rng.choice(["report", "final", "accept", "return", "cancel", "extend", "edit",
                       "obstacle", "move"])  # fmt: skip
    day = today - D(days=rng.choice([0, 0, 0, 3, 40]))
    if kind == "report":
        services.task_report_progress(
            focal, task, percent=rng.randint(1, 90), narrative="Đang làm", day=day
        )
    elif kind == "final":
        services.task_report_progress(focal, task, percent=100, narrative="Xong", is_final=True,
                                      product="Báo cáo", day=day)  # fmt: skip
    elif kind == "accept":
        services.task_accept(office, task)
    elif kind == "return":
        services.task_return(office, task, reason="Chưa đủ")
    elif kind == "cancel":
        services.task_cancel(office, task, reason="Điều chỉnh", day=day)
    elif kind == "extend":
        current = task.extended_due_on or task.due_on
        if current is None:
            return
        extension = services.extension_request(
            focal, task, requested_due_on=current + D(days=rng.randint(1, 30)), reason="Cần thêm"
        )
        services.extension_decide(office, extension, approve=rng.random() < 0.7, reason="Không")
    elif kind == "edit":
        changes = {"is_key": not task.is_key, "due_on": today + D(days=rng.randint(-10, 10))}
        if task.deadline_kind == DeadlineKind.ONGOING:
            changes.pop("due_on")
        services.task_update(office, task, version=task.version, **changes)
    elif kind == "obstacle":
        services.obstacle_raise(focal, task, text="Vướng", beyond_authority=rng.random() < 0.5)
    else:
        target = rng.choice([a for a in leads if a != task.lead_agency_id])
        services.task_update(office, task, version=task.version,
                             lead_agency=Agency.objects.get(pk=target))  # fmt: skip


def test_tallies_kept_by_the_services_equal_a_count_from_the_tasks(
    many, office_user, lead_focal, other_focal, lead_agency, other_agency, today
):
    tallies_rebuild(today)
    rng = random.Random(2026)
    actors = {"office": office_user,
              "focal": {lead_agency.pk: lead_focal, other_agency.pk: other_focal}}  # fmt: skip
    applied = 0
    for _step in range(80):
        try:
            random_change(rng, rng.choice(many), actors, today)
            applied += 1
        except (ActionRefused, services.ValidationError):
            continue  # refused by the task's state: nothing changed
    assert applied > 40
    kept = tallied()
    assert kept == recounted(today)
    leader = make_user("lanhdao2", office_user.agency, RoleCode.LEADER, clearance=Clearance.SECRET)
    for day in (today, timezone.localdate().replace(day=1) if today.day == 1 else today):
        assert tallies_for(leader, day).status_counts() == status_counts(
            tasks_visible_to(leader), day
        )


def test_the_window_holds_for_every_day_until_the_end_of_the_month(many, office_user, today):
    tallies_rebuild(today)
    tallies = tallies_for(office_user, today)
    assert tallies is not None
    day = today
    while day.month == today.month:
        counted = status_counts(tasks_visible_to(office_user), day)
        assert tallies_for(office_user, day).status_counts() == counted, day
        day += D(days=1)
    assert tallies_for(office_user, day) is None  # next month: counted from the tasks
    assert tallies_for(office_user, today - D(days=1)) is None


def test_the_rebuild_command_counts_the_tallies(many, today, capsys):
    TaskTally.objects.all().delete()
    call_command("tallies", "rebuild")
    assert "tally rows" in capsys.readouterr().out
    assert sum(TaskTally.objects.values_list("tasks", flat=True)) == Task.objects.count()


# What a user may see ---------------------------------------------------------------------------


def test_tallies_never_count_a_task_above_the_users_clearance(office_user, lead_agency, today):
    top = make_user("tuyetmat", office_user.agency, RoleCode.OFFICE, clearance=Clearance.TOP_SECRET)
    normal = make_user("thuong", office_user.agency, RoleCode.OFFICE, clearance=Clearance.NORMAL)
    services.task_create(top, title="Mật", lead_agency=lead_agency, due_on=today - D(days=1),
                         classification=Clearance.SECRET)  # fmt: skip
    services.task_create(top, title="Thường", lead_agency=lead_agency, due_on=today + D(days=30))
    tallies_rebuild(today)
    assert tallies_for(normal, today).status_counts()["total"] == 1
    assert tallies_for(top, today).status_counts()[TaskStatus.OVERDUE] == 1
    figures = leader_figures(normal, today)
    assert (figures["total"], figures["overdue_count"]) == (1, 0)
    assert figures["top_agencies"] == []
    body = ApiClient(services_token(normal)).get("stats/overview").json()
    assert body["counts"]["total"] == 1
    assert body["by_lead_agency"][0]["counts"][TaskStatus.OVERDUE] == 0


def services_token(user) -> str:
    from dondoc.api.services import token_create

    return token_create(user, name="tests")[1]


def test_an_agency_is_never_counted_from_the_tallies(
    many, lead_focal, lead_agency, office_agency, today
):
    tallies_rebuild(today)
    assert tallies_for(lead_focal, today) is None  # it sees the tasks it leads or coordinates
    body = ApiClient(services_token(lead_focal)).get("stats/overview").json()
    visible = tasks_visible_to(lead_focal)
    assert body["counts"]["total"] == visible.count() < Task.objects.count()


# Never stale -----------------------------------------------------------------------------------


def test_a_change_shows_at_once_on_the_dashboard_counted_from_the_tallies(
    office_user, leader, lead_focal, lead_agency, today
):
    task = services.task_create(office_user, title="Một", lead_agency=lead_agency,
                                due_on=today - D(days=2))  # fmt: skip
    tallies_rebuild(today)
    client = signed_in(leader)
    assert client.get(reverse("dashboards:leader")).context["overdue_count"] == 1
    services.task_report_progress(lead_focal, task, percent=100, narrative="Xong", is_final=True,
                                  product="Báo cáo")  # fmt: skip
    context = client.get(reverse("dashboards:leader")).context
    assert context["overdue_count"] == 0
    counts = {s.status: s.count for s in context["slices"]}
    assert counts[TaskStatus.AWAITING_ACCEPTANCE] == 1
    task.refresh_from_db()
    services.task_accept(office_user, task)
    counts = {s.status: s.count for s in client.get(reverse("dashboards:leader")).context["slices"]}
    assert counts[TaskStatus.DONE_LATE] == 1
    assert TaskTally.objects.filter(accepted_on=today).exists()  # kept, not rebuilt


def test_a_change_elsewhere_keeps_an_agencys_figures_version(
    office_user, lead_focal, lead_agency, other_agency, office_agency, today
):
    own = services.task_create(office_user, title="Của Ban", lead_agency=lead_agency,
                               due_on=today + D(days=20))  # fmt: skip
    coordinated = services.task_create(office_user, title="Phối hợp", lead_agency=other_agency,
                                       coordinating_agencies=[lead_agency], due_on=today)  # fmt: skip
    elsewhere = services.task_create(office_user, title="Nơi khác", lead_agency=other_agency,
                                     due_on=today + D(days=20))  # fmt: skip
    version, everyone = figures_version(lead_focal), figures_version(office_user)
    services.task_cancel(office_user, elsewhere, reason="Điều chỉnh")
    assert figures_version(lead_focal) == version
    assert figures_version(office_user) > everyone
    services.task_cancel(office_user, coordinated, reason="Điều chỉnh")
    assert figures_version(lead_focal) > version
    version = figures_version(lead_focal)
    services.task_cancel(office_user, own, reason="Điều chỉnh")
    assert figures_version(lead_focal) > version


def test_an_obstacle_moves_the_figures_on(office_user, leader, lead_focal, lead_agency, today):
    task = services.task_create(office_user, title="Một", lead_agency=lead_agency,
                                due_on=today + D(days=20))  # fmt: skip
    tallies_rebuild(today)
    client = signed_in(leader)
    assert client.get(reverse("dashboards:leader")).context["obstacles"].count == 0
    services.obstacle_raise(lead_focal, task, text="Vướng", beyond_authority=True)
    assert client.get(reverse("dashboards:leader")).context["obstacles"].count == 1
    assert Obstacle.objects.count() == 1


# Query counts ----------------------------------------------------------------------------------


def test_a_change_recounts_in_a_fixed_number_of_queries(
    many, office_user, lead_agency, today, django_assert_num_queries
):
    tallies_rebuild(today)
    task = many[2]
    # 13 for the cancellation and its audit entry; 11 for the tallies: the coordinators, the
    # audit head's lock (held already; taken first so writers lock in one order), the two
    # versions, the window, then one agency's rows deleted, counted and written (tasks, months)
    with django_assert_num_queries(24):
        services.task_cancel(office_user, task, reason="Điều chỉnh")


def test_the_overview_from_tallies_is_a_fixed_number_of_queries(
    many, office_user, today, django_assert_num_queries, settings
):
    settings.FIGURES_CACHE = False
    tallies_rebuild(today)
    client = ApiClient(services_token(office_user))
    with django_assert_num_queries(7):  # address + token (4), the window, the counts, the names
        assert client.get("stats/overview").status_code == 200


# The task list's counts --------------------------------------------------------------------


def list_context(user, **query):
    response = signed_in(user).get(reverse("tracking:task_list"), query)
    assert response.status_code == 200
    return response.context


@pytest.mark.parametrize(
    "query", [{}, {"lead": "BTCTW"}, {"key": "1", "status": "overdue"}, {"strategic": "1"}]
)
def test_the_task_lists_counts_from_the_tallies_equal_a_count(many, office_user, today, query):
    counted = list_context(office_user, **query)
    tallies_rebuild(today)
    tallied = list_context(office_user, **query)
    assert tallied["counts"] == counted["counts"]
    assert tallied["page"].paginator.count == counted["page"].paginator.count
    assert [t.pk for t in tallied["page"]] == [t.pk for t in counted["page"]]


def test_the_task_list_counted_from_the_tallies_is_a_fixed_number_of_queries(
    many, office_user, today, django_assert_max_num_queries
):
    tallies_rebuild(today)
    client = signed_in(office_user)
    with django_assert_max_num_queries(14):
        client.get(reverse("tracking:task_list"), {"lead": "BTCTW", "status": "overdue"})


def test_a_focal_points_list_counts_only_its_agencys_tasks(many, lead_focal, today):
    tallies_rebuild(today)
    context = list_context(lead_focal)
    assert context["counts"]["total"] == tasks_visible_to(lead_focal).count() < Task.objects.count()


def test_a_broad_search_says_more_than_the_cap(many, office_user, today, monkeypatch):
    from dondoc.tracking import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 20)
    context = list_context(office_user, q="nhiem vu")  # every task
    assert context["counted"].capped
    assert context["counts"] == {}
    page = signed_in(office_user).get(reverse("tracking:task_list"), {"q": "nhiem vu"})
    assert "hơn 20 nhiệm vụ" in page.content.decode()
    narrow = list_context(office_user, q="nhiem vu 1")  # 1, 10 to 19, 21
    assert not narrow["counted"].capped
    assert narrow["counts"]["total"] == 12
