"""The hall as a seating plan in pretix's published JSON format (`seating-plan.schema.json`,
draft-07, version 0.0.1), so a hall laid out here opens in pretix's seating editor and in tools
that read its plans. Layout only: who sits where is not in it.

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
                        "category": ACCESSIBLE if s.accessible else s.zone,
                    }
                    for s in in_row
                ],
            }
            for row, in_row in groupby(in_section, key=lambda s: s.row)
        ]
        zones.append({"name": section, "position": _position(0, 0), "rows": rows})
    used = {ACCESSIBLE if s.accessible else s.zone for s in seats}
    width = max((s.x for s in seats), default=0) + SEAT_SIZE_DM[0] * 2
    height = max((s.y for s in seats), default=0) + SEAT_SIZE_DM[1] * 2
    return {
        "name": name,
        "categories": [{"name": c, "color": COLOURS[c]} for c in COLOURS if c in used],
        "zones": zones,
        "size": {"width": width * PIXELS_PER_DM, "height": height * PIXELS_PER_DM},
    }
