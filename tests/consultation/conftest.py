"""A draft under consultation, its round open on a fixed day, and clients for the pages."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts.models import User
from dondoc.consultation import services
from dondoc.consultation.models import ConsultationRound, Draft
from tests.api.conftest import api  # noqa: F401 - the bearer-token client fixture

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()

DRAFT_TEXT = """\
# Dự thảo Luật Đất đai (sửa đổi)

Chương I. Quy định chung

Điều 1. Phạm vi điều chỉnh
Luật này quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước.

Điều 2. Bồi thường khi Nhà nước thu hồi đất
Người có đất thu hồi được bồi thường theo giá đất cụ thể, sát giá thị trường.

Chương II. Quy hoạch sử dụng đất

Điều 3. Lấy ý kiến về quy hoạch
Quy hoạch sử dụng đất được công khai, lấy ý kiến nhân dân trước khi phê duyệt.
"""


@pytest.fixture(autouse=True)
def _fixed_now(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CONSULTATION_POW_DIGITS = 1
    with time_machine.travel(NOW, tick=False):
        yield


def web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    if user.requires_2fa:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def draft(office_user) -> Draft:
    return services.draft_import(office_user, "Dự thảo Luật Đất đai (sửa đổi)", text=DRAFT_TEXT)


@pytest.fixture
def open_round(office_user, draft) -> ConsultationRound:
    return services.round_open(
        office_user, draft, TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=30)
    )


def section(draft: Draft, number: str):
    return draft.sections.get(number=number)


@pytest.fixture
def themed(office_user, draft, open_round) -> Draft:
    """24 citizens' comments on Điều 2, synthesized: themes that a later run keeps or loses."""
    from .test_through_runs import JOBS, PRICE, RESETTLEMENT, synthesize

    article = section(draft, "Điều 2").pk
    rows = [("partial", text, "citizen", "web", article) for text in PRICE + RESETTLEMENT + JOBS]
    services._comments_import(open_round, rows)
    synthesize(office_user, draft)
    return draft
