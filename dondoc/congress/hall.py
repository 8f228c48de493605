"""A standard hall: the stage, four delegate sections, the guests' and the press's sections.

Seats are placed in decimetres (a seat is 6 dm wide, a row 10 dm deep, an aisle 15 dm). The
delegate seats get their `rank`: the centre sections first (B, C), then the sides (A, D), each
walked front to back, every other row in the opposite direction, so a run of consecutive ranks
is a block of neighbouring seats. The seats at both ends of each row, on the aisles, are accessible ones.
"""

import dataclasses
from collections.abc import Iterable
from typing import Protocol, TypeVar

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
    status: str = "open"  # models.SeatStatus


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


class Placed(Protocol):
    """What `line_up` needs of a seat (a `SeatSpec` or a `models.Seat`)."""

    @property
    def section(self) -> str: ...
    @property
    def row(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def x(self) -> int: ...


S = TypeVar("S", bound=Placed)


def line_up(seats: Iterable[S]) -> list[S]:
    """Seats in the order blocks are laid along them: the sections nearest the hall's centre
    line first, each walked front to back (row 1 nearest the stage), every other row in the
    opposite direction, so neighbours in the list are neighbours in the hall. The standard
    hall's centre sections B and C come before A and D, as `RANK_ORDER` says."""
    seats = list(seats)
    if not seats:
        return []
    xs: dict[str, list[int]] = {}
    for seat in seats:
        xs.setdefault(seat.section, []).append(seat.x)
    middle = (min(map(min, xs.values())) + max(map(max, xs.values()))) / 2
    distance = {name: abs((min(v) + max(v)) / 2 - middle) for name, v in xs.items()}
    rows: dict[tuple[str, int], list[S]] = {}
    for seat in seats:
        rows.setdefault((seat.section, seat.row), []).append(seat)
    out: list[S] = []
    for section in sorted(xs, key=lambda name: (round(distance[name]), name)):
        section_rows = sorted(row for name, row in rows if name == section)
        for i, row in enumerate(section_rows):
            line = sorted(rows[(section, row)], key=lambda seat: seat.number)
            out += line if i % 2 == 0 else line[::-1]
    return out
