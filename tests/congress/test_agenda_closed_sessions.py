"""A closed session (phiên họp kín) of the published agenda, its items, documents and speeches
reach only those entitled: whoever works the congress, and official delegates whose credentials
were verified; the delegate's page, the API and the downloads go through the one rule. The
published agenda carries the speeches selected at publication, and a later publication
announces what changed in them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.congress import services
from dondoc.congress.models import Credentials, Delegate, SessionKind, Speech
from dondoc.congress.services import SpeechData
from tests.conftest import make_user
from tests.congress.conftest import OPENS
from tests.congress.test_agenda_publish import _download, _pdf, media  # noqa: F401
from tests.congress.test_pages import client_for
from tests.tracking.test_attachments import PDF_BYTES

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
SECRET_ITEM = "Bầu Ban Chấp hành khóa mới"


def _account(secretary, verifier, office_agency, delegate, name, decision=None):
    account = make_user(name, office_agency, RoleCode.FOCAL)
    services.delegate_link_user(secretary, delegate, account)
    if decision is not None:
        services.credentials_decide(verifier, delegate, decision, "Lý do")
    return account


@pytest.fixture
def people(congress, secretary, verifier, office_agency):
    """Delegates with accounts, one per standing of credentials."""
    with time_machine.travel(BEFORE, tick=False):
        officials = list(
            Delegate.objects.filter(congress=congress, standing="official", presidium=False)
        )
        alternate = Delegate.objects.filter(congress=congress, standing="alternate").first()
        link = lambda d, name, decision=None: _account(  # noqa: E731
            secretary, verifier, office_agency, d, name, decision
        )
        return {
            "verified": link(officials[0], "dbchinhthuc", Credentials.VERIFIED),
            "pending": link(officials[1], "dbchotham"),
            "questioned": link(officials[2], "dbcanlamro", Credentials.QUESTIONED),
            "rejected": link(officials[3], "dbkhongdu", Credentials.REJECTED),
            "alternate": link(alternate, "dbdukhuyet", Credentials.VERIFIED),
        }


@pytest.fixture
def closed(congress, secretary, media):  # noqa: F811
    """A closed session with an item, its document and a selected speech; published."""
    with time_machine.travel(BEFORE, tick=False):
        session = services.session_add(
            secretary,
            congress,
            OPENS + dt.timedelta(days=1),
            1,
            "Bầu cử",
            [(SECRET_ITEM, "Ban Tổ chức", 60)],
            kind=SessionKind.CLOSED,
        )
        item = session.items.get()
        services.agenda_document_attach(secretary, item, _pdf(name="danh-sach-de-cu.pdf"))
        speech = services.speech_register(
            secretary,
            congress,
            SpeechData(session, congress.delegations.get(code="HN"), "Tham luận nhân sự kín"),
        )
        services.speech_decide(secretary, speech, "approve")
        services.agenda_publish(secretary, congress)
    return item


def _page(user, congress) -> str:
    return client_for(user).get(reverse("congress:me", args=[congress.pk])).content.decode()


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("verified", True),
        ("pending", False),
        ("questioned", False),
        ("rejected", False),
        ("alternate", False),
    ],
)
def test_a_delegate_sees_a_closed_session_only_as_a_verified_official_delegate(
    congress, people, closed, api, who, sees
):
    page = _page(people[who], congress)
    assert "Bầu Đoàn Chủ tịch" in page  # the plenary session, to every delegate
    assert (SECRET_ITEM in page) is sees
    assert ("Phiên họp kín" in page) is sees
    assert ("Tham luận nhân sự kín" in page) is sees
    assert ("danh-sach-de-cu.pdf" in page) is sees

    published = api(people[who]).get(f"/api/v1/congress/{congress.pk}/agenda/published").json()
    kinds = [s["kind"] for s in published["sessions"]]
    assert ("closed" in kinds) is sees
    assert "plenary" in kinds

    downloaded = _download(client_for(people[who]), congress, closed)
    assert downloaded == (PDF_BYTES if sees else 404)
    by_api = api(people[who]).get(
        f"/api/v1/congress/{congress.pk}/agenda/items/{closed.pk}/document"
    )
    assert by_api.status_code == (200 if sees else 404)


@time_machine.travel(BEFORE, tick=False)
def test_whoever_works_the_congress_reads_the_closed_sessions(
    congress, secretary, verifier, documents_member, office_user, office_agency, closed, api
):
    for reader in (secretary, office_user, verifier, documents_member):
        published = api(reader).get(f"/api/v1/congress/{congress.pk}/agenda/published").json()
        assert "closed" in [s["kind"] for s in published["sessions"]]
        assert _download(client_for(reader), congress, closed) == PDF_BYTES
    stranger = make_user("nguoikhac", office_agency, RoleCode.FOCAL)
    assert api(stranger).get(f"/api/v1/congress/{congress.pk}/agenda/published").status_code == 404
    assert _download(client_for(stranger), congress, closed) == 404


@time_machine.travel(BEFORE, tick=False)
def test_a_change_to_a_closed_session_is_announced_only_to_those_entitled(
    congress, secretary, people, closed, api
):
    session = closed.session
    services.agenda_revise(secretary, session, [(SECRET_ITEM, "Ban Tổ chức", 90)], "Kéo dài")
    services.agenda_revise(
        secretary,
        congress.sessions.get(kind=SessionKind.PLENARY),
        [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 20)],
        "Rút ngắn",
    )
    services.agenda_publish(secretary, congress, "Điều chỉnh thời lượng")
    entitled, other = _page(people["verified"], congress), _page(people["pending"], congress)
    assert "từ 30 còn 20 phút" in entitled
    assert "từ 30 còn 20 phút" in other
    assert "từ 60 lên 90 phút" in entitled
    assert "từ 60 lên 90 phút" not in other
    assert SECRET_ITEM not in other
    changes = api(people["pending"]).get(f"/api/v1/congress/{congress.pk}/agenda/published")
    assert not any(SECRET_ITEM in line for line in changes.json()["changes"])
    mine = api(people["verified"]).get(f"/api/v1/congress/{congress.pk}/agenda/published")
    assert any(SECRET_ITEM in line for line in mine.json()["changes"])


@time_machine.travel(BEFORE, tick=False)
def test_delegates_see_the_speeches_as_published_and_a_republication_announces_changes(
    congress, secretary, people, api
):
    session = congress.sessions.get()
    hn, hue = congress.delegations.get(code="HN"), congress.delegations.get(code="HUE")
    speaker = hn.delegates.filter(standing="official").first()
    first = services.speech_register(
        secretary, congress, SpeechData(session, hn, "Chuyển đổi số", speaker=speaker)
    )
    second = services.speech_register(
        secretary, congress, SpeechData(session, hue, "Văn hóa", title="Phát triển văn hóa Huế")
    )
    for speech in (first, second):
        services.speech_decide(secretary, speech, "approve")
    services.agenda_publish(secretary, congress)
    delegate = people["pending"]  # speeches of an open session: every delegate
    page = _page(delegate, congress)
    assert "Chuyển đổi số" in page
    assert speaker.full_name in page
    assert page.index("Chuyển đổi số") < page.index("Phát triển văn hóa Huế")
    assert "(7\u2032)" in page

    # changed after publishing: the delegates still read what was published
    services.speech_order(secretary, session, [(second.pk, 5), (first.pk, 10)])
    late = services.speech_register(secretary, congress, SpeechData(session, hn, "Đổi mới"))
    services.speech_decide(secretary, late, "approve")
    page = _page(delegate, congress)
    assert page.index("Chuyển đổi số") < page.index("Phát triển văn hóa Huế")
    assert "Đổi mới" not in page
    assert "(10\u2032)" not in page
    published = api(delegate).get(f"/api/v1/congress/{congress.pk}/agenda/published").json()
    speeches = published["sessions"][0]["speeches"]
    assert [(s["position"], s["title"], s["minutes"]) for s in speeches] == [
        (1, "Chuyển đổi số", 7),
        (2, "Phát triển văn hóa Huế", 7),
    ]
    assert speeches[0]["speaker"] == speaker.full_name

    again = services.agenda_publish(secretary, congress, "Sắp xếp lại tham luận")
    assert any("thêm tham luận «Đổi mới»" in line for line in again.changes)
    assert any("«Chuyển đổi số» từ 7 thành 10 phút" in line for line in again.changes)
    page = _page(delegate, congress)
    assert page.index("Phát triển văn hóa Huế") < page.index("Chuyển đổi số")
    assert "thêm tham luận «Đổi mới»" in page
    assert Speech.objects.filter(session=session, state="approved").count() == 3


@time_machine.travel(BEFORE, tick=False)
def test_only_a_reordering_of_speeches_is_a_change_worth_publishing(congress, secretary):
    session = congress.sessions.get()
    a, b = (
        services.speech_register(
            secretary, congress, SpeechData(session, congress.delegations.get(code=c), t)
        )
        for c, t in (("HN", "Một"), ("HUE", "Hai"))
    )
    for speech in (a, b):
        services.speech_decide(secretary, speech, "approve")
    services.agenda_publish(secretary, congress)
    services.speech_order(secretary, session, [(b.pk, 7), (a.pk, 7)])
    again = services.agenda_publish(secretary, congress, "Đổi thứ tự")
    assert again.changes == [f"{session}: đổi thứ tự các tham luận"]


@time_machine.travel(BEFORE, tick=False)
def test_the_delegates_page_reads_in_as_many_queries_however_many_publications(
    congress, secretary, people, closed, django_assert_max_num_queries
):
    client = client_for(people["pending"])
    url = reverse("congress:me", args=[congress.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    session = congress.sessions.get(kind=SessionKind.PLENARY)
    for minutes in (25, 20, 15):
        services.agenda_revise(secretary, session, [("Bầu Đoàn Chủ tịch", "", minutes)], "Rút")
        services.agenda_publish(secretary, congress, f"Rút còn {minutes}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "từ 20 còn 15 phút" in page.content.decode()
