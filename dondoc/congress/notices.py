"""What the congress tells its delegates in the app, through urging's notifications: a new
publication of the agenda (after the first) reaches the delegates linked to an account (not one
replaced by an alternate) whom the change concerns, decided by what changed
(`published.publication_audience`): everyone for a change all of them read, only those entitled
to closed sessions for a closed session's, only the delegations whose speeches changed for a
change in the speeches alone; with why it changed and a link to their own page, which lists
every change. Written in the transaction of
the change. One notification per delegate and day (urging's table keeps one task-less row per
person, kind and day): a second change the same day rewrites it and marks it unread again.
A decision on a delegation's speech reaches its head and secretary the same way."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.congress.access import closed_sessions_entitled
from dondoc.congress.models import AgendaPublication, Delegate, DelegateStanding, Speech
from dondoc.congress.published import Audience
from dondoc.urging.models import Notification

AGENDA_CHANGED = "congress_agenda"
SPEECH_DECIDED = "congress_speech"
PHOTO_REFUSED = "congress_photo"


def _concerned(delegate: Delegate, audience: Audience) -> bool:
    if audience.everyone or delegate.delegation.name in audience.delegations:
        return True
    if not closed_sessions_entitled(delegate):
        return False
    return audience.entitled or delegate.delegation.name in audience.entitled_delegations


def agenda_change_notify(
    actor: User, revision: AgendaPublication, audience: Audience | None = None
) -> int:
    """Notify the delegates `revision` concerns (`published.publication_audience`: everyone
    for a change all read; those entitled to closed sessions for a closed session's; the
    delegations whose speeches changed); returns how many were told."""
    congress = revision.congress
    audience = audience or Audience(everyone=True)
    people = {
        d.user_id
        for d in Delegate.objects.filter(
            congress=congress, user__isnull=False, user__is_active=True
        )
        .exclude(standing=DelegateStanding.REPLACED)
        .exclude(user=actor)
        .select_related("delegation")
        .only("user_id", "standing", "credentials", "delegation__name")
        if d.user_id is not None and _concerned(d, audience)
    }
    if not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(congress)s: chương trình thay đổi (lần %(n)d). Lý do: %(note)s") % {
            "congress": congress.name,
            "n": revision.number,
            "note": revision.note,
        }
    return _notify(people, AGENDA_CHANGED, message, reverse("congress:me", args=[congress.pk]))


def speech_decision_notify(actor: User, speech: Speech) -> int:
    """Tell the speech's delegation (its head and secretary) what was decided and why; returns
    how many were told."""
    delegation = speech.delegation
    people = {pk for pk in (delegation.head_id, delegation.secretary_id) if pk} - {actor.pk}
    people = set(User.objects.filter(pk__in=people, is_active=True).values_list("pk", flat=True))
    if not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Tham luận «%(title)s»: %(state)s.") % {
            "title": speech.title or speech.topic,
            "state": speech.get_state_display(),
        }
        if speech.reason:
            message += " " + speech.reason
    link = reverse("congress:delegation", args=[delegation.congress_id, delegation.pk])
    return _notify(people, SPEECH_DECIDED, message, link)


def photo_refused_notify(actor: User, delegate: Delegate, reason: str) -> int:
    """Tell a delegate (their account) that the badge photo they sent was not approved, and
    why; returns how many were told (0 or 1)."""
    if delegate.user_id is None or delegate.user_id == actor.pk:
        return 0
    if not User.objects.filter(pk=delegate.user_id, is_active=True).exists():
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(congress)s: ảnh in trên thẻ bạn gửi chưa được duyệt. Lý do: %(reason)s") % {
            "congress": delegate.congress.name,
            "reason": reason,
        }
    link = reverse("congress:me", args=[delegate.congress_id])
    return _notify({delegate.user_id}, PHOTO_REFUSED, message, link)


def _notify(people: set[int], kind: str, message: str, link: str) -> int:
    """One notification per person, kind and day: today's is rewritten and marked unread."""
    message = message if len(message) <= 300 else message[:299] + "…"
    now, today = timezone.now(), timezone.localdate()
    today_rows = Notification.objects.filter(
        recipient_id__in=people, kind=kind, ref_on=today, task__isnull=True
    )
    told = set(today_rows.values_list("recipient_id", flat=True))
    today_rows.update(message=message, link=link, created_at=now, read_at=None)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            ref_on=today,
            created_at=now,
            message=message,
            link=link,
        )
        for pk in sorted(people - told)
    )
    return len(people)
