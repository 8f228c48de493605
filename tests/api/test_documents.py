"""`/api/v1/documents`: list with filters, register, read."""

import datetime as dt

import pytest

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.tracking.models import Document, Task
from dondoc.tracking.services import document_register
from tests.conftest import make_user


@pytest.fixture
def library(office_user, office_agency, document):
    def register(symbol, title, **fields):
        return document_register(
            office_user,
            symbol=symbol,
            issuing_body=office_agency,
            issued_on=fields.pop("issued_on", dt.date(2025, 1, 1)),
            title=title,
            **fields,
        )

    return {
        "conclusion": document,
        "resolution": register(
            "57-NQ/TW",
            "Đột phá phát triển khoa học, công nghệ",
            is_strategic=True,
            issued_on=dt.date(2024, 12, 22),
        ),
        "directive": register("45-CT/TW", "Lãnh đạo đại hội đảng bộ các cấp"),
    }


def test_list_filters_by_type_strategic_and_text(api, lead_focal, library):
    client = api(lead_focal)

    def symbols(**params):
        response = client.get("documents", **params)
        assert response.status_code == 200, response.content.decode()
        return {item["symbol"] for item in response.json()["items"]}

    assert symbols() == {"35-KL/TW", "57-NQ/TW", "45-CT/TW"}
    assert symbols(type="NQ") == {"57-NQ/TW"}
    assert symbols(strategic="true") == {"57-NQ/TW"}
    assert symbols(strategic="false") == {"35-KL/TW", "45-CT/TW"}
    assert symbols(q="khoa hoc cong nghe") == {"57-NQ/TW"}
    assert symbols(q="45-ct") == {"45-CT/TW"}
    assert client.get("documents", type="XX").status_code == 422


def test_list_is_newest_first_and_paged(api, lead_focal, library):
    client = api(lead_focal)
    first = client.get("documents", limit=2).json()
    assert first["count"] == 3
    assert [item["symbol"] for item in first["items"]] == ["35-KL/TW", "45-CT/TW"]
    assert [i["symbol"] for i in client.get("documents", limit=2, offset=2).json()["items"]] == [
        "57-NQ/TW"
    ]
    assert client.get("documents", limit=101).status_code == 422


def test_list_query_count(api, lead_focal, library, django_assert_num_queries):
    client = api(lead_focal)
    client.get("documents")
    with django_assert_num_queries(5):  # address check, token+user, roles, count, page
        assert client.get("documents").json()["count"] == 3


def test_register_parses_the_symbol(api, office_user, office_agency):
    response = api(office_user).post(
        "documents",
        {
            "symbol": "Số 12/2025/NĐ-CP",
            "issuing_body": "VPTW",
            "issued_on": "2025-02-03",
            "title": "Nghị định về tổ chức các cơ quan",
            "urgency": "khan",
            "classification": 1,
            "term": "XV",
            "full_text": "Toàn văn…",
        },
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["doc_type"], body["number"], body["issuer_code"]) == ("NĐ", 12, "CP")
    assert body["issuing_body"] == {"code": "VPTW", "name": "Văn phòng Trung ương Đảng"}
    assert (body["urgency"], body["classification"], body["term"]) == ("khan", 1, "XV")
    assert body["full_text"] == "Toàn văn…"
    assert body["task_count"] == 0


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"symbol": "NQ 57"}, 400, "malformed_symbol"),
        ({"symbol": "57-XY/TW"}, 400, "unknown_type"),
        ({"issuing_body": "KHONGCO"}, 400, "unknown_agency"),
        ({"symbol": "35-KL/TW"}, 400, "duplicate_document"),
        ({"title": ""}, 400, "blank"),
        ({"term": "x" * 17}, 400, "max_length"),
        ({"urgency": "rat_khan"}, 422, "invalid_input"),
        ({"classification": 7}, 422, "invalid_input"),
        ({"issued_on": "01/02/2025"}, 422, "invalid_input"),
    ],
)
def test_register_refusals(api, office_user, document, change, status, code):
    body = {
        "symbol": "40-KL/TW",
        "issuing_body": "VPTW",
        "issued_on": "2025-02-03",
        "title": "Kết luận",
    }
    response = api(office_user).post("documents", {**body, **change})
    assert response.status_code == status, response.content.decode()
    assert response.json()["code"] == code
    assert Document.objects.count() == 1


def test_detail_counts_only_the_tasks_the_caller_sees(
    api, office_user, unrelated_focal, lead_focal, document, task
):
    assert api(office_user).get(f"documents/{document.pk}").json()["task_count"] == 1
    assert api(lead_focal).get(f"documents/{document.pk}").json()["task_count"] == 1
    assert api(unrelated_focal).get(f"documents/{document.pk}").json()["task_count"] == 0
    assert api(office_user).get("documents/987654").json()["code"] == "not_found"


def test_a_top_secret_document_is_registered_without_its_full_text(api, keeper):
    body = {"symbol": "12-KL/TW", "issuing_body": "VPTW", "issued_on": "2025-02-03",
            "title": "Kết luận", "classification": Clearance.TOP_SECRET}  # fmt: skip
    refused = api(keeper).post("documents", {**body, "full_text": "Nội dung tuyệt mật"})
    assert refused.status_code == 400, refused.content.decode()
    assert refused.json()["code"] == "top_secret_full_text"
    assert "full_text" in refused.json()["fields"]
    assert not Document.objects.exists()
    assert api(keeper).post("documents", body).status_code == 201  # the reference alone


def test_the_office_edits_a_document_with_the_version_it_read(api, office_user, document):
    client = api(office_user)
    read = client.get(f"documents/{document.pk}").json()
    assert read["version"] == 1
    response = client.patch(f"documents/{document.pk}", {
        "version": 1, "title": "Kết luận về sắp xếp tổ chức bộ máy",
        "full_text": "1. Tiếp tục sắp xếp…", "is_strategic": True,
    })  # fmt: skip
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert (body["title"], body["full_text"], body["is_strategic"], body["version"]) == (
        "Kết luận về sắp xếp tổ chức bộ máy", "1. Tiếp tục sắp xếp…", True, 2,
    )  # fmt: skip
    assert body["symbol"] == "35-KL/TW"  # what was not sent is kept
    stale = client.patch(f"documents/{document.pk}", {"version": 1, "title": "Ghi đè"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "edit_conflict"
    assert stale.json()["fields"]["version"] == ["Phiên bản hiện tại là 2."]
    document.refresh_from_db()
    assert (document.title, document.version) == ("Kết luận về sắp xếp tổ chức bộ máy", 2)


def test_only_the_office_edits_and_nobody_edits_what_they_cannot_see(
    api, lead_focal, unrelated_focal, leader, document, task
):
    assert api(lead_focal).patch(f"documents/{document.pk}", {"version": 1, "title": "x"}
                                 ).json()["code"] == "forbidden"  # fmt: skip
    assert api(leader).patch(f"documents/{document.pk}", {"version": 1, "title": "x"}
                             ).status_code == 403  # fmt: skip
    document.classification = Clearance.SECRET
    document.save()
    assert api(unrelated_focal).patch(f"documents/{document.pk}", {"version": 1, "title": "x"}
                                      ).status_code == 404  # fmt: skip


@pytest.fixture
def keeper(office_agency):
    """An office specialist cleared for Tuyệt mật."""
    return make_user("vanthu.mat", office_agency, RoleCode.OFFICE, clearance=Clearance.TOP_SECRET)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"symbol": "NQ 57"}, 400, "malformed_symbol"),
        ({"issuing_body": "KHONGCO"}, 400, "unknown_agency"),
        ({"title": None}, 422, "invalid_input"),
        ({"colour": "đỏ"}, 422, "invalid_input"),
        ({"classification": 3, "full_text": "Nội dung"}, 400, "top_secret_full_text"),
    ],
)
def test_edit_refusals_change_nothing(api, keeper, document, change, status, code):
    response = api(keeper).patch(f"documents/{document.pk}", {"version": 1, **change})
    assert response.status_code == status, response.content.decode()
    assert response.json()["code"] == code
    document.refresh_from_db()
    assert (document.version, document.symbol, document.full_text) == (1, "35-KL/TW", "")


def test_an_issue_date_after_open_tasks_deadlines_is_refused_naming_them(
    api, office_user, lead_agency, document
):
    def make(title, due, **facts):
        return Task.objects.create(title=title, lead_agency=lead_agency, document=document,
                                   due_on=due, created_on=dt.date(2025, 3, 1), **facts)  # fmt: skip

    for n in range(6):
        make(f"Việc số {n + 1}", dt.date(2025, 4, 1 + n))
    make("Việc đã xong", dt.date(2025, 3, 10), reported_done_on=dt.date(2025, 3, 9),
         accepted_on=dt.date(2025, 3, 10))  # fmt: skip
    make("Việc đã hủy", dt.date(2025, 3, 11), cancelled_on=dt.date(2025, 3, 5))
    client = api(office_user)
    refused = client.patch(f"documents/{document.pk}", {"version": 1, "issued_on": "2025-05-01"})
    assert refused.status_code == 400, refused.content.decode()
    assert refused.json()["code"] == "issued_after_deadlines"
    (message,) = refused.json()["fields"]["issued_on"]
    assert "Việc số 1 (01/04/2025)" in message
    assert "Việc số 5 (05/04/2025)" in message
    assert "Việc số 6" not in message
    assert "và 1 nhiệm vụ khác" in message
    assert "đã xong" not in message
    assert "đã hủy" not in message
    document.refresh_from_db()
    assert (document.issued_on, document.version) == (dt.date(2025, 3, 1), 1)
    # before the open tasks' deadlines (after those done or cancelled): accepted
    ok = client.patch(f"documents/{document.pk}", {"version": 1, "issued_on": "2025-03-20"})
    assert ok.status_code == 200, ok.content.decode()
    assert ok.json()["issued_on"] == "2025-03-20"
