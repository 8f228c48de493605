"""The text of a review, drawn from its figures: what every output (DOCX, PDF, XLSX, the page)
prints, so that all of them say the same thing.

`review_content(figures)` lays the report out in the Party's format (Hướng dẫn 36-HD/VPTW):
the header blocks, the title, sections I to VII of paragraphs, tables and charts, the signature and
"Nơi nhận". The renderers only decide how each block looks.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import timezone, translation

from dondoc.accounts.models import Clearance
from dondoc.core.text import clean
from dondoc.tracking.status import TaskStatus

from .figures import REPORT_ORDER

ISSUER_LEFT = ("BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG", "*", "Số       -BC/VPTW")
ISSUER_RIGHT = "ĐẢNG CỘNG SẢN VIỆT NAM"
PLACE = "Hà Nội"
SIGNATURE = ("T/L BAN BÍ THƯ", "CHÁNH VĂN PHÒNG")
SIGNER = ("(Chữ ký, đóng dấu)", "………………………………")
RECIPIENTS = (
    "- Các đồng chí Thường trực Ban Bí thư (để báo cáo),",
    "- Các cơ quan chủ trì (để thực hiện),",
    "- Ủy ban Kiểm tra Trung ương (để giám sát),",
    "- Lưu Văn phòng Trung ương Đảng.",
)
MINUS = "\u2212"  # the minus sign of printed tables, not a hyphen
NUMERIC_KINDS = frozenset({"int", "pct", "date", "signed", "signed_pct"})
PRINT_LIMIT = 300  # rows of a list printed in DOCX/PDF/on the page; the XLSX has them all


@dataclass
class Column:
    title: str
    kind: str = "text"  # text, int, pct, date, signed, signed_pct
    width: float = 1.0  # relative to the other columns


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    sheet: str  # the XLSX sheet holding this table (at most 31 characters)
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None  # printed last, in bold
    empty: str = ""  # said instead of the table when it has no rows

    def __post_init__(self) -> None:
        """Text from the database, possibly stored before the columns cleaned it (or in the
        figures of an archived review): made safe once here for every output."""
        self.rows = [[_safe(value) for value in row] for row in self.rows]

    @property
    def printed_rows(self) -> list[list[Any]]:
        return self.rows[:PRINT_LIMIT]

    def cells(self, values: list[Any]) -> list[tuple[str, bool]]:
        """A row as printed: each cell's text and whether it is a number (aligned apart)."""
        return [
            (cell_text(value, column.kind), column.kind in NUMERIC_KINDS)
            for value, column in zip(values, self.columns, strict=True)
        ]

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        return [self.cells(values) for values in self.printed_rows]

    @property
    def display_total(self) -> list[tuple[str, bool]]:
        return self.cells(self.total) if self.total is not None else []

    @property
    def cut_note(self) -> str:
        if len(self.rows) <= PRINT_LIMIT:
            return ""
        return (
            f"(In {num(PRINT_LIMIT)} trên tổng số {num(len(self.rows))} dòng; danh sách đầy đủ "
            f"tại trang “{self.sheet}” của tệp Excel kèm theo.)"
        )


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    bold: bool = False

    def __post_init__(self) -> None:
        self.text = clean(self.text)


@dataclass
class Chart:
    kind: ClassVar[str] = "chart"
    key: str  # the name of the chart in `charts.review_charts`
    caption: str


Block = Paragraph | Table | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ReviewContent:
    issuer_left: tuple[str, ...]
    issuer_right: str
    issued_at: dt.datetime  # the moment the figures were computed
    place_date: str
    classification: str  # "MẬT", "TỐI MẬT" or ""
    title: str
    subtitle: str
    running_title: str  # at the foot of every PDF page
    sections: list[Section]
    signature: tuple[str, ...]
    signer: tuple[str, ...]
    recipients: tuple[str, ...]

    @property
    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]


# Vietnamese numbers and dates ---------------------------------------------------------------------


def num(value: int) -> str:
    """1234567 as "1.234.567"."""
    return f"{value:,}".replace(",", ".")


def pct(value: float) -> str:
    """2.4 as "2,40"."""
    return f"{value:.2f}".replace(".", ",")


def signed(value: float, kind: str = "int") -> str:
    """+13, -7 (with a true minus sign), 0; +0,06 for percentage points."""
    text = pct(abs(value)) if kind == "pct" else num(abs(int(value)))
    return "0" if value == 0 else ("+" if value > 0 else MINUS) + text


def date_vn(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%d/%m/%Y}"


def _safe(value: Any) -> Any:
    return clean(value) if isinstance(value, str) else value


def cell_text(value: Any, kind: str) -> str:
    """How a cell reads in print."""
    if value is None or value == "":
        return ""
    if kind == "int":
        return num(int(value))
    if kind == "pct":
        return pct(float(value))
    if kind == "date":
        return date_vn(str(value))
    if kind in {"signed", "signed_pct"}:
        return signed(value, "pct" if kind == "signed_pct" else "int")
    return str(value)


def place_date(day: dt.date) -> str:
    """The date line, "Hà Nội, ngày 05 tháng 02 năm 2026": a zero before days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{PLACE}, ngày {day.day:02d} tháng {month} năm {day.year}"


# The sections -------------------------------------------------------------------------------------


def _label(status: str) -> str:
    return str(TaskStatus(status).label)


def _change_words(delta: float, unit: str = "", kind: str = "int") -> str:
    amount = pct(abs(delta)) if kind == "pct" else num(abs(int(delta)))
    if delta == 0:
        return "không đổi"
    return f"{'tăng' if delta > 0 else 'giảm'} {amount}{unit}"


def _general(f: dict[str, Any]) -> Section:
    t, p, c = f["totals"], f["previous_totals"], f["change"]
    as_of, previous_as_of = date_vn(f["as_of"]), date_vn(f["previous_as_of"])
    headline = (
        f"Tính đến ngày {as_of}, có {num(t['assigned'])} nhiệm vụ đã được giao"
        + (f" ({num(t['cancelled'])} nhiệm vụ đã hủy, điều chỉnh)" if t["cancelled"] else "")
        + f"; {num(t['required'])} nhiệm vụ phải thực hiện. Đã hoàn thành {num(t['done'])} "
        f"nhiệm vụ ({pct(t['done_share'])}%), trong đó đúng hạn {num(t['done_on_time'])}, "
        f"quá hạn {num(t['done_late'])}. Chưa hoàn thành {num(t['not_done'])} nhiệm vụ, trong đó "
        f"{num(t['overdue'])} nhiệm vụ chưa hoàn thành, quá hạn, chiếm {pct(t['overdue_share'])}% "
        "số nhiệm vụ phải thực hiện"
        + (f" (có {num(t['key_overdue'])} nhiệm vụ trọng tâm)" if t["key_overdue"] else "")
        + f"; {num(t['awaiting_acceptance'])} nhiệm vụ đã báo cáo hoàn thành, chờ xác nhận. "
        f"Có {num(t['ongoing'])} nhiệm vụ thường xuyên, không thời hạn."
    )
    change = (
        f"So với kỳ trước ({f['previous']['label']}, tính đến ngày {previous_as_of}): số nhiệm vụ "
        f"phải thực hiện {_change_words(c['required'])}; số nhiệm vụ hoàn thành "
        f"{_change_words(c['done'])}; số nhiệm vụ chưa hoàn thành, quá hạn "
        f"{_change_words(c['overdue'])}; tỷ lệ quá hạn "
        f"{_change_words(c['overdue_share'], ' điểm phần trăm', 'pct')} "
        f"(kỳ trước {pct(p['overdue_share'])}%, kỳ này {pct(t['overdue_share'])}%)."
    )
    extended, waiting = len(f["extensions"]), len(f["obstacles"])
    period_line = (
        "Trong kỳ, "
        + (f"đã đồng ý gia hạn {num(extended)} nhiệm vụ" if extended
           else "không có nhiệm vụ nào được gia hạn")
        + "; "
        + (f"có {num(waiting)} vướng mắc, kiến nghị đang chờ trả lời." if waiting
           else "không có vướng mắc, kiến nghị nào đang chờ trả lời.")
    )  # fmt: skip
    rows = [
        [_label(s), t[s], t["shares"][s], p[s], c[s]]
        for s in REPORT_ORDER
        if s != TaskStatus.CANCELLED
    ]
    rows.append(["Cộng: nhiệm vụ phải thực hiện", t["required"], 100.0 if t["required"] else 0.0,
                 p["required"], c["required"]])  # fmt: skip
    rows.append([_label(TaskStatus.CANCELLED), t["cancelled"], None, p["cancelled"],
                 c["cancelled"]])  # fmt: skip
    table = Table(
        sheet="Tổng hợp",
        caption=f"Bảng 1. Nhiệm vụ theo tình trạng, tính đến ngày {as_of}",
        columns=[
            Column("Tình trạng", width=4.2),
            Column("Số nhiệm vụ", "int", 1.5),
            Column("Tỷ lệ (%)", "pct", 1.3),
            Column("Kỳ trước", "int", 1.4),
            Column(f"Tăng (+), giảm ({MINUS})", "signed", 1.6),
        ],
        rows=rows,
        total=["Tổng số nhiệm vụ đã giao", t["assigned"], None, p["assigned"], c["assigned"]],
    )
    chart = Chart("status", f"Hình 1. Nhiệm vụ theo tình trạng, tính đến ngày {as_of}")
    return Section(
        "I. TÌNH HÌNH CHUNG",
        [Paragraph(headline), Paragraph(change), Paragraph(period_line), table, chart],
    )


COUNT_COLUMNS = [
    Column("Tổng số", "int", 1.1),
    Column("Hoàn thành đúng hạn", "int", 1.3),
    Column("Hoàn thành quá hạn", "int", 1.3),
    Column("Chưa hoàn thành, trong hạn", "int", 1.4),
    Column("Chờ xác nhận", "int", 1.2),
    Column("Chưa hoàn thành, quá hạn", "int", 1.4),
    Column("Tỷ lệ quá hạn (%)", "pct", 1.2),
]
COUNT_KEYS = ["total", "done_on_time", "done_late", "in_time", "awaiting_acceptance", "overdue",
              "overdue_share"]  # fmt: skip


def _count_cells(row: dict[str, Any]) -> list[Any]:
    return [row[key] for key in COUNT_KEYS]


def _total_cells(f: dict[str, Any]) -> list[Any]:
    t = f["totals"]
    in_time = t[TaskStatus.OPEN_ON_TIME] + t[TaskStatus.DUE_SOON] + t[TaskStatus.ONGOING]
    return [t["required"], t["done_on_time"], t["done_late"], in_time, t["awaiting_acceptance"],
            t["overdue"], t["overdue_share"]]  # fmt: skip


def _by_document(f: dict[str, Any]) -> Section:
    rows = [
        [n, f"{r['label']}" + (f" — {r['title']}" if r["symbol"] else ""), *_count_cells(r)]
        for n, r in enumerate(f["by_document"], start=1)
    ]
    table = Table(
        sheet="Theo văn bản",
        caption="Bảng 2. Kết quả thực hiện theo văn bản",
        columns=[Column("TT", "int", 0.6), Column("Văn bản", width=5.0), *COUNT_COLUMNS],
        rows=rows,
        total=["", "Tổng cộng", *_total_cells(f)],
        empty="Không có nhiệm vụ trong phạm vi báo cáo.",
    )
    worst = [r for r in f["by_document"] if r["overdue"]]
    worst.sort(key=lambda r: (-r["overdue_share"], -r["overdue"]))
    lead = (
        "Văn bản có tỷ lệ nhiệm vụ quá hạn cao nhất: "
        + "; ".join(
            f"{r['label']} ({num(r['overdue'])} nhiệm vụ, {pct(r['overdue_share'])}%)"
            for r in worst[:3]
        )
        + "."
        if worst
        else "Không có văn bản nào có nhiệm vụ quá hạn."
    )
    return Section("II. KẾT QUẢ THỰC HIỆN THEO VĂN BẢN", [Paragraph(lead), table])


def _by_agency(f: dict[str, Any]) -> Section:
    with_overdue = [r for r in f["by_agency"] if r["overdue"]]
    lead = (
        f"Có {num(len(with_overdue))} cơ quan chủ trì có nhiệm vụ chưa hoàn thành, quá hạn; "
        "nhiều nhất là: "
        + "; ".join(f"{r['name']} ({num(r['overdue'])})" for r in with_overdue[:5])
        + "."
        if with_overdue
        else "Không có cơ quan chủ trì nào có nhiệm vụ chưa hoàn thành, quá hạn."
    )
    note = (
        f"Cơ quan chủ trì được tính theo cơ quan chủ trì nhiệm vụ vào ngày {date_vn(f['as_of'])} "
        "(trước các lần sắp xếp tổ chức sau ngày đó)."
    )
    rows = [[n, r["name"], *_count_cells(r)] for n, r in enumerate(f["by_agency"], start=1)]
    table = Table(
        sheet="Theo cơ quan",
        caption="Bảng 3. Kết quả thực hiện theo cơ quan chủ trì",
        columns=[Column("TT", "int", 0.6), Column("Cơ quan chủ trì", width=5.0), *COUNT_COLUMNS],
        rows=rows,
        total=["", "Tổng cộng", *_total_cells(f)],
        empty="Không có nhiệm vụ trong phạm vi báo cáo.",
    )
    blocks: list[Block] = [Paragraph(lead), Paragraph(note)]
    if with_overdue:
        blocks.append(Chart("agencies", "Hình 2. Các cơ quan chủ trì có nhiều nhiệm vụ quá hạn"))
    blocks.append(table)
    return Section("III. KẾT QUẢ THỰC HIỆN THEO CƠ QUAN CHỦ TRÌ", blocks)


def _overdue(f: dict[str, Any]) -> Section:
    rows = [
        [n, r["title"] + (" (trọng tâm)" if r["is_key"] else ""), r["document"], r["agency"],
         r["deadline"], r["days_overdue"]]
        for n, r in enumerate(f["overdue"], start=1)
    ]  # fmt: skip
    table = Table(
        sheet="Quá hạn",
        caption=f"Bảng 4. Nhiệm vụ chưa hoàn thành, quá hạn tính đến ngày {date_vn(f['as_of'])}",
        columns=[
            Column("TT", "int", 0.6),
            Column("Nhiệm vụ", width=4.8),
            Column("Văn bản", width=2.0),
            Column("Cơ quan chủ trì", width=2.8),
            Column("Thời hạn", "date", 1.9),
            Column("Số ngày quá hạn", "int", 1.2),
        ],
        rows=rows,
        empty="Không có nhiệm vụ chưa hoàn thành, quá hạn.",
    )
    return Section("IV. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN", [table])


def _obstacles(f: dict[str, Any]) -> Section:
    rows = [
        [n, r["task"], r["agency"], r["raised_on"],
         r["text"] + (f" Kiến nghị: {r['proposal']}" if r["proposal"] else ""), r["level"],
         r["days_waiting"]]
        for n, r in enumerate(f["obstacles"], start=1)
    ]  # fmt: skip
    table = Table(
        sheet="Vướng mắc",
        caption="Bảng 5. Vướng mắc, kiến nghị chờ trả lời",
        columns=[
            Column("TT", "int", 0.6),
            Column("Nhiệm vụ", width=3.4),
            Column("Cơ quan chủ trì", width=2.4),
            Column("Ngày nêu", "date", 1.9),
            Column("Vướng mắc, kiến nghị", width=3.8),
            Column("Cấp xử lý", width=1.5),
            Column("Số ngày chờ", "int", 1.1),
        ],
        rows=rows,
        empty="Không có vướng mắc, kiến nghị nào đang chờ trả lời.",
    )
    return Section("V. VƯỚNG MẮC, KIẾN NGHỊ CHỜ TRẢ LỜI", [table])


def _extensions(f: dict[str, Any]) -> Section:
    rows = [
        [n, r["task"], r["agency"], r["previous_due_on"], r["requested_due_on"], r["decided_on"],
         r["reason"]]
        for n, r in enumerate(f["extensions"], start=1)
    ]  # fmt: skip
    table = Table(
        sheet="Gia hạn",
        caption=f"Bảng 6. Nhiệm vụ được gia hạn trong kỳ ({f['period']['label']})",
        columns=[
            Column("TT", "int", 0.6),
            Column("Nhiệm vụ", width=3.8),
            Column("Cơ quan chủ trì", width=2.4),
            Column("Thời hạn cũ", "date", 1.9),
            Column("Thời hạn mới", "date", 1.9),
            Column("Ngày đồng ý", "date", 1.9),
            Column("Lý do", width=2.8),
        ],
        rows=rows,
        empty="Trong kỳ không có nhiệm vụ nào được gia hạn.",
    )
    return Section("VI. GIA HẠN THỜI HẠN THỰC HIỆN", [table])


def _forecast(f: dict[str, Any]) -> Section:
    title = "VII. DỰ BÁO NHIỆM VỤ CÓ NGUY CƠ CHẬM"
    forecast = f.get("forecast") or {}
    if not forecast.get("available"):
        return Section(title, [Paragraph("Chưa có dự báo.")])
    issued = timezone.localtime(dt.datetime.fromisoformat(f["computed_at"]))
    threshold = round(100 * float(forecast.get("min_probability", 0.5)))
    note = (
        f"Dự báo tại thời điểm lập báo cáo ({issued:%d/%m/%Y}) cho các nhiệm vụ chưa đến hạn tính "
        f"đến ngày {date_vn(f['as_of'])}; nêu các nhiệm vụ có khả năng chậm từ {threshold}% trở "
        "lên theo mô hình dự báo."
    )
    rows = [
        [n, r.get("title", ""), r.get("agency", ""), r.get("deadline"),
         round(100 * float(r.get("probability", 0)), 2), "; ".join(r.get("reasons") or [])]
        for n, r in enumerate(forecast.get("rows", []), start=1)
    ]  # fmt: skip
    table = Table(
        sheet="Dự báo",
        caption="Bảng 7. Nhiệm vụ có nguy cơ chậm",
        columns=[
            Column("TT", "int", 0.6),
            Column("Nhiệm vụ", width=4.2),
            Column("Cơ quan chủ trì", width=2.6),
            Column("Thời hạn", "date", 1.9),
            Column("Khả năng chậm (%)", "pct", 1.4),
            Column("Lý do chính", width=2.8),
        ],
        rows=rows,
        empty=(
            f"Trong các nhiệm vụ chưa đến hạn, không có nhiệm vụ nào có khả năng chậm từ "
            f"{threshold}% trở lên; các nhiệm vụ đã quá hạn được nêu ở các phần trên."
        ),
    )
    return Section(title, [Paragraph(note), table])


ROMAN = ("VIII", "IX", "X", "XI", "XII")


def _contributed(f: dict[str, Any]) -> list[Section]:
    """The sections other apps add (`core.review_sections`), numbered after VII; their tables
    (the first, then any under "tables") numbered on from Bảng 8."""
    sections = []
    number = 8
    for n, s in enumerate(f.get("sections", [])[: len(ROMAN)]):
        blocks: list[Block] = [Paragraph(s["note"])]
        for spec in [s, *s.get("tables", [])]:
            blocks.append(_contributed_table(spec, number))
            number += 1
        sections.append(Section(f"{ROMAN[n]}. {s['title'].upper()}", blocks))
    return sections


def _contributed_table(spec: dict[str, Any], number: int) -> Table:
    return Table(
        sheet=spec["sheet"][:31],
        caption=f"Bảng {number}. {spec['caption']}",
        columns=[Column(title, kind, width) for title, kind, width in spec["columns"]],
        rows=spec["rows"],
        total=spec.get("total"),
    )


def review_title(scope_phrase: str, period_label: str) -> str:
    """The title: "Kiểm điểm tiến độ thực hiện nhiệm vụ [theo …] tháng 10 năm 2026"."""
    parts = ("Kiểm điểm tiến độ thực hiện nhiệm vụ", scope_phrase, period_label)
    return " ".join(part for part in parts if part)


def review_content(figures: dict[str, Any]) -> ReviewContent:
    """The whole report, in Vietnamese whatever the language of the request."""
    with translation.override("vi"):
        issued = timezone.localtime(dt.datetime.fromisoformat(figures["computed_at"]))
        level = int(figures.get("classification") or 0)
        title = review_title(figures["scope"]["phrase"], figures["period"]["label"])
        return ReviewContent(
            issuer_left=ISSUER_LEFT,
            issuer_right=ISSUER_RIGHT,
            issued_at=issued,
            place_date=place_date(issued.date()),
            classification=str(Clearance(level).label).upper() if level else "",
            title="BÁO CÁO",
            subtitle=title,
            running_title=f"Báo cáo {title[0].lower()}{title[1:]}",
            sections=[
                _general(figures),
                _by_document(figures),
                _by_agency(figures),
                _overdue(figures),
                _obstacles(figures),
                _extensions(figures),
                _forecast(figures),
                *_contributed(figures),
            ],
            signature=SIGNATURE,
            signer=SIGNER,
            recipients=RECIPIENTS,
        )
