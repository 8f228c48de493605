"""`dondoc token create|revoke|list`: API tokens, issued by an administrator.

The secret is printed once, at creation, and never stored: lose it and create another.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.api.selectors import token_find, tokens_listed
from dondoc.api.services import token_create, token_revoke


class Command(BaseCommand):
    help = _("Khóa API: tạo (in khóa bí mật một lần), thu hồi, liệt kê.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="create|revoke|list")
        create = actions.add_parser("create", help=_("Tạo khóa API cho một người dùng."))
        create.add_argument("username")
        create.add_argument(
            "--name", default="", help=_("Tên gợi nhớ, ví dụ tên hệ thống dùng khóa.")
        )
        create.add_argument(
            "--expires-in-days", type=int, default=None, help=_("Số ngày khóa còn hiệu lực.")
        )
        revoke = actions.add_parser("revoke", help=_("Thu hồi khóa theo tiền tố hoặc số hiệu."))
        revoke.add_argument("reference", metavar="prefix|id")
        listing = actions.add_parser("list", help=_("Liệt kê khóa (của một người dùng)."))
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, options["action"])(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng “%(u)s”.") % {"u": username})
        return user

    def create(
        self, *, username: str, name: str, expires_in_days: int | None, **_options: Any
    ) -> None:
        expires_at = None
        if expires_in_days is not None:
            if not 0 < expires_in_days <= 3650:
                raise CommandError(_("Số ngày hiệu lực phải từ 1 đến 3650."))
            expires_at = timezone.now() + dt.timedelta(days=expires_in_days)
        token, secret = token_create(self._user(username), name=name, expires_at=expires_at)
        self.stdout.write(
            _("Đã tạo khóa %(prefix)s (số %(id)d) cho %(user)s. Khóa bí mật chỉ hiện một lần:")
            % {"prefix": token.prefix, "id": token.pk, "user": username}
        )
        self.stdout.write(secret)

    def revoke(self, *, reference: str, **_options: Any) -> None:
        token = token_find(reference)
        if token is None:
            raise CommandError(_("Không có khóa “%(r)s”.") % {"r": reference})
        token_revoke(token)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã thu hồi khóa %(prefix)s của %(user)s.")
                % {"prefix": token.prefix, "user": token.user.username}
            )
        )

    def list(self, *, username: str | None = None, **_options: Any) -> None:
        tokens = tokens_listed(self._user(username) if username else None)
        now = timezone.now()
        header = [_("số"), _("tiền tố"), _("người dùng"), _("tên"), _("trạng thái")]
        header += [_("ngày tạo"), _("dùng gần nhất"), _("hết hạn")]
        self.stdout.write("\t".join(header))
        for token in tokens:
            self.stdout.write(
                "\t".join(
                    [
                        str(token.pk),
                        token.prefix,
                        token.user.username,
                        token.name or "-",
                        _state(token, now),
                        _when(token.created_at),
                        _when(token.last_used_at),
                        _when(token.expires_at),
                    ]
                )
            )


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "-"


def _state(token: Any, now: dt.datetime) -> str:
    if token.revoked_at:
        return _("đã thu hồi")
    if token.expires_at and token.expires_at <= now:
        return _("hết hạn")
    return _("hiệu lực")
