"""A hall's seat plan from a pretix seating plan (the JSON that `seatmap.py` writes and pretix's
seating editor saves; schema `seating-plan.schema.json`, draft-07, version 0.0.1).

The file is checked against the schema's rules — the keys each object allows and requires, the
types, a seat's category defined at the top (the rule the schema cannot express), a seat id
unique in the plan — and against what a hall here needs: every zone named (the section, 16
characters at most), rows and seat numbers whole numbers, each section in one kind of seat, a
category that says which (`stage`, `delegates`, `guests`, `press`, `accessible`, or the same in
Vietnamese: Đoàn Chủ tịch, Đại biểu, Khách mời, Báo chí, Thuận tiện), no seat twice, a place
inside the hall. Every problem is reported in Vietnamese with where it is (zone, row, seat);
nothing is used unless the whole plan is right.

A seat's place is its zone's position plus its row's plus its own (pretix's editor nests them;
`seatmap.py` writes zones and rows at 0, 0), in pixels, `PIXELS_PER_DM` to a decimetre. The
schema says integers; numbers with a fraction (pretix's editor writes some) are rounded.
"""

import dataclasses
import json
from collections.abc import Mapping
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.congress import hall
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.hall_import import MAX_ERRORS, MAX_PLACE, MAX_SEATS, ranked
from dondoc.congress.seatmap import PIXELS_PER_DM
from dondoc.core.text import search_key

MAX_BYTES = 20 * 2**20
Keys = tuple[frozenset[str], frozenset[str]]  # allowed, required (pretix's schema)
PLAN: Keys = (frozenset({"name", "zones", "categories", "size"}),
              frozenset({"zones", "name", "categories"}))  # fmt: skip
SIZE: Keys = (frozenset({"width", "height"}),) * 2
CATEGORY: Keys = (frozenset({"name", "color"}), frozenset({"name"}))
ZONE: Keys = (frozenset({"name", "displayed", "position", "rows", "areas"}),
              frozenset({"position", "rows"}))  # fmt: skip
ROW: Keys = (frozenset({"row_number", "seats", "number_of_seats", "seats_spacing", "position"}),
             frozenset({"seats", "row_number"}))  # fmt: skip
SEAT: Keys = (frozenset({"seat_guid", "seat_number", "position", "category"}),) * 2
POSITION: Keys = (frozenset({"x", "y"}),) * 2
ACCESSIBLE = "accessible"
KINDS: Mapping[str, str] = {
    "stage": hall.STAGE,
    "san khau": hall.STAGE,
    "doan chu tich": hall.STAGE,
    "delegates": hall.DELEGATES,
    "dai bieu": hall.DELEGATES,
    "guests": hall.GUESTS,
    "khach moi": hall.GUESTS,
    "press": hall.PRESS,
    "bao chi": hall.PRESS,
    "accessible": ACCESSIBLE,
    "thuan tien": ACCESSIBLE,
}


class _Problems(list[str]):
    def keys(self, obj: Any, keys: Keys, where: str) -> bool:
        """`obj` is an object with the keys the schema allows and requires; False if not."""
        if not isinstance(obj, dict):
            self.append(_("%(where)s: phải là một đối tượng JSON.") % {"where": where})
            return False
        allowed, required = keys
        extra = sorted(set(obj) - allowed)
        missing = sorted(required - set(obj))
        if extra:
            self.append(
                _("%(where)s: có khóa không thuộc sơ đồ pretix: %(keys)s.")
                % {"where": where, "keys": ", ".join(extra)}
            )
        if missing:
            self.append(
                _("%(where)s: thiếu khóa %(keys)s.") % {"where": where, "keys": ", ".join(missing)}
            )
        return not missing

    def text(self, obj: Mapping[str, Any], key: str, where: str) -> str | None:
        value = obj.get(key)
        if not isinstance(value, str):
            self.append(
                _("%(where)s: «%(key)s» phải là chuỗi ký tự.") % {"where": where, "key": key}
            )
            return None
        return value

    def array(self, obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.append(_("%(where)s: «%(key)s» phải là một mảng.") % {"where": where, "key": key})
            return []
        return value

    def point(self, obj: Mapping[str, Any], where: str) -> tuple[float, float] | None:
        """A `position` (absent: 0, 0); None when it is not x, y numbers."""
        if "position" not in obj:
            return (0, 0)
        position = obj["position"]
        if not self.keys(position, POSITION, where + " (position)"):
            return None
        x, y = position.get("x"), position.get("y")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
            self.append(_("%(where)s: x, y phải là số.") % {"where": where})
            return None
        return (x, y)


# A category "delegates/blocked" (as `seatmap.py` exports): the seat's state after the kind.
# Blocked and reserved are the hall's; assigned and pinned say who sat there, not kept.
STATES: Mapping[str, str] = {
    "free": "open",
    "blocked": "blocked",
    "reserved": "reserved",
    "assigned": "open",
    "pinned": "open",
}


def _status(category: str) -> str:
    return STATES.get(search_key(category.partition("/")[2]), "open")


def _whole(value: str) -> int | None:
    """A seat's or a row's number: ASCII digits, 1 to 9,999."""
    if not (value.isascii() and value.isdigit()) or len(value) > 4 or int(value) < 1:
        return None
    return int(value)


def _categories(plan: Mapping[str, Any], problems: _Problems) -> dict[str, str | None]:
    """Each category's name and the kind of seat it means (None: a category we cannot use)."""
    found: dict[str, str | None] = {}
    for i, category in enumerate(problems.array(plan, "categories", _("Sơ đồ"))):
        where = _("Hạng ghế %(n)d") % {"n": i + 1}
        if problems.keys(category, CATEGORY, where):
            name = problems.text(category, "name", where)
            if "color" in category:
                problems.text(category, "color", where)
            if name is not None:
                kind, _slash, state = name.partition("/")
                known = not state or search_key(state) in STATES
                found[name] = KINDS.get(search_key(kind)) if known else None
    return found


def _decode(stream: IO[bytes]) -> Any:
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(
            _("Tệp sơ đồ quá lớn (tối đa %(mb)d MB).") % {"mb": MAX_BYTES // 2**20},
            code=Code.HALL_UNREADABLE,
        )
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(
            _("Không đọc được tệp JSON: %(why)s") % {"why": error}, code=Code.HALL_UNREADABLE
        ) from error


@dataclasses.dataclass
class _Found:
    seats: list[hall.SeatSpec] = dataclasses.field(default_factory=list)
    guids: set[str] = dataclasses.field(default_factory=set)
    places: dict[tuple[str, int, int], str] = dataclasses.field(default_factory=dict)
    kind_of: dict[str, str] = dataclasses.field(default_factory=dict)  # section -> zone

    def guid(self, seat: Any, where: str, problems: _Problems) -> None:
        """A seat's id once in the plan (checked whatever else is wrong with the seat)."""
        guid = seat.get("seat_guid") if isinstance(seat, dict) else None
        if not isinstance(guid, str):
            return
        if guid in self.guids:
            problems.append(
                _("%(where)s: mã ghế «%(guid)s» trùng với một ghế khác.")
                % {"where": where, "guid": guid}
            )
        self.guids.add(guid)

    def add(self, spec: hall.SeatSpec, guid: str, where: str, problems: _Problems) -> None:
        """Keep a seat, after the checks across the plan: its place once, its section in one
        kind of seat."""
        key = (spec.section, spec.row, spec.number)
        if key in self.places:
            problems.append(
                _("%(where)s: ghế %(seat)s đã có (mã «%(guid)s»).")
                % {"where": where, "seat": "-".join(map(str, key)), "guid": self.places[key]}
            )
        self.places.setdefault(key, guid)
        first = self.kind_of.setdefault(spec.section, spec.zone)
        if first != spec.zone:
            problems.append(
                _("%(where)s: khu vực %(section)s có cả ghế %(one)s và %(other)s.")
                % {"where": where, "section": spec.section, "one": first, "other": spec.zone}
            )
        self.seats.append(spec)


def pretix_seats(stream: IO[bytes]) -> list[hall.SeatSpec]:
    """The seats of a pretix seating plan, checked; a `ValidationError` listing every problem
    (each with its zone, row and seat) when anything is wrong."""
    plan = _decode(stream)
    problems = _Problems()
    if not problems.keys(plan, PLAN, _("Sơ đồ")):
        _raise(problems)
    problems.text(plan, "name", _("Sơ đồ"))
    size = plan.get("size")
    sized = size is not None and problems.keys(size, SIZE, _("Kích thước"))
    if sized and not all(type(size[k]) is int for k in ("width", "height")):
        problems.append(_("Kích thước: width, height phải là số nguyên."))
    categories = _categories(plan, problems)
    found = _Found()
    for number, zone in enumerate(problems.array(plan, "zones", _("Sơ đồ")), start=1):
        _zone(zone, number, categories, found, problems)
        if len(found.seats) > MAX_SEATS:
            problems.append(_("Hội trường quá %(n)d ghế.") % {"n": MAX_SEATS})
            _raise(problems)
    if not problems and not any(s.zone == hall.DELEGATES for s in found.seats):
        problems.append(_("Sơ đồ không có ghế đại biểu nào."))
    if problems:
        _raise(problems)
    return ranked(found.seats)


def _zone(
    zone: Any,
    index: int,
    categories: Mapping[str, str | None],
    found: _Found,
    problems: _Problems,
) -> None:
    """A pretix zone: a section of the hall, its rows and their seats."""
    where = _("Khu vực thứ %(n)d") % {"n": index}
    if not problems.keys(zone, ZONE, where):
        return
    section = zone.get("name")
    if not isinstance(section, str) or not section.strip() or len(section.strip()) > 16:
        problems.append(
            _("%(where)s: cần tên (khu vực của hội trường), tối đa 16 ký tự.") % {"where": where}
        )
        return
    section = section.strip()
    where = _("Khu vực %(name)s") % {"name": section}
    zpoint = problems.point(zone, where)
    for ri, row in enumerate(problems.array(zone, "rows", where), start=1):
        rwhere = _("%(zone)s, hàng thứ %(n)d") % {"zone": where, "n": ri}
        if not problems.keys(row, ROW, rwhere):
            continue
        label = problems.text(row, "row_number", rwhere)
        number = _whole(label) if label is not None else None
        if label is not None and number is None:
            problems.append(
                _("%(where)s: số hàng «%(value)s» phải là số nguyên từ 1 đến 9999.")
                % {"where": rwhere, "value": label}
            )
        if number is not None:
            rwhere = _("%(zone)s, hàng %(n)d") % {"zone": where, "n": number}
        rpoint = problems.point(row, rwhere)
        for si, seat in enumerate(problems.array(row, "seats", rwhere), start=1):
            swhere = _("%(row)s, ghế thứ %(n)d") % {"row": rwhere, "n": si}
            found.guid(seat, swhere, problems)
            spec = _seat(seat, swhere, section, number, (zpoint, rpoint), categories, problems)
            if spec is not None:
                found.add(spec, seat["seat_guid"], swhere, problems)


def _seat(
    seat: Any,
    where: str,
    section: str,
    row: int | None,
    offsets: tuple[tuple[float, float] | None, tuple[float, float] | None],
    categories: Mapping[str, str | None],
    problems: _Problems,
) -> hall.SeatSpec | None:
    if not problems.keys(seat, SEAT, where):
        return None
    guid = problems.text(seat, "seat_guid", where)
    label = problems.text(seat, "seat_number", where)
    category = problems.text(seat, "category", where)
    number = _whole(label) if label is not None else None
    if label is not None and number is None:
        problems.append(
            _("%(where)s: số ghế «%(value)s» phải là số nguyên từ 1 đến 9999.")
            % {"where": where, "value": label}
        )
    kind = None
    if category is not None and category not in categories:
        problems.append(
            _("%(where)s: hạng ghế «%(value)s» không có trong danh sách hạng ghế của sơ đồ.")
            % {"where": where, "value": category}
        )
    elif category is not None:
        kind = categories[category]
        if kind is None:
            problems.append(
                _(
                    "%(where)s: hạng ghế «%(value)s» không cho biết loại ghế (stage, delegates, "
                    "guests, press, accessible hoặc Đoàn Chủ tịch, Đại biểu, Khách mời, Báo chí, "
                    "Thuận tiện)."
                )
                % {"where": where, "value": category}
            )
    point = problems.point(seat, where)
    zpoint, rpoint = offsets
    if guid is None or row is None:
        return None
    if point is None or zpoint is None or rpoint is None or kind is None or number is None:
        return None
    x, y = (round((point[i] + zpoint[i] + rpoint[i]) / PIXELS_PER_DM) for i in (0, 1))
    if not (0 <= x < MAX_PLACE and 0 <= y < MAX_PLACE):
        problems.append(
            _("%(where)s: vị trí nằm ngoài hội trường (x, y từ 0 đến %(max)d điểm ảnh).")
            % {"where": where, "max": (MAX_PLACE - 1) * PIXELS_PER_DM}
        )
        return None
    accessible = kind == ACCESSIBLE
    zone = hall.DELEGATES if accessible else kind
    return hall.SeatSpec(
        zone, section, row, number, x, y, accessible, status=_status(category or "")
    )


def _raise(problems: list[str]) -> None:
    shown = problems[:MAX_ERRORS]
    if len(problems) > MAX_ERRORS:
        shown.append(_("… và %(n)d lỗi khác.") % {"n": len(problems) - MAX_ERRORS})
    raise ValidationError([ValidationError(m, code=Code.HALL_INVALID) for m in shown])
