import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts.models import User


def signed_in_client(user: User) -> Client:
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
def admin_web(admin_user) -> Client:
    return signed_in_client(admin_user)


@pytest.fixture
def office_web(office_user) -> Client:
    return signed_in_client(office_user)
