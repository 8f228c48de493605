"""Folded text: `search_key` applied character by character, with a map back to the original.

Matching agency names and deadline phrases happens on the folded form (lower case, no
diacritics, đ -> d, one space between words), where "Đảng uỷ", "ĐẢNG ỦY" and "dang uy" are the
same string; the spans found are mapped back to the original text for titles and quotes.
Folding each character alone gives the same string as `search_key` on the whole text once
the text is NFC (which `normalize` makes it), because every mark is removed anyway.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from dondoc.core.text import search_key

_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isspace() or unicodedata.category(ch) == "Cc":
        return " "  # as `normalize` does
    return search_key(ch)


@dataclass(frozen=True)
class Token:
    word: str
    start: int  # in the folded text
    end: int


@dataclass
class Folded:
    """`text` folded into `folded`; `origin[i]` is the index in `text` of `folded[i]`."""

    text: str
    folded: str = field(init=False)
    origin: list[int] = field(init=False)

    def __post_init__(self) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for index, ch in enumerate(self.text):
            for piece in _fold_char(ch):
                if piece == " " and (not chars or chars[-1] == " "):
                    continue
                chars.append(piece)
                origin.append(index)
        self.folded = "".join(chars)
        self.origin = origin

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `text` that folded[start:end] came from."""
        if start >= end or start >= len(self.origin):
            position = self.origin[start] if start < len(self.origin) else len(self.text)
            return position, position
        return self.origin[start], self.origin[end - 1] + 1

    def original(self, start: int, end: int) -> str:
        first, last = self.original_span(start, end)
        return self.text[first:last]

    def tokens(self) -> list[Token]:
        return [Token(m[0], m.start(), m.end()) for m in _WORD.finditer(self.folded)]


def fold(text: str) -> str:
    """The folded form of `text` (equal to `search_key(text)` for normalized text)."""
    return Folded(text).folded.strip()


def fold_words(text: str) -> tuple[str, ...]:
    """The words of the folded form, punctuation dropped: "Ban Tổ chức TW" -> (ban, to, chuc, tw)."""
    return tuple(_WORD.findall(fold(text)))
