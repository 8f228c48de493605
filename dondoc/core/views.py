from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from dondoc.core import rules, selectors
from dondoc.core.access import allow, public


@allow(rules.signed_in)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.home_for(request.user))


@public
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
