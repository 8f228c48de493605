"""An account's erasure reaches the e-mails to the person (Decree 13/2023, Art. 16): nothing
more is sent to them, the addresses of those already sent are gone, no digest is built."""

import pytest
from django.core import mail

from dondoc.accounts.services import user_erase
from dondoc.audit.models import AuditEntry
from dondoc.urging.models import EmailOutbox, Notification
from dondoc.urging.services import digests_send, outbox_deliver, reminder_sweep
from tests.urging.conftest import DAY, DEADLINE, at, make_task

pytestmark = pytest.mark.django_db


def test_erasure_drops_unsent_emails_and_the_addresses_of_sent_ones(
    lead_agency, lead_focal, lead_head, digest_focal, admin_user
):
    make_task("Quá hạn", lead_agency, due=DEADLINE - DAY)
    with at(DEADLINE):
        reminder_sweep(DEADLINE)
        outbox_deliver()  # the first reminders are sent
    make_task("Sắp đến hạn", lead_agency, due=DEADLINE + 2 * DAY)
    with at(DEADLINE + DAY):
        reminder_sweep(DEADLINE + DAY)  # the next ones wait in the outbox
    address = lead_focal.email
    assert EmailOutbox.objects.filter(to=address, sent_at__isnull=False).exists()
    assert EmailOutbox.objects.filter(to=address, sent_at__isnull=True).exists()
    others = EmailOutbox.objects.exclude(to=address).count()
    others_waiting = EmailOutbox.objects.exclude(to=address).filter(sent_at__isnull=True).count()
    assert Notification.objects.filter(recipient=digest_focal, digest_pending=True).exists()

    erased = user_erase(lead_focal, actor=admin_user)
    user_erase(digest_focal, actor=admin_user)

    assert "emails" in erased
    assert not EmailOutbox.objects.filter(to=address).exists()
    mine = EmailOutbox.objects.filter(notification__recipient=lead_focal)
    assert mine.exists()
    assert set(mine.values_list("to", flat=True)) == {""}
    assert not mine.filter(sent_at__isnull=True).exists()  # nothing left to send them
    assert EmailOutbox.objects.exclude(notification__recipient=lead_focal).count() == others
    mail.outbox.clear()
    with at(DEADLINE + DAY, hour=10):
        outbox_deliver()
        assert digests_send(DEADLINE + 2 * DAY).digests == 0  # the digest reader was erased
    assert len(mail.outbox) == others_waiting  # the others still get theirs
    assert address not in {m.to[0] for m in mail.outbox}
    entry = AuditEntry.objects.filter(action="user.erase", object_id=str(lead_focal.pk)).get()
    assert "emails" in entry.changes
    assert address not in str(entry.changes)

    assert user_erase(lead_focal, actor=admin_user) == []  # a second erasure finds nothing
