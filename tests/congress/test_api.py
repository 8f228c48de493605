"""The congress API: the same rules as the pages, refusals as stable codes."""

import datetime as dt

import pytest
import time_machine

from dondoc.congress.badges import badge_token
from dondoc.congress.models import Delegate

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


@time_machine.travel(BEFORE, tick=False)
def test_secretary_lists_delegates_and_seats_the_hall(api, congress, secretary):
    client = api(secretary)
    detail = client.get(f"/api/v1/congress/{congress.pk}").json()
    assert "seat" in detail["permissions"]
    assert "decide_credentials" not in detail["permissions"]
    assert detail["credentials"] == {"pending": 19, "verified": 0, "questioned": 0, "rejected": 0}
    seating = client.post(f"/api/v1/congress/{congress.pk}/seating").json()
    assert seating["seated"] == 16
    page = client.get(f"/api/v1/congress/{congress.pk}/delegates", limit=5).json()
    assert page["count"] == 19
    assert len(page["items"]) == 5
    assert all(item["seat"] for item in page["items"] if item["standing"] == "official")


@time_machine.travel(BEFORE, tick=False)
def test_credentials_decisions_by_the_board_only_and_final_ones_answer_409(
    api,
    congress,
    secretary,
    verifier,
):
    delegate = Delegate.objects.filter(congress=congress).first()
    url = f"/api/v1/congress/{congress.pk}/delegates/{delegate.pk}/credentials"
    assert api(secretary).post(url, {"decision": "verified"}).status_code == 403
    missing_reason = api(verifier).post(url, {"decision": "questioned"})
    assert missing_reason.status_code == 400
    assert missing_reason.json()["code"] == "reason_required"
    assert api(verifier).post(url, {"decision": "verified"}).json()["credentials"] == "verified"
    again = api(verifier).post(url, {"decision": "rejected", "reason": "Sai"})
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"


@time_machine.travel(BEFORE, tick=False)
def test_check_in_through_the_api_is_idempotent_and_refused_to_readers(
    api,
    congress,
    secretary,
    office_user,
):
    delegate = Delegate.objects.filter(congress=congress, standing="official").first()
    body = {"token": badge_token(delegate), "session": congress.sessions.get().pk}
    url = f"/api/v1/congress/{congress.pk}/checkins"
    assert api(secretary).post(url, body).json()["created"] is True
    assert api(secretary).post(url, body).json()["created"] is False
    assert api(office_user).post(url, body).status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_an_agency_focal_point_finds_no_congress(api, congress, lead_focal):
    assert api(lead_focal).get("/api/v1/congress").json() == []
    assert api(lead_focal).get(f"/api/v1/congress/{congress.pk}").status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_guests_and_press_lists_hide_card_numbers_from_readers(
    api, congress, secretary, office_user, lead_focal
):
    from dondoc.congress import services
    from dondoc.congress.services import GuestData, PressData

    services.guest_invite(
        secretary, congress, GuestData("international", "Khách Lào", "Đại sứ", "Lào", 2)
    )
    services.guest_invite(
        secretary, congress, GuestData("domestic", "Khách Việt", "Nguyên", "VP", 1)
    )
    services.press_request(secretary, congress, PressData("Phóng viên", "TTXVN", "photo", "NB-1"))
    guests = api(office_user).get(f"/api/v1/congress/{congress.pk}/guests").json()
    assert [g["full_name"] for g in guests] == ["Khách Việt", "Khách Lào"]
    assert (
        api(office_user).get(f"/api/v1/congress/{congress.pk}/press").json()[0]["card_number"]
        is None
    )
    assert (
        api(secretary).get(f"/api/v1/congress/{congress.pk}/press").json()[0]["card_number"]
        == "NB-1"
    )
    assert api(lead_focal).get(f"/api/v1/congress/{congress.pk}/guests").status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_agenda_lists_sessions_items_and_selected_speeches_in_order(
    api, congress, secretary, office_user, lead_focal
):
    from dondoc.congress import services
    from dondoc.congress.services import SpeechData

    session = congress.sessions.get()
    hn = congress.delegations.get(code="HN")
    first = services.speech_register(secretary, congress, SpeechData(session, hn, "Một"))
    second = services.speech_register(secretary, congress, SpeechData(session, hn, "Hai"))
    services.speech_register(secretary, congress, SpeechData(session, hn, "Chờ"))
    services.speech_decide(secretary, first, "approve")
    services.speech_decide(secretary, second, "approve")
    services.speech_order(secretary, session, [(second.pk, 9), (first.pk, 6)])
    services.agenda_revise(secretary, session, [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 20)], "Rút")
    body = api(office_user).get(f"/api/v1/congress/{congress.pk}/agenda").json()
    assert body["revision"] == 1
    assert body["published"] == 0
    [only] = body["sessions"]
    assert only["kind"] == "plenary"
    assert [{k: v for k, v in item.items() if k != "id"} for item in only["items"]] == [
        {"title": "Bầu Đoàn Chủ tịch", "presenter": "Ban Tổ chức", "minutes": 20, "document": ""}
    ]
    assert [(s["topic"], s["position"], s["minutes"]) for s in only["speeches"]] == [
        ("Hai", 1, 9),
        ("Một", 2, 6),
        ("Chờ", None, 7),
    ]
    assert api(lead_focal).get(f"/api/v1/congress/{congress.pk}/agenda").status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_the_delegates_page_reads_in_the_same_queries_for_any_size_and_says_the_same(
    api, congress, secretary, office_user, django_assert_num_queries
):
    """The API's largest page (500 rows) is read as plain rows: the query count does not grow
    with the page, and each row carries what the delegate's own record says."""
    client = api(secretary)
    client.post(f"/api/v1/congress/{congress.pk}/seating")
    reader = api(office_user)
    url = f"/api/v1/congress/{congress.pk}/delegates"
    reader.get(url, limit=1)  # the token's first use writes its last-used time
    with django_assert_num_queries(6) as small:
        reader.get(url, limit=1)
    with django_assert_num_queries(len(small.captured_queries)):
        page = reader.get(url, limit=500).json()
    assert len(page["items"]) == page["count"] == 19
    by_id = {item["id"]: item for item in page["items"]}
    for delegate in Delegate.objects.filter(congress=congress).select_related(
        "delegation", "seat_assignment__seat"
    ):
        assignment = getattr(delegate, "seat_assignment", None)
        assert by_id[delegate.pk] == {
            "id": delegate.pk,
            "full_name": delegate.full_name,
            "delegation": delegate.delegation.name,
            "kind": delegate.kind,
            "standing": delegate.standing,
            "credentials": delegate.credentials,
            "presidium": delegate.presidium,
            "seat": str(assignment.seat) if assignment else None,
            "seat_pinned": bool(assignment and assignment.pinned),
        }
    assert [i["id"] for i in page["items"]] == list(
        Delegate.objects.filter(congress=congress)
        .order_by("delegation__protocol_order", "full_name", "pk")
        .values_list("pk", flat=True)
    )
