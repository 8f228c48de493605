"""The synthesis's `normalize`, word by word and remembered, gives exactly what normalizing the
whole text at once gave (`normalize_slow`), on Vietnamese typed every way and on any text."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.consultation import pipeline

# Vietnamese letters precomposed and decomposed, tone marks and vowel modifiers loose (in any
# order), controls, invisibles, odd spaces, punctuation, digits and a few other scripts
_PIECES = st.sampled_from(
    [*"aăâeêioôơuưyđbcghkmnpqrstvx", *"ÀÁẢÃẠàáảãạƯỨỪửữựỷỹỵÝÌ", "\u0300", "\u0301", "\u0303",
     "\u0309", "\u0323", "\u0302", "\u0306", "\u031b", " ", "  ", "\t", "\n", "\x00", "\x1f",
     "\x85", "\u00a0", "\u2028", "\u200b", "\ufeff", "\u00ad", ",", ".", "-", "“", "0", "12",
     "İ", "ß", "Σ", "中", "José", "hoà", "thuỷ", "qúy", "gìa", "Điều", "khoản"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_word_by_word_is_the_whole_text_normalized(text: str) -> None:
    assert pipeline.normalize(text) == pipeline.normalize_slow(text)
    decomposed = unicodedata.normalize("NFD", text)
    assert pipeline.normalize(decomposed) == pipeline.normalize_slow(decomposed)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_normalizes_as_before(text: str) -> None:
    assert pipeline.normalize(text) == pipeline.normalize_slow(text)


def test_a_comment_normalizes_to_its_syllables() -> None:
    text = "Đề nghị   sửa\tĐiều 12,\u200b khoản 3: giá bồi thường hoà thuỷ qúy!"
    assert pipeline.normalize(text) == "đề nghị sửa điều 12 khoản 3 giá bồi thường hòa thủy quý"
