"""`dondoc review`: writes the three files and prints the headline; a bad argument exits non-zero
with a Vietnamese message."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command


def test_command_writes_the_three_files_and_prints_the_headline(world, tmp_path):
    out = io.StringIO()
    call_command("review", period="2026-10", scope="all", format="docx,pdf,xlsx",
                 out=str(tmp_path / "r"), stdout=out)  # fmt: skip
    names = sorted(p.name for p in (tmp_path / "r").iterdir())
    assert names == [
        "kiem-diem-2026-10-all.docx", "kiem-diem-2026-10-all.pdf", "kiem-diem-2026-10-all.xlsx",
    ]  # fmt: skip
    assert all((tmp_path / "r" / name).stat().st_size > 5000 for name in names)
    text = out.getvalue()
    assert (
        "Kiểm điểm tiến độ thực hiện nhiệm vụ tháng 10 năm 2026 (tính đến ngày 31/10/2026)" in text
    )
    assert "Chưa hoàn thành, quá hạn: 3 (30,00%), kỳ trước 27,27%" in text
    assert "Thời gian: số liệu" in text


def test_command_names_files_after_scope_and_custom_period(world, tmp_path):
    call_command("review", period="2026-07-01..2026-10-31", scope="document:57-NQ/TW",
                 format="xlsx", out=str(tmp_path), stdout=io.StringIO())  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == [
        "kiem-diem-2026-07-01-2026-10-31-document-57-nq-tw.xlsx"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"period": "2026-13"}, "Kỳ báo cáo “2026-13” không hợp lệ"),
        ({"period": "2026-10", "scope": "agency:KHONGCO"}, "không có cơ quan mã KHONGCO"),
        ({"period": "2026-10", "format": "docx,odt"}, "Định dạng không hợp lệ: odt"),
    ],
)
def test_bad_arguments_fail_with_a_vietnamese_message(world, tmp_path, args, message):
    with pytest.raises(CommandError) as failed:
        call_command("review", out=str(tmp_path), stdout=io.StringIO(), **args)
    assert message in str(failed.value)
    assert failed.value.returncode == 2
    assert not list(tmp_path.iterdir())


def test_bad_period_exits_non_zero_from_the_shell(tmp_path):
    env = {**os.environ, "DONDOC_DATA_DIR": str(tmp_path), "DONDOC_DEMO": "false"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "review", "--period", "tháng 10", "--out", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Kỳ báo cáo “tháng 10” không hợp lệ" in done.stderr
