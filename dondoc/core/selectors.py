"""What each role sees on its home page."""

from typing import Any

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency


def home_for(user: Any) -> dict[str, Any]:
    return {
        "agency_count": Agency.objects.active().count(),
        "user_count": User.objects.filter(is_active=True).count(),
    }
