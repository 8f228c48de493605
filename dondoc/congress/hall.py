"""A standard hall: the stage, four delegate sections, the guests' and the press's sections.

Seats are placed in decimetres (a seat is 6 dm wide, a row 10 dm deep, an aisle 15 dm). The
delegate seats get their `rank`: the centre sections first (B, C), then the sides (A, D), each
walked front to back, every other row in the opposite direction, so a run of consecutive ranks
is a block of neighbouring seats. The seats at both ends of each row, on the aisles, are accessible ones.
"""

import dataclasses

SEAT_W, ROW_D, AISLE = 6, 10, 15
RANK_ORDER = ("B", "C", "A", "D")
STAGE, DELEGATES, GUESTS, PRESS = "stage", "delegates", "guests", "press"  # models.SeatZone


@dataclasses.dataclass(frozen=True)
class SeatSpec:
    zone: str
    section: str
    row: int
    number: int
    x: int
    y: int
    accessible: bool = False
    rank: int | None = None


def standard_hall(
    rows: int, width: int, stage: int = 30, guests: int = 2, press: int = 2
) -> list[SeatSpec]:
    """`rows` x `width` seats in each of four delegate sections, `stage` seats for the
    presidium, and `guests` and `press` rows behind the delegates."""
    seats = [SeatSpec(STAGE, "S", 1, n + 1, 40 + n * SEAT_W, 10) for n in range(stage)]
    section_w = width * SEAT_W + AISLE
    top = 40
    by_section: dict[str, list[SeatSpec]] = {}
    for s, name in enumerate("ABCD"):
        by_section[name] = [
            SeatSpec(
                DELEGATES,
                name,
                row,
                number,
                s * section_w + (number - 1) * SEAT_W,
                top + (row - 1) * ROW_D,
                accessible=_aisle_first(name, number, width),
            )
            for row in range(1, rows + 1)
            for number in range(1, width + 1)
        ]
    rank = 0
    for name in RANK_ORDER:
        for row in range(1, rows + 1):
            line = [seat for seat in by_section[name] if seat.row == row]
            for seat in line if row % 2 else reversed(line):
                seats.append(dataclasses.replace(seat, rank=rank))
                rank += 1
    back = top + rows * ROW_D + AISLE
    for zone, name, count, offset in (
        (GUESTS, "K", guests, 0),
        (PRESS, "P", press, guests),
    ):
        for row in range(1, count + 1):
            y = back + (offset + row - 1) * ROW_D
            seats += [SeatSpec(zone, name, row, n + 1, n * SEAT_W, y) for n in range(4 * width)]
    return seats


def _aisle_first(section: str, number: int, width: int) -> bool:
    """The seats at both ends of each row, on the aisles."""
    return number in (1, width)
