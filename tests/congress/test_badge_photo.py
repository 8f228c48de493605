"""A delegate's badge photo: JPEG or PNG checked by its content, its size and its pixels, kept
re-encoded (no metadata) under a random name; personal data, so read only by the secretariat
and the credentials board (and the delegate on their own badge), every read audited; printed
on the badge PDF; erased with the rest of the personal data."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from dondoc.accounts.models import RoleCode
from dondoc.audit.models import AuditEntry
from dondoc.congress import photos, services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.models import Delegate, DelegatePhoto
from tests.conftest import make_user
from tests.congress.test_pages import client_for
from tests.tracking.test_attachments import PDF_BYTES

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _image(kind: str = "PNG", size: tuple[int, int] = (300, 400), name: str = "anh.png"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, kind)
    return SimpleUploadedFile(name, out.getvalue())


def _delegates(congress, n: int) -> list[Delegate]:
    return list(
        Delegate.objects.filter(congress=congress, standing="official")
        .select_related("congress", "delegation", "user")
        .order_by("pk")[:n]
    )


def _images_on_first_page(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)


@time_machine.travel(BEFORE, tick=False)
def test_a_png_is_kept_as_a_small_jpeg_and_the_upload_is_audited(congress, secretary, media):
    [delegate] = _delegates(congress, 1)
    services.delegate_photo_set(secretary, delegate, _image(size=(1200, 1600)))
    photo = DelegatePhoto.objects.get(delegate=delegate)
    with photo.image.open("rb") as stream, Image.open(stream) as kept:
        assert (kept.format, kept.size) == ("JPEG", (600, 800))
    assert "anh" not in photo.image.name  # a random name
    assert AuditEntry.objects.filter(action="delegate_photo_set").count() == 1

    services.delegate_photo_set(secretary, delegate, _image("JPEG", name="moi.jpg"))
    assert DelegatePhoto.objects.filter(delegate=delegate).count() == 1


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("anh.jpg", PDF_BYTES), "photo_type"),
        (SimpleUploadedFile("anh.jpg", b""), "photo_empty"),
        (_image("GIF", name="anh.jpg"), "photo_type"),
        (SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "photo_type"),
        (_image(size=(9000, 10)), "photo_dimensions"),
    ],
)
def test_what_is_not_a_sound_jpeg_or_png_is_refused_and_nothing_is_kept(
    congress, secretary, media, upload, code
):
    [delegate] = _delegates(congress, 1)
    with pytest.raises(ValidationError) as refused:
        services.delegate_photo_set(secretary, delegate, upload)
    assert refused.value.code == code
    assert not DelegatePhoto.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


@time_machine.travel(BEFORE, tick=False)
def test_a_photo_over_the_size_limit_is_refused(congress, secretary, media, monkeypatch):
    monkeypatch.setattr(photos, "max_bytes", lambda: 1000)
    [delegate] = _delegates(congress, 1)
    with pytest.raises(ValidationError, match="vượt quá") as refused:
        services.delegate_photo_set(secretary, delegate, _image(size=(400, 400)))
    assert refused.value.code == "photo_too_large"


@time_machine.travel(BEFORE, tick=False)
def test_only_the_secretariat_and_the_credentials_board_read_it_each_read_audited(
    congress, secretary, verifier, documents_member, office_user, office_agency, media
):
    [delegate] = _delegates(congress, 1)
    with pytest.raises(CongressActionRefused):
        services.delegate_photo_set(verifier, delegate, _image())
    services.delegate_photo_set(secretary, delegate, _image())
    url = reverse("congress:delegate_photo", args=[congress.pk, delegate.pk])
    for reader in (secretary, verifier):
        response = client_for(reader).get(url)
        assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
        assert response["Cache-Control"] == "private, no-store"
    reads = AuditEntry.objects.filter(action="delegate_photo_read")
    assert reads.count() == 2
    assert client_for(documents_member).get(url).status_code == 403
    assert client_for(office_user).get(url).status_code == 403
    stranger = make_user("nguoikhac", office_agency, RoleCode.FOCAL)
    assert client_for(stranger).get(url).status_code == 404
    assert reads.count() == 2  # a refused read reads nothing
    page = client_for(secretary).get(reverse("congress:delegate", args=[congress.pk, delegate.pk]))
    assert "Xem ảnh (lượt xem được ghi nhật ký)" in page.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_the_badge_prints_the_photo_and_the_print_is_audited(
    congress, secretary, office_agency, media, django_assert_max_num_queries
):
    [first] = _delegates(congress, 1)
    services.delegate_photo_set(secretary, first, _image())
    badges = reverse("congress:badges", args=[congress.pk])
    client = client_for(secretary)
    with django_assert_max_num_queries(30) as few:
        pdf = client.get(badges).content
    reader = PdfReader(io.BytesIO(pdf))
    # the first badge has its photo beside its QR code, the second only its QR code
    assert len(reader.pages[0].images) == 5  # four QR codes and one photo
    assert AuditEntry.objects.filter(action="delegate_photo_read").count() == 1

    for delegate in _delegates(congress, 8)[1:]:
        services.delegate_photo_set(secretary, delegate, _image())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(badges)  # as many queries with eight photos as with one

    account = make_user("daibieu", office_agency, RoleCode.FOCAL)
    services.delegate_link_user(secretary, first, account)
    own = client_for(account).get(reverse("congress:me_badge", args=[congress.pk])).content
    assert _images_on_first_page(own) == 2
    last = AuditEntry.objects.filter(action="delegate_photo_read").latest("pk")
    assert last.actor_id == account.pk


@time_machine.travel(BEFORE, tick=False)
def test_the_api_sends_and_reads_the_photo(api, congress, secretary, office_user, media):
    [delegate] = _delegates(congress, 1)
    base = f"/api/v1/congress/{congress.pk}/delegates/{delegate.pk}/photo"
    client = api(secretary)
    bad = client.client.post(
        base, {"file": SimpleUploadedFile("x.jpg", PDF_BYTES)}, headers=client.headers
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "photo_type")
    assert "JPEG hoặc PNG" in bad.json()["fields"]["file"][0]
    assert client.get(base).status_code == 404  # none yet
    sent = client.client.post(base, {"file": _image()}, headers=client.headers)
    assert sent.json() == {"delegate": delegate.pk, "photo": True}
    got = client.get(base)
    assert (got.status_code, got["Content-Type"]) == (200, "image/jpeg")
    assert api(office_user).get(base).status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_the_photos_go_with_the_rest_of_the_personal_data(
    congress, secretary, media, django_capture_on_commit_callbacks
):
    [delegate] = _delegates(congress, 1)
    services.delegate_photo_set(secretary, delegate, _image())
    assert [p for p in media.rglob("*") if p.is_file()]
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.personal_data_erase(congress)
    assert counts["photos"] == 1
    assert not DelegatePhoto.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


@time_machine.travel(BEFORE, tick=False)
def test_the_secretariat_removes_a_photo_audited_and_its_file_deleted(
    congress, secretary, verifier, media, django_capture_on_commit_callbacks
):
    [delegate] = _delegates(congress, 1)
    services.delegate_photo_set(secretary, delegate, _image())
    with pytest.raises(CongressActionRefused):
        services.delegate_photo_remove(verifier, delegate)  # reads it, may not remove it
    assert DelegatePhoto.objects.filter(delegate=delegate).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.delegate_photo_remove(secretary, delegate) is True
    assert not DelegatePhoto.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    entry = AuditEntry.objects.get(action="delegate_photo_remove")
    assert entry.changes == {"photo": [True, False]}
    assert services.delegate_photo_remove(secretary, delegate) is False  # none: nothing recorded
    assert AuditEntry.objects.filter(action="delegate_photo_remove").count() == 1


@time_machine.travel(BEFORE, tick=False)
def test_the_page_and_the_api_remove_the_photo(
    api, congress, secretary, office_user, media, django_capture_on_commit_callbacks
):
    first, second = _delegates(congress, 2)
    services.delegate_photo_set(secretary, first, _image())
    services.delegate_photo_set(secretary, second, _image())
    client = client_for(secretary)
    page = client.get(reverse("congress:delegate", args=[congress.pk, first.pk]))
    assert "Xóa ảnh" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("congress:delegate_photo_remove", args=[congress.pk, first.pk]), follow=True
        )
    assert "Đã xóa ảnh của đại biểu" in done.content.decode()
    assert "Chưa có ảnh" in done.content.decode()

    base = f"/api/v1/congress/{congress.pk}/delegates/{second.pk}/photo"
    assert api(office_user).request("delete", base).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        removed = api(secretary).request("delete", base)
    assert removed.json() == {"delegate": second.pk, "photo": False}
    assert not DelegatePhoto.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
