"""Badges: a signed token in a QR code (`django.core.signing`, never a bare id), and the PDF of
a congress's badges (fpdf2), four to an A4 page, coloured by the delegate's standing.

The token names the congress and the delegate and is signed with the site's secret and a salt of
its own, so a badge of one congress does not check in at another and a made-up code is refused.
"""

import io
import logging
from collections.abc import Iterable
from pathlib import Path

import matplotlib
import qrcode
from django.core import signing
from fpdf import FPDF

from dondoc.congress.models import Congress, Delegate, DelegateStanding

SALT = "dondoc.congress.badge"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FAMILY = "DejaVuSans"
COLOURS = {  # the band at the top of the badge
    DelegateStanding.OFFICIAL: (180, 20, 30),
    DelegateStanding.ALTERNATE: (30, 90, 160),
    DelegateStanding.REPLACED: (120, 120, 120),
}
PRESIDIUM_COLOUR = (200, 150, 20)
BADGE_W, BADGE_H = 90.0, 130.0
logging.getLogger("fontTools").setLevel(logging.WARNING)


def badge_token(delegate: Delegate) -> str:
    return signing.dumps([delegate.congress_id, delegate.pk], salt=SALT, compress=True)


def badge_delegate_id(token: str, congress: Congress) -> int | None:
    """The delegate a badge of `congress` names, or None for a code that is not one."""
    try:
        congress_id, delegate_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if congress_id != congress.pk or not isinstance(delegate_id, int):
        return None
    return delegate_id


def _qr_png(data: str) -> io.BytesIO:
    image = qrcode.make(data, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out)
    out.seek(0)
    return out


def badges_pdf(congress: Congress, delegates: Iterable[Delegate], seats: dict[int, str]) -> bytes:
    """One badge per delegate (`delegation` selected), with their seat when seated."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"Thẻ đại biểu — {congress.name}")
    pdf.set_creator("dondoc")
    for index, delegate in enumerate(delegates):
        if index % 4 == 0:
            pdf.add_page()
        x = 12 + (index % 2) * (BADGE_W + 6)
        y = 12 + ((index // 2) % 2) * (BADGE_H + 8)
        _badge(pdf, congress, delegate, seats.get(delegate.pk, ""), x, y)
    return bytes(pdf.output())


def _badge(
    pdf: FPDF, congress: Congress, delegate: Delegate, seat: str, x: float, y: float
) -> None:
    colour = (
        PRESIDIUM_COLOUR if delegate.presidium else COLOURS[DelegateStanding(delegate.standing)]
    )
    pdf.set_draw_color(80, 80, 80)
    pdf.rect(x, y, BADGE_W, BADGE_H)
    pdf.set_fill_color(*colour)
    pdf.rect(x, y, BADGE_W, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_xy(x + 3, y + 3)
    pdf.multi_cell(BADGE_W - 6, 5, congress.name, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "B", 14)
    pdf.set_xy(x + 3, y + 22)
    pdf.multi_cell(BADGE_W - 6, 7, delegate.full_name, align="C")
    pdf.set_font(FAMILY, "", 10)
    pdf.set_x(x + 3)
    pdf.multi_cell(BADGE_W - 6, 5, delegate.delegation.name, align="C")
    pdf.set_x(x + 3)
    label = "Đoàn Chủ tịch" if delegate.presidium else delegate.get_standing_display()
    pdf.multi_cell(BADGE_W - 6, 5, f"Đại biểu {label.lower()}", align="C")
    pdf.image(_qr_png(badge_token(delegate)), x=x + (BADGE_W - 50) / 2, y=y + 62, w=50, h=50)
    if seat:
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_xy(x + 3, y + BADGE_H - 14)
        pdf.cell(BADGE_W - 6, 6, f"Ghế {seat}", align="C")
