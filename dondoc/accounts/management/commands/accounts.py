"""`dondoc accounts erase USERNAME --by ADMIN`: erase a person's account in one step
(`accounts.services.user_erase`; docs/personal-data.md, "A person's requests")."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dondoc.accounts import services
from dondoc.accounts.models import RoleCode, User


class Command(BaseCommand):
    help = "Tài khoản: `erase` xóa dữ liệu cá nhân của một tài khoản (giữ lại bản ghi nhật ký)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="erase")
        erase = actions.add_parser(
            "erase",
            help=(
                "Khóa tài khoản và thay họ tên, tên đăng nhập, thư điện tử, chức vụ bằng "
                "bí danh; ghi vào nhật ký hệ thống."
            ),
        )
        erase.add_argument("username", help="Tên đăng nhập của người cần xóa dữ liệu.")
        erase.add_argument(
            "--by", required=True, help="Tên đăng nhập của quản trị hệ thống thực hiện."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._administrator(options["by"])
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(
                _("Không có tài khoản “%(name)s”.") % {"name": options["username"]}, returncode=1
            ) from None
        try:
            erased = services.user_erase(user, actor=actor)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages), returncode=1) from refused
        if not erased:
            self.stdout.write(_("Tài khoản %(id)d đã được xóa dữ liệu trước đó.") % {"id": user.pk})
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã xóa dữ liệu cá nhân của tài khoản %(id)d, nay là “%(name)s”.")
                % {"id": user.pk, "name": user.username}
            )
        )

    def _administrator(self, username: str) -> User:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None or not actor.has_role(RoleCode.ADMIN):
            raise CommandError(
                _("“%(name)s” không phải quản trị hệ thống đang hoạt động.") % {"name": username},
                returncode=1,
            )
        return actor
