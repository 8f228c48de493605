"""Every view is denied unless a rule allows it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dondoc.core.access import PUBLIC, view_rule


def all_patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_page_declares_who_may_open_it():
    unmarked = [
        route
        for route, pattern in all_patterns(get_resolver())
        if not route.startswith("api/") and view_rule(pattern.callback) is None
    ]
    assert unmarked == []


def test_only_sign_in_language_health_icon_and_the_public_comment_page_are_public():
    public = sorted(
        route
        for route, pattern in all_patterns(get_resolver())
        if view_rule(pattern.callback) == PUBLIC
    )
    assert public == [
        "accounts/login/",
        "consultation/public/<int:pk>/",  # citizens comment on a draft without an account
        "favicon.ico",
        "healthz",
        "i18n/js/",
        "i18n/setlang/",
    ]


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_focal_point_home_counts_only_own_agency_tasks(client, lead_focal, other_agency):
    from dondoc.tracking.models import Task

    today = timezone.localdate()
    Task.objects.create(
        title="Của Ban Tổ chức", lead_agency=lead_focal.agency, due_on=today, created_on=today
    )
    Task.objects.create(
        title="Của Hà Nội", lead_agency=other_agency, due_on=today, created_on=today
    )
    client.force_login(lead_focal)
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    assert response.context["counts"]["total"] == 1
    assert "Của Ban Tổ chức" in response.content.decode()
    assert "Của Hà Nội" not in response.content.decode()


@pytest.mark.django_db
def test_office_home_counts_every_agency_and_names_agencies_with_overdue(
    client, office_user, lead_agency, other_agency
):
    import datetime as dt

    from dondoc.tracking.models import Task

    today = timezone.localdate()
    Task.objects.create(
        title="Quá hạn",
        lead_agency=other_agency,
        due_on=today - dt.timedelta(days=3),
        created_on=today,
    )
    Task.objects.create(
        title="Trong hạn",
        lead_agency=lead_agency,
        due_on=today + dt.timedelta(days=30),
        created_on=today,
    )
    client.force_login(office_user)
    response = client.get(reverse("home:home"))
    body = response.content.decode()
    assert response.context["counts"]["total"] == 2
    assert response.context["counts"]["overdue"] == 1
    assert "Thành ủy Hà Nội" in body
    assert "50,00%" in body or "50.00%" in body
