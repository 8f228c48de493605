"""Pasted text cut into items: list entries and sentences, each tidy and on one line.

Text pasted from PDF or Word arrives with lines wrapped inside sentences, list markers ("- ",
"a)", "1.", "2.1.", "•"), non-breaking and doubled spaces, sometimes UTF-8 read as Windows-1252
("Ban Tá»• chá»©c"). `split_items` repairs what it can, then:

- a line that starts with a list marker starts a new item (the marker is dropped, the item is
  a `bullet`); so does any line after a blank line or after a line ending with ".", ":", "!"
  or "?" unless it starts in lower case; other lines continue the previous one (a line ending
  with ";" too: PDF lines break inside "Ban A; Ban B; ..." lists, and clauses are cut at
  semicolons later anyway);
- markers inside a line after ".", ";" or ":" ("...; b) Ban Tổ chức...") also start items;
- each item is then cut into sentences at ".", "!" or "?" followed by a capital letter, except
  after abbreviations ("TP. Hồ Chí Minh", "Tp. HCM").

Nothing here raises on odd input: any string gives a list, possibly empty.
"""

import re
from dataclasses import dataclass

from dondoc.core.text import normalize

__all__ = ["Item", "repair_mojibake", "split_items"]


@dataclass(frozen=True)
class Item:
    text: str
    bullet: bool  # the item is an entry of a list (its first sentence and the following ones)
    block: int = 0  # items of one paragraph or list entry share it
    marker: str = ""  # the kind of list marker it starts with ("number", "letter" ...), if any
    inline: bool = False  # an entry marked inside a line ("cụ thể: (i) ...; (ii) ...")


# "(ii)", "(iv)": the items of "cụ thể: (i) ...; (ii) ...", siblings of "(i)" (read as a letter).
_ROMAN_ITEM = r"\((?:i{1,3}|iv|vi{0,3}|ix|x)\)"
_MARKER = re.compile(
    r"^(?:[-\u2013\u2014•+*▪●○►✓➢❖]+\s*|\(?[a-zA-ZđĐ]\)\s+|\(\d{1,2}\)\s+|\d{1,2}(?:\.\d{1,2})*[.)]\s+"
    rf"|[IVX]{{1,5}}\.\s+|{_ROMAN_ITEM}\s+|Điều\s+\d{{1,3}}\.\s+)"
)
# A list marker alone on its line ("7." then "Công an tỉnh:" on the next): it belongs to the
# line after it.
_MARKER_ONLY = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*[.)]|[IVX]{1,5}\.|\(?[a-zA-ZđĐ]\)|\(\d{1,2}\))")
_INLINE_MARKER = re.compile(
    rf"(?<=[.;:])\s+(?=(?:\(?[a-zA-ZđĐ]\)|{_ROMAN_ITEM}|\d{{1,2}}[.)]|[-\u2013•+])\s)"
)
_SENTENCE_END = re.compile(r"[.!?]+\s+")
_ENDS_SENTENCE = re.compile(r"[.:!?…]\s*$")
_ABBREVIATIONS = frozenset(
    {"tp", "tt", "ts", "ths", "pgs", "gs", "st", "tr", "vd", "v.v", "đ/c", "đc", "q", "p", "k"}
)
_MOJIBAKE = re.compile("Ã|Ä|Æ|á»|áº|Â")
_LOST_BYTE = {b"\xc4": 0x90, b"\xc3": 0x81}  # Đ, Á


def split_items(text: str) -> list[Item]:
    items: list[Item] = []
    number = 0
    letters = [ch for ch in text if ch.isalpha()]
    headings = sum(ch.isupper() for ch in letters) < 0.8 * len(letters)  # not all in capitals
    for block, kind in _blocks(text, headings):
        for index, piece in enumerate(_INLINE_MARKER.split(block)):
            piece_kind = marker_kind(piece) if index > 0 else kind
            body = _MARKER.sub("", piece, count=1) if index > 0 else piece
            number += 1
            for position, sentence in enumerate(_sentences(body)):
                marker = piece_kind if position == 0 else ""
                items.append(Item(sentence, bool(piece_kind), number, marker, index > 0))
    return items


_MARKER_KINDS = (
    ("article", re.compile(r"Điều\s+\d{1,3}\.")),  # "Điều 4. Bộ Ngoại giao hoàn tất ..."
    ("roman", re.compile(r"[IVX]{1,5}\.")),
    ("dotted", re.compile(r"\d{1,2}(?:\.\d{1,2})+[.)]")),
    ("number", re.compile(r"\d{1,2}[.)]")),
    ("paren", re.compile(r"\(\d{1,2}\)")),
    ("letter", re.compile(rf"\(?[a-zA-ZđĐ]\)|{_ROMAN_ITEM}")),
)


def marker_kind(line: str) -> str:
    """The kind of list marker `line` starts with: entries of one kind are siblings ("1.",
    "2."), those of another kind below them are their children ("a)", "- ")."""
    marker = _MARKER.match(line)
    if marker is None:
        return ""
    text = marker.group(0).strip()
    kind = next((kind for kind, pattern in _MARKER_KINDS if pattern.fullmatch(text)), "")
    return kind or f"dash {text[:1]}"  # "-" and "+" are two levels


# Words glued by careless typing or PDF copying ("trướcngày", "BộCông Thương"): a space is put
# back before a capitalized word that follows a small letter, and before these words.
_GLUED_WORD = re.compile(r"(?<=[^\W\d_])(?=(?:chủ trì|phối hợp|ngày \d))")


def unglue(line: str) -> str:
    chars: list[str] = []
    for index, ch in enumerate(line):
        following = line[index + 1 : index + 2]
        if chars and chars[-1].islower() and ch.isupper() and following.islower():
            chars.append(" ")
        chars.append(ch)
    return _GLUED_WORD.sub(" ", "".join(chars))


def repair_mojibake(line: str) -> str:
    """UTF-8 that was decoded as Windows-1252 or Latin-1, decoded again; else `line`.

    Windows-1252 has no character for five bytes, which a lossy decoding turns into U+FFFD;
    each is guessed as the Vietnamese letter that fits: Đ after C4, Á after C3, and after E1 BB
    one of ề ờ ọ from the letters around it (`_guess_e1bb`). Where no guess fits, `line` is
    kept.
    """
    if not _MOJIBAKE.search(line):
        return line
    raw = bytearray()
    for index, ch in enumerate(line):
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ch == "\ufffd" and raw[-2:] == b"\xe1\xbb":
                raw.append(_guess_e1bb(raw, line[index + 1 : index + 2]))
            elif ch == "\ufffd" and (guess := _LOST_BYTE.get(bytes(raw[-1:]))):
                raw.append(guess)
            elif ord(ch) <= 0xFF:
                raw.append(ord(ch))
            else:
                return line
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return line


def _guess_e1bb(raw: bytearray, following: str) -> int:
    """The lost last byte of ề (81), ọ (8D) or ờ (9D), from the letters around it."""
    before = raw[-6:-2].decode("utf-8", errors="ignore")[-1:].lower()
    if before == "ư" or following.lower() == "i":  # người, thường, thời
        return 0x9D
    if before in ("i", "y") or not following.isalpha():  # nhiều, quyền, về, đề
        return 0x81
    return 0x8D  # học, trọng, chọn, họp


def _blocks(text: str, headings: bool = True) -> list[tuple[str, str]]:
    """Lines joined into blocks, each with the kind of list marker it starts with, if any."""
    blocks: list[tuple[list[str], str]] = []
    ended = True
    alone = ""  # a list marker on a line of its own, waiting for its entry's words
    for raw in re.split(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]", text):
        line = unglue(normalize(repair_mojibake(raw)))
        if not line:
            ended = True
            continue
        if _MARKER_ONLY.fullmatch(line):
            alone = line
            continue
        if alone:
            line, alone, ended = f"{alone} {line}", "", True
        marker = _MARKER.match(line)
        if marker or ended or _starts_new(line, blocks[-1][0][-1], headings):
            body = line[marker.end() :] if marker else line
            blocks.append(([body], marker_kind(line)))
        else:
            blocks[-1][0].append(line)
        ended = False
    if alone:
        blocks.append(([alone], ""))
    return [(" ".join(lines), kind) for lines, kind in blocks]


def _starts_new(line: str, previous: str, headings: bool) -> bool:
    if headings and (_in_capitals(line) or _in_capitals(previous)):  # headings stand alone
        return True
    if previous.endswith(":") and _names_then_colon(line):
        return False  # "... trọng tâm là các tỉnh:" / "Đắk Lắk, Gia Lai và Lâm Đồng:"
    return bool(_ENDS_SENTENCE.search(previous)) and not line[:1].islower()


def _names_then_colon(line: str) -> bool:
    """A line of proper names ending with ":" ("Đắk Lắk, Gia Lai và Lâm Đồng:"): the rest of
    a heading wrapped after "trọng tâm là các tỉnh:"."""
    words = line[:-1].replace(",", " ").split() if line.endswith(":") else []
    return bool(words) and all(word[:1].isupper() or word == "và" for word in words)


def _in_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) > 3 and all(ch.isupper() for ch in letters)


def _sentences(block: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(block):
        following = block[end.end() : end.end() + 1]
        stop = end.start()
        while stop > start and block[stop - 1] == " ":  # "2026 . Đảng"
            stop -= 1
        last = block[max(start, block.rfind(" ", start, stop) + 1) : stop].lower()
        if following.isupper() and last not in _ABBREVIATIONS and len(last) > 1:
            sentences.append(block[start : end.start() + 1].strip())
            start = end.end()
    sentences.append(block[start:].strip())
    return [sentence for sentence in sentences if sentence]
