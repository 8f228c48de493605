"""Every signed-in user's own page: what they may do, how they are reminded, their password."""

import pytest
from django.urls import reverse

from dondoc.accounts.models import NotificationMode
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
NEW_PASSWORD = "Mot-mat-khau-rat-moi-2026"


def test_profile_shows_roles_agency_and_clearance(client, lead_focal):
    client.force_login(lead_focal)

    html = client.get(reverse("accounts:profile")).content.decode()

    assert "Đầu mối cơ quan" in html
    assert "Ban Tổ chức Trung ương" in html
    assert "Thường" in html


def test_user_chooses_a_daily_digest_instead_of_immediate_reminders(client, lead_focal):
    client.force_login(lead_focal)

    response = client.post(
        PROFILE, {"action": "notifications", "notification_mode": NotificationMode.DIGEST}
    )

    assert response.status_code == 302
    lead_focal.refresh_from_db()
    assert lead_focal.notification_mode == NotificationMode.DIGEST


def test_unknown_notification_mode_is_refused(client, lead_focal):
    client.force_login(lead_focal)

    response = client.post(PROFILE, {"action": "notifications", "notification_mode": "pigeon"})

    assert response.status_code == 200
    lead_focal.refresh_from_db()
    assert lead_focal.notification_mode == NotificationMode.IMMEDIATE


def test_changing_the_password_keeps_this_session_and_replaces_the_old_password(client, lead_focal):
    client.force_login(lead_focal)

    response = client.post(
        PROFILE,
        {
            "action": "password",
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200
    lead_focal.refresh_from_db()
    assert lead_focal.check_password(NEW_PASSWORD)
    client.post(reverse("accounts:logout"))
    assert sign_in_with_password(client, lead_focal, PASSWORD).status_code == 200
    assert sign_in_with_password(client, lead_focal, NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_current_password(client, lead_focal):
    client.force_login(lead_focal)

    response = client.post(
        PROFILE,
        {
            "action": "password",
            "old_password": "khong-dung",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["password_form"].errors["old_password"]
    lead_focal.refresh_from_db()
    assert lead_focal.check_password(PASSWORD)


def test_profile_is_for_signed_in_users_only(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
