"""The three files say what the figures say: DOCX and XLSX read back, PDF rendered and read."""

import datetime as dt
import io
import unicodedata

import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument
from docx.shared import Pt
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from dondoc.reviews.charts import review_charts
from dondoc.reviews.content import review_content
from dondoc.reviews.figures import review_figures
from dondoc.reviews.periods import period_parse, scope_parse
from dondoc.reviews.services import review_render

from .conftest import NOW

SHEETS = ["Tổng hợp", "Theo văn bản", "Theo cơ quan", "Quá hạn", "Vướng mắc", "Gia hạn"]


@pytest.fixture
def figures(world):
    return review_figures(period_parse("2026-10"), scope_parse("all"), now=NOW)


@pytest.fixture
def files(figures):
    return review_render(figures, ["docx", "pdf", "xlsx"])


def nfc_words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# DOCX ---------------------------------------------------------------------------------------------


def test_docx_has_the_party_header_title_and_date_line(files):
    doc = WordDocument(io.BytesIO(files["docx"]))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG", "*", "Số       -BC/VPTW",
    ]  # fmt: skip
    assert left.paragraphs[1].runs[0].bold
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[0].runs[0].bold
    assert right.paragraphs[0].runs[0].underline
    date_line = right.paragraphs[-1]
    assert date_line.text == "Hà Nội, ngày 26 tháng 11 năm 2026"
    assert date_line.runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kiểm điểm tiến độ thực hiện nhiệm vụ tháng 10 năm 2026" in texts
    headings = [
        t for t in texts if t[:4] in {"I. T", "II. ", "III.", "IV. ", "V. V", "VI. ", "VII."}
    ]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert "Chưa có dự báo." in texts
    signature = doc.tables[-1].rows[0].cells
    assert signature[0].paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in signature[1].paragraphs][:2] == ["T/L BAN BÍ THƯ", "CHÁNH VĂN PHÒNG"]


def test_docx_headline_and_tables_carry_the_figures(files, figures):
    doc = WordDocument(io.BytesIO(files["docx"]))
    body = " ".join(p.text for p in doc.paragraphs)
    assert "3 nhiệm vụ chưa hoàn thành, quá hạn, chiếm 30,00% số nhiệm vụ phải thực hiện" in body
    status = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert status[0][0] == "Tình trạng"
    assert ["Chưa hoàn thành, quá hạn", "3", "30,00", "3", "0"] in status
    assert ["Hoàn thành quá hạn", "1", "10,00", "0", "+1"] in status
    assert ["Chưa hoàn thành, trong hạn", "1", "10,00", "5", "\u22124"] in status
    assert status[-1] == ["Tổng số nhiệm vụ đã giao", "11", "", "11", "0"]
    by_document = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    rows = {row[1].split(" — ")[0]: row[2:] for row in by_document[1:]}  # newest document first
    assert list(rows) == ["Chỉ thị số 45-CT/TW", "Nghị quyết số 57-NQ/TW",
                          "Ý kiến chỉ đạo và nhiệm vụ khác", "Tổng cộng"]  # fmt: skip
    assert rows["Nghị quyết số 57-NQ/TW"] == ["5", "1", "1", "2", "0", "1", "20,00"]
    assert by_document[-1][1:] == ["Tổng cộng", "10", "1", "1", "4", "1", "3", "30,00"]
    by_agency = [[c.text for c in row.cells] for row in doc.tables[3].rows]
    assert by_agency[1][1:] == ["Ban Tổ chức Trung ương", "6", "1", "1", "2", "0", "2", "33,33"]
    overdue = [[c.text for c in row.cells] for row in doc.tables[4].rows]
    assert [(r[4], r[5]) for r in overdue[1:]] == [("20/09/2026", "41"), ("01/10/2026", "30"),
                                                  ("20/10/2026", "11")]  # fmt: skip
    assert overdue[2][1].endswith("(trọng tâm)")
    assert len(doc.tables[5].rows) == 1 + len(figures["obstacles"])
    assert len(doc.tables[6].rows) == 1 + len(figures["extensions"])


def test_docx_embeds_the_charts_as_images(files):
    doc = WordDocument(io.BytesIO(files["docx"]))
    assert len(doc.inline_shapes) == 2
    assert all(shape.width > 0 for shape in doc.inline_shapes)


def test_docx_is_in_times_new_roman_13_to_14_pt(files):
    doc = WordDocument(io.BytesIO(files["docx"]))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert {
        fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")
    } == {"Times New Roman"}
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in {None, "Times New Roman"}
    body = next(p for p in doc.paragraphs if p.text.startswith("Tính đến ngày"))
    assert body.style.name == "Normal"
    assert body.runs[0].font.size is None  # the style's 14 pt


def test_charts_are_png_images(figures):
    charts = review_charts(figures)
    assert set(charts) == {"status", "agencies"}
    for png in charts.values():
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert image.width > 800


# XLSX ---------------------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_table_with_the_numbers(files):
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == SHEETS
    summary = [row for row in book["Tổng hợp"].iter_rows(values_only=True) if row[0]]
    assert summary[0][0] == "Kiểm điểm tiến độ thực hiện nhiệm vụ tháng 10 năm 2026"
    assert ("Chưa hoàn thành, quá hạn", 3, 30.0, 3, 0) in summary
    agencies = list(book["Theo cơ quan"].iter_rows(min_row=3, values_only=True))
    assert agencies[0] == (1, "Ban Tổ chức Trung ương", 6, 1, 1, 2, 0, 2, 33.33)
    assert agencies[1] == (2, "Thành ủy Hà Nội", 4, 0, 0, 2, 1, 1, 25.0)
    assert agencies[-1][1:] == ("Tổng cộng", 10, 1, 1, 4, 1, 3, 30.0)
    sheet = book["Theo cơ quan"]
    first, total = sheet["C3"], sheet.cell(sheet.max_row, 3)
    assert (first.number_format, first.border.left.style, first.font.b) == ("#,##0", "thin", False)
    assert total.font.b
    assert sheet["B3"].alignment.wrap_text
    overdue = list(book["Quá hạn"].iter_rows(min_row=3, values_only=True))
    assert [(row[4].date(), row[5]) for row in overdue] == [
        (dt.date(2026, 9, 20), 41), (dt.date(2026, 10, 1), 30), (dt.date(2026, 10, 20), 11),
    ]  # fmt: skip
    assert book["Quá hạn"]["E3"].number_format == "DD/MM/YYYY"
    obstacles = list(book["Vướng mắc"].iter_rows(min_row=3, values_only=True))
    assert [row[2] for row in obstacles] == ["Thành ủy Hà Nội", "Thành ủy Hà Nội"]
    extensions = list(book["Gia hạn"].iter_rows(min_row=3, values_only=True))
    assert [(row[3].date(), row[4].date()) for row in extensions] == [
        (dt.date(2026, 10, 20), dt.date(2026, 11, 30))
    ]


def test_xlsx_lists_every_row_even_beyond_what_print_shows(figures, monkeypatch):
    from dondoc.reviews import content

    monkeypatch.setattr(content, "PRINT_LIMIT", 1)
    files = review_render(figures, ["xlsx", "docx"])
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book["Quá hạn"].max_row == 2 + 3
    doc = WordDocument(io.BytesIO(files["docx"]))
    assert len(doc.tables[4].rows) == 2
    assert any("danh sách đầy đủ tại trang “Quá hạn”" in p.text for p in doc.paragraphs)


# PDF ----------------------------------------------------------------------------------------------


@pytest.fixture
def pdf_path(files, tmp_path):
    path = tmp_path / "kiem-diem.pdf"
    path.write_bytes(files["pdf"])
    return path


def pdf_text(pdf_path) -> str:
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_pdf_text_is_the_vietnamese_of_the_report(pdf_path):
    text = nfc_words(pdf_text(pdf_path))
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BAN CHẤP HÀNH TRUNG ƯƠNG",
        "Hà Nội, ngày 26 tháng 11 năm 2026",
        "BÁO CÁO",
        "Báo cáo kiểm điểm tiến độ thực hiện nhiệm vụ tháng 10 năm 2026",
        "Chưa hoàn thành, quá hạn",
        "Ban Tổ chức Trung ương",
        "Thành ủy Hà Nội",
        "I. TÌNH HÌNH CHUNG",
        "VII. DỰ BÁO NHIỆM VỤ CÓ NGUY CƠ CHẬM",
        "Chưa có dự báo.",
        "T/L BAN BÍ THƯ",
        "chiếm 30,00% số nhiệm vụ phải thực hiện",
    ]:
        assert expected in text, expected
    assert "\ufffd" not in text


def pdf_fonts(pdf_path) -> dict[str, tuple[bool, bool]]:
    """Each font's name -> (embedded, has a ToUnicode map), as poppler's pdffonts lists them."""
    fonts = {}
    for page in PdfReader(pdf_path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant.get("/FontDescriptor", {})
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = (embedded, "/ToUnicode" in font)
    return fonts


def test_pdf_embeds_the_dejavu_fonts(pdf_path):
    fonts = pdf_fonts(pdf_path)
    assert fonts
    for name, (embedded, unicode) in fonts.items():
        assert "DejaVuSerif" in name
        assert (embedded, unicode) == (True, True), name


def test_pdf_renders_to_a_page_image_with_the_charts(pdf_path, tmp_path):
    reader = PdfReader(pdf_path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == (595.28, 841.89)  # A4
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        pages = [pdf[index].render(scale=50 / 72).to_pil() for index in range(2)]
    finally:
        pdf.close()
    first = pages[0].convert("L")
    assert first.height > first.width  # an A4 portrait page
    dark = sum(first.histogram()[:128])
    assert dark > 2000  # text was drawn, not an empty page
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 2  # the charts


def test_same_figures_make_the_same_content(figures):
    assert review_content(figures) == review_content(figures)
