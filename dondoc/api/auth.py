"""Bearer-token authentication for every API call.

Only `Authorization: Bearer <token>` is accepted; a browser session is not, so no request is
made on a user's behalf by a page they happen to have open (no CSRF surface). Tokens are
issued by an administrator with `dondoc token create`, including for users who sign in to the
web pages with a second factor: the token stands in for both factors, so treat it as a
password and give it an expiry.
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from dondoc.api.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token.strip())
        if user is not None:
            request.user = user  # the token's user, whatever session cookie came along
        return user


def caller(request: HttpRequest) -> Any:
    """The user whose token authenticated this request."""
    return getattr(request, "auth", None)
