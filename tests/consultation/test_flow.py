"""A draft from import to report: agencies and citizens comment, the office synthesizes,
answers each theme and prints the report; identities stay apart."""

import hashlib
import io

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase

from dondoc.audit.models import AuditEntry
from dondoc.consultation import intake, services
from dondoc.consultation.models import Comment, CommenterIdentity, Stance, SynthesisRun, Theme

from .conftest import section, web

COMPENSATION = "Đề nghị bồi thường theo giá thị trường khi Nhà nước thu hồi đất của người dân"
PLANNING = "Quy hoạch sử dụng đất phải công khai để nhân dân biết và giám sát việc thực hiện"


def synthesize(user, draft) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.synthesis_start(user, draft)


def public_post(client: Client, draft_id: int, **fields):
    page = client.get(f"/consultation/public/{draft_id}/")
    challenge = page.context["challenge"]
    data = {"stance": Stance.PARTIAL, "category": "citizen", "text": COMPENSATION,
            "challenge": challenge, "nonce": intake.solve(challenge, 1)} | fields  # fmt: skip
    return client.post(f"/consultation/public/{draft_id}/", data, REMOTE_ADDR="10.0.0.1")


def test_a_citizen_comments_without_signing_in_and_their_identity_is_kept_apart(draft, open_round):
    client = Client()
    page = client.get(f"/consultation/public/{draft.pk}/")
    assert page.status_code == 200
    assert "Điều 2" in page.content.decode()
    response = public_post(client, draft.pk, full_name="Nguyễn Văn An", phone="0912345678")
    assert response.status_code == 200
    assert "ý kiến đã được ghi nhận" in response.content.decode()
    comment = Comment.objects.get()
    assert (comment.channel, comment.category, comment.text) == ("web", "citizen", COMPENSATION)
    assert "Nguyễn Văn An" not in str(Comment.objects.values().get())
    assert CommenterIdentity.objects.get(comment=comment).phone == "0912345678"


def test_the_public_form_refuses_a_missing_proof_and_a_flood(draft, open_round, settings):
    settings.CONSULTATION_PUBLIC_PER_HOUR = 2
    client = Client()
    challenge = client.get(f"/consultation/public/{draft.pk}/").context["challenge"]
    wrong = next(str(n) for n in range(100)
                 if not hashlib.sha256(f"{challenge}:{n}".encode()).hexdigest().startswith("0"))  # fmt: skip
    forged = "x" + challenge
    for sent, nonce in ((challenge, wrong), (forged, intake.solve(forged, 1))):
        refused = client.post(f"/consultation/public/{draft.pk}/", {
            "stance": Stance.AGREE, "category": "citizen", "challenge": sent, "nonce": nonce})  # fmt: skip
        assert refused.status_code == 400
        assert "xác minh" in refused.content.decode()
    solved = public_post(client, draft.pk)
    again = client.post(f"/consultation/public/{draft.pk}/", {"stance": Stance.AGREE,
        "category": "citizen", "challenge": solved.wsgi_request.POST["challenge"],
        "nonce": solved.wsgi_request.POST["nonce"]})  # fmt: skip
    assert again.status_code == 400  # a challenge serves once
    assert [public_post(client, draft.pk).status_code for _ in range(2)] == [200, 429]
    assert "quá nhiều ý kiến" in public_post(client, draft.pk).content.decode()
    assert Comment.objects.count() == 2


def test_a_closed_or_agency_only_round_has_no_public_page(draft, office_user):
    assert Client().get(f"/consultation/public/{draft.pk}/").status_code == 404


def test_disagreeing_without_a_reason_is_refused_in_vietnamese_and_nothing_is_stored(
    draft, open_round, lead_focal
):
    with pytest.raises(ValidationError) as refused:
        services.comment_submit(lead_focal, draft, Stance.DISAGREE, "  ")
    assert "nêu rõ nội dung" in str(refused.value)
    assert not Comment.objects.exists()


def test_an_agency_comments_on_a_section_through_its_page(draft, open_round, lead_focal):
    article = section(draft, "Điều 2")
    response = web(lead_focal).post(f"/consultation/{draft.pk}/", {
        "stance": Stance.PARTIAL, "section": article.pk, "text": COMPENSATION})  # fmt: skip
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.agency_id, comment.chosen_section, comment.channel) == (
        lead_focal.agency_id,
        article,
        "agency",
    )


def _comments(draft, open_round, lead_focal) -> None:
    article = section(draft, "Điều 2")
    services.comment_submit(lead_focal, draft, Stance.PARTIAL, COMPENSATION, article.pk)
    for i in range(12):  # a campaign: the same text reworded
        variant = COMPENSATION if i % 2 else f"Tôi thấy {COMPENSATION.lower()}"
        services.comment_submit_public(draft.pk, Stance.DISAGREE, variant, "citizen")
    for i in range(6):
        services.comment_submit_public(
            draft.pk, Stance.AGREE, f"{PLANNING} tại địa phương số {i}", "member"
        )
    services.comment_submit_public(draft.pk, Stance.AGREE, "", "citizen")


def test_synthesis_folds_campaigns_finds_themes_per_section_and_the_office_answers(
    draft, open_round, lead_focal, office_user, leader, django_capture_on_commit_callbacks
):
    _comments(draft, open_round, lead_focal)
    office = web(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert office.post(f"/consultation/{draft.pk}/synthesis/").status_code == 302
    run = SynthesisRun.objects.get()
    assert run.finished_at is not None
    assert run.sections_done == run.sections_total
    compensation = Theme.objects.get(section=section(draft, "Điều 2"))
    assert (compensation.weighted_size, compensation.size) == (13, 1)
    planning = Theme.objects.filter(section=section(draft, "Điều 3"))
    assert sum(t.weighted_size for t in planning) == 6
    page = office.get(f"/consultation/{draft.pk}/synthesis/")
    assert "13 ý kiến, 1 ý kiến khác nhau" in page.content.decode()
    answered = office.post(f"/consultation/themes/{compensation.pk}/respond/", {
        "kind": "accepted", "explanation": "Đã bổ sung khoản 3 Điều 2."})  # fmt: skip
    assert answered.status_code == 302
    assert compensation.__class__.objects.get(pk=compensation.pk).response.kind == "accepted"
    assert web(leader).post(f"/consultation/themes/{compensation.pk}/respond/", {
        "kind": "accepted", "explanation": "x"}).status_code == 403  # fmt: skip


def test_the_report_counts_and_answers_but_never_names_a_commenter(
    draft, open_round, lead_focal, office_user
):
    _comments(draft, open_round, lead_focal)
    services.comment_submit_public(draft.pk, Stance.PARTIAL, PLANNING, "citizen",
                                   full_name="Trần Thị Bình", phone="0987654321")  # fmt: skip
    synthesize(office_user, draft)
    office = web(office_user)
    word = office.get(f"/consultation/{draft.pk}/report.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "BÁO CÁO" in text
    assert "Tán thành: 7" in text
    assert "Điều 2" in text
    sheet = openpyxl.load_workbook(
        io.BytesIO(office.get(f"/consultation/{draft.pk}/report.xlsx").content)
    )
    cells = " ".join(str(c.value) for ws in sheet for row in ws.iter_rows() for c in row)
    for private in ("Trần Thị Bình", "0987654321"):
        assert private not in text
        assert private not in cells


def test_only_administrators_read_identities_and_each_read_is_audited(
    draft, open_round, admin_user, office_user
):
    comment = services.comment_submit_public(draft.pk, Stance.AGREE, "", "citizen",
                                             full_name="Lê Văn Cường")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.identity_read(office_user, comment)
    assert services.identity_read(admin_user, comment).full_name == "Lê Văn Cường"
    assert AuditEntry.objects.filter(action="identity_read", actor=admin_user).count() == 1


def test_the_synthesis_page_takes_a_fixed_number_of_queries(
    draft, open_round, lead_focal, office_user, django_assert_max_num_queries
):
    _comments(draft, open_round, lead_focal)
    synthesize(office_user, draft)
    office = web(office_user)
    office.get(f"/consultation/{draft.pk}/synthesis/")
    with django_assert_max_num_queries(16):
        assert office.get(f"/consultation/{draft.pk}/synthesis/").status_code == 200
    for i in range(20):
        services.comment_submit_public(draft.pk, Stance.AGREE, f"{PLANNING} ý số {i}", "citizen")
    synthesize(office_user, draft)
    with django_assert_max_num_queries(16):
        assert office.get(f"/consultation/{draft.pk}/synthesis/").status_code == 200


def test_draft_pages_take_a_fixed_number_of_queries(
    draft, open_round, lead_focal, office_user, django_assert_max_num_queries
):
    for user in (office_user, lead_focal):
        client = web(user)
        client.get("/consultation/")
        with django_assert_max_num_queries(12):
            assert client.get("/consultation/").status_code == 200
        with django_assert_max_num_queries(14):
            page = client.get(f"/consultation/{draft.pk}/")
        assert page.status_code == 200
    assert "Góp ý của cơ quan" in page.content.decode()  # the focal point's form
    with django_assert_max_num_queries(10):
        assert Client().get(f"/consultation/public/{draft.pk}/").status_code == 200


def test_the_office_imports_a_draft_and_opens_a_round_with_a_sane_window(office_user):
    office = web(office_user)
    empty = office.post("/consultation/", {"title": "Trống", "text": "   "})
    assert "Không tìm thấy nội dung" in empty.content.decode()
    created = office.post("/consultation/", {"title": "Dự thảo Quy định", "text": "Điều 1. A\nB"})
    assert created.status_code == 302
    draft_id = int(created["Location"].strip("/").split("/")[-1])
    backwards = office.post(f"/consultation/{draft_id}/round/",
                            {"opens_on": "2026-03-20", "closes_on": "2026-03-01", "public": "on"})  # fmt: skip
    assert backwards.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu" in backwards.content.decode()
    opened = office.post(f"/consultation/{draft_id}/round/",
                         {"opens_on": "2026-03-01", "closes_on": "2026-03-20", "public": "on"})  # fmt: skip
    assert opened.status_code == 302
    assert Client().get(f"/consultation/public/{draft_id}/").status_code == 200


def test_a_focal_point_cannot_import_a_draft_or_see_the_synthesis(draft, lead_focal):
    client = web(lead_focal)
    assert client.post("/consultation/", {"title": "X", "text": "Điều 1. A"}).status_code == 403
    assert client.get(f"/consultation/{draft.pk}/synthesis/").status_code == 403
    assert client.get(f"/consultation/{draft.pk}/report.xlsx").status_code == 403


def test_a_comment_written_as_a_formula_stays_text_in_the_report(
    draft, open_round, lead_focal, office_user
):
    _comments(draft, open_round, lead_focal)
    formula = '=HYPERLINK("http://example.org/x","Xem chi tiết Điều 3 tại đây")'
    services.comment_submit_public(draft.pk, Stance.DISAGREE, formula, "citizen")
    synthesize(office_user, draft)
    content = web(office_user).get(f"/consultation/{draft.pk}/report.xlsx").content
    cells = [
        c for ws in openpyxl.load_workbook(io.BytesIO(content)) for r in ws.iter_rows() for c in r
    ]
    quoted = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert quoted  # the citizen's text is in the report, as typed …
    assert all(c.data_type == "s" and c.quotePrefix for c in quoted)  # … and never a formula
