"""A hall's seat plan from a CSV or XLSX file: one line per seat, or per run of seats of a row
("1-30"). Columns (the header row names them, in Vietnamese or English, accents optional):

| column | required | what |
|---|---|---|
| khu (zone) | yes | Đoàn Chủ tịch / sân khấu, Đại biểu, Khách mời, Báo chí (or stage, delegates, guests, press) |
| khu vực (section) | yes | the section's name: A, B, K, P … (16 characters at most) |
| hàng (row) | yes | the row number, 1 nearest the stage |
| ghế (seat) | yes | the seat number, or a run "1-30" |
| thuận tiện (accessible) | no | "có", "x" or "1" for seats on an aisle for those who need one |
| x, y | no | the place in decimetres, both or neither; without them the seats are laid out in blocks |

Every line is checked and every problem reported with its line number, in Vietnamese; the plan
is used only when the whole file is right. The delegate seats get their `rank` from
`hall.line_up`, the order the solver lays delegation blocks along.
"""

import csv
import dataclasses
import io
import re
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.congress import hall
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.core.text import search_key

MAX_SEATS = 10_000
MAX_PLACE = 100_000  # decimetres: 10 km, far beyond any hall
MAX_ERRORS = 30
COLUMNS = {
    "khu": "zone",
    "zone": "zone",
    "khu vuc": "section",
    "khu_vuc": "section",
    "section": "section",
    "hang": "row",
    "row": "row",
    "ghe": "seat",
    "seat": "seat",
    "so ghe": "seat",
    "number": "seat",
    "thuan tien": "accessible",
    "thuan_tien": "accessible",
    "accessible": "accessible",
    "x": "x",
    "y": "y",
}
REQUIRED = ("zone", "section", "row", "seat")
ZONES = {
    "stage": hall.STAGE,
    "san khau": hall.STAGE,
    "doan chu tich": hall.STAGE,
    "delegates": hall.DELEGATES,
    "dai bieu": hall.DELEGATES,
    "guests": hall.GUESTS,
    "khach moi": hall.GUESTS,
    "press": hall.PRESS,
    "bao chi": hall.PRESS,
}
YES, NO = {"co", "x", "1", "yes", "true"}, {"", "khong", "0", "no", "false"}
RUN = re.compile(r"^(\d{1,4})(?:\s*-\s*(\d{1,4}))?$", re.ASCII)
Row = tuple[int, dict[str, str]]


def file_format(name: str) -> str | None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in ("csv", "xlsx") else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _columns(header: list[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, title in enumerate(header):
        field = COLUMNS.get(search_key(_text(title)))
        if field is not None and field not in found.values():
            found[index] = field
    missing = [name for name in REQUIRED if name not in found.values()]
    if missing:
        names = {"zone": "khu", "section": "khu vực", "row": "hàng", "seat": "ghế"}
        raise ValidationError(
            _("Dòng tiêu đề thiếu cột: %(columns)s.")
            % {"columns": ", ".join(names[m] for m in missing)},
            code=Code.HALL_COLUMNS,
        )
    return found


def _records(stream: IO[bytes], kind: str) -> Iterator[list[Any]]:
    if kind == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        yield next(csv.reader([first], delimiter=delimiter), [])
        yield from csv.reader(text, delimiter=delimiter)
        return
    from openpyxl import load_workbook  # here: loading it costs every process ~0.3 s

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError(
            _("Không đọc được tệp XLSX: %(why)s") % {"why": error}, code=Code.HALL_UNREADABLE
        ) from error
    try:
        yield from (list(r) for r in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _rows(stream: IO[bytes], kind: str) -> Iterator[Row]:
    records = _records(stream, kind)
    try:
        columns = _columns(list(next(records, [])))
        for number, record in enumerate(records, start=2):
            values = {f: _text(record[i]) if i < len(record) else "" for i, f in columns.items()}
            if any(values.values()):
                yield number, values
    except UnicodeError as error:
        raise ValidationError(
            _("Tệp CSV phải lưu với mã UTF-8 (trong Excel: «CSV UTF-8»)."),
            code=Code.HALL_UNREADABLE,
        ) from error
    except csv.Error as error:
        raise ValidationError(
            _("Không đọc được tệp CSV: %(why)s") % {"why": error}, code=Code.HALL_UNREADABLE
        ) from error


@dataclasses.dataclass(frozen=True)
class _Line:
    number: int
    zone: str
    section: str
    row: int
    seats: range
    accessible: bool
    place: tuple[int, int] | None


def _number(value: str, below: int) -> int | None:
    """A whole number written in ASCII digits, under `below`; None otherwise ("²" is a digit
    to Python's `isdigit` but not a number to `int`)."""
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        return None
    return int(value) if int(value) < below else None


def _positive(value: str) -> int | None:
    number = _number(value, 10_000)
    return number if number else None


def _line(number: int, values: dict[str, str]) -> tuple[_Line | None, list[str]]:
    """One line read and checked: the line, or the problems with it in words."""
    where = _("Dòng %(n)d") % {"n": number}
    errors = []
    zone = ZONES.get(search_key(values.get("zone", "")))
    if zone is None:
        errors.append(
            _(
                "%(where)s: khu «%(value)s» không hợp lệ (Đoàn Chủ tịch, Đại biểu, Khách mời hoặc Báo chí)."
            )
            % {"where": where, "value": values.get("zone", "")}
        )
    section = values.get("section", "")
    if not section or len(section) > 16:
        errors.append(_("%(where)s: khu vực phải có, tối đa 16 ký tự.") % {"where": where})
    row = _positive(values.get("row", ""))
    if row is None:
        errors.append(
            _("%(where)s: hàng «%(value)s» phải là số nguyên dương.")
            % {"where": where, "value": values.get("row", "")}
        )
    run = RUN.match(values.get("seat", ""))
    seats = range(0)
    if run:
        first, last = int(run[1]), int(run[2] or run[1])
        seats = range(first, last + 1)
    if not run or not seats or seats.start < 1:
        errors.append(
            _("%(where)s: ghế «%(value)s» phải là số hoặc khoảng số tăng dần (ví dụ 1-30).")
            % {"where": where, "value": values.get("seat", "")}
        )
    accessible = search_key(values.get("accessible", ""))
    if accessible not in YES | NO:
        errors.append(
            _("%(where)s: cột thuận tiện ghi «có» hoặc để trống, không ghi «%(value)s».")
            % {"where": where, "value": values.get("accessible", "")}
        )
    x, y = values.get("x", ""), values.get("y", "")
    place = None
    if x or y:
        px, py = _number(x, MAX_PLACE), _number(y, MAX_PLACE)
        if px is None or py is None:
            errors.append(
                _("%(where)s: x và y phải cùng có, là số nguyên từ 0 đến %(max)d (đề-xi-mét).")
                % {"where": where, "max": MAX_PLACE - 1}
            )
        else:
            place = (px, py)
    if errors or zone is None or row is None:
        return None, errors
    return _Line(number, zone, section, row, seats, accessible in YES, place), []


def _clashes(
    line: _Line, seen: dict[tuple[str, int, int], int], zone_of: dict[str, tuple[str, int]]
) -> list[str]:
    """A seat the file already named, a section already in another zone."""
    where = _("Dòng %(n)d") % {"n": line.number}
    errors = []
    first = zone_of.setdefault(line.section, (line.zone, line.number))
    if first[0] != line.zone:
        errors.append(
            _("%(where)s: khu vực %(section)s đã thuộc khu khác ở dòng %(line)d.")
            % {"where": where, "section": line.section, "line": first[1]}
        )
    for seat in line.seats:
        key = (line.section, line.row, seat)
        if key in seen:
            errors.append(
                _("%(where)s: ghế %(seat)s trùng với dòng %(line)d.")
                % {"where": where, "seat": f"{line.section}-{line.row}-{seat}", "line": seen[key]}
            )
            break
        seen[key] = line.number
    return errors


def _places_mixed(lines: list[_Line]) -> list[str]:
    """x, y on some lines and not on others: the seats laid out in blocks could land on the
    placed ones, so the file gives places everywhere or nowhere."""
    if not lines:
        return []
    first = lines[0]
    odd = next((line for line in lines if (line.place is None) != (first.place is None)), None)
    if odd is None:
        return []
    return [
        _(
            "%(where)s: x, y phải ghi ở mọi dòng hoặc bỏ trống ở mọi dòng (dòng %(first)d "
            "khác dòng này)."
        )
        % {"where": _("Dòng %(n)d") % {"n": odd.number}, "first": first.number}
    ]


def hall_plan(stream: IO[bytes], name: str) -> list[hall.SeatSpec]:
    """The seats of the file, checked line by line; a `ValidationError` listing every problem
    (each with its line) when anything is wrong."""
    kind = file_format(name)
    if kind is None:
        raise ValidationError(
            _("Chỉ nhận tệp CSV, XLSX hoặc JSON (sơ đồ ghế của pretix)."), code=Code.HALL_FORMAT
        )
    lines: list[_Line] = []
    errors: list[str] = []
    seen: dict[tuple[str, int, int], int] = {}
    zone_of: dict[str, tuple[str, int]] = {}
    for number, values in _rows(stream, kind):
        line, problems = _line(number, values)
        errors += problems
        if line is None:
            continue
        errors += _clashes(line, seen, zone_of)
        lines.append(line)
        if len(seen) > MAX_SEATS:
            errors.append(_("Hội trường quá %(n)d ghế.") % {"n": MAX_SEATS})
            break
    errors += _places_mixed(lines)
    if not errors and not any(line.zone == hall.DELEGATES for line in lines):
        errors.append(_("Tệp không có ghế đại biểu nào."))
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(_("… và %(n)d lỗi khác.") % {"n": len(errors) - MAX_ERRORS})
        raise ValidationError([ValidationError(m, code=Code.HALL_INVALID) for m in shown])
    return ranked(_placed(lines))


def _placed(lines: list[_Line]) -> list[hall.SeatSpec]:
    """Each seat at its x, y: as the file says, or laid out: the stage in front, then each
    zone's band of rows (delegates, guests, press), its sections side by side in the order
    the file names them."""
    widths: dict[str, int] = {}
    depth: dict[str, int] = {}
    for line in lines:
        widths[line.section] = max(widths.get(line.section, 0), line.seats.stop - 1)
        depth[line.zone] = max(depth.get(line.zone, 0), line.row)
    left: dict[str, int] = {}
    offsets: dict[str, int] = {}
    for line in lines:
        if line.section not in left:
            left[line.section] = offsets.get(line.zone, 0)
            offsets[line.zone] = (
                left[line.section] + widths[line.section] * hall.SEAT_W + hall.AISLE
            )
    top: dict[str, int] = {}
    y0 = 10
    for zone in (hall.STAGE, hall.DELEGATES, hall.GUESTS, hall.PRESS):
        top[zone] = y0
        y0 += depth.get(zone, 0) * hall.ROW_D + (hall.AISLE if zone in depth else 0)
    seats = []
    for line in lines:
        for i, number in enumerate(line.seats):
            if line.place:
                x, y = line.place[0] + i * hall.SEAT_W, line.place[1]
            else:
                x = left[line.section] + (number - 1) * hall.SEAT_W
                y = top[line.zone] + (line.row - 1) * hall.ROW_D
            seats.append(
                hall.SeatSpec(line.zone, line.section, line.row, number, x, y, line.accessible)
            )
    return seats


def ranked(seats: list[hall.SeatSpec]) -> list[hall.SeatSpec]:
    delegates = hall.line_up(s for s in seats if s.zone == hall.DELEGATES)
    rank = {(s.section, s.row, s.number): i for i, s in enumerate(delegates)}
    return [
        dataclasses.replace(s, rank=rank.get((s.section, s.row, s.number)))
        if s.zone == hall.DELEGATES
        else s
        for s in seats
    ]
