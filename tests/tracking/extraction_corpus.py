"""A labelled corpus of assignment sentences for assisted entry (`dondoc.tracking.extraction`).

Each case is a piece of pasted text (a sentence, a paragraph, a header with its bullets), the
date of the document it comes from, and the tasks a specialist would enter from it: lead
agency code, coordinating agency codes (in order of mention), deadline kind and due date.
Cases with no tasks are sentences that mention agencies but assign nothing.

The sentences are written in the style of real conclusions (kết luận), notices (thông báo kết
luận) and Government resolutions (86/NQ-CP); the agencies are those of the reference data
(`dondoc/demo/data/agencies.json`) plus the few ministries in `EXTRA_AGENCIES`.

Labelling conventions (also in docs/extraction.md):

- Several agencies as joint subjects ("Thành ủy Hà Nội, Thành ủy Thành phố Hồ Chí Minh tổng
  kết ..."): the first is the lead, the others coordinate.
- Agencies that receive a report or a submission ("báo cáo Bộ Chính trị", "trình Ban Bí thư",
  "báo cáo về Ban Tổ chức Trung ương") or that are the object of a verb ("chỉ đạo Bộ Tài chính")
  are neither lead nor coordinators.
- "các cơ quan (có) liên quan", "các bộ, cơ quan liên quan" are fillers, not coordinators;
  "các bộ, ngành" and "các địa phương" are the groups GROUP:MINISTRIES and GROUP:LOCALITIES.
- Deadlines: a month or quarter is due on its last day; a year ("năm 2026") and a half-year
  ("6 tháng đầu năm 2026") are `date` deadlines on their last day; relative deadlines ("trong
  30 ngày kể từ ngày ký", "trong 3 tháng", "sau 6 tháng") are `date` deadlines counted from the
  document's date; recurring deadlines are first due at the end of the first whole period
  after the document's date ("ngày 20 hằng tháng": the first 20th after it); "định kỳ 6 tháng" and meeting-based deadlines ("tại Hội nghị
  Trung ương 15") have no kind and are labelled as no deadline. When a sentence has several
  deadlines, the last one in the text is the task's.

HELD_OUT was written before the extractor and has never been used to tune it: its scores are
reported separately in docs/extraction.md. Do not fix the extractor by looking at its misses;
add similar sentences to TUNED instead.
"""

import datetime as dt
from dataclasses import dataclass, field

# Ministries and Government bodies the reference data does not have; the corpus test creates
# them (code, name, short name) next to the reference agencies.
EXTRA_AGENCIES: list[tuple[str, str, str]] = [
    ("BNV", "Bộ Nội vụ", "BNV"),
    ("BTC", "Bộ Tài chính", "BTC"),
    ("BTP", "Bộ Tư pháp", "BTP"),
    ("BCA", "Bộ Công an", "BCA"),
    ("BQP", "Bộ Quốc phòng", "BQP"),
    ("BNG", "Bộ Ngoại giao", "BNG"),
    ("BKHCN", "Bộ Khoa học và Công nghệ", "BKHCN"),
    ("BGDDT", "Bộ Giáo dục và Đào tạo", "BGDĐT"),
    ("VPCP", "Văn phòng Chính phủ", "VPCP"),
]

Deadline = tuple[str, str | None]  # (kind, ISO due date or None)


@dataclass(frozen=True)
class Expected:
    lead: str | None
    coordinating: tuple[str, ...] = ()
    deadline: Deadline | None = None
    lead_text: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    issued_on: dt.date
    tasks: tuple[Expected, ...] = field(default_factory=tuple)


def task(
    lead: str | None,
    *coordinating: str,
    due: Deadline | None = None,
    lead_text: str = "",
) -> Expected:
    return Expected(lead, tuple(coordinating), due, lead_text)


def date(iso: str) -> Deadline:
    return ("date", iso)


def month(iso: str) -> Deadline:
    return ("month", iso)


def quarter(iso: str) -> Deadline:
    return ("quarter", iso)


def monthly(iso: str) -> Deadline:
    return ("monthly", iso)


def quarterly(iso: str) -> Deadline:
    return ("quarterly", iso)


ONGOING: Deadline = ("ongoing", None)

NOV_20 = dt.date(2025, 11, 20)
NOV_28 = dt.date(2025, 11, 28)
JAN_15 = dt.date(2026, 1, 15)

PROVINCES = "GROUP:PROVINCES"
CENTRAL_BODIES = "GROUP:CENTRAL_BODIES"
CENTRAL_PARTY_COMMITTEES = "GROUP:CENTRAL_PARTY_COMMITTEES"
MINISTRIES = "GROUP:MINISTRIES"
LOCALITIES = "GROUP:LOCALITIES"


# Written before the extractor existed; never tuned on.
HELD_OUT: list[Case] = [
    Case(
        "h01",
        "Giao Ban Tuyên giáo và Dân vận Trung ương chủ trì, phối hợp với Ban Tổ chức Trung ương, "
        "Văn phòng Trung ương Đảng xây dựng kế hoạch tuyên truyền kết quả Hội nghị, hoàn thành "
        "trước ngày 20/12/2025.",
        NOV_28,
        (task("BTGDVTW", "BTCTW", "VPTW", due=date("2025-12-20")),),
    ),
    Case(
        "h02",
        "Đảng ủy Chính phủ lãnh đạo, chỉ đạo Chính phủ khẩn trương ban hành nghị định hướng dẫn "
        "thi hành Luật Cán bộ, công chức (sửa đổi), xong trong quý I/2026.",
        NOV_28,
        (task("DUCP", due=quarter("2026-03-31")),),
    ),
    Case(
        "h03",
        "Văn phòng Trung ương Đảng chủ trì theo dõi, đôn đốc việc thực hiện Kết luận này; định "
        "kỳ hằng quý báo cáo Bộ Chính trị, Ban Bí thư.",
        NOV_28,
        (task("VPTW", due=quarterly("2026-03-31")),),
    ),
    Case(
        "h04",
        "Các tỉnh ủy, thành ủy trực thuộc Trung ương chỉ đạo rà soát, kiện toàn tổ chức bộ máy "
        "các cơ quan tham mưu, giúp việc cấp ủy, báo cáo kết quả về Ban Tổ chức Trung ương "
        "trước ngày 31/01/2026.",
        NOV_28,
        (task(PROVINCES, due=date("2026-01-31")),),
    ),
    Case(
        "h05",
        "Đề nghị Đảng ủy Quốc hội lãnh đạo, chỉ đạo việc sửa đổi, bổ sung Luật Tổ chức chính "
        "quyền địa phương, trình Quốc hội tại kỳ họp thứ nhất khóa XVI.",
        NOV_28,
        (task("DUQH"),),
    ),
    Case(
        "h06",
        "Giao Ủy ban Kiểm tra Trung ương chủ trì, phối hợp với Ban Nội chính Trung ương và các "
        "cơ quan liên quan tổ chức kiểm tra, giám sát việc thực hiện Quy định số 189-QĐ/TW ngày "
        "08/10/2024 của Bộ Chính trị trong năm 2026.",
        NOV_28,
        (task("UBKTTW", "BNCTW", due=date("2026-12-31")),),
    ),
    Case(
        "h07",
        "Thành ủy Hà Nội, Thành ủy Thành phố Hồ Chí Minh tổng kết việc thí điểm mô hình tổ chức "
        "chính quyền đô thị, báo cáo Bộ Chính trị trong tháng 6/2026.",
        NOV_28,
        (task("HANOI", "HCM", due=month("2026-06-30")),),
    ),
    Case(
        "h08",
        "Ban Chính sách, chiến lược Trung ương chủ trì, phối hợp với Đảng ủy Chính phủ, Đảng ủy "
        "Quốc hội tổng kết 40 năm đổi mới về kinh tế; hoàn thành trong tháng 3 năm 2026.",
        NOV_28,
        (task("BCSCLTW", "DUCP", "DUQH", due=month("2026-03-31")),),
    ),
    Case(
        "h09",
        "Yêu cầu các ban đảng Trung ương rà soát chức năng, nhiệm vụ, tránh chồng chéo, báo cáo "
        "Ban Bí thư chậm nhất ngày 15/01/2026.",
        NOV_28,
        (task(CENTRAL_BODIES, due=date("2026-01-15")),),
    ),
    Case(
        "h10",
        "Giao Đảng ủy Công an Trung ương chủ trì, phối hợp với Quân ủy Trung ương xây dựng đề án "
        "bảo đảm an ninh, trật tự phục vụ Đại hội XIV của Đảng, trình Thường trực Ban Bí thư "
        "trước 15/12.",
        NOV_28,
        (task("DUCATW", "QUTW", due=date("2025-12-15")),),
    ),
    Case(
        "h11",
        "Ban Nội chính Trung ương thường xuyên theo dõi, nắm tình hình, kịp thời tham mưu cho Bộ "
        "Chính trị chỉ đạo xử lý các vụ việc phức tạp.",
        NOV_28,
        (task("BNCTW", due=ONGOING),),
    ),
    Case(
        "h12",
        "Giao Bộ Tài chính chủ trì, phối hợp với Bộ Nội vụ hướng dẫn việc bố trí kinh phí thực "
        "hiện chính sách đối với cán bộ dôi dư trong thời hạn 30 ngày kể từ ngày ký.",
        NOV_28,
        (task("BTC", "BNV", due=date("2025-12-28")),),
    ),
    Case(
        "h13",
        "Bộ Nội vụ chủ trì, phối hợp với các bộ, cơ quan liên quan trình Chính phủ ban hành "
        "nghị định về vị trí việc làm trong 3 tháng.",
        NOV_28,
        (task("BNV", due=date("2026-02-28")),),
    ),
    Case(
        "h14",
        "Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương lãnh đạo Ủy ban Trung ương Mặt trận "
        "Tổ quốc Việt Nam tổ chức lấy ý kiến Nhân dân về dự thảo văn kiện, hoàn thành trong "
        "tháng 12/2025.",
        NOV_28,
        (task("DUMTTQCDTTW", due=month("2025-12-31")),),
    ),
    Case(
        "h15",
        "Tỉnh ủy Quảng Ninh, Tỉnh ủy Lạng Sơn phối hợp với Bộ Ngoại giao chuẩn bị nội dung làm "
        "việc với các tỉnh biên giới của Trung Quốc trong quý IV năm 2025.",
        dt.date(2025, 10, 10),
        (task("QUANGNINH", "LANGSON", "BNG", due=quarter("2025-12-31")),),
    ),
    Case(
        "h16",
        "Các tỉnh ủy, thành ủy hằng tháng báo cáo tiến độ chuẩn bị đại hội đảng bộ về Ban Tổ "
        "chức Trung ương (qua Vụ Địa phương).",
        dt.date(2025, 4, 20),
        (task(PROVINCES, due=monthly("2025-05-31")),),
    ),
    Case(
        "h17",
        "Giao Ban Tổ chức Trung ương hướng dẫn quy trình nhân sự cấp ủy khóa mới trước ngày "
        "30/6/2026. Văn phòng Trung ương Đảng bảo đảm điều kiện phục vụ các hội nghị của Ban "
        "Chỉ đạo.",
        JAN_15,
        (task("BTCTW", due=date("2026-06-30")), task("VPTW")),
    ),
    Case(
        "h18",
        "Chậm nhất ngày 31/3/2026, Đảng ủy Chính phủ hoàn thành việc sắp xếp các đơn vị sự "
        "nghiệp công lập trực thuộc các bộ.",
        JAN_15,
        (task("DUCP", due=date("2026-03-31")),),
    ),
    Case(
        "h19",
        "Giao  Văn phòng  Trung ương Đảng chủ trì ,phối hợp với Ban Tổ chức Trung ương  tổ "
        "chức sơ kết 6 tháng thực hiện Quy chế làm việc ,xong trong tháng 7/2026 .",
        JAN_15,
        (task("VPTW", "BTCTW", due=month("2026-07-31")),),
    ),
    Case(
        "h20",
        "Thành ủy TP.HCM chủ trì, phối hợp với Tỉnh ủy Đồng Nai, Tỉnh ủy Tây Ninh xây dựng đề "
        "án kết nối hạ tầng giao thông vùng, trình Bộ Chính trị trong quý II/2026.",
        JAN_15,
        (task("HCM", "DONGNAI", "TAYNINH", due=quarter("2026-06-30")),),
    ),
    Case(
        "h21",
        "Giao Ban cán sự đảng Bộ Ngoại giao phối hợp với Ban Tuyên giáo và Dân vận Trung ương "
        "chuẩn bị nội dung thông tin đối ngoại, hoàn thành trước ngày 10 tháng 2 năm 2026.",
        JAN_15,
        (task("BNG", "BTGDVTW", due=date("2026-02-10")),),
    ),
    Case(
        "h22",
        "Bộ Chính trị ghi nhận, đánh giá cao Ban Tổ chức Trung ương đã chủ động phối hợp với "
        "các cơ quan liên quan chuẩn bị tốt Đề án.",
        NOV_28,
        (),
    ),
    Case(
        "h23",
        "Ban Bí thư cơ bản đồng ý với Tờ trình số 210-TTr/BTCTW ngày 05/11/2025 của Ban Tổ chức "
        "Trung ương.",
        NOV_28,
        (),
    ),
    Case(
        "h24",
        "Đảng ủy các cơ quan Đảng Trung ương chỉ đạo các tổ chức đảng trực thuộc quán triệt, "
        "triển khai Kết luận trong tháng 12.",
        NOV_28,
        (task("DUCCQDTW", due=month("2025-12-31")),),
    ),
    Case(
        "h25",
        "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với các ban đảng Trung ương, Đảng ủy "
        "Chính phủ hướng dẫn việc sắp xếp tổ chức bộ máy, hoàn thành 6 tháng đầu năm 2026.",
        JAN_15,
        (task("BTCTW", CENTRAL_BODIES, "DUCP", due=date("2026-06-30")),),
    ),
    Case(
        "h26",
        "Giao Văn phòng Trung ương Đảng chủ trì, phối hợp với Ban Tổ chức Trung ương:\n"
        "a) Hoàn thiện Quy chế làm việc của Ban Chỉ đạo, xong trước ngày 20/02/2026;\n"
        "b) Tổng hợp kết quả thực hiện, báo cáo Bộ Chính trị hằng quý.",
        JAN_15,
        (
            task("VPTW", "BTCTW", due=date("2026-02-20")),
            task("VPTW", "BTCTW", due=quarterly("2026-06-30")),
        ),
    ),
    Case(
        "h27",
        "Thành ủy Đà Nẵng, Hải Phòng, Cần Thơ rà soát quy hoạch cán bộ, báo cáo Ban Tổ chức "
        "Trung ương trước 31/3/2026.",
        JAN_15,
        (task("DANANG", "HAIPHONG", "CANTHO", due=date("2026-03-31")),),
    ),
    Case(
        "h28",
        "Giao Bộ Công an chủ trì, phối hợp với Bộ Quốc phòng và Ủy ban nhân dân các tỉnh, thành "
        "phố trực thuộc Trung ương bảo đảm an ninh, an toàn Đại hội.",
        JAN_15,
        (task("BCA", "BQP", LOCALITIES),),
    ),
]


# Used to develop the rules.
TUNED: list[Case] = [
    Case(
        "t01",
        "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Văn phòng Trung ương Đảng, Ban Nội "
        "chính Trung ương và các cơ quan liên quan nghiên cứu, tham mưu sửa đổi, bổ sung Quy "
        "định số 105-QĐ/TW về phân cấp quản lý cán bộ, hoàn thành trước ngày 15/12/2025.",
        NOV_20,
        (task("BTCTW", "VPTW", "BNCTW", due=date("2025-12-15")),),
    ),
    Case(
        "t02",
        "Đảng ủy Chính phủ chỉ đạo hoàn thiện hồ sơ dự án Luật Dữ liệu (sửa đổi) trong quý I/2026.",
        NOV_20,
        (task("DUCP", due=quarter("2026-03-31")),),
    ),
    Case(
        "t03",
        "Ban Tổ chức Trung ương chủ trì, phối hợp với các cơ quan liên quan hướng dẫn việc thực "
        "hiện chế độ, chính sách đối với cán bộ nghỉ hưu trước tuổi.",
        NOV_20,
        (task("BTCTW"),),
    ),
    Case(
        "t04",
        "Các tỉnh ủy, thành ủy chỉ đạo đẩy mạnh chuyển đổi số trong cơ quan đảng, hằng tháng "
        "báo cáo kết quả về Văn phòng Trung ương Đảng.",
        NOV_20,
        (task(PROVINCES, due=monthly("2025-12-31")),),
    ),
    Case(
        "t05",
        "Văn phòng Trung ương Đảng theo dõi, đôn đốc, báo cáo Bộ Chính trị kết quả thực hiện.",
        NOV_20,
        (task("VPTW"),),
    ),
    Case(
        "t06",
        "Giao Đảng ủy Quốc hội lãnh đạo, chỉ đạo sửa đổi Luật Ban hành văn bản quy phạm pháp "
        "luật; xong trong tháng 3/2026.",
        NOV_20,
        (task("DUQH", due=month("2026-03-31")),),
    ),
    Case(
        "t07",
        "Ban Tuyên giáo và Dân vận Trung ương chủ trì tổ chức hội nghị toàn quốc quán triệt "
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, hoàn thành chậm nhất ngày "
        "30/6/2026.",
        NOV_20,
        (task("BTGDVTW", due=date("2026-06-30")),),
    ),
    Case(
        "t08",
        "Giao Văn phòng Trung ương Đảng chủ trì, phối hợp với Ban Tổ chức Trung ương chuẩn bị "
        "nội dung phiên họp của Ban Chỉ đạo trong tháng 12.",
        NOV_20,
        (task("VPTW", "BTCTW", due=month("2025-12-31")),),
    ),
    Case(
        "t09",
        "Ủy ban Kiểm tra Trung ương tổng hợp kết quả kiểm tra, giám sát, báo cáo Ban Bí thư "
        "trong tháng 1.",
        NOV_20,
        (task("UBKTTW", due=month("2026-01-31")),),
    ),
    Case(
        "t10",
        "Ban Nội chính Trung ương chủ trì, phối hợp với Đảng ủy Công an Trung ương sơ kết công "
        "tác phòng, chống tham nhũng, lãng phí quý IV năm 2025.",
        dt.date(2025, 10, 5),
        (task("BNCTW", "DUCATW", due=quarter("2025-12-31")),),
    ),
    Case(
        "t11",
        "Đảng ủy Chính phủ chỉ đạo tổng kết Nghị quyết số 18-NQ/TW, báo cáo Bộ Chính trị 6 "
        "tháng đầu năm 2026.",
        NOV_20,
        (task("DUCP", due=date("2026-06-30")),),
    ),
    Case(
        "t12",
        "Giao Ban Chính sách, chiến lược Trung ương hoàn thiện Đề án phát triển kinh tế tư nhân, "
        "trình Bộ Chính trị trước 31/12.",
        NOV_20,
        (task("BCSCLTW", due=date("2025-12-31")),),
    ),
    Case(
        "t13",
        "Đảng ủy Quốc hội chỉ đạo rà soát hệ thống pháp luật về đất đai năm 2026.",
        NOV_20,
        (task("DUQH", due=date("2026-12-31")),),
    ),
    Case(
        "t14",
        "Văn phòng Trung ương Đảng phối hợp với Ban Tổ chức Trung ương hoàn thiện quy trình "
        "tiếp nhận, xử lý văn bản điện tử trong thời hạn 30 ngày kể từ ngày ký.",
        NOV_20,
        (task("VPTW", "BTCTW", due=date("2025-12-20")),),
    ),
    Case(
        "t15",
        "Giao Ban Tổ chức Trung ương hướng dẫn các địa phương kiện toàn cấp ủy sau sắp xếp trong "
        "3 tháng.",
        NOV_20,
        (task("BTCTW", due=date("2026-02-20")),),
    ),
    Case(
        "t16",
        "Sau 6 tháng triển khai, Đảng ủy Chính phủ chỉ đạo sơ kết việc thực hiện mô hình chính "
        "quyền địa phương hai cấp, báo cáo Bộ Chính trị.",
        dt.date(2025, 7, 1),
        (task("DUCP", due=date("2026-01-01")),),
    ),
    Case(
        "t17",
        "Các tỉnh ủy, thành ủy định kỳ hằng quý báo cáo Ban Bí thư tình hình thực hiện.",
        NOV_20,
        (task(PROVINCES, due=quarterly("2026-03-31")),),
    ),
    Case(
        "t18",
        "Ban Tổ chức Trung ương thường xuyên theo dõi, hướng dẫn việc thực hiện quy định về "
        "kiểm soát quyền lực trong công tác cán bộ.",
        NOV_20,
        (task("BTCTW", due=ONGOING),),
    ),
    Case(
        "t19",
        "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Văn phòng Trung ương Đảng, Ban Nội "
        "chính Trung ương, Ủy ban Kiểm tra Trung ương, Đảng ủy Chính phủ xây dựng Quy định về "
        "thẩm quyền quản lý cán bộ, trình Bộ Chính trị ngày 15 tháng 12 năm 2025.",
        NOV_20,
        (task("BTCTW", "VPTW", "BNCTW", "UBKTTW", "DUCP", due=date("2025-12-15")),),
    ),
    Case(
        "t20",
        "Các ban đảng Trung ương rà soát, sửa đổi quy chế làm việc phù hợp với tổ chức bộ máy "
        "mới, hoàn thành trong quý I/2026.",
        NOV_20,
        (task(CENTRAL_BODIES, due=quarter("2026-03-31")),),
    ),
    Case(
        "t21",
        "Thành ủy Hà Nội chủ trì, phối hợp với Ban Chính sách, chiến lược Trung ương tổng kết 5 "
        "năm thực hiện Nghị quyết số 15-NQ/TW về phương hướng, nhiệm vụ phát triển Thủ đô, báo "
        "cáo Bộ Chính trị trong quý II/2026.",
        NOV_20,
        (task("HANOI", "BCSCLTW", due=quarter("2026-06-30")),),
    ),
    Case(
        "t22",
        "Tỉnh ủy Quảng Ninh xây dựng đề án phát triển khu kinh tế cửa khẩu, trình Ban Thường vụ "
        "Tỉnh ủy thông qua trước ngày 30/4/2026.",
        NOV_20,
        (task("QUANGNINH", due=date("2026-04-30")),),
    ),
    Case(
        "t23",
        "Thành ủy Thành phố Hồ Chí Minh chỉ đạo hoàn thiện đề án xây dựng trung tâm tài chính "
        "quốc tế, báo cáo Bộ Chính trị trước ngày 31/3/2026.",
        NOV_20,
        (task("HCM", due=date("2026-03-31")),),
    ),
    Case(
        "t24",
        "Giao Thành ủy Tp. Hồ Chí Minh phối hợp với Đảng ủy Chính phủ đánh giá việc thực hiện "
        "cơ chế đặc thù trong tháng 2/2026.",
        NOV_20,
        (task("HCM", "DUCP", due=month("2026-02-28")),),
    ),
    Case(
        "t25",
        "BTCTW chủ trì, phối hợp với VPTW xây dựng phần mềm quản lý hồ sơ đảng viên, hoàn "
        "thành trong năm 2026.",
        NOV_20,
        (task("BTCTW", "VPTW", due=date("2026-12-31")),),
    ),
    Case(
        "t26",
        "Giao Ban Tổ chức TW chủ trì, phối hợp với UBKT Trung ương hướng dẫn việc kiểm điểm, "
        "đánh giá, xếp loại chất lượng tổ chức đảng năm 2025, xong trước 15/12/2025.",
        NOV_20,
        (task("BTCTW", "UBKTTW", due=date("2025-12-15")),),
    ),
    Case(
        "t27",
        "Văn phòng Trung ương theo dõi, tổng hợp tình hình thực hiện, hằng tháng báo cáo "
        "Thường trực Ban Bí thư.",
        NOV_20,
        (task("VPTW", due=monthly("2025-12-31")),),
    ),
    Case(
        "t28",
        "Đề nghị Đảng ủy Chính phủ chỉ đạo Bộ Tài chính bố trí kinh phí thực hiện Đề án, hoàn "
        "thành trước ngày 31/12/2025.",
        NOV_20,
        (task("DUCP", due=date("2025-12-31")),),
    ),
    Case(
        "t29",
        "Bộ Chính trị giao Đảng ủy Chính phủ lãnh đạo xây dựng Chiến lược phát triển năng lượng "
        "quốc gia, trình Bộ Chính trị trong quý II/2026.",
        NOV_20,
        (task("DUCP", due=quarter("2026-06-30")),),
    ),
    Case(
        "t30",
        "Yêu cầu các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương tổ chức quán triệt, triển "
        "khai thực hiện Kết luận này.",
        NOV_20,
        (task(PROVINCES, CENTRAL_PARTY_COMMITTEES),),
    ),
    Case(
        "t31",
        "Các đảng ủy trực thuộc Trung ương chỉ đạo hoàn thành việc kiện toàn tổ chức cơ sở đảng "
        "trong tháng 12/2025.",
        NOV_20,
        (task(CENTRAL_PARTY_COMMITTEES, due=month("2025-12-31")),),
    ),
    Case(
        "t32",
        "Ban Tuyên giáo và Dân vận Trung ương chủ trì, phối hợp với Đảng ủy Mặt trận Tổ quốc, "
        "các đoàn thể Trung ương định hướng công tác thông tin, tuyên truyền thường xuyên.",
        NOV_20,
        (task("BTGDVTW", "DUMTTQCDTTW", due=ONGOING),),
    ),
    Case(
        "t33",
        "Ban Tổ chức Trung ương hướng dẫn quy trình bầu cử trong cấp ủy trước ngày 31/01/2026; "
        "Văn phòng Trung ương Đảng bảo đảm kinh phí, cơ sở vật chất phục vụ hội nghị trong quý "
        "I/2026.",
        NOV_20,
        (task("BTCTW", due=date("2026-01-31")), task("VPTW", due=quarter("2026-03-31"))),
    ),
    Case(
        "t34",
        "Giao Ban Nội chính Trung ương chủ trì, Ủy ban Kiểm tra Trung ương, Ban Tổ chức Trung "
        "ương phối hợp đề xuất cơ chế bảo vệ người phát hiện, tố giác tham nhũng, báo cáo Bộ "
        "Chính trị trong tháng 6/2026.",
        NOV_20,
        (task("BNCTW", "UBKTTW", "BTCTW", due=month("2026-06-30")),),
    ),
    Case(
        "t35",
        "Đảng ủy Quốc hội lãnh đạo Quốc hội xem xét, quyết định việc sửa đổi Hiến pháp, hoàn "
        "thành trong tháng 6/2025.",
        dt.date(2025, 4, 14),
        (task("DUQH", due=month("2025-06-30")),),
    ),
    Case(
        "t36",
        "Giao Quân ủy Trung ương chủ trì, phối hợp với Đảng ủy Công an Trung ương xây dựng "
        "phương án bảo đảm quốc phòng, an ninh khu vực biên giới; hoàn thành trước ngày 30 tháng "
        "9 năm 2026.",
        NOV_20,
        (task("QUTW", "DUCATW", due=date("2026-09-30")),),
    ),
    Case(
        "t37",
        "- Văn phòng Trung ương Đảng chủ trì, phối hợp với Ban Tổ chức Trung ương\n"
        "hoàn thiện cơ sở dữ liệu về văn bản của Đảng, xong trong\n"
        "quý I/2026.",
        NOV_20,
        (task("VPTW", "BTCTW", due=quarter("2026-03-31")),),
    ),
    Case(
        "t38",
        "a) Ban Tổ chức Trung ương chủ trì rà soát, đánh giá đội ngũ cán bộ thuộc diện Bộ Chính "
        "trị, Ban Bí thư quản lý, báo cáo Bộ Chính trị trước ngày 15/01/2026.",
        NOV_20,
        (task("BTCTW", due=date("2026-01-15")),),
    ),
    Case(
        "t39",
        "1. Giao Đảng ủy Chính phủ chủ trì, phối hợp với Đảng ủy Quốc hội hoàn thiện thể chế về "
        "phân cấp, phân quyền cho chính quyền địa phương, trình Trung ương tại Hội nghị Trung "
        "ương 15.",
        NOV_20,
        (task("DUCP", "DUQH"),),
    ),
    Case(
        "t40",
        "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Văn phòng Trung ương Đảng, Ban Nội "
        "chính Trung ương … hoàn thành trước ngày 15/12/2025.",
        NOV_20,
        (task("BTCTW", "VPTW", "BNCTW", due=date("2025-12-15")),),
    ),
    Case(
        "t41",
        "Giao\u00a0Văn phòng Trung ương Đảng chủ trì,\u00a0phối hợp với\u00a0Ban Tổ chức Trung "
        "ương tổng hợp danh sách đại biểu dự Đại hội, xong trước ngày 5/1/2026.",
        NOV_20,
        (task("VPTW", "BTCTW", due=date("2026-01-05")),),
    ),
    Case(
        "t42",
        "Tỉnh ủy Tây Ninh, Đồng Tháp, An Giang phối hợp với Thành ủy Cần Thơ chuẩn bị nội dung "
        "hội nghị vùng đồng bằng sông Cửu Long trong quý II/2026.",
        NOV_20,
        (task("TAYNINH", "DONGTHAP", "ANGIANG", "CANTHO", due=quarter("2026-06-30")),),
    ),
    Case(
        "t43",
        "Giao Bộ Nội vụ chủ trì, phối hợp với Bộ Tư pháp xây dựng nghị định quy định chức năng, "
        "nhiệm vụ của cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh, trình Chính phủ trước "
        "ngày 15/02/2026.",
        NOV_20,
        (task("BNV", "BTP", due=date("2026-02-15")),),
    ),
    Case(
        "t44",
        "Bộ Khoa học và Công nghệ chủ trì, phối hợp với các bộ, ngành, địa phương xây dựng nền "
        "tảng số dùng chung, hoàn thành trong quý III/2026.",
        NOV_20,
        (task("BKHCN", MINISTRIES, LOCALITIES, due=quarter("2026-09-30")),),
    ),
    Case(
        "t45",
        "Giao Văn phòng Chính phủ theo dõi, đôn đốc các bộ, ngành thực hiện Nghị quyết, báo cáo "
        "Thủ tướng Chính phủ hằng tháng.",
        NOV_20,
        (task("VPCP", due=monthly("2025-12-31")),),
    ),
    Case(
        "t46",
        "Giao Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam chủ trì tổ chức giám sát việc thực "
        "hiện chính sách an sinh xã hội trong năm 2026.",
        NOV_20,
        (
            task(
                None,
                due=date("2026-12-31"),
                lead_text="Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
            ),
        ),
    ),
    Case(
        "t47",
        "Bộ Chính trị cơ bản đồng ý với Báo cáo số 325-BC/BCSĐCP ngày 10/11/2025 của Ban cán sự "
        "đảng Chính phủ.",
        NOV_20,
        (),
    ),
    Case("t48", "Qua thảo luận, Bộ Chính trị kết luận như sau:", NOV_20, ()),
    Case(
        "t49",
        "Kết quả thực hiện Nghị quyết trong thời gian qua là cơ bản tích cực, tuy nhiên còn một "
        "số hạn chế, nhất là trong công tác phối hợp giữa các cơ quan.",
        NOV_20,
        (),
    ),
    Case(
        "t50",
        "👉 Giao Ban Tổ chức Trung ương chủ trì tổng kết công tác xây dựng Đảng năm 2025, xong "
        "trong tháng 12/2025 ✅",
        NOV_20,
        (task("BTCTW", due=month("2025-12-31")),),
    ),
    Case(
        "t51",
        "Giao Thành ủy Hà Nội chủ trì, phối hợp với Tỉnh ủy Bắc Ninh, Tỉnh ủy Hưng Yên nghiên "
        "cứu phương án phát triển vùng Thủ đô, báo cáo Bộ Chính trị chậm nhất trong tháng "
        "9/2026.",
        NOV_20,
        (task("HANOI", "BACNINH", "HUNGYEN", due=month("2026-09-30")),),
    ),
    Case(
        "t52",
        "Đảng ủy Công an Trung ương chủ trì, phối hợp với Ban Nội chính Trung ương, Ủy ban Kiểm "
        "tra Trung ương định kỳ 6 tháng báo cáo Bộ Chính trị tình hình an ninh trật tự.",
        NOV_20,
        (task("DUCATW", "BNCTW", "UBKTTW"),),
    ),
    Case(
        "t53",
        "Ban Tổ chức Trung ương chủ trì, với sự phối hợp của Văn phòng Trung ương Đảng và Ủy ban "
        "Kiểm tra Trung ương, thẩm định hồ sơ nhân sự trước ngày 10/01/2026.",
        NOV_20,
        (task("BTCTW", "VPTW", "UBKTTW", due=date("2026-01-10")),),
    ),
    Case(
        "t54",
        "Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:\n"
        "- Hoàn thiện Đề án sắp xếp đơn vị hành chính cấp xã, trình Bộ Chính trị trong tháng "
        "12/2025;\n"
        "- Ban hành nghị định về chế độ, chính sách đối với cán bộ dôi dư trong quý I/2026.",
        NOV_20,
        (task("DUCP", due=month("2025-12-31")), task("DUCP", due=quarter("2026-03-31"))),
    ),
    Case(
        "t55",
        "Văn phòng Trung ương Đảng chủ trì, phối hợp với Văn phòng Tổng Bí thư chuẩn bị chương "
        "trình làm việc của Tổng Bí thư với các địa phương trong tháng 1/2026.",
        NOV_20,
        (task("VPTW", "VPTBT", due=month("2026-01-31")),),
    ),
    Case(
        "t56",
        "Ban Tuyên giáo và Dân vận Trung ương hướng dẫn tuyên truyền kỷ niệm 96 năm Ngày thành "
        "lập Đảng trước ngày 20/01/2026.",
        NOV_20,
        (task("BTGDVTW", due=date("2026-01-20")),),
    ),
    Case(
        "t57",
        "Giao Ban Tổ chức Trung ương chủ trì,phối hợp với Ban Nội chính Trung ương,Văn phòng "
        "Trung ương Đảng xây dựng quy chế phối hợp , xong trước ngày 15 / 3 / 2026 .",
        NOV_20,
        (task("BTCTW", "BNCTW", "VPTW", due=date("2026-03-15")),),
    ),
    Case(
        "t58",
        "Đảng uỷ Chính phủ chỉ đạo Bộ Tài chính hoàn thiện dự thảo Luật Ngân sách nhà nước (sửa "
        "đổi), trình Quốc hội trong quý II/2026.",
        NOV_20,
        (task("DUCP", due=quarter("2026-06-30")),),
    ),
    Case(
        "t59",
        "Thành ủy Huế chủ trì xây dựng Đề án bảo tồn di sản cố đô Huế, hoàn thành trong tháng "
        "11/2026.",
        NOV_20,
        (task("HUE", due=month("2026-11-30")),),
    ),
    Case(
        "t60",
        "Giao Tỉnh ủy Nghệ An, Tỉnh ủy Hà Tĩnh phối hợp tổ chức kỷ niệm 135 năm Ngày sinh Chủ "
        "tịch Hồ Chí Minh.",
        dt.date(2025, 1, 10),
        (task("NGHEAN", "HATINH"),),
    ),
    Case(
        "t61",
        "Ban Tổ chức Trung ương tham mưu Bộ Chính trị phân công nhiệm vụ cho các đồng chí Ủy "
        "viên Bộ Chính trị, Ban Bí thư khóa XIV trong tháng 2/2026.",
        NOV_20,
        (task("BTCTW", due=month("2026-02-28")),),
    ),
    Case(
        "t62",
        "Giao Ban Chính sách, chiến lược Trung ương chủ trì, phối hợp với Đảng ủy Chính phủ, "
        "Đảng ủy Quốc hội, Thành ủy Hà Nội, Thành ủy Tp.HCM tổng kết mô hình chính quyền đô "
        "thị, hoàn thành trước 30/9/2026.",
        NOV_20,
        (task("BCSCLTW", "DUCP", "DUQH", "HANOI", "HCM", due=date("2026-09-30")),),
    ),
    Case(
        "t63",
        "Đề nghị các đồng chí Ủy viên Bộ Chính trị, Ban Bí thư theo chức trách, nhiệm vụ được "
        "phân công chỉ đạo, kiểm tra việc thực hiện.",
        NOV_20,
        (),
    ),
    Case(
        "t64",
        "Giao Bộ Giáo dục và Đào tạo chủ trì, phối hợp với Bộ Tài chính, Bộ Nội vụ xây dựng "
        "chính sách miễn học phí, trình Chính phủ trong tháng 8/2025.",
        dt.date(2025, 6, 15),
        (task("BGDDT", "BTC", "BNV", due=month("2025-08-31")),),
    ),
    Case(
        "t65",
        "Văn phòng Trung ương Đảng phối hợp với Ban Tổ chức Trung ương, Đảng ủy các cơ quan "
        "Đảng Trung ương hướng dẫn việc lưu trữ hồ sơ của các cơ quan giải thể, xong trong thời "
        "hạn 15 ngày kể từ ngày ký.",
        dt.date(2025, 2, 10),
        (task("VPTW", "BTCTW", "DUCCQDTW", due=date("2025-02-25")),),
    ),
    Case(
        "t66",
        "Các tỉnh ủy, thành ủy trực thuộc Trung ương lãnh đạo tổ chức thành công đại hội đảng "
        "bộ cấp tỉnh trước ngày 31/8/2025.",
        dt.date(2025, 4, 14),
        (task(PROVINCES, due=date("2025-08-31")),),
    ),
    Case(
        "t67",
        "Tỉnh uỷ Khánh Hoà chỉ đạo rà soát quy hoạch khu kinh tế Vân Phong, báo cáo Đảng ủy "
        "Chính phủ trong quý III/2026.",
        NOV_20,
        (task("KHANHHOA", due=quarter("2026-09-30")),),
    ),
    Case(
        "t68",
        "Bộ Tư pháp chủ trì, phối hợp với Văn phòng Chính phủ và các bộ, cơ quan liên quan rà "
        "soát, đề xuất sửa đổi các văn bản quy phạm pháp luật có liên quan, báo cáo Thủ tướng "
        "Chính phủ trước ngày 30 tháng 01 năm 2026.",
        NOV_20,
        (task("BTP", "VPCP", due=date("2026-01-30")),),
    ),
    Case(
        "t69",
        "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố "
        "trực thuộc Trung ương định kỳ hằng quý báo cáo tình hình thực hiện Nghị quyết, gửi Bộ "
        "Nội vụ để tổng hợp.",
        NOV_20,
        (task(MINISTRIES, LOCALITIES, due=quarterly("2026-03-31")),),
    ),
    Case(
        "t70",
        "Thường trực Ban Bí thư yêu cầu Ban Tổ chức Trung ương khẩn trương hoàn thiện hướng dẫn "
        "về công tác nhân sự, gửi xin ý kiến các cơ quan liên quan, hoàn thành trong tháng 12 "
        "năm 2025.",
        NOV_20,
        (task("BTCTW", due=month("2025-12-31")),),
    ),
    Case(
        "t71",
        "Giao Ban Tổ chức Trung ương chủ trì xây dựng Đề án, Văn phòng Trung ương Đảng chủ trì "
        "bảo đảm kinh phí thực hiện.",
        NOV_20,
        (task("BTCTW"), task("VPTW")),
    ),
    Case(
        "t72",
        "Đảng ủy Chính phủ, Đảng ủy Quốc hội theo chức năng, nhiệm vụ được giao lãnh đạo, chỉ "
        "đạo thể chế hóa kịp thời các chủ trương của Đảng.",
        NOV_20,
        (task("DUCP", "DUQH"),),
    ),
    Case(
        "t73",
        "Ban Bí thư giao Văn phòng Trung ương Đảng chủ trì, phối hợp với Ban Tổ chức Trung ương "
        "theo dõi, đôn đốc; định kỳ 6 tháng, hằng năm sơ kết, tổng kết, báo cáo Ban Bí thư.",
        NOV_20,
        (task("VPTW", "BTCTW"),),
    ),
    Case(
        "t74",
        "Giao Tỉnh ủy Lào Cai chủ trì, phối hợp với Tỉnh ủy Tuyên Quang, Tỉnh ủy Thái Nguyên xây "
        "dựng quy chế phối hợp phát triển vùng trung du và miền núi phía Bắc, báo cáo Ban Bí "
        "thư trong quý I năm 2026.",
        NOV_20,
        (task("LAOCAI", "TUYENQUANG", "THAINGUYEN", due=quarter("2026-03-31")),),
    ),
    Case(
        "t75",
        "Giao Thành ủy TP Hồ Chí Minh chủ trì tổ chức Hội nghị, hoàn thành trước ngày 15-01-2026.",
        NOV_20,
        (task("HCM", due=date("2026-01-15")),),
    ),
    Case(
        "t76",
        "Giao Ban Kinh tế Trung ương chủ trì, phối hợp với Ban cán sự đảng Chính phủ tổng kết "
        "10 năm thực hiện Nghị quyết số 11-NQ/TW, báo cáo Bộ Chính trị trong quý IV/2024.",
        dt.date(2024, 6, 10),
        (task("BCSCLTW", "DUCP", due=quarter("2024-12-31")),),
    ),
    Case(
        "t77",
        "Tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW do Ban Tuyên giáo và Dân "
        "vận Trung ương chủ trì, phối hợp với Văn phòng Trung ương Đảng trong tháng 5/2026.",
        NOV_20,
        (task("BTGDVTW", "VPTW", due=month("2026-05-31")),),
    ),
    Case(
        "t78",
        "Yêu cầu các cấp ủy, tổ chức đảng nghiêm túc quán triệt, triển khai thực hiện Chỉ thị; "
        "hằng quý báo cáo kết quả về Văn phòng Trung ương Đảng.",
        NOV_20,
        (task("GROUP:PARTY_ORGANIZATIONS", due=quarterly("2026-03-31")),),
    ),
    Case(
        "t79",
        "Ban Tổ chức Trung ương:\n"
        "- Chủ trì hướng dẫn quy trình giới thiệu nhân sự, xong trước ngày 31/12/2025.\n"
        "- Phối hợp với Ủy ban Kiểm tra Trung ương thẩm tra tư cách đại biểu.",
        NOV_20,
        (task("BTCTW", due=date("2025-12-31")), task("BTCTW", "UBKTTW")),
    ),
    Case(
        "t80",
        "Giao Ban Tổ chức Trung ương: a) hướng dẫn đại hội chi bộ trong quý I/2026; b) tổng hợp "
        "kết quả, báo cáo Bộ Chính trị trong tháng 4/2026.",
        NOV_20,
        (task("BTCTW", due=quarter("2026-03-31")), task("BTCTW", due=month("2026-04-30"))),
    ),
    Case(
        "t81",
        "Giao Thành ủy Tp.Hồ Chí Minh  chủ trì,phối hợp với Tỉnh ủy Đồng Nai xây dựng Đề án  "
        "phát triển vùng Đông Nam Bộ,hoàn thành trong quý 2/2026.",
        NOV_20,
        (task("HCM", "DONGNAI", due=quarter("2026-06-30")),),
    ),
    Case(
        "t82",
        "Giao Văn phòng Trung ương\nĐảng chủ trì, phối hợp với Ban Nội chính\nTrung ương chuẩn "
        "bị báo cáo, xong trước ngày 20/12/2025.",
        NOV_20,
        (task("VPTW", "BNCTW", due=date("2025-12-20")),),
    ),
    Case(
        "t83",
        "Năm 2025 là năm có ý nghĩa đặc biệt quan trọng, năm tổ chức đại hội đảng bộ các cấp "
        "tiến tới Đại hội XIV của Đảng.",
        NOV_20,
        (),
    ),
    Case(
        "t84",
        "Sau khi nghe Ban Tổ chức Trung ương báo cáo tóm tắt Tờ trình và ý kiến thảo luận, Bộ "
        "Chính trị kết luận như sau:",
        NOV_20,
        (),
    ),
    Case(
        "t85",
        "Ban Tổ chức Trung ương đã phối hợp với Văn phòng Trung ương Đảng hoàn thành việc kiện "
        "toàn nhân sự.",
        NOV_20,
        (),
    ),
    Case(
        "t86",
        "Giao Ban cán sự đảng Bộ Tư pháp chủ trì, phối hợp với Đảng ủy Quốc hội rà soát, hoàn "
        "thiện hồ sơ dự án Luật, trình Quốc hội tại Kỳ họp thứ 10.",
        NOV_20,
        (task("BTP", "DUQH"),),
    ),
    Case(
        "t87",
        "Bộ Y tế chủ trì, phối hợp với Bộ Tài chính xây dựng lộ trình miễn viện phí, trình "
        "Chính phủ trong quý IV/2026.",
        NOV_20,
        (task(None, "BTC", due=quarter("2026-12-31"), lead_text="Bộ Y tế"),),
    ),
    Case(
        "t88",
        "Các tỉnh ủy, thành ủy báo cáo kết quả thực hiện về Văn phòng Trung ương Đảng trước "
        "ngày 20 hằng tháng.",
        NOV_20,
        (task(PROVINCES, due=monthly("2025-12-20")),),
    ),
    Case(
        "t89",
        "Văn phòng Trung ương Đảng chủ trì, phối hợp với Ban Tổ chức Trung ương, Ủy ban Kiểm tra "
        "Trung ương giúp Ban Bí thư theo dõi, đôn đốc, kiểm tra việc thực hiện Quy định này.",
        NOV_20,
        (task("VPTW", "BTCTW", "UBKTTW"),),
    ),
    Case(
        "t90",
        "Chậm nhất đến hết ngày 31/12/2025, các ban đảng Trung ương hoàn thành việc sắp xếp các "
        "đơn vị trực thuộc.",
        NOV_20,
        (task(CENTRAL_BODIES, due=date("2025-12-31")),),
    ),
    Case(
        "t91",
        "Đảng ủy Chính phủ chỉ đạo ban hành Kế hoạch thực hiện Kết luận trong thời hạn 15 ngày "
        "làm việc kể từ ngày ký.",
        NOV_20,
        (task("DUCP", due=date("2025-12-11")),),
    ),
    Case(
        "t92",
        "Giao Ban Nội chính Trung ương chủ trì, phối hợp với Đảng ủy Công an Trung ương, Đảng ủy "
        "Quốc hội, Ban cán sự đảng Tòa án nhân dân tối cao, Ban cán sự đảng Viện kiểm sát nhân "
        "dân tối cao xây dựng Đề án cải cách tư pháp, trình Bộ Chính trị trong quý III/2026.",
        NOV_20,
        (task("BNCTW", "DUCATW", "DUQH", due=quarter("2026-09-30")),),
    ),
    Case(
        "t93",
        "2.3. Đảng ủy Quốc hội lãnh đạo Quốc hội sửa đổi Luật Tổ chức Quốc hội tại Kỳ họp thứ 9, "
        "hoàn thành trong tháng 6/2025.",
        dt.date(2025, 4, 14),
        (task("DUQH", due=month("2025-06-30")),),
    ),
    Case(
        "t94",
        "Ban Tổ chức Trung ương hoàn thiện dự thảo Quy định trong quý 1 năm 2026.",
        NOV_20,
        (task("BTCTW", due=quarter("2026-03-31")),),
    ),
    Case(
        "t95",
        "Ban Tuyên giáo và Dân vận TW chủ trì tổng kết công tác dân vận 6 tháng cuối năm 2025, "
        "báo cáo Ban Bí thư trước tháng 1/2026.",
        NOV_20,
        (task("BTGDVTW", due=month("2025-12-31")),),
    ),
    Case(
        "t96",
        "Thành ủy Hải Phòng, Tỉnh ủy Quảng Ninh và Tỉnh ủy Hưng Yên phối hợp xây dựng cơ chế "
        "liên kết vùng duyên hải Bắc Bộ.",
        NOV_20,
        (task("HAIPHONG", "QUANGNINH", "HUNGYEN"),),
    ),
    Case(
        "t97",
        "Giao Văn phòng Trung ương Đảng chủ trì, phối hợp với Ban Tổ chức Trung ương theo dõi "
        "việc thực hiện; Ban Tuyên giáo và Dân vận Trung ương chủ trì công tác tuyên truyền; Ủy "
        "ban Kiểm tra Trung ương kiểm tra, giám sát việc thực hiện.",
        NOV_20,
        (task("VPTW", "BTCTW"), task("BTGDVTW"), task("UBKTTW")),
    ),
    Case(
        "t98",
        "Đề nghị Thành ủy Hà Nội và Thành ủy Huế nghiên cứu, học tập kinh nghiệm quản lý đô thị "
        "di sản, báo cáo kết quả trong tháng 10/2026.",
        NOV_20,
        (task("HANOI", "HUE", due=month("2026-10-31")),),
    ),
    Case(
        "t99",
        "Giao Đảng uỷ Mặt trận Tổ quốc và các đoàn thể Trung ương chỉ đạo tổ chức lấy ý kiến "
        "góp ý của Nhân dân đối với dự thảo Văn kiện trước ngày 15/11.",
        dt.date(2025, 10, 10),
        (task("DUMTTQCDTTW", due=date("2025-11-15")),),
    ),
    Case(
        "t100",
        "📌 Ban Tổ chức Trung ương   chủ trì , phối hợp với   Văn phòng Trung ương Đảng  tổ "
        "chức tập huấn nghiệp vụ  trong tháng 1/2026 .",
        NOV_20,
        (task("BTCTW", "VPTW", due=month("2026-01-31")),),
    ),
    # Patterns seen in published conclusions (paraphrased): agencies listed with semicolons,
    # two leadership bodies assigning together, tone marks scrambled by a copying website.
    Case(
        "t101",
        "Giao Đảng ủy Quốc hội chủ trì, phối hợp với Đảng ủy Chính phủ chỉ đạo Đảng ủy Bộ Tư pháp "
        "và các cơ quan liên quan nghiên cứu sửa đổi Luật Tổ chức Chính phủ, báo cáo Bộ Chính "
        "trị vào đầu tháng 3/2026 để trình Ban Chấp hành Trung ương (qua Ban Tổ chức Trung ương) "
        "trước ngày 10/4/2026.",
        JAN_15,
        (task("DUQH", "DUCP", due=date("2026-04-10")),),
    ),
    Case(
        "t102",
        "Giao Ban Nội chính Trung ương; Ủy ban Kiểm tra Trung ương; Đảng ủy Công an Trung ương và "
        "các cơ quan liên quan chủ động rà soát, đề xuất sửa đổi các quy định về phòng, chống "
        "tham nhũng, báo cáo Bộ Chính trị trước ngày 15/3/2026.",
        JAN_15,
        (task("BNCTW", "UBKTTW", "DUCATW", due=date("2026-03-15")),),
    ),
    Case(
        "t103",
        "Bộ Chính trị, Ban Bí thư giao ban thường vụ các tỉnh ủy, thành ủy khẩn trương hoàn thiện "
        "đề án thành lập đảng bộ xã, phường; bố trí cán bộ cho các cơ quan cấp xã trước ngày "
        "10/6.",
        dt.date(2025, 5, 20),
        (task(PROVINCES, due=date("2025-06-10")),),
    ),
    Case(
        "t104",
        "Bộ Chính trị, Bãn Bí thư ýêụ cầú Đảng ủỵ Chính phủ khẩn trương hoàn thĩện đề án sắp xếp "
        "đơn vị hành chính, trình Bộ Chính trị trước ngàỹ 30/3/2026.",
        JAN_15,
        (task("DUCP", due=date("2026-03-30")),),
    ),
    Case(
        "t105",
        "Để thực hiện nghiêm Kết luận số 121-KL/TW của Ban Chấp hành Trung ương, bảo đảm tiến độ "
        "chung, Bộ Chính trị yêu cầu Đảng ủy Chính phủ, Đảng ủy Quốc hội khẩn trương hoàn thiện "
        "các dự án luật có liên quan, trình Quốc hội trong tháng 6/2026.",
        JAN_15,
        (task("DUCP", "DUQH", due=month("2026-06-30")),),
    ),
    Case(
        "t106",
        "Giao Ban Tổ chức Trung ương chủ trì, phối hợp với Ủy ban Kiểm tra Trung ương rà soát, đề "
        "xuất sửa đổi các quy định về:\n- Công tác kiểm tra, giám sát của Đảng;\n- Đại hội đảng "
        "bộ các cấp.",
        JAN_15,
        (task("BTCTW", "UBKTTW"), task("BTCTW", "UBKTTW")),
    ),
]
