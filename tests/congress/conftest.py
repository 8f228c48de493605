"""Named actors and a small congress: the secretary (thư ký) who runs it, a member of the
credentials board, a member of another sub-committee, the office specialist (reads), and a
focal point of an agency (sees nothing of it)."""

import datetime as dt

import pytest
import time_machine

from dondoc.accounts.models import RoleCode, User
from dondoc.congress import services
from dondoc.congress.models import (
    BoardKind,
    Congress,
    Delegate,
    DelegateStanding,
    DelegationKind,
)
from dondoc.congress.services import DelegateData, ProfileData
from tests.api.conftest import api  # noqa: F401 (the API client fixture, shared)
from tests.conftest import make_user

OPENS = dt.date(2026, 1, 19)


@pytest.fixture
def secretary(office_agency) -> User:
    return make_user("thuky", office_agency, RoleCode.SECRETARIAT)


@pytest.fixture
def verifier(office_agency) -> User:
    """On the credentials board; no congress role of their own."""
    return make_user("thamtra", office_agency, RoleCode.FOCAL)


@pytest.fixture
def documents_member(office_agency) -> User:
    return make_user("vankien", office_agency, RoleCode.FOCAL)


def profile(i: int) -> ProfileData:
    return ProfileData(
        birth_year=1960 + i % 25,
        gender="female" if i % 3 == 0 else "male",
        ethnicity="Tày" if i % 7 == 0 else "Kinh",
        education="Thạc sĩ" if i % 2 else "Tiến sĩ",
        position="Bí thư Tỉnh ủy" if i % 10 == 0 else "Ủy viên Ban Thường vụ",
        party_joined_year=1985 + i % 15,
    )


BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # nine days before the opening


@pytest.fixture
def congress(secretary, verifier, documents_member) -> Congress:
    with time_machine.travel(BEFORE, tick=False):
        return _congress(secretary, verifier, documents_member)


def _congress(secretary: User, verifier: User, documents_member: User) -> Congress:
    congress = services.congress_create(
        secretary,
        "Đại hội đại biểu toàn quốc lần thứ XIV",
        "congress",
        OPENS,
        OPENS + dt.timedelta(days=4),
    )
    services.board_create(
        secretary, congress, BoardKind.CREDENTIALS, "Ban Thẩm tra tư cách đại biểu", [verifier]
    )
    services.board_create(
        secretary, congress, BoardKind.DOCUMENTS, "Tiểu ban Văn kiện", [documents_member]
    )
    services.session_add(
        secretary, congress, OPENS, 1, "Phiên trù bị", [("Bầu Đoàn Chủ tịch", "Ban Tổ chức", 30)]
    )
    for order, (code, name, size) in enumerate(
        (
            ("DBTW", "Đảng bộ các cơ quan Đảng Trung ương", 6),
            ("HN", "Đảng bộ thành phố Hà Nội", 8),
            ("HUE", "Đảng bộ thành phố Huế", 5),
        ),
        start=1,
    ):
        kind = DelegationKind.CENTRAL if code == "DBTW" else DelegationKind.PROVINCE
        delegation = services.delegation_create(secretary, congress, code, name, order, kind)
        services.delegates_register(
            secretary,
            congress,
            [
                DelegateData(
                    delegation,
                    f"{name[-6:]} đại biểu {i:02d}",
                    "elected",
                    DelegateStanding.ALTERNATE if i == size - 1 else DelegateStanding.OFFICIAL,
                    profile(i),
                    presidium=(order == 1 and i == 0),
                    needs_accessible_seat=(order == 2 and i == 1),
                )
                for i in range(size)
            ],
        )
    services.hall_create(secretary, congress, rows=2, width=6, stage=4)
    return congress


@pytest.fixture
def delegate(congress) -> Delegate:
    return Delegate.objects.filter(congress=congress, standing="official", presidium=False).first()
