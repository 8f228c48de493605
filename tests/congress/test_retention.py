"""The personal data of a congress's people is erased by the daily job once the congress has
been closed for `CONGRESS_PERSONAL_DATA_RETENTION_DAYS` (Decree 13/2023): delegates' profiles,
accessible-seat needs and account links; guests' and journalists' names, press card numbers and
refusal reasons. The roll of delegates and the credentials decisions stay."""

import datetime as dt

import pytest
import time_machine
from celery import current_app
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.audit.models import AuditEntry
from dondoc.audit.services import audit_verify
from dondoc.congress import services
from dondoc.congress.models import Delegate, DelegateProfile, Guest, PressPass
from dondoc.congress.services import GuestData, PressData
from dondoc.congress.tasks import personal_data_erase_due_task
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
CLOSES = dt.date(2026, 1, 23)  # the conftest's congress: opens 19 January, four days


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.CONGRESS_PERSONAL_DATA_RETENTION_DAYS = 30


@pytest.fixture
def people(congress, secretary, delegate):
    with time_machine.travel(BEFORE, tick=False):
        services.guest_invite(secretary, congress, GuestData(
            "international", "Bun-thong Chit-ma-ni", "Phó Chủ tịch nước",
            "Đảng Nhân dân Cách mạng Lào", 1, "K", "Lào"))  # fmt: skip
        press = services.press_request(
            secretary, congress, PressData("Trần Văn Báo", "Báo Nhân Dân", "reporter", "NB-001")
        )
        services.press_decide(secretary, press, approve=False, reason="Thẻ nhà báo hết hạn")
        services.delegate_link_user(secretary, delegate, secretary)
    return congress


def test_after_the_retention_the_people_s_personal_data_is_erased_and_the_roll_stays(people):
    names = sorted(Delegate.objects.values_list("full_name", flat=True))
    assert DelegateProfile.objects.count() == 19

    assert services.personal_data_erase_due(CLOSES + dt.timedelta(days=30)) == []  # not yet
    assert services.personal_data_erase_due(CLOSES + dt.timedelta(days=31)) == [people.pk]

    assert not DelegateProfile.objects.exists()
    assert not Delegate.objects.filter(needs_accessible_seat=True).exists()
    assert not Delegate.objects.filter(user__isnull=False).exists()
    assert sorted(Delegate.objects.values_list("full_name", flat=True)) == names  # the roll
    guest = Guest.objects.get()
    assert (guest.full_name, guest.interpreter) == (f"Khách mời {guest.pk}", "")
    assert guest.organization == "Đảng Nhân dân Cách mạng Lào"  # who was invited, as a role
    press = PressPass.objects.get()
    assert (press.full_name, press.card_number, press.reason) == (
        f"Phóng viên {press.pk}", f"-{press.pk}", "")  # fmt: skip
    assert press.outlet == "Báo Nhân Dân"
    people.refresh_from_db()
    assert people.personal_data_erased_at is not None

    entry = AuditEntry.objects.get(action="congress_personal_data_erase")
    assert entry.actor_id is None
    assert entry.changes["profiles"] == [19, 0]
    assert (entry.changes["guests"], entry.changes["press"]) == ([1, 0], [1, 0])
    assert "NB-001" not in str(entry.changes)
    assert audit_verify().ok


def test_a_second_run_erases_nothing_and_audits_nothing(people):
    later = CLOSES + dt.timedelta(days=60)
    assert services.personal_data_erase_due(later) == [people.pk]
    assert services.personal_data_erase_due(later) == []
    assert services.personal_data_erase_due(later + dt.timedelta(days=365)) == []
    assert AuditEntry.objects.filter(action="congress_personal_data_erase").count() == 1


def test_the_daily_job_runs_the_retention(people, settings):
    settings.CONGRESS_PERSONAL_DATA_RETENTION_DAYS = 0
    assert personal_data_erase_due_task.apply().get() == 1  # today is long after 23 January
    assert not DelegateProfile.objects.exists()
    entry = django_settings.CELERY_BEAT_SCHEDULE["congress-erase-personal-data-daily"]
    assert entry["task"] == personal_data_erase_due_task.name
    assert entry["task"] in current_app.tasks
    assert entry["schedule"].hour == {3}


def test_after_the_erasure_the_delegate_page_says_the_profile_is_gone(people, secretary, delegate):
    services.personal_data_erase_due(CLOSES + dt.timedelta(days=31))
    url = reverse("congress:delegate", args=[people.pk, delegate.pk])
    page = client_for(secretary).get(url + "?profile=1")
    assert page.status_code == 200
    assert "Lý lịch đã được xóa khi hết thời hạn lưu trữ" in page.content.decode()
    assert not AuditEntry.objects.filter(action="delegate_profile_read").exists()


def test_an_administrator_erases_a_closed_congress_s_data_before_the_retention(
    people, admin_user, secretary
):
    url = reverse("congress:erase_personal_data", args=[people.pk])
    admin = _with_second_factor(admin_user)
    with time_machine.travel(dt.datetime(2026, 1, 23, 15, tzinfo=dt.UTC), tick=False):
        page = admin.get(reverse("congress:detail", args=[people.pk]))
        assert "Xóa ngay dữ liệu cá nhân" not in page.content.decode()  # still in session
        assert admin.post(url).status_code == 403
        assert "Đại hội chưa bế mạc" in admin.post(url).content.decode()
    assert DelegateProfile.objects.count() == 19

    with time_machine.travel(dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC), tick=False):
        assert client_for(secretary).post(url).status_code == 403  # only an administrator
        page = admin.get(reverse("congress:detail", args=[people.pk]))
        assert "Xóa ngay dữ liệu cá nhân" in page.content.decode()
        answer = admin.post(url, follow=True)
        assert answer.status_code == 200
        text = answer.content.decode()
        assert "đã được xóa ngày 02/02/2026" in text
        assert "Xóa ngay dữ liệu cá nhân" not in text
        assert admin.post(url).status_code == 403  # once
    assert not DelegateProfile.objects.exists()
    assert Guest.objects.get().full_name.startswith("Khách mời ")
    entry = AuditEntry.objects.get(action="congress_personal_data_erase")
    assert entry.actor_id == admin_user.pk
    assert entry.changes["profiles"] == [19, 0]
    # the daily job finds nothing left to erase
    assert services.personal_data_erase_due(CLOSES + dt.timedelta(days=365)) == []
    assert audit_verify().ok


def _with_second_factor(user) -> Client:
    """An administrator signed in with their second factor (the site asks it of them)."""
    client = client_for(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
