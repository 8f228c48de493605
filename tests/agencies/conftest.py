"""Helpers for the agency tests: clients signed in as the named actors, a small hierarchy."""

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency, AgencyKind


def signed_in(user: User) -> Client:
    """A client signed in as `user`, past the second factor when the user's roles need one."""
    client = Client()
    client.force_login(user)
    if user.requires_2fa:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def web() -> Callable[[User], Client]:
    return signed_in


def add_agency(code: str, name: str, parent: Agency | None = None, **fields) -> Agency:
    fields.setdefault("kind", AgencyKind.OTHER)
    return Agency.objects.create(code=code, name=name, parent=parent, **fields)


@pytest.fixture
def lead_units(lead_agency) -> tuple[Agency, Agency]:
    """A department of the lead agency, and an office inside that department."""
    department = add_agency("BTCTW-V1", "Vụ Tổ chức cán bộ", lead_agency)
    office = add_agency("BTCTW-V1-P1", "Phòng Tổng hợp", department)
    return department, office
