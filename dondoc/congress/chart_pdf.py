"""The seating chart as a PDF to print (fpdf2): the hall drawn to scale on an A3 landscape
page, each seat a rectangle in its delegation's colour (guests and press in theirs), the
sections labelled; then the list of who sits where, delegation by delegation, so a usher can
read a seat from the paper. Asked for one delegation, the hall shows only its seats coloured
and the list only its people. Each seat's state is printed: empty seats in the colour of their
status (white free, grey out of use, pale yellow reserved), a pinned seat (a delegate seated by
hand) framed dark with a dot, with a legend; the list marks the pins and names the seats out of
use and reserved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.congress.badges import FAMILY, FONTS
from dondoc.congress.models import Congress
from dondoc.congress.selectors import EMPTY_COLOUR, ChartSeat

if TYPE_CHECKING:  # imported where the chart is drawn (fpdf2 is slow to load)
    from fpdf import FPDF

PAGE_W, PAGE_H, MARGIN, HEADER = 420.0, 297.0, 12.0, 22.0
SEAT_W, SEAT_D = 5.0, 8.0  # the SVG's seat, in decimetres
EMPTY_BY_STATUS = {str(status): colour for status, colour in EMPTY_COLOUR.items()}


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def chart_pdf(
    congress: Congress,
    seats: Sequence[ChartSeat],
    width: int,
    height: int,
    only: str = "",
) -> bytes:
    """The chart of `seats` (from `selectors.seating_chart`, drawing `width` x `height`
    decimetres); `only`: a delegation's name, the others drawn empty."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A3")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()
    _header(pdf, congress, only)
    _hall(pdf, seats, width, height, only)
    _listing(pdf, seats, only)
    return bytes(pdf.output())


def _header(pdf: FPDF, congress: Congress, only: str) -> None:
    pdf.set_font(FAMILY, "B", 14)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(0, 7, congress.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    title = _("Sơ đồ chỗ ngồi")
    if only:
        title += f" — {only}"
    printed = _("in lúc %(at)s") % {"at": f"{timezone.localtime():%H:%M %d/%m/%Y}"}
    pdf.cell(0, 6, f"{title} ({printed})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(
        0,
        4,
        _(
            "Ghế trắng: còn trống; xám: không sử dụng; vàng nhạt: giữ chỗ; viền đậm, chấm đen: "
            "đã ghim (xếp chỗ bằng tay, xếp tự động giữ nguyên)."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _hall(pdf: FPDF, seats: Sequence[ChartSeat], width: int, height: int, only: str) -> None:
    """The hall to scale: one scale for both axes, fitted to the page under the header."""
    box_w, box_h = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - HEADER
    scale = min(box_w / max(width, 1), box_h / max(height, 1))
    left, top = MARGIN, MARGIN + HEADER
    pdf.set_draw_color(85, 85, 85)
    pdf.set_line_width(0.05)
    sections: dict[str, tuple[float, float]] = {}
    for seat in seats:
        mine = not only or seat.delegation == only
        empty = _rgb(EMPTY_BY_STATUS.get(seat.status, "#ffffff"))
        pdf.set_fill_color(*(_rgb(seat.colour) if mine and seat.name else empty))
        x, y = left + seat.x * scale, top + seat.y * scale
        if seat.pinned and mine:  # seated by hand: a dark frame and a dot, as on the page
            pdf.set_draw_color(17, 17, 17)
            pdf.set_line_width(0.3)
            pdf.rect(x, y, SEAT_W * scale, SEAT_D * scale, style="DF")
            pdf.set_fill_color(17, 17, 17)
            radius = min(SEAT_W, SEAT_D) * scale / 4
            pdf.circle(x + SEAT_W * scale / 2, y + SEAT_D * scale / 2, radius, style="F")
            pdf.set_draw_color(85, 85, 85)
            pdf.set_line_width(0.05)
        else:
            pdf.rect(x, y, SEAT_W * scale, SEAT_D * scale, style="DF")
        lowest = sections.get(seat.section)
        if lowest is None or (y, x) < (lowest[1], lowest[0]):
            sections[seat.section] = (x, y)
    pdf.set_font(FAMILY, "B", 8)
    for name, (x, y) in sections.items():
        pdf.text(x, max(y - 1, top - 1), _("Khu %(name)s") % {"name": name})


def _listing(pdf: FPDF, seats: Sequence[ChartSeat], only: str) -> None:
    """Who sits where, by delegation (then guests and press by organization), in seat order."""
    by_group: dict[str, list[ChartSeat]] = {}
    for seat in seats:
        if seat.name and (not only or seat.delegation == only):
            by_group.setdefault(seat.delegation, []).append(seat)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 7, _("Danh sách chỗ ngồi"), new_x="LMARGIN", new_y="NEXT")
    _states(pdf, seats)
    for group, members in by_group.items():
        pdf.set_font(FAMILY, "B", 10)
        pdf.set_fill_color(*_rgb(members[0].colour))
        pdf.cell(4, 5, "", fill=True)
        pdf.cell(0, 5, f" {group} ({len(members)})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 8)
        pin = _("đã ghim")
        line = "; ".join(f"{s.label} {s.name}" + (f" ({pin})" if s.pinned else "") for s in members)
        pdf.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _states(pdf: FPDF, seats: Sequence[ChartSeat]) -> None:
    """The count of seats by state, then the seats out of use and reserved, by label."""
    taken = [s for s in seats if s.name]
    free = [s for s in seats if not s.name]
    blocked = [s.label for s in free if s.status == "blocked"]
    reserved = [s.label for s in free if s.status == "reserved"]
    pdf.set_font(FAMILY, "", 9)
    counts = _(
        "%(all)d ghế: %(taken)d có người ngồi (%(pinned)d đã ghim), %(free)d còn trống, "
        "%(blocked)d không sử dụng, %(reserved)d giữ chỗ."
    ) % {
        "all": len(seats),
        "taken": len(taken),
        "pinned": sum(s.pinned for s in taken),
        "free": len(free) - len(blocked) - len(reserved),
        "blocked": len(blocked),
        "reserved": len(reserved),
    }
    pdf.multi_cell(0, 5, counts, new_x="LMARGIN", new_y="NEXT")
    for title, labels in ((_("Không sử dụng"), blocked), (_("Giữ chỗ"), reserved)):
        if labels:
            pdf.multi_cell(0, 4, f"{title}: {', '.join(labels)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
