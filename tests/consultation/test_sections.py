import io

import docx

from dondoc.consultation.sections import parse_docx, parse_markdown, reference_keys


def test_a_law_is_split_into_chapters_and_articles_with_their_text():
    parsed = parse_markdown(
        "Chương I. Quy định chung\nĐiều 1. Phạm vi\nLuật này quy định...\n"
        "Điều 2. Đối tượng\nCơ quan, tổ chức.\nChương II\nĐiều 3. Quy hoạch\n"
    )
    assert [(p.number, p.heading) for p in parsed] == [
        ("Chương I", "Quy định chung"), ("Điều 1", "Phạm vi"), ("Điều 2", "Đối tượng"),
        ("Chương II", ""), ("Điều 3", "Quy hoạch"),
    ]  # fmt: skip
    assert parsed[1].body == "Luật này quy định..."
    assert [p.level for p in parsed] == [2, 4, 4, 2, 4]


def test_a_political_report_is_split_on_its_numbered_headings_and_keeps_long_paragraphs():
    long = "1. " + "Tiếp tục đổi mới mạnh mẽ phương thức lãnh đạo của Đảng " * 5
    parsed = parse_markdown(f"Mở đầu\nI. Đánh giá tình hình\n1. Kinh tế\n{long}\nII. Mục tiêu\n")
    assert [p.number for p in parsed] == ["", "I", "1", "II"]
    assert parsed[0].body == "Mở đầu"
    assert parsed[2].body.startswith("1. Tiếp tục")


def test_docx_headings_and_numbered_articles_become_sections():
    document = docx.Document()
    document.add_heading("Phần thứ nhất", level=1)
    document.add_paragraph("Điều 5. Nguyên tắc")
    document.add_paragraph("Bảo đảm công khai, minh bạch.")
    stream = io.BytesIO()
    document.save(stream)
    stream.seek(0)
    parsed = parse_docx(stream)
    assert [(p.number, p.heading, p.body) for p in parsed] == [
        ("Phần thứ nhất", "", ""), ("Điều 5", "Nguyên tắc", "Bảo đảm công khai, minh bạch."),
    ]  # fmt: skip


def test_comments_refer_to_sections_in_their_own_words():
    assert reference_keys("Điều 12") == {"điều 12"}
    assert reference_keys("II") == {"mục ii", "phần ii"}
