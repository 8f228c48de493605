"""A republished agenda reaches the delegates in the app: a notification (urging's) for each
delegate linked to an account whom the change concerns (everyone for an open session's items or
a new session, those entitled for a closed session's, the speaking delegations for a change in
the speeches alone), saying why and linking to their page, which lists every change;
a second change the same day rings again without a second row; nobody else is told. A draft
revision alone tells nobody."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dondoc.accounts.models import RoleCode, User
from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.models import Delegate, SessionKind
from dondoc.congress.notices import AGENDA_CHANGED
from dondoc.congress.services import SpeechData
from dondoc.urging.models import Notification
from tests.conftest import make_user
from tests.congress.conftest import OPENS
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
ITEMS = [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 20)]


@pytest.fixture
def linked(congress, secretary, office_agency):
    """Two delegates with accounts: one official, one an official later replaced."""
    with time_machine.travel(BEFORE, tick=False):
        official, replaced = Delegate.objects.filter(
            congress=congress, delegation__code="HN", standing="official", presidium=False
        )[:2]
        accounts = []
        for i, delegate in enumerate((official, replaced)):
            account = make_user(f"daibieu{i}", office_agency, RoleCode.FOCAL)
            services.delegate_link_user(secretary, delegate, account)
            accounts.append(account)
        alternate = Delegate.objects.get(
            congress=congress, delegation__code="HN", standing="alternate"
        )
        services.delegate_replace(secretary, replaced, alternate)
    return accounts


@time_machine.travel(BEFORE, tick=False)
def test_an_agenda_change_notifies_each_linked_delegate_with_the_reason(
    congress, secretary, linked, office_user
):
    me, replaced = linked
    services.agenda_publish(secretary, congress)
    assert not Notification.objects.filter(kind=AGENDA_CHANGED)  # the first publication
    services.agenda_revise(secretary, congress.sessions.get(), ITEMS, "Nháp")
    assert not Notification.objects.filter(kind=AGENDA_CHANGED)  # a draft tells nobody
    services.agenda_publish(secretary, congress, "Rút ngắn phiên trù bị")

    mine = Notification.objects.get(recipient=me)
    assert mine.kind == AGENDA_CHANGED
    assert "Rút ngắn phiên trù bị" in mine.message
    assert mine.link == reverse("congress:me", args=[congress.pk])
    assert mine.read_at is None
    assert not Notification.objects.filter(recipient__in=[replaced, secretary, office_user])
    page = client_for(me).get(reverse("urging:notifications")).content.decode()
    assert "Thay đổi chương trình đại hội" in page
    assert "Rút ngắn phiên trù bị" in page
    assert "Thư tổng hợp" not in page  # not mistaken for a digest


@time_machine.travel(BEFORE, tick=False)
def test_a_second_change_the_same_day_rings_again_in_the_same_notification(
    congress, secretary, linked
):
    me, _replaced = linked
    session = congress.sessions.get()
    services.agenda_publish(secretary, congress)
    services.agenda_revise(secretary, session, ITEMS, "Sửa một")
    services.agenda_publish(secretary, congress, "Lần một")
    Notification.objects.filter(recipient=me).update(
        read_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    )
    services.agenda_revise(secretary, session, [("Bầu Đoàn Chủ tịch", "", 15)], "Sửa hai")
    services.agenda_publish(secretary, congress, "Lần hai")

    mine = Notification.objects.get(recipient=me)
    assert mine.read_at is None
    assert "(lần 3)" in mine.message
    assert "Lần hai" in mine.message
    with time_machine.travel(BEFORE + dt.timedelta(days=1), tick=False):
        services.agenda_revise(secretary, session, ITEMS, "Sửa ba")
        services.agenda_publish(secretary, congress, "Ngày sau")
    assert Notification.objects.filter(recipient=me).count() == 2


@time_machine.travel(BEFORE, tick=False)
def test_the_delegates_page_lists_every_agenda_change(congress, secretary, linked):
    me, _replaced = linked
    session = congress.sessions.get()
    services.agenda_publish(secretary, congress)
    services.agenda_revise(secretary, session, ITEMS, "Nháp 1")
    services.agenda_publish(secretary, congress, "Rút ngắn")
    services.agenda_revise(secretary, session, [("Bầu Đoàn Chủ tịch", "", 15)], "Nháp 2")
    services.agenda_publish(secretary, congress, "Đổi người")
    body = client_for(me).get(reverse("congress:me", args=[congress.pk])).content.decode()
    assert "Rút ngắn" in body
    assert "Đổi người" in body
    assert "«Bầu Đoàn Chủ tịch» từ 30 còn 20 phút" in body
    assert "«Bầu Đoàn Chủ tịch» từ 20 còn 15 phút" in body


@pytest.fixture
def three(congress, secretary, verifier, office_agency):
    """Linked delegates: Hà Nội verified, Hà Nội pending, Huế verified."""
    with time_machine.travel(BEFORE, tick=False):
        out = {}
        for name, code, index, verified in (
            ("hn_verified", "HN", 0, True),
            ("hn_pending", "HN", 1, False),
            ("hue_verified", "HUE", 0, True),
        ):
            delegate = Delegate.objects.filter(
                congress=congress, delegation__code=code, standing="official", presidium=False
            )[index]
            account = make_user(name, office_agency, RoleCode.FOCAL)
            services.delegate_link_user(secretary, delegate, account)
            if verified:
                services.credentials_decide(verifier, delegate, "verified", "")
            out[name] = account
    return out


def _told() -> set[str]:
    return set(
        Notification.objects.filter(kind=AGENDA_CHANGED).values_list(
            "recipient__username", flat=True
        )
    )


def _publish_again(secretary, congress, note: str) -> int:
    publication = services.agenda_publish(secretary, congress, note)
    entry = AuditEntry.objects.filter(action="agenda_publish").latest("pk")
    assert entry.changes["published"][1] == publication.number
    return entry.changes["notified"][1]


@time_machine.travel(BEFORE, tick=False)
def test_a_change_in_an_open_session_reaches_every_delegate(congress, secretary, three):
    services.agenda_publish(secretary, congress)
    services.agenda_revise(secretary, congress.sessions.get(), ITEMS, "Rút ngắn")
    assert _publish_again(secretary, congress, "Rút ngắn phiên trù bị") == 3
    assert _told() == {"hn_verified", "hn_pending", "hue_verified"}


@time_machine.travel(BEFORE, tick=False)
def test_a_change_in_a_closed_session_reaches_only_those_who_may_read_it(
    congress, secretary, three
):
    session = services.session_add(
        secretary,
        congress,
        OPENS + dt.timedelta(days=1),
        1,
        "Bầu cử",
        [("Bầu Ban Chấp hành", "Ban Tổ chức", 60)],
        kind=SessionKind.CLOSED,
    )
    services.agenda_publish(secretary, congress)
    services.agenda_revise(secretary, session, [("Bầu Ban Chấp hành", "Ban Tổ chức", 90)], "Dài")
    assert _publish_again(secretary, congress, "Kéo dài phiên bầu cử") == 2
    assert _told() == {"hn_verified", "hue_verified"}  # the pending one does not see it


@time_machine.travel(BEFORE, tick=False)
def test_a_change_in_the_speeches_alone_reaches_the_delegations_that_speak(
    congress, secretary, three
):
    session = congress.sessions.get()
    hanoi = congress.delegations.get(code="HN")
    speech = services.speech_register(
        secretary, congress, SpeechData(session, hanoi, "Chuyển đổi số")
    )
    services.speech_decide(secretary, speech, "approve")
    services.agenda_publish(secretary, congress)
    services.speech_order(secretary, session, [(speech.pk, 10)])  # 7 -> 10 minutes
    assert _publish_again(secretary, congress, "Thêm thời gian cho tham luận") == 2
    assert _told() == {"hn_verified", "hn_pending"}  # Huế has no speech there

    Notification.objects.all().delete()
    services.session_add(secretary, congress, OPENS + dt.timedelta(days=2), 2, "Bế mạc", [])
    assert _publish_again(secretary, congress, "Thêm phiên bế mạc") == 3  # a new session: all
    assert _told() == {"hn_verified", "hn_pending", "hue_verified"}


@time_machine.travel(BEFORE, tick=False)
def test_the_secretariat_reads_how_many_were_told(congress, secretary, three):
    session = services.session_add(
        secretary, congress, OPENS + dt.timedelta(days=1), 1, "Bầu cử",
        [("Bầu Ban Chấp hành", "Ban Tổ chức", 60)], kind=SessionKind.CLOSED,
    )  # fmt: skip
    client = client_for(secretary)
    url = reverse("congress:agenda_publish", args=[congress.pk])
    client.post(url, {"note": ""})
    services.agenda_revise(secretary, session, [("Bầu Ban Chấp hành", "Ban Tổ chức", 90)], "Dài")
    page = client.post(url, {"note": "Kéo dài phiên bầu cử"}, follow=True).content.decode()
    assert "Đã công bố chương trình lần 2." in page
    assert "Đã báo thay đổi cho 2 đại biểu liên quan" in page
    assert congress.agenda_publications.get(number=2).notified == 2


@time_machine.travel(BEFORE, tick=False)
def test_a_publication_that_changed_only_a_closed_session_is_not_listed_to_others(
    congress, secretary, three
):
    """Told nothing of a closed session's change, a delegate without its rights does not find
    it on their own page either: neither the publication nor its reason."""
    session = services.session_add(
        secretary, congress, OPENS + dt.timedelta(days=1), 1, "Bầu cử",
        [("Bầu Ban Chấp hành", "Ban Tổ chức", 60)], kind=SessionKind.CLOSED,
    )  # fmt: skip
    services.agenda_publish(secretary, congress)
    services.agenda_revise(secretary, session, [("Bầu Ban Chấp hành", "Ban Tổ chức", 90)], "Dài")
    _publish_again(secretary, congress, "Kéo dài phiên bầu cử")
    me = reverse("congress:me", args=[congress.pk])
    pending = User.objects.get(username="hn_pending")
    verified = User.objects.get(username="hn_verified")
    assert "Kéo dài phiên bầu cử" not in client_for(pending).get(me).content.decode()
    assert "Kéo dài phiên bầu cử" in client_for(verified).get(me).content.decode()
