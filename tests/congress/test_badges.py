"""The badges PDF: every word of a long name is printed (wrapped, not cut), one page per four
badges, a guest's or a journalist's card in its own colour and role."""

import datetime as dt
import io

from pypdf import PdfReader

from dondoc.congress.badges import Card, cards_pdf, delegate_card
from dondoc.congress.models import Congress, Delegate, Delegation

LONG = "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng Cộng sản Việt Nam nhiệm kỳ 2026-2031"


def _congress() -> Congress:
    return Congress(
        pk=1,
        name=LONG,
        kind="congress",
        opens_on=dt.date(2026, 1, 19),
        closes_on=dt.date(2026, 1, 23),
    )


def test_long_names_wrap_and_every_word_is_printed():
    congress = _congress()
    delegation = Delegation(
        pk=1,
        congress=congress,
        code="X",
        name="Đảng bộ Khối các cơ quan Trung ương và các tổ chức chính trị - xã hội",
    )
    delegate = Delegate(
        pk=7,
        congress=congress,
        delegation=delegation,
        full_name="Tôn Nữ Thị Ninh Hoàng Phương Thảo Nguyễn Bảo Châu",
        kind="elected",
        standing="official",
    )
    cards = [delegate_card(delegate, "B-3-12")] + [
        Card((20, 120, 60), f"Khách {i}", "Đại sứ quán", "Khách mời", "t") for i in range(4)
    ]
    reader = PdfReader(io.BytesIO(cards_pdf(congress, cards)))
    assert len(reader.pages) == 2
    text = " ".join(reader.pages[0].extract_text().split())
    for word in (LONG + " " + delegation.name + " " + delegate.full_name).split():
        assert word in text
    assert "Ghế B-3-12" in text
    assert "Đại biểu chính thức" in text
