"""Work and people follow agencies through a merge, on the record as done by whoever recorded it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dondoc.agencies.models import Agency, ReorganizationKind
from dondoc.agencies.services import reorganization_record
from dondoc.audit.models import AuditEntry
from dondoc.tracking.models import Task
from tests.agencies.conftest import signed_in
from tests.conftest import make_user


@pytest.fixture
def successor(db) -> Agency:
    return Agency.objects.create(code="HANOI2", name="Thành ủy Hà Nội (mới)", kind="province")


def open_task(lead: Agency) -> Task:
    today = timezone.localdate()
    return Task.objects.create(
        title="Rà soát quy hoạch", lead_agency=lead, expected_product="",
        due_on=today + dt.timedelta(days=30), created_on=today - dt.timedelta(days=10),
    )  # fmt: skip


def merge(actor, predecessor: Agency, successor: Agency) -> None:
    reorganization_record(
        actor, kind=ReorganizationKind.MERGE, effective_on=timezone.localdate(),
        predecessors=[predecessor], successors=[successor],
    )  # fmt: skip


def test_tasks_moved_by_a_merge_are_audited_as_done_by_whoever_recorded_it(
    admin_user, other_agency, successor
):
    task = open_task(other_agency)
    merge(admin_user, other_agency, successor)
    entry = AuditEntry.objects.get(object_type="tracking.task", object_id=str(task.pk))
    assert (entry.action, entry.actor, entry.agency_id) == ("transfer", admin_user, successor.pk)
    assert entry.changes == {"lead_agency": [other_agency.pk, successor.pk]}


def test_people_moved_by_a_merge_each_get_an_audit_entry_by_whoever_recorded_it(
    admin_user, other_agency, successor
):
    focal = make_user("daumoi.cu", other_agency, "focal")
    head = make_user("truong.cu", other_agency, "head")
    merge(admin_user, other_agency, successor)
    focal.refresh_from_db()
    assert focal.agency == successor
    moved = AuditEntry.objects.filter(object_type="accounts.user", action="user.transfer")
    assert {(e.object_id, e.actor, e.agency_id) for e in moved} == {
        (str(focal.pk), admin_user, successor.pk),
        (str(head.pk), admin_user, successor.pk),
    }
    assert {tuple(e.changes["agency"]) for e in moved} == {(other_agency.pk, successor.pk)}


def test_a_merge_recorded_on_the_agency_page_moves_tasks_and_people_as_that_administrator(
    admin_user, other_agency, successor
):
    task = open_task(other_agency)
    focal = make_user("daumoi.cu", other_agency, "focal")
    response = signed_in(admin_user).post(
        reverse("agencies:reorganize"),
        {"kind": ReorganizationKind.MERGE, "effective_on": timezone.localdate().isoformat(),
         "predecessors": [other_agency.pk], "successors": [successor.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    focal.refresh_from_db()
    assert (task.lead_agency, focal.agency) == (successor, successor)
    actors = AuditEntry.objects.filter(action__in=["transfer", "user.transfer"])
    assert [e.actor for e in actors] == [admin_user, admin_user]


def test_a_split_moves_neither_tasks_nor_people(admin_user, other_agency, successor):
    task = open_task(other_agency)
    focal = make_user("daumoi.cu", other_agency, "focal")
    second = Agency.objects.create(code="HANOI3", name="Thành ủy Hà Nội 3", kind="province")
    reorganization_record(
        admin_user, kind=ReorganizationKind.SPLIT, effective_on=timezone.localdate(),
        predecessors=[other_agency], successors=[successor, second],
    )  # fmt: skip
    task.refresh_from_db()
    focal.refresh_from_db()
    assert (task.lead_agency, focal.agency) == (other_agency, other_agency)
    assert not AuditEntry.objects.filter(action__in=["transfer", "user.transfer"]).exists()
