"""The `dondoc` command: Django's management commands plus our own (serve, audit, demo…)."""

import os
import sys


def _take_data_dir(argv: list[str]) -> list[str]:
    """`--data-dir` must be known before settings load, so it is read here and exported."""
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--data-dir":
            os.environ["DONDOC_DATA_DIR"] = next(args, "")
        elif arg.startswith("--data-dir="):
            os.environ["DONDOC_DATA_DIR"] = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(_take_data_dir(sys.argv))


if __name__ == "__main__":
    main()
