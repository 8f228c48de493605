"""Who holds a PostgreSQL session, and how long an idle one may live.

Every connection says which kind of dondoc process opened it (`application_name`, shown by
`pg_stat_activity`): `dondoc-web/<pid>` (gunicorn), `dondoc-worker/<pid>` and
`dondoc-beat/<pid>` (Celery), `dondoc-cli/<pid> <command>` (`dondoc migrate`, `dondoc backup`…)
and `dondoc-test/<pid>` (pytest). `DONDOC_PROCESS` names the kind explicitly (`serve` sets it for
its children); otherwise it is read from the command line.

Sessions were left open because connections are persistent (`DB_CONN_MAX_AGE`, 60 s) and
Django only closes an old one when *the same thread* starts or ends its next request or job.
gunicorn's threads and the Celery worker's pool threads each keep their own connection; a
thread that gets no further request keeps it idle for as long as the process lives (a `serve`
with 2 workers of 8 threads: up to 16 idle sessions for hours). So the server is asked to end a session
idle, outside a transaction, for `DB_IDLE_SESSION_SECONDS` (300 by default; PostgreSQL 14's
`idle_session_timeout`); Django's health check (`conn_health_checks`) notices the closed
connection at the next request or job and opens a new one.
"""

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ENV = "DONDOC_PROCESS"
KINDS = ("web", "worker", "beat", "cli", "test")
NAME_LIMIT = 63  # PostgreSQL keeps NAMEDATALEN - 1 bytes of application_name
COMMANDS = {"dondoc", "manage.py", "cli.py"}  # dondoc, and `python -m dondoc.cli`


def process_kind(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """web, worker, beat, cli or test: DONDOC_PROCESS if set, else guessed from the command."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if environ.get(ENV):
        return environ[ENV]
    program = argv[0] if argv else ""
    if "pytest" in program:
        return "test"
    if "gunicorn" in program:
        return "web"
    if "celery" in program:
        words = set(argv[1:])
        if "worker" in words:
            return "worker"  # `celery worker --beat` too: one process, mostly a worker
        if "beat" in words:
            return "beat"
    if Path(program).name not in COMMANDS and environ.get("PYTEST_XDIST_WORKER"):
        return "test"  # a pytest-xdist worker runs as `python -c`
    return "cli"


def application_name(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """`dondoc-<kind>/<pid>`, and for a command line the command: `dondoc-cli/123 migrate`."""
    argv = sys.argv if argv is None else argv
    kind = process_kind(argv, environ)
    name = f"dondoc-{kind}/{os.getpid()}"
    if kind == "cli" and len(argv) > 1 and Path(argv[0]).name in COMMANDS:
        name = f"{name} {argv[1]}"
    return name.encode()[:NAME_LIMIT].decode(errors="ignore")


def postgres_options(idle_seconds: int) -> dict[str, str]:
    """Connection options for PostgreSQL: who we are, and when the server ends an idle session."""
    options = {"application_name": application_name()}
    if idle_seconds > 0:
        options["options"] = f"-c idle_session_timeout={idle_seconds * 1000}"
    return options
