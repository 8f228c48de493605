"""The demo's office specialist opens her queue on "mine" and finds work in it."""

from dondoc.accounts.models import User
from dondoc.demo.load import demo_load
from dondoc.tracking.models import Document
from dondoc.tracking.queue import QueueFilters, queue_counts


def test_the_office_specialist_follows_documents_and_her_own_queue_has_items(db):
    demo_load(tasks=80, seed=5)
    office = User.objects.get(username="vanphong")
    followed = Document.objects.filter(follower=office).count()
    assert 0 < followed < Document.objects.count()  # "all" still shows more than "mine"
    mine = queue_counts(office, QueueFilters(mine=True), None)
    everyone = queue_counts(office, QueueFilters(mine=False), None)
    assert 0 < sum(mine.values()) < sum(everyone.values())
