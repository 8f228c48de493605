"""The unread count, for templates that show it. Lazy: a page that does not print it pays no
query, so adding this processor leaves every other page's query count as it was. The menu
loads its badge with htmx after the page (`urging:unread_badge`), for the same reason."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dondoc.urging.selectors import notifications_unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user))}
