import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.badges import badge_token
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import CheckIn, Credentials, Delegate, SeatAssignment, SeatZone
from dondoc.congress.services import DelegateData
from tests.congress.conftest import OPENS, profile

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_credentials_board_decides_and_a_rejection_needs_a_reason(congress, verifier, delegate):
    with pytest.raises(ValidationError) as refused:
        services.credentials_decide(verifier, delegate, Credentials.REJECTED, " ")
    assert refused.value.error_dict["reason"][0].code == Code.REASON_REQUIRED
    services.credentials_decide(verifier, delegate, Credentials.VERIFIED, "")
    delegate.refresh_from_db()
    assert delegate.credentials == Credentials.VERIFIED
    with pytest.raises(CongressActionRefused) as again:
        services.credentials_decide(verifier, delegate, Credentials.REJECTED, "Sai hồ sơ")
    assert again.value.code == Code.ALREADY_DECIDED


@time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_the_secretariat_cannot_decide_credentials_and_others_cannot_read_profiles(
    congress, secretary, documents_member, delegate
):
    with pytest.raises(CongressActionRefused) as refused:
        services.credentials_decide(secretary, delegate, Credentials.VERIFIED, "")
    assert refused.value.by_role
    with pytest.raises(CongressActionRefused):
        services.delegate_profile_read(documents_member, delegate)


@time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_every_read_of_personal_data_is_audited(congress, verifier, delegate):
    before = AuditEntry.objects.filter(action="delegate_profile_read").count()
    profile = services.delegate_profile_read(verifier, delegate)
    assert profile.birth_year >= 1960
    entry = AuditEntry.objects.filter(action="delegate_profile_read").latest("seq")
    assert before + 1 == AuditEntry.objects.filter(action="delegate_profile_read").count()
    assert entry.actor_id == verifier.pk
    assert entry.object_id == str(delegate.pk)


@time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_seating_puts_the_presidium_on_stage_and_reseating_after_a_replacement_moves_few(
    congress, secretary
):
    first = services.seating_solve(secretary, congress)
    presidium = Delegate.objects.get(congress=congress, presidium=True)
    assert presidium.seat_assignment.seat.zone == SeatZone.STAGE
    accessible = Delegate.objects.get(congress=congress, needs_accessible_seat=True)
    assert accessible.seat_assignment.seat.accessible
    official = Delegate.objects.filter(
        congress=congress,
        delegation__code="HN",
        standing="official",
        presidium=False,
        needs_accessible_seat=False,
    ).last()
    alternate = Delegate.objects.get(congress=congress, delegation__code="HN", standing="alternate")
    before = dict(SeatAssignment.objects.values_list("delegate_id", "seat_id"))
    services.delegate_replace(secretary, official, alternate)
    again = services.seating_solve(secretary, congress)
    after = dict(SeatAssignment.objects.values_list("delegate_id", "seat_id"))
    assert alternate.pk in after
    assert official.pk not in after
    assert again.seated == first.seated
    assert sum(1 for d, s in after.items() if d in before and before[d] != s) == again.moves <= 2


@time_machine.travel(dt.datetime(2026, 1, 19, 7, tzinfo=dt.UTC), tick=False)
def test_a_badge_checks_in_once_even_when_the_scan_is_sent_twice(congress, secretary, delegate):
    session = congress.sessions.get(day=OPENS, part=1)
    token = badge_token(delegate)
    assert services.checkin_record(secretary, congress, session, token).created
    assert not services.checkin_record(secretary, congress, session, token).created
    assert CheckIn.objects.filter(delegate=delegate, session=session).count() == 1
    with pytest.raises(ValidationError) as forged:
        services.checkin_record(secretary, congress, session, f"{delegate.pk}")
    assert forged.value.error_dict["token"][0].code == Code.BAD_BADGE


@time_machine.travel(dt.datetime(2026, 1, 19, 7, tzinfo=dt.UTC), tick=False)
def test_a_rejected_delegate_is_not_checked_in(congress, secretary, verifier, delegate):
    services.credentials_decide(verifier, delegate, Credentials.REJECTED, "Không đủ điều kiện")
    session = congress.sessions.get()
    with pytest.raises(CongressActionRefused) as refused:
        services.checkin_record(secretary, congress, session, badge_token(delegate))
    assert refused.value.code == Code.CREDENTIALS_REJECTED


@time_machine.travel(dt.datetime(2026, 2, 1, 7, tzinfo=dt.UTC), tick=False)
def test_a_closed_congress_is_a_record(congress, secretary):
    with pytest.raises(CongressActionRefused) as refused:
        services.seating_solve(secretary, congress)
    assert refused.value.code == Code.CONGRESS_CLOSED


@time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_a_hall_too_small_is_refused_in_words_and_nothing_is_seated(congress, secretary):
    delegation = congress.delegations.get(code="HUE")
    more = [
        DelegateData(delegation, f"Bổ sung {i}", "elected", "official", profile(i))
        for i in range(60)
    ]
    services.delegates_register(secretary, congress, more)
    with pytest.raises(ValidationError) as refused:
        services.seating_solve(secretary, congress)
    assert "Hội trường chỉ có 48 ghế đại biểu" in refused.value.messages[0]
    assert not SeatAssignment.objects.exists()
