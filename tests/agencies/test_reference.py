"""The reference hierarchy from shared/data/agencies.json, loaded twice."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from dondoc.agencies.models import Agency, AgencyKind, Reorganization, ReorganizationKind
from dondoc.agencies.reference import DEFAULT_PATH, initials_code, load_reference_agencies
from dondoc.audit.models import AuditEntry

# tests/agencies/ -> tests/ -> the repository; its sibling shared/ holds the data (also in CI).
DATA = Path(__file__).parents[2].parent / "shared" / "data" / "agencies.json"
JUNE_30 = dt.date(2025, 6, 30)
JULY_1 = dt.date(2025, 7, 1)


@pytest.fixture
def loaded(db) -> int:
    return load_reference_agencies(DATA)


def test_the_data_file_is_where_the_tests_and_the_loader_look():
    assert DATA.is_file()
    assert DATA.resolve() == DEFAULT_PATH


def test_34_provinces_and_cities_are_active_under_the_central_committee(loaded):
    provinces = Agency.objects.filter(kind=AgencyKind.PROVINCE)
    active = provinces.filter(valid_to__isnull=True)
    assert active.count() == 34
    assert set(active.values_list("parent__code", flat=True)) == {"BCHTW"}
    hanoi = Agency.objects.get(code="HANOI")
    assert (hanoi.name, hanoi.short_name, hanoi.is_active) == ("Thành ủy Hà Nội", "Hà Nội", True)
    assert Agency.objects.get(code="HCM").name == "Thành ủy Thành phố Hồ Chí Minh"
    assert Agency.objects.get(code="NINHBINH").name == "Tỉnh ủy Ninh Bình"


def test_former_provinces_ended_and_point_to_their_successor(loaded):
    data = json.loads(DATA.read_text(encoding="utf-8"))["provinces_from_2025_07_01"]
    units = data["centrally_run_cities"] + data["provinces"]
    former = Agency.objects.filter(kind=AgencyKind.PROVINCE, valid_to__isnull=False)
    assert former.count() == sum(len(unit["merged"]) for unit in units)
    assert set(former.values_list("valid_to", flat=True)) == {JUNE_30}

    haiduong = Agency.objects.get(code="HAIDUONG")
    (event,) = haiduong.reorganizations_ended.all()
    assert (event.kind, event.effective_on) == (ReorganizationKind.MERGE, JULY_1)
    assert [a.code for a in event.successors.all()] == ["HAIPHONG"]
    assert Agency.objects.get(code="HAIPHONG").valid_from is None  # Hải Phòng continues

    ninhbinh = Agency.objects.get(code="NINHBINH").reorganizations_started.get()
    assert {a.code for a in ninhbinh.predecessors.all()} == {"HANAM", "NAMDINH"}
    brvt = Agency.objects.get(code="BRVT")
    assert brvt.name == "Tỉnh ủy Bà Rịa - Vũng Tàu"
    assert brvt.reorganizations_ended.get().successors.get().code == "HCM"


def test_leadership_bodies_that_issue_documents(loaded):
    leadership = dict(
        Agency.objects.filter(kind=AgencyKind.LEADERSHIP).values_list("code", "parent__code")
    )
    assert leadership == {
        "BCHTW": None,
        "BCT": "BCHTW",
        "BBT": "BCHTW",
        "TBT": "BCHTW",
        "TTBBT": "BBT",
        "CP": None,
        "TTG": "CP",
    }
    assert Agency.objects.get(code="TTG").short_name == "TTg"


def test_central_bodies_party_committees_and_dissolved_bodies(loaded):
    btctw = Agency.objects.get(code="BTCTW")
    assert (btctw.name, btctw.kind, btctw.parent.code) == (
        "Ban Tổ chức Trung ương",
        AgencyKind.CENTRAL_BODY,
        "BCHTW",
    )
    assert Agency.objects.get(code="VPTW").is_active
    assert Agency.objects.get(code="DUQH").kind == AgencyKind.CENTRAL_PARTY_COMMITTEE
    assert Agency.objects.get(code="DUQH").valid_from == dt.date(2025, 1, 1)
    assert Agency.objects.get(code="QUTW").valid_from is None

    merged = Agency.objects.get(code="BTGDVTW").reorganizations_started.get()
    assert merged.kind == ReorganizationKind.MERGE
    assert {a.code for a in merged.predecessors.all()} == {"BTGTW", "BDVTW"}
    assert Agency.objects.get(code="BTGTW").valid_to == dt.date(2024, 12, 31)
    renamed = Agency.objects.get(code="BCSCLTW").reorganizations_started.get()
    assert renamed.kind == ReorganizationKind.RENAME

    dissolved = Reorganization.objects.get(kind=ReorganizationKind.DISSOLVE)
    assert {a.code for a in dissolved.predecessors.all()} == {"BDNTW", "DUKCCQTW", "DUKDNTW"}
    assert not dissolved.successors.exists()


def test_codes_are_short_upper_case_ascii(loaded):
    for code in Agency.objects.values_list("code", flat=True):
        assert code.isascii()
        assert code == code.upper()
        assert len(code) <= 16


def test_loading_again_changes_nothing(loaded):
    agencies = list(Agency.objects.order_by("code").values())
    events = list(Reorganization.objects.order_by("id").values("id", "kind", "effective_on"))
    assert loaded == Agency.objects.count()
    assert load_reference_agencies(DATA) == 0
    assert list(Agency.objects.order_by("code").values()) == agencies
    assert list(Reorganization.objects.order_by("id").values("id", "kind", "effective_on")) == (
        events
    )
    assert AuditEntry.objects.filter(action="agency.load_reference").count() == 1


def test_loading_again_restores_reference_names_but_keeps_other_agencies(loaded):
    Agency.objects.filter(code="HANOI").update(name="Tên sai")
    Agency.objects.create(code="RIENG", name="Cơ quan riêng", kind=AgencyKind.OTHER)
    load_reference_agencies(DATA)
    assert Agency.objects.get(code="HANOI").name == "Thành ủy Hà Nội"
    assert Agency.objects.filter(code="RIENG").exists()


def test_command_loads_the_file(db, capsys):
    call_command("load_reference_agencies", str(DATA))
    assert Agency.objects.filter(code="HANOI").exists()
    assert "thêm mới" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Đảng ủy Công an Trung ương", "DUCATW"),
        ("Ban Chấp hành Trung ương", "BCHTW"),
        ("Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương", "DUMTTQCDTTW"),
        ("Thủ tướng Chính phủ", "TTG"),
    ],
)
def test_initials_code(name, code):
    assert initials_code(name) == code
