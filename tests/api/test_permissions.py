"""Who may do what through the API: the same rules as the pages (`tracking.access`).

Actors: the office (specialist, administrator), a leader, an inspector, a focal point of the
lead agency, of a coordinating agency, and of an unrelated agency. 404 means "not visible",
403 "visible but not allowed".
"""

import datetime as dt

import pytest
from django.utils import timezone

ACTORS = [
    "office_user",
    "admin_user",
    "leader",
    "inspector",
    "lead_focal",
    "coordinating_focal",
    "unrelated_focal",
]


def expect(office, leader, inspector, lead, coordinating, unrelated, admin=None):
    return {
        "office_user": office,
        "admin_user": office if admin is None else admin,
        "leader": leader,
        "inspector": inspector,
        "lead_focal": lead,
        "coordinating_focal": coordinating,
        "unrelated_focal": unrelated,
    }


def later(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# (name, method, path, body, expected status by actor); {task} and {document} are filled in.
CASES = [
    ("list tasks", "get", "tasks", None, expect(200, 200, 200, 200, 200, 200)),
    ("read task", "get", "tasks/{task}", None, expect(200, 200, 200, 200, 200, 404)),
    (
        "edit task",
        "patch",
        "tasks/{task}",
        {"version": 1, "title": "Tên mới của nhiệm vụ"},
        expect(200, 403, 403, 403, 403, 404),
    ),
    (
        "report progress",
        "post",
        "tasks/{task}/reports",
        {"percent": 40, "narrative": "Đã xây dựng dự thảo"},
        expect(403, 403, 403, 201, 201, 404),
    ),
    (
        "final report",
        "post",
        "tasks/{task}/reports",
        {"percent": 100, "narrative": "Đã hoàn thành", "is_final": True, "product": "Đề án"},
        expect(403, 403, 403, 201, 403, 404),
    ),
    (
        "request extension",
        "post",
        "tasks/{task}/extensions",
        {"requested_due_on": later(90), "reason": "Chờ ý kiến các bộ"},
        expect(403, 403, 403, 201, 403, 404),
    ),
    (
        "raise obstacle",
        "post",
        "tasks/{task}/obstacles",
        {"text": "Chưa thống nhất phương án", "proposal": "Xin ý kiến lãnh đạo"},
        expect(403, 403, 403, 201, 201, 404),
    ),
    (
        "create task",
        "post",
        "tasks",
        {"title": "Nhiệm vụ mới", "lead": "HANOI", "due_on": later(60)},
        expect(201, 403, 403, 403, 403, 403),
    ),
    ("list documents", "get", "documents", None, expect(200, 200, 200, 200, 200, 200)),
    ("read document", "get", "documents/{document}", None, expect(200, 200, 200, 200, 200, 200)),
    (
        "register document",
        "post",
        "documents",
        {
            "symbol": "12-CT/TW",
            "issuing_body": "VPTW",
            "issued_on": "2025-05-01",
            "title": "Chỉ thị",
        },
        expect(201, 403, 403, 403, 403, 403),
    ),
    (
        "extract tasks",
        "post",
        "extract",
        {"text": "Ban Tổ chức Trung ương chủ trì.", "issued_on": "2025-05-01"},
        expect(200, 403, 403, 403, 403, 403),
    ),
    ("overview", "get", "stats/overview", None, expect(200, 200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_permission_matrix(request, api, task, document, actor, name, method, path, body, expected):
    user = request.getfixturevalue(actor)
    client = api(user)
    url = path.format(task=task.pk, document=document.pk)
    response = client.request(method, url, body)
    assert response.status_code == expected[actor], response.content.decode()
    if response.status_code in (403, 404):
        assert response.json()["code"] == {403: "forbidden", 404: "not_found"}[response.status_code]


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("office_user", 1),
        ("leader", 1),
        ("inspector", 1),
        ("lead_focal", 1),
        ("coordinating_focal", 1),
        ("unrelated_focal", 0),
    ],
)
def test_lists_and_figures_hold_only_what_the_caller_may_see(
    request, api, task, unrelated_agency, actor, visible
):
    client = api(request.getfixturevalue(actor))
    assert client.get("tasks").json()["count"] == visible
    assert client.get("stats/overview").json()["counts"]["total"] == visible
    assert client.get("documents").json()["items"][0]["task_count"] == visible


def test_a_task_classified_above_the_callers_clearance_is_invisible(
    api, office_user, lead_focal, inspector, lead_agency, today
):
    from dondoc.accounts.models import Clearance
    from dondoc.tracking.services import task_create

    secret = task_create(
        office_user,
        title="Nhiệm vụ tối mật",
        lead_agency=lead_agency,
        due_on=today,
        classification=Clearance.SECRET,
    )
    assert api(lead_focal).get(f"tasks/{secret.pk}").status_code == 404
    assert (
        api(lead_focal)
        .post(f"tasks/{secret.pk}/reports", {"percent": 10, "narrative": "x"})
        .status_code
        == 404
    )
    assert api(inspector).get(f"tasks/{secret.pk}").status_code == 200
    assert api(lead_focal).get("tasks").json()["count"] == 0


def test_a_classified_document_is_invisible_below_its_level(
    api, office_user, office_agency, lead_focal
):
    from dondoc.accounts.models import Clearance
    from dondoc.tracking.services import document_register

    document = document_register(
        office_user,
        symbol="5-NQ/TW",
        issuing_body=office_agency,
        issued_on=dt.date(2025, 1, 5),
        title="Nghị quyết mật",
        classification=Clearance.CONFIDENTIAL,
    )
    assert api(lead_focal).get(f"documents/{document.pk}").status_code == 404
    assert api(lead_focal).get("documents").json()["count"] == 0
    assert api(office_user).get(f"documents/{document.pk}").status_code == 200


def test_detail_lists_what_the_caller_may_do(api, task, lead_focal, coordinating_focal, inspector):
    def permissions(user):
        return api(user).get(f"tasks/{task.pk}").json()["permissions"]

    assert permissions(lead_focal) == [
        "final_report",
        "raise_obstacle",
        "report",
        "request_extension",
        "view",
    ]
    assert permissions(coordinating_focal) == ["raise_obstacle", "report", "view"]
    assert permissions(inspector) == ["view"]
