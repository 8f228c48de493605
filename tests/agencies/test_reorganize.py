"""Recording merges, splits, renames and dissolutions: dates, events, rules, what moves."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.agencies import services
from dondoc.agencies.models import Agency, AgencyKind, Reorganization, ReorganizationKind
from dondoc.agencies.services import AgencyFields, reorganization_record
from dondoc.audit.models import AuditEntry
from tests.agencies.conftest import add_agency

JULY_1 = dt.date(2025, 7, 1)
JUNE_30 = dt.date(2025, 6, 30)


@pytest.fixture
def provinces(db) -> dict[str, Agency]:
    return {
        code: add_agency(code, name, kind=AgencyKind.PROVINCE)
        for code, name in [
            ("HAIPHONG", "Thành ủy Hải Phòng"),
            ("HAIDUONG", "Tỉnh ủy Hải Dương"),
            ("HANAM", "Tỉnh ủy Hà Nam"),
            ("NAMDINH", "Tỉnh ủy Nam Định"),
            ("NINHBINH", "Tỉnh ủy Ninh Bình"),
        ]
    }


def also_transfer(monkeypatch, transfer) -> None:
    """Register `transfer` as an app's work transfer, for this test only."""
    monkeypatch.setattr(services, "_work_transfers", [*services._work_transfers, transfer])


@pytest.fixture
def heard(monkeypatch):
    """The reorganizations handed to the apps' work transfers, with what was stored then."""
    events = []

    def transfer(actor, reorganization):
        ended = list(reorganization.predecessors.values_list("valid_to", flat=True))
        events.append((reorganization, ended))

    also_transfer(monkeypatch, transfer)
    return events


def record(**kwargs) -> Reorganization:
    kwargs.setdefault("effective_on", JULY_1)
    return reorganization_record(None, **kwargs)


def dates(code: str) -> tuple[dt.date | None, dt.date | None]:
    agency = Agency.objects.get(code=code)
    return agency.valid_from, agency.valid_to


def test_merge_into_a_new_agency_from_the_page_records_dates_and_the_event(
    web, admin_user, provinces, heard
):
    response = web(admin_user).post(
        reverse("agencies:reorganize"),
        {
            "kind": ReorganizationKind.MERGE,
            "effective_on": "2025-07-01",
            "decision": "60-NQ/TW",
            "predecessors": [provinces["HANAM"].pk, provinces["NAMDINH"].pk],
            "new_code": "ninhbinh2",
            "new_name": "Tỉnh ủy Ninh Bình (mới)",
            "new_kind": AgencyKind.PROVINCE,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("agencies:detail", args=["NINHBINH2"])
    assert dates("HANAM") == (None, JUNE_30)
    assert dates("NAMDINH") == (None, JUNE_30)
    assert dates("NINHBINH2") == (JULY_1, None)
    event = Reorganization.objects.get()
    assert event.kind == ReorganizationKind.MERGE
    assert event.effective_on == JULY_1
    assert event.decision == "60-NQ/TW"
    assert {a.code for a in event.predecessors.all()} == {"HANAM", "NAMDINH"}
    assert [a.code for a in event.successors.all()] == ["NINHBINH2"]
    assert [(reorganization, ended) for reorganization, ended in heard] == [
        (event, [JUNE_30, JUNE_30])  # the hook runs after the dates are written
    ]
    actions = sorted(AuditEntry.objects.values_list("action", "object_repr"))
    assert actions == [
        ("agency.create", "Tỉnh ủy Ninh Bình (mới)"),
        ("agency.reorganize", "Hợp nhất, sáp nhập 01/07/2025"),
        ("agency.update", "Tỉnh ủy Hà Nam"),
        ("agency.update", "Tỉnh ủy Nam Định"),
    ]
    assert all(entry.actor == admin_user for entry in AuditEntry.objects.all())


def test_invalid_merge_shows_the_reason_in_vietnamese_and_writes_nothing(
    web, admin_user, provinces, heard
):
    before = list(Agency.objects.values())
    response = web(admin_user).post(
        reverse("agencies:reorganize"),
        {
            "kind": ReorganizationKind.MERGE,
            "effective_on": "2025-07-01",
            "predecessors": [provinces["HAIDUONG"].pk],
            "new_code": "HAIPHONG2",
            "new_name": "Thành ủy Hải Phòng (mới)",
            "new_kind": AgencyKind.PROVINCE,
        },
    )
    assert response.status_code == 200
    assert "Hợp nhất phải có ít nhất hai cơ quan trước" in response.text
    assert list(Agency.objects.values()) == before
    assert not Reorganization.objects.exists()
    assert not AuditEntry.objects.exists()
    assert heard == []


def test_merge_with_two_successors_is_refused(provinces):
    with pytest.raises(ValidationError) as refused:
        record(
            kind=ReorganizationKind.MERGE,
            predecessors=[provinces["HANAM"], provinces["NAMDINH"]],
            successors=[provinces["NINHBINH"], provinces["HAIPHONG"]],
        )
    assert refused.value.messages == ["Hợp nhất, sáp nhập phải có đúng một cơ quan sau."]
    assert dates("HANAM") == (None, None)


def test_one_province_merged_into_one_that_continues_keeps_the_successors_history(provinces, heard):
    event = record(
        kind=ReorganizationKind.MERGE,
        predecessors=[provinces["HAIDUONG"]],
        successors=[provinces["HAIPHONG"]],
    )
    assert dates("HAIDUONG") == (None, JUNE_30)
    assert dates("HAIPHONG") == (None, None)
    assert [reorganization for reorganization, _ in heard] == [event]


def test_a_successor_due_to_start_later_starts_on_the_effective_date(provinces):
    late = add_agency("MOI", "Tỉnh ủy Mới", valid_from=dt.date(2025, 9, 1))
    record(
        kind=ReorganizationKind.MERGE,
        predecessors=[provinces["HANAM"], provinces["NAMDINH"]],
        successors=[late],
    )
    assert dates("MOI") == (JULY_1, None)


def test_an_agency_cannot_be_both_predecessor_and_successor(provinces):
    with pytest.raises(ValidationError) as refused:
        record(
            kind=ReorganizationKind.MERGE,
            predecessors=[provinces["HANAM"], provinces["NINHBINH"]],
            successors=[provinces["NINHBINH"]],
        )
    assert refused.value.messages == [
        "Một cơ quan không thể vừa là cơ quan trước vừa là cơ quan sau: Tỉnh ủy Ninh Bình."
    ]


def test_an_ended_agency_cannot_end_again_even_through_a_stale_copy(provinces):
    stale = Agency.objects.get(code="HANAM")
    record(kind=ReorganizationKind.DISSOLVE, predecessors=[provinces["HANAM"]])
    with pytest.raises(ValidationError) as refused:
        record(
            kind=ReorganizationKind.MERGE,
            effective_on=dt.date(2025, 8, 1),
            predecessors=[stale, provinces["NAMDINH"]],
            successors=[provinces["NINHBINH"]],
        )
    assert refused.value.messages == [
        "Tỉnh ủy Hà Nam đã kết thúc hoạt động (ngày 30/06/2025), không thể là cơ quan trước."
    ]
    assert dates("NAMDINH") == (None, None)
    assert Reorganization.objects.count() == 1


def test_split_needs_one_predecessor_and_at_least_two_successors(provinces):
    with pytest.raises(ValidationError) as refused:
        record(
            kind=ReorganizationKind.SPLIT,
            predecessors=[provinces["NINHBINH"]],
            successors=[provinces["HANAM"]],
        )
    assert refused.value.messages == [
        "Chia tách phải có đúng một cơ quan trước và ít nhất hai cơ quan sau."
    ]
    event = record(
        kind=ReorganizationKind.SPLIT,
        predecessors=[provinces["NINHBINH"]],
        successors=[provinces["HANAM"]],
        new_successor=AgencyFields(code="NAMDINH2", name="Tỉnh ủy Nam Định", kind="province"),
    )
    assert event.successors.count() == 2
    assert dates("NINHBINH") == (None, JUNE_30)
    assert dates("NAMDINH2") == (JULY_1, None)


def test_rename_ends_one_agency_into_one_new_agency(lead_agency):
    event = record(
        kind=ReorganizationKind.RENAME,
        effective_on=dt.date(2025, 2, 1),
        predecessors=[lead_agency],
        new_successor=AgencyFields(
            code="BTCTW2", name="Ban Tổ chức Trung ương (mới)", kind="central_body"
        ),
    )
    assert dates("BTCTW") == (None, dt.date(2025, 1, 31))
    assert [a.code for a in event.successors.all()] == ["BTCTW2"]
    with pytest.raises(ValidationError):
        record(kind=ReorganizationKind.RENAME, predecessors=[Agency.objects.get(code="BTCTW2")])


def test_dissolution_needs_no_successor(provinces):
    event = record(kind=ReorganizationKind.DISSOLVE, predecessors=[provinces["HANAM"]])
    assert dates("HANAM") == (None, JUNE_30)
    assert not event.successors.exists()


def test_every_problem_is_reported_at_once(provinces):
    with pytest.raises(ValidationError) as refused:
        record(
            kind=ReorganizationKind.MERGE,
            predecessors=[],
            new_successor=AgencyFields(code="HANAM", name="Trùng mã", kind="province"),
        )
    assert refused.value.messages == [
        "Chọn ít nhất một cơ quan trước.",
        "Mã HANAM đã được dùng cho cơ quan khác.",
        "Hợp nhất phải có ít nhất hai cơ quan trước (chỉ một cơ quan thì là đổi tên, "
        "hoặc sáp nhập vào một cơ quan đang hoạt động).",
    ]
    assert not Agency.objects.filter(name="Trùng mã").exists()


def test_effective_date_must_come_after_the_predecessor_started(db):
    young = add_agency("TRE", "Cơ quan trẻ", valid_from=JULY_1)
    with pytest.raises(ValidationError) as refused:
        record(kind=ReorganizationKind.DISSOLVE, predecessors=[young])
    assert refused.value.messages == [
        "Ngày hiệu lực phải sau ngày Cơ quan trẻ bắt đầu hoạt động (01/07/2025)."
    ]


def test_a_failing_work_transfer_undoes_the_whole_reorganization(provinces, monkeypatch):
    def refuse(actor, reorganization):
        raise RuntimeError("cannot move the tasks")

    also_transfer(monkeypatch, refuse)
    with pytest.raises(RuntimeError):
        record(
            kind=ReorganizationKind.MERGE,
            predecessors=[provinces["HANAM"], provinces["NAMDINH"]],
            new_successor=AgencyFields(code="NB2", name="Tỉnh ủy Ninh Bình", kind="province"),
        )
    assert dates("HANAM") == (None, None)
    assert not Agency.objects.filter(code="NB2").exists()
    assert not Reorganization.objects.exists()


def test_both_sides_of_a_reorganization_show_it_on_their_page(web, office_user, provinces):
    record(
        kind=ReorganizationKind.MERGE,
        predecessors=[provinces["HAIDUONG"]],
        successors=[provinces["HAIPHONG"]],
        decision="60-NQ/TW",
    )
    client = web(office_user)
    for code in ("HAIDUONG", "HAIPHONG"):
        response = client.get(reverse("agencies:detail", args=[code]))
        assert "60-NQ/TW" in response.text
        assert "Hợp nhất, sáp nhập" in response.text
        assert "01/07/2025" in response.text
    untouched = client.get(reverse("agencies:detail", args=["HANAM"]))
    assert "Cơ quan này chưa tham gia đợt sắp xếp tổ chức nào." in untouched.text


def test_reorganize_page_offers_current_agencies_and_starts_from_the_one_asked(
    web, admin_user, provinces
):
    record(kind=ReorganizationKind.DISSOLVE, predecessors=[provinces["HANAM"]])
    response = web(admin_user).get(reverse("agencies:reorganize"), {"from": "NINHBINH"})
    form = response.context["form"]
    assert form["predecessors"].initial == [provinces["NINHBINH"].pk]
    offered = {agency.code for agency in form.fields["predecessors"].queryset}
    assert "HANAM" not in offered
    assert "NINHBINH" in offered


def test_new_successor_needs_code_name_and_kind(web, admin_user, provinces):
    response = web(admin_user).post(
        reverse("agencies:reorganize"),
        {
            "kind": ReorganizationKind.MERGE,
            "effective_on": "2025-07-01",
            "predecessors": [provinces["HANAM"].pk, provinces["NAMDINH"].pk],
            "new_name": "Tỉnh ủy Ninh Bình (mới)",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"new_code", "new_kind"}
    assert not Reorganization.objects.exists()
