"""What every XLSX writer of dondoc does to the text it writes.

A text cell that begins with "=", "+", "-", "@", a tab or a carriage return is a formula to
spreadsheet software once someone edits it (or at once, for openpyxl, if it begins with "="):
"=HYPERLINK(...)" typed as a task title would run on the office's computers. Such a cell is
written as text with the quote prefix, exactly what Excel and LibreOffice store when a user
types a leading apostrophe: the cell shows the text as typed, keeps it text when edited, and
reads back (import, pandas, openpyxl) without an added character.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dondoc.core.text import clean

if TYPE_CHECKING:  # openpyxl is imported by the writers, where a workbook is made
    from openpyxl.cell.cell import Cell

__all__ = [
    "FORMULA_TRIGGERS",
    "XLSX_CONTENT_TYPE",
    "keep_as_text",
    "looks_like_formula",
    "xlsx_text",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_text(text: str) -> str:
    """`text` as a cell may hold it: cleaned (`core.text.clean`) of what XML refuses."""
    return clean(text)


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def keep_as_text(cell: Cell) -> Cell:
    """Mark `cell` (holding a string) as text with the quote prefix; set after any named style,
    which would reset the prefix."""
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
