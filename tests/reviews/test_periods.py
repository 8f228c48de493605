"""Periods and scopes are written as short codes and parsed with a Vietnamese message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dondoc.reviews.periods import period_parse, scope_parse


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "label"),
    [
        ("2026-10", "month", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "tháng 10 năm 2026"),
        ("2026-2", "month", dt.date(2026, 2, 1), dt.date(2026, 2, 28), "tháng 2 năm 2026"),
        ("2028-02", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "tháng 2 năm 2028"),
        ("2026-Q3", "quarter", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quý III năm 2026"),
        ("2026-q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quý I năm 2026"),
        ("2026", "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026"),
        (
            "2026-01-01..2026-03-31",
            "custom",
            dt.date(2026, 1, 1),
            dt.date(2026, 3, 31),
            "từ ngày 01/01/2026 đến ngày 31/03/2026",
        ),
        (" 2026-10 ", "month", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "tháng 10 năm 2026"),
    ],
)
def test_period_codes_are_parsed(code, kind, start, end, label):
    period = period_parse(code)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)
    assert period_parse(period.code) == period


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2026-10", ("2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 30))),
        ("2026-01", ("2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31))),
        ("2026-03", ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ("2026-Q1", ("2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31))),
        ("2026-Q3", ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        ("2026", ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
        (
            "2026-01-01..2026-03-31",
            ("2025-10-03..2025-12-31", dt.date(2025, 10, 3), dt.date(2025, 12, 31)),
        ),
    ],
)
def test_the_previous_period_has_the_same_length_and_ends_the_day_before(code, previous):
    before = period_parse(code).previous()
    assert (before.code, before.start, before.end) == previous
    assert before.end == period_parse(code).start - dt.timedelta(days=1)


@pytest.mark.parametrize(
    "code",
    ["", "tháng 10", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26", "2026-02-30..2026-03-01",
     "2026-03-31..2026-01-01", "2026-01-01..", "2026/10", "10-2026"],
)  # fmt: skip
def test_invalid_periods_are_refused_in_vietnamese(code):
    with pytest.raises(ValidationError) as refused:
        period_parse(code)
    assert refused.value.code == "bad_period"
    assert "Kỳ báo cáo" in refused.value.messages[0]
    assert (
        "không hợp lệ" in refused.value.messages[0] or "ngày bắt đầu" in refused.value.messages[0]
    )


def test_scopes_name_what_they_cover(world):
    assert scope_parse("all").code == "all"
    assert scope_parse("strategic").label == "Các nghị quyết chiến lược"
    issuer = scope_parse("issuer:bct")
    assert (issuer.code, issuer.agency_id, issuer.name) == (
        "issuer:BCT",
        world.politburo.pk,
        "Bộ Chính trị",
    )
    document = scope_parse("document:57-nq/tw")
    assert (document.code, document.name) == ("document:57-NQ/TW", "Nghị quyết số 57-NQ/TW")
    agency = scope_parse("agency:BTCTW")
    assert agency.agency_id == world.btctw.pk
    assert agency.phrase == "do Ban Tổ chức Trung ương chủ trì"
    assert agency.slug == "agency-btctw"
    assert document.slug == "document-57-nq-tw"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("everything", ""),
        ("agency:KHONGCO", "không có cơ quan mã KHONGCO"),
        ("issuer:", ""),
        ("document:99-NQ/TW", "không có văn bản số 99-NQ/TW"),
        ("strategic:x", ""),
    ],
)
def test_invalid_scopes_are_refused_in_vietnamese(world, code, reason):
    with pytest.raises(ValidationError) as refused:
        scope_parse(code)
    assert refused.value.code == "bad_scope"
    assert f"Phạm vi “{code}” không hợp lệ" in refused.value.messages[0]
    assert reason in refused.value.messages[0]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("tháng 11 năm 2026", "2026-11"),
        ("Tháng 2/2026", "2026-02"),
        ("quý III năm 2026", "2026-Q3"),
        ("quý 4/2025", "2025-Q4"),
        ("năm 2026", "2026"),
        ("từ ngày 01/01/2026 đến ngày 31/03/2026", "2026-01-01..2026-03-31"),
    ],
)
def test_periods_are_read_back_from_their_labels(label, code):
    assert period_parse(label).code == code
    assert period_parse(period_parse(code).label).code == code


def test_scopes_are_read_back_from_the_labels_the_form_offers(world):
    assert scope_parse("Toàn bộ nhiệm vụ").code == "all"
    assert scope_parse("các nghị quyết chiến lược").code == "strategic"
    assert scope_parse("Văn bản của Bộ Chính trị").code == "issuer:BCT"
    assert scope_parse("Do Ban Tổ chức Trung ương chủ trì").code == "agency:BTCTW"
    document = scope_parse("Nghị quyết số 57-NQ/TW")
    assert (document.code, document.label) == ("document:57-NQ/TW", "Nghị quyết số 57-NQ/TW")
    with pytest.raises(ValidationError) as refused:
        scope_parse("Do Ban Không Có chủ trì")
    assert "không có cơ quan tên Ban Không Có" in refused.value.messages[0]
