"""`dondoc demo --if-empty`, which `dondoc serve` runs: never loads over existing data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.agencies.models import Agency
from dondoc.tracking.models import Task


def test_on_a_database_with_data_it_only_prints_the_demo_accounts(lead_agency):
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "Tài khoản dùng thử (mật khẩu chung: dondoc-demo-2026):" in out.getvalue()
    assert "đang nạp dữ liệu mẫu" not in out.getvalue()
    assert (Agency.objects.count(), Task.objects.count()) == (1, 0)


def test_without_if_empty_it_refuses_a_database_with_data(lead_agency):
    with pytest.raises(CommandError, match="chỉ nạp vào cơ sở dữ liệu trống"):
        call_command("demo", stdout=StringIO())
