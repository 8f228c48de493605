from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static

from dondoc.core.access import public
from dondoc.core.health import health_report


@public
def health(request: HttpRequest) -> JsonResponse:
    """200 with each check when all are ok or only degraded, 503 when one is down
    (core/health.py)."""
    status, checks = health_report()
    return JsonResponse({"status": status, **checks}, status=503 if status == "down" else 200)


@public
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico where a page names no icon (JSON, files): no 404 for it."""
    return HttpResponseRedirect(static("dondoc/favicon.svg"))
