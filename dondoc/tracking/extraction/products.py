"""The expected product (sản phẩm đầu ra) of a proposed task: the kind of document its lead must
deliver ("báo cáo", "đề án", "nghị định", "tờ trình" ...), read from the task's words.

A kind counts when the lead is asked to make or hand it over: it follows, within a few words, a
verb of drafting or delivering ("xây dựng", "ban hành", "trình", "hoàn thiện", "sửa đổi",
"đề xuất", "gửi" ...), or it is "báo cáo" used as the verb ("báo cáo Thủ tướng Chính phủ kết
quả ..."). It does not count when it names a document that already exists ("Nghị quyết số
66/NQ-CP", "theo Kế hoạch số 02-KH/BCĐTW", "Nghị định 10/2020/NĐ-CP"), when a report is heard
rather than made ("sau khi nghe báo cáo", "báo cáo của"), or when the lead only reports what
goes beyond its authority ("báo cáo ... những vấn đề vượt thẩm quyền"). Kinds come in the order
the text gives them, each once.
"""

import re

from dondoc.tracking.extraction.folding import fold

# Folded spelling -> the kind as shown. Longest first, so "văn bản quy phạm pháp luật" wins
# over "văn bản" and "dự thảo nghị định" reads as "nghị định".
KINDS: dict[str, str] = {
    "van ban quy pham phap luat": "văn bản quy phạm pháp luật",
    "vbqppl": "văn bản quy phạm pháp luật",
    "nghi dinh": "nghị định",
    "nghi quyet": "nghị quyết",
    "quyet dinh": "quyết định",
    "thong tu": "thông tư",
    "chi thi": "chỉ thị",
    "du an luat": "luật",
    "luat": "luật",
    "de an": "đề án",
    "to trinh": "tờ trình",
    "ke hoach": "kế hoạch",
    "chuong trinh": "chương trình",
    "phuong an": "phương án",
    "ho so": "hồ sơ",
    "bao cao": "báo cáo",
    "cong van": "công văn",
    "van ban huong dan": "hướng dẫn",
    "huong dan": "hướng dẫn",
    "quy che": "quy chế",
    "quy dinh": "quy định",
}
_KIND = re.compile(r"\b(?:" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\b")
# Verbs of making or handing over a document; the kind may follow a few words later ("xây dựng
# dự thảo Nghị định", "trình Thủ tướng Chính phủ Đề án").
_MAKE = re.compile(
    r"\b(?:xay dung|ban hanh|trinh|hoan thien|hoan thanh|sua doi|bo sung|du thao|soan thao|"
    r"de xuat|tong hop|chuan bi|lap|gui|nop|phe duyet|co|thay the)\b"
)
_WINDOW_WORDS = 6
# After the kind: the number of an existing document ("số 66/NQ-CP", "10/2020/NĐ-CP").
_EXISTING = re.compile(r"\s*(?:so\b|\d|[a-z]*\s*\d+\s*/)")
# "báo cáo" that is heard, or reported on by others: not this task's product.
_HEARD = re.compile(r"\b(?:nghe|theo|tai|cua|trong|qua)\s+$")
_REPORT_OF = re.compile(r"\s+cua\b")
# Reporting only what goes beyond the lead's authority: no product.
_EXCEPTIONS_ONLY = re.compile(r"vuot (?:qua )?tham quyen|phat sinh|vuong mac")
# A kind that is the object of carrying out, not of making ("thực hiện Chương trình").
_CARRY_OUT = re.compile(r"\b(?:thuc hien|trien khai|theo|tai|cua|muc|chi tieu|nhu)\s+$")
# "hướng dẫn" is a product only as a document ("ban hành hướng dẫn", "văn bản hướng dẫn").
_GUIDANCE_AS_DOCUMENT = re.compile(r"\b(?:ban hanh|van ban|co|xay dung)\s+$")


def find_products(text: str) -> list[str]:
    """The kinds of document `text` asks its lead to deliver, in order, each once."""
    folded = fold(text)
    found: list[str] = []
    for match in _KIND.finditer(folded):
        kind = KINDS[match.group()]
        if kind not in found and _is_deliverable(folded, match.start(), match.end(), kind):
            found.append(kind)
    return found


def _is_deliverable(folded: str, start: int, end: int, kind: str) -> bool:
    before = folded[max(0, start - 60) : start]
    if _EXISTING.match(folded, end) or _CARRY_OUT.search(before):
        return False
    if kind == "hướng dẫn" and not _GUIDANCE_AS_DOCUMENT.search(before):
        return folded[start:end] == "van ban huong dan"
    if kind == "báo cáo":
        clause_end = _clause_end(folded, end)
        if _HEARD.search(before) or _REPORT_OF.match(folded, end):
            return False
        # "báo cáo" as the verb is itself the product
        return _EXCEPTIONS_ONLY.search(folded, end, clause_end) is None
    words = before.replace(",", " ").split()[-_WINDOW_WORDS:]
    return _MAKE.search(" ".join(words) + " ") is not None


def _clause_end(folded: str, position: int) -> int:
    ends = [i for i in (folded.find(";", position), folded.find(".", position)) if i >= 0]
    return min(ends) if ends else len(folded)
