"""A draft's sections from its text: Markdown headings, the parts of a legal text (Phần,
Chương, Mục, Điều) and the numbered headings of a political report ("I.", "1.", "a)").

`parse_markdown(text)` and `parse_docx(stream)` return `ParsedSection`s in reading order; the
text between two headings is the body of the first. `reference_keys(number)` gives the keys a
comment's explicit reference ("Điều 12", "mục II") is matched against.
"""

import dataclasses
import re
from collections.abc import Iterable
from typing import BinaryIO

from dondoc.core.text import clean

_ROMAN = r"[IVXLC]+"
# (pattern, level, how the number is written); the first that matches a line decides.
_HEADINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^(Phần(?: thứ)? [\wÀ-ỹ]+)[.:\-\u2013]?\s*(.*)$", re.IGNORECASE), 1),
    (re.compile(rf"^(Chương {_ROMAN}|Chương \d+)[.:\-\u2013]?\s*(.*)$", re.IGNORECASE), 2),
    (re.compile(rf"^(Mục \d+|Mục {_ROMAN})[.:\-\u2013]?\s*(.*)$", re.IGNORECASE), 3),
    (re.compile(r"^(Điều \d+[a-z]?)[.:\-\u2013]?\s*(.*)$", re.IGNORECASE), 4),
    (re.compile(rf"^({_ROMAN})[.\-\u2013]\s+(.+)$"), 2),
    (re.compile(r"^(\d+(?:\.\d+)*)[.\-\u2013]\s+(.{0,200})$"), 5),
)
_MARKDOWN = re.compile(r"^(#{1,6})\s+(.*)$")
_MAX_HEADING = 500


@dataclasses.dataclass
class ParsedSection:
    level: int
    number: str
    heading: str
    body_lines: list[str] = dataclasses.field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines).strip()


def _heading(line: str) -> tuple[int, str, str] | None:
    markdown = _MARKDOWN.match(line)
    if markdown:
        inner = _heading(markdown.group(2).strip())
        if inner:
            return inner
        return len(markdown.group(1)), "", markdown.group(2).strip()
    for pattern, level in _HEADINGS:
        found = pattern.match(line)
        if found:
            return level, found.group(1).strip(), found.group(2).strip()[:_MAX_HEADING]
    return None


def parse_lines(lines: Iterable[str], *, markdown: bool = True) -> list[ParsedSection]:
    """Sections from lines of text. Numbered lines ("1. ...") count as headings only in a
    Markdown heading or when short (a clause of a report, not a long paragraph)."""
    sections: list[ParsedSection] = []
    preamble: list[str] = []
    for raw in lines:
        line = clean(raw).strip()
        if not line:
            continue
        found = _heading(line) if (markdown or not line.startswith("#")) else None
        if found and found[0] == 5 and len(line) > 160:
            found = None  # a long numbered paragraph is body text, not a heading
        if found:
            sections.append(ParsedSection(level=found[0], number=found[1], heading=found[2]))
        elif sections:
            sections[-1].body_lines.append(line)
        else:
            preamble.append(line)
    if preamble:
        sections.insert(0, ParsedSection(level=1, number="", heading="", body_lines=preamble))
    return sections


def parse_markdown(text: str) -> list[ParsedSection]:
    return parse_lines(text.splitlines())


def parse_docx(stream: BinaryIO) -> list[ParsedSection]:
    """Sections from a DOCX: Word's heading styles and the numbered lines above."""
    import docx  # python-docx, loaded only when a DOCX is imported

    lines = []
    for paragraph in docx.Document(stream).paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if style.startswith("Heading") and style[-1:].isdigit() and not _heading(text):
            lines.append(f"{'#' * int(style[-1])} {text}")
        else:
            lines.append(text)
    return parse_lines(lines)


def reference_keys(number: str) -> frozenset[str]:
    """How comments refer to a section numbered `number`: "Điều 12" -> {"điều 12"}, a report's
    "II" -> {"mục ii", "phần ii"}, "3" -> {"mục 3"}."""
    key = " ".join(number.lower().split())
    if not key:
        return frozenset()
    if re.fullmatch(_ROMAN.lower(), key):
        return frozenset({f"mục {key}", f"phần {key}"})
    if re.fullmatch(r"\d+(\.\d+)*", key):
        return frozenset({f"mục {key}", f"điểm {key}"})
    return frozenset({key.replace("phần thứ ", "phần ")})
