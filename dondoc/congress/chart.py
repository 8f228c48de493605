"""The seating chart's seats as SVG, written in one pass: a hall of 2,400 seats through the
template language took 0.2-0.3 s (five variable look-ups, escapes and number formats per seat);
here it is one string join."""

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dondoc.congress.selectors import ChartSeat


def seat_rects(seats: Iterable[ChartSeat]) -> SafeString:
    empty = {
        "open": escape(_("trống")),
        "blocked": escape(_("không sử dụng")),
        "reserved": escape(_("giữ chỗ")),
    }
    pin = escape(_("đã ghim"))
    parts = []
    for s in seats:
        title = (
            f"{escape(s.label)}: {escape(s.name)} ({escape(s.delegation)})"
            if s.name
            else f"{escape(s.label)} — {empty.get(s.status, '')}"
        )
        if s.pinned:  # a delegate seated by hand: a dark frame and a dot
            title += f" — {pin}"
            parts.append(
                f'<g class="pinned"><rect data-seat="{escape(s.label)}" x="{s.x:d}" y="{s.y:d}" '
                f'width="5" height="8" '
                f'fill="{escape(s.colour)}" stroke="#111" stroke-width="0.9">'
                f"<title>{title}</title></rect>"
                f'<circle cx="{s.x + 2.5:g}" cy="{s.y + 4:g}" r="1.2" fill="#111"/></g>'
            )
            continue
        parts.append(
            f'<rect data-seat="{escape(s.label)}" x="{s.x:d}" y="{s.y:d}" width="5" height="8" '
            f'fill="{escape(s.colour)}" '
            f'stroke="#555" stroke-width="0.3"><title>{title}</title></rect>'
        )
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
