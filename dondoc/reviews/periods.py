"""What a review covers: a period ("2026-10", "2026-Q3", "2026", "2026-01-01..2026-03-31") and a
scope (`all`, `strategic`, `issuer:<code>`, `document:<symbol>`, `agency:<code>`).

Both are stored as short codes — in the archive, on the command line — and parsed here, with a
Vietnamese message for anything that is not understood. The request form offers their labels
("tháng 11 năm 2026", "Do Ban Tổ chức Trung ương chủ trì"): those are parsed back too.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify

from dondoc.agencies.models import Agency
from dondoc.core.dates import month_end, quarter_end
from dondoc.tracking.models import Document

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
PERIOD_HELP = (
    "tháng (tháng 10 năm 2026, hay 2026-10), quý (quý III năm 2026, hay 2026-Q3), năm (năm 2026) "
    "hoặc khoảng ngày (từ ngày 01/01/2026 đến ngày 31/03/2026, hay 2026-01-01..2026-03-31)"
)
SCOPE_HELP = (
    "gõ tên cơ quan hoặc số văn bản rồi chọn trong danh sách gợi ý (Toàn bộ nhiệm vụ, Các nghị "
    "quyết chiến lược, Văn bản của <cơ quan ban hành>, <loại> số <số ký hiệu>, Do <cơ quan> chủ "
    "trì), hoặc ghi mã: all, strategic, issuer:<mã>, document:<số ký hiệu>, agency:<mã>"
)


def _vn_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year, custom
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """As the title of a report says it: "tháng 10 năm 2026", "quý III năm 2026"…"""
        if self.kind == "month":
            return f"tháng {self.start.month} năm {self.start.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN_QUARTERS[(self.start.month - 1) // 3 + 1]} năm {self.start.year}"
        if self.kind == "year":
            return f"năm {self.start.year}"
        return f"từ ngày {_vn_date(self.start)} đến ngày {_vn_date(self.end)}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length immediately before: the previous month, quarter or
        year, or as many days ending the day before a custom period starts."""
        if self.kind == "month":
            end = self.start - dt.timedelta(days=1)
            return Period("month", end.replace(day=1), end)
        if self.kind == "quarter":
            end = self.start - dt.timedelta(days=1)
            return Period("quarter", dt.date(end.year, end.month - 2, 1), end)
        if self.kind == "year":
            year = self.start.year - 1
            return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31))
        end = self.start - dt.timedelta(days=1)
        return Period("custom", end - dt.timedelta(days=self.days - 1), end)


def _bad_period(text: str) -> ValidationError:
    return ValidationError(
        "Kỳ báo cáo “%(text)s” không hợp lệ; hãy ghi " + PERIOD_HELP + ".",
        code="bad_period",
        params={"text": text},
    )


QUARTER_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
VN_DAY = r"(\d{1,2})/(\d{1,2})/(\d{4})"


def _code_of_label(value: str) -> str:
    """The code of a period written as its label ("tháng 11 năm 2026", "quý III năm 2026",
    "năm 2026", "từ ngày 01/01/2026 đến ngày 31/03/2026"; also "tháng 11/2026", "quý 3/2026");
    `value` itself when it is no label."""
    text = " ".join(value.lower().split())
    if match := re.fullmatch(r"tháng (\d{1,2})(?: năm |/)(\d{4})", text):
        return f"{match[2]}-{match[1]}"
    if match := re.fullmatch(r"quý (i{1,3}|iv|[1-4])(?: năm |/)(\d{4})", text):
        return f"{match[2]}-Q{QUARTER_NUMBERS[match[1]]}"
    if match := re.fullmatch(r"năm (\d{4})", text):
        return match[1]
    if match := re.fullmatch(rf"từ ngày {VN_DAY} đến ngày {VN_DAY}", text):
        d1, m1, y1, d2, m2, y2 = (int(g) for g in match.groups())
        return f"{y1:04d}-{m1:02d}-{d1:02d}..{y2:04d}-{m2:02d}-{d2:02d}"
    return value


def period_parse(text: str) -> Period:
    """A period from its code or its label; ValidationError (in Vietnamese) if it is neither."""
    value = _code_of_label(text.strip())
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            year, month = int(match[1]), int(match[2])
            return Period("month", dt.date(year, month, 1), month_end(year, month))
        if match := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
            year, quarter = int(match[1]), int(match[2])
            return Period("quarter", dt.date(year, 3 * quarter - 2, 1), quarter_end(year, quarter))
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31))
        if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", value):
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            if start > end:
                raise ValidationError(
                    "Kỳ báo cáo “%(text)s”: ngày bắt đầu phải trước ngày kết thúc.",
                    code="bad_period",
                    params={"text": text},
                )
            return Period("custom", start, end)
    except ValueError:  # month 13, 30 February, year 0…
        raise _bad_period(text) from None
    raise _bad_period(text)


@dataclass(frozen=True)
class Scope:
    """Which tasks a review counts. `agency` scopes follow the lead agency *as of the day*."""

    kind: str  # all, strategic, issuer, document, agency
    value: str = ""
    name: str = ""  # the issuing body's or agency's name, or the document's type and symbol
    agency_id: int | None = None  # the issuer (issuer:) or the lead agency (agency:)

    @property
    def code(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind

    @property
    def slug(self) -> str:
        return slugify(self.code.replace(":", "-").replace("/", "-"))

    @property
    def label(self) -> str:
        """For the archive list: "Toàn bộ nhiệm vụ", "Ban Tổ chức Trung ương chủ trì"…"""
        return {
            "all": "Toàn bộ nhiệm vụ",
            "strategic": "Các nghị quyết chiến lược",
            "issuer": f"Văn bản của {self.name}",
            "document": self.name,
            "agency": f"Do {self.name} chủ trì",
        }[self.kind]

    @property
    def phrase(self) -> str:
        """What follows "thực hiện nhiệm vụ" in the report's title."""
        return {
            "all": "",
            "strategic": "theo các nghị quyết chiến lược",
            "issuer": f"theo các văn bản của {self.name}",
            "document": f"theo {self.name}",
            "agency": f"do {self.name} chủ trì",
        }[self.kind]

    def tasks_filter(self) -> Q:
        """The condition on tasks, except the lead agency (see `figures.tasks_in_scope`)."""
        if self.kind == "strategic":
            return Q(document__is_strategic=True)
        if self.kind == "issuer":
            return Q(document__issuing_body_id=self.agency_id)
        if self.kind == "document":
            return Q(document__symbol=self.value)
        return Q()


def _bad_scope(text: str, reason: str = "") -> ValidationError:
    return ValidationError(
        "Phạm vi “%(text)s” không hợp lệ%(reason)s; hãy ghi " + SCOPE_HELP + ".",
        code="bad_scope",
        params={"text": text, "reason": f": {reason}" if reason else ""},
    )


SCOPE_LABELS = {"toàn bộ nhiệm vụ": "all", "các nghị quyết chiến lược": "strategic"}


def _agency_named(name: str, text: str) -> Agency:
    """The agency of that name (active ones first); refused when none or several share it."""
    found = list(Agency.objects.filter(name__iexact=name.strip()).order_by("pk")[:10])
    active = [a for a in found if a.valid_to is None]
    if len(found) == 1 or len(active) == 1:
        return (active or found)[0]
    if not found:
        raise _bad_scope(text, f"không có cơ quan tên {name.strip()}")
    raise _bad_scope(text, f"nhiều cơ quan tên {name.strip()}, hãy ghi mã cơ quan")


def _scope_of_label(value: str) -> str:
    """The code of a scope written as its label ("Do Ban Tổ chức Trung ương chủ trì",
    "Văn bản của Bộ Chính trị", "Nghị quyết số 57-NQ/TW", "Toàn bộ nhiệm vụ"); `value` itself
    when it is no label."""
    text = " ".join(value.split())
    lower = text.lower()
    if lower in SCOPE_LABELS:
        return SCOPE_LABELS[lower]
    if match := re.fullmatch(r"do (.+) chủ trì", text, re.IGNORECASE):
        return f"agency:{_agency_named(match[1], value).code}"
    if match := re.fullmatch(r"văn bản của (.+)", text, re.IGNORECASE):
        return f"issuer:{_agency_named(match[1], value).code}"
    if match := re.fullmatch(r"\S.* số (\S+)", text, re.IGNORECASE):
        return f"document:{match[1]}"
    return value


def scope_parse(text: str) -> Scope:
    """A scope from its code or label, checked against the agencies and documents on record."""
    value = _scope_of_label(text.strip())
    kind, _, rest = value.partition(":")
    kind, rest = kind.strip().lower(), rest.strip()
    if kind in {"all", "strategic"} and not rest:
        return Scope(kind)
    if kind in {"issuer", "agency"} and rest:
        agency = Agency.objects.filter(code__iexact=rest).first()
        if agency is None:
            raise _bad_scope(text, f"không có cơ quan mã {rest}")
        return Scope(kind, agency.code, agency.name, agency.pk)
    if kind == "document" and rest:
        document = Document.objects.filter(symbol__iexact=rest).order_by("-issued_on").first()
        if document is None:
            raise _bad_scope(text, f"không có văn bản số {rest}")
        return Scope(kind, document.symbol, document_scope_name(document))
    raise _bad_scope(text)


def document_scope_name(document: Document) -> str:
    """ "Nghị quyết số 57-NQ/TW": a document scope's name, and its label in the form."""
    return f"{document.get_doc_type_display()} số {document.symbol}"
