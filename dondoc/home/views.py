from django.http import HttpResponse
from django.shortcuts import render

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.home import selectors


@allow(rules.signed_in)
def home(request: rules.SignedInRequest) -> HttpResponse:
    return render(request, "home/home.html", selectors.home_for(request.user))
