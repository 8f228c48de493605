"""The draft's access rule walked: every role by every state by every action, and the API's
`permissions` agree with it."""

import datetime as dt

import pytest

from dondoc.accounts.models import RoleCode
from dondoc.consultation.access import (
    WHEN,
    DraftAction,
    DraftActionRefused,
    check_draft_action,
    draft_actions,
)
from dondoc.consultation.error_codes import ConsultationErrorCode as Code
from dondoc.consultation.models import Theme
from tests.conftest import make_user

from .conftest import TODAY

A = DraftAction
BY_ROLE = {
    RoleCode.ADMIN: {
        A.VIEW,
        A.MANAGE,
        A.SYNTHESIS,
        A.RESPOND,
        A.EXPORT,
        A.READ_IDENTITIES,
        A.ERASE_IDENTITIES,
    },
    RoleCode.OFFICE: {A.VIEW, A.MANAGE, A.SYNTHESIS, A.RESPOND, A.EXPORT},
    RoleCode.LEADER: {A.VIEW, A.SYNTHESIS, A.EXPORT},
    RoleCode.INSPECTOR: {A.VIEW, A.SYNTHESIS, A.EXPORT},
    RoleCode.FOCAL: {A.VIEW, A.COMMENT},
    RoleCode.HEAD: {A.VIEW, A.COMMENT},
    RoleCode.SECRETARIAT: {A.VIEW},
}
NEEDS = {
    A.COMMENT: Code.NOT_OPEN,
    A.RESPOND: Code.NOT_SYNTHESIZED,
    A.ERASE_IDENTITIES: Code.STILL_OPEN,
}


def test_every_action_has_its_conditions_and_every_role_is_in_the_table():
    assert set(WHEN) == set(DraftAction)
    assert set(BY_ROLE) == set(RoleCode)


@pytest.mark.parametrize("is_open", [True, False])
@pytest.mark.parametrize("synthesized", [True, False])
def test_each_role_may_do_exactly_what_its_relation_and_the_drafts_state_allow(
    draft, office_user, lead_agency, is_open, synthesized, api
):
    from dondoc.consultation import services

    if is_open:
        services.round_open(office_user, draft, TODAY, TODAY + dt.timedelta(days=5))
    else:
        services.round_open(
            office_user, draft, TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1)
        )
    if synthesized:
        Theme.objects.create(draft=draft, label="giá bồi thường")
    state = {A.COMMENT: is_open, A.RESPOND: synthesized, A.ERASE_IDENTITIES: not is_open}
    for role, allowed in BY_ROLE.items():
        user = make_user(f"u-{role}", lead_agency, role)
        expected = {a for a in allowed if state.get(a, True)}
        assert draft_actions(user, draft, TODAY) == expected, role
        for action in DraftAction:
            if action in expected:
                check_draft_action(user, draft, action, TODAY)
                continue
            with pytest.raises(DraftActionRefused) as refused:
                check_draft_action(user, draft, action, TODAY)
            assert refused.value.code == (NEEDS[action] if action in allowed else Code.NOT_ALLOWED)
        answered = api(user).get(f"consultation/drafts/{draft.pk}")
        assert set(answered.json()["permissions"]) == expected, role


def test_a_focal_point_cannot_comment_once_the_round_has_closed(draft, office_user, lead_focal):
    from dondoc.consultation import services

    services.round_open(
        office_user, draft, TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1)
    )
    with pytest.raises(DraftActionRefused) as refused:
        services.comment_submit(lead_focal, draft, "agree", "")
    assert str(refused.value) == "Dự thảo hiện không trong thời gian lấy ý kiến."
