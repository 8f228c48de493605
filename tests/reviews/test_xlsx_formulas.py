"""The review's workbook writes text that begins like a formula as text (issue #11, item 7)."""

import io

import openpyxl

from dondoc.reviews.content import Table
from dondoc.reviews.models import ReviewStatus
from dondoc.tracking.models import Task
from tests.reviews.test_control_characters import _make_review

TITLE = '=HYPERLINK("http://example.invalid","T3")'


def test_a_task_title_beginning_with_equals_is_text_in_the_review_workbook(
    world, office_user, django_capture_on_commit_callbacks
):
    Task.objects.filter(pk=world.tasks["T3"].pk).update(title=TITLE)
    review = _make_review(office_user, django_capture_on_commit_callbacks)
    assert review.status == ReviewStatus.DONE
    book = openpyxl.load_workbook(io.BytesIO(review.xlsx.read()))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value == TITLE]  # fmt: skip
    assert cells
    assert {(cell.data_type, cell.quotePrefix) for cell in cells} == {("s", True)}
    assert not any(
        cell.data_type == "f" for sheet in book for row in sheet.iter_rows() for cell in row
    )


def test_table_rows_are_cleaned_once_for_every_output():
    table = Table(sheet="x", caption="x", columns=[], rows=[["a\u0001b", 3, None]])
    assert table.rows == [["ab", 3, None]]
