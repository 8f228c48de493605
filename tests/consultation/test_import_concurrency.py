"""One comment per imported row under a real race (issue #11, item 2): the same import run by
eight workers at once (a redelivered job, a resume clicked while it runs), each on its own
PostgreSQL connection. Every row is stored once (comment_import_row_unique and the batch's
compare-and-set on rows_done), the counts are the file's, nobody fails."""

from collections import Counter

import pytest

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.models import Comment, CommenterIdentity, CommentImport, ImportState
from tests.races import needs_postgresql, race

from .test_import import GOOD, csv_file

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]
WORKERS = 8


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_one_import_run_by_eight_workers_at_once_stores_each_row_once(
    office_user, draft, open_round, monkeypatch
):
    monkeypatch.setattr(services, "IMPORT_BATCH", 3)
    monkeypatch.setattr(services, "_enqueue_import", lambda pk: None)  # the race runs it
    rows = [["Đồng ý một phần", f"{GOOD} số {n}", "", "", f"Người {n}", ""] for n in range(10)]
    started = services.comment_import_start(office_user, draft, csv_file(rows))

    outcomes = race(lambda n: services.comment_import_run(started.pk), racers=WORKERS)

    assert outcomes == Counter({"stored": WORKERS})
    started.refresh_from_db()
    assert (started.state, started.rows_done, started.accepted) == (ImportState.DONE, 11, 10)
    assert sorted(Comment.objects.values_list("source_row", flat=True)) == list(range(2, 12))
    assert CommenterIdentity.objects.count() == 10
    batches = AuditEntry.objects.filter(action="comments_import")
    assert sum(e.changes["accepted"][1] for e in batches) == 10  # each batch audited once
    assert CommentImport.objects.count() == 1
