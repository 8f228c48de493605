"""`dondoc urging sweep|deliver|digest`, by hand."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dondoc.urging.models import Notification
from tests.urging.conftest import DAY, DEADLINE, make_task

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("urging", *args, stdout=out)
    return out.getvalue().strip()


def test_sweep_by_hand_for_a_given_day(lead_agency, lead_focal, digest_focal):
    make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    assert run("sweep", "--day", "2026-12-15") == (
        "2026-12-15: 1 schedules refreshed, 1 due, 1 claimed, 0 parked, "
        "0 taken by another worker; 2 notifications, 1 e-mails queued"
    )
    assert run("sweep", "--day", "2026-12-15").endswith("0 notifications, 0 e-mails queued")
    assert run("deliver") == "1 sent, 0 failed, 0 left for the next run"
    assert run("digest", "--day", "2026-12-16") == "1 digests with 1 notifications"
    assert Notification.objects.count() == 3


def test_a_bad_day_is_refused():
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        run("sweep", "--day", "15/12/2026")
