"""Helpers for the sign-in and user administration tests."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts.models import User


def code_for(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now."""
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{token:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A code that no step within the tolerance window accepts."""
    now = time.time()
    valid = set()
    for offset in range(-device.tolerance, device.tolerance + 1):
        clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        clock.time = now + offset * device.step
        valid.add(clock.token())
    return next(f"{n:06d}" for n in range(10**6) if n not in valid)


def add_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)


def sign_in_verified(client: Client, user: User) -> Client:
    """Signed in with password and second factor, without going through the pages."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sign_in_with_password(client: Client, user: User, password: str, **extra: str):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": password, **extra}
    )


@pytest.fixture
def admin_client_verified(client: Client, admin_user: User) -> Client:
    return sign_in_verified(client, admin_user)
