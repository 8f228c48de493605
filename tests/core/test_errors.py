"""Errors outside the views: Vietnamese pages on the web, JSON under /api/, 414 for long URLs,
the Content-Security-Policy on every page, and no 4xx traceback in the error log."""

import json
import logging
import sys

import pytest
from django.conf import settings
from django.test import Client

from dondoc.core.errors import SkipClientErrors

pytestmark = pytest.mark.django_db


def api_error(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_unknown_page_is_a_vietnamese_404_with_the_site_around_it(client, lead_focal):
    client.force_login(lead_focal)

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert 'class="topbar"' in html


def test_unknown_api_address_is_a_json_404(client):
    for path in ("/api/v1/khong-co", "/api/khong-co", "/api/v1/tasks/1/khong-co"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert api_error(response)["code"] == "not_found"


@pytest.mark.parametrize(("path", "json_answer"), [("/tasks/", False), ("/api/v1/tasks", True)])
def test_url_longer_than_the_limit_is_refused_with_414(client, path, json_answer):
    query = "q=" + "a" * settings.MAX_URL_LENGTH

    response = client.get(f"{path}?{query}")

    assert response.status_code == 414
    if json_answer:
        assert api_error(response)["code"] == "uri_too_long"
    else:
        assert "Địa chỉ quá dài" in response.content.decode()


def test_url_at_the_limit_is_served(client):
    path = "/api/v1/tasks?q="
    response = client.get(path + "a" * (settings.MAX_URL_LENGTH - len(path)))

    assert response.status_code == 401  # reached the API, which asks for a token


def test_bad_host_is_a_400_page_on_the_web_and_json_in_the_api(db):
    client = Client(HTTP_HOST="ke-gia-mao.example")

    page = client.get("/accounts/login/")
    api = client.get("/api/v1/tasks")

    assert page.status_code == 400
    assert "Yêu cầu không hợp lệ" in page.content.decode()
    assert api.status_code == 400
    assert api_error(api)["code"] == "bad_request"


def test_form_sent_without_csrf_token_gets_a_vietnamese_page_and_nothing_changes(lead_focal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead_focal)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "Xin tải lại trang rồi gửi lại" in response.content.decode()
    assert client.session.get("_auth_user_id") == str(lead_focal.pk)


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(("path", "json_answer"), [("/broken/", False), ("/api/v1/broken/", True)])
def test_a_bug_is_a_500_page_or_json_without_details(path, json_answer):
    client = Client(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code == 500
    assert "a bug" not in response.content.decode()
    if json_answer:
        assert api_error(response)["code"] == "server_error"
    else:
        assert "Lỗi máy chủ" in response.content.decode()


def test_every_page_carries_a_content_security_policy_without_inline_script(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in policy


def test_favicon_is_found(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.url.endswith(".svg")


def _record(status: int) -> logging.LogRecord:
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), exc_info)
    record.status_code = status
    return record


def test_client_errors_are_logged_without_traceback_and_server_errors_with_it():
    keep = SkipClientErrors()
    client_error, server_error = _record(403), _record(500)

    assert keep.filter(client_error)
    assert keep.filter(server_error)
    assert client_error.exc_info is None
    assert server_error.exc_info is not None
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["no_client_errors"]


def test_a_page_refused_by_role_says_why_in_vietnamese_inside_the_layout_with_a_way_home(
    lead_focal,
):
    client = Client()
    client.force_login(lead_focal)

    response = client.get("/tasks/import/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in page
    assert "Vai trò của bạn không được thực hiện thao tác này" in page
    assert 'href="/">Về trang chủ' in page
    assert 'id="mainnav"' in page  # the site's menu, not a bare page
    assert "403 Forbidden" not in page


def test_a_refusal_that_says_why_shows_its_own_message(rf, lead_focal):
    from dondoc.core.access import ActionRefused
    from dondoc.core.errors import permission_denied

    request = rf.get("/tasks/1/accept/")
    request.user = lead_focal
    refused = ActionRefused("not_allowed", "Chỉ Văn phòng xác nhận hoàn thành.")

    response = permission_denied(request, refused)

    assert response.status_code == 403
    assert "Chỉ Văn phòng xác nhận hoàn thành." in response.content.decode()
