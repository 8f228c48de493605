"""Real races for the one-of rules (issue #11, item 2): `racers` threads, each on its own
database connection, released together by a barrier; the outcomes counted by the refusal's
code. Only PostgreSQL races for real: SQLite's test database is a shared-cache in-memory one
where a second writer fails at once instead of waiting (see tests/audit/test_concurrency.py)."""

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dondoc.core.access import ActionRefused

RACERS = 20
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers"
)


def refusal_code(error: ValidationError | ActionRefused) -> str:
    """The refusal's code, whether it is about the whole request or one of its fields."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return str(next(iter(error.error_dict.values()))[0].code)
    return str(error.code)


def race(action: Callable[[int], Any], racers: int = RACERS) -> Counter[str]:
    """Run `action(n)` in `racers` threads released together; count the outcomes: "stored" for
    one that returned, the code of a clear refusal, or the type and text of anything else (a
    500 in the making, shown by the test's assertion)."""
    start = threading.Barrier(racers)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait()
            action(n)
            outcome = "stored"
        except (ValidationError, ActionRefused) as error:
            outcome = refusal_code(error)
        except Exception as error:  # a refusal of its own kind with a stable code
            code = getattr(error, "code", None)
            outcome = str(code) if isinstance(code, str) else f"{type(error).__name__}: {error}"
        except BaseException as error:  # counted, and shown by the assertion
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
