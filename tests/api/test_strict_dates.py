"""A day in the API is written YYYY-MM-DD: a number is not read as 1970-01-01, a datetime or an
impossible day is refused with 422, never a 5xx."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["0", "1", "20260301", "2026-02-30", "2026-03-01T00:00", "hôm nay"]
)
@pytest.mark.parametrize(("path", "name"), [("stats/overview", "as_of"), ("tasks", "due_before")])
def test_a_day_that_is_not_yyyy_mm_dd_is_refused(api, office_user, path, name, value):
    response = api(office_user).get(path, **{name: value})

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["fields"][name] == ["Phải là ngày dạng YYYY-MM-DD."]


@pytest.mark.parametrize(("path", "name"), [("stats/overview", "as_of"), ("tasks", "due_before")])
def test_a_day_written_yyyy_mm_dd_is_read(api, office_user, path, name):
    assert api(office_user).get(path, **{name: "2026-03-01"}).status_code == 200


def test_a_number_as_a_deadline_in_a_body_is_refused(api, office_user, task):
    response = api(office_user).patch(f"tasks/{task.pk}", {"version": task.version, "due_on": 0})

    assert response.status_code == 422
    assert response.json()["fields"]["due_on"] == ["Phải là ngày dạng YYYY-MM-DD."]
