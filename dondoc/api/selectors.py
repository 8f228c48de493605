"""Reading API tokens."""

from django.db.models import QuerySet

from dondoc.accounts.models import User
from dondoc.api.models import ApiToken


def tokens_listed(user: User | None = None) -> QuerySet[ApiToken]:
    """Every token (or one user's), newest first, with its user."""
    tokens = ApiToken.objects.select_related("user")
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens.order_by("-created_at", "-id")


def token_find(reference: str) -> ApiToken | None:
    """The token whose prefix (or, failing that, id) is `reference`."""
    reference = reference.strip().removeprefix("dondoc_").split("_")[0]
    token = ApiToken.objects.select_related("user").filter(prefix=reference).first()
    if token is None and reference.isdigit() and len(reference) < 19:
        token = ApiToken.objects.select_related("user").filter(pk=int(reference)).first()
    return token
