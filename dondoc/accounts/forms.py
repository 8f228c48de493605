"""Input checks for the sign-in, profile and user administration pages (no data changes here)."""

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Clearance, NotificationMode, RoleCode, User
from dondoc.agencies.models import Agency


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Mã xác thực (6 chữ số)"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Mã xác thực gồm đúng 6 chữ số.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"\d{6}",
                "maxlength": "6",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).replace(" ", "")


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên, tên đăng nhập, thư điện tử"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.active(),
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[("", _("Tất cả vai trò")), *RoleCode.choices],
        required=False,
    )


class PasswordPairForm(forms.Form):
    """Two password fields that must match and pass the configured password validators."""

    password_required = True

    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].required = self.password_required
        self.fields["password2"].required = self.password_required

    def password_user(self) -> User | None:
        """The user the password is for, so a password like their name is refused."""
        return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and first != second:
            self.add_error("password2", _("Hai mật khẩu không khớp nhau."))
        elif first:
            try:
                password_validation.validate_password(first, self.password_user())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserFieldsForm(PasswordPairForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— Không thuộc cơ quan nào —"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"),
        choices=RoleCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Quản trị hệ thống và lãnh đạo phải đăng nhập bằng mã xác thực hai lớp."),
    )
    clearance = forms.TypedChoiceField(
        label=_("Mức được tiếp cận"), choices=Clearance.choices, coerce=int
    )
    is_active = forms.BooleanField(
        label=_("Đang hoạt động"),
        required=False,
        initial=True,
        help_text=_("Bỏ chọn để khóa tài khoản thay vì xóa."),
    )

    field_order = [
        "username",
        "full_name",
        "email",
        "position",
        "agency",
        "roles",
        "clearance",
        "is_active",
        "password1",
        "password2",
    ]

    def __init__(self, *args: Any, current_agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.active()
        if current_agency is not None:  # keep a user's dissolved agency selectable
            agencies = agencies | Agency.objects.filter(pk=current_agency.pk)
        agency_field = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        agency_field.queryset = agencies.order_by("sort_text")

    def user_values(self) -> dict[str, Any]:
        """The cleaned values as the `user_create` / `user_update` services take them."""
        fields = ("full_name", "email", "position", "agency", "roles", "clearance", "is_active")
        return {name: self.cleaned_data[name] for name in fields}


class UserCreateForm(UserFieldsForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ, số và các ký tự @ . + - _; không phân biệt chữ hoa, chữ thường."),
    )

    def password_user(self) -> User:
        return User(
            username=self.cleaned_data.get("username", ""),
            full_name=self.cleaned_data.get("full_name", ""),
            email=self.cleaned_data.get("email", ""),
        )


class UserEditForm(UserFieldsForm):
    password_required = False

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, current_agency=user.agency, **kwargs)
        self.fields["password1"].label = _("Đặt mật khẩu mới")
        self.fields["password1"].help_text = _("Để trống nếu không đổi mật khẩu.")
        self.fields["password2"].label = _("Nhập lại mật khẩu mới")

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "full_name": user.full_name,
            "email": user.email,
            "position": user.position,
            "agency": user.agency_id,
            "roles": sorted(user.role_codes),
            "clearance": user.clearance,
            "is_active": user.is_active,
        }

    def password_user(self) -> User:
        return self.user


class NotificationModeForm(forms.Form):
    notification_mode = forms.ChoiceField(
        label=_("Nhận nhắc việc"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
    )
