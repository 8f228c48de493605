"""`clean`: what every text column stores and every writer writes (issue #11, item 1)."""

import unicodedata

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from dondoc.core.text import clean


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Đã họp\u0001 lần 2", "Đã họp lần 2"),
        ("dòng 1\u000bdòng 2", "dòng 1\ndòng 2"),  # Word's manual line break
        ("dòng 1\r\ndòng 2\rdòng 3", "dòng 1\ndòng 2\ndòng 3"),
        ("trang 1\u000ctrang 2", "trang 1\ntrang 2"),
        ("cột\tcột\n", "cột\tcột\n"),  # tab and newline stay
        ("null\u0000 esc\u001b del\u007f c1\u0085x\u009f", "null esc del c1\nx"),
        ("lẻ \ud800 loi \ufffe\uffff", "lẻ  loi "),
        ("Ho\u0061\u0300a", "Hoàa"),  # NFC
    ],
)
def test_control_characters_are_dropped_and_line_breaks_kept(typed: str, stored: str) -> None:
    assert clean(typed) == stored


def test_decomposed_vietnamese_is_stored_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị quyết số 57-NQ/TW về chuyển đổi số")
    assert clean(decomposed) == "Nghị quyết số 57-NQ/TW về chuyển đổi số"


@given(st.text())
def test_clean_text_is_accepted_by_every_writer_and_clean_is_idempotent(text: str) -> None:
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    Workbook().active.cell(1, 1, cleaned)  # openpyxl raises IllegalCharacterError
    docx.Document().add_paragraph(cleaned)  # lxml raises "All strings must be XML compatible"
    cleaned.encode("utf-8")  # no lone surrogates
