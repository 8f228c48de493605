"""`dondoc db roles`: create the PostgreSQL application role and grant it what serving needs
(docs/operations.md, "Database roles")."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dondoc.core.dbroles import DEFAULT_APP_ROLE, RolesRefused, db_roles_grant


class Command(BaseCommand):
    help = "Cơ sở dữ liệu: `roles` tạo vai trò ứng dụng và cấp đúng quyền cần để phục vụ."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="roles")
        roles = actions.add_parser(
            "roles",
            help=(
                "Chạy bằng vai trò chủ sở hữu: tạo (nếu chưa có) vai trò ứng dụng, không được "
                "tạo/sửa bảng, không được sửa hay xóa nhật ký."
            ),
        )
        roles.add_argument("--app-role", default=DEFAULT_APP_ROLE)
        roles.add_argument(
            "--password-env",
            default="DONDOC_APP_DB_PASSWORD",
            help="biến môi trường chứa mật khẩu của vai trò ứng dụng (nếu có)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"]) or None
        try:
            roles = db_roles_grant(options["app_role"], password)
        except RolesRefused as refused:
            raise CommandError(
                _("Không thiết lập vai trò: %(reason)s.") % {"reason": refused}
            ) from refused
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Vai trò ứng dụng %(app)s (%(state)s) được đọc/ghi %(n)d bảng, chỉ đọc và "
                    "thêm vào nhật ký; chủ sở hữu %(owner)s chạy migrate."
                )
                % {
                    "app": roles.app,
                    "state": _("mới tạo") if roles.created else _("đã có"),
                    "n": roles.tables,
                    "owner": roles.owner,
                }
            )
        )
