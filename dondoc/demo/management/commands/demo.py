from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dondoc.demo.load import DEMO_ACCOUNTS, DEMO_PASSWORD, database_is_empty, demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu vào cơ sở dữ liệu trống (load the demo data into an empty database)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tasks", type=int, default=3000, help="number of generated tasks")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty database, else just print the accounts (for serve)",
        )

    def handle(self, *args: Any, tasks: int, seed: int, if_empty: bool, **options: Any) -> None:
        empty = database_is_empty()
        if if_empty and not empty:
            print_accounts(self.stdout)
            return
        if not empty:
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống."
            )
        self.stdout.write("Cơ sở dữ liệu trống: đang nạp dữ liệu mẫu…")
        counts = demo_load(tasks=tasks, seed=seed)
        self.stdout.write(
            f"Đã nạp dữ liệu mẫu: {counts['agencies']} cơ quan, {counts['documents']} văn bản, "
            f"{counts['tasks']} nhiệm vụ."
        )
        print_accounts(self.stdout)


def print_accounts(out: Any) -> None:
    out.write(f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, name, roles, agency, _clearance in DEMO_ACCOUNTS:
        out.write(
            f"  {username:<14} {name} — {', '.join(str(r.label) for r in roles)} ({agency or '—'})"
        )
