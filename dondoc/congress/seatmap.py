"""The hall as a seating plan in pretix's published JSON format (`seating-plan.schema.json`,
draft-07, version 0.0.1), so a hall laid out here opens in pretix's seating editor and in tools
that read its plans. No one's name is in it; each seat's state is, in its category (pretix's
schema has no other place for it): `delegates` for a free delegate seat, `delegates/blocked`,
`delegates/reserved`, `delegates/assigned` (someone sits there), `delegates/pinned` (a delegate
seated by hand, whom automatic seating keeps there); the same for each kind of seat. The import
(`seatmap_import.py`) reads the kind before the slash and keeps blocked and reserved.

One zone per section of the hall (A, B, S, K …), rows by row number, each seat with its id
(`A-3-12`, unique in the hall), its number and its position; one category per kind of seat
(stage, delegates, guests, press) plus `accessible`, coloured as on the chart. Positions are in
pixels, `PIXELS_PER_DM` to a decimetre of the hall, seats absolute (zones and rows at 0, 0)."""

from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

from dondoc.congress.models import SeatZone
from dondoc.congress.selectors import HallSeat

PIXELS_PER_DM = 5
SEAT_SIZE_DM = (5, 8)  # the chart's seat: 0.5 m wide, 0.8 m deep
ACCESSIBLE = "accessible"
COLOURS: Mapping[str, str] = {
    SeatZone.STAGE: "#b03a2e",
    SeatZone.DELEGATES: "#2471a3",
    SeatZone.GUESTS: "#148c3c",
    SeatZone.PRESS: "#5a2882",
    ACCESSIBLE: "#f1c40f",
}


STATE_COLOURS: Mapping[str, str] = {
    "blocked": "#7f8c8d",
    "reserved": "#fdebd0",
    "assigned": "#1b2631",
    "pinned": "#111111",
}


def category(seat: HallSeat) -> str:
    kind = ACCESSIBLE if seat.accessible else seat.zone
    return kind if seat.state == "free" else f"{kind}/{seat.state}"


def _colour(name: str) -> str:
    kind, _slash, state = name.partition("/")
    return STATE_COLOURS[state] if state else COLOURS[kind]


def _position(x: int, y: int) -> dict[str, int]:
    return {"x": x * PIXELS_PER_DM, "y": y * PIXELS_PER_DM}


def pretix_plan(name: str, seats: Iterable[HallSeat]) -> dict[str, Any]:
    """The plan as a JSON-ready dict; `seats` in section, row, number order."""
    seats = list(seats)
    zones = []
    for section, in_section in groupby(seats, key=lambda s: s.section):
        rows = [
            {
                "row_number": str(row),
                "position": _position(0, 0),
                "seats": [
                    {
                        "seat_guid": f"{s.section}-{s.row}-{s.number}",
                        "seat_number": str(s.number),
                        "position": _position(s.x, s.y),
                        "category": category(s),
                    }
                    for s in in_row
                ],
            }
            for row, in_row in groupby(in_section, key=lambda s: s.row)
        ]
        zones.append({"name": section, "position": _position(0, 0), "rows": rows})
    used = sorted({category(s) for s in seats})
    width = max((s.x for s in seats), default=0) + SEAT_SIZE_DM[0] * 2
    height = max((s.y for s in seats), default=0) + SEAT_SIZE_DM[1] * 2
    return {
        "name": name,
        "categories": [{"name": c, "color": _colour(c)} for c in used],
        "zones": zones,
        "size": {"width": width * PIXELS_PER_DM, "height": height * PIXELS_PER_DM},
    }
