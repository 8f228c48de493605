"""Vietnamese text: normalization, diacritic-free search keys, alphabetical sort keys.

Every piece of user-visible Vietnamese text goes through one of these functions:

* ``clean`` -- what every text column stores (``core.fields``): NFC, line breaks kept, no
  control characters; also what every writer (DOCX, XLSX, PDF, e-mail) applies to text that
  was stored before the columns cleaned it.
* ``normalize`` -- what to store and display: NFC, tidy whitespace, one tone-mark placement.
* ``search_key`` -- what to store in a search column and match with ``contains``/LIKE.
* ``sort_key`` -- what to store in a sort column and ORDER BY (SQLite and PostgreSQL alike).
* ``person_sort_key`` -- the same for a person's full name: given name first.

Tone-mark convention. Words spelled with ``oa``, ``oe`` or ``uy`` and no final consonant can
carry the tone mark on either vowel ("hòa"/"hoà", "khỏe"/"khoẻ", "thủy"/"thuỷ", "ủy"/"uỷ").
``normalize`` writes the placement of today's administrative documents (the templates of
Decree 30/2020/NĐ-CP read "CỘNG HÒA"; agencies are "Ủy ban", "Đảng ủy"): the mark goes on
the first of those two vowels -- hòa, khỏe, thủy, ủy. This is the placement often called
"kiểu cũ"; Unikey's "kiểu mới" option produces hoà, thuỷ instead. Misplaced marks in any
valid syllable are moved as well ("qúy" -> "quý", "gìa" -> "già"); words whose placement is
already right ("quốc", "nghiêng", "giữ") and anything that is not a single Vietnamese syllable
with a single tone mark ("José", "café", "España") are left alone.
"""

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["SORT_KEY_MAX_LENGTH", "clean", "normalize", "person_sort_key", "search_key", "sort_key"]

SORT_KEY_MAX_LENGTH = 600
"""Longest key ``sort_key`` returns (the width of the ``sort_text`` columns); longer keys are
cut, which keeps the order (a prefix of a key never sorts after the key) but may tie them."""

# Combining marks: the five tones in dictionary order, and the three vowel modifiers.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ` ? ~ ' .
_MODIFIERS = frozenset("\u0306\u0302\u031b")  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_MARK_RUN = re.compile("[\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]{2,}")
# Invisible characters dropped outright: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")

# A syllable (lowercase, without its tone): initial consonant, 1-3 vowels, final consonant.
_VOWELS = "aăâeêioôơuưy"
_INITIAL = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_FINAL = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(f"({_INITIAL})?([{_VOWELS}]{{1,3}})({_FINAL})?")

# sort_key alphabet: the 29 Vietnamese letters plus f j w z where the Latin alphabet has them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_END_OF_WORD = "0"
_NUMBER = "1"
_LETTER_CODES = dict(zip(_ALPHABET, _BASE36[2:-1], strict=True))  # a -> "2" ... z -> "y"
_OTHER = "z"

_SEARCH_FOLD = str.maketrans(  # đ, then typographic dashes, single and double quotes
    {"đ": "d"}
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
    | dict.fromkeys("\u2018\u2019\u201a\u201b", "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f", '"')
)


# clean(): line separators become "\n" (Word writes a manual line break as a vertical tab);
# other control characters (C0, DEL, C1), lone surrogates and the two noncharacters that XML
# refuses are dropped. Tab and newline stay.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_CLEAN_WORK = re.compile(f"{_LINE_BREAKS.pattern}|{_UNWANTED.pattern}|{_MARK_RUN.pattern}")


def clean(text: str) -> str:
    """Return ``text`` safe to store and to write into any document format.

    NFC (vowel modifiers before tone marks, as in ``normalize``); CR LF, CR, vertical tab, form
    feed and the Unicode line and paragraph separators become newlines; every other control
    character (C0 except tab and newline, DEL, C1), lone surrogates and U+FFFE/U+FFFF are
    dropped. Whitespace and line breaks are otherwise kept as typed. Idempotent.
    """
    if _CLEAN_WORK.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text  # the common case, and text read back from a clean column: nothing to do
    text = _UNWANTED.sub("", _LINE_BREAKS.sub("\n", text))
    decomposed = _MARK_RUN.sub(_modifiers_first, unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", decomposed)


def normalize(text: str) -> str:
    """Return ``text`` as it should be stored and shown.

    NFC, with vowel modifiers put before tone marks when the text was typed decomposed in
    another order; control characters become spaces and invisible ones (zero-width space, BOM,
    soft hyphen, lone surrogates) are dropped; runs of whitespace (non-breaking spaces, tabs,
    newlines...) become one space, with none at either end; each word's tone mark is placed by
    the convention in the module docstring. Case is kept.
    """
    cleaned = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if ch not in _INVISIBLE and unicodedata.category(ch) != "Cs"
    )
    decomposed = _MARK_RUN.sub(_modifiers_first, unicodedata.normalize("NFD", cleaned))
    collapsed = " ".join(unicodedata.normalize("NFC", decomposed).split())
    runs = itertools.groupby(collapsed, key=lambda ch: ch.isalpha() or _is_mark(ch))
    return "".join(_place_tone(run) if is_word else run for is_word, run in map(_join, runs))


def search_key(text: str) -> str:
    """Return the form of ``text`` to store in a search column and to search it with.

    ``normalize``, then Unicode compatibility caseless folding (so full-width letters, ligatures
    and "ß" match their plain spellings), every combining mark removed (tones and ă â ê ô ơ ư),
    đ -> d, typographic dashes and quotes -> ASCII ones. Punctuation is otherwise kept and
    whitespace collapsed, so "dai hoi" and "DANG UY" are substrings of the keys of "Đại hội" and
    "Đảng ủy": store ``search_key(value)``, filter with ``contains=search_key(user_input)``.
    """
    stripped = "".join(ch for ch in _fold(text) if unicodedata.category(ch) != "Mn")
    return " ".join(unicodedata.normalize("NFC", stripped.translate(_SEARCH_FOLD)).split())


def sort_key(text: str) -> str:
    """Return a key whose plain string order is Vietnamese dictionary order of ``text``.

    Words (runs of letters and digits; punctuation and spaces only separate them) compare one
    after another. Within a word, letters compare first in the order
    a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z, case-insensitively,
    with digit runs before letters and in numeric order ("2" < "10"), and other letters
    (Greek, CJK...) after z by code point; then the word's tone: none < huyền < hỏi < ngã <
    sắc < nặng. So ba < ba ba < bà < bá < bác < bạc < bách < bai, and an < anh < ăn < ân.

    The key uses only 0-9 and a-z, whose order is the same in SQLite, PostgreSQL "C" and the
    usual ICU/glibc locales: each letter is one character ("2" for a ... "y" for z), a
    number is "1", its length and its digits, another letter "z" and four base-36 digits of
    its code point, and each word ends with "0" and its tone digit ("0"-"5"). Nothing else
    starts with "0", so a word sorts before its own extensions. At most SORT_KEY_MAX_LENGTH
    characters.
    """
    return "".join(_encode_word(word) for word in _words(text))[:SORT_KEY_MAX_LENGTH]


def person_sort_key(full_name: str) -> str:
    """Return the sort key of a Vietnamese full name (family, middle names, given name).

    Names compare by given name (the last word), then the middle names in order (no middle
    name first), then the family name (the first word): Phạm An < Nguyễn Văn An < Trần Thị
    Bình < Lê Văn Bình. A one-word name is a given name alone.
    """
    names = normalize(full_name).split(" ")
    if len(names) < 2:
        return sort_key(full_name)
    family, *middle, given = names
    key = sort_key(given) + sort_key(" ".join(middle)) + _END_OF_WORD + sort_key(family)
    return key[:SORT_KEY_MAX_LENGTH]


def _modifiers_first(marks: re.Match[str]) -> str:
    """Reorder a run of Vietnamese combining marks so ă â ê ô ơ ư come before the tone."""
    return "".join(sorted(marks[0], key=lambda mark: mark not in _MODIFIERS))


@functools.lru_cache(maxsize=65536)  # Vietnamese has a few thousand syllables
def _place_tone(word: str) -> str:
    """Move the one tone mark of a Vietnamese syllable to the vowel the convention wants.

    The vowel cluster is what lies between the initial consonant (gi and qu count as
    initials when a vowel follows) and the final consonant. The mark goes on the modified
    vowel (ă â ê ô ơ ư; on ơ in ươ), else on the last vowel before a final consonant, else on
    the middle one of three vowels, else on the first: mùa, hòa, thủy, hoàng, khuỷu, quý.
    """
    letters = [unicodedata.normalize("NFD", ch) for ch in word]
    tones = [(i, mark) for i, letter in enumerate(letters) for mark in letter if mark in _TONES]
    if len(tones) != 1:
        return word
    [(toned, tone)] = tones
    bare = [unicodedata.normalize("NFC", letter.replace(tone, "")) for letter in letters]
    syllable = _SYLLABLE.fullmatch("".join(bare).lower())
    if syllable is None or bare[toned].lower() not in _VOWELS:
        return word
    vowels, has_final = syllable[2], syllable[3] is not None
    modified = [i for i, vowel in enumerate(vowels) if vowel not in "aeiouy"]
    if modified:
        offset = modified[-1]
    elif has_final:
        offset = len(vowels) - 1
    else:
        offset = len(vowels) // 2 if len(vowels) == 3 else 0
    target = syllable.start(2) + offset
    if target == toned:
        return word
    bare[target] = unicodedata.normalize("NFC", bare[target] + tone)
    return "".join(bare)


def _fold(text: str) -> str:
    """Unicode compatibility caseless form (NFKD, case-folded; marks still attached)."""
    once = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", normalize(text)).casefold())
    return unicodedata.normalize("NFKD", once.casefold())


def _words(text: str) -> list[str]:
    """The words of the folded text: runs of letters, digits and their combining marks."""
    runs = itertools.groupby(_fold(text), key=lambda ch: ch.isalnum() or _is_mark(ch))
    return [word for is_word, word in map(_join, runs) if is_word]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _join(run: tuple[bool, Iterable[str]]) -> tuple[bool, str]:
    return run[0], "".join(run[1])


def _encode_word(word: str) -> str:
    """Encode one folded word for ``sort_key``: its letters, "0", its tone digit."""
    tone = next((_TONES[mark] for mark in word if mark in _TONES), 0)
    letters = unicodedata.normalize("NFC", "".join(ch for ch in word if ch not in _TONES))
    codes: list[str] = []
    for is_digit, run in itertools.groupby(letters, key=lambda ch: ch.isdecimal()):
        if is_digit:
            codes.append(_encode_number("".join(str(unicodedata.decimal(ch)) for ch in run)))
        else:
            codes.extend(_encode_letter(ch) for ch in run)
    content = "".join(codes)
    return f"{content}{_END_OF_WORD}{tone}" if content else ""


def _encode_number(digits: str) -> str:
    """Encode a digit run so that numbers compare by value: "1", length, digits.

    Leading zeros are dropped. The length is one base-36 digit below 35, else "z" and four
    base-36 digits, so longer numbers always sort after shorter ones.
    """
    digits = digits.lstrip("0") or "0"
    size = _BASE36[len(digits)] if len(digits) < 35 else "z" + _base36(len(digits))
    return f"{_NUMBER}{size}{digits}"


def _encode_letter(letter: str) -> str:
    """Encode one letter; a letter with other accents (ü, ç) as its base letter."""
    if letter in _LETTER_CODES:
        return _LETTER_CODES[letter]
    bases = [ch for ch in unicodedata.normalize("NFD", letter) if not unicodedata.combining(ch)]
    return "".join(_LETTER_CODES.get(ch) or _OTHER + _base36(ord(ch)) for ch in bases)


def _base36(number: int) -> str:
    """Four base-36 digits (enough for any code point; larger numbers are capped)."""
    number = min(number, 36**4 - 1)
    digits = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        digits = _BASE36[digit] + digits
    return digits
