"""Guests and press: the secretariat invites guests and records their replies, accredits
journalists; only a guest who accepted and an approved pass are checked in (once); everyone who
sees the congress reads the lists, only the secretariat changes them or sees press card
numbers; after the closing it is a record."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.badges import guest_card, press_card, visitor_token
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import GuestReply, PressState, VisitorCheckIn
from dondoc.congress.services import GuestData, PressData
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
OPENING = dt.datetime(2026, 1, 19, 1, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)


def _guest(secretary, congress, name="Đồng chí Lào", kind="international", rank=1):
    return services.guest_invite(
        secretary,
        congress,
        GuestData(
            kind, name, "Ủy viên Bộ Chính trị", "Đảng Nhân dân Cách mạng Lào", rank, "K", "Lào"
        ),
    )


def _press(secretary, congress, card="NB-001", name="Trần Văn Báo"):
    return services.press_request(
        secretary, congress, PressData(name, "Báo Nhân Dân", "reporter", card)
    )


def test_a_guest_who_accepted_is_checked_in_once_and_one_who_declined_is_refused(
    congress, secretary
):
    with time_machine.travel(BEFORE, tick=False):
        guest = _guest(secretary, congress)
        other = _guest(secretary, congress, "Khách từ chối", "domestic", 2)
        services.guest_reply(secretary, guest, GuestReply.ACCEPTED)
        services.guest_reply(secretary, other, GuestReply.DECLINED)
    session = congress.sessions.get()
    with time_machine.travel(OPENING, tick=False):
        token = guest_card(guest).token
        first = services.checkin_record(secretary, congress, session, token)
        again = services.checkin_record(secretary, congress, session, token)
        assert (first.holder, first.name, first.created) == ("guest", guest.full_name, True)
        assert not again.created
        with pytest.raises(CongressActionRefused) as refused:
            services.checkin_record(secretary, congress, session, guest_card(other).token)
    assert refused.value.code == Code.NOT_ADMITTED
    assert VisitorCheckIn.objects.filter(guest=guest).count() == 1
    assert not VisitorCheckIn.objects.filter(guest=other).exists()
    replies = AuditEntry.objects.filter(action="guest_reply", object_id=str(guest.pk))
    assert replies.get().changes == {"reply": ["invited", "accepted"]}


def test_a_badge_of_another_congress_or_a_made_up_code_checks_nobody_in(congress, secretary):
    with time_machine.travel(BEFORE, tick=False):
        guest = _guest(secretary, congress)
        services.guest_reply(secretary, guest, GuestReply.ACCEPTED)
    session = congress.sessions.get()
    with time_machine.travel(OPENING, tick=False):
        for token in (visitor_token(congress.pk + 1, "guest", guest.pk), "guest:1", ""):
            with pytest.raises(ValidationError):
                services.checkin_record(secretary, congress, session, token)
    assert not VisitorCheckIn.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_press_accreditation_is_decided_once_and_a_refusal_needs_a_reason(congress, secretary):
    press = _press(secretary, congress)
    with pytest.raises(ValidationError) as taken:
        _press(secretary, congress, " NB-001 ", "Người khác")
    assert taken.value.error_dict["card_number"][0].code == Code.CARD_TAKEN
    with pytest.raises(ValidationError) as no_reason:
        services.press_decide(secretary, press, approve=False, reason=" ")
    assert no_reason.value.error_dict["reason"][0].code == Code.REASON_REQUIRED
    services.press_decide(secretary, press, approve=True)
    assert press.state == PressState.APPROVED
    with pytest.raises(CongressActionRefused) as again:
        services.press_decide(secretary, press, approve=False, reason="Nhầm")
    assert again.value.code == Code.ALREADY_DECIDED
    assert AuditEntry.objects.filter(action="press_decide", object_id=str(press.pk)).count() == 1


def test_only_an_approved_pass_checks_in(congress, secretary):
    with time_machine.travel(BEFORE, tick=False):
        waiting = _press(secretary, congress, "NB-002")
        approved = _press(secretary, congress, "NB-003", "Lê Thị Ảnh")
        services.press_decide(secretary, approved, approve=True)
    session = congress.sessions.get()
    with time_machine.travel(OPENING, tick=False):
        result = services.checkin_record(secretary, congress, session, press_card(approved).token)
        assert (result.holder, result.affiliation) == ("press", "Báo Nhân Dân")
        with pytest.raises(CongressActionRefused) as refused:
            services.checkin_record(secretary, congress, session, press_card(waiting).token)
    assert refused.value.code == Code.NOT_ADMITTED


def test_only_the_secretariat_changes_guests_and_press(congress, secretary, verifier, office_user):
    with time_machine.travel(BEFORE, tick=False):
        guest = _guest(secretary, congress)
        for someone in (verifier, office_user):
            with pytest.raises(CongressActionRefused) as refused:
                services.guest_reply(someone, guest, GuestReply.ACCEPTED)
            assert refused.value.code == Code.NOT_ALLOWED
            with pytest.raises(CongressActionRefused):
                _press(someone, congress, f"X-{someone.pk}")


def test_after_the_closing_guests_and_press_are_a_record(congress, secretary):
    with time_machine.travel(BEFORE, tick=False):
        guest = _guest(secretary, congress)
        press = _press(secretary, congress)
    with time_machine.travel(AFTER, tick=False):
        for change in (
            lambda: services.guest_reply(secretary, guest, GuestReply.ACCEPTED),
            lambda: services.guest_place(secretary, guest, 3, "K2"),
            lambda: services.press_decide(secretary, press, approve=True),
            lambda: _guest(secretary, congress, "Muộn"),
        ):
            with pytest.raises(CongressActionRefused) as refused:
                change()
            assert refused.value.code == Code.CONGRESS_CLOSED
        page = client_for(secretary).get(reverse("congress:guests", args=[congress.pk]))
    assert page.status_code == 200
    assert f"/guests/{guest.pk}/reply/" not in page.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_guest_place_changes_rank_and_area_and_audits_only_what_changed(congress, secretary):
    guest = _guest(secretary, congress)
    services.guest_place(secretary, guest, 1, "K-hàng 1")
    entry = AuditEntry.objects.filter(action="guest_place").get()
    assert entry.changes == {"seating_area": ["K", "K-hàng 1"]}


@time_machine.travel(BEFORE, tick=False)
def test_the_office_reads_the_lists_without_forms_or_press_card_numbers(
    congress, secretary, office_user, lead_focal
):
    _guest(secretary, congress)
    _press(secretary, congress, "NB-777")
    office = client_for(office_user)
    guests = office.get(reverse("congress:guests", args=[congress.pk])).content.decode()
    press = office.get(reverse("congress:press", args=[congress.pk])).content.decode()
    assert "Đồng chí Lào" in guests
    assert "Trần Văn Báo" in press
    assert "NB-777" not in press
    assert "guests/invite/" not in guests
    assert "press/request/" not in press
    mine = client_for(secretary).get(reverse("congress:press", args=[congress.pk]))
    assert "NB-777" in mine.content.decode()
    stranger = client_for(lead_focal)
    assert stranger.get(reverse("congress:guests", args=[congress.pk])).status_code == 404
    assert stranger.get(reverse("congress:press", args=[congress.pk])).status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_every_read_of_press_card_numbers_is_audited_on_the_page_and_the_api(
    congress, secretary, office_user, api
):
    first = _press(secretary, congress, "NB-777")
    second = _press(secretary, congress, "NB-778", "Lê Thị Ảnh")
    office_page = client_for(office_user).get(reverse("congress:press", args=[congress.pk]))
    office_api = api(office_user).get(f"/api/v1/congress/{congress.pk}/press").json()
    assert "NB-777" not in office_page.content.decode()
    assert [p["card_number"] for p in office_api] == [None, None]
    assert not AuditEntry.objects.filter(action="press_card_read").exists()  # none shown

    page = client_for(secretary).get(reverse("congress:press", args=[congress.pk]))
    assert "NB-777" in page.content.decode()
    assert "NB-778" in page.content.decode()
    shown = api(secretary).get(f"/api/v1/congress/{congress.pk}/press?limit=1").json()
    assert [p["card_number"] for p in shown] == ["NB-778"]  # by outlet, then name
    reads = AuditEntry.objects.filter(action="press_card_read").order_by("seq")
    assert [(e.actor_id, e.changes["press"]) for e in reads] == [
        (secretary.pk, [None, sorted([first.pk, second.pk])]),
        (secretary.pk, [None, [second.pk]]),
    ]
    assert "NB-777" not in str(reads[0].changes)  # who saw which, never the number


@time_machine.travel(BEFORE, tick=False)
def test_secretary_invites_and_accredits_from_the_pages(congress, secretary):
    client = client_for(secretary)
    client.post(
        reverse("congress:guest_invite", args=[congress.pk]),
        {
            "kind": "domestic",
            "full_name": "Nguyễn Lão Thành",
            "title": "Nguyên Chủ tịch nước",
            "organization": "Văn phòng Trung ương",
            "protocol_rank": "1",
        },
    )
    guest = congress.guests.get()
    client.post(
        reverse("congress:guest_reply", args=[congress.pk, guest.pk]), {"reply": "accepted"}
    )
    client.post(
        reverse("congress:press_request", args=[congress.pk]),
        {"full_name": "Phạm Quay", "outlet": "VTV", "role": "camera", "card_number": "NB-9"},
    )
    press = congress.press_passes.get()
    page = client.post(
        reverse("congress:press_decide", args=[congress.pk, press.pk]),
        {"decision": "reject", "reason": ""},
        follow=True,
    )
    assert "Cần nêu lý do" in page.content.decode()
    client.post(
        reverse("congress:press_decide", args=[congress.pk, press.pk]), {"decision": "approve"}
    )
    guest.refresh_from_db()
    press.refresh_from_db()
    assert (guest.reply, press.state) == ("accepted", "approved")
    for who, text in (("guests", "Khách mời trong nước"), ("press", "Báo chí · Quay phim")):
        pdf = client.get(reverse("congress:badges", args=[congress.pk]), {"who": who})
        assert text in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


@time_machine.travel(BEFORE, tick=False)
def test_guest_and_press_pages_read_in_the_same_queries_for_many_rows(
    congress, secretary, django_assert_max_num_queries
):
    client = client_for(secretary)
    for i in range(3):
        _guest(secretary, congress, f"Khách {i}", rank=i + 1)
        _press(secretary, congress, f"NB-{i}", f"Phóng viên {i}")
    # the press page also reads the card numbers (1 query) and audits that read (4 queries)
    for name, most in (("guests", 12), ("press", 17)):
        with django_assert_max_num_queries(most) as few:
            client.get(reverse(f"congress:{name}", args=[congress.pk]))
        for i in range(3, 40):
            if name == "guests":
                _guest(secretary, congress, f"Khách {i}", rank=i + 1)
            else:
                _press(secretary, congress, f"NB-{i}", f"Phóng viên {i}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse(f"congress:{name}", args=[congress.pk])).status_code == 200
