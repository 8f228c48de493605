"""Reads of other people's personal data are audited (Decree 13/2023, docs/personal-data.md)."""

import pytest
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.audit.models import AuditEntry
from tests.agencies.conftest import signed_in
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_an_administrator_opening_someones_account_is_recorded(admin_user, lead_agency):
    focal = make_user("daumoi.btctw", lead_agency, RoleCode.FOCAL)
    response = signed_in(admin_user).get(reverse("accounts:user_edit", args=[focal.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="personal_data_view")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        admin_user.pk, "accounts.user", str(focal.pk),
    )  # fmt: skip
    assert "email" in entry.changes["fields"][1]


def test_the_user_list_records_who_was_shown(admin_user, lead_agency, other_agency):
    shown = {make_user(f"nguoi{n}", lead_agency, RoleCode.FOCAL).pk for n in range(3)}
    response = signed_in(admin_user).get(reverse("accounts:user_list"), {"q": "nguoi"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="personal_data_list")
    assert set(entry.changes["users"][1]) == shown
    assert entry.changes["query"][1] == "q=nguoi"


def test_ones_own_account_and_an_empty_list_are_not_recorded(admin_user):
    client = signed_in(admin_user)
    assert client.get(reverse("accounts:user_edit", args=[admin_user.pk])).status_code == 200
    assert client.get(reverse("accounts:user_list"), {"q": "khongco"}).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not AuditEntry.objects.filter(action__startswith="personal_data").exists()
