"""The "shared" cache's table (settings.CACHES, without Redis), with counters that lose nothing.

Django's DatabaseCache increments by reading the value and writing it back: two processes
counting failed sign-ins from one address at the same moment both read 4 and both write 5, and
an attacker who spreads guesses over the web processes gets more than the limit (issue #11).
Here `incr` (and `decr`) read the row with `SELECT … FOR UPDATE` and write it in the same
transaction, so concurrent increments wait for each other; on SQLite the transaction takes the
write lock as it begins (`transaction_mode` IMMEDIATE in settings), which serializes them the
same way. `add` locks an existing (expired) row the same way before replacing it, so that two
processes starting a new window do not both start it.

Culling removes expired rows only. Django's, once the table holds more than MAX_ENTRIES (300 by
default) rows, also deletes a third of the live rows by key order: a counter between its `add`
and its `incr` vanished (a 500, "Key … not found"), a rate limit started again from zero, a
used proof-of-work challenge could serve twice, and two requests culling while each held its
own key's row lock deadlocked on PostgreSQL — 9% of the public comment page's posts under 16
concurrent clients failed so (bench/intake_http.py). Here live rows stay until they expire; the
expired ones are deleted by whichever request is over MAX_ENTRIES, on PostgreSQL skipping rows
another request holds, so that two cullers never wait on each other.
"""

import base64
import pickle
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    _table: str  # set by Django's __init__ (the table's name); not in django-stubs

    def _lock_sql(self, connection: Any, columns: str) -> str:
        quote = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        table = quote(self._table)  # names quoted from settings; the key is a parameter
        return f"SELECT {columns} FROM {table} WHERE {quote('cache_key')} = %s{lock}"  # noqa: S608

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db), connection.cursor() as cursor:
            stored_key = self.make_and_validate_key(key, version=version)
            cursor.execute(
                self._lock_sql(connection, connection.ops.quote_name("expires")), [stored_key]
            )
            return bool(super().add(key, value, timeout, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add `delta` to the stored number and return the new value, atomically; ValueError
        if the key is missing or expired (as Django's)."""
        stored_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                self._lock_sql(connection, f"{quote('value')}, {quote('expires')}"), [stored_key]
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 - our own rows
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {quote(self._table)} SET {quote('value')} = %s "  # noqa: S608
                f"WHERE {quote('cache_key')} = %s",
                [encoded, stored_key],
            )
        return value

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        for converter in converters + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return bool(expires < timezone.now())

    def _cull(self, db: str, cursor: Any, now: Any, num: int) -> None:
        """Delete the expired rows, never a live one (see the module's note)."""
        connection = connections[db]
        quote = connection.ops.quote_name
        table, expires, key = quote(self._table), quote("expires"), quote("cache_key")
        moment = connection.ops.adapt_datetimefield_value(now)
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} "  # noqa: S608
                f"WHERE {expires} < %s LIMIT 10000 FOR UPDATE SKIP LOCKED)",
                [moment],
            )
        else:  # SQLite: one writer at a time (IMMEDIATE transactions)
            cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [moment])  # noqa: S608
