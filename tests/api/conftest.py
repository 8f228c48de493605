"""Actors and objects for the API tests, and a client that speaks with a bearer token."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dondoc.accounts.models import RoleCode
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.api.services import token_create
from dondoc.tracking.models import Document, Task
from dondoc.tracking.services import document_register, task_create
from tests.conftest import make_user

HOST = "testserver"


class ApiClient:
    """The Django test client, with a token and JSON bodies."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: str | bytes | None = None,
        **params: Any,
    ):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method)
        if method == "get":
            return call(url, params, headers=self.headers)
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return call(url, data, content_type="application/json", headers=self.headers)

    def get(self, path: str, **params: Any):
        return self.request("get", path, **params)

    def post(self, path: str, body: Any = None, **kwargs: Any):
        return self.request("post", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any):
        return self.request("patch", path, body, **kwargs)


@pytest.fixture
def api():
    """`api(user)`: a client authenticated as `user` with a fresh token."""

    def for_user(user) -> ApiClient:
        _token, secret = token_create(user, name="tests")
        return ApiClient(secret)

    return for_user


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()


@pytest.fixture
def unrelated_agency(db) -> Agency:
    return Agency.objects.create(
        code="DANANG", name="Thành ủy Đà Nẵng", short_name="Đà Nẵng", kind=AgencyKind.PROVINCE
    )


@pytest.fixture
def coordinating_focal(other_focal):
    """A focal point of the agency that coordinates `task` (Hà Nội)."""
    return other_focal


@pytest.fixture
def unrelated_focal(unrelated_agency):
    return make_user("daumoi.danang", unrelated_agency, RoleCode.FOCAL)


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def document(office_user, office_agency) -> Document:
    return document_register(
        office_user,
        symbol="35-KL/TW",
        issuing_body=office_agency,
        issued_on=dt.date(2025, 3, 1),
        title="Kết luận về tổ chức bộ máy",
    )


@pytest.fixture
def task(office_user, lead_agency, other_agency, document, today) -> Task:
    return task_create(
        office_user,
        title="Xây dựng đề án sắp xếp tổ chức bộ máy",
        lead_agency=lead_agency,
        coordinating_agencies=[other_agency],
        document=document,
        due_on=today + dt.timedelta(days=30),
        expected_product="Đề án",
    )
