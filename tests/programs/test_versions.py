"""Versions of a proposal after comments and appraisal, side by side; the files of a version and
of an answer; the comment-handling table; a deferral by the body; the responsible leader and the
working session; and no silent overwrite when two people edit at once."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from dondoc.accounts.models import Clearance
from dondoc.audit.models import AuditEntry
from dondoc.programs import adherence, services
from dondoc.programs.access import ItemActionRefused
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    CommentHandling,
    FileKind,
    HandlingOutcome,
    Invitation,
    ItemState,
    ProgramFile,
    ProgramItem,
    ProposalVersion,
    RescheduleRequest,
)
from dondoc.tracking.models import WorkingSession
from tests.agencies.conftest import signed_in
from tests.programs.conftest import CONTENT, TODAY, pdf_upload

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
NEW_ROADMAP = "Quý I: khảo sát; quý II: dự thảo; quý III: trình.\nQuý IV: sơ kết bước đầu."


@pytest.fixture
def revising(fixed_day, item, lead_focal, invited_agency, invited_focal):
    """The item after a closed round in which the invited agency answered."""
    services.item_edit_content(lead_focal, item, **CONTENT)
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 7 * DAY)
    services.invitation_answer(invited_focal, item, opinion="Đề nghị bổ sung mốc sơ kết.")
    services.round_close(lead_focal, item)
    return item


@pytest.fixture
def appraised(revising, lead_focal, office_user):
    services.comment_handle(
        lead_focal, revising, invitation_id=_invitation(revising).pk,
        outcome=HandlingOutcome.ACCEPTED,
    )  # fmt: skip
    services.item_send_to_appraisal(lead_focal, revising)
    services.appraisal_record(
        office_user, revising, passed=True, content_ok=True, procedure_ok=True, authority_ok=True
    )
    return revising


def _invitation(item) -> Invitation:
    return Invitation.objects.get(round__item=item)


# Versions ---------------------------------------------------------------------------------


def test_the_round_reads_version_one_and_a_revision_explains_what_changed(revising, lead_focal):
    (v1,) = ProposalVersion.objects.filter(item=revising)
    assert revising.rounds.get().version == v1
    assert v1.roadmap == CONTENT["roadmap"]

    with pytest.raises(ValidationError) as unexplained:
        services.version_submit(
            lead_focal, revising, changes_note=" ", revision=revising.content_revision,
            roadmap=NEW_ROADMAP,
        )  # fmt: skip
    assert unexplained.value.error_dict["changes_note"][0].code == Code.CHANGES_NOTE_REQUIRED
    with pytest.raises(ValidationError) as same:
        services.version_submit(
            lead_focal, revising, changes_note="Không đổi", revision=revising.content_revision,
            **CONTENT,
        )  # fmt: skip
    assert same.value.error_list[0].code == Code.NOTHING_CHANGED

    v2 = services.version_submit(
        lead_focal, revising, changes_note="Tiếp thu ý kiến Ban Nội chính: thêm mốc sơ kết.",
        revision=revising.content_revision, roadmap=NEW_ROADMAP,
    )  # fmt: skip
    assert (v2.number, v2.after_appraisal, v2.roadmap) == (2, False, NEW_ROADMAP)
    assert ProgramItem.objects.get(pk=revising.pk).roadmap == NEW_ROADMAP
    assert AuditEntry.objects.filter(action="program_version").exists()


def test_a_change_after_appraisal_is_marked_shown_side_by_side_and_carried_by_submission(
    appraised, lead_focal, office_user
):
    appraisal = appraised.appraisals.get()
    assert appraisal.version.number == 1
    services.version_submit(
        lead_focal, appraised, changes_note="Bổ sung mốc sơ kết theo ý kiến Thường trực.",
        revision=appraised.content_revision, roadmap=NEW_ROADMAP,
    )  # fmt: skip
    assert appraised.state == ItemState.APPRAISED  # the change is reported, not re-appraised
    services.item_submit(office_user, appraised)
    appraised.refresh_from_db()
    assert appraised.submitted_version.number == 2
    assert appraised.submitted_version.after_appraisal

    page = signed_in(office_user).get(reverse("programs:item_detail", args=[appraised.pk]))
    body = page.content.decode()
    assert "So sánh phiên bản 1 và phiên bản 2" in body  # the appraised beside the submitted
    assert "Các phần có thay đổi: Lộ trình" in body
    assert "<ins>Quý IV: sơ kết bước đầu.</ins>" in body
    assert "Bổ sung mốc sơ kết theo ý kiến Thường trực." in body
    assert "sau thẩm định" in body
    assert 'id="submitted-version"' in body


def test_the_api_submits_a_version_and_answers_the_diff(revising, lead_focal, api):
    client = api(lead_focal)
    detail = client.get(f"programs/items/{revising.pk}").json()
    assert [v["number"] for v in detail["versions"]] == [1]
    sent = client.post(
        f"programs/items/{revising.pk}/versions",
        {"roadmap": NEW_ROADMAP, "changes_note": "Thêm mốc sơ kết.",
         "revision": detail["content_revision"]},
    )  # fmt: skip
    assert sent.status_code == 200
    assert [v["number"] for v in sent.json()["versions"]] == [2, 1]
    diff = client.get(f"programs/items/{revising.pk}/versions/diff").json()
    assert (diff["before"], diff["after"], diff["changed"]) == (1, 2, ["Lộ trình"])
    roadmap = next(s for s in diff["sections"] if s["field"] == "roadmap")
    assert {"tag": "insert", "left": [],
            "right": [{"text": "Quý IV: sơ kết bước đầu.", "changed": True}]} in roadmap["rows"]  # fmt: skip


# Concurrent edits ------------------------------------------------------------------------------


def test_two_editors_of_the_same_revision_cannot_overwrite_each_other(revising, lead_focal):
    """Both read the item; the first saves; the second, saving over what it read, is refused
    and the first one's text stays (without the compare-and-set it would be overwritten)."""
    first = ProgramItem.objects.get(pk=revising.pk)
    second = ProgramItem.objects.get(pk=revising.pk)
    services.item_edit_content(lead_focal, first, problem="Bản của người thứ nhất")
    with pytest.raises(ItemActionRefused) as refused:
        services.item_edit_content(lead_focal, second, problem="Bản của người thứ hai")
    assert refused.value.code == Code.EDITED_MEANWHILE
    assert ProgramItem.objects.get(pk=revising.pk).problem == "Bản của người thứ nhất"


def test_a_page_form_carrying_an_old_revision_is_refused_with_409(revising, lead_focal, api):
    read = ProgramItem.objects.get(pk=revising.pk).content_revision
    services.item_edit_content(lead_focal, revising, problem="Đã sửa trước")
    page = signed_in(lead_focal).post(
        reverse("programs:item_act", args=[revising.pk, "submit_version"]),
        {"submit_version-revision": read, "submit_version-changes_note": "Sửa",
         **{f"submit_version-{k}": v for k, v in CONTENT.items()}},
    )  # fmt: skip
    assert page.status_code == 409  # the page again, with the refusal above it
    assert "vừa được người khác sửa" in page.content.decode()
    assert ProgramItem.objects.get(pk=revising.pk).problem == "Đã sửa trước"
    stale = api(lead_focal).post(
        f"programs/items/{revising.pk}/content", {"problem": "API", "revision": read}
    )
    assert (stale.status_code, stale.json()["code"]) == (409, Code.EDITED_MEANWHILE)


def test_two_saves_of_the_same_handling_row_do_not_overwrite(revising, lead_focal):
    invitation = _invitation(revising)
    services.comment_handle(
        lead_focal, revising, invitation_id=invitation.pk, outcome=HandlingOutcome.ACCEPTED
    )
    with pytest.raises(ItemActionRefused) as refused:  # read before the first save: revision 0
        services.comment_handle(
            lead_focal, revising, invitation_id=invitation.pk,
            outcome=HandlingOutcome.NOT_ACCEPTED, explanation="Không phù hợp", revision=0,
        )  # fmt: skip
    assert refused.value.code == Code.EDITED_MEANWHILE
    assert CommentHandling.objects.get().outcome == HandlingOutcome.ACCEPTED
    services.comment_handle(
        lead_focal, revising, invitation_id=invitation.pk, outcome=HandlingOutcome.PARTLY,
        explanation="Tiếp thu phần lộ trình", revision=1,
    )  # fmt: skip
    assert CommentHandling.objects.get().revision == 2


# Files ----------------------------------------------------------------------------------------


def test_a_draft_is_kept_with_the_latest_version_and_opened_only_by_who_sees_the_item(
    revising, lead_focal, other_focal, inspector
):
    kept = services.file_attach(
        lead_focal, revising, kind=FileKind.DRAFT, file=pdf_upload("Dự thảo đề án.pdf")
    )
    assert (kept.version.number, kept.content_type) == (1, "application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.file_attach(
            lead_focal, revising, kind=FileKind.DRAFT,
            file=SimpleUploadedFile("gia.pdf", b"<html>not a pdf</html>"),
        )  # fmt: skip
    assert refused.value.error_dict["file"][0].code == "file_type"
    assert ProgramFile.objects.count() == 1

    url = reverse("programs:file_download", args=[kept.pk])
    assert signed_in(other_focal).get(url).status_code == 404
    opened = signed_in(inspector).get(url)
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''D%E1%BB%B1%20th%E1%BA%A3o" in opened["Content-Disposition"]
    assert AuditEntry.objects.filter(action="program_file_attach").count() == 1
    assert AuditEntry.objects.filter(action="program_file_download").count() == 1
    page = signed_in(lead_focal).get(reverse("programs:item_detail", args=[revising.pk]))
    assert url in page.content.decode()


def test_an_agency_answers_with_its_document_and_the_api_sends_it(
    fixed_day, item, lead_focal, invited_agency, invited_focal, api
):
    services.item_edit_content(lead_focal, item, **CONTENT)
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 7 * DAY)
    client = api(invited_focal)
    upload = io.BytesIO(pdf_upload().read())
    upload.name = "gop-y.pdf"
    answered = client.client.post(
        f"/api/v1/programs/items/{item.pk}/answers/file",
        {"file": upload, "opinion": "Nhất trí, kèm văn bản góp ý."},
        headers=client.headers,
    )
    assert answered.status_code == 200
    (kept,) = ProgramFile.objects.filter(kind=FileKind.ANSWER)
    assert kept.invitation.agency == invited_agency
    download = client.get(f"programs/files/{kept.pk}")
    assert download.status_code == 200


def test_a_top_secret_proposal_keeps_no_file(revising, lead_focal):
    ProgramItem.objects.filter(pk=revising.pk).update(classification=Clearance.TOP_SECRET)
    revising.refresh_from_db()
    lead_focal.clearance = Clearance.TOP_SECRET
    lead_focal.save()
    with pytest.raises(ValidationError) as refused:
        services.file_attach(lead_focal, revising, kind=FileKind.DRAFT, file=pdf_upload())
    assert refused.value.error_dict["file"][0].code == Code.TOP_SECRET_FILE


def test_a_file_has_exactly_the_parent_its_kind_names(revising, lead_focal):
    version = services.version_snapshot(lead_focal, revising, TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFile.objects.create(
            item=revising, kind=FileKind.ANSWER, version=version, original_name="x.pdf",
            file="programs/x", content_type="application/pdf", size=1, sha256="0",
            uploaded_by=lead_focal,
        )  # fmt: skip


# The comment-handling table -------------------------------------------------------------------


def test_each_comment_is_handled_with_an_explanation_unless_accepted(revising, lead_focal):
    invitation = _invitation(revising)
    with pytest.raises(ValidationError) as unexplained:
        services.comment_handle(
            lead_focal, revising, invitation_id=invitation.pk, outcome=HandlingOutcome.PARTLY
        )
    assert unexplained.value.error_dict["explanation"][0].code == Code.EXPLANATION_REQUIRED
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        CommentHandling.objects.create(
            invitation=invitation, outcome=HandlingOutcome.NOT_ACCEPTED, explanation="",
            recorded_by=lead_focal, recorded_on=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationError) as stranger:
        services.comment_handle(
            lead_focal, revising, invitation_id=invitation.pk + 999,
            outcome=HandlingOutcome.ACCEPTED,
        )  # fmt: skip
    assert stranger.value.error_dict["invitation"][0].code == Code.NOT_A_COMMENT
    services.comment_handle(
        lead_focal, revising, invitation_id=invitation.pk, outcome=HandlingOutcome.NOT_ACCEPTED,
        explanation="Nội dung thuộc thẩm quyền của Chính phủ.",
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="program_comment_handle").count() == 1


def test_the_page_shows_the_handling_table_and_exports_it(revising, lead_focal, office_user):
    client = signed_in(lead_focal)
    invitation = _invitation(revising)
    before = client.get(reverse("programs:item_detail", args=[revising.pk])).content.decode()
    assert "Còn 1 ý kiến chưa được tiếp thu, giải trình." in before
    posted = client.post(
        reverse("programs:item_act", args=[revising.pk, "handle_comment"]),
        {"handle_comment-invitation_id": invitation.pk, "handle_comment-revision": 0,
         "handle_comment-outcome": "partly",
         "handle_comment-explanation": "Tiếp thu phần mốc sơ kết."},
    )  # fmt: skip
    assert posted.status_code == 302
    page = signed_in(office_user).get(reverse("programs:item_detail", args=[revising.pk]))
    body = page.content.decode()
    assert "Bảng tổng hợp tiếp thu, giải trình ý kiến" in body
    assert "Tiếp thu một phần" in body
    assert "Tiếp thu phần mốc sơ kết." in body
    assert 'id="unhandled"' not in body
    export = signed_in(office_user).get(reverse("programs:handling_export", args=[revising.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("STT", "Lần lấy ý kiến", "Cơ quan góp ý")
    assert rows[2][2] == "Ban Nội chính Trung ương"
    assert rows[2][5:7] == ("Tiếp thu một phần", "Tiếp thu phần mốc sơ kết.")


# Deferral ----------------------------------------------------------------------------------


def test_the_body_defers_a_submitted_item_which_stays_in_the_program_as_deferred(
    appraised, office_user, leader, lead_focal, api
):
    ProgramItem.objects.filter(pk=appraised.pk).update(planned_month=10)
    appraised.refresh_from_db()
    services.item_submit(office_user, appraised)
    with pytest.raises(ItemActionRefused) as not_theirs:
        services.item_defer(office_user, appraised, reason="Chưa xem xét", to_month=12)
    assert not_theirs.value.by_role
    with pytest.raises(ValidationError) as no_reason:
        services.item_defer(leader, appraised, reason="", to_month=12)
    assert no_reason.value.error_dict["reason"][0].code == Code.REASON_REQUIRED
    deferred = api(leader).post(
        f"programs/items/{appraised.pk}/deferral",
        {"to_month": 12, "reason": "Chưa xem xét tại phiên này."},
    )
    assert deferred.status_code == 200
    assert (deferred.json()["state"], deferred.json()["planned_month"]) == ("deferred", 12)
    again = api(leader).post(
        f"programs/items/{appraised.pk}/deferral", {"to_month": 12, "reason": "Lần nữa"}
    )
    assert (again.status_code, again.json()["code"]) == (409, Code.NOT_SUBMITTED)
    request = RescheduleRequest.objects.get(item=appraised)
    assert (request.kind, request.from_month, request.to_month) == ("defer", 10, 12)

    # Visible as deferred in the program, its original month beside; counted as postponed.
    program = signed_in(lead_focal).get(
        reverse("programs:program_detail", args=[appraised.program_id])
    )
    assert "Hoãn, chưa xem xét" in program.content.decode()
    page = signed_in(lead_focal).get(reverse("programs:item_detail", args=[appraised.pk]))
    assert "(kế hoạch ban đầu: tháng 10)" in page.content.decode()
    (facts,) = adherence.adherence_facts(ProgramItem.objects.filter(pk=appraised.pk))
    assert facts.standing(TODAY) == adherence.Standing.POSTPONED

    # The office submits it again in its new month.
    appraised.refresh_from_db()
    services.item_submit(office_user, appraised)
    assert appraised.state == ItemState.SUBMITTED


# Responsible leader and working session -------------------------------------------------------


def test_the_office_names_the_leader_and_links_a_working_session(item, office_user, api, fixed_day):
    session = WorkingSession.objects.create(
        held_on=TODAY, chair="Thường trực Ban Bí thư", topic="Công tác tổ chức cán bộ"
    )
    secret = WorkingSession.objects.create(
        held_on=TODAY, chair="Tổng Bí thư", topic="Quốc phòng", classification=Clearance.TOP_SECRET
    )
    with pytest.raises(ValidationError) as hidden:
        services.item_links_set(
            office_user, item, responsible_leader="", working_session_id=secret.pk
        )
    assert hidden.value.error_dict["working_session"][0].code == Code.SESSION_NOT_FOUND
    linked = api(office_user).post(
        f"programs/items/{item.pk}/links",
        {"responsible_leader": "Đồng chí Thường trực Ban Bí thư", "working_session": session.pk},
    )
    assert linked.status_code == 200
    assert linked.json()["responsible_leader"] == "Đồng chí Thường trực Ban Bí thư"
    assert linked.json()["working_session"] == session.pk
    assert WorkingSession.objects.count() == 2  # linked, not copied
    page = signed_in(office_user).get(reverse("programs:item_detail", args=[item.pk]))
    body = page.content.decode()
    assert "Đồng chí Thường trực Ban Bí thư" in body
    assert reverse("tracking:session_detail", args=[session.pk]) in body


def test_the_item_page_reads_the_same_number_of_queries_however_long_its_history(
    revising, lead_focal, office_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.agencies.models import Agency, AgencyKind

    web = signed_in(office_user)
    url = reverse("programs:item_detail", args=[revising.pk])
    web.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as first:
        assert web.get(url).status_code == 200
    round_ = revising.rounds.get()
    for n in range(4):
        services.version_submit(
            lead_focal, revising, changes_note=f"Lần sửa {n}",
            revision=revising.content_revision, roadmap=f"{NEW_ROADMAP} {n}",
        )  # fmt: skip
        services.file_attach(lead_focal, revising, kind=FileKind.DRAFT, file=pdf_upload())
        agency = Agency.objects.create(
            code=f"CQ{n}", name=f"Cơ quan {n}", kind=AgencyKind.CENTRAL_BODY
        )
        invitation = Invitation.objects.create(
            round=round_, agency=agency, answered_on=TODAY, opinion=f"Ý kiến {n}"
        )
        services.comment_handle(
            lead_focal, revising, invitation_id=invitation.pk, outcome=HandlingOutcome.ACCEPTED
        )
    with django_assert_num_queries(len(first.captured_queries)):
        page = web.get(url)
    assert page.content.decode().count('class="file-link"') == 4


def test_the_appraisal_report_holds_the_version_appraised_and_the_handling(
    revising, lead_focal, office_user
):
    import docx

    services.comment_handle(
        lead_focal, revising, invitation_id=_invitation(revising).pk,
        outcome=HandlingOutcome.PARTLY, explanation="Tiếp thu phần lộ trình.",
    )  # fmt: skip
    services.item_send_to_appraisal(lead_focal, revising)
    appraisal = services.appraisal_record(
        office_user, revising, passed=True, content_ok=True, procedure_ok=True, authority_ok=True
    )
    services.version_submit(  # written after the appraisal: not what the report says
        lead_focal, revising, changes_note="Bổ sung sau thẩm định.",
        revision=revising.content_revision, roadmap=NEW_ROADMAP,
    )  # fmt: skip
    report = signed_in(office_user).get(
        reverse("programs:appraisal_report", args=[revising.pk, appraisal.pk])
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report.content)).paragraphs)
    assert "(Phiên bản 1 của đề án.)" in text
    assert f"Lộ trình: {CONTENT['roadmap']}" in text
    assert "sơ kết bước đầu" not in text
    assert "Tiếp thu, giải trình 1 ý kiến: tiếp thu 0, tiếp thu một phần 1" in text
