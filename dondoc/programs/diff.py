"""What changed between two versions of a proposal, section by section, side by side
(`difflib`): paragraphs aligned, and within a changed paragraph the words removed and added."""

import dataclasses
import difflib
from collections.abc import Sequence

from dondoc.programs.models import CONTENT_SECTIONS, ProposalVersion


@dataclasses.dataclass(frozen=True, slots=True)
class Piece:
    text: str
    changed: bool  # removed (left) or added (right)


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One aligned pair of paragraphs: equal, replaced, deleted (right empty) or inserted."""

    tag: str
    left: Sequence[Piece]
    right: Sequence[Piece]


@dataclasses.dataclass(frozen=True, slots=True)
class SectionDiff:
    field: str
    name: str
    changed: bool
    rows: Sequence[Row]


def _words(a: str, b: str) -> tuple[list[Piece], list[Piece]]:
    left, right = a.split(" "), b.split(" ")
    out_left: list[Piece] = []
    out_right: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            out_left.append(Piece(" ".join(left[i1:i2]), tag != "equal"))
        if j2 > j1:
            out_right.append(Piece(" ".join(right[j1:j2]), tag != "equal"))
    return out_left, out_right


def _rows(a: str, b: str) -> list[Row]:
    left, right = a.splitlines(), b.splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [Row(tag, [Piece(line, False)], [Piece(line, False)]) for line in left[i1:i2]]
            continue
        olds, news = left[i1:i2], right[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            if old is not None and new is not None:
                rows.append(Row("replace", *_words(old, new)))
            elif old is not None:
                rows.append(Row("delete", [Piece(old, True)], []))
            elif new is not None:
                rows.append(Row("insert", [], [Piece(new, True)]))
    return rows


def versions_diff(before: ProposalVersion, after: ProposalVersion) -> list[SectionDiff]:
    """Each section of the two versions, aligned; `changed` when its text differs."""
    return [
        SectionDiff(
            field,
            str(name),
            getattr(before, field) != getattr(after, field),
            _rows(getattr(before, field), getattr(after, field)),
        )
        for field, name in CONTENT_SECTIONS.items()
    ]
