"""What the congress tells its delegates in the app, through urging's notifications: an agenda
change reaches every delegate linked to an account (not one replaced by an alternate), with why
it changed and a link to their own page, which lists every change. Written in the transaction of
the change. One notification per delegate and day (urging's table keeps one task-less row per
person, kind and day): a second change the same day rewrites it and marks it unread again."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.congress.models import AgendaRevision, Delegate, DelegateStanding
from dondoc.urging.models import Notification

AGENDA_CHANGED = "congress_agenda"


def agenda_change_notify(actor: User, revision: AgendaRevision) -> int:
    """Notify the congress's delegates of `revision`; returns how many were told."""
    congress = revision.congress
    people = set(
        Delegate.objects.filter(congress=congress, user__isnull=False, user__is_active=True)
        .exclude(standing=DelegateStanding.REPLACED)
        .exclude(user=actor)
        .values_list("user_id", flat=True)
    )
    if not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(congress)s: chương trình thay đổi (lần %(n)d). Lý do: %(note)s") % {
            "congress": congress.name,
            "n": revision.number,
            "note": revision.note,
        }
    message = message if len(message) <= 300 else message[:299] + "…"
    link = reverse("congress:me", args=[congress.pk])
    now, today = timezone.now(), timezone.localdate()
    today_rows = Notification.objects.filter(
        recipient_id__in=people, kind=AGENDA_CHANGED, ref_on=today, task__isnull=True
    )
    told = set(today_rows.values_list("recipient_id", flat=True))
    today_rows.update(message=message, link=link, created_at=now, read_at=None)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=AGENDA_CHANGED,
            ref_on=today,
            created_at=now,
            message=message,
            link=link,
        )
        for pk in sorted(people - told)
    )
    return len(people)
