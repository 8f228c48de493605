"""A URL configuration with views that fail, to see what the error handlers answer."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from dondoc.core.access import public


@public
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("broken/", broken),
    path("api/v1/broken/", broken),
    path("", include("dondoc.urls")),
]

handler400 = "dondoc.core.errors.bad_request"
handler403 = "dondoc.core.errors.permission_denied"
handler404 = "dondoc.core.errors.page_not_found"
handler500 = "dondoc.core.errors.server_error"
