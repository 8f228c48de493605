"""The API's program export (XLSX) and adherence figures: what each caller sees, in the
OpenAPI schema, and the same figures as the page's (planned, on time, late, postponed,
withdrawn, by body, lead agency or month, for a period)."""

import io

import pytest
from openpyxl import load_workbook

from dondoc.core.xlsx import XLSX_CONTENT_TYPE
from tests.api.conftest import ApiClient
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]


def test_the_export_gives_each_caller_the_items_they_see(api, program, item, office_user, lead_focal, other_focal):  # fmt: skip
    path = f"programs/{program.pk}/items.xlsx"
    for user in (office_user, lead_focal):
        response = api(user).get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert titles(response) == [item.title]
    assert titles(api(other_focal).get(path)) == []  # an unrelated agency: an empty table
    assert ApiClient().get(path).status_code == 401
    missing = api(office_user).get(f"programs/{program.pk + 1000}/items.xlsx")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_adherence_by_body_counts_each_standing(fixed_day, planned, api, inspector):
    answer = api(inspector).get("programs/adherence", year=2026, as_of=TODAY.isoformat())
    assert answer.status_code == 200
    body = answer.json()
    rows = {r["key"]: r for r in body["rows"]}
    assert list(rows) == ["bct", "bbt"]
    assert rows["bct"] | {"label": ""} == {
        "key": "bct", "label": "", "planned": 8, "on_time": 3, "late": 1, "overdue": 1,
        "postponed": 1, "withdrawn": 1, "pending": 1, "added": 0, "on_time_share": 42.9,
    }  # fmt: skip
    assert (rows["bbt"]["planned"], rows["bbt"]["late"]) == (1, 1)
    assert body["total"]["planned"] == 9
    assert (body["as_of"], body["by"]) == (TODAY.isoformat(), "body")


def test_adherence_for_a_period_and_a_body_by_month(fixed_day, planned, api, office_user):
    answer = api(office_user).get(
        "programs/adherence", year=2026, from_month=3, to_month=6, body="bct", by="month",
        as_of=TODAY.isoformat(),
    )  # fmt: skip
    body = answer.json()
    assert [(r["key"], r["planned"]) for r in body["rows"]] == [
        ("2026-03", 3), ("2026-05", 1), ("2026-06", 1),
    ]  # fmt: skip
    assert body["rows"][1]["postponed"] == 1
    assert body["rows"][2]["withdrawn"] == 1
    assert body["total"]["planned"] == 5


def test_adherence_by_lead_agency(fixed_day, planned, api, office_user, lead_agency):
    body = api(office_user).get("programs/adherence", year=2026, by="lead").json()
    assert [(r["key"], r["label"], r["planned"]) for r in body["rows"]] == [
        (str(lead_agency.pk), lead_agency.name, 9)
    ]


def test_adherence_counts_only_what_the_caller_sees(
    fixed_day, planned, api, lead_focal, other_focal
):
    assert api(lead_focal).get("programs/adherence", year=2026).json()["total"]["planned"] == 9
    nothing = api(other_focal).get("programs/adherence", year=2026).json()
    assert (nothing["rows"], nothing["total"]["planned"]) == ([], 0)
    assert ApiClient().get("programs/adherence", year=2026).status_code == 401
    wrong = api(other_focal).get("programs/adherence", year=2026, by="agency")
    assert wrong.status_code == 422
