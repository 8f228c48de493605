"""Commenters' identities erased when a consultation is over (Decree 13/2023): after the
retention by the daily job, or earlier by an administrator; the comments stay."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.access import DraftActionRefused
from dondoc.consultation.models import Comment, CommenterIdentity, CommentImport, ImportRejection
from tests.conftest import make_user

from .conftest import TODAY, web

ROWS = (
    "Ý kiến,Nội dung,Họ và tên,Số điện thoại,Địa chỉ,Email\n"
    "Đồng ý một phần,Đề nghị bồi thường sát giá thị trường,Nguyễn Văn An,0912345678,"
    "12 Lý Thái Tổ,an@example.vn\n"
    "Sai,Trần Thị Bình,,,,\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONSULTATION_IDENTITY_RETENTION_DAYS = 30


@pytest.fixture
def closed_round(office_user, draft):
    return services.round_open(
        office_user, draft, TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=31)
    )


@pytest.fixture
def imported(office_user, draft, closed_round) -> CommentImport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = services.comment_import_start(
            office_user, draft, SimpleUploadedFile("y-kien.csv", ROWS.encode())
        )
    started.refresh_from_db()
    return started


def test_identities_are_erased_after_the_retention_and_the_comments_stay(draft, imported):
    identity = CommenterIdentity.objects.get()
    assert (identity.full_name, identity.address, identity.email) == (
        "Nguyễn Văn An", "12 Lý Thái Tổ", "an@example.vn")  # fmt: skip
    stored = imported.file.name
    assert default_storage.exists(stored)

    assert services.identities_erase_due(TODAY - dt.timedelta(days=1)) == []  # 30 days: not yet
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.identities_erase_due(TODAY) == [draft.pk]

    assert not CommenterIdentity.objects.exists()
    comment = Comment.objects.get()
    assert comment.text == "Đề nghị bồi thường sát giá thị trường"
    imported.refresh_from_db()
    assert not imported.file
    assert imported.accepted == 1  # the counts stay
    assert not default_storage.exists(stored)  # the file named people: gone
    assert not ImportRejection.objects.exists()
    draft.refresh_from_db()
    assert draft.identities_erased_at is not None
    entry = AuditEntry.objects.get(action="identities_erase")
    assert entry.changes["identities"] == [1, 0]
    assert "Nguyễn Văn An" not in str(AuditEntry.objects.values_list("changes", flat=True))

    # idempotent: nothing left to erase, nothing done, nothing audited
    assert services.identities_erase_due(TODAY + dt.timedelta(days=5)) == []
    assert AuditEntry.objects.filter(action="identities_erase").count() == 1


def test_a_draft_still_taking_comments_keeps_its_identities(office_user, draft, imported):
    services.round_open(
        office_user, draft, TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=9)
    )
    assert services.identities_erase_due(TODAY) == []
    assert CommenterIdentity.objects.count() == 1


def test_an_administrator_erases_early_once_no_round_is_open(
    office_user, lead_agency, draft, imported
):
    admin = make_user("quan-tri", lead_agency, "admin")
    with pytest.raises(DraftActionRefused):
        services.identities_erase(office_user, draft)
    page = web(admin).get(f"/consultation/{draft.pk}/").content.decode()
    assert "Xóa ngay thông tin cá nhân" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = web(admin).post(f"/consultation/{draft.pk}/erase-identities/")
    assert answer.status_code == 302
    assert not CommenterIdentity.objects.exists()
    page = web(admin).get(f"/consultation/{draft.pk}/").content.decode()
    assert "đã được xóa ngày" in page
    assert AuditEntry.objects.get(action="identities_erase").actor_id == admin.pk


def test_an_open_round_refuses_early_erasure(office_user, lead_agency, draft, open_round):
    admin = make_user("quan-tri", lead_agency, "admin")
    with pytest.raises((DraftActionRefused, PermissionDenied)) as refused:
        services.identities_erase(admin, draft)
    assert "chưa kết thúc" in str(refused.value)
