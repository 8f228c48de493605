"""A delegation proposes its speeches (tham luận) from its own accounts: its head or its
secretary sends title, topic, agenda item, speaker, summary and text; the documents board or
the secretariat selects, refuses or asks for changes; an amendment goes back for review; a
selected oral speech takes its place in the session's order. One rule for page, API, service."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.audit.models import AuditEntry
from dondoc.congress import selectors, services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import Speech, SpeechState
from dondoc.congress.services import SpeechData
from dondoc.urging.models import Notification
from tests.conftest import make_user
from tests.congress.test_pages import client_for
from tests.tracking.test_attachments import PDF_BYTES

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def hanoi_head(congress, secretary, office_agency):
    """The head of Hà Nội's delegation: no congress role, a provincial focal point."""
    head = make_user("truongdoan_hn", office_agency, RoleCode.FOCAL)
    clerk = make_user("thukydoan_hn", office_agency, RoleCode.FOCAL)
    with time_machine.travel(BEFORE, tick=False):
        services.delegation_officers_set(
            secretary, congress.delegations.get(code="HN"), head, clerk
        )
    return head


def _form(congress, **changes):
    session = congress.sessions.get()
    speaker = congress.delegates.filter(delegation__code="HN").first()
    data = {
        "session": session.pk,
        "agenda_item": session.items.first().pk,
        "title": "Hà Nội tiên phong chuyển đổi số",
        "topic": "Chuyển đổi số",
        "speaker": speaker.pk,
        "summary": "Kết quả và bài học của Thủ đô.",
        "mode": "oral",
        "minutes": "7",
    }
    return data | changes


@time_machine.travel(BEFORE, tick=False)
def test_a_delegation_proposes_is_asked_for_changes_amends_and_is_selected(
    congress, hanoi_head, documents_member, media
):
    hanoi = congress.delegations.get(code="HN")
    head = client_for(hanoi_head)
    page_url = reverse("congress:delegation", args=[congress.pk, hanoi.pk])
    listing = head.get(reverse("congress:list")).content.decode()
    assert page_url in listing  # the head finds their delegation's page from the list
    body = _form(congress) | {"document": SimpleUploadedFile("tham-luan.pdf", PDF_BYTES)}
    head.post(reverse("congress:delegation_propose", args=[congress.pk, hanoi.pk]), body)
    speech = Speech.objects.get()
    assert (speech.state, speech.proposed_by, speech.delegation) == ("proposed", hanoi_head, hanoi)
    assert speech.document_name == "tham-luan.pdf"
    assert [p.name for p in media.rglob("*") if p.is_file()] == [Path(speech.document.name).name]
    assert "Hà Nội tiên phong chuyển đổi số" in head.get(page_url).content.decode()

    board = client_for(documents_member)
    decide = reverse("congress:speech_decide", args=[congress.pk, speech.pk])
    board.post(decide, {"decision": "changes", "reason": "Rút gọn còn 5 phút, thêm số liệu."})
    speech.refresh_from_db()
    assert speech.state == SpeechState.CHANGES
    told = Notification.objects.filter(kind="congress_speech").values_list(
        "recipient__username", flat=True
    )
    assert sorted(told) == ["thukydoan_hn", "truongdoan_hn"]
    shown = head.get(page_url).content.decode()
    assert "Rút gọn còn 5 phút, thêm số liệu." in shown
    refused = board.post(decide, {"decision": "approve"}, follow=True).content.decode()
    assert "chờ đoàn chỉnh sửa" in refused  # nothing to decide until the delegation answers

    head.post(
        reverse("congress:speech_amend", args=[congress.pk, speech.pk]),
        _form(congress, minutes="5", summary="Số liệu 2021-2025."),
    )
    speech.refresh_from_db()
    assert (speech.state, speech.minutes, speech.summary) == ("proposed", 5, "Số liệu 2021-2025.")
    assert speech.document_name == "tham-luan.pdf"  # the text stays unless a new one is sent
    board.post(decide, {"decision": "approve"})
    speech.refresh_from_db()
    assert (speech.state, speech.position) == (SpeechState.APPROVED, 1)
    assert [s.pk for s in selectors.agenda_plan(congress)[0].oral] == [speech.pk]
    actions = list(
        AuditEntry.objects.filter(object_id=str(speech.pk), action__startswith="speech_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["speech_register", "speech_decide", "speech_amend", "speech_decide"]
    amended = head.post(
        reverse("congress:speech_amend", args=[congress.pk, speech.pk]),
        _form(congress),
        follow=True,
    )
    assert "đã được quyết định, không thay đổi được nữa" in amended.content.decode()
    speech.refresh_from_db()
    assert speech.minutes == 5  # decided: the delegation can no longer change it
    download = head.get(reverse("congress:speech_document", args=[congress.pk, speech.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES


@time_machine.travel(BEFORE, tick=False)
def test_a_delegation_head_sees_and_proposes_for_their_own_delegation_only(
    congress, hanoi_head, secretary
):
    hue = congress.delegations.get(code="HUE")
    head = client_for(hanoi_head)
    assert head.get(reverse("congress:detail", args=[congress.pk])).status_code == 404
    assert head.get(reverse("congress:agenda", args=[congress.pk])).status_code == 404
    assert head.get(reverse("congress:delegation", args=[congress.pk, hue.pk])).status_code == 404
    propose = reverse("congress:delegation_propose", args=[congress.pk, hue.pk])
    assert head.post(propose, _form(congress)).status_code == 404
    with pytest.raises(CongressActionRefused) as refused:
        services.speech_register(
            hanoi_head, congress, SpeechData(congress.sessions.get(), hue, "Chuyển đổi số")
        )
    assert refused.value.code == Code.NOT_ALLOWED
    other = services.speech_register(
        secretary, congress, SpeechData(congress.sessions.get(), hue, "Văn hóa Huế")
    )
    assert (
        head.get(reverse("congress:speech_document", args=[congress.pk, other.pk])).status_code
        == 404
    )
    hanoi = congress.delegations.get(code="HN")
    mine = services.speech_register(
        hanoi_head, congress, SpeechData(congress.sessions.get(), hanoi, "Chuyển đổi số")
    )
    with pytest.raises(CongressActionRefused) as not_theirs:
        services.speech_decide(hanoi_head, mine, "approve")
    assert not_theirs.value.code == Code.NOT_ALLOWED
    assert Speech.objects.count() == 2


@time_machine.travel(BEFORE, tick=False)
def test_bad_proposals_are_refused_in_vietnamese_and_nothing_is_kept(congress, hanoi_head, media):
    hanoi = congress.delegations.get(code="HN")
    head = client_for(hanoi_head)
    propose = reverse("congress:delegation_propose", args=[congress.pk, hanoi.pk])
    stranger = congress.delegates.filter(delegation__code="HUE").first()
    cases = [
        (_form(congress, speaker=stranger.pk), "Người trình bày phải là đại biểu của đoàn."),
        (_form(congress, minutes="90"), "Thời gian (phút)"),
        (
            _form(congress) | {"document": SimpleUploadedFile("x.pdf", b"not a pdf at all")},
            "nội dung tệp không phải PDF",
        ),
        (_form(congress, agenda_item="999999"), "Mục chương trình không thuộc đại hội này."),
    ]
    for body, message in cases:
        page = head.post(propose, body, follow=True).content.decode()
        assert message in page, message
    assert Speech.objects.count() == 0
    assert not [p for p in media.rglob("*") if p.is_file()]
    speech = services.speech_register(
        hanoi_head, congress, SpeechData(congress.sessions.get(), hanoi, "Chuyển đổi số")
    )
    with pytest.raises(ValidationError) as no_note:
        services.speech_decide(
            hanoi_head.__class__.objects.get(username="thuky"), speech, "changes"
        )
    assert no_note.value.error_dict["reason"][0].code == Code.REASON_REQUIRED


def test_head_and_secretary_are_two_people_and_closed_congresses_take_no_proposals(
    congress, hanoi_head, secretary
):
    hanoi = congress.delegations.get(code="HN")
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(ValidationError) as twice:
            services.delegation_officers_set(secretary, hanoi, hanoi_head, hanoi_head)
        assert twice.value.error_dict["secretary"][0].code == Code.OFFICER_TWICE
        page = client_for(secretary).post(
            reverse("congress:delegation_officers", args=[congress.pk, hanoi.pk]),
            {"head": "khongco", "secretary": ""},
            follow=True,
        )
        assert "Không có tài khoản đang hoạt động tên «khongco»." in page.content.decode()
        hanoi.refresh_from_db()
        assert hanoi.head == hanoi_head
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(CongressActionRefused) as closed:
            services.speech_register(
                hanoi_head, congress, SpeechData(congress.sessions.get(), hanoi, "Muộn")
            )
        assert closed.value.code == Code.CONGRESS_CLOSED
        page = client_for(hanoi_head).get(
            reverse("congress:delegation", args=[congress.pk, hanoi.pk])
        )
        assert "Đề xuất tham luận" not in page.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_the_api_proposes_sends_back_amends_and_selects(
    api, congress, hanoi_head, documents_member, office_user
):
    hanoi = congress.delegations.get(code="HN")
    session = congress.sessions.get()
    url = f"/api/v1/congress/{congress.pk}/delegations/{hanoi.pk}/speeches"
    body = {"session": session.pk, "title": "Thủ đô số", "topic": "Chuyển đổi số", "minutes": 8}
    created = api(hanoi_head).post(url, body)
    assert created.status_code == 201
    speech = created.json()
    assert (speech["state"], speech["permissions"]) == ("proposed", ["edit", "view"])
    decide = f"/api/v1/congress/{congress.pk}/speeches/{speech['id']}/decision"
    assert api(office_user).post(decide, {"decision": "approve"}).status_code == 403
    assert api(hanoi_head).post(decide, {"decision": "approve"}).status_code == 403
    sent_back = api(documents_member).post(decide, {"decision": "changes", "reason": "Ngắn lại"})
    assert sent_back.json()["state"] == "changes"
    waiting = api(documents_member).post(decide, {"decision": "approve"})
    assert (waiting.status_code, waiting.json()["code"]) == (409, "awaiting_changes")
    amend = f"/api/v1/congress/{congress.pk}/speeches/{speech['id']}"
    amended = api(hanoi_head).request("put", amend, body | {"minutes": 5})
    assert (amended.json()["state"], amended.json()["minutes"]) == ("proposed", 5)
    chosen = api(documents_member).post(decide, {"decision": "approve"}).json()
    assert (chosen["state"], chosen["position"]) == ("approved", 1)
    listed = api(hanoi_head).get(url).json()
    assert [(s["title"], s["state"], s["permissions"]) for s in listed] == [
        ("Thủ đô số", "approved", ["view"])
    ]
    hue = congress.delegations.get(code="HUE")
    other = f"/api/v1/congress/{congress.pk}/delegations/{hue.pk}/speeches"
    assert api(hanoi_head).post(other, body).status_code == 404
    assert api(hanoi_head).get(f"/api/v1/congress/{congress.pk}/agenda").status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_an_amendment_sent_from_a_stale_page_does_not_undo_a_decision(
    congress, hanoi_head, documents_member
):
    hanoi = congress.delegations.get(code="HN")
    speech = services.speech_register(
        hanoi_head, congress, SpeechData(congress.sessions.get(), hanoi, "Chuyển đổi số")
    )
    seen_by_the_head = Speech.objects.select_related("session__congress", "delegation").get(
        pk=speech.pk
    )
    services.speech_decide(documents_member, speech, "approve")
    with pytest.raises(CongressActionRefused) as refused:
        services.speech_amend(
            hanoi_head,
            seen_by_the_head,
            SpeechData(congress.sessions.get(), hanoi, "Đổi chủ đề", minutes=20),
        )
    assert refused.value.code == Code.ALREADY_DECIDED
    speech.refresh_from_db()
    assert (speech.state, speech.position, speech.topic) == ("approved", 1, "Chuyển đổi số")


def _send_text(api, user, congress, speech_id, content: bytes, name: str = "tham-luan.pdf"):
    client = api(user)
    upload = io.BytesIO(content)
    upload.name = name
    return client.client.post(
        f"/api/v1/congress/{congress.pk}/speeches/{speech_id}/document",
        {"file": upload},
        headers=client.headers,
    )


@time_machine.travel(BEFORE, tick=False)
def test_the_api_sends_a_speech_text_replaces_it_and_downloads_it(
    api, congress, hanoi_head, documents_member, media, django_capture_on_commit_callbacks
):
    hanoi = congress.delegations.get(code="HN")
    speech = services.speech_register(
        hanoi_head, congress, SpeechData(congress.sessions.get(), hanoi, "Chuyển đổi số")
    )
    text = f"/api/v1/congress/{congress.pk}/speeches/{speech.pk}/document"
    assert api(hanoi_head).get(text).status_code == 404  # no text yet

    bad = _send_text(api, hanoi_head, congress, speech.pk, b"not a pdf at all", "x.pdf")
    assert bad.status_code == 400
    assert "nội dung tệp không phải PDF" in bad.text
    first = _send_text(api, hanoi_head, congress, speech.pk, PDF_BYTES, "ban-1.pdf")
    assert (first.status_code, first.json()["document"]) == (200, "ban-1.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        second = _send_text(api, hanoi_head, congress, speech.pk, PDF_BYTES + b"%v2", "ban-2.pdf")
    assert second.json()["document"] == "ban-2.pdf"
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert len(stored) == 1  # the first version's file went with the change

    download = api(documents_member).get(text)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES + b"%v2"
    assert "ban-2.pdf" in download["Content-Disposition"]
    assert AuditEntry.objects.filter(action="speech_amend").count() == 2

    services.speech_decide(documents_member, speech, "approve")
    late = _send_text(api, hanoi_head, congress, speech.pk, PDF_BYTES, "ban-3.pdf")
    assert (late.status_code, late.json()["code"]) == (409, "already_decided")


@time_machine.travel(BEFORE, tick=False)
def test_a_speech_text_missing_from_the_disk_is_a_404_not_an_error(
    api, congress, hanoi_head, secretary, media
):
    hanoi = congress.delegations.get(code="HN")
    speech = services.speech_register(
        hanoi_head,
        congress,
        SpeechData(congress.sessions.get(), hanoi, "Chuyển đổi số"),
        SimpleUploadedFile("tham-luan.pdf", PDF_BYTES),
    )
    Path(speech.document.path).unlink()
    page = client_for(secretary).get(
        reverse("congress:speech_document", args=[congress.pk, speech.pk])
    )
    assert page.status_code == 404
    api_text = api(secretary).get(f"/api/v1/congress/{congress.pk}/speeches/{speech.pk}/document")
    assert api_text.status_code == 404
