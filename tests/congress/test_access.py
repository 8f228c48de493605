"""The access rules of a congress and of a delegate, walked over every role and action: the
set each role gets, and the reason a refused action gives."""

import datetime as dt

import pytest

from dondoc.congress.access import (
    CONGRESS_WHEN,
    DELEGATE_WHEN,
    CongressAction,
    DelegateAction,
    congress_action_refusal,
    congress_actions,
    delegate_action_refusal,
    delegate_actions,
)
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import Credentials, Delegate, DelegateStanding

pytestmark = pytest.mark.django_db
BEFORE, AFTER = dt.date(2026, 1, 10), dt.date(2026, 2, 1)
C, D = CongressAction, DelegateAction

CONGRESS_EXPECTED = {
    "secretary": set(C) - {C.DECIDE_CREDENTIALS, C.ERASE_PERSONAL_DATA},
    "verifier": {C.VIEW, C.CREDENTIALS_REPORT, C.DECIDE_CREDENTIALS},
    "documents_member": {C.VIEW},
    "office_user": {C.VIEW},
    "inspector": {C.VIEW},
    "lead_focal": set(),
}
DELEGATE_EXPECTED = {
    "secretary": {D.VIEW, D.VIEW_PROFILE, D.CHECK_IN, D.REPLACE},
    "verifier": {D.VIEW, D.VIEW_PROFILE, D.DECIDE_CREDENTIALS},
    "documents_member": {D.VIEW},
    "office_user": {D.VIEW},
    "inspector": {D.VIEW},
    "lead_focal": set(),
}


def test_every_action_has_its_conditions():
    assert set(CONGRESS_WHEN) == set(CongressAction)
    assert set(DELEGATE_WHEN) == set(DelegateAction)


@pytest.mark.parametrize("role", CONGRESS_EXPECTED)
def test_each_role_gets_its_actions_and_every_other_is_refused_by_role(
    request, congress, delegate, role
):
    user = request.getfixturevalue(role)
    assert congress_actions(user, congress, BEFORE) == CONGRESS_EXPECTED[role]
    assert delegate_actions(user, delegate, BEFORE) == DELEGATE_EXPECTED[role]
    for action in set(CongressAction) - CONGRESS_EXPECTED[role]:
        assert congress_action_refusal(user, congress, action, BEFORE) == Code.NOT_ALLOWED
    for action in set(DelegateAction) - DELEGATE_EXPECTED[role]:
        assert delegate_action_refusal(user, delegate, action, BEFORE) == Code.NOT_ALLOWED


@pytest.mark.parametrize("role", ["secretary", "verifier"])
def test_after_the_closing_only_reading_is_left(request, congress, delegate, role):
    user = request.getfixturevalue(role)
    left = congress_actions(user, congress, AFTER)
    assert left <= {C.VIEW, C.BADGES, C.CREDENTIALS_REPORT}
    assert delegate_actions(user, delegate, AFTER) <= {D.VIEW, D.VIEW_PROFILE}
    assert congress_action_refusal(user, congress, C.VIEW, AFTER) is None


def test_only_an_administrator_erases_the_people_s_data_and_only_once_closed(
    congress, admin_user, secretary
):
    erase = C.ERASE_PERSONAL_DATA
    assert congress_action_refusal(admin_user, congress, erase, BEFORE) == Code.NOT_CLOSED
    assert congress_action_refusal(secretary, congress, erase, AFTER) == Code.NOT_ALLOWED
    assert congress_actions(admin_user, congress, AFTER) == {
        C.VIEW, C.BADGES, C.CREDENTIALS_REPORT, erase}  # fmt: skip
    congress.personal_data_erased_at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    assert congress_action_refusal(admin_user, congress, erase, AFTER) == Code.ALREADY_ERASED


@pytest.mark.parametrize(
    ("credentials", "standing", "decide", "check_in"),
    [
        (Credentials.PENDING, DelegateStanding.OFFICIAL, None, None),
        (Credentials.QUESTIONED, DelegateStanding.OFFICIAL, None, None),
        (Credentials.VERIFIED, DelegateStanding.OFFICIAL, Code.ALREADY_DECIDED, None),
        (
            Credentials.REJECTED,
            DelegateStanding.OFFICIAL,
            Code.ALREADY_DECIDED,
            Code.CREDENTIALS_REJECTED,
        ),
        (
            Credentials.PENDING,
            DelegateStanding.REPLACED,
            Code.DELEGATE_REPLACED,
            Code.DELEGATE_REPLACED,
        ),
    ],
)
def test_the_delegates_state_says_why_not(
    congress, delegate, secretary, verifier, credentials, standing, decide, check_in
):
    Delegate.objects.filter(pk=delegate.pk).update(credentials=credentials, standing=standing)
    delegate.refresh_from_db()
    assert delegate_action_refusal(verifier, delegate, D.DECIDE_CREDENTIALS, BEFORE) == decide
    assert delegate_action_refusal(secretary, delegate, D.CHECK_IN, BEFORE) == check_in
