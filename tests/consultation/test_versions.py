"""A draft revised after comments: the revised text imported again is a new version, the old
one and the comments made on it stay; the staff see section by section what changed, the
public sees the new text, and a response points at the revised section."""

import io
from types import SimpleNamespace

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dondoc.audit.models import AuditEntry
from dondoc.consultation import intake, services
from dondoc.consultation.models import (
    Comment,
    DraftVersion,
    Section,
    Stance,
    SynthesisRun,
    Theme,
)
from dondoc.consultation.versions import Change, sections_diff, text_diff

from .conftest import web
from .test_flow import COMPENSATION, synthesize

# Điều 2 changed (market price, a time limit), a new article inserted before the old Điều 3
# (renumbered Điều 4, same heading), the old Điều 1 removed.
REVISED = """\
# Dự thảo Luật Đất đai (sửa đổi)

Chương I. Quy định chung

Điều 1. Bồi thường khi Nhà nước thu hồi đất
Người có đất thu hồi được bồi thường theo giá thị trường tại thời điểm thu hồi, chậm nhất trong 30 ngày.

Điều 2. Hỗ trợ tái định cư
Người phải di chuyển chỗ ở được bố trí tái định cư tại chỗ hoặc gần nơi ở cũ.

Chương II. Quy hoạch sử dụng đất

Điều 3. Lấy ý kiến về quy hoạch
Quy hoạch sử dụng đất được công khai, lấy ý kiến nhân dân trước khi phê duyệt.
"""


def of(version: int, draft, number: str) -> Section:
    return Section.objects.get(draft=draft, version=version, number=number)


def public_post(client: Client, draft_id: int, **fields):
    challenge = client.get(f"/consultation/public/{draft_id}/").context["challenge"]
    data = {"stance": Stance.PARTIAL, "category": "citizen", "text": COMPENSATION,
            "challenge": challenge, "nonce": intake.solve(challenge, 1)} | fields  # fmt: skip
    return client.post(f"/consultation/public/{draft_id}/", data, REMOTE_ADDR="10.0.0.9")


def s(number: str, heading: str, body: str = "") -> SimpleNamespace:
    return SimpleNamespace(number=number, heading=heading, body=body)


def test_an_inserted_article_does_not_shift_the_pairing_of_the_renumbered_ones():
    old = [
        s("Điều 1", "Phạm vi"),
        s("Điều 2", "Bồi thường", "giá cụ thể"),
        s("Điều 3", "Quy hoạch"),
    ]
    new = [s("Điều 1", "Phạm vi"), s("Điều 2", "Tái định cư", "chỗ ở mới"),
           s("Điều 3", "Bồi thường", "giá thị trường"), s("Điều 4", "Quy hoạch")]  # fmt: skip
    found = [
        (c.change, c.old and c.old.number, c.new and c.new.number) for c in sections_diff(old, new)
    ]
    assert found == [
        (Change.SAME, "Điều 1", "Điều 1"),
        (Change.ADDED, None, "Điều 2"),
        (Change.CHANGED, "Điều 2", "Điều 3"),  # the same article, renumbered and revised
        (Change.CHANGED, "Điều 3", "Điều 4"),  # only renumbered: its title changed
    ]


def test_a_retitled_article_with_the_same_text_is_changed_not_removed_and_added():
    body = "Quy hoạch sử dụng đất được công khai, lấy ý kiến nhân dân trước khi phê duyệt."
    changes = sections_diff([s("Điều 3", "Lấy ý kiến", body), s("Điều 4", "Thanh tra", "x y z")],
                            [s("Điều 3", "Công khai quy hoạch", body)])  # fmt: skip
    assert [c.change for c in changes] == [Change.CHANGED, Change.REMOVED]
    assert changes[0].title_changed


def test_the_text_diff_marks_words_inserted_and_deleted():
    pieces = text_diff("bồi thường theo giá cụ thể", "bồi thường theo giá thị trường")
    assert [(p.op, p.text) for p in pieces] == [
        ("", "bồi thường theo giá "), ("-", "cụ thể"), ("+", "thị trường")]  # fmt: skip


@pytest.fixture
def commented(draft, open_round, lead_focal):
    """A citizen and an agency comment on Điều 2 of version 1."""
    article = of(1, draft, "Điều 2")
    assert public_post(Client(), draft.pk, section=article.pk).status_code == 200
    services.comment_submit(lead_focal, draft, Stance.DISAGREE, COMPENSATION, article.pk)
    return article


def test_the_office_imports_a_revised_text_and_sees_what_changed_section_by_section(
    draft, commented, office_user
):
    office = web(office_user)
    response = office.post(f"/consultation/{draft.pk}/versions/new/", {"text": REVISED})
    assert response.status_code == 302
    assert response["Location"] == f"/consultation/{draft.pk}/versions/?from=1&to=2"
    draft.refresh_from_db()
    assert draft.version == 2
    assert list(DraftVersion.objects.filter(draft=draft).values_list("number", flat=True)) == [1, 2]
    entry = AuditEntry.objects.get(action="draft_version_import")
    assert entry.changes["version"] == [1, 2]

    page = office.get(response["Location"]).content.decode()
    summary = page[page.index('id="diff-summary"') :]
    assert "1 phần thêm mới, 1 phần bỏ đi, 1 phần sửa đổi" in summary
    assert "Hỗ trợ tái định cư" in page
    assert "Phạm vi điều chỉnh" in page
    assert "theo giá <del>đất cụ thể, sát giá </del>thị" in page
    assert "<ins>trường tại thời điểm thu hồi, chậm nhất trong 30 ngày.</ins>" in page
    # the comments made on version 1's Điều 2 are shown on it, and stay on it
    assert "2 ý kiến góp ý vào phần này ở phiên bản 1" in page
    assert set(Comment.objects.values_list("version", "chosen_section")) == {(1, commented.pk)}


def test_the_public_page_shows_the_current_version_and_takes_comments_on_it(
    draft, commented, office_user
):
    services.draft_version_import(office_user, draft, text=REVISED)
    client = Client()
    page = client.get(f"/consultation/public/{draft.pk}/").content.decode()
    assert "Hỗ trợ tái định cư" in page
    assert "Phạm vi điều chỉnh" not in page
    refused = public_post(client, draft.pk, section=commented.pk)  # a section of version 1
    assert refused.status_code == 400
    revised = of(2, draft, "Điều 1")
    assert public_post(client, draft.pk, section=revised.pk).status_code == 200
    latest = Comment.objects.latest("pk")
    assert (latest.version, latest.chosen_section) == (2, revised)


def test_themes_stay_on_the_old_section_and_the_answer_links_the_revised_one(
    draft, commented, office_user, inspector
):
    synthesize(office_user, draft)
    services.draft_version_import(office_user, draft, text=REVISED)
    office = web(office_user)
    page = office.get(f"/consultation/{draft.pk}/synthesis/")
    themes = [t for entry in page.context["entries"] for t in entry.themes]
    assert themes
    assert all(t.section_id == commented.pk for t in themes)
    assert "(phiên bản 1)" in page.content.decode()
    revised = of(2, draft, "Điều 1")
    answered = office.post(f"/consultation/themes/{themes[0].pk}/respond/", {
        "kind": "accepted", "explanation": "Đã sửa: bồi thường theo giá thị trường trong 30 ngày.",
        "revised_section": revised.pk})  # fmt: skip
    assert answered.status_code == 302
    assert (
        f"#new-{revised.pk}" in office.get(f"/consultation/{draft.pk}/synthesis/").content.decode()
    )
    # a leader or inspector reads the changes and the answer that points at them
    diff = web(inspector).get(f"/consultation/{draft.pk}/versions/").content.decode()
    assert "Đã sửa: bồi thường theo giá thị trường trong 30 ngày." in diff
    # a later run keeps the comments on the section they were made on
    synthesize(office_user, draft)
    assert set(Comment.objects.values_list("section", flat=True)) == {commented.pk}


def test_only_the_office_imports_a_version_and_not_while_a_run_is_going(
    draft, commented, office_user, lead_focal
):
    refused = web(lead_focal).post(f"/consultation/{draft.pk}/versions/new/", {"text": REVISED})
    assert refused.status_code == 403
    assert web(lead_focal).get(f"/consultation/{draft.pk}/versions/").status_code == 403
    SynthesisRun.objects.create(draft=draft)
    with pytest.raises(ValidationError) as busy:
        services.draft_version_import(office_user, draft, text=REVISED)
    assert busy.value.error_list[0].code == "run_active"
    page = web(office_user).post(f"/consultation/{draft.pk}/versions/new/", {"text": "   "})
    assert page.status_code == 400
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_revised_docx_is_a_new_version(draft, office_user):
    document = docx.Document()
    document.add_heading("Điều 1. Phạm vi điều chỉnh", level=2)
    document.add_paragraph("Luật này quy định về chế độ sở hữu đất đai.")
    stream = io.BytesIO()
    document.save(stream)
    stream.seek(0)
    created = services.draft_version_import(office_user, draft, docx=stream)
    assert created.number == 2
    assert [str(x) for x in Section.objects.filter(draft=draft, version=2)] == [
        "Điều 1 Phạm vi điều chỉnh"
    ]
    # version 1 is whole
    assert Section.objects.filter(draft=draft, version=1).count() == 6


def test_the_theme_page_names_the_version_of_a_section_that_is_no_longer_current(
    themed, office_user
):
    services.draft_version_import(office_user, themed, text=REVISED)
    current = of(2, themed, "Điều 2")
    new_theme = Theme.objects.create(draft=themed, section=current, label="Tái định cư tại chỗ")
    old_theme = Theme.objects.filter(draft=themed, section__version=1).order_by("pk").first()
    assert old_theme is not None
    office = web(office_user)

    page = office.get(f"/consultation/themes/{old_theme.pk}/").content.decode()
    header = page[page.index("<h1>") : page.index('<section class="panel">')]
    assert f"{old_theme.section} <small>(phiên bản 1)</small>" in header
    moves = page[page.index('id="move-into"') :]
    # the current version's section first, with no suffix; the old one's themes named with it
    assert moves.index(f"{current}: Tái định cư tại chỗ (0)") < moves.index("(phiên bản 1)")
    assert f"{old_theme.section} (phiên bản 1): " in moves

    page = office.get(f"/consultation/themes/{new_theme.pk}/").content.decode()
    header = page[page.index("<h1>") : page.index('<section class="panel">')]
    assert str(current) in header
    assert "phiên bản" not in header


def test_a_file_that_is_not_docx_is_refused_on_the_page_with_a_message(draft, office_user):
    garbage = io.BytesIO(b"%PDF-1.4 not a word file")
    garbage.name = "du-thao.docx"
    page = web(office_user).post(f"/consultation/{draft.pk}/versions/new/", {"file": garbage})
    assert page.status_code == 400
    assert "Không đọc được tệp: hãy chọn tệp DOCX." in page.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1
