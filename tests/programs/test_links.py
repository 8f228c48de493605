"""A decided document and the program item that produced it link to each other, and each task
its approval assigned records the item: the item page lists the tasks, the task page and the
document page name the item."""

import datetime as dt

import pytest
from django.urls import reverse

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs import services
from dondoc.programs.models import ItemState, ProgramItem
from dondoc.programs.services import Assignment, Outcome
from dondoc.tracking.models import Document, Task
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(fixed_day, item, leader, lead_agency, coord_agency) -> ProgramItem:
    ProgramItem.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED, submitted_on=TODAY)
    item.refresh_from_db()
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    outcome = Outcome("12-NQ/TW", TODAY, "Nghị quyết về tổ chức bộ máy", politburo, (
        Assignment("Xây dựng kế hoạch thực hiện", lead_agency, dt.date(2027, 1, 31)),
        Assignment("Sơ kết một năm", coord_agency, dt.date(2027, 12, 31)),
    ))  # fmt: skip
    services.item_decide(leader, item, approve=True, outcome=outcome)
    item.refresh_from_db()
    return item


def test_each_task_of_the_approval_records_its_source_item(approved):
    tasks = Task.objects.filter(document__symbol="12-NQ/TW")
    assert tasks.count() == 2
    assert set(tasks.values_list("program_item", flat=True)) == {approved.pk}
    assert list(approved.tasks.order_by("due_on").values_list("title", flat=True)) == [
        "Xây dựng kế hoạch thực hiện",
        "Sơ kết một năm",
    ]


def test_the_task_page_names_the_item_and_links_to_it(approved, lead_focal):
    task = Task.objects.get(title="Xây dựng kế hoạch thực hiện")
    page = signed_in(lead_focal).get(reverse("tracking:task_detail", args=[task.pk]))
    item_url = reverse("programs:item_detail", args=[approved.pk])
    assert f'href="{item_url}"' in page.content.decode()
    assert approved.title in page.content.decode()


def test_a_task_without_a_source_item_says_nothing_of_programs(approved, lead_focal):
    plain = Task.objects.get(title="Xây dựng kế hoạch thực hiện")
    Task.objects.filter(pk=plain.pk).update(program_item=None)
    page = signed_in(lead_focal).get(reverse("tracking:task_detail", args=[plain.pk]))
    assert "Đề án, nội dung chương trình" not in page.content.decode()


def test_the_document_page_links_back_to_the_item(approved, office_user):
    document = Document.objects.get(symbol="12-NQ/TW")
    page = signed_in(office_user).get(reverse("tracking:document_detail", args=[document.pk]))
    assert f'href="{reverse("programs:item_detail", args=[approved.pk])}"' in page.content.decode()


def test_the_item_page_lists_the_tasks_the_reader_may_see_in_tracking(
    approved, lead_focal, office_user
):
    url = reverse("programs:item_detail", args=[approved.pk])
    mine = Task.objects.get(title="Xây dựng kế hoạch thực hiện")
    theirs = Task.objects.get(title="Sơ kết một năm")
    office_page = signed_in(office_user).get(url).content.decode()
    assert reverse("tracking:task_detail", args=[mine.pk]) in office_page
    assert reverse("tracking:task_detail", args=[theirs.pk]) in office_page
    # The lead agency sees its own task in tracking, not the coordinating agency's.
    lead_page = signed_in(lead_focal).get(url).content.decode()
    assert reverse("tracking:task_detail", args=[mine.pk]) in lead_page
    assert reverse("tracking:task_detail", args=[theirs.pk]) not in lead_page


def test_tracking_pages_name_the_item_only_to_those_who_may_see_it(
    approved, office_user, other_agency, other_focal
):
    """A task assigned to an agency that neither leads, coordinates nor commented on the item:
    that agency sees the task and its document in tracking, not the item (its own rule)."""
    task = Task.objects.get(title="Sơ kết một năm")
    Task.objects.filter(pk=task.pk).update(lead_agency=other_agency)
    task.coordinating_agencies.clear()
    item_link = f'href="{reverse("programs:item_detail", args=[approved.pk])}"'
    document = Document.objects.get(symbol="12-NQ/TW")
    client = signed_in(other_focal)
    task_page = client.get(reverse("tracking:task_detail", args=[task.pk]))
    assert task_page.status_code == 200
    assert item_link not in task_page.content.decode()
    assert approved.title not in task_page.content.decode()
    document_page = client.get(reverse("tracking:document_detail", args=[document.pk]))
    assert document_page.status_code == 200
    assert item_link not in document_page.content.decode()
    # The office, which sees the item, is shown it on both pages.
    office = signed_in(office_user)
    assert item_link in office.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    assert item_link in office.get(reverse("tracking:document_detail", args=[document.pk])).text
