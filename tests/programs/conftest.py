"""Actors and a program for the programs tests: the lead agency (BTCTW), a coordinating agency,
an agency invited to comment, and an unrelated one."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs.models import Body, ItemKind, ProgramItem, ProgramKind, WorkProgram
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)  # a Thursday
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

CONTENT = {
    "problem": "Tổ chức bộ máy còn cồng kềnh, chồng chéo chức năng.",
    "options": "Phương án 1: hợp nhất; phương án 2: giữ nguyên, điều chỉnh chức năng.",
    "resources": "Biên chế hiện có; kinh phí từ ngân sách thường xuyên.",
    "roadmap": "Quý I: khảo sát; quý II: dự thảo; quý III: trình.",
    "responsibilities": "Ban Tổ chức Trung ương chủ trì; các ban phối hợp.",
}


@pytest.fixture
def fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def coord_agency(db) -> Agency:
    return Agency.objects.create(
        code="BTGDVTW", name="Ban Tuyên giáo và Dân vận Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


@pytest.fixture
def invited_agency(db) -> Agency:
    return Agency.objects.create(
        code="BNCTW", name="Ban Nội chính Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


@pytest.fixture
def second_invited(db) -> Agency:
    return Agency.objects.create(
        code="UBKTTW", name="Ủy ban Kiểm tra Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


@pytest.fixture
def invited_focal(invited_agency):
    user = make_user("daumoi.bnctw", invited_agency, "focal")
    user.email = "daumoi.bnctw@example.vn"
    user.save()
    return user


@pytest.fixture
def program(db) -> WorkProgram:
    return WorkProgram.objects.create(
        title="Chương trình công tác năm 2026 của Bộ Chính trị",
        body=Body.POLITBURO,
        kind=ProgramKind.YEAR,
        year=2026,
    )


@pytest.fixture
def item(program, lead_agency, coord_agency) -> ProgramItem:
    item = ProgramItem.objects.create(
        program=program,
        title="Đề án sắp xếp tổ chức bộ máy các cơ quan Đảng",
        kind=ItemKind.PROPOSAL,
        planned_month=12,
        lead_agency=lead_agency,
    )
    item.coordinating_agencies.set([coord_agency])
    return item


@pytest.fixture
def api():
    """`api(user)`: an API client with a fresh token of `user`."""
    from dondoc.api.services import token_create
    from tests.api.conftest import ApiClient

    def for_user(user):
        _token, secret = token_create(user, name="tests")
        return ApiClient(secret)

    return for_user
