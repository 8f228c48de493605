"""`/api/v1/tasks`: filters, pagination, query counts, creating, editing, reporting."""

import datetime as dt

import pytest

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.models import Document, Task
from dondoc.tracking.services import document_register, task_create

D = dt.timedelta


@pytest.fixture
def board(office_user, lead_agency, other_agency, office_agency, document, today):
    """Tasks in every interesting state, named by what they test."""
    strategic = document_register(
        office_user,
        symbol="57-NQ/TW",
        issuing_body=office_agency,
        issued_on=dt.date(2024, 12, 22),
        title="Nghị quyết về đột phá phát triển khoa học, công nghệ",
        is_strategic=True,
    )

    def make(title, lead=lead_agency, coordinating=(), doc=document, **fields):
        fields.setdefault("due_on", today + D(days=60))
        return task_create(
            office_user,
            title=title,
            lead_agency=lead,
            coordinating_agencies=coordinating,
            document=doc,
            **fields,
        )

    tasks = {
        "overdue": make("Sắp xếp tổ chức bộ máy", due_on=today - D(days=3)),
        "due_soon": make("Tổng kết Nghị quyết 18", due_on=today + D(days=2)),
        "open": make("Chuyển đổi số", lead=other_agency, coordinating=[lead_agency]),
        "ongoing": make(
            "Theo dõi thường xuyên", deadline_kind="ongoing", due_on=None, doc=strategic
        ),
        "cancelled": make("Nhiệm vụ đã hủy", lead=other_agency),
        "extended": make(
            "Đề án khoa học công nghệ", doc=strategic, is_key=True, coordinating=[other_agency]
        ),
    }
    Task.objects.filter(pk=tasks["cancelled"].pk).update(cancelled_on=today - D(days=1))
    Task.objects.filter(pk=tasks["extended"].pk).update(
        due_on=today - D(days=10), extended_due_on=today + D(days=20)
    )
    return tasks


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content.decode()
    return {item["id"] for item in response.json()["items"]}


def test_item_has_everything_a_list_row_needs(api, office_user, task):
    item = api(office_user).get("tasks").json()["items"][0]
    assert item == {
        "id": task.pk,
        "title": "Xây dựng đề án sắp xếp tổ chức bộ máy",
        "document": {"id": task.document_id, "symbol": "35-KL/TW"},
        "lead": {"code": "BTCTW", "name": "Ban Tổ chức Trung ương"},
        "coordinating": [{"code": "HANOI", "name": "Thành ủy Hà Nội"}],
        "responsible_head": "",
        "deadline_kind": "date",
        "due_on": task.due_on.isoformat(),
        "extended_due_on": None,
        "status": "open_on_time",
        "progress": 0,
        "is_key": False,
        "priority": 0,
        "expected_product": "Đề án",
        "version": 1,
    }


def test_status_filter_takes_repeated_params_and_comma_lists(api, office_user, board):
    client = api(office_user)
    assert ids(client.get("tasks", status="overdue")) == {board["overdue"].pk}
    both = {board["overdue"].pk, board["due_soon"].pk}
    assert ids(client.get("tasks", status="overdue,due_soon")) == both
    assert ids(client.get("tasks", status=["overdue", "due_soon"])) == both
    assert ids(client.get("tasks", status="cancelled")) == {board["cancelled"].pk}
    # within an approved extension the task is not overdue
    assert ids(client.get("tasks", status="open_on_time")) == {
        board["open"].pk,
        board["extended"].pk,
    }


def test_unknown_status_or_sort_is_refused(api, office_user):
    client = api(office_user)
    for params in ({"status": "late"}, {"status": "overdue,late"}, {"sort": "random"}):
        response = client.get("tasks", **params)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_input"


def test_agency_document_and_flag_filters(api, office_user, board, document):
    client = api(office_user)
    assert ids(client.get("tasks", lead="HANOI")) == {board["open"].pk, board["cancelled"].pk}
    assert ids(client.get("tasks", coordinator="HANOI")) == {board["extended"].pk}
    assert ids(client.get("tasks", coordinator="BTCTW")) == {board["open"].pk}
    assert ids(client.get("tasks", lead="KHONGCO")) == set()
    strategic = {board["ongoing"].pk, board["extended"].pk}
    assert ids(client.get("tasks", strategic="true")) == strategic
    assert len(ids(client.get("tasks", strategic="false"))) == 4
    assert ids(client.get("tasks", document=document.pk)) == (
        {t.pk for t in board.values()} - strategic
    )
    assert ids(client.get("tasks", key="true")) == {board["extended"].pk}
    assert len(ids(client.get("tasks", priority="0"))) == 6
    assert ids(client.get("tasks", priority="2")) == set()


def test_deadline_range_uses_the_effective_deadline(api, office_user, board, today):
    client = api(office_user)
    soon = ids(
        client.get(
            "tasks", due_after=today.isoformat(), due_before=(today + D(days=30)).isoformat()
        )
    )
    assert soon == {board["due_soon"].pk, board["extended"].pk}
    assert ids(client.get("tasks", due_before=(today - D(days=1)).isoformat())) == {
        board["overdue"].pk
    }


def test_text_search_ignores_diacritics(api, office_user, board):
    client = api(office_user)
    assert ids(client.get("tasks", q="sap xep to chuc")) == {board["overdue"].pk}
    assert ids(client.get("tasks", q="CHUYỂN ĐỔI")) == {board["open"].pk}
    assert ids(client.get("tasks", q="khong co dau")) == set()


def test_sorting(api, office_user, board):
    client = api(office_user)
    items = client.get("tasks", sort="-due_on", status="overdue,due_soon,open_on_time").json()
    due = [item["due_on"] for item in items["items"]]
    assert due == sorted(due, reverse=True)


def test_pages_cover_the_list_once_and_the_page_size_is_capped(api, office_user, board):
    client = api(office_user)
    seen: list[int] = []
    for offset in range(0, 6, 4):
        page = client.get("tasks", limit=4, offset=offset).json()
        assert page["count"] == 6
        assert (page["limit"], page["offset"]) == (4, offset)
        seen += [item["id"] for item in page["items"]]
    assert sorted(seen) == sorted(t.pk for t in board.values())
    assert client.get("tasks", offset=100).json()["items"] == []
    assert client.get("tasks").json()["limit"] == 50
    assert client.get("tasks", limit=100).status_code == 200
    for limit in (101, 0, -1, 10**30):
        response = client.get("tasks", limit=limit)
        assert response.status_code == 422
        assert "limit" in response.json()["fields"]


def test_pages_follow_next_without_offset_in_the_lists_order(api, office_user, board):
    client = api(office_user)
    whole = [item["id"] for item in client.get("tasks", sort="lead").json()["items"]]
    seen, after = [], ""
    while True:
        page = client.get("tasks", sort="lead", limit=4, after=after).json()
        assert page["count"] == 6
        seen += [item["id"] for item in page["items"]]
        if not page["next"]:
            break
        after = page["next"]
    assert seen == whole
    assert len(seen) == 6
    other = client.get("tasks", sort="title", limit=4, after=after).json()  # another list's
    assert [i["id"] for i in other["items"]] == [
        i["id"] for i in client.get("tasks", sort="title", limit=4).json()["items"]
    ]


def make_agencies(count: int) -> list[Agency]:
    return [
        Agency.objects.create(code=f"T{i}", name=f"Tỉnh ủy {i}", kind=AgencyKind.PROVINCE)
        for i in range(count)
    ]


@pytest.mark.parametrize("actor", ["office_user", "lead_focal"])
def test_list_query_count_does_not_grow_with_rows(
    request, api, office_user, lead_agency, today, django_assert_num_queries, actor
):
    client = api(request.getfixturevalue(actor))
    client.get("tasks")  # the token's first use writes last_used_at; measure after it
    agencies = make_agencies(6)
    for n in range(30):
        task_create(
            office_user,
            title=f"Nhiệm vụ {n}",
            lead_agency=lead_agency,
            coordinating_agencies=agencies[: n % 5],
            due_on=today + D(days=n),
        )
    # the address's failed sign-ins (one cache read), token+user, roles, count, page (lead and
    # document joined), coordinators
    with django_assert_num_queries(6):
        response = client.get("tasks", limit=100)
    assert response.json()["count"] == 30
    assert sum(len(item["coordinating"]) for item in response.json()["items"]) == 60


# Creating -------------------------------------------------------------------------------------


def test_create_assigns_lead_and_coordinators(
    api, office_user, document, lead_agency, other_agency
):
    response = api(office_user).post(
        "tasks",
        {
            "title": "Rà soát chức năng, nhiệm vụ",
            "lead": "BTCTW",
            "coordinating": ["HANOI", "VPTW", "HANOI"],
            "document": document.pk,
            "deadline_kind": "quarter",
            "due_on": "2026-03-31",
            "priority": 1,
            "is_key": True,
            "expected_product": "Báo cáo",
            "responsible_head": "Trưởng ban",
            "source_clause": "Mục 2",
        },
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["lead"]["code"] == "BTCTW"
    assert {a["code"] for a in body["coordinating"]} == {"HANOI", "VPTW"}
    assert body["document"] == {"id": document.pk, "symbol": "35-KL/TW"}
    assert (body["deadline_kind"], body["due_on"], body["priority"]) == ("quarter", "2026-03-31", 1)
    assert body["version"] == 1
    task = Task.objects.get(pk=body["id"])
    assert task.coordinating_agencies.count() == 2


def test_create_takes_the_documents_classification_unless_given(
    api, office_user, office_agency, lead_agency
):
    document = document_register(
        office_user,
        symbol="9-NQ/TW",
        issuing_body=office_agency,
        issued_on=dt.date(2025, 1, 1),
        title="Nghị quyết mật",
        classification=1,
    )
    client = api(office_user)
    base = {
        "title": "Nhiệm vụ",
        "lead": "BTCTW",
        "document": document.pk,
        "deadline_kind": "ongoing",
    }
    assert client.post("tasks", base).json()["classification"] == 1
    assert client.post("tasks", {**base, "classification": 2}).json()["classification"] == 2


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"lead": "KHONGCO"}, "unknown_agency", "lead"),
        ({"coordinating": ["HANOI", "X1", "X2"]}, "unknown_agency", "coordinating"),
        ({"document": 987654}, "unknown_document", "document"),
        ({"parent": 987654}, "unknown_task", "parent"),
        ({"due_on": None}, "deadline_required", "due_on"),
        ({"title": "x" * 501}, "too_long", "title"),
        ({"title": "   "}, None, "title"),
    ],
)
def test_create_refusals_name_the_rule(
    api, office_user, lead_agency, other_agency, today, body, code, field
):
    payload = {"title": "Nhiệm vụ", "lead": "BTCTW", "due_on": today.isoformat(), **body}
    response = api(office_user).post("tasks", payload)
    assert response.status_code == 400, response.content.decode()
    error = response.json()
    if code:
        assert error["code"] == code
    assert error["message"]
    if field:
        assert field in error["fields"]
    assert not Task.objects.exists()


def test_a_document_above_the_callers_clearance_cannot_be_referenced(
    api, office_user, office_agency, lead_agency, leader
):
    top_secret = document_register(
        leader,
        symbol="1-NQ/TW",
        issuing_body=office_agency,
        issued_on=dt.date(2025, 1, 1),
        title="Tuyệt mật",
        classification=3,
    )
    response = api(office_user).post(
        "tasks",
        {"title": "x", "lead": "BTCTW", "document": top_secret.pk, "deadline_kind": "ongoing"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_document"
    assert Document.objects.count() == 1


# Editing ------------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent_and_bumps_the_version(
    api, office_user, task, office_agency
):
    client = api(office_user)
    response = client.patch(
        f"tasks/{task.pk}",
        {
            "version": 1,
            "title": "Tên mới",
            "lead": "VPTW",
            "coordinating": ["BTCTW"],
            "is_key": True,
        },
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert (body["title"], body["lead"]["code"], body["is_key"], body["version"]) == (
        "Tên mới",
        "VPTW",
        True,
        2,
    )
    assert [a["code"] for a in body["coordinating"]] == ["BTCTW"]
    assert body["expected_product"] == "Đề án"  # not sent, not changed
    assert client.get(f"tasks/{task.pk}").json()["title"] == "Tên mới"


def test_patch_with_a_stale_version_is_a_conflict(api, office_user, admin_user, task):
    assert (
        api(admin_user).patch(f"tasks/{task.pk}", {"version": 1, "title": "Một"}).status_code == 200
    )
    response = api(office_user).patch(f"tasks/{task.pk}", {"version": 1, "title": "Hai"})
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "edit_conflict"
    assert "tải lại" in error["message"]
    assert "2" in error["fields"]["version"][0]
    task.refresh_from_db()
    assert (task.title, task.version) == ("Một", 2)


def test_patch_needs_a_version_and_keeps_required_fields(api, office_user, task):
    client = api(office_user)
    for body, field in [
        ({"title": "x"}, "version"),
        ({"version": 1, "title": None}, "body"),
        ({"version": 1, "lead": None}, "body"),
        ({"version": 1, "document": 1}, "document"),
    ]:
        response = client.patch(f"tasks/{task.pk}", body)
        assert response.status_code == 422, body
        assert field in response.json()["fields"], response.json()
    task.refresh_from_db()
    assert task.version == 1


def test_patch_refused_by_a_rule_leaves_the_version_alone(api, office_user, task):
    response = api(office_user).patch(f"tasks/{task.pk}", {"version": 1, "due_on": None})
    assert response.status_code == 400
    assert response.json()["code"] == "deadline_required"
    task.refresh_from_db()
    assert task.version == 1
    assert task.due_on is not None


# Reports, extensions, obstacles --------------------------------------------------------------


def test_lead_report_moves_progress_and_a_final_report_awaits_acceptance(api, lead_focal, task):
    client = api(lead_focal)
    report = client.post(f"tasks/{task.pk}/reports", {"percent": 60, "narrative": "Đã có dự thảo"})
    assert report.status_code == 201
    assert report.json()["agency"]["code"] == "BTCTW"
    assert client.get(f"tasks/{task.pk}").json()["progress"] == 60
    final = client.post(
        f"tasks/{task.pk}/reports",
        {"percent": 90, "narrative": "Đã trình", "is_final": True, "product": "Đề án đã trình"},
    )
    assert final.status_code == 201
    assert final.json()["percent"] == 100
    detail = client.get(f"tasks/{task.pk}").json()
    assert (detail["status"], detail["progress"]) == ("awaiting_acceptance", 100)


def test_coordinator_contribution_does_not_move_the_lead_progress(api, coordinating_focal, task):
    client = api(coordinating_focal)
    assert (
        client.post(
            f"tasks/{task.pk}/reports", {"percent": 80, "narrative": "Đã góp ý"}
        ).status_code
        == 201
    )
    assert client.get(f"tasks/{task.pk}").json()["progress"] == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"percent": 150, "narrative": "x"}, "percent_out_of_range"),
        ({"percent": 10**30, "narrative": "x"}, "percent_out_of_range"),
        ({"percent": 10, "narrative": "  "}, "narrative_required"),
        ({"percent": 100, "narrative": "xong", "is_final": True}, "product_required"),
    ],
)
def test_report_refusals(api, lead_focal, task, body, code):
    response = api(lead_focal).post(f"tasks/{task.pk}/reports", body)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_extension_request_and_its_rules(api, lead_focal, task):
    client = api(lead_focal)
    earlier = client.post(
        f"tasks/{task.pk}/extensions", {"requested_due_on": task.due_on.isoformat(), "reason": "x"}
    )
    assert (earlier.status_code, earlier.json()["code"]) == (400, "not_later")
    assert "requested_due_on" in earlier.json()["fields"]
    later = (task.due_on + D(days=30)).isoformat()
    response = client.post(
        f"tasks/{task.pk}/extensions", {"requested_due_on": later, "reason": "Chờ góp ý"}
    )
    assert response.status_code == 201
    assert response.json()["previous_due_on"] == task.due_on.isoformat()
    assert response.json()["decision"] == "pending"
    again = client.post(
        f"tasks/{task.pk}/extensions", {"requested_due_on": later, "reason": "Lần nữa"}
    )
    assert (again.status_code, again.json()["code"]) == (409, "extension_pending")
    assert "request_extension" not in client.get(f"tasks/{task.pk}").json()["permissions"]


def test_obstacles(api, lead_focal, coordinating_focal, task):
    raised = api(coordinating_focal).post(
        f"tasks/{task.pk}/obstacles",
        {"text": "Chưa có hướng dẫn", "proposal": "Đề nghị hướng dẫn", "beyond_authority": True},
    )
    assert raised.status_code == 201
    assert (raised.json()["level"], raised.json()["agency"]["code"]) == ("leader", "HANOI")
    empty = api(lead_focal).post(f"tasks/{task.pk}/obstacles", {"text": " "})
    assert (empty.status_code, empty.json()["code"]) == (400, "text_required")


@pytest.mark.parametrize(("actor", "queries"), [("office_user", 6), ("coordinating_focal", 7)])
def test_detail_query_count(request, api, task, django_assert_num_queries, actor, queries):
    client = api(request.getfixturevalue(actor))
    client.get(f"tasks/{task.pk}")
    # the address's failed sign-ins (one cache read), token+user, roles, task (lead and document joined), coordinators, the task's state for
    # `permissions` (pending extension, open obstacles); a focal point of a coordinating
    # agency adds the coordination check of `permissions`
    with django_assert_num_queries(queries):
        assert client.get(f"tasks/{task.pk}").status_code == 200


def test_unknown_query_parameters_are_ignored(api, office_user, task):
    assert ids(api(office_user).get("tasks", colour="red", _="123")) == {task.pk}
