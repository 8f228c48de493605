"""An agenda document nothing serves any more is deleted from the disk once the transaction
commits: one replaced before any publication named it, one whose item was removed from the
agenda, one only an older publication named; the file the latest publication names stays for
the delegates until a newer publication stops naming it. A transaction that fails deletes
nothing."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dondoc.congress import services
from dondoc.congress.models import AgendaItem
from tests.congress.test_agenda_publish import _item, _pdf

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def _files(root: Path) -> set[str]:
    return {p.name for p in Path(root).rglob("*") if p.is_file()}


def _stored(item: AgendaItem) -> str:
    item.refresh_from_db()
    return Path(item.document.name).name


@time_machine.travel(BEFORE, tick=False)
def test_a_document_replaced_before_publication_leaves_no_file(
    congress,
    secretary,
    media,
    django_capture_on_commit_callbacks,
):
    item = _item(congress)
    services.agenda_document_attach(secretary, item, _pdf(name="ban-1.pdf"))
    first = _stored(item)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_document_attach(secretary, item, _pdf(name="ban-2.pdf"))
    assert _files(media) == {_stored(item)}
    assert first not in _files(media)


@time_machine.travel(BEFORE, tick=False)
def test_the_published_file_stays_until_a_newer_publication_stops_naming_it(
    congress,
    secretary,
    media,
    django_capture_on_commit_callbacks,
):
    item = _item(congress)
    services.agenda_document_attach(secretary, item, _pdf(name="ban-1.pdf"))
    published = _stored(item)
    services.agenda_publish(secretary, congress)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_document_attach(secretary, item, _pdf(name="ban-2.pdf"))
    current = _stored(item)
    assert _files(media) == {published, current}  # the delegates still read the first
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_publish(secretary, congress, "Tài liệu mới")
    assert _files(media) == {current}


@time_machine.travel(BEFORE, tick=False)
def test_an_item_removed_from_the_agenda_takes_its_document_with_it(
    congress,
    secretary,
    media,
    django_capture_on_commit_callbacks,
):
    item = _item(congress)
    services.agenda_document_attach(secretary, item, _pdf(name="ban-1.pdf"))
    session = item.session
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_revise(secretary, session, [("Khai mạc", "Ban Tổ chức", 20)], "Đổi mục")
    assert _files(media) == set()


@time_machine.travel(BEFORE, tick=False)
def test_a_failed_change_deletes_nothing(
    congress,
    secretary,
    media,
    django_capture_on_commit_callbacks,
):
    item = _item(congress)
    services.agenda_document_attach(secretary, item, _pdf(name="ban-1.pdf"))
    before = _files(media)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.agenda_revise(secretary, item.session, [("Khai mạc", "", 0)], "Sai thời lượng")
    assert _files(media) == before
    assert AgendaItem.objects.filter(pk=item.pk).exists()
