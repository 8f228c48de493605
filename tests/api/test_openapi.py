"""The OpenAPI document, the docs page, and JSON answers at the edges of the URL space."""

import json

from django.contrib.staticfiles import finders
from django.test import Client

PATHS = {
    "/api/v1/documents": {"get", "post"},
    "/api/v1/documents/{document_id}": {"get", "patch"},
    "/api/v1/tasks": {"get", "post"},
    "/api/v1/tasks/{task_id}": {"get", "patch"},
    "/api/v1/tasks/{task_id}/reports": {"post"},
    "/api/v1/tasks/{task_id}/extensions": {"post"},
    "/api/v1/tasks/{task_id}/obstacles": {"post"},
    "/api/v1/extract": {"post"},
    "/api/v1/extract/aliases": {"post"},
    "/api/v1/stats/overview": {"get"},
    "/api/v1/congress": {"get"},
    "/api/v1/congress/{congress_id}": {"get"},
    "/api/v1/congress/{congress_id}/delegates": {"get"},
    "/api/v1/congress/{congress_id}/delegates/{delegate_id}/credentials": {"post"},
    "/api/v1/congress/{congress_id}/seating": {"post"},
    "/api/v1/congress/{congress_id}/seats/{seat}": {"patch"},
    "/api/v1/congress/{congress_id}/seats/block": {"post"},
    "/api/v1/congress/{congress_id}/delegates/{delegate_id}/seat": {"post"},
    "/api/v1/congress/{congress_id}/delegates/{delegate_id}/seat/pin": {"delete"},
    "/api/v1/congress/{congress_id}/delegates/{delegate_id}/photo": {"delete", "get", "post"},
    "/api/v1/congress/{congress_id}/checkins": {"post"},
    "/api/v1/congress/{congress_id}/hall": {"get", "post"},
    "/api/v1/congress/{congress_id}/guests": {"get"},
    "/api/v1/congress/{congress_id}/press": {"get"},
    "/api/v1/congress/{congress_id}/agenda": {"get"},
    "/api/v1/congress/{congress_id}/agenda/publish": {"post"},
    "/api/v1/congress/{congress_id}/agenda/published": {"get"},
    "/api/v1/congress/{congress_id}/agenda/items/{item_id}/document": {"get", "post"},
    "/api/v1/congress/{congress_id}/delegations/{delegation_id}/speeches": {"get", "post"},
    "/api/v1/congress/{congress_id}/speeches/{speech_id}": {"put"},
    "/api/v1/congress/{congress_id}/speeches/{speech_id}/decision": {"post"},
    "/api/v1/congress/{congress_id}/speeches/{speech_id}/document": {"get", "post"},
    "/api/v1/consultation/drafts": {"get"},
    "/api/v1/consultation/drafts/{draft_id}": {"get"},
    "/api/v1/consultation/drafts/{draft_id}/comments": {"post"},
    "/api/v1/consultation/drafts/{draft_id}/synthesis": {"get"},
    "/api/v1/consultation/drafts/{draft_id}/synthesis/cancel": {"post"},
    "/api/v1/consultation/drafts/{draft_id}/synthesis/resume": {"post"},
    "/api/v1/consultation/drafts/{draft_id}/synthesis/run": {"get"},
    "/api/v1/consultation/drafts/{draft_id}/versions": {"get", "post"},
    "/api/v1/consultation/drafts/{draft_id}/versions/diff": {"get"},
    "/api/v1/consultation/themes/{theme_id}/response": {"post"},
    "/api/v1/programs": {"get"},
    "/api/v1/programs/{program_id}": {"get"},
    "/api/v1/programs/{program_id}/items": {"post"},
    "/api/v1/programs/items/{item_id}": {"get"},
    "/api/v1/programs/items/{item_id}/content": {"post"},
    "/api/v1/programs/items/{item_id}/rounds": {"post"},
    "/api/v1/programs/items/{item_id}/rounds/close": {"post"},
    "/api/v1/programs/adherence": {"get"},
    "/api/v1/programs/{program_id}/addition-requests": {"post"},
    "/api/v1/programs/{program_id}/items.xlsx": {"get"},
    "/api/v1/programs/{program_id}/term-progress": {"get"},
    "/api/v1/programs/{program_id}/year-programs": {"post"},
    "/api/v1/programs/items/{item_id}/answers": {"post"},
    "/api/v1/programs/items/{item_id}/appraisal-request": {"post"},
    "/api/v1/programs/items/{item_id}/appraisals": {"post"},
    "/api/v1/programs/items/{item_id}/submission": {"post"},
    "/api/v1/programs/items/{item_id}/decision": {"post"},
    "/api/v1/programs/items/{item_id}/reschedule-requests": {"post"},
    "/api/v1/programs/items/{item_id}/year-move-requests": {"post"},
    "/api/v1/programs/items/{item_id}/reschedule-decision": {"post"},
    "/api/v1/programs/items/{item_id}/versions": {"post"},
    "/api/v1/programs/items/{item_id}/versions/diff": {"get"},
    "/api/v1/programs/items/{item_id}/files": {"post"},
    "/api/v1/programs/items/{item_id}/answers/file": {"post"},
    "/api/v1/programs/files/{file_id}": {"get"},
    "/api/v1/programs/items/{item_id}/comment-handling": {"post"},
    "/api/v1/programs/items/{item_id}/handling.xlsx": {"get"},
    "/api/v1/programs/items/{item_id}/deferral": {"post"},
    "/api/v1/programs/items/{item_id}/links": {"post"},
}


def test_openapi_document_lists_every_path_behind_bearer_auth(db):
    response = Client(HTTP_HOST="testserver").get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {path: set(ops) for path, ops in schema["paths"].items()} == PATHS
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"code", "message", "fields"}


def test_docs_page_uses_the_bundled_swagger_ui(db):
    response = Client(HTTP_HOST="testserver").get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui.css" in page
    assert "cdn" not in page.lower()
    assert "/api/v1/openapi.json" in page
    assert finders.find("ninja/swagger-ui-bundle.js")


def test_unknown_paths_and_methods_answer_in_json(api, office_user, task):
    client = api(office_user)
    for path in ("nothing/here", "/api/v1/", "tasks/1/unknown"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = client.client.delete(f"/api/v1/tasks/{task.pk}", headers=client.headers)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "PATCH" in response["Allow"]
    posted = client.post("nothing/here", {"a": 1})  # no CSRF page in the way either
    assert (posted.status_code, posted.json()["code"]) == (404, "not_found")


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document keys schemas by class name: a second class of the same name would
    silently replace the first, and clients would be told to send the wrong body."""
    import inspect

    from ninja import Schema

    from dondoc.api import api as api_module

    modules = {api_module.assist, api_module.congress, api_module.consultation}
    modules |= {api_module.programs, api_module.stats, api_module.tracking}
    owners: dict[str, set[str]] = {}
    for module in modules:
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value is not Schema:
                owners.setdefault(name, set()).add(value.__module__)
    assert {name: found for name, found in owners.items() if len(found) > 1} == {}
