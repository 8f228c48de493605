"""`/api/v1/documents`: list with filters, register, read."""

import datetime as dt

import pytest

from dondoc.tracking.models import Document
from dondoc.tracking.services import document_register


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
