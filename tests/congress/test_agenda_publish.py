"""The agenda is published to the delegates by an explicit step: sessions of a kind (plenary,
discussion in the delegations, closed), a document per item (checked by its content), and the
delegates see only what was published — a draft revision or a newer document reaches them only
with the next publication, which keeps what changed and tells them."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.models import AgendaItem, Delegate, SessionKind
from dondoc.congress.notices import AGENDA_CHANGED
from dondoc.urging.models import Notification
from tests.conftest import make_user
from tests.congress.conftest import OPENS
from tests.congress.test_pages import client_for
from tests.tracking.test_attachments import PDF_BYTES

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def member(congress, secretary, office_agency):
    """A delegate with an account."""
    with time_machine.travel(BEFORE, tick=False):
        account = make_user("daibieu", office_agency, RoleCode.FOCAL)
        delegate = Delegate.objects.filter(
            congress=congress, standing="official", presidium=False
        ).first()
        services.delegate_link_user(secretary, delegate, account)
    return account


def _pdf(content: bytes = PDF_BYTES, name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _item(congress) -> AgendaItem:
    return AgendaItem.objects.select_related("session__congress").get(
        session__congress=congress, title="Bầu Đoàn Chủ tịch"
    )


def _download(client, congress, item):
    response = client.get(reverse("congress:agenda_document", args=[congress.pk, item.pk]))
    if response.status_code != 200:
        return response.status_code
    return b"".join(response.streaming_content)


@time_machine.travel(BEFORE, tick=False)
def test_sessions_have_a_kind_shown_to_the_secretariat_and_the_delegates(
    congress, secretary, verifier, member
):
    # a closed session reaches an official delegate with verified credentials (see
    # test_agenda_closed_sessions.py for the others)
    services.credentials_decide(verifier, Delegate.objects.get(user=member), "verified", "")
    services.session_add(
        secretary, congress, OPENS, 2, "Thảo luận văn kiện", kind=SessionKind.DELEGATIONS
    )
    services.session_add(
        secretary, congress, OPENS + dt.timedelta(days=1), 1, "Bầu cử", kind=SessionKind.CLOSED
    )
    with pytest.raises(ValidationError):
        services.session_add(
            secretary, congress, OPENS + dt.timedelta(days=2), 1, "X", kind="party"
        )
    agenda = client_for(secretary).get(reverse("congress:agenda", args=[congress.pk]))
    body = agenda.content.decode()
    assert "Thảo luận tại đoàn" in body
    assert "Phiên họp kín" in body
    assert "Phiên toàn thể" in body
    services.agenda_publish(secretary, congress)
    mine = client_for(member).get(reverse("congress:me", args=[congress.pk])).content.decode()
    assert "Thảo luận tại đoàn" in mine
    assert "Phiên họp kín" in mine


@time_machine.travel(BEFORE, tick=False)
def test_a_delegate_sees_only_the_published_agenda_never_a_draft(congress, secretary, member):
    client = client_for(member)
    page = client.get(reverse("congress:me", args=[congress.pk])).content.decode()
    assert "Chương trình chưa được công bố" in page
    assert "Bầu Đoàn Chủ tịch" not in page

    services.agenda_publish(secretary, congress)
    page = client.get(reverse("congress:me", args=[congress.pk])).content.decode()
    assert "Bầu Đoàn Chủ tịch" in page

    session = congress.sessions.get()
    services.agenda_revise(secretary, session, [("Khai mạc bí mật", "", 10)], "Nháp")
    page = client.get(reverse("congress:me", args=[congress.pk])).content.decode()
    assert "Khai mạc bí mật" not in page  # a draft stays with the secretariat
    assert "Bầu Đoàn Chủ tịch" in page


@time_machine.travel(BEFORE, tick=False)
def test_an_item_document_is_checked_and_a_delegate_downloads_only_the_published_one(
    congress, secretary, member, office_user, office_agency, media
):
    item = _item(congress)
    with pytest.raises(ValidationError, match="không phải PDF"):
        services.agenda_document_attach(secretary, item, _pdf(b"not a pdf at all", "x.pdf"))
    assert not [p for p in media.rglob("*") if p.is_file()]  # nothing kept of a refused file
    item.refresh_from_db()
    assert not item.document

    services.agenda_document_attach(secretary, item, _pdf())
    assert AuditEntry.objects.filter(action="agenda_document_attach").count() == 1
    delegate, reader = client_for(member), client_for(office_user)
    assert _download(reader, congress, item) == PDF_BYTES
    assert _download(delegate, congress, item) == 404  # not published yet

    services.agenda_publish(secretary, congress)
    assert _download(delegate, congress, item) == PDF_BYTES
    assert (
        "bao-cao.pdf"
        in client_for(member).get(reverse("congress:me", args=[congress.pk])).content.decode()
    )

    services.agenda_document_attach(secretary, _item(congress), _pdf(PDF_BYTES + b"%v2", "v2.pdf"))
    assert _download(reader, congress, item) == PDF_BYTES + b"%v2"
    assert _download(delegate, congress, item) == PDF_BYTES  # still the published one

    stranger = client_for(make_user("nguoikhac", office_agency, RoleCode.FOCAL))
    assert _download(stranger, congress, item) == 404


@time_machine.travel(BEFORE, tick=False)
def test_republishing_keeps_the_revision_says_what_changed_and_tells_the_delegates(
    congress, secretary, member, media
):
    first = services.agenda_publish(secretary, congress)
    assert (first.number, first.changes) == (1, [])
    assert not Notification.objects.filter(kind=AGENDA_CHANGED)
    with pytest.raises(ValidationError) as unchanged:
        services.agenda_publish(secretary, congress, "Không đổi gì")
    assert unchanged.value.error_dict["note"][0].code == "agenda_unchanged"

    session = congress.sessions.get()
    services.agenda_revise(secretary, session, [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 20)], "Nháp")
    services.agenda_document_attach(secretary, _item(congress), _pdf(name="danh-sach.pdf"))
    with pytest.raises(ValidationError) as no_reason:
        services.agenda_publish(secretary, congress, " ")
    assert no_reason.value.error_dict["note"][0].code == "reason_required"

    second = services.agenda_publish(secretary, congress, "Rút ngắn phiên trù bị")
    assert second.number == 2
    assert any("từ 30 còn 20 phút" in line for line in second.changes)
    assert any("tài liệu mới (danh-sach.pdf)" in line for line in second.changes)
    told = Notification.objects.get(kind=AGENDA_CHANGED, recipient=member)
    assert "Rút ngắn phiên trù bị" in told.message
    assert "(lần 2)" in told.message
    page = client_for(member).get(reverse("congress:me", args=[congress.pk])).content.decode()
    assert "từ 30 còn 20 phút" in page
    assert AuditEntry.objects.filter(action="agenda_publish").count() == 2


@time_machine.travel(BEFORE, tick=False)
def test_only_the_secretariat_publishes_and_attaches_documents(
    congress, verifier, documents_member, office_user, media
):
    for who in (verifier, documents_member, office_user):
        with pytest.raises(CongressActionRefused):
            services.agenda_publish(who, congress)
        with pytest.raises(CongressActionRefused):
            services.agenda_document_attach(who, _item(congress), _pdf())
    response = client_for(office_user).post(reverse("congress:agenda_publish", args=[congress.pk]))
    assert response.status_code == 403  # sees the congress, may not publish
    assert not congress.agenda_publications.exists()


@time_machine.travel(BEFORE, tick=False)
def test_the_page_publishes_and_uploads(congress, secretary, media):
    client = client_for(secretary)
    item = _item(congress)
    upload = client.post(
        reverse("congress:agenda_document_upload", args=[congress.pk, item.pk]),
        {"document": _pdf()},
        follow=True,
    )
    assert "Đã lưu tài liệu «bao-cao.pdf»" in upload.content.decode()
    published = client.post(reverse("congress:agenda_publish", args=[congress.pk]), follow=True)
    assert "Đã công bố chương trình lần 1" in published.content.decode()
    again = client.post(
        reverse("congress:agenda_publish", args=[congress.pk]), {"note": "x"}, follow=True
    )
    assert "chưa thay đổi kể từ lần công bố trước" in again.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_the_api_publishes_and_serves_the_documents(
    api, congress, secretary, member, office_user, office_agency, media
):
    base = f"/api/v1/congress/{congress.pk}/agenda"
    item = _item(congress)
    upload = io.BytesIO(PDF_BYTES)
    upload.name = "bao-cao.pdf"
    client = api(secretary)
    sent = client.client.post(
        f"{base}/items/{item.pk}/document", {"file": upload}, headers=client.headers
    )
    assert (sent.status_code, sent.json()["document"]) == (200, "bao-cao.pdf")
    assert api(member).get(f"{base}/published").json()["number"] == 0
    assert api(member).get(f"{base}/items/{item.pk}/document").status_code == 404

    assert api(office_user).post(f"{base}/publish", {}).status_code == 403
    published = api(secretary).post(f"{base}/publish", {})
    assert (published.status_code, published.json()["number"]) == (201, 1)
    again = api(secretary).post(f"{base}/publish", {"note": ""})
    assert (again.status_code, again.json()["code"]) == (400, "agenda_unchanged")

    seen = api(member).get(f"{base}/published").json()
    assert seen["sessions"][0]["kind"] == "plenary"
    assert seen["sessions"][0]["items"][0]["document"] == "bao-cao.pdf"
    download = api(member).get(f"{base}/items/{item.pk}/document")
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert api(secretary).get(base).json()["published"] == 1
    stranger = api(make_user("nguoikhac", office_agency, RoleCode.FOCAL))
    assert stranger.get(f"{base}/published").status_code == 404
