"""Administrators keep the user accounts: list, search, create, edit, reset the second factor."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts.models import Clearance, RoleCode, User
from tests.accounts.conftest import add_device, sign_in_verified, sign_in_with_password
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mot-mat-khau-rat-moi-2026"


def person(username: str, full_name: str, agency=None, *roles: str) -> User:
    user = make_user(username, agency, *roles)
    user.full_name = full_name
    user.save()
    return user


def listed(response) -> list[str]:
    return [user.full_name for user in response.context["page"].object_list]


def create_form(lead_agency, **overrides) -> dict:
    return {
        "username": "nguyenvanan",
        "full_name": "Nguyễn Văn An",
        "email": "an@btctw.example.vn",
        "position": "Chuyên viên",
        "agency": lead_agency.pk,
        "roles": [RoleCode.FOCAL],
        "clearance": Clearance.CONFIDENTIAL,
        "is_active": "on",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def edit_form(user: User, **overrides) -> dict:
    values = {
        "full_name": user.full_name,
        "email": user.email,
        "position": user.position,
        "agency": user.agency_id or "",
        "roles": sorted(user.role_codes),
        "clearance": user.clearance,
        "password1": "",
        "password2": "",
        **overrides,
    }
    if user.is_active and "is_active" not in overrides:
        values["is_active"] = "on"
    return {k: v for k, v in values.items() if v is not None}


# Who may open the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["office_user", "lead_focal", "inspector", "leader"])
@pytest.mark.parametrize(
    "page", ["accounts:user_list", "accounts:user_create", "accounts:user_edit"]
)
def test_only_administrators_open_user_administration(client, request, actor, page, lead_focal):
    sign_in_verified(client, request.getfixturevalue(actor))
    url = reverse(page, kwargs={"pk": lead_focal.pk} if page == "accounts:user_edit" else {})

    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_non_administrator_cannot_reset_someone_elses_second_factor(client, office_user, leader):
    add_device(leader)
    sign_in_verified(client, office_user)

    response = client.post(reverse("accounts:user_reset_second_factor", kwargs={"pk": leader.pk}))

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()


def test_administrator_without_second_factor_is_sent_to_verify(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("accounts:user_list"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:second_factor")


# The list -----------------------------------------------------------------------------------


def test_list_is_in_vietnamese_name_order(admin_client_verified, lead_agency):
    person("tranvanbinh", "Trần Văn Bình", lead_agency)
    person("nguyenvanan", "Nguyễn Văn An", lead_agency)
    person("lethicuc", "Lê Thị Cúc", lead_agency)
    person("phamvananh", "Phạm Văn Anh", lead_agency)

    response = admin_client_verified.get(reverse("accounts:user_list"), {"agency": lead_agency.pk})

    assert listed(response) == ["Nguyễn Văn An", "Phạm Văn Anh", "Trần Văn Bình", "Lê Thị Cúc"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van", ["Nguyễn Văn An"]),
        ("Nguyễn", ["Nguyễn Văn An", "Nguyễn Thị Đào"]),
        ("an nguyen", ["Nguyễn Văn An"]),
        ("dao", ["Nguyễn Thị Đào"]),
        ("tranvanbinh", ["Trần Văn Bình"]),
        ("khong ai", []),
    ],
)
def test_search_ignores_diacritics_and_word_order(
    admin_client_verified, lead_agency, query, expected
):
    person("nguyenvanan", "Nguyễn Văn An", lead_agency)
    person("tranvanbinh", "Trần Văn Bình", lead_agency)
    person("nguyenthidao", "Nguyễn Thị Đào", lead_agency)

    response = admin_client_verified.get(reverse("accounts:user_list"), {"q": query})

    assert listed(response) == expected


def test_list_filters_by_agency_and_by_role(
    admin_client_verified, lead_focal, other_focal, office_user, other_agency
):
    url = reverse("accounts:user_list")

    by_agency = admin_client_verified.get(url, {"agency": other_agency.pk})
    by_role = admin_client_verified.get(url, {"role": RoleCode.FOCAL})
    both = admin_client_verified.get(url, {"role": RoleCode.FOCAL, "agency": other_agency.pk})

    assert listed(by_agency) == [other_focal.full_name]
    assert sorted(listed(by_role)) == sorted([lead_focal.full_name, other_focal.full_name])
    assert listed(both) == [other_focal.full_name]


def test_list_ignores_an_unknown_agency_rather_than_failing(admin_client_verified, lead_focal):
    response = admin_client_verified.get(reverse("accounts:user_list"), {"agency": 999999})

    assert response.status_code == 200
    assert lead_focal.full_name in listed(response)


def test_list_shows_fifty_users_a_page_with_a_fixed_number_of_queries(
    admin_client_verified, lead_agency, django_assert_max_num_queries
):
    for number in range(55):
        person(f"nguoidung{number:02}", f"Người Dùng {number:02}", lead_agency, RoleCode.FOCAL)
    url = reverse("accounts:user_list")

    with django_assert_max_num_queries(16):  # 12, and 4 to audit the read (personal data)
        first = admin_client_verified.get(url, {"agency": lead_agency.pk})
    second = admin_client_verified.get(url, {"agency": lead_agency.pk, "page": 2})

    assert len(listed(first)) == 50
    assert len(listed(second)) == 5
    assert first.context["page"].paginator.count == 55
    assert "page=2" in first.content.decode()


def test_filter_form_asks_htmx_for_the_results_only(admin_client_verified, lead_focal):
    response = admin_client_verified.get(
        reverse("accounts:user_list"),
        {"q": "daumoi"},
        headers={"HX-Request": "true", "HX-Target": "user-results"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert "<table>" in html
    assert lead_focal.username in html


# Creating -----------------------------------------------------------------------------------


def test_administrator_creates_a_user_who_can_then_sign_in(admin_client_verified, lead_agency):
    response = admin_client_verified.post(reverse("accounts:user_create"), create_form(lead_agency))

    user = User.objects.get(username="nguyenvanan")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_edit", kwargs={"pk": user.pk})
    assert user.full_name == "Nguyễn Văn An"
    assert user.agency == lead_agency
    assert user.role_codes == {RoleCode.FOCAL}
    assert user.clearance == Clearance.CONFIDENTIAL
    assert user.is_active
    assert "nguyen van an" in user.search_text
    assert sign_in_with_password(Client(), user, NEW_PASSWORD).status_code == 302


def test_username_is_unique_whatever_the_case(admin_client_verified, lead_agency, lead_focal):
    response = admin_client_verified.post(
        reverse("accounts:user_create"), create_form(lead_agency, username="DAUMOI.BTCTW")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.filter(username__iexact="daumoi.btctw").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "khac-han-2026-xyz"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"agency": ""}, "agency"),  # a focal point belongs to an agency
        ({"username": "có dấu cách"}, "username"),
    ],
)
def test_create_refuses_invalid_input(admin_client_verified, lead_agency, overrides, field):
    response = admin_client_verified.post(
        reverse("accounts:user_create"), create_form(lead_agency, **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not User.objects.filter(full_name="Nguyễn Văn An").exists()


# Editing ------------------------------------------------------------------------------------


def test_administrator_edits_details_roles_clearance_and_active_flag(
    admin_client_verified, lead_focal, other_agency
):
    url = reverse("accounts:user_edit", kwargs={"pk": lead_focal.pk})
    assert admin_client_verified.get(url).status_code == 200

    response = admin_client_verified.post(
        url,
        edit_form(
            lead_focal,
            full_name="Hoàng Thị Em",
            email="em@hanoi.example.vn",
            position="Phó Chánh Văn phòng",
            agency=other_agency.pk,
            roles=[RoleCode.FOCAL, RoleCode.HEAD],
            clearance=Clearance.SECRET,
            is_active=None,
        ),
    )

    assert response.status_code == 302
    user = User.objects.get(pk=lead_focal.pk)
    assert user.full_name == "Hoàng Thị Em"
    assert user.email == "em@hanoi.example.vn"
    assert user.position == "Phó Chánh Văn phòng"
    assert user.agency == other_agency
    assert user.role_codes == {RoleCode.FOCAL, RoleCode.HEAD}
    assert user.clearance == Clearance.SECRET
    assert not user.is_active
    assert "hoang thi em" in user.search_text


def test_administrator_sets_a_new_password_which_ends_the_old_one(
    admin_client_verified, lead_focal
):
    url = reverse("accounts:user_edit", kwargs={"pk": lead_focal.pk})

    admin_client_verified.post(
        url, edit_form(lead_focal, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    )

    lead_focal.refresh_from_db()
    assert lead_focal.check_password(NEW_PASSWORD)
    assert not lead_focal.check_password(PASSWORD)


def test_leaving_the_password_empty_keeps_it(admin_client_verified, lead_focal):
    url = reverse("accounts:user_edit", kwargs={"pk": lead_focal.pk})

    admin_client_verified.post(url, edit_form(lead_focal, position="Chuyên viên chính"))

    lead_focal.refresh_from_db()
    assert lead_focal.position == "Chuyên viên chính"
    assert lead_focal.check_password(PASSWORD)


def test_the_last_administrator_cannot_remove_their_own_administration(
    admin_client_verified, admin_user
):
    url = reverse("accounts:user_edit", kwargs={"pk": admin_user.pk})

    response = admin_client_verified.post(url, edit_form(admin_user, roles=[RoleCode.OFFICE]))

    assert response.status_code == 200
    assert "ít nhất một quản trị hệ thống" in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).role_codes == {RoleCode.ADMIN}


def test_an_administrator_can_be_removed_while_another_remains(
    admin_client_verified, office_agency
):
    second = make_user("quantri2", office_agency, RoleCode.ADMIN)
    url = reverse("accounts:user_edit", kwargs={"pk": second.pk})

    response = admin_client_verified.post(url, edit_form(second, is_active=None))

    assert response.status_code == 302
    assert not User.objects.get(pk=second.pk).is_active


def test_editing_an_unknown_user_is_not_found(admin_client_verified):
    assert admin_client_verified.get("/accounts/users/999999/").status_code == 404


# Second factor reset ------------------------------------------------------------------------


def test_reset_of_the_second_factor_makes_the_leader_enrol_again(admin_client_verified, leader):
    add_device(leader)
    leader_client = sign_in_verified(Client(), leader)
    assert leader_client.get(reverse("home:home")).status_code == 200

    response = admin_client_verified.post(
        reverse("accounts:user_reset_second_factor", kwargs={"pk": leader.pk})
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert leader_client.get(reverse("home:home")).url == reverse("accounts:second_factor")
    enrol = leader_client.get(reverse("accounts:second_factor"))
    assert "Đăng ký xác thực hai lớp" in enrol.content.decode()


def test_reset_of_the_second_factor_requires_post(admin_client_verified, leader):
    add_device(leader)

    response = admin_client_verified.get(
        reverse("accounts:user_reset_second_factor", kwargs={"pk": leader.pk})
    )

    assert response.status_code == 405
    assert TOTPDevice.objects.filter(user=leader).exists()


def test_administrator_who_gives_up_administration_is_sent_home(
    admin_client_verified, admin_user, office_agency
):
    make_user("quantri2", office_agency, RoleCode.ADMIN)
    url = reverse("accounts:user_edit", kwargs={"pk": admin_user.pk})

    response = admin_client_verified.post(url, edit_form(admin_user, roles=[RoleCode.OFFICE]))

    assert response.status_code == 302
    assert response.url == reverse("home:home")
    assert User.objects.get(pk=admin_user.pk).role_codes == {RoleCode.OFFICE}
