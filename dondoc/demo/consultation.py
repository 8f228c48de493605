"""Demo data for consultation, loaded after the tracking demo through consultation's services
(their inner steps: the demo runs inside one transaction): a draft political report open for
comments, a few hundred comments from agencies and the public with campaigns among them, the
synthesis, and the first responses."""

import datetime as dt
import random

from dondoc.accounts.models import RoleCode, User
from dondoc.consultation import services
from dondoc.consultation.models import Category, Channel, ResponseKind, Stance, Theme
from dondoc.consultation.sections import parse_markdown

DRAFT = """\
Mở đầu
Dự thảo Báo cáo chính trị trình Đại hội được gửi lấy ý kiến rộng rãi của cán bộ, đảng viên và nhân dân.

I. Đánh giá kết quả thực hiện nhiệm vụ nhiệm kỳ qua
1. Phát triển kinh tế, quản lý đất đai
Hoàn thiện thể chế về đất đai, bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất.
2. Quy hoạch và cải cách hành chính
Quy hoạch sử dụng đất được công khai; thủ tục cấp giấy chứng nhận được đơn giản hóa.

II. Mục tiêu, nhiệm vụ nhiệm kỳ tới
1. Đất đai, nông nghiệp
Đấu giá quyền sử dụng đất minh bạch; tích tụ ruộng đất, hạn mức đất nông nghiệp hợp lý.
2. Phạm vi điều chỉnh và trách nhiệm của Nhà nước
Bảo đảm quyền sở hữu toàn dân về đất đai do Nhà nước đại diện chủ sở hữu.
"""
STANCES = [Stance.AGREE, Stance.PARTIAL, Stance.PARTIAL, Stance.DISAGREE]
CATEGORIES = [Category.CITIZEN, Category.CITIZEN, Category.MEMBER, Category.EXPERT]
SUBJECTS = ["giá bồi thường khi thu hồi đất", "tái định cư", "công khai quy hoạch", "quy hoạch treo",
            "thủ tục cấp giấy chứng nhận", "đấu giá quyền sử dụng đất", "tích tụ ruộng đất",
            "hạn mức đất nông nghiệp", "quyền sở hữu toàn dân về đất đai"]  # fmt: skip
OPENINGS = ["Đề nghị", "Tôi đề nghị", "Kiến nghị Ban soạn thảo", "Cần", "Đề xuất"]
VERBS = ["làm rõ", "bổ sung nội dung về", "sửa đổi", "đánh giá sát hơn về", "nhấn mạnh"]
REASONS = ["vì thực tế ở địa phương còn nhiều bất cập", "để bảo đảm quyền lợi của người dân",
           "nhằm tránh tham nhũng, lãng phí", "để phù hợp với Hiến pháp", ""]  # fmt: skip


def generate(n: int, seed: int) -> tuple[list[str], list[bool]]:
    """`n` comments (text, whether the commenter chose a section), about 40% of them copies of
    twelve campaign texts with a few words put before (the bench has the large generator)."""
    rng = random.Random(seed)

    def one() -> str:
        return (f"{rng.choice(OPENINGS)} {rng.choice(VERBS)} {rng.choice(SUBJECTS)} "
                f"{rng.choice(REASONS)} tại {rng.choice(['xã', 'phường'])} {rng.randrange(500)}.")  # fmt: skip

    campaigns = [one() for _ in range(12)]
    texts, chosen = [], []
    for _ in range(n):
        copy = rng.random() < 0.4
        prefix = rng.choice(["", "Theo tôi,", "Tôi thấy"]) if copy else ""
        texts.append(f"{prefix} {rng.choice(campaigns)}".strip() if copy else one())
        chosen.append(not copy and rng.random() < 0.4)
    return texts, chosen


def load(today: dt.date, seed: int) -> dict[str, int]:
    """Create the demo's consultation data; returns what was created, by kind."""
    office = User.objects.filter(roles__code=RoleCode.OFFICE).order_by("pk").first()
    if office is None:
        return {}
    rng = random.Random(seed)
    draft = services._draft_create(office, "Dự thảo Báo cáo chính trị", parse_markdown(DRAFT))
    found = services._round_create(
        office, draft, today - dt.timedelta(days=10), today + dt.timedelta(days=20), True
    )
    sections = list(draft.sections.filter(level=5).values_list("pk", flat=True))
    texts, chosen = generate(300, seed)
    rows = [
        (rng.choice(STANCES), text, rng.choice(CATEGORIES),
         rng.choice([Channel.WEB, Channel.WEB, Channel.CONFERENCE, Channel.LETTER]),
         rng.choice(sections) if section else None)
        for text, section in zip(texts, chosen, strict=True)
    ]  # fmt: skip
    comments = services._comments_import(found, rows)
    services.synthesis_inline(None, draft)
    answered = 0
    for theme in Theme.objects.filter(draft=draft).order_by("-weighted_size")[:3]:
        services._respond(office, theme, ResponseKind.PARTLY,
                          "Tiếp thu, đã chỉnh sửa câu chữ trong dự thảo.", None)  # fmt: skip
        answered += 1
    return {"consultation_drafts": 1, "consultation_comments": comments,
            "consultation_responses": answered}  # fmt: skip
