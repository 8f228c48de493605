"""Vietnamese text rules: normalization, search keys, dictionary and person sort keys."""

import itertools
import sqlite3
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dondoc.core.text import (
    SORT_KEY_MAX_LENGTH,
    normalize,
    person_sort_key,
    search_key,
    sort_key,
)

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Each vowel with no tone, huyền, hỏi, ngã, sắc, nặng: typed out, not built with unicodedata.
TONED = {
    "a": "aàảãáạ",
    "ă": "ăằẳẵắặ",
    "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ",
    "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ",
    "ô": "ôồổỗốộ",
    "ơ": "ơờởỡớợ",
    "u": "uùủũúụ",
    "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}
NASTY = [
    "",
    "   \t\n\u00a0",
    "Ä\ufffdáº¡i há»™i",  # "Đại hội" as UTF-8 read as Latin-1
    "Äáº¡i",
    "Đại hội 🇻🇳 👨\u200d👩\u200d👧 🎉",
    "\x00\x01\x07\x1b[31mđỏ\x1b[0m\x7f",
    "\ud800 lone \udfff surrogates",
    "\u0301\u0323 marks with no letter \u0302",
    "a" + "\u0301" * 50,
    "\u200b\ufeff\u00ad\u2060",
    "١٢٣ ٤٥ ௧௨ Ⅻ ½ ² ①",
    "ﬁ ǅ ß İ ı ẞ ﬀ ℌ ＤＡＩ",  # noqa: RUF001
    "中华人民共和国 Việt Nam Ελλάδα Россия ไทย 한국어",
    "x" * 5000,
    "1" * 5000,
    "Đ" * 300 + " ạ" * 300,
]


# A Vietnamese-looking word: letters from ALPHABET, one tone on one of its vowels (if any).
@st.composite
def vietnamese_words(draw: st.DrawFn) -> tuple[str, tuple[list[int], int]]:
    letters = draw(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=6))
    vowels = [i for i, letter in enumerate(letters) if letter in TONED]
    tone = draw(st.integers(0, 5)) if vowels else 0
    if vowels:
        where = vowels[draw(st.integers(0, len(vowels) - 1))]
        letters[where] = TONED[letters[where]][tone]
    word = "".join(letters)
    word = draw(st.sampled_from([word, word.upper(), word.capitalize()]))
    return word, ([ALPHABET.index(ch) for ch in "".join(letters).translate(UNTONE)], tone)


UNTONE = str.maketrans({toned: base for base, row in TONED.items() for toned in row})


@st.composite
def vietnamese_texts(draw: st.DrawFn) -> tuple[str, list[tuple[list[int], int]]]:
    """A text and its reference key: per word (letter ranks, tone), compared in order."""
    words = draw(st.lists(vietnamese_words(), max_size=5))
    separator = st.sampled_from([" ", "  ", ", ", " - ", "\n", "."])
    separators = draw(st.lists(separator, min_size=len(words), max_size=len(words)))
    text = "".join(word + sep for (word, _), sep in zip(words, separators, strict=True))
    return text, [reference for _, reference in words]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def ordered_by(key: Callable[[str], str], *texts: str) -> list[str]:
    return sorted(texts, key=key)


# --- normalize -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_style", "official"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("uỷ", "ủy"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("Đảng uỷ", "Đảng ủy"),
        ("CỘNG HOÀ", "CỘNG HÒA"),
        ("Thuỷ", "Thủy"),
        ("hoạ", "họa"),
        ("loã", "lõa"),
        ("xoè", "xòe"),
        ("tuỳ", "tùy"),
        ("luỹ kế", "lũy kế"),
        ("qúy", "quý"),
        ("gìa", "già"),
    ],
)
def test_both_tone_placements_normalize_to_the_official_one(new_style: str, official: str) -> None:
    assert normalize(new_style) == official
    assert normalize(official) == official
    assert search_key(new_style) == search_key(official)
    assert sort_key(new_style) == sort_key(official)


@pytest.mark.parametrize(
    "word",
    [
        "quốc",
        "nghiêng",
        "giữ",
        "gì",
        "già",
        "quý",
        "người",
        "giường",
        "hoàng",
        "khuyến",
        "thuở",
        "khuỷu",
        "ngoài",
        "xoáy",
        "mùa",
        "Nguyễn",
        "Đảng",
        "hoạch",
        "José",
        "café",
        "España",
        "São",
        "Müller",
        "XIV",
    ],
)
def test_unambiguous_and_foreign_words_are_left_alone(word: str) -> None:
    assert normalize(word) == word


def test_decomposed_text_normalizes_to_composed() -> None:
    assert normalize(nfd("Đại hội đại biểu toàn quốc")) == "Đại hội đại biểu toàn quốc"


@pytest.mark.parametrize(
    ("marks", "letter"),
    [
        ("a\u0323\u0302", "ậ"),
        ("a\u0302\u0323", "ậ"),
        ("a\u0309\u0302", "ẩ"),
        ("a\u0302\u0309", "ẩ"),
        ("a\u0301\u0306", "ắ"),
        ("e\u0303\u0302", "ễ"),
        ("o\u0300\u031b", "ờ"),
        ("u\u0323\u031b", "ự"),
        ("ả\u0302", "ẩ"),
    ],
)
def test_tone_typed_before_the_vowel_modifier_composes_the_same_letter(
    marks: str, letter: str
) -> None:
    assert normalize(marks) == letter


@given(st.sampled_from([ch for row in TONED.values() for ch in row]), st.data())
def test_any_order_of_combining_marks_gives_the_same_letter(
    letter: str, data: st.DataObject
) -> None:
    marks = data.draw(st.permutations(nfd(letter)[1:]))
    assert normalize(nfd(letter)[0] + "".join(marks)) == letter


def test_whitespace_runs_collapse_and_ends_are_stripped() -> None:
    text = "\u00a0 Ban\tTổ  chức\n\r\nTrung\u2003ương\u3000 "
    assert normalize(text) == "Ban Tổ chức Trung ương"


def test_control_and_invisible_characters_are_removed() -> None:
    assert normalize("Đại\x00hội\u200b đại\ufeff biểu\u00ad\x07") == "Đại hội đại biểu"


def test_case_is_preserved() -> None:
    assert normalize("KHOẺ Khoẻ khoẻ") == "KHỎE Khỏe khỏe"


@given(st.text())
@example("hoà\u0301")
@example("a\u0309\u0302 \u0301")
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@given(st.text())
def test_nfc_and_nfd_input_normalize_equally(text: str) -> None:
    assert normalize(nfd(text)) == normalize(unicodedata.normalize("NFC", text))


@given(st.text())
def test_normalized_text_is_nfc_with_single_spaces(text: str) -> None:
    result = normalize(text)
    assert unicodedata.is_normalized("NFC", result)
    assert result == " ".join(result.split())


# --- search_key ----------------------------------------------------------------------------


def test_dai_hoi_without_diacritics_finds_dai_hoi() -> None:
    assert search_key("dai hoi") in search_key("Đại hội đại biểu toàn quốc lần thứ XIV")


def test_dang_uy_in_capitals_finds_both_tone_placements() -> None:
    assert search_key("DANG UY") in search_key("Ban Thường vụ Đảng ủy Khối")
    assert search_key("DANG UY") in search_key("Ban Thường vụ Đảng uỷ Khối")


def test_search_key_is_lowercase_without_diacritics() -> None:
    assert search_key("Ủy ban Kiểm tra Trung ương ĐẢNG") == "uy ban kiem tra trung uong dang"


def test_search_key_accepts_decomposed_input() -> None:
    assert search_key(nfd("Đại hội")) == search_key("Đại hội") == "dai hoi"


def test_search_key_keeps_punctuation_and_collapses_whitespace() -> None:
    assert search_key("  Nghị quyết  số 18\u2013NQ/TW,\n“Về tiếp tục”  ") == (
        'nghi quyet so 18-nq/tw, "ve tiep tuc"'
    )


def test_search_key_folds_compatibility_forms() -> None:
    assert search_key("ＤẠＩ ＨỘＩ") == "dai hoi"
    assert search_key("Straße") == search_key("STRASSE")


@given(st.text())
def test_search_key_ignores_normalization(text: str) -> None:
    assert search_key(normalize(text)) == search_key(text)
    assert search_key(nfd(text)) == search_key(text)


@given(st.text())
def test_search_key_is_its_own_search_key(text: str) -> None:
    assert search_key(search_key(text)) == search_key(text)


@given(st.text(), st.text(), st.text())
def test_search_key_of_a_phrase_is_found_in_the_text_around_it(
    before: str, phrase: str, after: str
) -> None:
    assert search_key(phrase) in search_key(f"{before} {phrase} {after}")


@given(vietnamese_texts())
def test_search_key_of_vietnamese_text_is_ascii_lowercase(text_and_key: tuple[str, object]) -> None:
    key = search_key(text_and_key[0])
    assert key.isascii()
    assert key == key.lower()


# --- sort_key ------------------------------------------------------------------------------


def test_vietnamese_letters_sort_in_alphabet_order() -> None:
    assert "".join(sorted(reversed(ALPHABET), key=sort_key)) == ALPHABET


def test_a_family_sorts_before_d_and_d_before_d_with_stroke() -> None:
    words = ["đa", "bê", "ân", "da", "ăn", "an"]
    assert sorted(words, key=sort_key) == ["an", "ăn", "ân", "bê", "da", "đa"]


def test_tones_sort_none_huyen_hoi_nga_sac_nang() -> None:
    assert sorted("ạáãảàa", key=sort_key) == list("aàảãáạ")
    for row in TONED.values():
        assert sorted(reversed(row), key=sort_key) == list(row)


def test_dictionary_order_compares_syllable_by_syllable() -> None:
    entries = [
        "ba",
        "ba ba",
        "ba hoa",
        "bà",
        "bà con",
        "bả",
        "bã",
        "bá",
        "bá chủ",
        "bạ",
        "bác",
        "bác sĩ",
        "bạc",
        "bách",
        "bạch",
        "bai",
        "bài",
        "ban",
        "bàn",
        "bạn",
        "bang",
        "banh",
        "bánh",
        "bắc",
        "bầu",
        "bé",
        "bê",
        "chợ",
        "da",
        "dạ",
        "đa",
        "đá",
        "em",
        "ếch",
        "gà",
        "ghế",
        "gì",
        "già",
        "giữ",
        "hòa",
        "khỏe",
        "người",
        "nhà",
        "ông",
        "ơn",
        "quốc",
        "thủy",
        "ủy",
        "ưa",
        "yêu",
    ]
    assert sorted(reversed(entries), key=sort_key) == entries


def test_a_word_sorts_before_its_extensions() -> None:
    assert ordered_by(sort_key, "anh", "an ba", "an") == ["an", "an ba", "anh"]


def test_sort_key_ignores_case_punctuation_and_whitespace() -> None:
    assert sort_key("Hà Nội") == sort_key("HÀ NỘI") == sort_key("hà   nội") == sort_key("hà-nội")
    assert sort_key("Ban Tổ chức, Trung ương.") == sort_key("Ban Tổ chức Trung ương")


def test_numbers_sort_by_value_before_letters() -> None:
    names = ["Chi bộ 10", "Chi bộ A", "Chi bộ 2", "Chi bộ 1", "Chi bộ"]
    assert sorted(names, key=sort_key) == [
        "Chi bộ",
        "Chi bộ 1",
        "Chi bộ 2",
        "Chi bộ 10",
        "Chi bộ A",
    ]


@given(st.integers(0, 10**120), st.integers(0, 10**120))
def test_numbers_compare_numerically(first: int, second: int) -> None:
    a, b = sort_key(f"Khóa {first}"), sort_key(f"Khóa {second}")
    assert (a < b, a == b) == (first < second, first == second)


def test_foreign_letters_sort_as_their_base_letters_and_other_scripts_last() -> None:
    assert sort_key("Müller") == sort_key("muller")
    assert ordered_by(sort_key, "Москва", "zoo", "Zürich") == ["zoo", "Zürich", "Москва"]


@given(vietnamese_texts(), vietnamese_texts())
def test_sort_key_order_matches_the_reference_comparison(
    first: tuple[str, list[tuple[list[int], int]]], second: tuple[str, list[tuple[list[int], int]]]
) -> None:
    (text_a, ref_a), (text_b, ref_b) = first, second
    key_a, key_b = sort_key(text_a), sort_key(text_b)
    assert (key_a < key_b, key_a == key_b) == (ref_a < ref_b, ref_a == ref_b)


@given(st.lists(vietnamese_texts(), max_size=30))
def test_sqlite_order_by_matches_python_sorted(texts: list[tuple[str, object]]) -> None:
    keys = [sort_key(text) for text, _ in texts]
    with sqlite3.connect(":memory:") as db:
        db.execute("create table t (k varchar(600))")
        db.executemany("insert into t values (?)", [(k,) for k in keys])
        assert [k for (k,) in db.execute("select k from t order by k")] == sorted(keys)
    db.close()


@pytest.mark.django_db
def test_database_orders_sort_keys_like_python_under_every_collation() -> None:
    """ORDER BY on the stored key gives Vietnamese order in SQLite and in PostgreSQL,
    whatever collation the column has (C, or an ICU locale such as en-US or vi-VN)."""
    from django.db import connection
    from django.db.models.functions import Collate

    from dondoc.agencies.models import Agency

    words = [a + b for a, b in itertools.product(ALPHABET[:12], repeat=2)] + NASTY[:-3]
    Agency.objects.bulk_create(
        Agency(code=f"T{i}", name=f"n{i}", kind="other", sort_text=sort_key(w), search_text="")
        for i, w in enumerate(words)
    )
    expected = sorted(sort_key(w) for w in words)
    collations = [None]
    if connection.vendor == "postgresql":
        collations += ["C", "en-US-x-icu", "vi-VN-x-icu"]
    for collation in collations:
        order = Collate("sort_text", collation) if collation else "sort_text"
        got = list(Agency.objects.order_by(order, "id").values_list("sort_text", flat=True))
        assert got == expected, collation


@given(st.text())
def test_sort_key_uses_only_digits_and_lowercase_ascii(text: str) -> None:
    key = sort_key(text)
    assert key == "".join(ch for ch in key if ch in "0123456789abcdefghijklmnopqrstuvwxyz")
    assert len(key) <= SORT_KEY_MAX_LENGTH


@given(st.text())
def test_sort_key_ignores_normalization(text: str) -> None:
    assert sort_key(normalize(text)) == sort_key(text)
    assert sort_key(nfd(text)) == sort_key(text)


def test_long_names_are_cut_to_the_column_width_keeping_order() -> None:
    short, long = "Ban " * 20, "Ban " * 200 + "a"
    assert len(sort_key(long)) == SORT_KEY_MAX_LENGTH
    assert sort_key(short) < sort_key(long)


# --- person_sort_key -----------------------------------------------------------------------


def test_people_sort_by_given_name_then_middle_then_family() -> None:
    people = ["Lê Văn Bình", "Trần Thị Bình", "Nguyễn Văn An", "Hoàng Thị Ánh", "Phạm An"]
    assert sorted(people, key=person_sort_key) == [
        "Phạm An",
        "Nguyễn Văn An",
        "Hoàng Thị Ánh",
        "Trần Thị Bình",
        "Lê Văn Bình",
    ]


def test_people_with_the_same_given_and_middle_names_sort_by_family_name() -> None:
    people = ["Trần Văn Nam", "Đỗ Văn Nam", "Lê Văn Nam", "Dương Văn Nam"]
    assert sorted(people, key=person_sort_key) == [
        "Dương Văn Nam",
        "Đỗ Văn Nam",
        "Lê Văn Nam",
        "Trần Văn Nam",
    ]


def test_given_names_group_together_in_tone_order() -> None:
    people = ["Lê Hải", "Trần Thị Hạ", "Vũ Thị Ha", "Ngô Văn Hà", "Đào Hà"]
    assert sorted(people, key=person_sort_key) == [
        "Vũ Thị Ha",
        "Đào Hà",
        "Ngô Văn Hà",
        "Trần Thị Hạ",
        "Lê Hải",
    ]


def test_person_sort_key_ignores_spacing_case_and_tone_placement() -> None:
    assert person_sort_key("  nguyễn   văn   thuỷ ") == person_sort_key("Nguyễn Văn Thủy")


def test_one_word_name_sorts_as_a_given_name_alone() -> None:
    assert person_sort_key("An") == sort_key("An")
    assert ordered_by(person_sort_key, "Lê An", "An", "Lê Văn An") == ["An", "Lê An", "Lê Văn An"]


@given(st.lists(vietnamese_words(), min_size=2, max_size=5))
def test_person_sort_key_orders_by_given_middle_family_words(
    names: list[tuple[str, tuple[list[int], int]]],
) -> None:
    reference = [ref for _, ref in names]
    other = list(reversed(names))
    other_ref = [ref for _, ref in other]

    def reorder(refs: list[tuple[list[int], int]]) -> tuple[object, ...]:
        return (refs[-1], refs[1:-1], refs[0])

    key = person_sort_key(" ".join(name for name, _ in names))
    other_key = person_sort_key(" ".join(name for name, _ in other))
    expected = (reorder(reference) < reorder(other_ref), reorder(reference) == reorder(other_ref))
    assert (key < other_key, key == other_key) == expected


# --- robustness ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("function", [normalize, search_key, sort_key, person_sort_key])
def test_nasty_text_never_crashes(function: Callable[[str], str], text: str) -> None:
    assert isinstance(function(text), str)


def test_mojibake_and_emoji_pass_through_search_key() -> None:
    assert search_key("Äáº¡i 🎉") == "aao¡i 🎉"


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for function in (normalize, search_key, sort_key, person_sort_key):
        assert isinstance(function(text), str)
    assert "\x00" not in normalize(text) + search_key(text)
