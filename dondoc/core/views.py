from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static

from dondoc.core.access import public
from dondoc.core.health import health_report


@public
def health(request: HttpRequest) -> JsonResponse:
    """200 with each check when all are ok, 503 when one is down (core/health.py)."""
    ok, checks = health_report()
    return JsonResponse({"status": "ok" if ok else "down", **checks}, status=200 if ok else 503)


@public
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico where a page names no icon (JSON, files): no 404 for it."""
    return HttpResponseRedirect(static("dondoc/favicon.svg"))
