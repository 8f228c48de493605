"""Keyset ("seek") pagination of task lists: a page starts after (or ends before) the sort key
of a row, never at an OFFSET, so page 500 reads 50 rows like page 1.

A sort is a tuple of `Key`s, the last one unique (the id). A page's links carry a *cursor*: the
sort key of its last (or first) row, the page's number, and a fingerprint of the list (filters
and sort). A cursor whose fingerprint does not match the list it is used on — the filters or
the sort changed since — is ignored: the list starts again at its first page. A cursor only
moves within the rows the list would show anyway; it is not a secret and is not signed.
"""

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Expression, F, Q, QuerySet
from django.db.models.expressions import OrderBy


@dataclass(frozen=True)
class Key:
    """One column of a sort: an expression, its direction, whether it can be NULL (NULLs come
    last in either direction, on SQLite as on PostgreSQL)."""

    expression: Expression | F
    descending: bool = False
    nullable: bool = False

    def order(self, forward: bool) -> OrderBy:
        descending = self.descending != (not forward)
        if self.nullable:
            return OrderBy(self.expression, descending=descending, nulls_last=forward or None,
                           nulls_first=(not forward) or None)  # fmt: skip
        return OrderBy(self.expression, descending=descending)


def key(name: str, *, descending: bool = False, nullable: bool = False) -> Key:
    return Key(F(name), descending=descending, nullable=nullable)


NOTHING = Q(pk__in=[])


def _beyond(name: str, k: Key, value: Any, forward: bool) -> Q:
    """Rows whose key `k` (annotated as `name`) comes strictly after (`forward`) or before
    `value`, NULLs being last."""
    if value is None:
        return NOTHING if forward else Q(**{f"{name}__isnull": False})
    greater = k.descending != (not forward)
    beyond = Q(**{f"{name}__{'lt' if greater else 'gt'}": value})
    if forward and k.nullable:
        beyond |= Q(**{f"{name}__isnull": True})
    return beyond


def _equal(name: str, value: Any) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def _seek(keys: Sequence[Key], names: Sequence[str], values: Sequence[Any], forward: bool) -> Q:
    """Rows strictly after (or before) `values` in the order of `keys` (annotated as `names`):
    the lexicographic comparison, with the first key's bound repeated on its own so an index
    on it is used."""
    condition, equal = NOTHING, Q()
    for k, name, value in zip(keys, names, values, strict=True):
        condition |= equal & _beyond(name, k, value, forward)
        equal &= _equal(name, value)
    first = values[0]
    if first is not None:
        bound = _beyond(names[0], keys[0], first, forward) | _equal(names[0], first)
        condition = bound & condition
    return condition


def _names(rows: QuerySet[Any], keys: Sequence[Key]) -> list[str]:
    """The name each key is read under: an annotation the rows already have when the key is
    `F(that annotation)` (annotated again, its SQL would be written and computed twice: the
    inbox's status rank is a CASE of 1,300 characters), else `_k<n>`."""
    return [
        k.expression.name
        if isinstance(k.expression, F) and k.expression.name in rows.query.annotations
        else f"_k{n}"
        for n, k in enumerate(keys)
    ]


@dataclass
class Counted:
    """What `{{ page.paginator.count }}` and `num_pages` read (when the total is known)."""

    count: int
    num_pages: int


@dataclass
class KeysetPage:
    """One page: its rows, its number, the cursors of the pages beside it."""

    object_list: list[Any]
    number: int
    per_page: int
    total: int | None
    next_cursor: str = ""
    previous_cursor: str = ""
    paginator: Counted = field(init=False)

    def __post_init__(self) -> None:
        total = self.total if self.total is not None else 0
        pages = max(1, -(-total // self.per_page)) if self.total is not None else 0
        self.paginator = Counted(total, pages)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return bool(self.next_cursor)

    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def fingerprint(*parts: object) -> str:
    return hashlib.blake2s(repr(parts).encode(), digest_size=6).hexdigest()


def _encode(number: int, mark: str, values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    raw = json.dumps([number, mark, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, mark: str, size: int) -> tuple[int, list[Any]] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        number, found, values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    valid = (
        found == mark
        and isinstance(number, int)
        and number >= 1
        and isinstance(values, list)
        and len(values) == size
        and all(v is None or isinstance(v, str | int) for v in values)
    )
    return (number, values) if valid else None


def keyset_page(
    rows: QuerySet[Any],
    keys: Sequence[Key],
    *,
    per_page: int,
    after: str = "",
    before: str = "",
    mark: str = "",
    total: int | None = None,
) -> KeysetPage:
    """The page of `rows` (unordered: the order is `keys`) after the cursor `after`, before the
    cursor `before`, or the first page; one query. `mark` is the list's fingerprint; `total`,
    where known, gives the page count."""
    names = _names(rows, keys)
    have = rows.query.annotations
    annotated = rows.annotate(
        **{name: k.expression for name, k in zip(names, keys, strict=True) if name not in have}
    )
    cursor, forward = (after, True) if after else (before, False)
    decoded = _decode(cursor, mark, len(keys)) if cursor else None
    number = 1
    chosen = annotated
    if decoded is not None:
        at, values = decoded
        try:
            chosen = annotated.filter(_seek(keys, names, values, forward))
        except (ValidationError, ValueError, TypeError):  # a cursor edited by hand
            chosen, forward, decoded = annotated, True, None
        else:
            number = at + 1 if forward else max(1, at - 1)
    else:
        forward = True
    found = list(chosen.order_by(*(k.order(forward) for k in keys))[: per_page + 1])
    more = len(found) > per_page
    found = found[:per_page]
    if not forward:
        found.reverse()
        number = number if more else 1  # the first page reached going back
    page = KeysetPage(found, number, per_page, total)
    if found:
        has_next = more if forward else True
        has_previous = (decoded is not None) if forward else more
        if has_next:
            page.next_cursor = _encode(number, mark, _values(found[-1], names))
        if has_previous:
            page.previous_cursor = _encode(number, mark, _values(found[0], names))
    return page


def _values(row: Any, names: Sequence[str]) -> list[Any]:
    return [getattr(row, name) for name in names]
