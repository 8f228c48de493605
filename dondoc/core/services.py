"""The outermost service and its inner step: one mechanism for every app.

A service runs in its own durable transaction, so a caller that wraps it in a transaction of
its own fails loudly instead of silently widening it. Loaders that must write everything in
one transaction (the demo) call the same work through `service.step`.
"""

import functools
from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

from django.db import transaction

__all__ = ["Service", "durable_service"]

P = ParamSpec("P")
R = TypeVar("R")


class Service(Protocol[P, R]):
    """Called, it runs in its own durable transaction; `step` runs the same work inside a
    caller's transaction."""

    step: Callable[P, R]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...


def durable_service(step: Callable[P, R]) -> Service[P, R]:
    @functools.wraps(step)
    def service(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return step(*args, **kwargs)

    service.step = step  # type: ignore[attr-defined]
    return service  # type: ignore[return-value]
