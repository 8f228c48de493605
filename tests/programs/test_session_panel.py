"""Tracking's page of a working session lists the program items that session considers, each
only to whoever may see it by the items' own rule (role, agency, clearance). Tracking does not
import programs: programs registers the panel (`core.page_panels`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.programs import services
from dondoc.programs.models import ItemKind, ProgramItem
from dondoc.tracking.models import WorkingSession
from tests.agencies.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db) -> WorkingSession:
    return WorkingSession.objects.create(
        held_on="2026-11-20", chair="Đồng chí Thường trực Ban Bí thư",
        topic="Công tác tổ chức bộ máy",
    )  # fmt: skip


@pytest.fixture
def linked(fixed_day, session, item, program, office_user, other_agency):
    """The fixture's item (led by BTCTW), an item led by Hà Nội, and a secret one, all linked."""
    services.item_links_set(office_user, item, responsible_leader="", working_session_id=session.pk)
    hanoi = ProgramItem.objects.create(
        program=program, title="Báo cáo sơ kết của Thành ủy Hà Nội", kind=ItemKind.REPORT,
        planned_month=10, lead_agency=other_agency, working_session=session,
    )  # fmt: skip
    secret = ProgramItem.objects.create(
        program=program, title="Đề án tối mật về nhân sự", kind=ItemKind.PROPOSAL,
        planned_month=11, lead_agency=item.lead_agency, working_session=session,
        classification=Clearance.SECRET,
    )  # fmt: skip
    return item, hanoi, secret


def _session_page(user, session) -> str:
    response = signed_in(user).get(reverse("tracking:session_detail", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_sees_every_item_the_session_considers(linked, session, office_user):
    page = _session_page(office_user, session)
    assert 'id="session-program-items"' in page
    for item in linked:
        assert item.title in page
        assert f'href="{reverse("programs:item_detail", args=[item.pk])}"' in page


def test_an_agency_sees_only_the_items_it_may_see(linked, session, lead_focal, other_focal):
    own, hanoi, secret = linked
    page = _session_page(lead_focal, session)
    assert own.title in page
    assert hanoi.title not in page  # another agency's item
    assert secret.title not in page  # above the focal point's clearance
    page = _session_page(other_focal, session)
    assert hanoi.title in page
    assert own.title not in page


def test_a_session_with_no_item_the_user_may_see_shows_no_panel(linked, session, inspector):
    WorkingSession.objects.create(held_on="2026-11-21", chair="—", topic="Chuyên đề khác")
    other = WorkingSession.objects.get(topic="Chuyên đề khác")
    assert 'id="session-program-items"' not in _session_page(inspector, other)


def test_the_panel_costs_one_query_whatever_the_number_of_items(
    linked, session, office_user, program, lead_agency, django_assert_max_num_queries
):
    client = signed_in(office_user)
    url = reverse("tracking:session_detail", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        ProgramItem.objects.create(
            program=program, title=f"Nội dung {n}", kind=ItemKind.REPORT, planned_month=12,
            lead_agency=lead_agency, working_session=session,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Nội dung 19" in page
