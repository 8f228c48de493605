"""A hall's seat plan imported from a CSV or XLSX file (`congress/hall_import.py`): a good file
replaces the hall with its seats, ranked for the solver; every bad line is reported with its
line number in Vietnamese and nothing is written; once anyone is seated the file is refused;
only the secretariat imports, from the seating page."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.hall_import import MAX_ERRORS
from dondoc.congress.models import GuestReply, Seat, SeatAssignment, SeatZone
from dondoc.congress.services import GuestData
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
AFTER_CLOSING = dt.datetime(2026, 1, 30, 9, tzinfo=dt.UTC)
HEADER = "Khu,Khu vực,Hàng,Ghế,Thuận tiện,x,y"
GOOD = """Khu,Khu vực,Hàng,Ghế,Thuận tiện
Đoàn Chủ tịch,S,1,1-6,
Đại biểu,A,1,1,có
Đại biểu,A,1,2-8,
Đại biểu,A,2,1-8,
Đại biểu,B,1,1-8,
Đại biểu,B,2,1-7,
Đại biểu,B,2,8,x
Khách mời,K,1,1-10,
Báo chí,P,1,1-10,
"""


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def _codes(error: ValidationError) -> set[str | None]:
    return {e.code for e in error.error_list}


def _seats(congress) -> set[tuple[str, str, int, int, bool]]:
    return set(
        Seat.objects.filter(congress=congress).values_list(
            "zone", "section", "row", "number", "accessible"
        )
    )


@time_machine.travel(BEFORE, tick=False)
def test_a_good_csv_replaces_the_hall_and_the_delegates_can_be_seated_in_it(congress, secretary):
    count = services.hall_import(secretary, congress, "hoi-truong.csv", _csv(GOOD))

    assert count == 6 + 8 + 8 + 8 + 8 + 10 + 10
    seats = _seats(congress)
    assert len(seats) == count
    assert ("stage", "S", 1, 6, False) in seats
    assert ("delegates", "A", 1, 1, True) in seats
    assert ("delegates", "B", 2, 8, True) in seats
    assert ("delegates", "A", 2, 8, False) in seats
    assert ("guests", "K", 1, 10, False) in seats
    assert ("press", "P", 1, 1, False) in seats
    ranks = list(
        Seat.objects.filter(congress=congress, zone=SeatZone.DELEGATES).values_list(
            "rank", flat=True
        )
    )
    assert sorted(ranks) == list(range(32))
    assert not Seat.objects.filter(congress=congress, rank__isnull=False).exclude(
        zone=SeatZone.DELEGATES
    )
    entry = AuditEntry.objects.get(action="hall_import")
    assert entry.actor == secretary
    result = services.seating_solve(secretary, congress)
    assert result.seated == SeatAssignment.objects.filter(seat__congress=congress).count() > 0
    needing = SeatAssignment.objects.get(delegate__needs_accessible_seat=True)
    assert needing.seat.accessible


@time_machine.travel(BEFORE, tick=False)
def test_an_xlsx_with_english_headers_places_each_run_of_seats_where_it_says(congress, secretary):
    rows: list[list[object]] = [
        ["Zone", "Section", "Row", "Seat", "Accessible", "X", "Y"],
        ["stage", "S", 1, "1-4", None, 100, 5],
        [None] * 7,  # an empty line is skipped
        ["delegates", "A", 1, "1-20", "yes", 0, 40],
        ["delegates", "A", 2, 1.0, None, 0, 50],  # Excel's numbers arrive as floats
    ]
    count = services.hall_import(secretary, congress, "HALL.XLSX", _xlsx(rows))

    assert count == 4 + 20 + 1
    placed = dict(
        Seat.objects.filter(congress=congress, section="A", row=1).values_list("number", "x")
    )
    assert placed[1] == 0
    assert placed[20] == 19 * 6  # a seat is 6 dm wide
    assert Seat.objects.get(congress=congress, section="S", number=1).y == 5
    assert Seat.objects.filter(congress=congress, section="A", row=1, accessible=True).count() == 20


@time_machine.travel(BEFORE, tick=False)
def test_a_semicolon_csv_from_excel_with_its_bom_and_unaccented_headers_is_read(
    congress, secretary
):
    text = "\ufeffKHU;KHU VUC;HANG;GHE\nDai bieu;A;1;1 - 10\nSan khau;S;1;1-3\n"
    assert services.hall_import(secretary, congress, "plan.csv", _csv(text)) == 13
    assert Seat.objects.filter(congress=congress, zone=SeatZone.STAGE).count() == 3


BAD_LINES = [
    ("Hậu trường,A,1,1,,,", "Dòng 3: khu «Hậu trường» không hợp lệ"),
    ("Đại biểu,,1,1,,,", "Dòng 3: khu vực phải có, tối đa 16 ký tự."),
    ("Đại biểu,ABCDEFGHIJKLMNOPQ,1,1,,,", "Dòng 3: khu vực phải có, tối đa 16 ký tự."),
    ("Đại biểu,A,một,1,,,", "Dòng 3: hàng «một» phải là số nguyên dương."),
    ("Đại biểu,A,0,1,,,", "Dòng 3: hàng «0» phải là số nguyên dương."),
    ("Đại biểu,A,²,1,,,", "Dòng 3: hàng «²» phải là số nguyên dương."),
    ("Đại biểu,A,2,ghế đầu,,,", "Dòng 3: ghế «ghế đầu» phải là số hoặc khoảng số tăng dần"),
    ("Đại biểu,A,2,30-1,,,", "Dòng 3: ghế «30-1» phải là số hoặc khoảng số tăng dần"),
    ("Đại biểu,A,2,0-4,,,", "Dòng 3: ghế «0-4» phải là số hoặc khoảng số tăng dần"),
    ("Đại biểu,A,2,1,có lẽ,,", "Dòng 3: cột thuận tiện ghi «có» hoặc để trống, không ghi «có lẽ»."),
    ("Đại biểu,A,2,1,,5,", "Dòng 3: x và y phải cùng có, là số nguyên từ 0 đến 99999"),
    ("Đại biểu,A,2,1,,-5,3", "Dòng 3: x và y phải cùng có"),
    ("Đại biểu,A,2,1,,²,3", "Dòng 3: x và y phải cùng có"),
    ("Đại biểu,A,2,1,,99999999999,3", "Dòng 3: x và y phải cùng có"),
    ("Đại biểu,A,1,5-8,,,", "Dòng 3: ghế A-1-5 trùng với dòng 2."),
    ("Khách mời,A,2,1,,,", "Dòng 3: khu vực A đã thuộc khu khác ở dòng 2."),
]


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_each_bad_line_is_named_in_vietnamese_and_the_hall_is_left_as_it_was(
    congress, secretary, line, message
):
    before = set(Seat.objects.filter(congress=congress).values_list("pk", flat=True))
    text = f"{HEADER}\nĐại biểu,A,1,1-6,,,\n{line}\n"

    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "hoi-truong.csv", _csv(text))

    assert _codes(refused.value) == {Code.HALL_INVALID}
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages
    assert set(Seat.objects.filter(congress=congress).values_list("pk", flat=True)) == before
    assert not AuditEntry.objects.filter(action="hall_import").exists()


@time_machine.travel(BEFORE, tick=False)
def test_every_problem_of_the_file_is_listed_at_once_with_its_line(congress, secretary):
    text = (
        f"{HEADER}\nĐại biểu,A,1,1-6,,,\nĐại biểu,A,x,1,,,\nĐại biểu,B,1,1,,,\nBan công,C,1,1,,,\n"
    )
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "h.csv", _csv(text))
    assert [m.split(":")[0] for m in refused.value.messages] == ["Dòng 3", "Dòng 5"]


@time_machine.travel(BEFORE, tick=False)
def test_a_file_with_very_many_bad_lines_lists_the_first_ones_and_counts_the_rest(
    congress, secretary
):
    lines = "\n".join(f"Đại biểu,A,{i},không,,," for i in range(1, 41))
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "h.csv", _csv(f"{HEADER}\n{lines}\n"))
    messages = refused.value.messages
    assert len(messages) == MAX_ERRORS + 1
    assert messages[-1] == "… và 10 lỗi khác."


@time_machine.travel(BEFORE, tick=False)
def test_places_given_on_some_lines_only_are_refused(congress, secretary):
    text = f"{HEADER}\nĐại biểu,A,1,1-6,,0,40\nĐại biểu,A,2,1-6,,,\n"
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "h.csv", _csv(text))
    assert refused.value.messages == [
        "Dòng 3: x, y phải ghi ở mọi dòng hoặc bỏ trống ở mọi dòng (dòng 2 khác dòng này)."
    ]


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        (
            "hall.pdf",
            b"%PDF-1.7",
            Code.HALL_FORMAT,
            "Chỉ nhận tệp CSV, XLSX hoặc JSON (sơ đồ ghế của pretix).",
        ),
        (
            "hall",
            b"khu,khu vuc",
            Code.HALL_FORMAT,
            "Chỉ nhận tệp CSV, XLSX hoặc JSON (sơ đồ ghế của pretix).",
        ),
        (
            "hall.csv",
            "khu,hàng,ghế\nĐại biểu,1,1\n".encode(),
            Code.HALL_COLUMNS,
            "Dòng tiêu đề thiếu cột: khu vực.",
        ),
        ("hall.csv", b"", Code.HALL_COLUMNS, "Dòng tiêu đề thiếu cột: khu, khu vực, hàng, ghế."),
        (
            "hall.csv",
            "khu,khu vực,hàng,ghế\nĐại biểu,A,1,1\n".encode("utf-16"),
            Code.HALL_UNREADABLE,
            "Tệp CSV phải lưu với mã UTF-8 (trong Excel: «CSV UTF-8»).",
        ),
        ("hall.xlsx", b"not a workbook", Code.HALL_UNREADABLE, "Không đọc được tệp XLSX"),
        (
            "hall.csv",
            "khu,khu vực,hàng,ghế\nKhách mời,K,1,1-10\n".encode(),
            Code.HALL_INVALID,
            "Tệp không có ghế đại biểu nào.",
        ),
    ],
)
def test_a_file_that_cannot_be_a_hall_is_refused_in_words_and_nothing_is_written(
    congress, secretary, name, content, code, message
):
    before = _seats(congress)
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, name, io.BytesIO(content))
    assert _codes(refused.value) == {code}
    assert refused.value.messages[0].startswith(message)
    assert _seats(congress) == before


@time_machine.travel(BEFORE, tick=False)
def test_once_delegates_are_seated_the_hall_file_is_refused(congress, secretary):
    services.seating_solve(secretary, congress)
    before = _seats(congress)
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "h.csv", _csv(GOOD))
    assert _codes(refused.value) == {Code.HALL_SEATED}
    assert refused.value.messages == ["Hội trường đã xếp chỗ: không thay sơ đồ ghế được nữa."]
    assert _seats(congress) == before


@time_machine.travel(BEFORE, tick=False)
def test_a_seated_guest_alone_is_enough_to_refuse_the_hall_file(congress, secretary):
    guest = services.guest_invite(
        secretary,
        congress,
        GuestData("international", "Khách Lào", "Đại sứ", "Đảng NDCM Lào", 1, "", ""),
    )
    services.guest_reply(secretary, guest, GuestReply.ACCEPTED)
    services.seating_solve(secretary, congress)
    SeatAssignment.objects.filter(seat__congress=congress).delete()
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "h.csv", _csv(GOOD))
    assert _codes(refused.value) == {Code.HALL_SEATED}


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize("who", ["documents_member", "verifier", "office_user"])
def test_only_the_secretariat_imports_a_hall(congress, who, request):
    user = request.getfixturevalue(who)
    before = _seats(congress)
    with pytest.raises(CongressActionRefused):
        services.hall_import(user, congress, "h.csv", _csv(GOOD))
    url = reverse("congress:hall_import", args=[congress.pk])
    upload = io.BytesIO(GOOD.encode())
    upload.name = "h.csv"
    assert client_for(user).post(url, {"file": upload}).status_code == 403
    page = client_for(user).get(reverse("congress:seating", args=[congress.pk]))
    assert "Nhập sơ đồ ghế từ tệp" not in page.content.decode()
    assert _seats(congress) == before


def test_a_closed_congress_takes_no_hall_file(congress, secretary):
    with time_machine.travel(AFTER_CLOSING, tick=False), pytest.raises(CongressActionRefused):
        services.hall_import(secretary, congress, "h.csv", _csv(GOOD))


def test_an_agency_focal_point_cannot_reach_the_import(congress, lead_focal):
    upload = io.BytesIO(GOOD.encode())
    upload.name = "h.csv"
    with time_machine.travel(BEFORE, tick=False):
        response = client_for(lead_focal).post(
            reverse("congress:hall_import", args=[congress.pk]), {"file": upload}
        )
    assert response.status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_the_secretary_uploads_a_hall_from_the_seating_page(congress, secretary):
    client = client_for(secretary)
    url = reverse("congress:seating", args=[congress.pk])
    assert "Nhập sơ đồ ghế từ tệp" in client.get(url).content.decode()
    upload = io.BytesIO(GOOD.encode())
    upload.name = "hoi-truong.csv"

    page = client.post(
        reverse("congress:hall_import", args=[congress.pk]), {"file": upload}, follow=True
    )

    assert "Đã nhập sơ đồ hội trường: 58 ghế." in page.content.decode()
    assert Seat.objects.filter(congress=congress).count() == 58


@time_machine.travel(BEFORE, tick=False)
def test_the_page_lists_each_bad_line_and_keeps_the_old_hall(congress, secretary):
    before = _seats(congress)
    upload = io.BytesIO(f"{HEADER}\nĐại biểu,A,1,1-6,,,\nĐại biểu,A,x,1,,,\n".encode())
    upload.name = "hoi-truong.csv"
    client = client_for(secretary)

    page = client.post(
        reverse("congress:hall_import", args=[congress.pk]), {"file": upload}, follow=True
    )

    assert "Dòng 3: hàng «x» phải là số nguyên dương." in page.content.decode()
    assert _seats(congress) == before
    missing = client.post(reverse("congress:hall_import", args=[congress.pk]), follow=True)
    assert "Chọn tệp sơ đồ ghế (CSV hoặc XLSX)." in missing.content.decode()


# The API: POST /api/v1/congress/{id}/hall, the same service -------------------------------


def _api_upload(api, user, congress, content: bytes, name: str = "hoi-truong.csv"):
    client = api(user)
    upload = io.BytesIO(content)
    upload.name = name
    return client.client.post(
        f"/api/v1/congress/{congress.pk}/hall", {"file": upload}, headers=client.headers
    )


@time_machine.travel(BEFORE, tick=False)
def test_the_api_imports_a_hall_file_as_the_page_does(api, congress, secretary):
    response = _api_upload(api, secretary, congress, GOOD.encode())

    assert response.status_code == 200
    assert response.json() == {"seats": 58}
    assert Seat.objects.filter(congress=congress).count() == 58
    entry = AuditEntry.objects.get(action="hall_import")
    assert entry.actor == secretary
    assert entry.changes["file"] == [None, "hoi-truong.csv"]


@time_machine.travel(BEFORE, tick=False)
def test_the_api_names_every_bad_line_in_vietnamese_and_writes_nothing(api, congress, secretary):
    before = _seats(congress)
    text = f"{HEADER}\nĐại biểu,A,1,1-6,,,\nĐại biểu,A,x,1,,,\nBan công,C,1,1,,,\n"

    response = _api_upload(api, secretary, congress, text.encode())

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "hall_invalid"
    assert body["fields"]["file"][0] == "Dòng 3: hàng «x» phải là số nguyên dương."
    assert [m.split(":")[0] for m in body["fields"]["file"]] == ["Dòng 3", "Dòng 4"]
    assert _seats(congress) == before
    assert not AuditEntry.objects.filter(action="hall_import").exists()


@time_machine.travel(BEFORE, tick=False)
def test_the_api_refuses_a_wrong_file_a_missing_file_and_a_seated_hall(api, congress, secretary):
    wrong = _api_upload(api, secretary, congress, b"%PDF-1.4", name="hoi-truong.pdf")
    assert (wrong.status_code, wrong.json()["code"]) == (400, Code.HALL_FORMAT)
    assert wrong.json()["fields"]["file"] == [
        "Chỉ nhận tệp CSV, XLSX hoặc JSON (sơ đồ ghế của pretix)."
    ]
    client = api(secretary)
    missing = client.client.post(f"/api/v1/congress/{congress.pk}/hall", headers=client.headers)
    assert missing.status_code == 422
    services.seating_solve(secretary, congress)
    seated = _api_upload(api, secretary, congress, GOOD.encode())
    assert (seated.status_code, seated.json()["code"]) == (400, Code.HALL_SEATED)


@pytest.mark.parametrize(
    ("who", "status"),
    [("documents_member", 403), ("verifier", 403), ("office_user", 403), ("lead_focal", 404)],
)
def test_only_the_secretariat_imports_a_hall_through_the_api(api, congress, who, status, request):
    before = _seats(congress)
    with time_machine.travel(BEFORE, tick=False):
        response = _api_upload(api, request.getfixturevalue(who), congress, GOOD.encode())
    assert response.status_code == status
    assert _seats(congress) == before


def test_a_closed_congress_takes_no_hall_file_through_the_api(api, congress, secretary):
    with time_machine.travel(AFTER_CLOSING, tick=False):
        response = _api_upload(api, secretary, congress, GOOD.encode())
    assert (response.status_code, response.json()["code"]) == (409, "congress_closed")
