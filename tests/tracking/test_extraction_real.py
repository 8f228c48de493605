"""Assisted entry on real directive texts (tests/tracking/extraction_real/): the development
half is held at the levels measured when the rules were last changed; the forms of issue #13
are checked one by one on made-up sentences in the same genre."""

import datetime as dt

import pytest

from dondoc.tracking.extraction import AgencyMatcher, extract_tasks
from dondoc.tracking.extraction.segments import unglue
from dondoc.tracking.extraction_eval import evaluate, registry_rows

MATCHER = AgencyMatcher(registry_rows())
ISSUED = dt.date(2026, 3, 2)


def test_the_development_half_stays_at_the_measured_levels():
    score = evaluate("dev", MATCHER)
    precision = score.lead_right / score.proposals
    recall = score.lead_right / score.labelled
    assert precision >= 0.9
    assert recall >= 0.85
    assert score.deadline_right / score.lead_right >= 0.85
    assert score.leads_not_in_text == 0


@pytest.mark.parametrize(
    ("half", "precision", "recall"),
    [
        ("dev3", 0.98, 0.86),
        ("dev4", 0.9, 0.875),
        ("dev5", 0.94, 0.97),
        ("dev6", 0.9, 0.9),
        ("heldout8", 0.95, 0.95),  # looked at once in the ninth round, a development set since
        ("heldout9", 0.92, 0.85),  # looked at once in the tenth round, a development set since
    ],
)
def test_the_provincial_development_sets_stay_at_the_eleventh_rounds_levels(
    half, precision, recall
):
    score = evaluate(half, MATCHER)
    assert score.lead_right / score.proposals >= precision
    assert score.lead_right / score.labelled >= recall
    assert score.leads_not_in_text == 0


@pytest.mark.parametrize(
    "text",
    [
        "Thủ tướng Chính phủ giao Bộ Xây dựng chủ trì rà soát định mức, báo cáo trong quý II/2026.",
        "Chính phủ yêu cầu Bộ Xây dựng rà soát định mức, báo cáo trong quý II/2026.",
        "Bộ Tài chính đề nghị Bộ Xây dựng rà soát định mức, báo cáo trong quý II/2026.",
        "Lãnh đạo thành phố yêu cầu Bộ Xây dựng rà soát định mức, báo cáo trong quý II/2026.",
    ],
)
def test_the_speaker_is_never_the_lead(text):
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert (task.lead, task.lead_text) == (None, "Bộ Xây dựng")
    assert task.deadline is not None
    assert task.deadline.due_on == dt.date(2026, 6, 30)


def test_subjectless_sentences_take_the_lead_of_the_sentence_before():
    text = (
        "Bộ Chính trị giao Ban Tổ chức Trung ương một số nhiệm vụ là: Chủ trì xây dựng đề án A "
        "(hoàn thành trước ngày 30/6). Hướng dẫn các địa phương thực hiện. Tham mưu sơ kết."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead.code if task.lead else None for task in tasks] == [
        "Ban Tổ chức Trung ương"
    ] * 3
    assert [task.deadline.due_on if task.deadline else None for task in tasks] == [
        dt.date(2026, 6, 30),
        None,
        None,
    ]
    assert tasks[1].confidence < tasks[0].confidence


def test_a_deadline_in_the_next_sentence_belongs_to_the_task_before():
    text = "Sở Tài chính chủ trì rà soát giá dịch vụ. Thời gian hoàn thành trước ngày 15/4/2026."
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Sở Tài chính"
    assert task.deadline is not None
    assert task.deadline.due_on == dt.date(2026, 4, 15)


def test_unregistered_bodies_keep_their_words_with_a_span():
    text = "UBND tỉnh có ý kiến như sau:\nGiao Sở KH-ĐT chủ trì, phối hợp với Sở Tài chính và UBND huyện Sơn Hòa tham mưu phương án."
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert (task.lead, task.lead_text) == (None, "Sở KH-ĐT")
    assert task.coordinating == []
    assert task.coordinating_text == ["Sở Tài chính", "UBND huyện Sơn Hòa"]
    assert text[task.span[0] : task.span[1]].startswith("Giao Sở KH-ĐT")


def test_several_leads_named_together_are_all_listed():
    text = "Giao Ban Tổ chức Trung ương; Đảng ủy Chính phủ; Đảng ủy Quốc hội rà soát quy định."
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead is not None
    assert task.lead.name == "Ban Tổ chức Trung ương"
    assert task.leads == ["Ban Tổ chức Trung ương", "Đảng ủy Chính phủ", "Đảng ủy Quốc hội"]
    assert task.confidence < 0.9


def test_glued_words_are_read_apart():
    assert unglue("BộCông Thương nghiên cứu, hoàn thành trướcngày 20/11") == (
        "Bộ Công Thương nghiên cứu, hoàn thành trước ngày 20/11"
    )
    [task] = extract_tasks(
        "Giao Sở Y tếchủ trì kiểm tra, hoàn thành trướcngày 20/11/2026.", ISSUED, MATCHER
    )
    assert task.lead_text == "Sở Y tế"
    assert task.deadline is not None
    assert task.deadline.due_on == dt.date(2026, 11, 20)


def test_without_a_document_date_a_yearless_deadline_is_unresolved():
    [task] = extract_tasks("Giao Sở Y tế kiểm tra, báo cáo trước ngày 20/11.", None, MATCHER)
    assert task.deadline is not None
    assert (task.deadline.due_on, task.deadline.text) == (None, "trước ngày 20/11")


def test_bodies_concerned_are_no_coordinators_to_keep():
    text = (
        "Bộ Tài chính chủ trì, phối hợp với các Bộ, cơ quan, địa phương và Sở Y tế cân đối thu chi."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Bộ Tài chính"
    assert task.coordinating_text == ["Sở Y tế"]


@pytest.mark.parametrize(
    "text",
    [
        "Các bộ, ngành có liên quan có trách nhiệm phối hợp chặt chẽ với UBND tỉnh Đồng Nai.",
        "Giao các bộ, ngành có liên quan rà soát, báo cáo trước ngày 20/11/2026.",
    ],
)
def test_a_clause_opening_with_bodies_concerned_does_not_break_the_reading(text):
    extract_tasks(text, ISSUED, MATCHER)  # raised IndexError on a real text (issue #13)


def test_a_peoples_committee_keeps_its_place_name():
    text = (
        "Giao UBND tỉnh Lào Cai chủ trì, phối hợp với UBND huyện Sa Pa, Ủy ban nhân dân thành "
        "phố Hà Nội lập đề án, báo cáo trước ngày 20/8/2026. UBND TP. Hồ Chí Minh, UBND tỉnh "
        "Đồng Nai rà soát quy hoạch."
    )
    first, second = extract_tasks(text, ISSUED, MATCHER)
    assert first.lead_text == "UBND tỉnh Lào Cai"
    assert first.coordinating_text == ["UBND huyện Sa Pa", "Ủy ban nhân dân thành phố Hà Nội"]
    assert first.title.startswith("Lập đề án")
    assert second.lead_text == "UBND TP. Hồ Chí Minh"
    assert second.coordinating_text == ["UBND tỉnh Đồng Nai"]  # named with it: two bodies
    [speaker] = extract_tasks(
        "UBND tỉnh có ý kiến như sau: Giao Sở Y tế kiểm tra.", ISSUED, MATCHER
    )
    assert speaker.lead_text == "Sở Y tế"


def test_entries_under_a_body_addressed_are_its_tasks():
    text = (
        "Chính phủ yêu cầu thực hiện một số nội dung như sau:\n"
        "- Đối với Bộ Giáo dục và Đào tạo:\n"
        "+ Tăng cường kiểm tra việc phân phối sách giáo khoa;\n"
        "+ Khẩn trương rà soát nội dung sách lớp 1.\n"
        "- Đối với Bộ Y tế:\n"
        "+ Phối hợp với BHXH Việt Nam ứng dụng công nghệ thông tin trong thanh toán."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Bộ Giáo dục và Đào tạo"] * 2 + ["Bộ Y tế"]
    assert tasks[2].coordinating_text == ["BHXH Việt Nam"]
    [task] = extract_tasks(
        "Đối với các dự án chậm tiến độ, Bộ Xây dựng rà soát, báo cáo trước ngày 20/8/2026.",
        ISSUED,
        MATCHER,
    )
    assert task.lead_text == "Bộ Xây dựng"  # an opening phrase, not a heading


def test_a_shared_prefix_is_expanded():
    text = (
        "Giao UBND tỉnh Trà Vinh chủ trì, phối hợp với các Bộ: Giao thông vận tải, Tài chính và "
        "Tài nguyên và Môi trường xây dựng Đề án. Yêu cầu Bộ trưởng các Bộ: Quốc phòng, Công "
        "an chỉ đạo lực lượng ứng cứu, báo cáo trước ngày 20/8/2026."
    )
    first, second = extract_tasks(text, ISSUED, MATCHER)
    assert first.coordinating_text == [
        "Bộ Giao thông vận tải", "Bộ Tài chính", "Bộ Tài nguyên và Môi trường",
    ]  # fmt: skip
    assert first.title == "Xây dựng Đề án"
    assert second.lead_text == "Bộ trưởng các Bộ: Quốc phòng, Công an"  # the text's own words
    assert second.leads == ["Bộ Quốc phòng", "Bộ Công an"]


def test_a_sentence_that_asks_to_send_by_a_date_gives_the_task_before_its_deadline():
    text = (
        "Ngày 21/5, UBND tỉnh ban hành Công văn số 846/UBND-TH về việc báo cáo. Giao Sở Kế "
        "hoạch và Đầu tư chủ trì tổng hợp chung báo cáo. Yêu cầu hoàn thiện gửi Văn phòng Uỷ ban "
        "nhân dân trước ngày 24/5/2026. Giao UBND cấp tỉnh rà soát số liệu. Số liệu phải được "
        "gửi về Bộ Nội vụ trước 30/8."
    )
    planning, province = extract_tasks(text, ISSUED, MATCHER)  # the news intro assigns nothing
    assert planning.lead_text == "Sở Kế hoạch và Đầu tư"
    assert planning.deadline is not None
    assert planning.deadline.due_on == dt.date(2026, 5, 24)
    assert province.deadline is not None
    assert province.deadline.due_on == dt.date(2026, 8, 30)


def test_a_collective_name_keeps_its_qualifier():
    [task] = extract_tasks(
        "Giao các sở, ngành liên quan có trách nhiệm rà soát nhu cầu sử dụng đất.", ISSUED, MATCHER
    )
    assert task.lead_text == "các sở, ngành liên quan"
    [task] = extract_tasks("Giao các sở, ngành tỉnh báo cáo tình hình giải ngân.", ISSUED, MATCHER)
    assert task.lead_text == "các sở, ngành tỉnh"


def test_the_kinh_gui_list_is_no_assignment():
    text = (
        "Kính gửi:\n\n- Bộ Nông nghiệp và Phát triển nông thôn;\n- Ủy ban nhân dân các tỉnh, "
        "thành phố trực thuộc Trung ương (từ Quảng Ngãi trở ra)\n\nPhó Thủ tướng có ý kiến như sau:\n\n1. Yêu cầu Bộ "
        "Nông nghiệp và Phát triển nông thôn hướng dẫn phòng dịch."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.title == "Hướng dẫn phòng dịch"


def test_the_documents_own_year_after_a_name_is_no_deadline():
    issued = dt.date(2019, 5, 21)
    text = (
        "Giao các sở, ngành tỉnh báo cáo tình hình giải ngân kế hoạch đầu tư công năm 2019. "
        "Yêu cầu gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 23/5/2019. Giao Sở Xây dựng "
        "rà soát quy hoạch năm 2020. Giao Sở Y tế tổng kết đề án, hoàn thành năm 2019."
    )
    report, review, health = extract_tasks(text, issued, MATCHER)
    assert report.deadline is not None
    assert report.deadline.due_on == dt.date(2019, 5, 23)
    assert review.deadline is not None
    assert review.deadline.due_on == dt.date(2020, 12, 31)  # a later year: due then
    assert health.deadline is not None
    assert health.deadline.due_on == dt.date(2019, 12, 31)


def test_dong_thoi_opens_a_second_task_of_the_same_lead():
    text = (
        "Thủ tướng yêu cầu Ngân hàng Nhà nước chủ động điều hành chính sách tiền tệ. Đồng thời, "
        "hướng dẫn các ngân hàng thương mại bảo đảm nguồn vốn."
    )
    first, second = extract_tasks(text, ISSUED, MATCHER)
    assert second.lead_text == first.lead_text == "Ngân hàng Nhà nước"
    assert second.title.startswith("Hướng dẫn các ngân hàng")


def test_a_briefing_meeting_is_no_assignment():
    text = (
        "Việc tổ chức giao ban với địa phương cần được bàn kỹ với Ủy ban nhân dân tỉnh, thành "
        "phố. Các buổi họp giao ban Ban Chỉ đạo tỉnh được duy trì hằng tuần."
    )
    assert extract_tasks(text, ISSUED, MATCHER) == []


def test_a_line_naming_only_the_addressees_heads_the_entries_below_it():
    text = (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "2. Chủ tịch Ủy ban nhân dân các tỉnh: Sơn La, Điện Biên và Lai Châu\n"
        "a) Rà soát các khu dân cư có nguy cơ sạt lở.\n"
        "b) Báo cáo Thủ tướng Chính phủ trước ngày 10/4/2026."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Chủ tịch Ủy ban nhân dân các tỉnh: Sơn La, Điện Biên và Lai Châu"
    ] * 2
    assert tasks[0].leads == [
        "Ủy ban nhân dân tỉnh Sơn La",
        "Ủy ban nhân dân tỉnh Điện Biên",
        "Ủy ban nhân dân tỉnh Lai Châu",
    ]
    assert [task.deadline.due_on if task.deadline else None for task in tasks] == [
        None,
        dt.date(2026, 4, 10),
    ]


def test_a_second_deliverable_after_dong_thoi_is_a_task_of_the_same_lead():
    text = (
        "Bộ Tài chính tổng hợp, đề xuất phương án hỗ trợ, đồng thời xây dựng dự thảo Nghị định "
        "sửa đổi Nghị định số 10/2020/NĐ-CP, trình Chính phủ trong quý III/2026."
    )
    first, second = extract_tasks(text, ISSUED, MATCHER)
    assert first.lead_text == second.lead_text == "Bộ Tài chính"
    assert first.title == "Tổng hợp, đề xuất phương án hỗ trợ"
    assert second.title.startswith("Xây dựng dự thảo Nghị định")
    assert first.deadline is None
    assert second.deadline is not None
    assert second.deadline.due_on == dt.date(2026, 9, 30)
    assert second.confidence < first.confidence


def test_several_bodies_named_as_the_subject_are_all_listed_as_leads():
    [task] = extract_tasks(
        "Các Bộ: Tư pháp, Nội vụ kịp thời hướng dẫn địa phương.", ISSUED, MATCHER
    )
    assert task.lead_text == "Các Bộ: Tư pháp, Nội vụ"
    assert task.leads == ["Bộ Tư pháp", "Bộ Nội vụ"]


@pytest.mark.parametrize(
    ("text", "products"),
    [
        (
            "Bộ Y tế chủ trì xây dựng Đề án phát triển y tế cơ sở, trình trong tháng 6/2026.",
            ["đề án"],
        ),
        (
            "Bộ Tư pháp xây dựng dự thảo Nghị định sửa đổi Nghị định số 10/2020/NĐ-CP.",
            ["nghị định"],
        ),
        (
            "Văn phòng Chính phủ báo cáo Thủ tướng Chính phủ kết quả trước ngày 20/4/2026.",
            ["báo cáo"],
        ),
        ("Bộ Công Thương rà soát phương án cắt giảm, trình Thủ tướng Chính phủ phê duyệt.", []),
        (
            "Bộ Công Thương hoàn thành phương án cắt giảm, trình Thủ tướng Chính phủ phê duyệt.",
            ["phương án"],
        ),
        ("Bộ Nội vụ tổ chức thực hiện Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025.", []),
        ("Bộ Tài chính hướng dẫn các địa phương triển khai.", []),
        ("Bộ Tài chính ban hành hướng dẫn thực hiện trong tháng 5/2026.", ["hướng dẫn"]),
        ("Bộ Xây dựng kịp thời báo cáo cấp có thẩm quyền những vấn đề vượt thẩm quyền.", []),
    ],
)
def test_the_expected_product_is_what_the_lead_must_deliver(text, products):
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.products == products


def test_a_clause_with_its_own_coordinators_is_a_deliverable_of_its_own():
    text = (
        "Bộ Xây dựng:\n"
        "a) Chủ trì, phối hợp với Bộ Tài chính rà soát danh mục dự án; phối hợp với Bộ Công an "
        "xây dựng phương án bảo đảm an ninh, báo cáo trước ngày 13/12/2026.\n"
        "Bộ Nội vụ có trách nhiệm đôn đốc các địa phương; chủ trì, phối hợp với Bộ Tư pháp đề "
        "xuất tiêu chí đánh giá."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Bộ Xây dựng"] * 2 + ["Bộ Nội vụ"] * 2
    assert [task.coordinating_text for task in tasks] == [
        ["Bộ Tài chính"], ["Bộ Công an"], [], ["Bộ Tư pháp"],
    ]  # fmt: skip
    assert tasks[3].title == "Đề xuất tiêu chí đánh giá"


def test_chu_tri_cung_names_coordinators():
    [task] = extract_tasks(
        "Bộ Tài chính chủ trì cùng Bộ Xây dựng rà soát đề xuất thưởng.", ISSUED, MATCHER
    )
    assert task.coordinating_text == ["Bộ Xây dựng"]
    assert task.title == "Rà soát đề xuất thưởng"


def test_a_numbered_entry_after_a_header_and_its_letters_is_its_sibling_not_its_entry():
    text = (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bộ Xây dựng:\n"
        "a) Rà soát danh mục dự án.\n"
        "2. Giao Phó Thủ tướng chỉ đạo công tác chuẩn bị.\n"
        "3. Bộ Tài chính chủ trì bố trí kinh phí."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Bộ Xây dựng", "Bộ Tài chính"]


def test_the_addressees_of_a_cong_dien_are_not_assignments():
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n"
        "- Bộ trưởng các Bộ: Quốc phòng, Công an;\n"
        "- Tổng giám đốc Đài Truyền hình Việt Nam.\n"
        "Thủ tướng Chính phủ yêu cầu Bộ Quốc phòng chỉ đạo lực lượng ứng cứu."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Bộ Quốc phòng"


def test_the_heads_of_ministries_addressed_together_lead_the_entries_below_them():
    text = (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ:\n"
        "a) Rà soát các dự án chậm tiến độ.\n"
        "b) Báo cáo kết quả trước ngày 15/4/2026.\n"
        "2. Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành "
        "phố trực thuộc Trung ương chỉ đạo quyết liệt việc giải ngân.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ",
    ]
    assert {task.lead.code for task in tasks if task.lead} == {"GROUP:MINISTRIES"}
    assert len(tasks[2].leads) == 2  # with the provinces' chairmen: flagged for a split
    assert tasks[1].deadline is not None
    assert tasks[1].deadline.due_on == dt.date(2026, 4, 15)


def test_a_notice_s_closing_line_names_the_lead_of_its_subjectless_tasks():
    text = (
        "I. ĐÁNH GIÁ CHUNG\n"
        "Tỉnh đã đạt nhiều kết quả quan trọng.\n"
        "II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI\n"
        "1. Rà soát, điều chỉnh quy hoạch tỉnh.\n"
        "2. Khẩn trương xây dựng kế hoạch đầu tư công trung hạn; đồng thời cập nhật danh mục "
        "dự án.\n"
        "III. VỀ KIẾN NGHỊ CỦA TỈNH\n"
        "Giao Bộ Tài chính nghiên cứu, xử lý kiến nghị của tỉnh trong tháng 4 năm 2026.\n"
        "Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Lào Cai và các Bộ, cơ quan liên "
        "quan biết, thực hiện./.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Ủy ban nhân dân tỉnh Lào Cai",
        "Ủy ban nhân dân tỉnh Lào Cai",
        "Ủy ban nhân dân tỉnh Lào Cai",
        "Bộ Tài chính",
    ]
    assert tasks[2].title.startswith("Cập nhật danh mục")
    assert tasks[0].confidence < tasks[3].confidence


def test_the_province_itself_written_with_a_capital_is_the_lead():
    text = (
        "Trong thời gian tới, Tỉnh tổ chức thực hiện nghiêm túc nhiệm vụ Trung ương giao. "
        "Tỉnh đã hoàn thành Chương trình xóa nhà tạm."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Tỉnh"


@pytest.mark.parametrize(
    "text",
    [
        "Chủ tịch Ủy ban nhân dân cấp tỉnh chịu trách nhiệm toàn diện trước Thủ tướng Chính phủ "
        "về tính chính xác của số liệu; đồng thời sử dụng các nguồn lực hiệu quả.",
        "Tỉnh chủ động làm việc với Bộ Xây dựng về việc giao Ủy ban nhân dân tỉnh Lào Cai là cơ "
        "quan chủ quản dự án theo quy định.",
        "- Chịu trách nhiệm trước pháp luật nếu để xảy ra tình trạng phá rừng.",
    ],
)
def test_responsibilities_and_designations_are_not_tasks(text):
    leads = [task.lead_text for task in extract_tasks(text, ISSUED, MATCHER)]
    assert "Ủy ban nhân dân tỉnh Lào Cai" not in leads
    assert "Chủ tịch Ủy ban nhân dân cấp tỉnh" not in leads
    assert len(leads) <= 1


def test_two_deliverables_each_with_its_own_due_date_are_two_tasks():
    text = (
        "Giao Bộ Xây dựng sửa chữa nhà bị hư hỏng, hoàn thành chậm nhất trước ngày 30/4/2026; "
        "xây dựng lại nhà bị sập chậm nhất trước ngày 30/6/2026."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Bộ Xây dựng", "Bộ Xây dựng"]
    assert [task.deadline.due_on for task in tasks if task.deadline] == [
        dt.date(2026, 4, 30),
        dt.date(2026, 6, 30),
    ]


def test_unregistered_bodies_named_together_before_chu_tri_are_all_leads_the_first_first():
    text = (
        "5. Tập đoàn Điện lực Việt Nam, Tập đoàn Dầu khí Việt Nam chủ trì, phối hợp với Bộ Công "
        "Thương chuẩn bị điều kiện kỹ thuật cho các điểm cầu."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Tập đoàn Điện lực Việt Nam"
    assert task.leads == ["Tập đoàn Điện lực Việt Nam", "Tập đoàn Dầu khí Việt Nam"]
    assert "Bộ Công Thương" in task.coordinating_text


def test_a_plans_fields_give_the_entrys_lead_partners_and_time():
    text = (
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai Luật A với các nội dung sau:\n"
        "II. NỘI DUNG KẾ HOẠCH\n"
        "1. Rà soát văn bản quy phạm pháp luật\n"
        "- Nội dung: Rà soát các văn bản có liên quan đến Luật.\n"
        "- Cơ quan chủ trì: Sở Tư pháp.\n"
        "- Cơ quan phối hợp: Sở Tài chính; Ủy ban nhân dân các xã, phường.\n"
        "- Thời gian thực hiện: Hoàn thành trong năm 2026.\n"
        "2. Tập huấn nghiệp vụ về Luật\n"
        "a) Nhiệm vụ: Tổ chức tập huấn cho cán bộ.\n"
        "b) Cơ quan thực hiện:\n"
        "- Đơn vị chủ trì: Công an tỉnh.\n"
        "c) Thời gian thực hiện: Thực hiện thường xuyên.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Tư pháp", "Công an tỉnh"]
    assert tasks[0].title.startswith("Rà soát văn bản")
    assert tasks[0].coordinating_text == ["Sở Tài chính"]
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2026, 12, 31)
    assert tasks[1].title.startswith("Tổ chức tập huấn")
    assert tasks[1].deadline is None or tasks[1].deadline.due_on is None


def test_a_heading_naming_only_local_bodies_leads_the_entries_below_it():
    text = (
        "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các cơ quan thực hiện các nội dung sau:\n"
        "1. Sở Y tế\n"
        "a) Thường xuyên kiểm tra chất lượng nước sinh hoạt.\n"
        "b) Xây dựng quy chuẩn kỹ thuật địa phương về nước sạch.\n"
        "2. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh và các đoàn thể\n"
        "- Tuyên truyền, vận động Nhân dân sử dụng nước tiết kiệm.\n"
        "3. Các đơn vị cấp nước sạch trên địa bàn tỉnh có trách nhiệm\n"
        "a) Mở rộng mạng lưới cấp nước.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Sở Y tế",
        "Sở Y tế",
        "Ủy ban Mặt trận Tổ quốc tỉnh",
        "Các đơn vị cấp nước sạch trên địa bàn tỉnh",
    ]
    assert tasks[2].leads == ["Ủy ban Mặt trận Tổ quốc tỉnh", "các đoàn thể"]


def test_an_entry_of_an_outer_list_closes_a_header_of_an_inner_one():
    text = (
        "1. Sở Xây dựng\n"
        "a) Giao Ban Quản lý các khu công nghiệp chỉ đạo các đơn vị hạ tầng có trách nhiệm:\n"
        "- Duy trì cấp nước cho các khu công nghiệp.\n"
        "2. Ủy ban nhân dân xã, phường\n"
        "a) Rà soát các công trình khai thác nước dưới đất.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks][-1] == "Ủy ban nhân dân xã, phường"


def test_a_plans_time_in_years_to_come_is_no_due_date():
    text = (
        "1. Kiểm tra việc thi hành Luật đến năm 2030\n"
        "- Cơ quan chủ trì: Sở Khoa học và Công nghệ\n"
        "- Thời gian thực hiện: Năm 2026 và các năm tiếp theo.\n"
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Sở Khoa học và Công nghệ"
    assert task.deadline is None


def test_an_unknown_bodys_name_ends_before_a_capitalized_verb_joined_to_it():
    text = "9. Đề nghị Hội Nông dân thành phố\nTăng cường công tác tuyên truyền."
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Hội Nông dân thành phố"
    assert task.title.startswith("Tăng cường công tác tuyên truyền")


# --- seventh round (dev5): provincial plans' layouts -------------------------------------


def test_a_list_marker_alone_on_its_line_belongs_to_the_line_after_it():
    text = (
        "7.\nThanh tra tỉnh:\n- Kiểm tra việc cấp phát hàng cứu trợ.\n"
        "8.\nUBND các xã, phường:\n- Lập danh sách hộ bị ảnh hưởng.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Thanh tra tỉnh", "UBND các xã, phường"]


def test_a_roman_heading_closes_the_preamble_above_it():
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ngành thực hiện các nội dung sau:\n"
        "I.\nTrách nhiệm trong thẩm định hồ sơ\n"
        "1. Sở Tài chính:\n- Tiếp nhận hồ sơ đề xuất.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Tài chính"]


def test_a_headings_paragraph_without_a_marker_is_its_entry():
    text = (
        "5. Sở Khoa học và Công nghệ:\n"
        "Chỉ đạo các doanh nghiệp bưu chính bảo đảm liên lạc thông suốt.\n"
        "6. Sở Tài chính:\n"
        "Phối hợp với Sở Công Thương thẩm định kinh phí mua sắm.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Khoa học và Công nghệ", "Sở Tài chính"]
    assert tasks[1].coordinating_text == ["Sở Công Thương"]
    assert tasks[0].title.startswith("Chỉ đạo các doanh nghiệp bưu chính")


def test_a_heading_wrapped_onto_its_entrys_first_sentence_is_cut_there():
    text = (
        "5. Ủy ban nhân dân các\nxã, phường\nXây dựng kế hoạch cụ thể tại địa phương.\n"
        "7. Các sở, ban, ngành tỉnh,\nỦy ban nhân dân các xã, phường\n"
        "Trên cơ sở Kế hoạch này, tổ chức thực hiện nhiệm vụ được giao.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Ủy ban nhân dân các xã, phường",
        "Các sở, ban, ngành tỉnh",
    ]
    assert tasks[1].leads == ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"]
    assert tasks[0].title.startswith("Xây dựng kế hoạch cụ thể")


def test_bodies_named_with_commas_in_a_heading_are_each_a_lead():
    text = (
        "đ) Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh\n- Bảo đảm an ninh tại các điểm tập kết.\n"
        "6. Đề nghị: Hội Cựu chiến binh tỉnh, Liên minh Hợp tác xã tỉnh\n"
        "a) Vận động hội viên tham gia.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Công an tỉnh", "Hội Cựu chiến binh tỉnh"]
    assert tasks[0].leads == ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
    assert tasks[1].leads == ["Hội Cựu chiến binh tỉnh", "Liên minh Hợp tác xã tỉnh"]
    assert tasks[0].coordinating_text == []


def test_the_front_and_the_organizations_named_with_it_lead_together():
    text = (
        "9. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội:\n"
        "- Vận động ủng hộ nhu yếu phẩm.\n"
        "10. Đề nghị Công ty Cấp nước Bình Minh: Khẩn trương khôi phục cấp nước.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Công ty Cấp nước Bình Minh",
    ]
    assert tasks[0].leads[1] == "các tổ chức chính trị - xã hội"
    assert tasks[0].coordinating_text == []
    assert tasks[1].title.startswith("Khẩn trương khôi phục cấp nước")


def test_a_shared_prefix_of_groups_and_of_ministries_and_bodies_is_expanded():
    text = (
        "Giao các Tập đoàn: Bưu chính Viễn thông Việt Nam, Hóa chất Việt Nam và Cao su Việt "
        "Nam làm việc với Ủy ban nhân dân tỉnh.\n"
        "Các Bộ, cơ quan: Tư pháp, Nội vụ, Tập đoàn Điện lực Việt Nam khẩn trương rà soát, "
        "báo cáo trước ngày 15/4/2026.\n"
    )
    first, second = extract_tasks(text, ISSUED, MATCHER)
    assert first.leads == [
        "Tập đoàn Bưu chính Viễn thông Việt Nam",
        "Tập đoàn Hóa chất Việt Nam",
        "Tập đoàn Cao su Việt Nam",
    ]
    assert second.leads == ["Bộ Tư pháp", "Bộ Nội vụ", "Tập đoàn Điện lực Việt Nam"]
    assert second.deadline is not None
    assert second.deadline.due_on == dt.date(2026, 4, 15)


def test_later_sentences_of_an_entry_under_a_heading_are_the_same_task():
    text = (
        "2. Sở Y tế\n"
        "- Tổ chức tiêm chủng bổ sung. Báo cáo kết quả trước ngày 30/4/2026.\n"
        "- Giám sát dịch bệnh sau mưa lũ.\n"
        "3. Sở Tài chính:\n"
        "a) Tiếp nhận hồ sơ đề nghị hỗ trợ.\n"
        "Trường hợp hồ sơ chưa đủ, đề nghị bổ sung trong 05 ngày.\n"
        "b) Tổng hợp, báo cáo Ủy ban nhân dân tỉnh.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Sở Y tế",
        "Sở Y tế",
        "Sở Tài chính",
        "Sở Tài chính",
    ]
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2026, 4, 30)
    assert tasks[3].title.startswith("Tổng hợp")


def test_bodies_named_by_their_role_in_a_procedure_lead():
    text = (
        "3. Cơ quan chủ trì thẩm định hồ sơ dự án\n"
        "a) Hướng dẫn nhà đầu tư hoàn thiện hồ sơ.\n"
        "4. Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản đúng thời hạn.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Cơ quan chủ trì thẩm định hồ sơ dự án",
        "Cơ quan phối hợp",
    ]
    assert tasks[1].title.startswith("Trả lời bằng văn bản")


def test_a_heading_is_named_by_the_words_before_its_parenthesis():
    text = (
        "1. Các cơ quan cấp phép (Sở Công Thương, Ban Quản lý Khu kinh tế tỉnh):\n"
        "a) Tiếp nhận hồ sơ đề nghị cấp phép.\n"
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Các cơ quan cấp phép"
    assert task.title.startswith("Tiếp nhận hồ sơ")


def test_an_entrys_objects_and_situations_are_not_its_lead():
    text = (
        "2. Sở Nông nghiệp và Môi trường:\n"
        "- Hướng dẫn các đơn vị, địa phương ra quân dọn vệ sinh sau lũ.\n"
        "e) Thuế tỉnh\n"
        "- Tình hình thực hiện nghĩa vụ thuế của nhà đầu tư.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Nông nghiệp và Môi trường", "Thuế tỉnh"]


def test_an_unknown_leads_name_ends_before_an_adverb_and_communes_are_fillers():
    text = (
        "Giao Công an thành phố kịp thời phát hiện, xử lý vi phạm; giao Sở Xây dựng chủ trì, "
        "phối hợp với Công an thành phố, Ủy ban nhân dân các phường, xã, đặc khu khảo sát "
        "hiện trạng."
    )
    first, second = extract_tasks(text, ISSUED, MATCHER)
    assert first.lead_text == "Công an thành phố"
    assert second.coordinating_text == ["Công an thành phố"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Trường hợp hồ sơ chưa đủ, đề nghị bổ sung trong 05 ngày.",
        "Trường hợp cần thiết, đề nghị báo cáo trước ngày 30/4/2026.",
        "Khi cần, đề nghị bảo đảm an toàn cho người dân.",
        "Trường hợp cần thiết, đề nghị ban hành văn bản hướng dẫn.",
    ],
)
def test_words_that_fold_like_a_bodys_name_are_no_lead(sentence):
    assert extract_tasks(sentence, ISSUED, MATCHER) == []


def test_collective_bodies_as_the_subject_lead_unless_they_name_no_one():
    text = (
        "2. Các sở, ban, ngành, UBND cấp xã theo chức năng quản lý, có trách nhiệm cung cấp "
        "thông tin quy hoạch cho nhà đầu tư.\n"
        "3. Các cơ quan, đơn vị, địa phương căn cứ chức năng, nhiệm vụ được giao, khẩn trương "
        "triển khai thực hiện Kế hoạch này.\n"
        "Giao các sở, ngành tỉnh; Các Ban quản lý dự án tỉnh báo cáo tình hình giải ngân.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Các sở, ban, ngành", "các sở, ngành tỉnh"]
    assert tasks[0].leads == ["Các sở, ban, ngành", "UBND cấp xã"]


def test_duties_of_the_executors_a_lead_directs_are_its_one_task():
    text = (
        "d) Giao Ban Quản lý các khu công nghiệp tỉnh chỉ đạo các đơn vị kinh doanh hạ tầng "
        "có trách nhiệm:\n"
        "- Duy trì cấp nước tập trung cho các khu công nghiệp.\n"
        "- Lắp đặt thiết bị quan trắc tự động.\n"
        "e) Sở Xây dựng:\n- Kiểm tra chất lượng nước.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Ban Quản lý các khu công nghiệp tỉnh",
        "Sở Xây dựng",
    ]
    assert tasks[0].title.startswith("Chỉ đạo các đơn vị kinh doanh hạ tầng")


# --- eighth round (faults seen on heldout6's one look; sentences made up) -------------------


def test_long_plan_field_labels_name_the_lead_not_a_body_called_don_vi():
    text = (
        "II. NHIỆM VỤ\n1. Rà soát quy trình cấp phép xây dựng\n"
        "- Đơn vị chủ trì thực hiện: Sở Xây dựng.\n"
        "- Đơn vị phối hợp: Sở Tư pháp; Văn phòng UBND tỉnh.\n"
        "- Thời gian thực hiện: Quý II/2026.\n"
        "2. Tập huấn cán bộ làm công tác pháp chế\n"
        "- Đơn vị chủ trì tham mưu thực hiện: Sở Nội vụ.\n"
        "- Thời gian thực hiện: Thường xuyên.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Xây dựng", "Sở Nội vụ"]
    assert tasks[0].coordinating_text == ["Sở Tư pháp", "Văn phòng UBND tỉnh"]
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2026, 6, 30)
    assert tasks[1].deadline is None or tasks[1].deadline.due_on is None


@pytest.mark.parametrize(
    "text",
    [
        "1. Nâng cao chất lượng đội ngũ giáo viên mầm non.\n"
        "2. Giáo viên tham gia bồi dưỡng thường xuyên.",
        "Giáo viên các trường chủ động đổi mới phương pháp dạy học.",
    ],
)
def test_giao_vien_is_a_teacher_not_the_verb_giao(text):
    assert extract_tasks(text, ISSUED, MATCHER) == []


def test_the_verb_giao_still_assigns_to_an_institute():
    [task] = extract_tasks(
        "Giao Viện Chiến lược phát triển nghiên cứu mô hình tăng trưởng.", ISSUED, MATCHER
    )
    assert task.lead_text.startswith("Viện Chiến lược")


def test_ministry_departments_are_bodies_and_plus_entries_are_kept():
    text = (
        "Bộ Y tế yêu cầu:\n"
        "1. Vụ Pháp chế: Rà soát văn bản quy phạm pháp luật, báo cáo trước ngày 15/4/2026.\n"
        "2. Vụ Tổ chức cán bộ\n"
        "- Nghiên cứu, tham mưu Lãnh đạo Bộ:\n"
        "+ Kiện toàn tổ chức bộ máy các đơn vị sự nghiệp.\n"
        "+ Sắp xếp đội ngũ công chức.\n"
        "3. Cục Quản lý Khám chữa bệnh chủ trì xây dựng quy trình chuyển tuyến.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    leads = [task.lead_text for task in tasks]
    assert "Bộ Y tế" not in leads
    assert leads[0] == "Vụ Pháp chế"
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2026, 4, 15)
    titles = [task.title for task in tasks if task.lead_text == "Vụ Tổ chức cán bộ"]
    assert any(title.startswith("Kiện toàn tổ chức bộ máy") for title in titles)
    assert any(title.startswith("Sắp xếp đội ngũ công chức") for title in titles)
    assert leads[-1] == "Cục Quản lý Khám chữa bệnh"


def test_vu_in_lower_case_is_no_department():
    [task] = extract_tasks(
        "Giao Sở Tư pháp rà soát vụ việc khiếu nại kéo dài, báo cáo trước ngày 10/5/2026.",
        ISSUED,
        MATCHER,
    )
    assert task.lead_text == "Sở Tư pháp"


def test_the_speaker_of_a_colon_preamble_is_not_the_lead():
    text = (
        "Để bảo đảm tiến độ, Bộ Y tế yêu cầu:\n"
        "1. Rà soát văn bản quy phạm pháp luật.\n"
        "2. Tổng hợp kiến nghị của địa phương.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert all(task.lead_text != "Bộ Y tế" for task in tasks)
    assert all(task.lead is None or task.lead.name != "Bộ Y tế" for task in tasks)


@pytest.mark.parametrize(
    "text",
    [
        "Sở Xây dựng chủ trì xây dựng quy hoạch hạ tầng đô thị đến năm 2030, định hướng đến "
        "năm 2045.",
        "Sở Công Thương rà soát chiến lược phát triển ngành đến năm 2030.",
    ],
)
def test_a_plans_horizon_is_no_due_date(text):
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.deadline is None or task.deadline.due_on is None


def test_a_year_to_finish_by_is_still_a_due_date():
    [task] = extract_tasks(
        "Sở Xây dựng hoàn thành cải tạo nhà ở xuống cấp đến năm 2028.", ISSUED, MATCHER
    )
    assert task.deadline is not None
    assert task.deadline.due_on == dt.date(2028, 12, 31)


def test_bo_nhan_dien_is_a_kit_not_a_ministry():
    text = (
        "III. NỘI DUNG\n3. Bộ nhận diện và các thông điệp truyền thông\n"
        "- Thiết kế biểu trưng của chiến dịch.\n- In ấn tài liệu tuyên truyền.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert all(not (task.lead_text or "").startswith("Bộ nhận diện") for task in tasks)


def test_firms_heading_their_entries_lead():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Công Thương: Hướng dẫn các đơn vị thực hiện.\n"
        "2. Các doanh nghiệp sản xuất trên địa bàn tỉnh\n"
        "- Chủ động xây dựng kế hoạch chuyển đổi xanh.\n"
        "- Báo cáo kết quả về Sở Công Thương.\n"
        "3. Các doanh nghiệp vận tải, tổ chức, cá nhân có liên quan: Tuân thủ quy định về an "
        "toàn giao thông.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Sở Công Thương",
        "Các doanh nghiệp sản xuất trên địa bàn tỉnh",
        "Các doanh nghiệp sản xuất trên địa bàn tỉnh",
        "Các doanh nghiệp vận tải, tổ chức, cá nhân có liên quan",
    ]
    assert tasks[-1].title.startswith("Tuân thủ quy định")


def test_va_inside_a_bodys_name_does_not_cut_the_coordinator():
    [task] = extract_tasks(
        "Giao Sở Tài chính chủ trì, phối hợp với Ban Quản lý các khu công nghệ cao và khu công "
        "nghiệp, Sở Xây dựng rà soát quỹ đất.",
        ISSUED,
        MATCHER,
    )
    assert task.lead_text == "Sở Tài chính"
    assert set(task.coordinating_text) >= {
        "Ban Quản lý các khu công nghệ cao và khu công nghiệp",
        "Sở Xây dựng",
    }


def test_a_department_is_a_subject_and_keeps_its_comma_in_a_partners_name():
    text = (
        "Bộ Y tế yêu cầu:\n"
        "- Vụ Pháp chế rà soát văn bản hướng dẫn.\n"
        "- Cục Quản lý Dược chủ trì, phối hợp với Vụ Kế hoạch, Tài chính xây dựng đề án.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Vụ Pháp chế", "Cục Quản lý Dược"]
    assert tasks[1].coordinating_text == ["Vụ Kế hoạch, Tài chính"]
    assert tasks[1].title.startswith("Xây dựng đề án")


# --- ninth round (faults seen on heldout7's one look and on dev6; sentences made up) -----------


def test_award_criteria_and_quotas_are_no_tasks():
    text = (
        "IV. KHEN THƯỞNG\n"
        "1. Đối tượng, tiêu chuẩn khen thưởng\n"
        "a) Tập thể: Các sở, ban, ngành, địa phương có thành tích xuất sắc trong phong trào.\n"
        "b) Cá nhân: Cán bộ, công chức có nhiều đóng góp.\n"
        "2. Số lượng khen thưởng\n"
        "- Sở Nội vụ tặng Giấy khen cho không quá 15 cá nhân.\n"
        "V. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Nội vụ theo dõi, hướng dẫn thực hiện Kế hoạch này.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Nội vụ"]
    assert tasks[0].title.startswith("Theo dõi, hướng dẫn")


def test_a_giao_heading_without_a_colon_keeps_its_dash_entries():
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Giao Sở Nội vụ\n"
        "- Hướng dẫn các xã, phường xây dựng kế hoạch thi đua.\n"
        "- Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/4/2026.\n"
        "2. Giao Công an tỉnh\n"
        "Chủ trì bảo đảm an ninh trật tự.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Nội vụ", "Sở Nội vụ", "Công an tỉnh"]
    assert tasks[1].deadline is not None
    assert tasks[1].deadline.due_on == dt.date(2026, 4, 15)


def test_investors_and_a_military_command_are_bodies():
    text = (
        "3. Các chủ đầu tư dự án giao thông\n"
        "- Rà soát tiến độ thi công các gói thầu.\n"
        "- Báo cáo khối lượng hoàn thành về Sở Xây dựng.\n"
        "4. Bộ Chỉ huy Quân sự tỉnh tổ chức diễn tập khu vực phòng thủ, hoàn thành trong quý "
        "II/2026.\n"
        "5. Bộ CHQS tỉnh phối hợp với Công an tỉnh xây dựng phương án phòng chống cháy rừng.\n"
        "Công an tỉnh tăng cường tuần tra, kiểm soát trên các tuyến giao thông.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Các chủ đầu tư dự án giao thông",
        "Các chủ đầu tư dự án giao thông",
        "Bộ Chỉ huy Quân sự tỉnh",
        "Bộ CHQS tỉnh",
        "Công an tỉnh",
    ]
    assert tasks[2].deadline is not None
    assert tasks[2].deadline.due_on == dt.date(2026, 6, 30)
    assert tasks[3].coordinating_text == ["Công an tỉnh"]


def test_a_body_named_in_capitals_needs_a_verb_of_work_to_lead():
    text = (
        "Công an tỉnh là cơ quan thường trực của Ban Chỉ đạo.\n"
        "Cơ quan thường trực Tổ công tác triển khai Đề án 06 là Công an tỉnh.\n"
    )
    assert extract_tasks(text, ISSUED, MATCHER) == []


def test_a_list_of_attachments_is_no_task():
    text = (
        "Bộ Tài chính đề nghị Ủy ban nhân dân các tỉnh chỉ đạo cơ quan thuế rà soát hồ sơ hoàn "
        "thuế, báo cáo trước ngày 20/4/2026.\n"
        "Bộ Tài chính gửi kèm theo công văn này các tài liệu gồm:\n"
        "- Quyết định số 12/QĐ-BTC ngày 01/3/2026 của Bộ Tài chính.\n"
        "- Phụ lục danh sách hồ sơ cần rà soát.\n"
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Ủy ban nhân dân các tỉnh"


@pytest.mark.parametrize(
    "text",
    [
        "Đề nghị các cơ quan, đơn vị, địa phương, doanh nghiệp quan tâm phối hợp thực hiện./.",
        "Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc triển khai.",
    ],
)
def test_a_closing_addressed_to_everyone_names_no_lead(text):
    assert extract_tasks(text, ISSUED, MATCHER) == []


def test_a_heading_naming_the_agencies_of_the_province_still_leads():
    text = (
        "5. Các cơ quan, đơn vị, địa phương thuộc tỉnh\n"
        "Xây dựng kế hoạch hưởng ứng phong trào thi đua.\n"
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Các cơ quan, đơn vị, địa phương thuộc tỉnh"


def test_articles_of_a_resolution_are_entries_and_the_standard_clause_is_no_task():
    text = (
        "QUYẾT NGHỊ:\n"
        "Điều 1. Thông qua nội dung dự thảo Hiệp định.\n"
        "Điều 2. Bộ Ngoại giao hoàn tất các thủ tục đối ngoại theo quy định.\n"
        "Điều 3. Thống đốc Ngân hàng Nhà nước Việt Nam tiếp thu ý kiến, hoàn thiện hồ sơ dự án "
        "Luật.\n"
        "Điều 4. Bộ trưởng Bộ Tư pháp, Thủ trưởng các cơ quan, tổ chức liên quan chịu trách nhiệm "
        "thi hành Nghị quyết này./.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Bộ Ngoại giao",
        "Thống đốc Ngân hàng Nhà nước Việt Nam",
    ]


def test_roman_numbered_items_after_cu_the_are_one_task_each():
    text = (
        "Bộ Xây dựng chủ trì, phối hợp với các bộ liên quan làm rõ các nội dung, cụ thể: (i) Đánh "
        "giá nguồn cung vật liệu; (ii) Rà soát năng lực nhà thầu; (iii) Đề xuất giải pháp điều "
        "hành; báo cáo Thủ tướng Chính phủ trong tháng 5 năm 2026."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Bộ Xây dựng"] * 3
    assert [task.title.split()[0] for task in tasks] == ["Đánh", "Rà", "Đề"]
    # the report closing the last item dates the whole list
    assert [task.deadline.due_on if task.deadline else None for task in tasks] == [
        dt.date(2026, 5, 31)
    ] * 3


def test_an_inline_list_whose_items_have_their_own_dates_keeps_them():
    text = (
        "Giao Bộ Tài chính: (i) Rà soát định mức, hoàn thành trước ngày 30/4/2026; (ii) Xây dựng "
        "đề án; (iii) Đề xuất cơ chế, hoàn thành trong tháng 6 năm 2026."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.deadline.due_on if task.deadline else None for task in tasks] == [
        dt.date(2026, 4, 30),
        None,
        dt.date(2026, 6, 30),
    ]


def test_the_lead_after_an_opening_phrase_of_grounds_that_names_other_bodies():
    text = (
        "Trên cơ sở Báo cáo số 12/BC-CP ngày 02/3/2026 của Chính phủ và Thông báo số 45/TB-VPQH "
        "của Văn phòng Quốc hội, Bộ Xây dựng làm việc với các cơ quan của Quốc hội để bổ sung hồ "
        "sơ dự án."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Bộ Xây dựng"
    assert task.deadline is None


def test_heads_of_bodies_named_together_lead_as_written():
    text = (
        "1. Thủ trưởng các Sở, ban, ngành; Chủ tịch UBND cấp xã căn cứ chức năng, nhiệm vụ được "
        "giao, có trách nhiệm triển khai thực hiện.\n"
        "2. Giám đốc, Thủ trưởng các sở, ban ngành tập trung thực hiện các nhiệm vụ trọng tâm.\n"
        "Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các xã, phường nghiêm túc triển khai thực "
        "hiện./.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Thủ trưởng các Sở, ban, ngành",
        "Giám đốc, Thủ trưởng các sở, ban ngành",
        "Thủ trưởng các sở, ban, ngành",
    ]
    assert tasks[0].leads == ["Thủ trưởng các Sở, ban, ngành", "Chủ tịch UBND cấp xã"]
    assert tasks[2].leads == ["Thủ trưởng các sở, ban, ngành", "Chủ tịch UBND các xã, phường"]


def test_a_deputy_prime_minister_given_work_is_its_lead():
    text = (
        "7. Giao Phó Thủ tướng Chính phủ Lê Văn An trực tiếp chỉ đạo công tác chuẩn bị lễ khởi "
        "công.\n"
        "8. Giao Phó Thủ tướng Nguyễn Bình và các Phó Thủ tướng theo nhiệm vụ được phân công đôn "
        "đốc các Bộ.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [(task.lead, task.lead_text) for task in tasks] == [
        (None, "Phó Thủ tướng Chính phủ Lê Văn An"),
        (None, "Phó Thủ tướng Nguyễn Bình"),
    ]
    assert tasks[1].title.startswith("Theo nhiệm vụ")


def test_partners_of_the_body_advised_or_a_kind_of_body_are_no_coordinators():
    text = (
        "- Sở Khoa học và Công nghệ tham mưu UBND Thành phố phối hợp với Bộ Công an rà soát chiến "
        "lược dữ liệu.\n"
        "- Sở Xây dựng chủ trì, phối hợp với Sở Tài chính, các đơn vị cấp nước thuộc phạm vi quản "
        "lý xây dựng phương án cấp nước.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Sở Khoa học và Công nghệ", "Sở Xây dựng"]
    assert tasks[0].coordinating == []
    assert tasks[0].coordinating_text == []
    assert tasks[1].coordinating_text == ["Sở Tài chính"]


# --- tenth round (faults seen on heldout8's one look, now a development set; made up) -------


def test_topic_headings_whose_entries_name_their_leads_replace_the_preamble():
    text = (
        "III. NHIỆM VỤ TRỌNG TÂM\n"
        "Thời gian còn lại của năm không nhiều; do vậy, yêu cầu các bộ, ngành, địa phương, đơn "
        "vị, cá nhân liên quan:\n"
        "1. Hoàn thành mục tiêu đưa vào khai thác 500 km đường ven biển trong năm 2026\n"
        "a) Bộ Xây dựng đôn đốc các chủ đầu tư đẩy nhanh tiến độ thi công.\n"
        "b) Bộ Công an tăng cường bảo đảm an ninh trật tự tại công trường.\n"
        "2. Đối với dự án cảng biển Nam Vân Phong\n"
        "a) Khối lượng hoàn thành mới đạt 40%. Yêu cầu Bộ Xây dựng có giải pháp đẩy nhanh tiến "
        "độ.\n"
        "b) Rứt khoát phải đưa cảng vào khai thác trong tháng 12 năm 2026.\n"
        "c) Giao Bộ Công Thương bảo đảm cấp điện cho công trường.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Bộ Xây dựng",
        "Bộ Công an",
        "Bộ Xây dựng",
        "Bộ Công Thương",
    ]


def test_a_preamble_still_heads_entries_under_a_topic_when_they_name_no_one():
    text = (
        "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành, địa phương thực hiện:\n"
        "1. Về công tác tuyên truyền\n"
        "a) Đẩy mạnh tuyên truyền trên các phương tiện thông tin đại chúng.\n"
        "b) Tổ chức hội nghị quán triệt trong tháng 4 năm 2026.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks][-2:] == ["các sở, ban, ngành, địa phương"] * 2
    assert tasks[-1].deadline is not None
    assert tasks[-1].deadline.due_on == dt.date(2026, 4, 30)


def test_an_assessment_of_what_bodies_also_did_is_no_task():
    text = (
        "Thời gian qua, các bộ ngành cũng đã tích cực triển khai, đã hoàn thành 08 nhiệm vụ đúng "
        "thời hạn. Bộ Xây dựng tổng hợp kết quả, báo cáo trong tháng 4 năm 2026."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Bộ Xây dựng"]


@pytest.mark.parametrize(
    ("sentence", "lead_text", "leads"),
    [
        (
            "a) Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng khẩn trương hoàn thiện hồ sơ dự án, hoàn "
            "thành trong năm 2026.",
            "Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng",
            ["tỉnh Nghệ An", "Quảng Ngãi", "Cao Bằng"],
        ),
        (
            "b) Thành phố Hà Nội và các tỉnh Bắc Ninh, Gia Lai đẩy nhanh tiến độ lập báo cáo "
            "nghiên cứu khả thi, hoàn thành trong năm 2026.",
            "Thành phố Hà Nội",
            ["Thành phố Hà Nội", "tỉnh Bắc Ninh", "Gia Lai"],
        ),
    ],
)
def test_provinces_named_as_the_subject_lead_with_their_words(sentence, lead_text, leads):
    [task] = extract_tasks(sentence, ISSUED, MATCHER)
    assert (task.lead, task.lead_text, task.leads) == (None, lead_text, leads)
    assert task.coordinating == []
    assert task.coordinating_text == []
    assert task.deadline is not None
    assert task.deadline.due_on == dt.date(2026, 12, 31)


def test_a_province_named_with_the_lead_is_a_co_lead_not_a_coordinator():
    text = "d) Thành phố Hồ Chí Minh, tỉnh Lâm Đồng đẩy nhanh việc lựa chọn nhà đầu tư dự án."
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Thành phố Hồ Chí Minh"
    assert task.leads == ["Thành phố Hồ Chí Minh", "tỉnh Lâm Đồng"]
    assert task.coordinating == []
    assert task.coordinating_text == []


def test_a_body_directing_an_executor_to_carry_out_the_contents_below_is_one_task():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Nông nghiệp và Môi trường\n"
        "chỉ đạo Chi cục Thủy lợi thực hiện các nội dung sau:\n"
        "- Lập dự toán kinh phí trình cấp có thẩm quyền phê duyệt.\n"
        "- Tổ chức đánh giá kết quả; báo cáo UBND tỉnh trước ngày 15/12/2026.\n"
        "2. Các cơ sở sản xuất giống cây trồng:\n"
        "Theo dõi, ghi chép đầy đủ số liệu; cung cấp thông tin khi có yêu cầu.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == [
        "Sở Nông nghiệp và Môi trường",
        "Các cơ sở sản xuất giống cây trồng",
    ]


def test_a_kind_of_body_in_lower_case_is_no_coordinator():
    text = (
        "3. UBND các xã, phường: Phối hợp với Sở Y tế, đơn vị được lựa chọn quan trắc môi "
        "trường triển khai Kế hoạch."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.coordinating_text == ["Sở Y tế"]


def test_the_addressees_after_a_kinh_gui_ending_the_heading_are_no_tasks():
    text = (
        "V/v rà soát biên chế Hà Nội, ngày 02 tháng 3 năm 2026 Kính gửi:\n"
        "- Các bộ, cơ quan ngang bộ;\n"
        "- Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương.\n"
        "Đề nghị bộ, ngành, địa phương gửi báo cáo về Bộ Nội vụ trước ngày 20/3/2026.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["bộ, ngành"]
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2026, 3, 20)


def test_a_request_made_earlier_by_a_letter_is_no_task():
    text = (
        "Thực hiện ý kiến của Ban Tổ chức Trung ương, Bộ Nội vụ đã có Văn bản số 81/BNV-TCBC "
        "ngày 17/9/2025 đề nghị các Bộ, ngành, địa phương báo cáo thực trạng biên chế. Để việc "
        "đề xuất biên chế của các bộ, ngành, địa phương được thống nhất, trên cơ sở định hướng "
        "đề xuất nêu trên, đề nghị bộ, ngành, địa phương khẩn trương tổng hợp đề xuất biên chế, "
        "gửi về Bộ Nội vụ trước ngày 26/3/2026."
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["bộ, ngành"]
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2026, 3, 26)


def test_a_headings_one_paragraph_keeps_its_coordinators_after_a_semicolon():
    text = (
        "4. Sở Văn hóa và Thể thao; Báo và Phát thanh, Truyền hình tỉnh\n"
        "Chỉ đạo các cơ quan báo chí tăng thời lượng tuyên truyền về dân số; phối hợp với\n"
        "Sở Y tế xây dựng các chuyên trang về dân số và phát triển.\n"
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Sở Văn hóa và Thể thao"
    assert task.coordinating_text == ["Sở Y tế"]


# --- eleventh round (faults seen on heldout9's one look, now a development set; made up) ----


PLAN_FIELDS_AS_ENTRIES = (
    "III. ĐẨY MẠNH THÔNG TIN, TUYÊN TRUYỀN\n"
    "1. Nội dung, biện pháp\n"
    "a) Chỉ đạo, định hướng kế hoạch tuyên truyền về phòng chống thiên tai;\n"
    "b) Lập các chuyên trang, chuyên mục về phòng chống thiên tai.\n"
    "2. Cơ quan chủ trì, phối hợp\n"
    "a) Cơ quan chủ trì\n"
    "- Ban Chỉ đạo quốc gia.\n"
    "- Bộ Văn hóa, Thể thao và Du lịch; Bộ Ngoại giao.\n"
    "b) Cơ quan phối hợp\n"
    "- Các đơn vị, địa phương.\n"
    "- Trung ương Hội Chữ thập đỏ Việt Nam.\n"
    "- Mặt tr ận Tổ quốc Việt Nam, Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp.\n"
    "3. Thời gian thực hiện: Từ tháng 11/2026 trở đi.\n"
    "IV. KIỂM TRA, SƠ KẾT\n"
    "1. Nội dung, biện pháp\n"
    "a) Sơ kết 6 tháng, 1 năm triển khai thực hiện.\n"
    "2. Chủ trì thực hiện\n"
    "- Bộ Quốc phòng.\n"
    "- Ban Chỉ đạo các tỉnh.\n"
    "3. Thời gian thực hiện: Tháng 12/2026 và thường xuyên.\n"
)


def test_a_plans_fields_laid_out_as_entries_give_its_lead_and_coordinators_not_tasks():
    first, second = extract_tasks(PLAN_FIELDS_AS_ENTRIES, ISSUED, MATCHER)
    assert first.lead_text == "Ban Chỉ đạo quốc gia"
    assert first.leads[0] == "Ban Chỉ đạo quốc gia"
    assert "Bộ Ngoại giao" in first.leads
    assert first.coordinating_text == [
        "Trung ương Hội Chữ thập đỏ Việt Nam",
        "Mặt tr ận Tổ quốc Việt Nam",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp",
    ]
    assert first.deadline is None  # "từ tháng 11/2026 trở đi": ongoing, no due date
    assert second.lead_text == "Bộ Quốc phòng"
    assert second.leads == ["Bộ Quốc phòng", "Ban Chỉ đạo các tỉnh"]
    assert second.coordinating_text == []
    assert second.deadline is None  # "Tháng 12/2026 và thường xuyên"


def test_a_steering_committee_is_named_whole_not_cut_at_chi_dao():
    text = (
        "D. TỔ CHỨC THỰC HIỆN\n"
        "1. Văn phòng Ban Chỉ đạo quốc gia 389\n"
        "Theo dõi, đôn đốc các bộ, ngành triển khai Kế hoạch này.\n"
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Văn phòng Ban Chỉ đạo quốc gia 389"


def test_a_standing_body_asks_and_the_government_it_asks_leads():
    text = (
        "Điều 2.\n"
        "Ủy ban thường vụ Quốc hội yêu cầu Chính phủ, Thủ tướng Chính phủ tập trung thực hiện "
        "một số nhiệm vụ sau đây:\n"
        "1. Sửa đổi chính sách hỗ trợ nhà ở, hoàn thành trong hai năm 2026 - 2027.\n"
        "2. Hướng dẫn giải quyết hồ sơ tồn đọng.\n"
        "Điều 3.\n"
        "Ủy ban thường vụ Quốc hội, Hội đồng dân tộc, các Ủy ban của Quốc hội theo chức năng, "
        "nhiệm vụ của mình giám sát việc thực hiện Nghị quyết này.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert [task.lead_text for task in tasks] == ["Chính phủ", "Chính phủ"]
    assert tasks[0].leads == ["Chính phủ", "Thủ tướng Chính phủ"]
    assert tasks[0].deadline is not None
    assert tasks[0].deadline.due_on == dt.date(2027, 12, 31)  # the span's last year


def test_a_counted_deadline_in_an_undated_text_has_no_date():
    text = "Giao Bộ Xây dựng sửa đổi định mức xây dựng trong hai năm."
    [task] = extract_tasks(text, None, MATCHER)
    assert task.deadline is not None
    assert task.deadline.due_on is None


def test_a_department_of_every_province_is_one_lead_not_a_list_of_provinces():
    text = (
        "Đề nghị Sở Nông nghiệp và Môi trường các tỉnh, thành phố trực thuộc Trung ương rà soát "
        "diện tích lúa bị thiệt hại, gửi về Bộ trước ngày 20/3/2026."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == (
        "Sở Nông nghiệp và Môi trường các tỉnh, thành phố trực thuộc Trung ương"
    )
    assert task.coordinating == []
    assert task.coordinating_text == []


def test_the_comrades_addressed_are_the_heads_named_after_them():
    text = (
        "Bộ yêu cầu các đ ồ ng chí Giám đốc Sở chỉ đạo các đơn vị chuyên môn khẩn trương xây "
        "dựng dự toán, gửi về Bộ trước ngày 12/3/2026."
    )
    [task] = extract_tasks(text, ISSUED, MATCHER)
    assert task.lead_text == "Giám đốc Sở"
    assert task.deadline is not None
    assert task.deadline.due_on == dt.date(2026, 3, 12)


def test_a_paragraph_between_a_preambles_entries_does_not_end_the_preamble():
    text = (
        "Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc "
        "Trung ương:\n"
        "1. Chỉ đạo các cấp đưa nội dung đào tạo nghề vào kế hoạch hằng năm.\n"
        "Đào tạo nghề cho thanh niên phải gắn với giải quyết việc làm.\n"
        "2. Chỉ đạo các doanh nghiệp ưu tiên tuyển dụng thanh niên tại địa phương.\n"
        "3. Gửi báo cáo về Bộ Nội vụ trước ngày 15/12/2026.\n"
    )
    tasks = extract_tasks(text, ISSUED, MATCHER)
    assert len(tasks) == 3
    assert {task.lead_text for task in tasks} == {
        "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    }
    assert tasks[2].deadline is not None
    assert tasks[2].deadline.due_on == dt.date(2026, 12, 15)
