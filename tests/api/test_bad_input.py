"""No bad input makes a 500: every POST and PATCH, and the list filters, are fed malformed
JSON, wrong types, huge numbers, unknown fields, bad dates, unknown agencies and text the
databases cannot store, and must answer 4xx with the JSON error format."""

import pytest

HUGE = 10**30

# Raw bodies that are not a JSON object at all.
RAW = [
    "{bad json",
    "{",
    "",
    "null",
    "[]",
    "[1, 2]",
    '"text"',
    "123",
    "true",
    "\xff\xfe",
    '{"a": NaN}',
]

# What each endpoint accepts; every case below is this with one thing broken.
VALID = {
    "documents": {
        "symbol": "40-KL/TW",
        "issuing_body": "VPTW",
        "issued_on": "2025-02-03",
        "title": "Kết luận",
    },
    "tasks": {"title": "Nhiệm vụ", "lead": "BTCTW", "due_on": "2026-06-30"},
    "patch": {"version": 1, "title": "Tên mới"},
    "reports": {"percent": 50, "narrative": "Đang làm"},
    "extensions": {"requested_due_on": "2030-01-01", "reason": "Chờ ý kiến"},
    "obstacles": {"text": "Vướng mắc"},
    "extract": {"text": "Giao Ban Tổ chức Trung ương chủ trì."},  # issued_on is optional
}

COMMON = [
    {"unknown_field": 1},
    {"__proto__": {}},
]

BROKEN = {
    "documents": [
        {"symbol": 57}, {"symbol": None}, {"symbol": ["57-NQ/TW"]}, {"symbol": "x" * 5000},
        {"issuing_body": "KHONGCO"}, {"issuing_body": 5}, {"issuing_body": "a\x00b"},
        {"issued_on": "2025-02-30"}, {"issued_on": "03/02/2025"}, {"issued_on": 20250203},
        {"issued_on": "2025-02-03T10:00:00"}, {"issued_on": ""}, {"issued_on": "99999-01-01"},
        {"title": {"a": 1}}, {"title": "a\x00b"}, {"title": "x" * 600},
        {"classification": HUGE}, {"classification": -1}, {"classification": "secret"},
        {"classification": 1.5}, {"urgency": "rat_khan"}, {"is_strategic": "maybe"},
        {"term": "x" * 40}, {"full_text": "\x00"},
    ],
    "tasks": [
        {"title": 5}, {"title": None}, {"title": ""}, {"title": "x" * 501}, {"title": "\x00"},
        {"lead": "KHONGCO"}, {"lead": None}, {"lead": ["BTCTW"]}, {"lead": "x" * 100},
        {"coordinating": "HANOI"}, {"coordinating": ["KHONGCO"]}, {"coordinating": [1, 2]},
        {"coordinating": ["HANOI"] * 500}, {"coordinating": [None]},
        {"document": HUGE}, {"document": -5}, {"document": 0}, {"document": "một"},
        {"document": 987654}, {"parent": HUGE}, {"parent": 987654}, {"parent": 1.5},
        {"due_on": "2026-13-01"}, {"due_on": "tháng 12"}, {"due_on": None}, {"due_on": 1e400},
        {"deadline_kind": "someday"}, {"priority": HUGE}, {"priority": 9}, {"priority": "high"},
        {"classification": HUGE}, {"classification": 3.7}, {"is_key": [True]},
        {"created_on": "2026-02-29"}, {"expected_product": "x" * 400},
        {"responsible_head": "x" * 300}, {"source_clause": "x" * 300}, {"description": 12},
    ],
    "patch": [
        {"version": None}, {"version": "one"}, {"version": HUGE}, {"version": -1}, {"version": 0},
        {"version": 1.5}, {"version": 99}, {"title": None}, {"lead": "KHONGCO"},
        {"coordinating": ["KHONGCO"]}, {"coordinating": None}, {"due_on": "2026-02-30"},
        {"due_on": None}, {"priority": HUGE}, {"classification": -3}, {"parent": HUGE},
        {"parent": 987654}, {"document": 1}, {"title": "x" * 501}, {"title": "\udc00"},
        {"deadline_kind": None}, {"is_key": None},
    ],
    "reports": [
        {"percent": HUGE}, {"percent": -HUGE}, {"percent": -1}, {"percent": 101},
        {"percent": "năm mươi"}, {"percent": 50.5}, {"percent": None}, {"percent": 1e400},
        {"narrative": ""}, {"narrative": None}, {"narrative": "\x00"}, {"narrative": ["a"]},
        {"is_final": "yes please"}, {"product": "x" * 301}, {"period": "x" * 33},
        {"period": 2025}, {"is_final": True},
    ],
    "extensions": [
        {"requested_due_on": "2030-02-30"}, {"requested_due_on": None},
        {"requested_due_on": "2000-01-01"}, {"requested_due_on": 2030},
        {"requested_due_on": "0001-01-01"}, {"reason": ""}, {"reason": None}, {"reason": "\x00"},
    ],
    "obstacles": [
        {"text": ""}, {"text": None}, {"text": 5}, {"text": "\x00"}, {"proposal": ["x"]},
        {"beyond_authority": "sometimes"}, {"text": "x" * 200_001},
    ],
    "extract": [
        {"text": ""}, {"text": None}, {"text": 5}, {"text": "\x00"}, {"issued_on": "2025-13-01"},
        {"text": "x" * 200_001},
    ],
}  # fmt: skip

ENDPOINTS = {
    "documents": ("post", "documents", "office_user"),
    "tasks": ("post", "tasks", "office_user"),
    "patch": ("patch", "tasks/{task}", "office_user"),
    "reports": ("post", "tasks/{task}/reports", "lead_focal"),
    "extensions": ("post", "tasks/{task}/extensions", "lead_focal"),
    "obstacles": ("post", "tasks/{task}/obstacles", "lead_focal"),
    "extract": ("post", "extract", "office_user"),
}


def cases():
    for endpoint in ENDPOINTS:
        for n, raw in enumerate(RAW):
            yield pytest.param(endpoint, None, raw, id=f"{endpoint}-raw{n}")
        for n, broken in enumerate(COMMON + BROKEN[endpoint]):
            yield pytest.param(endpoint, {**VALID[endpoint], **broken}, None, id=f"{endpoint}-{n}")
        required = ["version"] if endpoint == "patch" else VALID[endpoint]
        for field in required:
            body = {k: v for k, v in VALID[endpoint].items() if k != field}
            yield pytest.param(endpoint, body, None, id=f"{endpoint}-without-{field}")


def assert_client_error(response) -> None:
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) <= {"code", "message", "fields"}
    assert body["code"]
    assert body["message"]


@pytest.mark.parametrize(("endpoint", "body", "raw"), list(cases()))
def test_bad_input_is_a_4xx_json_error(request, api, task, office_agency, endpoint, body, raw):
    method, path, actor = ENDPOINTS[endpoint]
    client = api(request.getfixturevalue(actor))
    response = client.request(method, path.format(task=task.pk), body, raw=raw)
    assert_client_error(response)


def test_a_body_that_is_not_json_is_malformed(api, office_user):
    response = api(office_user).post("tasks", raw="{bad json")
    assert (response.status_code, response.json()["code"]) == (400, "malformed_body")


def test_a_body_over_the_upload_limit_is_too_large(api, office_user):
    response = api(office_user).post("tasks", raw='{"title": "' + "x" * 3_000_000 + '"}')
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert "2,5 MB" in response.json()["message"]


def test_too_many_query_parameters_is_a_bad_request(api, office_user):
    response = api(office_user).get("tasks", **{f"p{n}": n for n in range(1100)})
    assert (response.status_code, response.json()["code"]) == (400, "bad_request")


def test_schema_errors_are_422_with_vietnamese_field_messages(api, office_user):
    response = api(office_user).post(
        "tasks", {"title": 5, "lead": "BTCTW", "due_on": "2026-02-30", "colour": "red"}
    )
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "invalid_input"
    assert error["fields"] == {
        "title": ["Phải là chuỗi ký tự."],
        "due_on": ["Phải là ngày dạng YYYY-MM-DD."],
        "colour": ["Trường này không có trong API."],
    }


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"}, {"lead": "\x00"}, {"q": "a\x00b"}, {"q": "x" * 500},
        {"document": HUGE}, {"document": "abc"}, {"due_before": "2025-02-30"},
        {"due_after": "yesterday"}, {"strategic": "perhaps"}, {"limit": HUGE}, {"offset": HUGE},
        {"offset": -1}, {"priority": 7}, {"sort": "-hack"}, {"key": "[]"},
    ],
)  # fmt: skip
def test_bad_filters_are_a_4xx_json_error(api, office_user, task, params):
    assert_client_error(api(office_user).get("tasks", **params))


@pytest.mark.parametrize(
    "params",
    [{"type": "XX"}, {"strategic": "x"}, {"q": "\x00"}, {"limit": 0}, {"offset": HUGE}],
)
def test_bad_document_filters_are_a_4xx_json_error(api, office_user, params):
    assert_client_error(api(office_user).get("documents", **params))


@pytest.mark.parametrize(
    "path", [f"tasks/{HUGE}", "tasks/-1", "tasks/x", f"documents/{HUGE}", "documents/0"]
)
def test_bad_ids_in_the_path_are_a_4xx_json_error(api, office_user, path):
    assert_client_error(api(office_user).get(path))
    assert_client_error(api(office_user).post(f"{path}/reports", {"percent": 1, "narrative": "x"}))


def test_bad_as_of_is_a_4xx_json_error(api, office_user):
    assert_client_error(api(office_user).get("stats/overview", as_of="2025-02-30"))
