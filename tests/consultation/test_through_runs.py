"""What the office changed in the themes stays through the next synthesis run, and comments
that arrive after a run are put by the hourly job into the theme they belong to (or in none,
counted as new), without recomputing the themes."""

import pytest
from django.test import TestCase

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services, tasks
from dondoc.consultation.models import Comment, Stance, SynthesisRun, Theme

from .conftest import section, web

PRICE = [
    "Giá bồi thường khi thu hồi đất phải sát giá thị trường, không thể thấp hơn nhiều như hiện nay",
    "Đề nghị tính giá đất bồi thường theo giá thị trường tại thời điểm có quyết định thu hồi",
    "Bảng giá đất của tỉnh quá thấp nên tiền bồi thường không đủ mua lại mảnh đất khác",
    "Người có đất bị thu hồi cần được bồi thường theo giá đất công bằng, minh bạch",
    "Cần có hội đồng thẩm định giá đất độc lập để xác định mức bồi thường",
    "Giá đất bồi thường nên được cập nhật hằng năm theo giá giao dịch thực tế trên thị trường",
    "Mức giá bồi thường đất nông nghiệp hiện quá thấp so với giá thị trường",
    "Giá đất tính bồi thường do cơ quan nhà nước tự quyết định là chưa khách quan",
]
RESETTLEMENT = [
    "Khu tái định cư phải được xây dựng xong trước khi người dân phải di dời",
    "Nhà ở tái định cư cần có điều kiện sống bằng hoặc tốt hơn chỗ ở cũ",
    "Đề nghị bố trí tái định cư tại chỗ để người dân giữ được sinh kế",
    "Khu tái định cư thiếu trường học, chợ và trạm y tế nên cuộc sống rất khó khăn",
    "Hộ gia đình di dời cần được hỗ trợ tiền thuê nhà trong thời gian chờ bố trí tái định cư",
    "Chất lượng căn hộ tái định cư xuống cấp nhanh, cần giám sát xây dựng chặt chẽ",
    "Người dân phải được tham gia lựa chọn vị trí khu tái định cư của mình",
    "Ưu tiên giao đất tái định cư cho hộ nghèo và gia đình chính sách",
]
JOBS = [
    "Nông dân mất đất sản xuất cần được hỗ trợ đào tạo nghề và tìm việc làm mới",
    "Kinh phí hỗ trợ chuyển đổi nghề nghiệp phải chi trả trực tiếp cho người lao động",
    "Lao động lớn tuổi mất đất khó học nghề mới, cần có trợ cấp hằng tháng",
    "Doanh nghiệp nhận đất phải ưu tiên tuyển dụng lao động địa phương",
    "Chính sách hỗ trợ việc làm cho nông dân mất đất nông nghiệp còn hình thức",
    "Đề nghị mở lớp dạy nghề miễn phí cho thanh niên ở vùng mất đất sản xuất",
    "Cần cho vay vốn ưu đãi để hộ mất đất chuyển sang kinh doanh, dịch vụ",
    "Hỗ trợ đào tạo nghề, chuyển đổi việc làm phải kéo dài ít nhất ba năm",
]


def synthesize(user, draft) -> SynthesisRun:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.synthesis_start(user, draft)
    run.refresh_from_db()
    assert run.stage == "done", run.error
    return run


def theme_of(text: str) -> Theme:
    comment = Comment.objects.select_related("theme").get(text=text, campaign__isnull=True)
    assert comment.theme is not None, text
    return comment.theme


def members(theme: Theme) -> set[str]:
    return set(Comment.objects.filter(theme=theme).values_list("text", flat=True))


def page(user, draft) -> str:
    answer = web(user).get(f"/consultation/{draft.pk}/synthesis/")
    assert answer.status_code == 200
    return answer.content.decode()


def comment(open_round, text: str, number: str | None = "Điều 2") -> Comment:
    where = section(open_round.draft, number).pk if number else None
    return services.comment_submit_public(open_round.draft_id, Stance.PARTIAL, text, "citizen",
                                          section_id=where)  # fmt: skip


@pytest.fixture
def synthesized(office_user, draft, open_round):
    """24 citizens' comments on Điều 2 (compensation price, resettlement, jobs), synthesized."""
    article = section(draft, "Điều 2").pk
    rows = [("partial", text, "citizen", "web", article) for text in PRICE + RESETTLEMENT + JOBS]
    services._comments_import(open_round, rows)
    synthesize(office_user, draft)
    return draft


def test_a_renamed_theme_keeps_its_name_and_its_comments_through_a_rerun(
    office_user, synthesized, open_round
):
    price = theme_of(PRICE[0])
    before, count = members(price), Theme.objects.filter(draft=synthesized).count()
    web(office_user).post(f"/consultation/themes/{price.pk}/",
                          {"action": "rename", "label": "Giá đất bồi thường sát thị trường"})  # fmt: skip
    comment(open_round, "Giá đất bồi thường ở quê tôi thấp hơn giá thị trường một nửa")
    synthesize(office_user, synthesized)

    assert theme_of(PRICE[0]).pk == price.pk
    assert theme_of(PRICE[0]).label == "Giá đất bồi thường sát thị trường"
    assert members(price) >= before
    assert "Giá đất bồi thường ở quê tôi thấp hơn giá thị trường một nửa" in members(price)
    assert Theme.objects.filter(draft=synthesized).count() == count
    assert page(office_user, synthesized).count("Giá đất bồi thường sát thị trường") == 1


def test_merged_themes_stay_merged_after_a_rerun(office_user, synthesized):
    kept, away = theme_of(RESETTLEMENT[0]), theme_of(JOBS[0])
    assert kept.pk != away.pk
    together = members(kept) | members(away)
    count = Theme.objects.filter(draft=synthesized).count()
    web(office_user).post(f"/consultation/themes/{away.pk}/", {"action": "merge", "into": kept.pk})
    synthesize(office_user, synthesized)

    assert not Theme.objects.filter(pk=away.pk).exists()
    assert members(kept) == together
    kept.refresh_from_db()
    assert (kept.size, kept.weighted_size) == (len(together), len(together))
    assert Theme.objects.filter(draft=synthesized).count() == count - 1
    assert f'id="theme-{away.pk}"' not in page(office_user, synthesized)


def test_an_answered_theme_keeps_its_response_and_its_comments_through_a_rerun(
    office_user, synthesized
):
    price = theme_of(PRICE[0])
    before = members(price)
    web(office_user).post(f"/consultation/themes/{price.pk}/respond/",
                          {"kind": "accepted", "explanation": "Đã sửa khoản 2: giá đất cụ thể."})  # fmt: skip
    synthesize(office_user, synthesized)

    assert theme_of(PRICE[0]).pk == price.pk
    assert members(price) == before
    shown = page(office_user, synthesized)
    assert shown.count("Đã sửa khoản 2: giá đất cụ thể.") == 1
    assert Theme.objects.filter(response__isnull=False).count() == 1


def test_a_moved_comment_stays_where_the_office_put_it_through_a_rerun(office_user, synthesized):
    moved = Comment.objects.get(text=PRICE[7])
    price, into = theme_of(PRICE[7]), theme_of(RESETTLEMENT[0])
    answer = web(office_user).post(f"/consultation/themes/{price.pk}/",
                                   {"action": "move", "comment": moved.pk, "into": into.pk})  # fmt: skip
    assert answer.status_code == 302
    assert AuditEntry.objects.get(action="comment_move").changes["theme"] == [price.pk, into.pk]
    synthesize(office_user, synthesized)

    assert theme_of(PRICE[7]).pk == into.pk
    listed = web(office_user).get(f"/consultation/themes/{into.pk}/").content.decode()
    assert PRICE[7] in listed
    elsewhere = theme_of(PRICE[0])
    assert (
        PRICE[7]
        not in web(office_user).get(f"/consultation/themes/{elsewhere.pk}/").content.decode()
    )
    into.refresh_from_db()
    assert into.size == Comment.objects.filter(theme=into, campaign__isnull=True).count()


def test_the_hourly_job_puts_a_new_comment_into_its_theme_and_leaves_an_unrelated_one_out(
    office_user, synthesized, open_round
):
    price = theme_of(PRICE[0])
    size = price.weighted_size
    assert "chưa xếp được vào chủ đề" not in page(office_user, synthesized)
    near = comment(
        open_round, "Về Điều 2: giá bồi thường đất ở thấp hơn giá thị trường rất nhiều", number=None
    )  # the explicit reference places it
    unrelated = comment(open_round, "Tôi đề nghị tăng lương cho giáo viên mầm non ở vùng sâu")
    copy = comment(open_round, RESETTLEMENT[0])  # the same text as an earlier comment
    tasks.comments_absorb_due_task.delay()

    near.refresh_from_db()
    unrelated.refresh_from_db()
    copy.refresh_from_db()
    assert (near.section_id, near.theme_id) == (price.section_id, price.pk)
    assert unrelated.theme_id is None
    assert unrelated.section_id == price.section_id
    assert (copy.campaign_id, copy.theme_id) == (
        Comment.objects.get(text=RESETTLEMENT[0], campaign__isnull=True).pk,
        theme_of(RESETTLEMENT[0]).pk,
    )
    price.refresh_from_db()
    assert price.weighted_size == size + 1
    shown = page(office_user, synthesized)
    assert "1 ý kiến mới chưa xếp được vào chủ đề nào" in shown
    assert "Lần xếp ý kiến mới gần nhất" in shown
    assert AuditEntry.objects.get(action="comments_absorb").changes["comments"] == [None, 3]
    assert tasks.comments_absorb_due_task.delay().get() == 0  # nothing left to absorb
