"""Draft versions through the API: the same rule as the versions page (the office imports;
the office, leaders and inspectors read the versions and what changed; an agency's focal
point does neither), the same services, answered in JSON."""

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.models import DraftVersion, Section, SynthesisRun, Theme
from tests.api.conftest import ApiClient

from . import test_versions
from .test_versions import REVISED, of

commented = test_versions.commented  # a citizen's and an agency's comment on version 1's Điều 2


def url(draft, tail: str = "") -> str:
    return f"/api/v1/consultation/drafts/{draft.pk}/versions{tail}"


def upload(api, user, draft, **fields):
    """A multipart form, as a client sends a text or a DOCX file."""
    client = api(user)
    return client.client.post(url(draft), fields, headers=client.headers)


def a_docx() -> io.BytesIO:
    document = docx.Document()
    document.add_heading("Điều 1. Phạm vi điều chỉnh", level=2)
    document.add_paragraph("Luật này quy định về chế độ sở hữu đất đai.")
    stream = io.BytesIO()
    document.save(stream)
    stream.seek(0)
    stream.name = "du-thao-sua-doi.docx"
    return stream


def test_the_office_imports_a_revised_text_and_the_versions_are_listed(
    api, draft, office_user, inspector
):
    created = upload(api, office_user, draft, text=REVISED)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["current"], body["imported_by"]) == (2, True, str(office_user))
    assert body["sections"] == Section.objects.filter(draft=draft, version=2).count() == 6
    assert AuditEntry.objects.get(action="draft_version_import").changes["version"] == [1, 2]
    draft.refresh_from_db()
    assert draft.version == 2

    listed = api(inspector).get(url(draft))
    assert listed.status_code == 200
    assert [(v["number"], v["sections"], v["current"]) for v in listed.json()] == [
        (2, 6, True),
        (1, 6, False),
    ]
    assert {v["imported_by"] for v in listed.json()} == {str(office_user)}


def test_the_version_list_costs_the_same_queries_however_many_versions(api, draft, office_user):
    client = api(office_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(draft)).status_code == 200
        return len(captured)

    queries()  # the token's first use is recorded
    one = queries()
    for _ in range(3):
        services.draft_version_import(office_user, draft, text=REVISED)
    assert len(client.get(url(draft)).json()) == 4
    assert queries() == one


def test_a_docx_upload_is_a_version_and_a_file_that_is_not_docx_is_refused(api, draft, office_user):
    created = upload(api, office_user, draft, file=a_docx())
    assert created.status_code == 201, created.content
    assert created.json()["sections"] == 1
    assert [str(s) for s in Section.objects.filter(draft=draft, version=2)] == [
        "Điều 1 Phạm vi điều chỉnh"
    ]
    garbage = io.BytesIO(b"%PDF-1.4 not a word file")
    garbage.name = "du-thao.docx"
    refused = upload(api, office_user, draft, file=garbage)
    assert (refused.status_code, refused.json()["code"]) == (400, "bad_file")
    assert refused.json()["fields"]["file"] == ["Không đọc được tệp: hãy chọn tệp DOCX."]
    empty = upload(api, office_user, draft, text="   ")
    assert (empty.status_code, empty.json()["code"]) == (400, "no_sections")
    assert DraftVersion.objects.filter(draft=draft).count() == 2


def test_the_diff_answers_each_section_with_its_texts_comments_and_answers(
    api, draft, commented, office_user, leader
):
    services.draft_version_import(office_user, draft, text=REVISED)
    revised = of(2, draft, "Điều 1")
    theme = Theme.objects.create(draft=draft, section=commented, label="Giá bồi thường")
    services.theme_respond(office_user, theme, "accepted", "Đã sửa: theo giá thị trường.",
                           revised.pk)  # fmt: skip

    response = api(leader).get(url(draft, "/diff"))
    assert response.status_code == 200
    body = response.json()
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert (body["added"], body["removed"], body["changed"], body["same"]) == (1, 1, 1, 4)
    rows = {(r["old"] or {}).get("number"): r for r in body["sections"]}
    removed = next(r for r in body["sections"] if r["change"] == "removed")
    assert (removed["old"]["heading"], removed["new"]) == ("Phạm vi điều chỉnh", None)
    added = next(r for r in body["sections"] if r["change"] == "added")
    assert (added["old"], added["new"]["heading"]) == (None, "Hỗ trợ tái định cư")
    changed = rows["Điều 2"]  # version 1's Điều 2 is version 2's Điều 1, its price rewritten
    assert changed["change"] == "changed"
    assert (changed["old"]["version"], changed["new"]["id"]) == (1, revised.pk)
    assert "sát giá thị trường" in changed["old"]["body"]
    assert "chậm nhất trong 30 ngày" in changed["new"]["body"]
    assert {"op": "-", "text": "đất cụ thể, sát giá "} in changed["pieces"]
    assert changed["comments"] == 2  # the citizen's and the agency's, made on version 1
    assert changed["responses"] == [
        {"theme": theme.pk, "kind": "accepted", "explanation": "Đã sửa: theo giá thị trường."}
    ]
    same = rows["Điều 3"]
    assert (same["change"], same["comments"], same["pieces"]) == ("same", 0, [])

    # the same versions named explicitly; a version compared with itself is all "same"
    assert api(leader).get(url(draft, "/diff"), **{"from": 1, "to": 2}).json() == body
    itself = api(leader).get(url(draft, "/diff"), **{"from": 2, "to": 2}).json()
    assert {r["change"] for r in itself["sections"]} == {"same"}
    unknown = api(leader).get(url(draft, "/diff"), **{"from": 1, "to": 3})
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_version")
    assert unknown.json()["fields"] == {"to": ["Dự thảo chỉ có 2 phiên bản."]}


def test_a_version_is_not_imported_while_a_synthesis_runs(api, draft, office_user):
    SynthesisRun.objects.create(draft=draft)
    busy = upload(api, office_user, draft, text=REVISED)
    assert (busy.status_code, busy.json()["code"]) == (409, "run_active")
    assert "lượt tổng hợp chưa xong" in busy.json()["message"]
    draft.refresh_from_db()
    assert draft.version == 1
    assert not Section.objects.filter(draft=draft, version=2).exists()


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("office_user", 200, 201),
        ("leader", 200, 403),
        ("inspector", 200, 403),
        ("lead_focal", 403, 403),
        ("other_focal", 403, 403),
    ],
)
def test_who_reads_and_who_imports_versions(api, draft, request, who, read, write):
    user = request.getfixturevalue(who)
    client = api(user)
    assert client.get(url(draft)).status_code == read
    assert client.get(url(draft, "/diff")).status_code == read
    assert upload(api, user, draft, text=REVISED).status_code == write
    draft.refresh_from_db()
    assert draft.version == (2 if write == 201 else 1)


def test_anonymous_callers_are_refused_and_an_unknown_draft_is_not_found(api, draft, office_user):
    anonymous = ApiClient()
    assert anonymous.get(url(draft)).status_code == 401
    assert anonymous.get(url(draft, "/diff")).status_code == 401
    posted = anonymous.client.post(url(draft), {"text": REVISED})
    assert posted.status_code == 401
    draft.refresh_from_db()
    assert draft.version == 1
    missing = api(office_user).get(f"/api/v1/consultation/drafts/{draft.pk + 99}/versions")
    assert missing.status_code == 404
