"""Actors and a program for the programs tests: the lead agency (BTCTW), a coordinating agency,
an agency invited to comment, and an unrelated one."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs.models import (
    Body,
    ItemKind,
    ProgramItem,
    ProgramKind,
    RescheduleDecision,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)
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


# Adherence: items planned in 2026, each with a known standing as of TODAY. -----------------
d = dt.date


def make(program, lead, title, month, submitted=None, by_quarter=False) -> ProgramItem:
    return ProgramItem.objects.create(
        program=program, title=title, kind=ItemKind.REPORT, planned_month=month,
        by_quarter=by_quarter, lead_agency=lead, submitted_on=submitted,
    )  # fmt: skip


def decide(item, kind, to_month, decided_on, decision=RescheduleDecision.APPROVED, user=None):
    RescheduleRequest.objects.create(
        item=item, kind=kind, from_month=item.planned_month, to_month=to_month, reason="Lý do",
        requested_by=user, requested_on=decided_on - dt.timedelta(days=3), decision=decision,
        decided_on=decided_on, decided_by=user,
    )  # fmt: skip
    if decision == RescheduleDecision.APPROVED and to_month:
        ProgramItem.objects.filter(pk=item.pk).update(planned_month=to_month)


@pytest.fixture
def planned(program, lead_agency, leader):
    make(program, lead_agency, "A đúng tháng", 3, d(2026, 3, 20))
    make(program, lead_agency, "B muộn", 3, d(2026, 4, 2))
    make(program, lead_agency, "C theo quý, cuối quý", 3, d(2026, 3, 31), by_quarter=True)
    postponed = make(program, lead_agency, "D lùi", 5)
    decide(postponed, RescheduleKind.POSTPONE, 7, d(2026, 4, 10), user=leader)
    # Submitted in its new month: still counted as postponed against the plan.
    ProgramItem.objects.filter(pk=postponed.pk).update(submitted_on=d(2026, 7, 5))
    withdrawn = make(program, lead_agency, "E rút", 6)
    decide(withdrawn, RescheduleKind.WITHDRAW, None, d(2026, 5, 20), user=leader)
    make(program, lead_agency, "F quá tháng", 9)
    make(program, lead_agency, "G chưa đến", 12)
    refused = make(program, lead_agency, "H bị từ chối lùi, trình đúng", 8, d(2026, 8, 15))
    decide(refused, RescheduleKind.POSTPONE, 10, d(2026, 7, 1), RescheduleDecision.REFUSED, leader)
    secretariat = WorkProgram.objects.create(
        title="Chương trình công tác năm 2026 của Ban Bí thư", body=Body.SECRETARIAT,
        kind=ProgramKind.YEAR, year=2026,
    )  # fmt: skip
    make(secretariat, lead_agency, "I Ban Bí thư, muộn", 10, d(2026, 11, 3))
    return program


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files kept by the tests land in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def pdf_upload(name: str = "du-thao.pdf", extra: bytes = b""):
    """A real one-page PDF, as an uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.tracking.test_attachments import PDF_BYTES

    return SimpleUploadedFile(name, PDF_BYTES + extra, content_type="application/pdf")
