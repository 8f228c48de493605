"""Number-symbols (số, ký hiệu) of Party and State documents.

Party: ``{số}-{LOẠI}/{CƠ QUAN}`` — "57-NQ/TW", "35-TB/VPTW", "144-QĐ/TW".
State: ``{số}/{LOẠI}-{CƠ QUAN}`` — "86/NQ-CP", "12/CT-TTg", "115/TB-VPCP"; legal documents may
carry the year: "15/2025/NĐ-CP". In Party documents "QĐ" covers both quyết định and quy định.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.tracking.error_codes import TrackingErrorCode
from dondoc.tracking.models import DocumentType

PARTY = re.compile(r"^(?P<number>\d{1,5})-(?P<type>[^\W\d_]{1,4})/(?P<issuer>[^\W_][\w-]{0,19})$")
STATE = re.compile(
    r"^(?P<number>\d{1,5})/(?:(?P<year>(19|20)\d\d)/)?(?P<type>[^\W\d_]{1,4})-(?P<issuer>[^\W_]\w{0,19})$"
)
TYPE_ALIASES = {"ND": "NĐ", "QD": "QĐ", "DA": "ĐA", "CTR": "CTr", "TTR": "TTr"}


@dataclass(frozen=True)
class Symbol:
    number: int
    doc_type: str
    issuer_code: str
    system: str  # "party" or "state"
    year: int | None = None

    def __str__(self) -> str:
        if self.system == "party":
            return f"{self.number}-{self.doc_type}/{self.issuer_code}"
        year = f"{self.year}/" if self.year else ""
        return f"{self.number}/{year}{self.doc_type}-{self.issuer_code}"


def _doc_type(raw: str) -> str:
    known = {t.upper(): t for t in DocumentType.values}
    upper = raw.upper()
    doc_type = known.get(upper) or known.get(TYPE_ALIASES.get(upper, ""))
    if doc_type is None:
        raise ValidationError(
            _("Loại văn bản “%(type)s” không có trong danh mục (NQ, CT, KL, QĐ, TB…)."),
            code=TrackingErrorCode.UNKNOWN_TYPE,
            params={"type": raw},
        )
    return doc_type


def parse_symbol(text: str) -> Symbol:
    """Parse and validate a number-symbol, or raise ValidationError with a Vietnamese message."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFC", text or ""))
    dashes = str.maketrans({"\u2013": "-", "\u2014": "-"})
    cleaned = re.sub(r"^(Số|số|So|so)[:.]?", "", cleaned).translate(dashes)
    for system, pattern in (("party", PARTY), ("state", STATE)):
        match = pattern.match(cleaned)
        if match:
            year = match.groupdict().get("year")
            return Symbol(
                number=int(match["number"]),
                doc_type=_doc_type(match["type"]),
                issuer_code=match["issuer"],
                system=system,
                year=int(year) if year else None,
            )
    raise ValidationError(
        _(
            "Số, ký hiệu “%(symbol)s” không đúng thể thức. Văn bản của Đảng ghi dạng 57-NQ/TW, "
            "văn bản nhà nước ghi dạng 86/NQ-CP."
        ),
        code=TrackingErrorCode.MALFORMED_SYMBOL,
        params={"symbol": text},
    )
