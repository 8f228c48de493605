"""The difference between two versions of a draft, section by section: which sections were
added, removed or changed, and for a changed one its text diff (word by word).

Sections are paired in reading order (`difflib.SequenceMatcher` over their titles: heading,
else number), so an article inserted in the middle does not shift every pairing after it and
a renumbered article ("Điều 5" → "Điều 6") with the same heading is still the same article.
Within a block of unpaired titles, sections whose text is still at least `SIMILAR` alike are
paired as changed (a retitled article); the rest are removed and added."""

import dataclasses
import difflib
import enum
import re
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from dondoc.core.text import search_key

SIMILAR = 0.5  # text similarity (difflib ratio) above which a retitled section is the same one


class Change(enum.StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


# a section: anything with `number`, `heading` and `body` strings (a model row, a parsed one);
# not a Protocol, which the Django plugin's column types do not satisfy
S = TypeVar("S")


@dataclasses.dataclass(frozen=True)
class Piece:
    """A run of words: kept (`op` ""), inserted ("+") or deleted ("-")."""

    op: str
    text: str


@dataclasses.dataclass
class SectionChange(Generic[S]):
    change: Change
    old: S | None
    new: S | None
    pieces: list[Piece] = dataclasses.field(default_factory=list)

    @property
    def title_changed(self) -> bool:
        return bool(self.old and self.new and _title(self.old) != _title(self.new))


def _title(section: Any) -> str:
    return " ".join(p for p in (section.number, section.heading) if p)


def _key(section: Any) -> str:
    return search_key(section.heading or section.number)


def _text(section: Any) -> str:
    return f"{_title(section)}\n{section.body}".strip()


_WORDS = re.compile(r"^\s+|\S+\s*")  # a word with the space after it


def text_diff(old: str, new: str) -> list[Piece]:
    """Word by word (each with its following space, so that a change of several words is one
    piece), adjacent pieces of one kind joined."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    pieces: list[Piece] = []

    def add(op: str, words: Sequence[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("", a[i1:i2])
        else:
            add("-", a[i1:i2])
            add("+", b[j1:j2])
    return pieces


def _pair(old: S, new: S) -> SectionChange[S]:
    if _text(old) == _text(new):
        return SectionChange(Change.SAME, old, new)
    return SectionChange(Change.CHANGED, old, new, text_diff(_text(old), _text(new)))


def _similar(old: Any, new: Any) -> float:
    return difflib.SequenceMatcher(None, _text(old), _text(new), autojunk=False).ratio()


def _unpaired(olds: Sequence[S], news: Sequence[S]) -> list[SectionChange[S]]:
    """A block of sections whose titles did not match: pair each new one with the first old
    one after the last pairing whose text is still alike, keeping reading order."""
    out: list[SectionChange[S]] = []
    start = 0
    for new in news:
        found = next(
            (i for i in range(start, len(olds)) if _similar(olds[i], new) >= SIMILAR), None
        )
        if found is None:
            out.append(SectionChange(Change.ADDED, None, new))
            continue
        out += [SectionChange(Change.REMOVED, old, None) for old in olds[start:found]]
        out.append(_pair(olds[found], new))
        start = found + 1
    out += [SectionChange(Change.REMOVED, old, None) for old in olds[start:]]
    return out


def sections_diff(old: Sequence[S], new: Sequence[S]) -> list[SectionChange[S]]:
    """Every section of both versions once, in the new version's reading order (a removed
    section where it stood)."""
    matcher = difflib.SequenceMatcher(
        None, [_key(s) for s in old], [_key(s) for s in new], autojunk=False
    )
    out: list[SectionChange[S]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [_pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            out += _unpaired(old[i1:i2], new[j1:j2])
    return out
