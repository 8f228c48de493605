"""A delegate sends a badge photo of themselves from their page: checked like the secretariat's
(type, size, pixels), kept under a random name, waiting for the secretariat's approval: the
badge keeps the photo it had (or none) until then. Approved, the badge prints it; refused, it is
deleted and the delegate is told why. Only their own record, while the congress is open; every
step and every read audited; no file left behind."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.models import Delegate, DelegatePhoto, DelegatePhotoRequest
from dondoc.congress.notices import PHOTO_REFUSED
from dondoc.urging.models import Notification
from tests.conftest import make_user
from tests.congress.test_badge_photo import _image, _images_on_first_page
from tests.congress.test_pages import client_for
from tests.tracking.test_attachments import PDF_BYTES

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
DETAIL_QUERIES, ME_QUERIES = 13, 10  # measured; a delegate page, their own page


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def mine(congress, secretary, office_agency):
    """A delegate with their account: (delegate, account)."""
    with time_machine.travel(BEFORE, tick=False):
        delegate = Delegate.objects.filter(
            congress=congress, standing="official", presidium=False
        ).first()
        account = make_user("daibieu", office_agency, RoleCode.FOCAL)
        services.delegate_link_user(secretary, delegate, account)
        delegate.refresh_from_db()
    return delegate, account


def _files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def _badge(account, congress) -> bytes:
    return client_for(account).get(reverse("congress:me_badge", args=[congress.pk])).content


@time_machine.travel(BEFORE, tick=False)
def test_a_photo_sent_by_the_delegate_reaches_the_badge_only_once_approved(
    congress, secretary, mine, media, django_capture_on_commit_callbacks
):
    delegate, account = mine
    page = client_for(account).post(
        reverse("congress:me_photo", args=[congress.pk]), {"photo": _image()}, follow=True
    )
    assert "chờ Ban Tổ chức duyệt" in page.content.decode()
    assert DelegatePhotoRequest.objects.filter(delegate=delegate).exists()
    assert not DelegatePhoto.objects.exists()
    assert _images_on_first_page(_badge(account, congress)) == 1  # the QR code only
    entry = AuditEntry.objects.get(action="delegate_photo_propose")
    assert (entry.actor_id, entry.changes) == (account.pk, {"pending": [False, True]})

    staff = client_for(secretary)
    detail = staff.get(reverse("congress:delegate", args=[congress.pk, delegate.pk]))
    assert 'id="photo-pending"' in detail.content.decode()
    seen = staff.get(reverse("congress:delegate_photo_pending", args=[congress.pk, delegate.pk]))
    assert (seen.status_code, seen["Content-Type"]) == (200, "image/jpeg")
    assert seen["Cache-Control"] == "private, no-store"
    read = AuditEntry.objects.filter(action="delegate_photo_read").latest("pk")
    assert (read.actor_id, read.changes) == (secretary.pk, {"pending": [None, True]})

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("congress:delegate_photo_review", args=[congress.pk, delegate.pk]),
            {"decision": "approve"},
        )
    assert not DelegatePhotoRequest.objects.exists()
    assert DelegatePhoto.objects.get(delegate=delegate).uploaded_by_id == account.pk
    assert _images_on_first_page(_badge(account, congress)) == 2  # QR code and photo
    assert len(_files(media)) == 1
    review = AuditEntry.objects.get(action="delegate_photo_review")
    approved = DelegatePhoto.objects.get(delegate=delegate).image.name
    assert review.changes == {
        "approved": [None, True],
        "photo": [False, True],
        "file": [None, approved],
    }


@time_machine.travel(BEFORE, tick=False)
def test_a_photo_sent_again_after_the_secretariat_opened_the_page_is_not_approved_unseen(
    congress, secretary, mine, media
):
    """The secretariat opens the delegate's page (the photo waiting) and the delegate sends
    another before the click: "Duyệt ảnh" decides nothing and says a new photo came."""
    delegate, account = mine
    me_photo = reverse("congress:me_photo", args=[congress.pk])
    client_for(account).post(me_photo, {"photo": _image()})
    staff = client_for(secretary)
    detail = staff.get(reverse("congress:delegate", args=[congress.pk, delegate.pk]))
    seen = re.search(r'name="photo" value="([^"]+)"', detail.content.decode())
    assert seen is not None
    client_for(account).post(me_photo, {"photo": _image()})  # another, unseen
    review = reverse("congress:delegate_photo_review", args=[congress.pk, delegate.pk])
    page = staff.post(review, {"decision": "approve", "photo": seen[1]}, follow=True)
    assert "Đại biểu đã gửi ảnh khác" in page.content.decode()
    assert not DelegatePhoto.objects.exists()
    assert DelegatePhotoRequest.objects.filter(delegate=delegate).exists()
    fresh = re.search(r'name="photo" value="([^"]+)"', page.content.decode())
    assert fresh is not None
    assert fresh[1] != seen[1]
    staff.post(review, {"decision": "approve", "photo": fresh[1]})
    assert DelegatePhoto.objects.filter(delegate=delegate).exists()


@time_machine.travel(BEFORE, tick=False)
def test_a_new_photo_waits_while_the_badge_keeps_the_old_one_and_replaces_it_when_approved(
    congress, secretary, mine, media, django_capture_on_commit_callbacks
):
    delegate, account = mine
    services.delegate_photo_set(secretary, delegate, _image())
    old = DelegatePhoto.objects.get(delegate=delegate).image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delegate_photo_propose(account, delegate, _image(size=(400, 500)))
        services.delegate_photo_propose(account, delegate, _image(size=(500, 600)))  # again
    assert len(_files(media)) == 2  # the badge's and the last one sent
    assert DelegatePhoto.objects.get(delegate=delegate).image.name == old
    with django_capture_on_commit_callbacks(execute=True):
        services.delegate_photo_review(secretary, delegate, approve=True)
    assert DelegatePhoto.objects.get(delegate=delegate).image.name != old
    assert len(_files(media)) == 1


@time_machine.travel(BEFORE, tick=False)
def test_a_refused_photo_is_deleted_and_the_delegate_told_why(
    congress, secretary, mine, media, django_capture_on_commit_callbacks
):
    delegate, account = mine
    services.delegate_photo_propose(account, delegate, _image())
    with pytest.raises(ValidationError):
        services.delegate_photo_review(secretary, delegate, approve=False)  # no reason
    with django_capture_on_commit_callbacks(execute=True):
        services.delegate_photo_review(
            secretary, delegate, approve=False, reason="Ảnh không rõ mặt"
        )
    assert not DelegatePhotoRequest.objects.exists()
    assert not DelegatePhoto.objects.exists()
    assert _files(media) == []
    told = Notification.objects.get(recipient=account, kind=PHOTO_REFUSED)
    assert "Ảnh không rõ mặt" in told.message
    with pytest.raises(CongressActionRefused) as none:
        services.delegate_photo_review(secretary, delegate, approve=True)
    assert none.value.code == "no_photo_request"


@time_machine.travel(BEFORE, tick=False)
def test_only_the_delegate_sends_and_only_the_secretariat_approves(
    congress, secretary, verifier, office_user, mine, media
):
    delegate, account = mine
    other = Delegate.objects.exclude(pk=delegate.pk).filter(congress=congress).first()
    for who, whom in ((secretary, delegate), (office_user, delegate), (account, other)):
        with pytest.raises(CongressActionRefused):
            services.delegate_photo_propose(who, whom, _image())
    with pytest.raises(ValidationError) as bad:
        services.delegate_photo_propose(account, delegate, SimpleUploadedFile("a.jpg", PDF_BYTES))
    assert bad.value.error_list[0].code == "photo_type"
    assert not DelegatePhotoRequest.objects.exists()
    assert _files(media) == []

    services.delegate_photo_propose(account, delegate, _image())
    with pytest.raises(CongressActionRefused):
        services.delegate_photo_review(verifier, delegate, approve=True)
    with pytest.raises(CongressActionRefused):
        services.delegate_photo_review(account, delegate, approve=True)
    url = reverse("congress:delegate_photo_pending", args=[congress.pk, delegate.pk])
    assert client_for(office_user).get(url).status_code == 404
    assert client_for(verifier).get(url).status_code == 200  # the credentials board reads it
    review = reverse("congress:delegate_photo_review", args=[congress.pk, delegate.pk])
    client_for(verifier).post(review, {"decision": "approve"})
    assert not DelegatePhoto.objects.exists()

    after = dt.datetime.combine(congress.closes_on + dt.timedelta(days=1), dt.time(9), dt.UTC)
    with time_machine.travel(after, tick=False), pytest.raises(CongressActionRefused) as closed:
        services.delegate_photo_propose(account, delegate, _image())
    assert closed.value.code == "congress_closed"


@time_machine.travel(BEFORE, tick=False)
def test_a_photo_waiting_goes_with_the_rest_of_the_personal_data(
    congress, mine, media, django_capture_on_commit_callbacks
):
    delegate, account = mine
    services.delegate_photo_propose(account, delegate, _image())
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.personal_data_erase(congress)
    assert counts["photos"] == 1
    assert not DelegatePhotoRequest.objects.exists()
    assert _files(media) == []


@time_machine.travel(BEFORE, tick=False)
def test_the_pages_with_a_photo_waiting_keep_their_queries(
    congress, secretary, mine, media, django_assert_max_num_queries
):
    delegate, account = mine
    services.delegate_photo_propose(account, delegate, _image())
    staff, own = client_for(secretary), client_for(account)
    detail = reverse("congress:delegate", args=[congress.pk, delegate.pk])
    me = reverse("congress:me", args=[congress.pk])
    staff.get(detail), own.get(me)  # sessions warmed
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert 'id="photo-pending"' in staff.get(detail).content.decode()
    with django_assert_max_num_queries(ME_QUERIES):
        assert "đang chờ Ban Tổ chức duyệt" in own.get(me).content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_the_delegates_list_shows_the_secretariat_the_photos_waiting_in_the_same_queries(
    congress, secretary, office_user, mine, media, django_assert_max_num_queries
):
    delegate, account = mine
    url = reverse("congress:delegates", args=[congress.pk])
    staff = client_for(secretary)
    staff.get(url)
    with django_assert_max_num_queries(12) as before:
        assert 'id="photos-waiting"' not in staff.get(url).content.decode()
    services.delegate_photo_propose(account, delegate, _image())
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = staff.get(url).content.decode()
    assert "1 ảnh đại biểu tự gửi chờ duyệt" in page
    assert f"/delegates/{delegate.pk}/" in page
    assert 'id="photos-waiting"' not in client_for(office_user).get(url).content.decode()
