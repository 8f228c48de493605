"""The scan at an entrance is the hot write of a congress: its queries are locked, for a new
check-in and for a repeated scan, through the page's endpoint and the API, whatever the number
of delegates already present."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from dondoc.congress.badges import badge_token
from dondoc.congress.models import Delegate
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
# A new check-in: the caller and their rights, the congress, the session, the delegate, the
# row and its audit entry in one transaction, the count present. A repeated scan: the same reads,
# the insert refused by the unique constraint, nothing written.
PAGE_NEW, PAGE_AGAIN = 20, 15
API_NEW, API_AGAIN = 20, 15


@time_machine.travel(BEFORE, tick=False)
def test_a_scan_at_the_entrance_costs_a_fixed_number_of_queries(
    congress, secretary, django_assert_num_queries
):
    session = congress.sessions.get()
    officials = list(Delegate.objects.filter(congress=congress, standing="official"))
    client = client_for(secretary)
    url = reverse("congress:checkin_scan", args=[congress.pk])

    def scan(delegate: Delegate) -> dict:
        body = json.dumps({"token": badge_token(delegate), "session": session.pk})
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200
        return response.json()

    scan(officials[0])  # the session's first request signs the client in
    for delegate in officials[1:3]:
        with django_assert_num_queries(PAGE_NEW):
            assert scan(delegate)["created"] is True
    with django_assert_num_queries(PAGE_AGAIN):
        assert scan(officials[1])["created"] is False


@time_machine.travel(BEFORE, tick=False)
def test_a_scan_through_the_api_costs_a_fixed_number_of_queries(
    api, congress, secretary, django_assert_num_queries
):
    session = congress.sessions.get()
    officials = list(Delegate.objects.filter(congress=congress, standing="official"))
    client = api(secretary)
    url = f"/api/v1/congress/{congress.pk}/checkins"

    def scan(delegate: Delegate) -> dict:
        response = client.post(url, {"token": badge_token(delegate), "session": session.pk})
        assert response.status_code == 200
        return response.json()

    scan(officials[0])
    for delegate in officials[1:3]:
        with django_assert_num_queries(API_NEW):
            assert scan(delegate)["created"] is True
    with django_assert_num_queries(API_AGAIN):
        assert scan(officials[1])["created"] is False
