"""Proposed tasks from the items of a pasted conclusion or notice (see the package docstring)."""

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from dondoc.tracking.extraction.agencies import UNREGISTERED, AgencyMatcher, AgencyRef, Mention
from dondoc.tracking.extraction.deadlines import (
    Deadline,
    DeadlineFound,
    choose_deadline,
    find_deadlines,
)
from dondoc.tracking.extraction.folding import Folded, fold
from dondoc.tracking.extraction.products import find_products
from dondoc.tracking.extraction.segments import Item, split_items

__all__ = ["TITLE_MAX_LENGTH", "ProposedTask", "extract_tasks"]

TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class ProposedTask:
    sentence: str  # the text the task comes from (a header's text, then its list entry)
    title: str
    lead: AgencyRef | None
    coordinating: list[AgencyRef]
    deadline: Deadline | None
    lead_text: str = ""  # the words naming the lead, as written (all there is when lead is None)
    leads: list[str] = field(default_factory=list)  # every lead named together, as written
    coordinating_text: list[str] = field(default_factory=list)  # unregistered coordinators
    span: tuple[int, int] = (0, 0)  # where the task's words are in the pasted text
    confidence: float = 0.0  # 0..1: how sure the rules are of the lead
    products: list[str] = field(default_factory=list)  # kinds to deliver ("báo cáo", "đề án")


# --- the grammar, on folded text ---------------------------------------------------------

_TRIGGER = re.compile(
    r"(?:giao(?: nhiem vu)?(?: cho)?|de nghi|yeu cau|phan cong(?: cho)?|uy quyen cho|"
    r"uy nhiem cho)\b\s*:?\s*"
)
# What an issuing body may say before assigning: "Bộ Chính trị thống nhất giao ...".
# What a speaker says before the assignments ("UBND tỉnh có ý kiến như sau:"): not a lead.
_SPEAKS = re.compile(
    r"[\s,]*(?:(?:da|cung|vua)\s+)?(?:co y kien|ket luan|thong bao|nhu sau|phat bieu|nhan manh"
    r"|ban hanh (?:ke hoach|chi thi)|gui kem)\b"  # the issuer of a plan or directive names its own
    # ("Bộ A gửi kèm ... gồm:" lists attachments, not work)
    r"|[\s,]*(?:yeu cau|de nghi|giao|chi dao|luu y)\s*:\s*$"  # "Bộ A yêu cầu:" then the entries
)
_ISSUES = re.compile(r"[\s,]*(?:(?:da|cung|vua)\s+)?ban hanh (?:ke hoach|chi thi)\b")
# Words that carry a collective name on after a comma ("UBND các quận, huyện", "Cấp ủy, chính
# quyền các cấp").
_NAME_GOES_ON = re.compile(
    r",\s*(?:huyen|xa|phuong|thi xa|thanh pho|nganh|dia phuong|chinh quyen|don vi|co quan|"
    r"ban(?=, nganh)|ban nganh|"
    r"doan the)\b(?:\s+cac cap)?"
)
# Words for "the bodies concerned" in a list of coordinators: no name to keep.
_NAME_QUALIFIER = re.compile(
    r"\s+(?:(?:co\s+)?lien quan|tinh|thanh pho|trung uong|cap tinh|cap huyen)\b"
)
_COLLECTIVE = re.compile(
    r"(?:cac\s+)?(?:bo|ban|so|nganh|co quan|don vi|dia phuong|to chuc|doan the)"
    r"(?:\s+(?:lien quan|co lien quan|khac))?"
)
# "yêu cầu các đồng chí Giám đốc Sở ...": the comrades addressed are the heads named after
# (the source may print the word split, "đ ồ ng chí").
_AFTER_TRIGGER = re.compile(
    r"(?:\s+(?:nhiem vu|cho))*\s*:?\s*(?:cac\s+d\s?o\s?ng\s+chi\s+(?=giam doc|thu truong|chu tich))?"
)
_ISSUER_SAYS = re.compile(
    r"[\s,]*(?:(?:cung|da|thong nhat|dong y|tiep tuc|quyet dinh|ket luan|va|dong thoi)[\s,]+)*"
)
_CHU_TRI = re.compile(r"\bchu tri\b")
# Standing bodies of the National Assembly and the Party's top bodies: they ask (and supervise),
# they are never a proposal's lead; the Government they ask leads.
_STANDING_BODY = re.compile(
    r"(?:uy ban thuong vu quoc hoi|ubtvqh|quoc hoi|bo chinh tri|ban bi thu"
    r"|ban chap hanh trung uong)\b"
)
# An assigning verb anywhere in a clause: what precedes it is the speaker ("Thủ tướng Chính
# phủ yêu cầu Bộ A ...", "Bộ B đề nghị Bộ A ..."), what follows it the lead.
_TRIGGER_ANYWHERE = re.compile(
    r"\b(?:(?<!to chuc )(?<!hop )(?<!cuoc )(?<!buoi )(?<!hoi nghi )giao|de nghi|yeu cau|phan cong|(?:van ban|cong van) chi dao|luu y|uy quyen cho|"
    r"uy nhiem cho)\b"
)
# After these, "đề nghị X" is a proposal to a superior, not an assignment.
_NO_TRIGGER_AFTER = re.compile(  # not "việc đề xuất ..." (a noun: "Để việc đề xuất ..., đề nghị")
    r"(?<!viec )\b(?:chu tri|phoi hop|bao cao|trinh|tham muu|de xuat)\b"
)
# A sentence that opens with a verb continues the assignment before it ("Khẩn trương trình
# ...", "Chủ trì nghiên cứu ..."): it takes that sentence's lead.
_IMPERATIVE = re.compile(
    r"(?:(?:dong thoi|ben canh do|ngoai ra)[\s,]+)?"  # "Đồng thời, hướng dẫn ..."
    r"(?:chu tri|lanh dao|(?<!\bban )chi dao|nghien cuu|xay dung|to chuc|huong dan|theo doi|tong hop|"
    r"hoan thanh|hoan thien|ra soat|tham muu|chuan bi|trien khai|thuc hien|kiem tra|giam sat|"
    r"danh gia|tong ket|so ket|de xuat|ban hanh|bo tri|bao dam|dam bao|quan triet|khan truong|"
    r"tiep tuc|sua doi|cap nhat|xem xet|xu ly|giai quyet|kiem soat|tap trung|day manh|"
    r"tang cuong|chu dong|don doc|nang cao|phoi hop|trinh|bao cao|khac phuc|rut kinh nghiem|"
    r"day nhanh)\b"
)
# A sentence that only says when ("Thời gian hoàn thành trước ngày ...", "Việc này cần thực
# hiện chậm nhất trước 15/9."): its deadline belongs to the task before it.
_WHEN_ONLY = re.compile(
    r"(?:thoi gian(?: thuc hien| hoan thanh)*|viec nay|cac (?:nhiem vu|viec|de an) tren|"
    r"hoan thanh|thuc hien|tien do|yeu cau (?:gui|nop|hoan thanh|hoan thien)|"
    r"(?:so lieu|bao cao)\s+(?:phai|can)\s+(?:duoc\s+)?gui)\b"
)
# An opening that dates an event ("Ngày 21/5, UBND tỉnh ban hành ..."): news of what was done.
_EVENT_DATE = re.compile(r"(?:(?:sang|chieu|toi)\s+)?ngay\s+\d")
_AFTER_LEAD = re.compile(r"[\s(]*(?:(?:la co quan|lam)\s+)?chu tri\b[\s)]*")
_BEFORE_CHU_TRI = re.compile(r"[\s,(]*(?:(?:la co quan|lam)\s+)?")
_BY_WHOM = re.compile(r"(?:\b(?:do|giao cho|giao)\s+)$")
_COORDINATION = re.compile(
    r"\b(?:voi su phoi hop (?:chat che )?cua|phoi hop(?: chat che)?(?: (?:voi|cung voi|cung|cua))?"
    r"|cung voi)\b\s*:?\s*"
)
_CLOSING_REPORT = re.compile(r";\s*(?:bao cao|hoan thanh|xong)\b")
_ADVISED_BEFORE = re.compile(r"\b(?:tham muu(?: cho)?|chi dao|huong dan)\s+(?:[^\W\d_]+\s+){1,6}$")
_WITH_LEAD = re.compile(r"[\s,]*cung(?: voi)?\b\s*")  # right after "chủ trì"
_LIST_SEPARATOR = re.compile(r"(?:[\s,;/…]|\.\.\.|\bva\b)*")
_FILLER = re.compile(
    r"(?:cac|mot so|nhung)\s+(?:[a-z]+[\s,]+){0,6}?(?:co\s+)?lien\s+quan(?:\s+khac)?\b"
    r"|(?:cac )?co quan(?:,? (?:don vi|to chuc))*(?: (?:chuc nang|trung uong))?\b"
    r"|(?:ubnd|uy ban nhan dan) (?:cac )?(?:cap xa|(?:xa|phuong)(?:,? (?:xa|phuong|dac khu))+)\b"
)
# "các đơn vị cấp nước thuộc phạm vi quản lý", "các doanh nghiệp viễn thông" as partners: a
# kind of body, not one named.
_KIND_OF_BODY = re.compile(
    r"cac (?:don vi|co quan|doanh nghiep|to chuc|dia phuong|nha thau|chu dau tu|cong ty)\b"
)
_COMMON_BODY = re.compile(r"(?:don vi|co quan|to chuc|doanh nghiep|nha thau|cong ty)\b")
_RELATED = re.compile(r"[\s,]*(?:co\s+)?lien\s+quan\b")
_SEPARATORS_ONLY = re.compile(r"[\s,;]*")
_NEXT_LEAD_SEPARATOR = re.compile(r"(?:[\s]*[,;]|\s+va)\s*$")
_LEADING_NOISE = re.compile(r"[\W_]*")
_LEADING_CHU_TRI = re.compile(r"[\W_]*chu tri\b[\s,]*")
_OWNER = (
    r"(?:ban can su dang|dang doan|dang uy|ban thuong vu|tap the lanh dao|lanh dao|"
    r"(?:dong chi\s+)?(?:(?:pho\s+)?(?:truong|chanh|bi thu|chu nhiem|bo truong|thu truong|"
    r"chu tich|thong doc)(?:\s+ban\s+thuong truc|\s+thuong truc)?|nguoi dung dau))\s+"
)
# The party organization, the leadership or the head of an agency stands for the agency.
_OWNER_PREFIX = re.compile(_OWNER)
_OWNER_BEFORE = re.compile(rf"\b{_OWNER}$")
_INSTITUTION = re.compile(
    r"(?:bo(?! sung\b)|ban(?! (?:hanh|dau|giao|do)\b)|uy ban|ubnd|van phong|dang uy|dang doan|"
    r"tinh uy|thanh uy|hoi dong|toa an|vien(?! chuc\b)|"
    r"kiem toan|ngan hang|mat tr ?an|trung uong (?:doan|hoi)|doan thanh nien|tong lien doan|hoi(?! (?:nghi|thao|dap)\b)|"
    r"hoc vien|dai hoc|thong tan xa|dai(?! (?:hoi|dien|ly)\b)|quan uy|cuc(?! (?:ky|bo)\b)|"
    r"tong cuc|so(?! (?:lieu|hoa|luong|voi|do)\b)|tap doan|tong cong ty|cap uy|(?:cac )?tieu ban|"
    r"cong an|thanh tra|bao(?! (?:cao|dam|ve|tri|quan|dong)\b)|thue|kho bac|bo chi huy|"
    r"bo tu lenh|trung tam|benh vien|chi cuc|giam doc|thu truong|chu tich(?= (?:ubnd|uy ban))|"
    r"cong ty|hiep hoi|lien minh|"
    r"cac (?:bo|ban|so)|(?:cac )?(?:cap uy|dang uy|co quan|don vi|dia phuong))\b"
)
_DEPARTMENT = re.compile(r"(?:vu|cuc)\s+[^\W\d_]")  # with capitals: see `institution`
# "Ban Chỉ đạo ..." is a steering committee's name, not the verb "chỉ đạo".
_ACTION = re.compile(
    r"\b(?:chu tri|phoi hop|lanh dao|(?<!\bban )chi dao|nghien cuu|xay dung|to chuc|huong dan|theo doi|"
    r"tong hop|bao cao|trinh|hoan thanh|hoan thien|ra soat|tham muu|chuan bi|trien khai|"
    r"thuc hien|kiem tra|giam sat|danh gia|tong ket|so ket|de xuat|ban hanh|bo tri|bao dam|"
    r"dam bao|quan triet|khan truong|tiep tuc|sua doi|cap nhat|co trach nhiem|chiu trach nhiem|"
    r"xem xet|xu ly|giai quyet)\b|[,;:(]"
)
_NAME_END = re.compile(rf"{_ACTION.pattern}|\bva\b")
# Named after "Đề nghị" or as a heading, not inside a list of partners: "các doanh nghiệp viễn
# thông (VNPT, Viettel ...)".
_LEAD_INSTITUTION = re.compile(r"(?:cac )?(?:doanh nghiep|chu dau tu)\b")
# "các tổ chức chính trị - xã hội": a noun, not the verb "tổ chức".
_NOUN_NOT_VERB = re.compile(r"\bcac (?:to chuc|don vi to chuc)$")
# Where an unregistered lead's name ends: a verb, or an adverb before one ("Công an thành phố
# kịp thời phát hiện ...").
_NAME_STOPS = re.compile(
    rf"{_ACTION.pattern}|\b(?:kip thoi|phat hien|thuong xuyen|tich cuc|nghiem tuc|duoc giao"
    rf"|tang cuong|chu dong|tiep tuc|khan truong|day manh|don doc|phai)\b"
)
# Collective bodies as a sentence's subject: "Các sở, ban, ngành ...", "Các cơ quan ...".
_SUBJECT = re.compile(r"cac (?:so|bo|ban|co quan|don vi)\b")
# Words that name a kind of body, not one body ("Cơ quan thường trực ...", "Đơn vị ...").
_GENERIC_BODY = re.compile(r"(?:cac )?(?:cap uy|dang uy|co quan|don vi|dia phuong)\b")
_IS = re.compile(r"\b(?:la|duoc|se)\b")  # "X là ...", "X được ...": a description, no name
# The verb right after a body's name that makes it the subject of work to do.
_COMMITTEE = re.compile(r"(?:tinh uy|thanh uy|dang bo|ban thuong vu)\b")
_PLACES_GAP = re.compile(r"\s*(?:,|;|\bva\b)\s*(?:va\s+)?(?:cac\s+)?")
_ACT_NOW = re.compile(
    rf"\s*(?:(?:nghiem tuc|kip thoi|tich cuc|thuong xuyen)\s+)?"
    rf"(?:{_IMPERATIVE.pattern}|co trach nhiem|lam viec voi|can cu|tren co so|theo chuc nang"
    rf"|trong pham vi)"
)
# An opening phrase that gives the grounds of the work ("Trên cơ sở Báo cáo số ... của Chính
# phủ và Kết luận của ..., Bộ Xây dựng làm việc với ..."): the subject comes after a comma.
_GROUNDS = re.compile(r"(?:tren co so|can cu|thuc hien|theo|de|nham|sau khi)\b")
_COMMA = re.compile(r",\s*")
_DEPUTY_PM = re.compile(r"(?:dong chi\s+)?pho thu tuong(?: chinh phu)?\b")
_COMMA_OR_SEMICOLON = re.compile(r"[,;]\s*")
# A head's title alone before a comma ("Giám đốc, Thủ trưởng các sở, ban ngành"): the heads of
# the same bodies, one name.
_BARE_TITLE = re.compile(r"(?:giam doc|thu truong|chu tich)(?: (?:cac )?so)?")
_DIRECTS = re.compile(
    r"\W*chi dao\b.*\b(?:co trach nhiem|thuc hien (?:cac|nhung) (?:noi dung|nhiem vu|viec)"
    r"(?: cu the)?(?: (?:nhu )?sau(?: day)?)?)\W*$"
)
_PREPOSITION = re.compile(r"\s+(?:theo|trong|tren|tai|ve|cua|de|thuoc|can cu)\b")
_NO_ONE = re.compile(r"cac co quan(?:,? (?:va )?(?:don vi|to chuc|dia phuong|doanh nghiep))*")
# What an entry's first sentence may open with, after a heading wrapped onto it.
_OPENING = re.compile(
    rf"(?:tren co so|can cu|theo chuc nang|trong pham vi)\b|{_IMPERATIVE.pattern}"
)
_DEADLINE_LEAD_IN = re.compile(
    r"[,;]?\s*(?:(?:hoan thanh|thuc hien)(?: xong)?|xong|hoan thanh va bao cao)\s*$"
)
_ADDRESSED = re.compile(r"doi voi\s+")
_HEADER_END = re.compile(r"\s*:?\s*")
_OBJECTS_FOLLOW = re.compile(r"\b(?:ve|doi voi|gom|bao gom|sau day)$")
_DISTRIBUTION = re.compile(r"noi nhan\b|kinh gui\b")  # lists of recipients
_ADDRESSEES_FOLLOW = re.compile(r"\bkinh gui\s*:\s*$")
# "Bộ Nội vụ đã có Văn bản số ... đề nghị các Bộ ... báo cáo ...": an earlier request, reported.
_EARLIER_REQUEST = re.compile(
    r"\b(?:da|tung)\s+(?:co|gui|ban hanh)\s+(?:van ban|cong van|thong bao|cong dien)\b"
)
_CABLED_TO = re.compile(r"\bdien\s*:\s*$")  # "THỦ TƯỚNG CHÍNH PHỦ điện:" then the addressees
_HEADING = re.compile(r"kinh gui\b|so\s*:|v/v\b")
# A notice's closing line names whom it is for: "Văn phòng Chính phủ thông báo để Ủy ban nhân
# dân tỉnh A và các Bộ, cơ quan liên quan biết, thực hiện."
_NOTIFIED = re.compile(r"\bthong bao\s*(?:de|cho)\s*")
# "X chịu trách nhiệm (toàn diện) trước / về ...": a responsibility, not work to do; "giao X là
# cơ quan chủ quản": a designation.
_RESPONSIBLE = re.compile(r"[\s,]*chiu trach nhiem(?: toan dien)?(?: truoc| ve| thi hanh)\b")
_CARRIES_OUT_THIS = re.compile(r"\bchiu trach nhiem thi hanh\b")
_DESIGNATED = re.compile(r"[\s,]*(?:la|lam)\s+(?:co quan chu quan|chu dau tu)\b")
# "Tỉnh", "Thành phố" written with a capital and no name after it: the province or city the
# notice is about ("Trong thời gian tới, Tỉnh tổ chức thực hiện ...").
_PLACE_ITSELF = re.compile(r"(?:tinh|thanh pho)\b")
_DUE_BY = re.compile(r"(?:truoc|cham nhat|trong|han chot|den het|xong)\b")
_FIXED_KINDS = frozenset({"date", "month", "quarter"})
_CARRY_OUT = re.compile(r"\bthuc hien\b")
_TASKS_SECTION = re.compile(r"\bnhiem vu\b")  # "II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM"


# A plan's fields after each entry: its lead, partners and time.
_PLAN_FIELD = re.compile(
    r"(?:co quan|don vi)\s+(?P<kind>chu tr ?i|thuc hien|phoi hop)"
    r"(?:\s+(?:tham muu\s+)?(?:thuc hien|trien khai))?\s*:\s*"
    r"|thoi gian thuc hien(?P<time>)\s*:\s*"
)
# A plan's field laid out as a heading over list entries ("2. Cơ quan chủ trì, phối hợp", then
# "a) Cơ quan chủ trì", "- Ban Chỉ đạo quốc gia.", "b) Cơ quan phối hợp", "- Mặt trận ..."): the
# entries below name the plan entry's leads or partners, they are not tasks.
_FIELD_HEADING = re.compile(
    r"(?:(?:co quan|don vi)\s+)?(?P<kind>chu tr ?i|phoi hop)"
    r"(?:\s*(?:,|va)\s*(?:phoi hop|thuc hien))?(?:\s+thuc hien)?[\s.:]*"
)
_PLAN_LABEL = re.compile(r"[\W_]*(?:nhiem vu|noi dung)\s*:\s*")  # "a) Nhiệm vụ: Xây dựng ..."


def _only_label(draft: "_Draft") -> bool:
    label = _PLAN_LABEL.match(draft.folded.folded, draft.start, draft.end)
    return label is not None and not draft.folded.folded[label.end() : draft.end].strip()


# A heading naming bodies: where a second body starts, what a heading ends with, and the verbs
# that make a line a sentence instead.
_HEADING_SPLIT = re.compile(r"\s*;\s*|,?\s+va\s+(?=cac\b)|,\s*(?=cac\b)")
_OWES = re.compile(r"\s+co trach nhiem$")
_OWES_HERE = re.compile(r"\s+(?:co trach nhiem|phai)\b")
# A body named by its role in a procedure: "Cơ quan chủ trì (giải quyết thủ tục ...)", "Cơ quan
# phối hợp", "Các cơ quan được phân công chủ trì".
_ROLE = re.compile(
    r"(?:cac )?(?:co quan|don vi)(?: duoc (?:phan cong|giao))?(?: chu tri| phoi hop)\b"
)
_VERB = re.compile(_ACTION.pattern.replace("|[,;:(]", ""))

# Ongoing work, no due date: "Năm 2026 và các năm tiếp theo", "Từ năm 2013 đến năm 2020 và
# tiếp theo", "Từ tháng 11/2013 trở đi", "Tháng 12/2013 và thường xuyên", "... hàng năm".
_YEARS_AFTER = re.compile(
    r"\b(?:cac nam tiep theo|va tiep theo|tro di|va thuong xuyen|(?:hang|hang) nam|dinh ky)\b"
)
_ENTRY_MARKERS = frozenset({"roman", "number", "dotted", "paren", "letter"})
# A heading over award criteria or quotas ("1. Đối tượng, tiêu chuẩn khen thưởng", "Số lượng
# khen thưởng", "Hình thức khen thưởng"): its entries describe who may be rewarded, no work.
_AWARD_HEADING = re.compile(
    r"(?:(?:doi tuong|tieu chuan|tieu chi|so luong|hinh thuc|co cau|muc thuong)(?:\s*,\s*|\s+va\s+|\s+))+"
    r"(?:(?:xet |de nghi )?khen thuong|thi dua)\b[^:;]*"
    r"|(?:doi tuong|tieu chuan|tieu chi)(?:(?:\s*,\s*|\s+va\s+)(?:doi tuong|tieu chuan|tieu chi))*"
)
# Outer list levels first: an entry of a level at or above the header's closes it.
_MARKER_RANK = {
    "article": 0,
    "roman": 0,
    "number": 1,
    "dotted": 2,
    "paren": 3,
    "letter": 4,
    "dash -": 5,
}


def _closes(marker: str, header_marker: str) -> bool:
    if marker == "roman":
        return True  # "II. ..." starts a part of the text: no header above it goes on
    if not marker or not header_marker:
        return False
    rank, header_rank = _MARKER_RANK.get(marker), _MARKER_RANK.get(header_marker)
    if rank is None or header_rank is None:
        return marker == header_marker
    return rank <= header_rank


def _is_title(text: str) -> bool:
    """A short line in capitals that assigns nothing ("THỦ TƯỚNG CHÍNH PHỦ", "CHỈ THỊ"): the
    document's heading, not a sentence (a text pasted all in capitals keeps its sentences)."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= 3 or not all(ch.isupper() for ch in letters) or len(text.split()) > 8:
        return False
    folded = fold(text)
    return not (_CHU_TRI.search(folded) or _TRIGGER_ANYWHERE.search(folded))


def _in_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 3 and all(ch.isupper() for ch in letters)


def _opens_with(draft: "_Draft", pattern: re.Pattern[str]) -> bool:
    position = _skip(_LEADING_NOISE, draft.folded.folded, draft.start, draft.end)
    return pattern.match(draft.folded.folded, position, draft.end) is not None


# Words after a subject that make the sentence a report or a courtesy, not an assignment.
_NOT_AN_ASSIGNMENT = frozenset(
    {
        "đã",
        "đang",
        "vừa",
        "từng",
        "trân",
        "kính",
        "xin",
        "chưa",
        "da",
        "dang",
        "vua",
        "tung",
        "chua",
    }
)


# "các bộ ngành cũng đã ...", "các đơn vị đều đã ...": adverbs before the tense of a report.
_ALSO_ADVERBS = frozenset({"cũng", "đều", "cung", "deu"})


@dataclass
class _Lead:
    agencies: list[Mention]  # the lead first, then agencies named with it; empty if unknown
    start: int  # where the words naming it begin (folded)
    text_end: int  # where they end
    end: int  # where the lead's part of the sentence ends (after "chủ trì")
    cut_from: int  # where the title's cut for the lead begins
    context_end: int = 0  # an opening phrase before this gives no deadline ("Để ..., Bộ ...")
    assigned: bool = False  # named after "giao", "yêu cầu"...: agencies named with it co-lead
    apart: bool = False  # unregistered bodies named together: co-leads, not coordinators


@dataclass
class _Draft:
    folded: Folded
    start: int  # this task's part of the sentence (folded positions)
    end: int
    lead: _Lead | None
    coordinating: list[Mention] = field(default_factory=list)
    cut: list[tuple[int, int]] = field(default_factory=list)  # not part of the title
    header: bool = False
    deadlines: list[DeadlineFound] = field(default_factory=list)  # the whole sentence's
    co_leads: list[Mention] = field(default_factory=list)  # named with the lead
    also: bool = False  # a second deliverable of the lead before ("..., đồng thời ...")
    names_only: bool = False  # a header that only names its lead ("1. Sở Y tế:", "2. Sở A")
    directs: bool = False  # "X chỉ đạo các đơn vị ... có trách nhiệm:": the entries are theirs
    coordinating_text: list[str] = field(default_factory=list)  # unregistered, as written


def extract_tasks(
    text: str, issued_on: dt.date | None, matcher: AgencyMatcher
) -> list[ProposedTask]:
    """The tasks a conclusion or notice assigns, for a specialist to confirm; nothing is saved.

    `issued_on` is the document's date: deadlines without a year and relative ones are read
    from it; without it they stay unresolved (a deadline with its words and no date). Any text
    is accepted; what cannot be read yields fewer proposals, never an error.
    """
    letters = [ch for ch in text if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    reader = _Reader(matcher, issued_on or _UNDATED, titles=capitals < 0.8 * len(letters))
    reader.items = split_items(text)
    for index, item in enumerate(reader.items):
        reader.index = index
        reader.read(item)
    proposals = _located(text, reader.finish(), reader.parts)
    if issued_on is None:
        proposals = [_undated(proposal) for proposal in proposals]
    return proposals


# Stands for a missing document date; a deadline read from it has no date of its own.
_UNDATED = dt.date(1900, 1, 1)
_UNDATED_UNTIL = 1945  # "trong hai năm" counted from the stand-in: before any real deadline


def _undated(proposal: ProposedTask) -> ProposedTask:
    deadline = proposal.deadline
    if deadline is None or deadline.due_on is None or deadline.due_on.year >= _UNDATED_UNTIL:
        return proposal  # a date of its own; one counted from the stand-in date has none
    return replace(proposal, deadline=replace(deadline, due_on=None))


def _located(text: str, proposals: list[ProposedTask], parts: list[str]) -> list[ProposedTask]:
    """Each proposal with the span of its words in `text`, searched in order on folded text
    without spaces (the reading put spaces back between glued words and joined lines)."""
    whole = Folded(text)
    kept = [index for index, ch in enumerate(whole.folded) if ch != " "]
    haystack = "".join(whole.folded[index] for index in kept)
    located, cursor = [], 0
    for proposal, part in zip(proposals, parts, strict=True):
        needle = fold(part).replace(" ", "")
        found = haystack.find(needle, cursor) if needle else -1
        if found < 0:
            located.append(proposal)
            continue
        span = whole.original_span(kept[found], kept[found + len(needle) - 1] + 1)
        cursor = found
        located.append(replace(proposal, span=span))
    return located


@dataclass
class _Reader:
    """Reads items in order, keeping the header whose lead the list entries below take."""

    matcher: AgencyMatcher
    issued_on: dt.date
    titles: bool = True  # lines in capitals are headings (unless the whole text is)
    proposals: list[ProposedTask] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # each proposal's own words, as pasted
    header: _Draft | None = None
    header_used: bool = False
    header_marker: str = ""  # the list marker of the header's own entry ("number" for "2.")
    header_block: int = -1  # the entry whose first sentence was the header's last task
    paragraph: bool = False  # the item being read has no list marker
    marker: str = ""  # the list marker of the item being read
    distribution: bool = False  # inside "Kính gửi:" or "Nơi nhận:", a list of recipients
    block: int = -1  # the paragraph being read
    block_lead: _Draft | None = None  # the last assignment in it that named a lead
    block_proposals: int = 0  # how many proposals came from it
    tasks_section: bool = False  # under a heading "II. NHIỆM VỤ ...": entries with no lead wait
    orphans: list[tuple[int, _Draft]] = field(default_factory=list)  # (place, draft)
    notified: _Draft | None = None  # the closing line's addressee ("thông báo để X ...")
    unassigned: list[_Draft] = field(default_factory=list)  # the current entry's, no lead
    plan_task: bool = False  # the last proposal came from a plan's "Cơ quan chủ trì:" field
    award_marker: str = ""  # inside "1. Đối tượng, tiêu chuẩn khen thưởng": its marker
    inline: bool = False  # the item being read is an entry marked inside its line
    inline_run: list[int] = field(default_factory=list)  # the header's inline entries' proposals
    items: list[Item] = field(default_factory=list)  # the whole text's, to look ahead
    topic_marker: str = ""  # inside a topic whose entries name their own leads: its marker
    field_kind: str = ""  # under a plan's field laid out as a heading: "lead" or "partners"
    field_marker: str = ""  # that heading's list marker
    index: int = 0  # the item being read

    def award_section(self, item: Item) -> bool:
        """Entries under a heading of award criteria or quotas name who may be rewarded
        ("a) Tập thể: Các sở, ban, ngành có thành tích ...", "- Sở Nội vụ tặng Giấy khen cho
        không quá 15 cá nhân"): no work, up to the next entry of the heading's level."""
        if self.award_marker and _closes(item.marker, self.award_marker):
            self.award_marker = ""
        if (item.marker in _ENTRY_MARKERS and item.marker != "roman") or item.marker == "article":
            words = fold(item.text).strip(" .:")
            if len(words.split()) <= 12 and _AWARD_HEADING.fullmatch(words):
                self.close_header()
                self.award_marker = item.marker
                return True
        return bool(self.award_marker)

    def read(self, item: Item) -> None:
        if item.marker == "roman" and self.header is not None and not self.header_marker:
            self.header = None  # "... yêu cầu ... các nội dung sau:" then "I. ...": a preamble
        self.paragraph = not item.bullet
        if _closes(item.marker, self.header_marker) or not (
            item.bullet or self.awaits_entry() or self.paragraph_within()
        ):
            self.close_header()  # "3. ..." after "2. Bộ A:" and its "a)", "b)": a sibling
            folded = fold(item.text)
            self.distribution = bool(
                _DISTRIBUTION.match(folded)
                or _CABLED_TO.search(folded)
                or _ADDRESSEES_FOLLOW.search(folded)  # "V/v ... Hà Nội, ngày ... Kính gửi:"
            )
        self.enter(item)
        if item.marker == "roman":
            self.tasks_section = bool(_TASKS_SECTION.search(fold(item.text)))
            if self.titles and _in_capitals(item.text):
                return  # "II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI": a heading
        if (
            self.field_block(item)
            or self.award_section(item)
            or self.notice_closing(item.text)
            or self.plan_field(item)
        ):
            return
        if self.topic_heading(item):
            return
        if self.distribution or _HEADING.match(fold(item.text)):
            return
        if self.titles and _is_title(item.text):
            return
        sentence = _Sentence(item.text, self.matcher, self.issued_on)
        listed = item.marker in _ENTRY_MARKERS
        heading = sentence.heading() if listed else []
        for draft in heading or sentence.drafts(listed=listed):
            self.take(draft)

    def enter(self, item: Item) -> None:
        """The item's paragraph, list marker and topic."""
        if item.block != self.block:
            self.block, self.block_lead, self.block_proposals = item.block, None, 0
        if self.topic_marker and _closes(item.marker, self.topic_marker):
            self.topic_marker = ""
        self.marker, self.inline = item.marker, item.inline

    def topic_heading(self, item: Item) -> bool:
        """ "1. Hoàn thành mục tiêu ... trong năm 2025" or "2. Đối với dự án ..." naming no one,
        then lettered entries that mostly name their own leads ("a) Bộ Xây dựng ...", "b) Các
        tỉnh ... khẩn trương ..."): a topic, no task. A preamble above it addressing everyone
        ("yêu cầu các bộ, ngành, địa phương, đơn vị, cá nhân liên quan:") no longer heads the
        entries: the topics' entries name their leads, one without a lead is no task."""
        if item.marker not in ("number", "dotted") or item.inline:
            return False
        children = self.children(item)
        if not children or 2 * sum(children.values()) <= len(children):
            return False  # entries of the header's lead ("1. Về công tác tuyên truyền", "a) ...")
        if self.names_lead(item):
            return False
        if self.header is not None and not self.header_marker:
            self.header = None  # the preamble: no proposal of its own
        self.close_header()
        self.topic_marker = item.marker
        return True

    def children(self, item: Item) -> dict[int, bool]:
        """The entries below a list entry (of lower list levels), each (by its paragraph)
        with whether one of its sentences names a lead; none when the entry goes on in a
        paragraph of its own or is a plan's entry with its fields."""
        rank = _MARKER_RANK[item.marker]
        children: dict[int, bool] = {}
        for later in self.items[self.index + 1 :]:
            if later.marker:
                later_rank = _MARKER_RANK.get(later.marker, _MARKER_RANK["dash -"])
                if later.marker == "roman" or later_rank <= rank:
                    break
            if later.block == item.block:
                continue
            if (not children and not later.marker) or _PLAN_FIELD.match(fold(later.text)):
                return {}  # its own paragraph; "- Cơ quan chủ trì: Sở A", a plan's field
            if later.marker or later.block in children:  # an unmarked paragraph: no entry
                children[later.block] = children.get(later.block, False) or self.names_lead(later)
        return children

    def names_lead(self, item: Item) -> bool:
        sentence = _Sentence(item.text, self.matcher, self.issued_on)
        listed = item.marker in _ENTRY_MARKERS
        if listed and sentence.heading():
            return True
        return any(draft.lead is not None for draft in sentence.drafts(listed=listed))

    def take(self, draft: _Draft) -> None:
        if draft.lead is not None and draft.header:
            if self.header is not None and not self.header_used and self.preamble_replaced():
                self.header = None  # "Chủ tịch ... yêu cầu ... các nội dung sau:" then "1. Sở A"
            self.close_header()
            self.header, self.header_marker = draft, self.marker
        elif draft.lead is not None:
            self.add(_propose(draft), draft)
            self.block_lead = draft
        elif self.header is not None and self.header.directs:
            pass  # the executors' duties: the header is X's one task of directing them
        elif self.header is not None and self.follows_on():
            self.when_only(draft)  # "- Rà soát ... . Báo cáo kết quả trước ...": one entry
        elif self.header is not None:
            self.add_entry(draft, self.header)
        elif self.block_lead is not None and _opens_with(draft, _IMPERATIVE):
            self.add(_propose(draft, self.block_lead, inherit=True), draft)
        elif self.block_proposals and _opens_with(draft, _WHEN_ONLY):
            self.when_only(draft)
        else:
            self.unassigned.append(draft)  # a plan's entry: its "Cơ quan chủ trì:" may follow
            if (
                self.tasks_section
                and not self.topic_marker
                and (self.marker or _opens_with(draft, _IMPERATIVE))
            ):
                self.orphans.append((len(self.proposals), draft))  # the closing line may name it

    def add_entry(self, draft: _Draft, header: _Draft) -> None:
        """A list entry under the header: a task of the header's lead."""
        if self.inline and self.marker:
            self.inline_run.append(len(self.proposals))
        self.add(_propose(draft, header), draft)
        self.header_used, self.header_block = True, self.block

    def awaits_entry(self) -> bool:
        """ "5. Sở Khoa học và Công nghệ:" then a paragraph without a list marker: the
        paragraph is the heading's one entry (a later paragraph closes the heading)."""
        return (
            self.header is not None
            and not self.header_used
            and self.header_marker in _ENTRY_MARKERS
            and self.header_marker != "roman"
        )

    def paragraph_within(self) -> bool:
        """A paragraph without a list marker between the entries of a heading that names only
        its lead ("b) ... . Trường hợp ..., cơ quan chủ trì ..." then "c) ..."), or between the
        numbered entries of a preamble ("yêu cầu Chủ tịch UBND các tỉnh:", "1. Chỉ đạo ...",
        a paragraph, "2. ..."): more words of the entry before, the heading goes on."""
        if self.header is None or not self.header_used:
            return False
        if self.header.names_only and self.header_marker in _ENTRY_MARKERS:
            return True
        later = self.items[self.index + 1] if self.index + 1 < len(self.items) else None
        return (
            not self.header_marker
            and self.marker in _ENTRY_MARKERS
            and later is not None
            and later.marker == self.marker
        )

    def follows_on(self) -> bool:
        """A later sentence of a list entry whose first sentence is already a task of the
        header's lead: more words of the same entry, not a task of its own."""
        if self.header is None or not self.header_used or self.marker:
            return False
        if not self.header_marker and self.paragraph:
            return True  # a paragraph between a preamble's entries: see `paragraph_within`
        return self.header.names_only and (self.block == self.header_block or self.paragraph)

    def preamble_replaced(self) -> bool:
        """A paragraph's header (no list marker) followed at once by a listed one: the
        directive's preamble addressing everyone; each entry below names its own lead."""
        return not self.header_marker and self.marker in _ENTRY_MARKERS

    def notice_closing(self, text: str) -> bool:
        """ "... thông báo để Ủy ban nhân dân tỉnh A ... biết, thực hiện": the lead of the
        entries with no lead of the tasks section, when it names one."""
        folded = fold(text)
        notified = _NOTIFIED.search(folded)
        if notified is None or not _CARRY_OUT.search(folded, notified.end()):
            return False
        sentence = _Sentence(text, self.matcher, self.issued_on)
        start, end = notified.end(), len(sentence.text)
        lead = sentence.lead_at_start(start, end) or sentence.unknown_lead(start, end, start)
        if lead is not None:
            self.notified = _Draft(sentence.folded, start, start, lead)
            self.notified.co_leads = lead.agencies[1:]
        return True

    def plan_field(self, item: Item) -> bool:
        """A plan's entry gives its task first, then fields: "- Cơ quan chủ trì: Sở A",
        "- Cơ quan phối hợp: Sở B", "- Thời gian thực hiện: Quý I/2026". The lead field makes
        the entry's first sentence a task of that lead; the others complete it."""
        folded = fold(item.text)
        field_ = _PLAN_FIELD.match(folded)
        if field_ is None:
            if item.marker in _ENTRY_MARKERS:
                self.unassigned, self.plan_task = [], False
            return False
        sentence = _Sentence(item.text, self.matcher, self.issued_on)
        start, end = field_.end(), len(sentence.text.rstrip(" ."))
        kind = field_.group("kind")
        if kind is None:
            self.plan_deadline(sentence, start)
        elif kind == "phoi hop":
            self.plan_coordinators(item.text[start:])
        elif start < end:
            self.plan_lead(sentence, start, end)
        return True

    def field_block(self, item: Item) -> bool:
        """A plan's field laid out as list entries: "2. Cơ quan chủ trì, phối hợp", "a) Cơ quan
        chủ trì", "- Ban Chỉ đạo quốc gia.", "- Các Bộ, ngành liên quan.", "b) Cơ quan phối hợp",
        "- Mặt trận Tổ quốc Việt Nam ...". The first body under the lead field leads the plan
        entry's task (the entry's contents above, with no lead), the others are named with it;
        the bodies under the partners' field are its coordinators. No entry here is a task."""
        folded = fold(item.text).strip()
        heading = _FIELD_HEADING.fullmatch(folded) if item.marker in _ENTRY_MARKERS else None
        if heading is not None:
            # "Cơ quan chủ trì, phối hợp" over "a) Cơ quan chủ trì", "b) ...": leads first
            kind = "partners" if heading.group("kind") == "phoi hop" else "lead"
            if self.field_kind == "" or _closes(item.marker, self.field_marker):
                self.field_marker = item.marker
            self.field_kind = kind
            return True
        if not self.field_kind:
            return False
        if item.marker in _ENTRY_MARKERS and _closes(item.marker, self.field_marker):
            self.field_kind, self.field_marker = "", ""
            return False
        if item.marker in _ENTRY_MARKERS and _PLAN_FIELD.match(folded):
            return False  # "b) Đơn vị thực hiện: ...", "a) Cơ quan chủ trì: Bộ A; Bộ B."
        if self.field_kind == "lead" and item.bullet and item.marker not in _ENTRY_MARKERS:
            self.field_lead(item)
        elif self.field_kind == "partners":
            self.plan_coordinators(item.text.rstrip(" .;"))
        return True

    def field_lead(self, item: Item) -> None:
        sentence = _Sentence(item.text, self.matcher, self.issued_on)
        end = len(sentence.text.rstrip(" ."))
        if not self.plan_task:
            self.plan_lead(sentence, 0, end)
            return
        lead = sentence.lead_at_start(0, end) or sentence.unknown_lead(0, end, 0)
        if lead is None:
            return
        last = self.proposals[-1]
        named = [_words(sentence.folded, m) for m in lead.agencies]
        named = named or [_lead_text(sentence.folded, lead)]
        leads = list(last.leads) or [last.lead_text]
        leads += [name for name in named if name and name not in leads]
        self.proposals[-1] = replace(last, leads=leads)

    def plan_lead(self, sentence: "_Sentence", start: int, end: int) -> None:
        lead = sentence.lead_at_start(start, end) or sentence.unknown_lead(start, end, start)
        if lead is None or not self.unassigned:
            return
        owner = _Draft(sentence.folded, start, start, lead)
        owner.co_leads = sentence.read_list(start, end)[0][1:] if lead.agencies else []
        task = next((d for d in self.unassigned if not _only_label(d)), self.unassigned[0])
        label = _PLAN_LABEL.match(task.folded.folded, task.start, task.end)
        if label is not None:
            task.cut.append((task.start, label.end()))
        self.add(_propose(task, owner, inherit=True), task)
        self.unassigned, self.plan_task = [], True

    def plan_coordinators(self, value: str) -> None:
        if not self.plan_task:
            return
        sentence = _Sentence(f"Phối hợp với {value}", self.matcher, self.issued_on)
        draft = sentence.draft(0, len(sentence.text), None)
        last = self.proposals[-1]
        refs = [ref for ref in _unique(draft.coordinating, None) if ref not in last.coordinating]
        named = {fold(name) for name in last.coordinating_text}
        self.proposals[-1] = replace(
            last,
            coordinating=last.coordinating + [ref for ref in refs if ref.registered],
            coordinating_text=last.coordinating_text
            + [
                name
                for name in [ref.name for ref in refs if not ref.registered]
                + draft.coordinating_text
                if fold(name) not in named
            ],
        )

    def plan_deadline(self, sentence: "_Sentence", start: int) -> None:
        """The plan's own time for its entry replaces a date read in the task's words; "Năm
        2026 và các năm tiếp theo" is ongoing work, no due date."""
        if not self.plan_task:
            return
        ongoing = _YEARS_AFTER.search(sentence.text, start) is not None
        found = (
            None
            if ongoing
            else choose_deadline([d for d in sentence.deadlines if d.start >= start])
        )
        if found is not None or ongoing:
            deadline = _deadline(sentence.folded, found)
            self.proposals[-1] = replace(self.proposals[-1], deadline=deadline)

    def when_only(self, draft: _Draft) -> None:
        """ "Thời gian hoàn thành trước ngày ...": the deadline of the task before, if it has none."""
        deadline = _deadline(draft.folded, _deadline_in(draft))
        if deadline is not None and self.proposals[-1].deadline is None:
            self.proposals[-1] = replace(self.proposals[-1], deadline=deadline)

    def close_header(self) -> None:
        if self.header is not None and not self.header_used:
            self.add(_propose(self.header), self.header)
        self.date_inline_run()
        self.header, self.header_used, self.header_marker = None, False, ""

    def date_inline_run(self) -> None:
        """ "cụ thể: (i) ...; (ii) ...; (iii) ...; báo cáo ... trong tháng 11 năm 2025": the
        report closing the last inline entry dates every entry of the list."""
        run = [index for index in self.inline_run if index < len(self.proposals)]
        self.inline_run = []
        if len(run) < 2:
            return
        last = self.proposals[run[-1]]
        if last.deadline is None or any(self.proposals[i].deadline for i in run[:-1]):
            return
        if not _CLOSING_REPORT.search(fold(self.parts[run[-1]])):
            return
        for index in run[:-1]:
            self.proposals[index] = replace(self.proposals[index], deadline=last.deadline)

    def add(self, proposal: ProposedTask | None, draft: _Draft) -> None:
        if proposal is not None:
            self.proposals.append(proposal)
            self.block_proposals += 1
            self.parts.append(draft.folded.original(draft.start, draft.end).strip())

    def finish(self) -> list[ProposedTask]:
        self.close_header()
        if self.notified is not None:
            for place, draft in reversed(self.orphans):
                proposal = _propose(draft, self.notified, inherit=True)
                if proposal is not None:
                    self.proposals.insert(place, proposal)
                    self.parts.insert(place, draft.folded.original(draft.start, draft.end).strip())
        return self.proposals


def _without_toned_giao(folded: Folded) -> str:
    """The folded text with "giáo", "giảo" ... masked: only "giao" without a tone mark is the
    verb ("giáo viên" is a teacher, not "giao" + "Viện")."""
    text = folded.folded
    for token in folded.tokens():
        if token.word == "giao" and folded.original(token.start, token.end).lower() != "giao":
            text = f"{text[: token.start]}gia_{text[token.end :]}"
    return text


# "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương": the
# department of every province, one name (not the department and the provinces).
_EVERY_PROVINCE = re.compile(r"\s+cac tinh(?:\s*,\s*thanh pho)?(?:\s+truc thuoc trung uong)?\b")
_DEPARTMENT_NAME = re.compile(r"(?:giam doc\s+)?so\b")


def _of_every_province(text: str, mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue  # inside the department's name, extended below
        every = _EVERY_PROVINCE.match(text, mention.end)
        if every is not None and _DEPARTMENT_NAME.match(text, mention.start):
            mention = replace(mention, end=every.end(), province=False, group=False)
        kept.append(mention)
    return kept


class _Sentence:
    """One sentence, folded, with the agencies it names."""

    def __init__(self, sentence: str, matcher: AgencyMatcher, issued_on: dt.date) -> None:
        self.original = sentence
        self.folded = Folded(sentence)
        self.text = self.folded.folded
        self.verbs = _without_toned_giao(self.folded)  # for the assigning verbs only
        self.mentions = _of_every_province(self.text, matcher.scan(self.folded))
        self.starts = [mention.start for mention in self.mentions]
        self.no_one = False  # the clause being read assigns work to "các cơ quan, đơn vị" only
        self.by_start = {mention.start: mention for mention in self.mentions}
        self.deadlines = find_deadlines(self.text, issued_on)

    def between(self, start: int, end: int) -> list[Mention]:
        """The mentions inside text[start:end]."""
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[first:last] if m.end <= end]

    def drafts(self, *, listed: bool = False) -> list[_Draft]:
        """One draft per clause that names a lead; clauses without one join the draft before
        them. A sentence with no lead at all is one draft without a lead (a list entry that
        may take its lead from the header above it)."""
        drafts: list[_Draft] = []
        clauses = self.lists_joined(_clauses(self.text))
        pending = clauses[::-1]  # a stack: next clause last
        while pending:
            start, end = pending.pop()
            lead = self.find_lead(start, end)
            if lead is not None:
                split = self.next_lead(lead, end)
                if split is not None:
                    pending.append((split, end))
                    end = split
                drafts.append(self.draft(start, end, lead))
            elif drafts and self.add_coordinators(drafts[-1], start, end):
                continue
            elif drafts and (
                _opens_with_also(self.text, start, end)
                or self.coordinates_on_its_own(start, end)
                or self.dated_apart(drafts[-1].start, start, end)
            ):
                drafts.append(self.draft(start, end, drafts[-1].lead, inherited=True))
            elif drafts:
                drafts[-1].end = end
        drafts = self.without_responsibilities(drafts)
        if listed and len(drafts) > 1 and self.heading_wrapped(drafts):
            drafts = [self.draft(drafts[0].start, drafts[-1].end, drafts[0].lead)]
        if drafts:
            last = drafts[-1]
            last.header = (
                self.original.rstrip().endswith(":")
                or self.names_only(last)
                # "1. Giao Sở Nội vụ" on a line of its own, then its "-" entries
                or (listed and len(drafts) == 1 and self.names_only(last, assigned=True))
            )
            last.names_only = last.header and self.names_only(last, assigned=True)
            last.directs = last.header and bool(
                last.lead and _DIRECTS.match(self.text, last.lead.end, last.end)
            )
            return drafts
        if self.lead_free_of_work(clauses):
            return []
        return self.leadless_drafts(clauses)

    def heading_wrapped(self, drafts: list[_Draft]) -> bool:
        """ "4. Sở Văn hóa, Thể thao và Du lịch; Báo ... Cần Thơ" on its line, then its one
        paragraph "Chỉ đạo ...; phối hợp với Sở Y tế xây dựng ...": a heading's single paragraph
        is one task of the heading's bodies, its coordinators all of it."""
        lead = drafts[0].lead
        if lead is None or any(d.lead is not lead or not d.also for d in drafts[1:]):
            return False
        if lead.start != _skip(_LEADING_NOISE, self.text, 0, len(self.text)):
            return False
        return any(  # a verb with a capital inside the sentence: the paragraph's first word
            self.folded.original(verb.start(), verb.start() + 1).isupper()
            for verb in _IMPERATIVE.finditer(self.text, lead.text_end + 1, drafts[0].end)
            if self.text[verb.start() - 1] == " "
        )

    def without_responsibilities(self, drafts: list[_Draft]) -> list[_Draft]:
        """Drafts less "X chịu trách nhiệm toàn diện trước ..." (and what it goes on with after
        "đồng thời") and "giao X là cơ quan chủ quản": what X answers for or is, not a task."""
        kept: list[_Draft] = []
        dropped: _Lead | None = None
        for draft in drafts:
            lead = draft.lead
            if lead is not None and draft.also and lead is dropped:
                continue
            if _CARRIES_OUT_THIS.search(self.text, draft.start, draft.end):
                continue  # "X, Y chịu trách nhiệm thi hành Nghị quyết này": the standard clause
            if lead is not None and not draft.also and self.not_a_task(lead):
                dropped = lead
                continue
            kept.append(draft)
        return kept

    def not_a_task(self, lead: _Lead) -> bool:
        return bool(
            _RESPONSIBLE.match(self.text, lead.end) or _DESIGNATED.match(self.text, lead.text_end)
        )

    def lead_free_of_work(self, clauses: list[tuple[int, int]]) -> bool:
        """An entry "- Chịu trách nhiệm trước pháp luật nếu ...": no task."""
        position = _skip(_LEADING_NOISE, self.text, clauses[0][0], len(self.text)) if clauses else 0
        return bool(clauses) and _RESPONSIBLE.match(self.text, position) is not None

    def leadless_drafts(self, clauses: list[tuple[int, int]]) -> list[_Draft]:
        """A sentence naming no lead (a list entry under its header): one draft, cut before
        each clause that names its own coordinators ("Rà soát ... phối hợp với Bộ A ...;
        phối hợp với Bộ B xây dựng ...": two deliverables, each with its coordinators)."""
        starts = [0] + [
            s
            for s, e in clauses[1:]
            if self.coordinates_on_its_own(s, e)
            or _opens_with_also(self.text, s, e)
            or self.dated_apart(0, s, e)
        ]
        ends = [*starts[1:], len(self.text)]
        return [self.draft(start, end, None) for start, end in zip(starts, ends, strict=True)]

    def heading(self) -> list[_Draft]:
        """ "2. Sở Nông nghiệp và Môi trường", "4. Đề nghị Ủy ban Mặt trận Tổ quốc thành phố
        và các Đoàn thể", "11. Các đơn vị cấp nước ... có trách nhiệm" on a line of their own:
        bodies the registry does not know, heading the entries below them like "X:" does.
        The first named leads; those after ";", "," before another body's name, or before
        "(và) các ..." are in `leads`. A heading wrapped onto its entry's first sentence ("5.
        Ủy ban nhân dân các xã, phường Xây dựng kế hoạch ...") is the heading, then that entry."""
        end = len(self.text.rstrip(" .:"))
        position = _skip(_LEADING_NOISE, self.text, 0, end)
        trigger = _TRIGGER.match(self.verbs, position, end)
        position = trigger.end() if trigger else position
        role = self.named_by_role(position, end)
        if role is not None:
            return [role]
        full, end = end, self.before_parenthesis(position, end)
        entry = self.before_new_sentence(position, end, _OPENING)
        if entry < end:
            end = len(self.text[:entry].rstrip(" .:"))
        else:
            entry = full
        owes = _OWES.search(self.text, 0, end)
        end = owes.start() if owes else end
        firms = self.firms(position, end)
        colon = self.text.find(":", position, end) if firms else -1
        if colon >= 0:  # "Các doanh nghiệp ...: Tuân thủ ...": the heading, then its entry
            end, entry = len(self.text[:colon].rstrip()), colon
        words = self.text[position:end]
        if (
            not (self.institution(position, end) or firms)
            or self.mention_at(position) is not None
            or len(words.split()) > 16
            or self.verb_in_name(max(position, self.department_words(position) + 1), end)
        ):
            return []
        named = self.named_apart(position, end)
        lead = _Lead(named, position, named[0].end, end, 0)
        header = _Draft(self.folded, 0, entry, lead, header=True, names_only=True)
        header.co_leads = named[1:]
        if entry >= full:
            return [header]
        return [header, self.draft(entry + 1, len(self.text), None)]

    def named_by_role(self, position: int, end: int) -> _Draft | None:
        """ "3. Cơ quan chủ trì giải quyết thủ tục đầu tư dự án" on a line of its own heads the
        entries below it; "4. Cơ quan phối hợp có trách nhiệm trả lời ..." is a task of
        "Cơ quan phối hợp": a body named by its role in the procedure."""
        role = _ROLE.match(self.text, position, end)
        if role is None:
            return None
        owes = _OWES_HERE.search(self.text, role.end(), end)
        if owes is not None:
            lead = _Lead([], position, owes.start(), owes.end(), 0)
            return self.draft(0, len(self.text), lead)
        if len(self.text[position:end].split()) > 14 or re.search(r"[,;:]", self.text[:end]):
            return None
        lead = _Lead([], position, end, end, 0)
        return _Draft(self.folded, 0, len(self.text), lead, header=True, names_only=True)

    def before_parenthesis(self, position: int, end: int) -> int:
        """ "1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý ...):" is named by the
        words before its parenthesis."""
        opening = self.text.find("(", position, end)
        if opening < 0 or self.text.find(")", opening, end) != end - 1:
            return end
        return len(self.text[:opening].rstrip())

    def named_apart(self, position: int, end: int) -> list[Mention]:
        """The bodies named one after another in text[position:end], none registered: cut at
        ";", before "(và) các ..." and at a comma before another body's capitalized name
        ("Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh"; not "các sở, ban, ngành")."""
        named: list[Mention] = []
        cursor = position
        for piece in _HEADING_SPLIT.split(self.text[position:end]):
            first = self.text.find(piece, cursor)
            cursor = first + len(piece)
            for start, stop in self.apart_at_commas(first, cursor):
                name = self.folded.original(start, stop).strip(" ,:")
                named.append(Mention(start, stop, AgencyRef(UNREGISTERED, name)))
        return [mention for mention in named if mention.ref and mention.ref.name]

    def apart_at_commas(self, start: int, end: int) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        origin = start
        for comma in re.finditer(r",\s*", self.text[origin:end]):
            following = origin + comma.end()
            if _BARE_TITLE.fullmatch(self.text, start, origin + comma.start()):
                continue  # "Giám đốc, Thủ trưởng các sở": one name
            if self.institution(following, end) and (
                self.folded.original(following, following + 1).isupper()
            ):
                spans.append((start, origin + comma.start()))
                start = following
        return [*spans, (start, end)]

    def names_only(self, draft: _Draft, *, assigned: bool = False) -> bool:
        """ "2. Chủ tịch Ủy ban nhân dân các tỉnh: Sơn La, Điện Biên" on a line of its own: a
        heading naming the lead of the entries below it, like one ending with ":"."""
        lead = draft.lead
        return (
            lead is not None
            and bool(lead.agencies)
            and (assigned or not lead.assigned)
            and not self.text[lead.end : draft.end].strip(" .,:;")
        )

    def lists_joined(self, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Clauses that only name agencies ("Giao Ban A; Ban B; Ban C và ... rà soát") joined
        to the clause after them: the semicolons separate a list, not assignments."""
        joined: list[tuple[int, int]] = []
        for start, end in clauses:
            if joined and self.only_agencies(*joined[-1]):
                start = joined.pop()[0]
            joined.append((start, end))
        return joined

    def only_agencies(self, start: int, end: int) -> bool:
        """A clause that only names bodies, registered or not ("Thủ trưởng các Sở, ban,
        ngành; Chủ tịch UBND cấp xã căn cứ ...")."""
        position = _skip(_LEADING_NOISE, self.text, start, end)
        position = _skip(_TRIGGER, self.verbs, position, end)
        agencies, list_end = self.read_list(position, end)
        if agencies:
            return not self.text[list_end:end].strip(" ,")
        if not self.capitalized_body(position, end):
            return False
        lead = self.unknown_lead(position, end, position)
        return lead is not None and not self.text[_named_end(lead) : end].strip(" ,")

    def draft(self, start: int, end: int, lead: _Lead | None, *, inherited: bool = False) -> _Draft:
        draft = _Draft(self.folded, start, end, lead, deadlines=self.deadlines)
        if lead is not None and inherited:  # "..., đồng thời xây dựng ...": the same lead
            draft.co_leads = lead.agencies[1:]
            draft.also = True
        elif lead is not None:
            # Agencies named with the lead coordinate; after "giao" they may as well be leads
            # of their own: listed in `leads` for the specialist to split.
            draft.coordinating = [] if lead.apart else lead.agencies[1:]
            draft.co_leads = lead.agencies[1:]
            draft.cut.append((lead.cut_from, lead.end))
        if lead is None or inherited:
            chu_tri = _LEADING_CHU_TRI.match(self.text, start, end)
            if chu_tri is not None:  # a list entry "- Chủ trì ..." under its lead
                draft.cut.append((start, chu_tri.end()))
        floor = max(start, lead.end) if lead else start
        triggers = list(_COORDINATION.finditer(self.text, floor, end))
        if (
            lead is not None
            and not inherited
            and _CHU_TRI.search(self.text, lead.text_end, lead.end)
        ):
            along = _WITH_LEAD.match(self.text, lead.end, end)  # "Bộ A chủ trì cùng Bộ B ..."
            triggers = [along, *triggers] if along else triggers
        for trigger in triggers:
            if _ADVISED_BEFORE.search(self.text, floor, trigger.start()):
                continue  # "tham mưu UBND Thành phố phối hợp với Bộ A ...": the advised's partner
            before = self.list_before(trigger.start(), floor)
            if before:
                draft.coordinating += before
                draft.cut.append((before[0].start, trigger.end()))
            unknown: list[tuple[int, int]] = []
            after, list_end = self.read_list(trigger.end(), end, unknown)
            draft.coordinating += after
            draft.coordinating_text += [self.folded.original(*span).strip() for span in unknown]
            if after or list_end > trigger.end():
                draft.cut.append((trigger.start(), list_end))
        return draft

    def dated_apart(self, before: int, start: int, end: int) -> bool:
        """ "... hoàn thành trước ngày 31/12/2025; xây dựng lại ... trước ngày 31/01/2026": a
        clause with its own due date after one with another is a deliverable of its own."""
        due = [d for d in self.deadlines if _DUE_BY.match(self.text, d.start)]  # not "Ngày 8/4,"
        mine = choose_deadline([d for d in due if start <= d.start < end])
        theirs = choose_deadline([d for d in due if before <= d.start < start])
        return (
            mine is not None
            and theirs is not None
            and mine.kind in _FIXED_KINDS
            and theirs.kind in _FIXED_KINDS
            and mine.due_on != theirs.due_on
        )

    def coordinates_on_its_own(self, start: int, end: int) -> bool:
        """A clause with no lead that names its own coordinators and what to do with them
        ("...; phối hợp với Bộ B xây dựng kịch bản ..."): a deliverable of its own of the lead
        before, not more words of the clause before (whose coordinators are not its)."""
        for trigger in _COORDINATION.finditer(self.text, start, end):
            unknown: list[tuple[int, int]] = []
            agencies, list_end = self.read_list(trigger.end(), end, unknown)
            if (agencies or unknown) and self.text[list_end:end].strip(" ,.;:"):
                return True
        return False

    def add_coordinators(self, draft: _Draft, start: int, end: int) -> bool:
        """A clause "Y, Z phối hợp (thực hiện)" adds Y and Z to the task before it."""
        position = _skip(_LEADING_NOISE, self.text, start, end)
        agencies, list_end = self.read_list(position, end)
        if not agencies or not re.fullmatch(
            r"\s*phoi hop(?: thuc hien)?\W*", self.text[list_end:end]
        ):
            return False
        draft.coordinating += agencies
        draft.end = end
        draft.cut.append((start, end))
        return True

    # --- the lead ------------------------------------------------------------------------

    def find_lead(self, start: int, end: int) -> _Lead | None:
        """The clause's lead; none when it issues the plan or directive ("Ủy ban nhân dân tỉnh
        ban hành Kế hoạch ... với các nội dung sau:" is its author, not a header)."""
        lead = self.lead_of(start, end)
        if lead is not None and _EARLIER_REQUEST.search(self.text, start, lead.start):
            return None  # "Bộ A đã có Văn bản số ... đề nghị các Bộ ... báo cáo": asked before
        named_end = lead.agencies[-1].end if lead is not None and lead.agencies else 0
        if lead is not None and _ISSUES.match(self.text, named_end or lead.text_end, end):
            return None
        return lead

    def lead_of(self, start: int, end: int) -> _Lead | None:
        lead = self.lead_of_clause(start, end)
        if lead is not None and not lead.assigned and _STANDING_BODY.match(self.text, lead.start):
            return None  # "Ủy ban thường vụ Quốc hội ... giám sát việc thực hiện": the issuer's
        return lead

    def lead_of_clause(self, start: int, end: int) -> _Lead | None:
        position = _skip(_LEADING_NOISE, self.text, start, end)
        self.no_one = False
        lead = self.lead_after_trigger(position, end)
        if self.no_one:
            return None
        if lead is not None:
            lead.cut_from = start
            return lead
        lead = self.lead_at_start(position, end)
        after_comma = self.after_opening_phrase(position, end)
        if after_comma and (
            _EVENT_DATE.match(self.text, position, after_comma)
            or _IMPERATIVE.match(self.text, position, after_comma)  # "Hướng dẫn các đơn vị, ..."
        ):
            after_comma = None
        if lead is None and after_comma:
            lead = self.lead_at_start(after_comma, end)
        if lead is None:
            lead = self.lead_after_issuer(position, end)
        if lead is None:
            lead = self.place_itself(position, end) or (
                self.place_itself(after_comma, end) if after_comma else None
            )
        if lead is not None:
            lead.cut_from = start  # the title starts after the lead
            return lead
        lead = self.lead_before_chu_tri(position, end)
        if lead is None and after_comma:
            lead = self.lead_before_chu_tri(after_comma, end)  # "Theo đó, Ban A chủ trì ..."
        return (
            lead
            or self.places_as_subject(position, end)
            or self.unknown_subject(position, end)
            or self.after_grounds(position, end)
        )

    def places_as_subject(self, position: int, end: int) -> _Lead | None:
        """ "Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng khẩn trương ...", "Thành phố Hà Nội và các
        tỉnh Bắc Ninh, Gia Lai đẩy nhanh ...": provinces and cities named as the subject, a verb
        of work after them. Their authorities lead, named with the words of the text (no party
        committee stands in for a place); several are co-leads, not coordinators. "Các tỉnh"
        before the names is a shared prefix: its words name the whole list."""
        shared = self.text.startswith("cac ", position)
        cursor = position + 4 if shared else position
        places: list[Mention] = []
        while True:
            mention = self.mention_at(cursor)
            if mention is None or not mention.province or mention.ref is None:
                break
            places.append(mention)
            gap = _PLACES_GAP.match(self.text, mention.end, end)
            if gap is None or gap.end() == mention.end:
                break
            cursor = gap.end()
        if not places or (shared and not self.text.startswith("tinh", position + 4)):
            return None
        last = places[-1].end
        if not _ACT_NOW.match(self.text, last, end) or self.describes_the_past(last):
            return None
        # words only, unresolved; after "Các tỉnh" the lead's words run over the whole list
        named = [replace(place, ref=None, expanded=shared) for place in places]
        text_end = last if shared else places[0].end
        return _Lead(named, position, text_end, last, position, apart=True)

    def after_grounds(self, position: int, end: int) -> _Lead | None:
        """ "Trên cơ sở Báo cáo số ... của Chính phủ, Bộ Xây dựng làm việc với ...": after an
        opening phrase of grounds that names other bodies, the body right after a comma and
        before a verb of work is the lead; the phrase's dates are no deadline."""
        if not _GROUNDS.match(self.text, position, end):
            return None
        for comma in _COMMA.finditer(self.text, position, end):
            at = comma.end()
            if self.mention_at(at) is None:
                continue
            lead = self.lead_at_start(at, end)
            if lead is None or not lead.agencies or lead.agencies[0].issuer:
                continue
            if _ACT_NOW.match(self.text, lead.text_end, end) or _CHU_TRI.match(
                self.text, lead.end - len("chu tri"), end
            ):
                lead.context_end, lead.cut_from = at, position
                return lead
        return None

    def unknown_subject(self, position: int, end: int) -> _Lead | None:
        """ "Các Sở, ban, ngành, UBND cấp xã theo chức năng ... có trách nhiệm ...", "Các sở,
        ban, ngành, địa phương tổ chức thực hiện ...": bodies the registry does not know as
        the subject, their name up to the verb."""
        named_body = self.capitalized_body(position, end)
        if self.mention_at(position) is not None or not (
            _SUBJECT.match(self.text, position, end)
            or self.department_words(position) >= 0
            or named_body
        ):  # or a ministry's department: "Vụ Pháp chế rà soát ...", or "Công an tỉnh ..."
            return None
        if position != _skip(_LEADING_NOISE, self.text, 0, end):
            return None  # "Giao A; B; Các Ban C báo cáo ...": a list, not a new subject
        lead = self.unknown_lead(position, end, position)
        if lead is None or len(self.text[position : lead.text_end].split()) > 14:
            return None
        if self.describes_the_past(lead.text_end) or lead.text_end >= end - 1:
            return None
        if _NO_ONE.fullmatch(self.text, position, lead.text_end):
            return None  # "Các cơ quan, đơn vị, địa phương căn cứ ...": no one named
        if named_body and (
            not _ACT_NOW.match(self.text, _named_end(lead), end)
            or _IS.search(self.text, position, _named_end(lead))
        ):
            return None  # "Công an tỉnh là cơ quan thường trực ...": no verb of work after it
        return lead

    def capitalized_body(self, position: int, end: int) -> bool:
        """ "Công an tỉnh tăng cường ...", "Bộ Chỉ huy Quân sự tỉnh tổ chức ...": a body the
        registry does not know, its name capitalized, as the subject of the sentence."""
        return (
            self.institution(position, end)
            and self.folded.original(position, position + 1).isupper()
            and not _SUBJECT.match(self.text, position, end)
            and not _GENERIC_BODY.match(self.text, position, end)
        )

    def place_itself(self, position: int, end: int) -> _Lead | None:
        """ "Tỉnh tổ chức thực hiện ...", "Thành phố cần ...": the province or city itself,
        written with a capital and no name after it, as the subject of a notice's sentence."""
        place = _PLACE_ITSELF.match(self.text, position, end)
        if place is None or self.mention_at(position) is not None:
            return None
        words = self.folded.original(position, min(end, place.end() + 12)).split()
        following = words[2 if self.text.startswith("thanh pho", position) else 1 :]
        if not words or words[0] not in ("Tỉnh", "Thành") or not following:
            return None  # "Tình hình ..." folds alike
        if not following[0][:1].islower() or self.describes_the_past(place.end()):
            return None
        return _Lead([], position, place.end(), place.end(), position)

    def lead_after_trigger(self, position: int, end: int) -> _Lead | None:
        """ "Thủ tướng Chính phủ giao Bộ A ...", "Bộ B đề nghị Bộ A ...", "..., giao Sở A":
        whoever speaks before the assigning verb, the lead is the agency right after it."""
        blocked = _NO_TRIGGER_AFTER.search(self.text, position, end)
        limit = blocked.start() if blocked else end
        if blocked and _GROUNDS.match(self.text, position):
            limit = end  # "Để việc đề xuất ..., trên cơ sở ..., đề nghị Bộ A ...": an opening
        for trigger in _TRIGGER_ANYWHERE.finditer(self.verbs, position, limit):
            if limit == end and blocked:
                comma = self.text.rfind(",", position, trigger.start())
                if _NO_TRIGGER_AFTER.search(self.text, max(comma, position), trigger.start()):
                    break  # a blocker in the trigger's own words, after the opening phrase
            if any(m.start < trigger.start() < m.end for m in self.between(position, end)):
                continue  # "giao" inside a name ("Bộ Giao thông vận tải")
            if _EARLIER_REQUEST.search(self.text, position, trigger.start()):
                self.no_one = True  # what was asked before, by an earlier letter: no task
                return None
            after = _skip(_AFTER_TRIGGER, self.text, trigger.end(), end)
            deputy = self.deputy_prime_minister(after, end)
            if deputy is not None:
                deputy.context_end, deputy.assigned = trigger.start(), True
                return deputy
            asked = self.issuer_asked(position, after, end)
            lead = (
                asked or self.lead_at_start(after, end) or self.unknown_lead(after, end, position)
            )
            if (
                lead is not None
                and not lead.agencies
                and _NO_ONE.fullmatch(self.text, lead.start, lead.text_end)
            ):
                self.no_one = True  # addressed to no one: the speaker is no lead either
                return None  # "Đề nghị các cơ quan, đơn vị, doanh nghiệp ... thực hiện": no one
            if lead is not None and (
                lead is asked or not (lead.agencies and lead.agencies[0].issuer)
            ):
                lead.context_end, lead.assigned = trigger.start(), True
                return lead
        return None

    def issuer_asked(self, position: int, after: int, end: int) -> _Lead | None:
        """ "Ủy ban thường vụ Quốc hội yêu cầu Chính phủ, Thủ tướng Chính phủ ...": a standing
        body asks; the Government it asks (elsewhere the speaker) leads."""
        asked = self.mention_at(after)
        if asked is None or not asked.issuer or not _STANDING_BODY.match(self.text, position):
            return None
        agencies = [asked]
        for mention in self.between(asked.end, end):
            gap = self.text[agencies[-1].end : mention.start]
            if not _PLACES_GAP.fullmatch(gap) or not mention.issuer:
                break
            agencies.append(mention)  # "Chính phủ, Thủ tướng Chính phủ"
        text_end = agencies[-1].end
        tail = _AFTER_LEAD.match(self.text, text_end, end)
        lead = _Lead(agencies, agencies[0].start, text_end, tail.end() if tail else text_end, after)
        lead.assigned = True
        return lead

    def deputy_prime_minister(self, position: int, end: int) -> _Lead | None:
        """ "Giao Phó Thủ tướng Chính phủ Trần Hồng Hà trực tiếp chỉ đạo ...": a deputy prime
        minister named by name and given work is its lead (never the Government or the Prime
        Minister, who assign; the title without a name names no one)."""
        title = _DEPUTY_PM.match(self.text, position, end)
        if title is None:
            return None
        name_end = title.end()
        for word in re.finditer(r"\s*(\S+)", self.folded.original(title.end(), end)):
            if not word.group(1)[:1].isupper() or not word.group(1).isalpha():
                break
            name_end = title.end() + word.end()
        if name_end == title.end():
            return None  # "Giao Phó Thủ tướng chỉ đạo ...": no one named
        others = re.compile(r"\s+va cac pho thu tuong\b").match(self.text, name_end, end)
        return _Lead([], position, name_end, others.end() if others else name_end, position)

    def lead_after_issuer(self, position: int, end: int) -> _Lead | None:
        """ "Để ..., Bộ Chính trị, Ban Bí thư yêu cầu Ban A ...": a leadership body assigning
        after an opening phrase that names other agencies."""
        for mention in self.between(position, end):
            if mention.issuer:
                after = _skip(_ISSUER_SAYS, self.text, mention.end, end)
                if _TRIGGER.match(self.verbs, after, end):
                    lead = self.lead_at_start(mention.start, end)
                    if lead is not None and lead.agencies:
                        lead.context_end = mention.start
                        return lead
        return None

    def lead_at_start(self, position: int, end: int) -> _Lead | None:
        """The lead at the start of a clause: "Ban A ...", "Giao Ban A ...", "Bộ Chính trị
        giao Ban A ...", or a body the database does not know after "Giao"."""
        opening = position
        first = self.mention_at(position)
        while first is not None and first.issuer:  # the body that assigns, then its verb
            position = _skip(_ISSUER_SAYS, self.text, first.end, end)
            first = self.mention_at(position)
        trigger = _TRIGGER.match(self.verbs, position, end)
        if trigger is None:
            trigger = self.addressed_header(position, end)
        if trigger is not None:
            position = trigger.end()
            first = self.mention_at(position)
        if first is not None and first.ref is not None and not first.weak and not first.issuer:
            agencies, text_end = self.read_list(position, end)
            if not agencies:  # only bodies concerned ("các bộ, ngành có liên quan"): no one named
                return self.unknown_lead(position, end, opening) if trigger is not None else None
            if trigger is None and self.describes_the_past(text_end):
                return None
            if _SPEAKS.match(self.text, text_end, end):
                return None
            tail = _AFTER_LEAD.match(self.text, text_end, end)
            lead_end = tail.end() if tail else text_end
            lead = _Lead(agencies, agencies[0].start, text_end, lead_end, opening)
            lead.assigned = trigger is not None
            # "Thành phố Hồ Chí Minh, tỉnh Lâm Đồng đẩy nhanh ...": places named together lead
            # together; none of them coordinates the first
            lead.apart = (
                len(agencies) > 1
                and all(agency.province for agency in agencies)
                and not _COMMITTEE.match(self.text, agencies[0].start)  # not "Tỉnh ủy A, B"
            )
            return lead
        if trigger is not None:
            unknown = self.unknown_lead(position, end, opening)
            if (
                unknown is not None
                and not unknown.agencies
                and _NO_ONE.fullmatch(self.text, unknown.start, unknown.text_end)
            ):
                return None  # "Đề nghị các cơ quan, đơn vị, doanh nghiệp ... thực hiện": no one
            return unknown
        return None

    def addressed_header(self, position: int, end: int) -> re.Match[str] | None:
        """ "Đối với Bộ Y tế:" heading the entries below it: the lead is the body addressed
        ("Đối với các dự án chậm, Bộ A ..." is an opening phrase, not a heading)."""
        addressed = _ADDRESSED.match(self.text, position, end)
        if addressed is None:
            return None
        first = self.mention_at(addressed.end())
        if first is None or first.ref is None or first.issuer:
            return None
        _agencies, text_end = self.read_list(addressed.end(), end)
        return addressed if _HEADER_END.fullmatch(self.text, text_end, end) else None

    def lead_before_chu_tri(self, position: int, end: int) -> _Lead | None:
        """ "... do Ban A chủ trì ...", "Ban A (chủ trì)", or an unknown body before "chủ trì"."""
        chu_tri = _CHU_TRI.search(self.text, position, end)
        if chu_tri is None:
            return None
        return self.known_before(position, chu_tri.start(), end) or self.unknown_before(
            position, chu_tri.start(), end
        )

    def known_before(self, position: int, chu_tri: int, end: int) -> _Lead | None:
        before = self.between(position, chu_tri)
        if not before or before[-1].ref is None:
            return None
        gap = _BEFORE_CHU_TRI.fullmatch(self.text, before[-1].end, chu_tri)
        agencies = self.list_ending_at(before) if gap else []
        if not agencies or agencies[0].issuer:
            return None
        tail = _AFTER_LEAD.match(self.text, agencies[-1].end, end)
        lead_end = tail.end() if tail else chu_tri
        owner = _OWNER_BEFORE.search(self.text, position, agencies[0].start)
        lead_start = owner.start() if owner else agencies[0].start
        by_whom = _BY_WHOM.search(self.text, position, lead_start)
        cut_from = by_whom.start() if by_whom else lead_start
        return _Lead(agencies, agencies[0].start, agencies[-1].end, lead_end, cut_from)

    def unknown_before(self, position: int, chu_tri: int, end: int) -> _Lead | None:
        words = self.text[position:chu_tri].rstrip(" ,(")
        if self.between(position, chu_tri):
            return None
        if "," in words:
            return self.unknown_list_before(position, position + len(words), chu_tri, end)
        if not self.institution(position, chu_tri) or len(words.split()) > 12:
            return None
        tail = _AFTER_LEAD.match(self.text, position + len(words), end)
        lead_end = tail.end() if tail else chu_tri
        return _Lead([], position, position + len(words), lead_end, position)

    def unknown_list_before(
        self, position: int, words_end: int, chu_tri: int, end: int
    ) -> _Lead | None:
        """ "Tập đoàn A, Tập đoàn B chủ trì ...": bodies the registry does not know, named
        together before "chủ trì": the first leads, all are listed in `leads`."""
        named: list[Mention] = []
        start = position
        for piece in self.text[position:words_end].split(","):
            stripped = piece.strip()
            first = start + len(piece) - len(piece.lstrip())
            if not self.institution(first, first + len(stripped)) or len(stripped.split()) > 12:
                return None
            words = self.folded.original(first, first + len(stripped)).strip()
            named.append(Mention(first, first + len(stripped), AgencyRef(UNREGISTERED, words)))
            start += len(piece) + 1
        tail = _AFTER_LEAD.match(self.text, words_end, end)
        lead_end = tail.end() if tail else chu_tri
        return _Lead(named, position, named[0].end, lead_end, position)

    def institution(self, position: int, end: int) -> bool:
        """Whether text[position:] opens a body's name: "Sở ...", "Ban ...", or a ministry's
        department written with capitals ("Vụ Pháp chế", "Cục Quản lý ..."; not "vụ việc")."""
        if _INSTITUTION.match(self.text, position, end):
            return not self.lowercase_after_bo(position)
        department = _DEPARTMENT.match(self.text, position, end)
        return department is not None and all(
            self.folded.original(at, at + 1).isupper() for at in (position, department.end() - 1)
        )

    def name_goes_on_after_va(self, position: int, end: int) -> bool:
        """ "Ban Quản lý các khu công nghệ cao và khu công nghiệp": "và" joins two things the
        body manages, in lower case, not a second body ("và Sở A", "và các sở, ngành")."""
        following = _skip(re.compile(r"\s*"), self.text, position, end)
        if following >= end or self.text.startswith("cac ", following):
            return False
        if self.folded.original(following, following + 1).isupper():
            return False
        return not (self.institution(following, end) or self.mention_at(following))

    def field_after_comma(self, name: int, position: int, end: int) -> bool:
        """ "Vụ Kế hoạch, Tài chính": a department's second field after a comma, in capitals,
        goes on with its name (not "Vụ A, Sở B", nor a lower-case word)."""
        if self.department_words(name) < 0:
            return False
        following = _skip(re.compile(r"\s*"), self.text, position, end)
        if following >= end or not self.folded.original(following, following + 1).isupper():
            return False
        return not (
            self.institution(following, end)
            or self.mention_at(following)
            or _VERB.match(self.text, following, end)
        )

    def verb_in_name(self, position: int, end: int) -> bool:
        """A verb in words read as a heading's names, but for "tổ chức" listed as a noun
        ("Các doanh nghiệp, tổ chức, cá nhân có liên quan")."""
        return any(
            not (verb[0] == "to chuc" and self.text[verb.start() - 2 : verb.start()] == ", ")
            for verb in _VERB.finditer(self.text, position, end)
        )

    def lowercase_after_bo(self, position: int) -> bool:
        """ "Bộ nhận diện", "Bộ tiêu chí": "Bộ" with a capital and a word in lower case after it
        is a set of things; a ministry's name goes on in capitals ("Bộ Y tế", "Bộ Chỉ huy")."""
        if not self.text.startswith("bo ", position):
            return False
        original = self.folded.original(position, position + 4)
        return original[:1].isupper() and original[-1:].isalpha() and original[-1:].islower()

    def firms(self, position: int, end: int) -> bool:
        """ "Các doanh nghiệp viễn thông, tổ chức, cá nhân có liên quan", "Các cơ sở nuôi trồng
        thủy sản" heading its entries."""
        firms = ("cac doanh nghiep", "cac chu dau tu", "cac co so ")
        return self.text.startswith(firms, position, end) and (
            self.folded.original(position, position + 1).isupper()
        )

    def department_words(self, position: int) -> int:
        """Where the name of a department ("Vụ Tổ chức cán bộ") starts after "Vụ"/"Cục"; -1
        when text[position:] names none."""
        department = _DEPARTMENT.match(self.text, position)
        if department is None or not self.institution(position, len(self.text)):
            return -1
        return department.end() - 1

    def unknown_lead(self, position: int, end: int, opening: int) -> _Lead | None:
        """A body the database does not know, named after "Giao": its words up to the verb."""
        if not (
            self.institution(position, end) or _LEAD_INSTITUTION.match(self.text, position, end)
        ):
            return None
        action = next(
            (
                a
                for a in _NAME_STOPS.finditer(self.text, position + 1, end)
                if not _NOUN_NOT_VERB.search(self.text, position, a.end())
            ),
            None,
        )
        words_end = position + len(self.text[position : action.start() if action else end].rstrip())
        words_end = self.before_new_sentence(position, words_end)
        if words_end <= position:
            return None
        while (more := _NAME_GOES_ON.match(self.text, words_end, end)) is not None:
            words_end = more.end()
        words_end = self.more_bodies(words_end, end)
        if (qualifier := _NAME_QUALIFIER.match(self.text, words_end, end)) is not None:
            words_end = qualifier.end()  # "các sở, ngành liên quan", "các sở, ngành tỉnh"
        tail = _AFTER_LEAD.match(self.text, words_end, end)
        lead_end = tail.end() if tail else words_end
        named = self.named_apart(position, words_end)
        if len(named) > 1:  # "Ủy ban Mặt trận ... tỉnh và các tổ chức chính trị - xã hội"
            return _Lead(named, position, named[0].end, lead_end, opening, apart=True)
        return _Lead([], position, words_end, lead_end, opening)

    def more_bodies(self, words_end: int, end: int) -> int:
        """ "Các sở, ban, ngành, UBND cấp xã ...": another body's capitalized name after a
        comma or a semicolon goes on the list of those named together (cut apart later)."""
        while (comma := _COMMA_OR_SEMICOLON.match(self.text, words_end, end)) is not None:
            following = comma.end()
            if not self.folded.original(following, following + 1).isupper():
                break
            name_end = self.unknown_name(following, end)
            if name_end is None or self.mention_at(following) is not None:
                break
            preposition = _PREPOSITION.search(self.text, following, name_end)
            words_end = preposition.start() if preposition else name_end
            while (more := _NAME_GOES_ON.match(self.text, words_end, end)) is not None:
                words_end = more.end()  # "UBND xã, phường"
        return words_end

    def before_new_sentence(
        self, position: int, words_end: int, pattern: re.Pattern[str] | None = None
    ) -> int:
        """ "Ủy ban Mặt trận Tổ quốc thành phố Tăng cường công tác ...": a heading joined to
        its entry's first sentence; the name ends before the capitalized verb."""
        for verb in (pattern or _IMPERATIVE).finditer(self.text, position + 1, words_end):
            if verb.start() > 0 and self.text[verb.start() - 1].isalnum():
                continue
            if verb.start() == self.department_words(position):
                continue  # "Vụ Tổ chức cán bộ": the department's name, not a new sentence
            opening = self.folded.original(verb.start(), verb.start() + 1)
            if self.text[verb.start() - 1] == " " and opening.isupper():
                return verb.start() - 1
        return words_end

    def next_lead(self, lead: _Lead, end: int) -> int | None:
        """Where a second "…, Ban B chủ trì …" starts in the same clause."""
        for chu_tri in _CHU_TRI.finditer(self.text, lead.end, end):
            second = self.known_before(lead.end, chu_tri.start(), end)
            if second is not None and second.cut_from == second.start:
                separator = _NEXT_LEAD_SEPARATOR.search(self.text, lead.end, second.start)
                if separator is not None:
                    return separator.start()
        return None

    def after_opening_phrase(self, position: int, end: int) -> int | None:
        """After "Sau 6 tháng triển khai," or "Chậm nhất ngày 31/3/2026,": where the subject
        starts, when the opening phrase names no agency."""
        comma = self.text.find(",", position, min(end, position + 80))
        if comma < 0 or self.between(position, comma):
            return None
        return _skip(_LEADING_NOISE, self.text, comma + 1, end)

    def describes_the_past(self, position: int) -> bool:
        """ "Ban A đã ..." (or "các bộ ngành cũng đã ...", "đều đã ...") reports what was done;
        it assigns nothing."""
        following = self.folded.original(position, min(len(self.text), position + 20)).split()
        words = [word.lower() for word in following]
        while words and words[0] in _ALSO_ADVERBS:
            words = words[1:]
        return bool(words) and words[0] in _NOT_AN_ASSIGNMENT

    # --- lists of agencies ---------------------------------------------------------------

    def mention_at(self, position: int) -> Mention | None:
        """The agency named at `position`, also after "Ban cán sự đảng", "Đảng ủy"... when
        what follows is an agency ("Ban cán sự đảng Bộ Tư pháp" is Bộ Tư pháp)."""
        found = self.by_start.get(position)
        owner = _OWNER_PREFIX.match(self.text, position) if found is None else None
        if owner is not None:
            found = self.by_start.get(owner.end())
            return replace(found, start=position) if found is not None else None
        return found

    def read_list(
        self, position: int, end: int, unknown: list[tuple[int, int]] | None = None
    ) -> tuple[list[Mention], int]:
        """Agencies named one after another from `position` ("A, B và C"; fillers such as "các
        cơ quan liên quan" skipped); returns them and where the list ends."""
        found: list[Mention] = []
        list_end = cursor = position
        while cursor < end:
            mention = self.mention_at(cursor)
            if mention is not None and _joins_list(mention, found):
                related = _RELATED.match(self.text, mention.end, end)
                if mention.ref is not None and related is None:
                    found.append(mention)
                list_end = related.end() if related else mention.end
            elif (filler := _FILLER.match(self.text, cursor, end)) is not None:
                list_end = filler.end()
            elif (name_end := self.unknown_name(cursor, end)) is not None:
                list_end = name_end  # a body the database does not know: kept as words
                if unknown is not None and not (
                    _COLLECTIVE.fullmatch(self.text, cursor, name_end)
                    or _KIND_OF_BODY.match(self.text, cursor, name_end)
                    or self.common_noun(cursor, name_end)
                ):
                    unknown.append((cursor, name_end))
            else:
                break
            cursor = _skip(_LIST_SEPARATOR, self.text, list_end, end)
        return found, list_end

    def common_noun(self, position: int, end: int) -> bool:
        """ "đơn vị được lựa chọn quan trắc môi trường", "tổ chức tư vấn": a kind of body in
        lower case, no body's name."""
        return _KIND_OF_BODY.match(self.text, max(0, position - 4), end) is None and bool(
            _COMMON_BODY.match(self.text, position, end)
            and self.folded.original(position, position + 1).islower()
        )

    def unknown_name(self, position: int, end: int) -> int | None:
        """The end of an unknown body's name in a list ("Ban cán sự đảng Tòa án nhân dân tối
        cao, ..."): up to the next comma, "và" or verb."""
        if position >= end or not self.institution(position, end):
            return None
        stop = _NAME_END.search(self.text, position + 1, end)
        capitalized = self.folded.original(position, position + 1).isupper()
        while stop is not None and stop[0] in ("va", ",") and capitalized:
            if stop[0] == "va" and not self.name_goes_on_after_va(stop.end(), end):
                break
            if stop[0] == "," and not self.field_after_comma(position, stop.end(), end):
                break
            stop = _NAME_END.search(self.text, stop.end(), end)
        name_end = position + len(self.text[position : stop.start() if stop else end].rstrip())
        return name_end if name_end > position else None

    def list_before(self, position: int, floor: int) -> list[Mention]:
        """ "..., Ban B, Ban C phối hợp": the agencies right before a "phối hợp" that follows
        the lead's part of the sentence with nothing else between."""
        before = self.between(floor, position)
        if not before or not _SEPARATORS_ONLY.fullmatch(self.text, before[-1].end, position):
            return []
        agencies = self.list_ending_at(before)
        if not agencies or not _SEPARATORS_ONLY.fullmatch(self.text, floor, agencies[0].start):
            return []
        return [m for m in agencies if m.ref is not None]

    def list_ending_at(self, before: list[Mention]) -> list[Mention]:
        """The run of agencies, separated by commas and "và", that ends with before[-1]."""
        run = [before[-1]]
        for mention in reversed(before[:-1]):
            if mention.issuer or not _LIST_SEPARATOR.fullmatch(
                self.text, mention.end, run[0].start
            ):
                break
            run.insert(0, mention)
        while run and (run[0].weak or run[0].ref is None):
            run.pop(0)
        return run


def _named_end(lead: _Lead) -> int:
    """Where the words naming the lead, and the bodies named apart with it, end."""
    return lead.agencies[-1].end if lead.apart and lead.agencies else lead.text_end


def _skip(pattern: re.Pattern[str], text: str, position: int, end: int) -> int:
    """Where `pattern` (which may match nothing) stops matching from `position`."""
    match = pattern.match(text, position, end)
    return match.end() if match else position


_ALSO = re.compile(r"[\W_]*dong thoi\b[\s,]*")


def _opens_with_also(text: str, start: int, end: int) -> bool:
    """A clause "đồng thời ..." after a lead's: a second deliverable of the same lead."""
    return _ALSO.match(text, start, end) is not None


def _clauses(folded: str) -> list[tuple[int, int]]:
    """Spans between semicolons outside parentheses, and before ", đồng thời"."""
    spans, start, depth = [], 0, 0
    for index, ch in enumerate(folded):
        depth = max(0, depth + (ch == "(") - (ch == ")"))
        if depth == 0 and (ch == ";" or (ch == "," and _ALSO.match(folded, index + 1))):
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(folded)))
    return [(start, end) for start, end in spans if folded[start:end].strip()]


def _joins_list(mention: Mention, found: list[Mention]) -> bool:
    if mention.issuer:
        return False
    if mention.weak:  # "Hải Phòng" after "Thành ủy Đà Nẵng,"; "địa phương" after "các bộ, ngành,"
        return bool(found) and (found[-1].province or found[-1].group)
    return True


# --- the proposal --------------------------------------------------------------------------


def _propose(
    draft: _Draft, header: _Draft | None = None, *, inherit: bool = False
) -> ProposedTask | None:
    """The proposal for a draft (under its header, or taking the lead of the sentence before
    when `inherit`), or None when it holds nothing but the names of agencies."""
    owner = header or draft
    under = header if not inherit else None  # a header lends its words, not only its lead
    lead = owner.lead
    chosen = _deadline_in(draft)
    deadline = _deadline(draft.folded, chosen)
    if deadline is None and under is not None:
        deadline = _deadline(under.folded, _deadline_in(under))
    cut = list(draft.cut)
    if chosen is not None:
        cut.append(_with_lead_in(draft.folded.folded, chosen, draft.start))
    sentence = draft.folded.original(draft.start, draft.end).strip()
    if under is not None:
        sentence = f"{under.folded.original(under.start, under.end).strip()} {sentence}"
    if inherit:
        coordinating, unknown = draft.coordinating, draft.coordinating_text
    else:
        coordinating = owner.coordinating + (draft.coordinating if header else [])
        unknown = owner.coordinating_text + (draft.coordinating_text if header else [])
    title = _title(draft, cut)
    if under is not None:
        title = _joined_title(under, title)
    if not title and deadline is None:
        return None
    named = lead.agencies if lead else []
    first = named[0].ref if named else None
    refs = _unique(coordinating, lead)
    return ProposedTask(
        sentence=sentence,
        title=title or _tidy(sentence),
        lead=first if first is not None and first.registered else None,
        coordinating=[ref for ref in refs if ref.registered],
        deadline=deadline,
        lead_text=_lead_text(owner.folded, lead),
        leads=[_words(owner.folded, m) for m in named[:1] + owner.co_leads],
        coordinating_text=[*(ref.name for ref in refs if not ref.registered), *unknown],
        confidence=_confidence(lead, header is not None or draft.also, bool(owner.co_leads)),
        products=find_products(draft.folded.original(draft.start, draft.end)),
    )


def _confidence(lead: _Lead | None, inherited: bool, several: bool) -> float:
    """How sure the rules are of the lead: a registered agency named as the assignee is sure;
    words only, an inherited lead or several leads named together are less so."""
    if lead is None:
        return 0.0
    ref = lead.agencies[0].ref if lead.agencies else None
    sure = 0.9 if ref is not None and ref.registered else 0.6 if lead.agencies else 0.5
    return round(sure - 0.15 * inherited - 0.2 * several, 2)


def _deadline_in(draft: _Draft) -> DeadlineFound | None:
    start = max(draft.start, draft.lead.context_end if draft.lead else 0)
    return choose_deadline([d for d in draft.deadlines if start <= d.start < draft.end])


def _deadline(folded: Folded, found: DeadlineFound | None) -> Deadline | None:
    if found is None:
        return None
    return Deadline(str(found.kind), found.due_on, folded.original(found.start, found.end).strip())


def _words(folded: Folded, mention: Mention) -> str:
    if mention.expanded and mention.ref is not None:
        return mention.ref.name
    return folded.original(mention.start, mention.end).strip()


def _lead_text(folded: Folded, lead: _Lead | None) -> str:
    """The words of the text that name the lead. A shared prefix names its whole list ("Bộ
    trưởng các Bộ: Quốc phòng, Công an"): those words, never a name the text does not hold;
    the names it expands to are in `leads`."""
    if lead is None:
        return ""
    end = lead.agencies[0].end if lead.agencies else lead.text_end
    for mention in lead.agencies if lead.agencies and lead.agencies[0].expanded else []:
        if not mention.expanded:
            break
        end = mention.end
    return folded.original(lead.start, end).strip(" ,(")


def _with_lead_in(text: str, deadline: DeadlineFound, floor: int) -> tuple[int, int]:
    """The deadline's span, with a ", hoàn thành" or "; xong" just before it."""
    lead_in = _DEADLINE_LEAD_IN.search(text, floor, deadline.start)
    return (lead_in.start() if lead_in else deadline.start), deadline.end


def _unique(mentions: list[Mention], lead: _Lead | None) -> list[AgencyRef]:
    seen = {lead.agencies[0].ref} if lead and lead.agencies else set()
    refs: list[AgencyRef] = []
    for mention in mentions:
        if mention.ref is not None and mention.ref not in seen and not mention.issuer:
            seen.add(mention.ref)
            refs.append(mention.ref)
    return refs


def _title(draft: _Draft, cut: list[tuple[int, int]]) -> str:
    """The clause without the lead, coordinators and deadline: a short imperative title."""
    folded = draft.folded
    kept: list[str] = []
    position = draft.start
    for start, end in sorted(cut):
        if start > position:
            kept.append(folded.original(position, min(start, draft.end)))
        position = max(position, end)
    if position < draft.end:
        kept.append(folded.original(position, draft.end))
    return _tidy(" ".join(kept))


def _joined_title(header: _Draft, title: str) -> str:
    """ "Rà soát các quy định về:" + "- Đại hội đảng bộ các cấp" make one title; headers
    that end otherwise ("lãnh đạo, chỉ đạo:") give list entries that are tasks by themselves."""
    opening = _title(header, header.cut)
    ending = _OBJECTS_FOLLOW.search(fold(opening))
    if ending is None:
        return title
    if fold(title).startswith(f"{ending[0]} "):  # "... về:" + "Về đại hội ..."
        title = title[len(ending[0]) + 1 :]
    return _tidy(f"{opening} {title[:1].lower()}{title[1:]}")


def _tidy(title: str) -> str:
    title = "".join(ch for ch in title if unicodedata.category(ch) not in ("So", "Sk", "Cs"))
    title = re.sub(r"\s+([,;:.)])", r"\1", " ".join(title.split()))
    title = re.sub(r"([,;])(?:\s*[,;])+", r"\1", title)
    title = re.sub(r"\(\s*\)", "", title)
    edge = r"[\s,;:.\-\u2013\u2014…]+"
    title = re.sub(rf"^{edge}|(?:{edge}|\s+(?:và|hoàn thành|xong))+$", "", title)
    title = re.sub(r"^(?:và|đồng thời|để)[\s,]+", "", title, flags=re.IGNORECASE).strip()
    if len(title) > TITLE_MAX_LENGTH:
        title = title[: TITLE_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return title[:1].upper() + title[1:]
