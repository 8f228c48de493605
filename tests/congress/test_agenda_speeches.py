"""Speeches (tham luận) and agenda revisions: the secretariat registers, selects and orders
speeches with their time limits; every change of the agenda is kept with who, when, why and
what changed; a delegate linked to their account sees their seat, badge and agenda only."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.congress import selectors, services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import AgendaRevision, Delegate, SpeechState
from dondoc.congress.services import SpeechData
from tests.conftest import make_user
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)


def _speech(secretary, congress, topic, code="HN", mode="oral"):
    return services.speech_register(
        secretary,
        congress,
        SpeechData(
            congress.sessions.get(), congress.delegations.get(code=code), topic, "Tóm tắt", mode
        ),
    )


@time_machine.travel(BEFORE, tick=False)
def test_selected_speeches_are_ordered_with_their_time_limits(congress, secretary):
    a = _speech(secretary, congress, "Chuyển đổi số")
    b = _speech(secretary, congress, "Xây dựng Đảng", "HUE")
    c = _speech(secretary, congress, "Kinh tế tư nhân", "DBTW", mode="written")
    d = _speech(secretary, congress, "Văn hóa")
    for speech in (a, b, c):
        services.speech_decide(secretary, speech, "approve")
    with pytest.raises(ValidationError) as no_reason:
        services.speech_decide(secretary, d, "decline")
    assert no_reason.value.error_dict["reason"][0].code == Code.REASON_REQUIRED
    services.speech_decide(secretary, d, "decline", reason="Trùng chủ đề")
    assert (a.position, b.position, c.position) == (1, 2, None)  # a written one is not read out
    session = congress.sessions.get()
    with pytest.raises(ValidationError) as partial:
        services.speech_order(secretary, session, [(b.pk, 10)])
    assert partial.value.error_dict["order"][0].code == Code.ORDER_MISMATCH
    services.speech_order(secretary, session, [(b.pk, 10), (a.pk, 5)])
    plan = selectors.agenda_plan(congress)[0]
    assert [(s.topic, s.minutes) for s in plan.oral] == [
        ("Xây dựng Đảng", 10),
        ("Chuyển đổi số", 5),
    ]
    assert [s.topic for s in plan.written] == ["Kinh tế tư nhân"]
    assert plan.speaking_minutes == 15
    with pytest.raises(CongressActionRefused) as again:
        services.speech_decide(secretary, a, "decline", reason="Đổi ý")
    assert again.value.code == Code.ALREADY_DECIDED
    counts = selectors.speech_counts(congress)
    assert ("Đảng bộ thành phố Hà Nội", 2, 1) in counts["delegation"]
    assert AuditEntry.objects.filter(action="speech_order").count() == 1


@time_machine.travel(BEFORE, tick=False)
def test_only_the_secretariat_registers_and_selects_speeches(congress, secretary, office_user):
    speech = _speech(secretary, congress, "Chuyển đổi số")
    with pytest.raises(CongressActionRefused) as refused:
        services.speech_decide(office_user, speech, "approve")
    assert refused.value.code == Code.NOT_ALLOWED
    with pytest.raises(CongressActionRefused):
        _speech(office_user, congress, "Khác")
    page = client_for(office_user).get(reverse("congress:agenda", args=[congress.pk]))
    assert "Chuyển đổi số" in page.content.decode()
    assert f"/speeches/{speech.pk}/decide/" not in page.content.decode()
    speech.refresh_from_db()
    assert speech.state == SpeechState.PROPOSED


def test_agenda_revisions_keep_who_when_why_and_what_changed(congress, secretary):
    session = congress.sessions.get()
    with time_machine.travel(BEFORE, tick=False):
        first = services.agenda_revise(
            secretary,
            session,
            [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 30), ("Thông qua Quy chế", "Đoàn Thư ký", 20)],
            "Bổ sung mục thông qua Quy chế làm việc",
        )
        second = services.agenda_revise(
            secretary, session, [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 20)], "Rút ngắn phiên"
        )
        with pytest.raises(ValidationError):
            services.agenda_revise(secretary, session, [], " ")
    assert (first.number, second.number) == (1, 2)
    assert any("thêm «Thông qua Quy chế» (20 phút)" in line for line in first.changes)
    assert any("bỏ «Thông qua Quy chế»" in line for line in second.changes)
    assert any("«Bầu Đoàn Chủ tịch» từ 30 còn 20 phút" in line for line in second.changes)
    assert second.by == secretary
    assert second.agenda[0]["items"] == [
        {"title": "Bầu Đoàn Chủ tịch", "presenter": "Ban Tổ chức", "minutes": 20}
    ]
    assert list(session.items.values_list("title", flat=True)) == ["Bầu Đoàn Chủ tịch"]
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(CongressActionRefused) as closed:
            services.agenda_revise(secretary, session, [("X", "", 5)], "Muộn")
        assert closed.value.code == Code.CONGRESS_CLOSED
        with pytest.raises(CongressActionRefused):
            _speech(secretary, congress, "Muộn")
    assert AgendaRevision.objects.count() == 2


@time_machine.travel(BEFORE, tick=False)
def test_a_revision_keeps_the_speeches_on_the_items_it_keeps(congress, secretary):
    session = congress.sessions.get()
    services.agenda_revise(
        secretary,
        session,
        [("Thảo luận văn kiện", "Đoàn Chủ tịch", 90), ("Bầu Ban Chấp hành", "", 60)],
        "Lần một",
    )
    item = {i.title: i for i in session.items.all()}
    delegation = congress.delegations.get(code="HN")
    kept, dropped = (
        services.speech_register(
            secretary,
            congress,
            SpeechData(session, delegation, topic, agenda_item=item[title]),
        )
        for topic, title in (
            ("Chuyển đổi số", "Thảo luận văn kiện"),
            ("Nhân sự", "Bầu Ban Chấp hành"),
        )
    )
    services.agenda_revise(
        secretary,
        session,
        [("Khai mạc", "", 10), ("Thảo luận văn kiện", "Đoàn Chủ tịch", 45)],
        "Rút ngắn thảo luận, bỏ mục bầu cử",
    )
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.agenda_item is not None
    assert (kept.agenda_item.title, kept.agenda_item.position, kept.agenda_item.minutes) == (
        "Thảo luận văn kiện",
        2,
        45,
    )
    assert dropped.agenda_item is None
    assert dropped.session == session
    assert list(session.items.values_list("title", flat=True)) == ["Khai mạc", "Thảo luận văn kiện"]


@time_machine.travel(BEFORE, tick=False)
def test_secretary_revises_the_agenda_and_orders_speeches_from_the_page(congress, secretary):
    client = client_for(secretary)
    session = congress.sessions.get()
    client.post(
        reverse("congress:agenda_revise", args=[congress.pk, session.pk]),
        {
            "items": "Bầu Đoàn Chủ tịch | Ban Tổ chức | 45\nKhai mạc | Đoàn Chủ tịch | 15",
            "note": "Thêm khai mạc",
        },
    )
    delegation = congress.delegations.get(code="HN")
    client.post(
        reverse("congress:speech_register", args=[congress.pk]),
        {
            "session": session.pk,
            "delegation": delegation.pk,
            "topic": "Đổi mới",
            "mode": "oral",
            "minutes": "8",
        },
    )
    speech = session.speeches.get()
    client.post(
        reverse("congress:speech_decide", args=[congress.pk, speech.pk]), {"decision": "approve"}
    )
    client.post(
        reverse("congress:speech_order", args=[congress.pk, session.pk]),
        {f"position-{speech.pk}": "1", f"minutes-{speech.pk}": "12"},
    )
    page = client.get(reverse("congress:agenda", args=[congress.pk])).content.decode()
    assert "Lần 1" in page
    assert "Thêm khai mạc" in page
    assert "thêm «Khai mạc» (15 phút)" in page
    speech.refresh_from_db()
    assert (speech.state, speech.minutes, speech.position) == ("approved", 12, 1)


@time_machine.travel(BEFORE, tick=False)
def test_a_delegate_sees_their_own_seat_badge_and_agenda_and_nothing_else(
    congress, secretary, office_agency, django_assert_max_num_queries
):
    from dondoc.accounts.models import RoleCode

    services.seating_solve(secretary, congress)
    account = make_user("daibieu", office_agency, RoleCode.FOCAL)
    me = Delegate.objects.filter(congress=congress, presidium=False, standing="official").first()
    services.delegate_link_user(secretary, me, account)
    services.agenda_publish(secretary, congress)
    services.agenda_revise(
        secretary, congress.sessions.get(), [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 20)], "Nháp"
    )
    services.agenda_publish(secretary, congress, "Rút ngắn")
    client = client_for(account)
    assert congress.name in client.get(reverse("congress:list")).content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("congress:me", args=[congress.pk]))
    body = page.content.decode()
    assert me.full_name in body
    assert str(me.seat_assignment.seat) in body
    assert "Rút ngắn" in body
    badge = client.get(reverse("congress:me_badge", args=[congress.pk]))
    assert badge["Content-Type"] == "application/pdf"
    assert client.get(reverse("congress:detail", args=[congress.pk])).status_code == 404
    assert client.get(reverse("congress:delegates", args=[congress.pk])).status_code == 404
    stranger = client_for(make_user("nguoikhac", office_agency, RoleCode.FOCAL))
    assert stranger.get(reverse("congress:me", args=[congress.pk])).status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_agenda_page_reads_in_the_same_queries_for_many_speeches(
    congress, secretary, django_assert_max_num_queries
):
    client = client_for(secretary)
    services.speech_decide(secretary, _speech(secretary, congress, "Một"), "approve")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("congress:agenda", args=[congress.pk]))
    for i in range(30):
        speech = _speech(secretary, congress, f"Chủ đề {i}", ("HN", "HUE", "DBTW")[i % 3])
        if i % 2:
            services.speech_decide(secretary, speech, "approve")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("congress:agenda", args=[congress.pk])).status_code == 200


@time_machine.travel(BEFORE, tick=False)
def test_secretary_links_a_delegate_to_an_account_from_the_delegate_page(
    congress, secretary, office_user, office_agency
):
    from dondoc.accounts.models import RoleCode

    account = make_user("daibieu2", office_agency, RoleCode.FOCAL)
    delegate = Delegate.objects.filter(congress=congress, standing="official")[0]
    url = reverse("congress:delegate_link", args=[congress.pk, delegate.pk])
    missing = client_for(secretary).post(url, {"username": "khongco"}, follow=True)
    assert "Không có tài khoản khongco" in missing.content.decode()
    client_for(office_user).post(url, {"username": "daibieu2"})
    delegate.refresh_from_db()
    assert delegate.user is None
    client_for(secretary).post(url, {"username": "daibieu2"})
    delegate.refresh_from_db()
    assert delegate.user == account
    assert client_for(account).get(reverse("congress:me", args=[congress.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="delegate_link_user").count() == 1
