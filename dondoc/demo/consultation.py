"""Demo data for consultation, loaded after the tracking demo through consultation's services
(their inner steps: the demo runs inside one transaction): a draft political report open for
comments, a few hundred comments from agencies and the public with campaigns among them, the
synthesis, and the first responses."""

import datetime as dt
import random

from dondoc.accounts.models import RoleCode, User
from dondoc.consultation import services
from dondoc.consultation.bench import generate
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
