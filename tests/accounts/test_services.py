"""The account services directly: what they change, what they refuse, what they report."""

import pytest
from django.core.exceptions import ValidationError

from dondoc.accounts import selectors, services
from dondoc.accounts.models import Clearance, RoleCode, User
from dondoc.core.text import person_sort_key
from tests.accounts.conftest import add_device

pytestmark = pytest.mark.django_db


def update_values(user: User, **overrides) -> dict:
    return {
        "full_name": user.full_name,
        "email": user.email,
        "position": user.position,
        "agency": user.agency,
        "roles": set(user.role_codes),
        "clearance": user.clearance,
        "is_active": user.is_active,
        **overrides,
    }


def test_user_update_reports_each_changed_field_with_before_and_after(
    lead_focal, admin_user, other_agency, lead_agency
):
    changes = services.user_update(
        lead_focal,
        actor=admin_user,
        **update_values(
            lead_focal,
            agency=other_agency,
            roles={RoleCode.FOCAL, RoleCode.HEAD},
            clearance=Clearance.SECRET,
        ),
    )

    assert changes == {
        "agency": [lead_agency, other_agency],
        "clearance": [Clearance.NORMAL, Clearance.SECRET],
        "roles": [[RoleCode.FOCAL], [RoleCode.FOCAL, RoleCode.HEAD]],
    }


def test_user_update_without_differences_changes_nothing(lead_focal, admin_user):
    assert services.user_update(lead_focal, actor=admin_user, **update_values(lead_focal)) == {}


def test_user_create_stores_search_and_sort_keys(admin_user, lead_agency):
    user = services.user_create(
        actor=admin_user,
        username="nguyenthidao",
        full_name="Nguyễn Thị Đào",
        password="Mot-mat-khau-2026-abc",
        agency=lead_agency,
        roles=[RoleCode.FOCAL],
    )

    assert user.search_text.startswith("nguyen thi dao")
    assert user.sort_text == person_sort_key("Nguyễn Thị Đào")
    assert user.role_codes == {RoleCode.FOCAL}


def test_focal_point_without_agency_is_refused(admin_user):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=admin_user,
            username="khongcoquan",
            full_name="Không Cơ Quan",
            password="Mot-mat-khau-2026-abc",
            roles=[RoleCode.FOCAL],
        )

    assert "agency" in error.value.message_dict
    assert not User.objects.filter(username="khongcoquan").exists()


def test_deactivating_the_only_administrator_is_refused(admin_user):
    with pytest.raises(ValidationError):
        services.user_update(
            admin_user, actor=admin_user, **update_values(admin_user, is_active=False)
        )

    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_reset_second_factor_removes_every_device_of_the_user(leader, admin_user):
    add_device(leader)
    services.second_factor_enrol_start(leader)  # a pending one too

    assert services.user_reset_second_factor(leader, actor=admin_user) == 2
    assert selectors.totp_device_confirmed(leader) is None
    assert selectors.totp_device_pending(leader) is None


def test_names_are_stored_normalized(admin_user, lead_focal):
    services.user_update(
        lead_focal,
        actor=admin_user,
        **update_values(lead_focal, full_name="  Nguyễn   Văn\u00a0An ", position="Chuyên  viên"),
    )

    lead_focal.refresh_from_db()
    assert lead_focal.full_name == "Nguyễn Văn An"
    assert lead_focal.position == "Chuyên viên"


def test_account_changes_are_in_the_audit_log_with_who_made_them(
    lead_focal, admin_user, other_agency
):
    from dondoc.audit.models import AuditEntry

    services.user_update(
        lead_focal, actor=admin_user,
        **update_values(lead_focal, agency=other_agency, roles={RoleCode.HEAD}),
    )  # fmt: skip
    services.user_set_password(lead_focal, "Mot-mat-khau-moi-2026", actor=admin_user)
    created = services.user_create(
        actor=admin_user, username="tranvanbinh", full_name="Trần Văn Bình",
        password="Mot-mat-khau-2026-abc", agency=other_agency, roles=[RoleCode.FOCAL],
    )  # fmt: skip

    entries = {e.action: e for e in AuditEntry.objects.filter(action__startswith="user.")}
    assert set(entries) == {"user.update", "user.password_set", "user.create"}
    assert all(entry.actor_id == admin_user.pk for entry in entries.values())
    update = entries["user.update"].changes
    assert update["roles"] == [[RoleCode.FOCAL], [RoleCode.HEAD]]
    assert other_agency.name in update["agency"][1]
    assert "Mot-mat-khau" not in str(entries["user.password_set"].changes)
    assert entries["user.create"].object_id == str(created.pk)
