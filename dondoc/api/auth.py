"""Bearer-token authentication for every API call.

Only `Authorization: Bearer <token>` is accepted; a browser session is not, so no request is
made on a user's behalf by a page they happen to have open (no CSRF surface). Tokens are
issued by an administrator with `dondoc token create`, including for users who sign in to the
web pages with a second factor: the token stands in for both factors, so treat it as a
password and give it an expiry.
"""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from dondoc.accounts.models import User
from dondoc.api.services import token_authenticate
from dondoc.core import ratelimits


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # Guessing tokens counts against the same per-address limit as wrong passwords.
        if ratelimits.address_blocked(request):
            raise HttpError(429, "throttled")
        user = token_authenticate(token.strip())
        if user is None:
            ratelimits.address_failed(request)
        else:
            request.user = user  # the token's user, whatever session cookie came along
        return user


def caller(request: HttpRequest) -> User:
    """The user whose token authenticated this request (every route requires a token)."""
    user: User = getattr(request, "auth")  # noqa: B009 - set by django-ninja, unknown to the stubs
    return user
