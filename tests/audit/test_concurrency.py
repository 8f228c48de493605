"""Writers appending at the same time still produce one gapless chain (PostgreSQL).

SQLite is not tested here: the test database is a shared-cache in-memory one, where a second
writer gets "database table is locked" at once instead of waiting. With a file database every
transaction starts with BEGIN IMMEDIATE (settings), so SQLite writers are serialized anyway.
"""

import threading

import pytest
from django.db import connection, transaction

from dondoc.audit.models import AuditEntry
from dondoc.audit.services import audit_record, audit_verify

WRITERS = 6
ENTRIES_EACH = 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_one_gapless_chain(admin_user, office_agency):
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(ENTRIES_EACH):
                with transaction.atomic():
                    audit_record(admin_user, "update", office_agency, {"n": [n, i]})
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = WRITERS * ENTRIES_EACH
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, total + 1)
    )
    assert audit_verify().checked == total
