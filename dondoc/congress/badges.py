"""Badges: a signed token in a QR code (`django.core.signing`, never a bare id), and the PDF of
a congress's badges (fpdf2), four to an A4 page, coloured by the holder: a delegate by their
standing, a guest (domestic, international) and the press each in a colour of their own.

The token names the congress and the delegate and is signed with the site's secret and a salt of
its own, so a badge of one congress does not check in at another and a made-up code is refused.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Iterable, Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import qrcode
from django.core import signing
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

if TYPE_CHECKING:  # imported where a PDF is made: fpdf2 takes ~0.4 s to load (docs/benchmarks.md)
    from fpdf import FPDF

from dondoc.congress.models import (
    Congress,
    Delegate,
    DelegateStanding,
    Guest,
    GuestKind,
    PressPass,
)

SALT = "dondoc.congress.badge"
MASK = 4
# The DejaVu TTFs inside matplotlib's package data, found without importing matplotlib (~1 s).
FONTS = Path(find_spec("matplotlib").submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"  # type: ignore[union-attr,index]
FAMILY = "DejaVuSans"
COLOURS = {  # the band at the top of the badge
    DelegateStanding.OFFICIAL: (180, 20, 30),
    DelegateStanding.ALTERNATE: (30, 90, 160),
    DelegateStanding.REPLACED: (120, 120, 120),
}
PRESIDIUM_COLOUR = (200, 150, 20)
GUEST_COLOURS = {
    GuestKind.DOMESTIC: (20, 120, 60),
    GuestKind.INTERNATIONAL: (0, 110, 120),
}
PRESS_COLOUR = (90, 40, 130)
DELEGATE, GUEST, PRESS = "delegate", "guest", "press"
BADGE_W, BADGE_H = 90.0, 130.0
PHOTO_W, PHOTO_H = 22.0, 29.0
logging.getLogger("fontTools").setLevel(logging.WARNING)


def badge_token(delegate: Delegate) -> str:
    return signing.dumps([delegate.congress_id, delegate.pk], salt=SALT, compress=True)


def visitor_token(congress_id: int, holder: str, pk: int) -> str:
    """The code on a guest's (`holder` "guest") or a journalist's ("press") badge."""
    return signing.dumps([congress_id, pk, holder], salt=SALT, compress=True)


def badge_holder(token: str, congress: Congress) -> tuple[str, int] | None:
    """Whose badge of `congress` this is: ("delegate" | "guest" | "press", id), or None for a
    code that is not one."""
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, list) or len(payload) not in (2, 3) or payload[0] != congress.pk:
        return None
    holder = DELEGATE if len(payload) == 2 else payload[2]
    if holder not in (DELEGATE, GUEST, PRESS) or not isinstance(payload[1], int):
        return None
    return holder, payload[1]


def badge_delegate_id(token: str, congress: Congress) -> int | None:
    """The delegate a badge of `congress` names, or None for a code that is not one."""
    found = badge_holder(token, congress)
    return found[1] if found and found[0] == DELEGATE else None


def _qr_image(data: str) -> Image.Image:
    """The QR code as a one-bit image, one pixel per module: the PDF scales it up. The mask is
    fixed (any of the eight is valid for a reader) rather than chosen by trying all eight,
    which was half the time of a badge; the image is handed to fpdf2 as is, not through PNG."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, mask_pattern=MASK)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    image = Image.new("1", (len(matrix), len(matrix)))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    return image


@dataclasses.dataclass(frozen=True)
class Card:
    """What one badge shows: the band's colour, the holder, two lines under the name (their
    delegation or outlet, their role), the signed code and, when seated, the seat."""

    colour: tuple[int, int, int]
    name: str
    affiliation: str
    role: str
    token: str
    seat: str = ""
    photo: bytes | None = None  # a JPEG (`congress/photos.py`), printed beside the name


def delegate_card(delegate: Delegate, seat: str, photo: bytes | None = None) -> Card:
    colour = (
        PRESIDIUM_COLOUR if delegate.presidium else COLOURS[DelegateStanding(delegate.standing)]
    )
    label = "Đoàn Chủ tịch" if delegate.presidium else delegate.get_standing_display()
    return Card(
        colour,
        delegate.full_name,
        delegate.delegation.name,
        f"Đại biểu {label.lower()}",
        badge_token(delegate),
        seat,
        photo,
    )


def guest_card(guest: Guest) -> Card:
    return Card(
        GUEST_COLOURS[GuestKind(guest.kind)],
        guest.full_name,
        guest.organization,
        f"{guest.get_kind_display()} · {guest.seating_area}".rstrip(" ·"),
        visitor_token(guest.congress_id, GUEST, guest.pk),
    )


def press_card(press: PressPass) -> Card:
    return Card(
        PRESS_COLOUR,
        press.full_name,
        press.outlet,
        f"Báo chí · {press.get_role_display()}",
        visitor_token(press.congress_id, PRESS, press.pk),
    )


def badges_pdf(
    congress: Congress,
    delegates: Iterable[Delegate],
    seats: Mapping[int, str],
    photos: Mapping[int, bytes] | None = None,
) -> bytes:
    """One badge per delegate (`delegation` selected), with their seat when seated and their
    photo when they have one (read by the caller through `services.delegate_photos_read`)."""
    photos = photos or {}
    return cards_pdf(
        congress, (delegate_card(d, seats.get(d.pk, ""), photos.get(d.pk)) for d in delegates)
    )


def cards_pdf(congress: Congress, cards: Iterable[Card]) -> bytes:
    """The badges, four to an A4 page."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"Thẻ — {congress.name}")
    pdf.set_creator("dondoc")
    text = _Text(pdf)
    for index, card in enumerate(cards):
        if index % 4 == 0:
            pdf.add_page()
        x = 12 + (index % 2) * (BADGE_W + 6)
        y = 12 + ((index // 2) % 2) * (BADGE_H + 8)
        _badge(pdf, text, congress.name, card, x, y)
    return bytes(pdf.output())


class _Text:
    """Centred text in a column, wrapped only when it does not fit on one line. fpdf2's
    `multi_cell` measures every character each call (a third of a badge's time); here a line
    that fits is one `cell`, and the wrapping of a text that repeats on every badge (the
    congress's name) is worked out once."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.wrapped: dict[tuple[str, float, str], list[str]] = {}

    def centred(self, text: str, x: float, width: float, height: float) -> None:
        pdf = self.pdf
        key = (pdf.font_style, pdf.font_size_pt, text)
        lines = self.wrapped.get(key)
        if lines is None:
            lines = [text]
            if pdf.get_string_width(text) > width - 2 * pdf.c_margin:
                split = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
                lines = [str(line) for line in split] if isinstance(split, list) else lines
            if len(self.wrapped) < 64:
                self.wrapped[key] = lines
        for line in lines:
            pdf.set_x(x)
            pdf.cell(width, height, line, align="C", new_x="LMARGIN", new_y="NEXT")


def _badge(pdf: FPDF, text: _Text, title: str, card: Card, x: float, y: float) -> None:
    width = BADGE_W - 6
    pdf.set_draw_color(80, 80, 80)
    pdf.rect(x, y, BADGE_W, BADGE_H)
    pdf.set_fill_color(*card.colour)
    pdf.rect(x, y, BADGE_W, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_y(y + 3)
    text.centred(title, x + 3, width, 5)
    pdf.set_text_color(0, 0, 0)
    left = x + 3
    if card.photo:  # 22 x 29 mm at the left, the text in the column beside it
        pdf.image(io.BytesIO(card.photo), x=left, y=y + 19, w=PHOTO_W, h=PHOTO_H)
        left, width = left + PHOTO_W + 2, width - PHOTO_W - 2
    pdf.set_font(FAMILY, "B", 14)
    pdf.set_y(y + 22)
    text.centred(card.name, left, width, 7)
    pdf.set_font(FAMILY, "", 10)
    text.centred(card.affiliation, left, width, 5)
    text.centred(card.role, left, width, 5)
    width = BADGE_W - 6
    pdf.image(_qr_image(card.token), x=x + (BADGE_W - 50) / 2, y=y + 62, w=50, h=50)
    if card.seat:
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_xy(x + 3, y + BADGE_H - 14)
        pdf.cell(width, 6, f"Ghế {card.seat}", align="C")
