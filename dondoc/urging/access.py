"""Who may see which urging objects: a notification belongs to its recipient alone."""

from django.http import Http404

from dondoc.accounts.models import User
from dondoc.urging.models import Notification


def notification_access(user: User, pk: int) -> Notification:
    """The user's own notification; 404 for anyone else's (nothing reachable by guessing ids)."""
    try:
        return Notification.objects.get(pk=pk, recipient_id=user.pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
