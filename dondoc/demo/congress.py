"""Demo data for congress, loaded after the tracking demo through congress's services (their
`step`s: the demo loads everything in one transaction): a national congress opening in three
weeks, its sub-committees, a five-day agenda, delegations from the central party committees and
the provinces (a few hundred delegates), credentials partly reviewed, the hall seated, guests
invited and the press accredited; the structure of speeches, speeches proposed by the
delegations (selected, sent back, refused, waiting), and each sub-committee's preparation tasks
on the tracking core."""

import datetime as dt
import json
import random
from pathlib import Path

from django.utils import timezone

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.agencies.reference import province_code
from dondoc.congress import services
from dondoc.congress.models import (
    BoardKind,
    Congress,
    Credentials,
    Delegate,
    DelegateKind,
    DelegateStanding,
    DelegationKind,
    GuestKind,
    GuestReply,
    PressRole,
    SessionKind,
    SpeechMode,
)
from dondoc.congress.services import (
    BoardTaskData,
    DelegateData,
    GuestData,
    PressData,
    ProfileData,
    SpeechData,
    StructureData,
)
from dondoc.demo.people import full_name

DATA = Path(__file__).parent / "data" / "agencies.json"
CENTRAL = ("Đảng bộ các cơ quan Đảng Trung ương", "Đảng bộ Chính phủ", "Đảng bộ Quốc hội")
BOARDS = (
    (BoardKind.DOCUMENTS, "Tiểu ban Văn kiện", "vanphong"),
    (BoardKind.PERSONNEL, "Tiểu ban Nhân sự", "truong.btctw"),
    (BoardKind.STATUTE, "Tiểu ban Điều lệ", "daumoi.btctw"),
    (BoardKind.ORGANIZATION, "Tiểu ban Tổ chức phục vụ", "thuky"),
    (BoardKind.CREDENTIALS, "Ban Thẩm tra tư cách đại biểu", "truong.btctw"),
)
AGENDA = (  # five days, morning and afternoon: (title, [(item, presenter, minutes)])
    (
        "Phiên trù bị",
        [
            ("Bầu Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu", "Ban Tổ chức", 60),
            ("Thông qua Quy chế làm việc, Chương trình làm việc của Đại hội", "Đoàn Thư ký", 45),
        ],
    ),
    ("Thảo luận tại tổ", [("Thảo luận Quy chế bầu cử", "Các đoàn đại biểu", 180)]),
    (
        "Phiên khai mạc",
        [
            ("Diễn văn khai mạc", "Đoàn Chủ tịch", 30),
            ("Báo cáo chính trị", "Tổng Bí thư", 90),
            ("Báo cáo tổng kết công tác xây dựng Đảng", "Thường trực Ban Bí thư", 60),
        ],
    ),
    (
        "Thảo luận tại hội trường: văn kiện",
        [
            ("Tham luận về Báo cáo chính trị", "Các đoàn đại biểu", 150),
            ("Giải trình, tiếp thu ý kiến", "Tiểu ban Văn kiện", 30),
        ],
    ),
    ("Thảo luận tại tổ", [("Thảo luận các dự thảo văn kiện", "Các đoàn đại biểu", 210)]),
    (
        "Thảo luận tại hội trường: xây dựng Đảng",
        [("Tham luận về công tác xây dựng Đảng", "Các đoàn đại biểu", 180)],
    ),
    (
        "Báo cáo thẩm tra tư cách đại biểu",
        [
            ("Báo cáo thẩm tra tư cách đại biểu", "Ban Thẩm tra tư cách", 30),
            ("Thông qua Nghị quyết về tư cách đại biểu", "Đoàn Chủ tịch", 15),
        ],
    ),
    (
        "Bầu cử Ban Chấp hành Trung ương",
        [("Bầu Ban Chấp hành Trung ương khóa XIV", "Đoàn Chủ tịch", 240)],
    ),
    ("Công bố kết quả bầu cử", [("Công bố kết quả bầu cử", "Ban Kiểm phiếu", 60)]),
    (
        "Phiên bế mạc",
        [
            ("Thông qua Nghị quyết Đại hội", "Đoàn Thư ký", 45),
            ("Diễn văn bế mạc", "Tổng Bí thư", 30),
        ],
    ),
)
EDUCATION = ("Thạc sĩ", "Tiến sĩ", "Đại học", "Phó Giáo sư, Tiến sĩ")
ETHNICITY = ("Kinh",) * 9 + ("Tày", "Thái", "Mường", "Khmer", "H'Mông")


def _delegation_names() -> list[str]:
    provinces = json.loads(DATA.read_text())["provinces_from_2025_07_01"]
    names = [f"Đảng bộ thành phố {p['name']}" for p in provinces["centrally_run_cities"]]
    names = [n.replace("thành phố Thành phố", "thành phố") for n in names]
    return [*CENTRAL, *names, *(f"Đảng bộ tỉnh {p['name']}" for p in provinces["provinces"][:6])]


def _profile(rng: random.Random) -> ProfileData:
    birth = rng.randint(1962, 1985)
    return ProfileData(
        birth_year=birth,
        gender="female" if rng.random() < 0.2 else "male",
        ethnicity=rng.choice(ETHNICITY),
        education=rng.choice(EDUCATION),
        position=rng.choice(("Bí thư", "Phó Bí thư", "Ủy viên Ban Thường vụ", "Trưởng ban")),
        party_joined_year=birth + rng.randint(22, 30),
    )


def _session_kind(title: str) -> SessionKind:
    if title == "Thảo luận tại tổ":
        return SessionKind.DELEGATIONS
    if title.startswith("Bầu cử"):
        return SessionKind.CLOSED
    return SessionKind.PLENARY


def load(today: dt.date, seed: int) -> dict[str, int]:
    """Create the demo's congress data; returns what was created, by kind."""
    rng = random.Random(seed)
    users = {
        u.username: u for u in User.objects.filter(username__in={"thuky", *(b[2] for b in BOARDS)})
    }
    secretary = users["thuky"]
    # three weeks after the later of the demo's day and the real one: the services check the
    # congress's dates against the real day (a demo built for a past day would find it closed)
    opens = max(today, timezone.localdate()) + dt.timedelta(days=21)
    congress = services.congress_create.step(
        secretary,
        "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        "congress",
        opens,
        opens + dt.timedelta(days=4),
    )
    for kind, name, member in BOARDS:
        services.board_create.step(secretary, congress, kind, name, [users[member]])
    for day in range(5):
        for part in (1, 2):
            title, agenda = AGENDA[day * 2 + part - 1]
            services.session_add.step(
                secretary,
                congress,
                opens + dt.timedelta(days=day),
                part,
                title,
                agenda,
                _session_kind(title),
            )
    delegates = 0
    for order, name in enumerate(_delegation_names(), start=1):
        code = f"D{order:02d}"
        delegation_kind = DelegationKind.CENTRAL if name in CENTRAL else DelegationKind.PROVINCE
        delegation = services.delegation_create.step(
            secretary, congress, code, name, order, delegation_kind
        )
        size = rng.randint(14, 30)
        items = [
            DelegateData(
                delegation,
                full_name(rng),
                DelegateKind.EX_OFFICIO if i == 0 else DelegateKind.ELECTED,
                DelegateStanding.ALTERNATE if i >= size - 1 else DelegateStanding.OFFICIAL,
                _profile(rng),
                presidium=i == 0 and order <= 8,
                needs_accessible_seat=rng.random() < 0.02,
            )
            for i in range(size)
        ]
        delegates += len(services.delegates_register.step(secretary, congress, items))
    services.hall_create.step(secretary, congress, rows=8, width=13, stage=20)
    verifier = users["truong.btctw"]
    for delegate in Delegate.objects.filter(congress=congress).select_related("congress"):
        roll = rng.random()
        if roll < 0.7:
            services.credentials_decide.step(verifier, delegate, Credentials.VERIFIED, "")
        elif roll < 0.75:
            services.credentials_decide.step(
                verifier,
                delegate,
                Credentials.QUESTIONED,
                "Cần bổ sung biên bản bầu cử của đại hội cấp trên trực tiếp.",
            )
    # Guests reply and the press is accredited before the hall is seated, so the solver seats
    # them too (in their zones), not only the delegates.
    guests, press = _guests_and_press(secretary, congress, rng)
    seated = services.seating_solve.step(secretary, congress).seated
    speeches = _speeches(secretary, users["vanphong"], congress, rng)
    board_tasks = _board_tasks(secretary, congress, opens)
    services.agenda_publish.step(secretary, congress)  # what the delegates read
    return {
        "congresses": 1,
        "delegates": delegates,
        "seated": seated,
        "guests": guests,
        "press": press,
        "speeches": speeches,
        "board_tasks": board_tasks,
    }


TOPICS = (  # the structure the leadership set: topic, speeches read out in the hall
    ("Chuyển đổi số và khoa học, công nghệ", 4),
    ("Xây dựng, chỉnh đốn Đảng", 4),
    ("Phát triển kinh tế tư nhân", 3),
    ("Văn hóa, con người Việt Nam", 2),
    ("Quốc phòng, an ninh, đối ngoại", 2),
)
TITLES = {
    "Chuyển đổi số và khoa học, công nghệ": "Đột phá chuyển đổi số ở {place}",
    "Xây dựng, chỉnh đốn Đảng": "{place}: nâng cao năng lực lãnh đạo của tổ chức cơ sở đảng",
    "Phát triển kinh tế tư nhân": "Khơi thông nguồn lực kinh tế tư nhân tại {place}",
    "Văn hóa, con người Việt Nam": "Giữ gìn bản sắc văn hóa ở {place}",
    "Quốc phòng, an ninh, đối ngoại": "{place} với nhiệm vụ bảo vệ Tổ quốc từ sớm, từ xa",
}


def _speeches(secretary: User, reviewer: User, congress: Congress, rng: random.Random) -> int:
    """The structure of speeches; each delegation's head (the focal point of its province's
    party committee, when there is one) proposes speeches from their own account, the others
    through the secretariat; the documents board selects most, sends some back, refuses one."""
    services.speech_structure_set.step(
        secretary,
        congress,
        StructureData(
            total=sum(n for _t, n in TOPICS),
            topics=TOPICS,
            shares={DelegationKind.CENTRAL: 20, DelegationKind.PROVINCE: 80},
            note="Theo kết luận của Bộ Chính trị về cơ cấu tham luận tại Đại hội.",
        ),
    )
    hall = [s for s in congress.sessions.all() if s.title.startswith("Thảo luận tại hội trường")]
    heads = {
        u.username: u for u in User.objects.filter(username__startswith="daumoi.", is_active=True)
    }
    proposed = []
    for delegation in congress.delegations.order_by("protocol_order")[:16]:
        place = delegation.name.removeprefix("Đảng bộ ").removeprefix("thành phố ")
        place = place.removeprefix("tỉnh ")
        head = heads.get(f"daumoi.{province_code(place).lower()}")
        if head is not None:
            services.delegation_officers_set.step(secretary, delegation, head, None)
        speaker = delegation.delegates.order_by("pk").first()
        for topic, _count in rng.sample(TOPICS, k=1 if rng.random() < 0.6 else 2):
            session = rng.choice(hall)
            proposed.append(
                services.speech_register.step(
                    head or secretary,
                    congress,
                    SpeechData(
                        session,
                        delegation,
                        topic,
                        f"Kết quả nổi bật nhiệm kỳ 2020-2025 và đề xuất của {place} về "
                        f"{topic[0].lower()}{topic[1:]}.",
                        SpeechMode.WRITTEN if rng.random() < 0.15 else SpeechMode.ORAL,
                        speaker,
                        rng.choice((7, 7, 8, 10)),
                        TITLES[topic].format(place=place),
                        session.items.order_by("position").first(),
                    ),
                )
            )
    for i, speech in enumerate(proposed):
        if i % 5 == 1:
            services.speech_decide.step(
                reviewer, speech, "changes", "Rút gọn còn 7 phút, bổ sung số liệu năm 2025."
            )
        elif i == 7:
            services.speech_decide.step(
                reviewer, speech, "decline", "Trùng nội dung với tham luận đã chọn; gửi văn bản."
            )
        elif i % 5 in (0, 2, 3):
            services.speech_decide.step(reviewer, speech, "approve")
    return len(proposed)


BOARD_TASKS = (  # board, task, lead agency, days from the opening (negative: before), product
    (BoardKind.DOCUMENTS, "Hoàn thiện dự thảo Báo cáo chính trị trình Hội nghị Trung ương",
     "Ban Chính sách, chiến lược Trung ương", -18, "Dự thảo Báo cáo chính trị (lần cuối)"),
    (BoardKind.DOCUMENTS, "Tổng hợp ý kiến nhân dân đóng góp vào dự thảo văn kiện",
     "Ban Tuyên giáo và Dân vận Trung ương", -12, "Báo cáo tổng hợp ý kiến"),
    (BoardKind.DOCUMENTS, "Biên tập, in tài liệu phát cho đại biểu",
     "Văn phòng Trung ương Đảng", -3, "1.600 bộ tài liệu"),
    (BoardKind.PERSONNEL, "Hoàn thiện hồ sơ nhân sự Ban Chấp hành Trung ương khóa XIV",
     "Ban Tổ chức Trung ương", -15, "Hồ sơ nhân sự"),
    (BoardKind.PERSONNEL, "Thẩm định, kết luận tiêu chuẩn chính trị của nhân sự",
     "Ủy ban Kiểm tra Trung ương", -10, "Báo cáo thẩm định"),
    (BoardKind.STATUTE, "Báo cáo tổng kết thi hành Điều lệ Đảng",
     "Ban Tổ chức Trung ương", -16, "Báo cáo tổng kết"),
    (BoardKind.ORGANIZATION, "Chuẩn bị hội trường, âm thanh, ánh sáng, trang trí",
     "Văn phòng Trung ương Đảng", -5, "Biên bản nghiệm thu hội trường"),
    (BoardKind.ORGANIZATION, "Khai trương Trung tâm báo chí Đại hội",
     "Ban Tuyên giáo và Dân vận Trung ương", -2, "Trung tâm báo chí hoạt động"),
    (BoardKind.ORGANIZATION, "Bảo đảm an ninh, y tế, lễ tân trong các ngày Đại hội",
     "Văn phòng Trung ương Đảng", 2, "Kế hoạch và báo cáo hằng ngày"),
    (BoardKind.ORGANIZATION, "Tổng kết công tác phục vụ Đại hội",
     "Văn phòng Trung ương Đảng", 30, "Báo cáo tổng kết"),
    (BoardKind.CREDENTIALS, "Hoàn thành thẩm tra hồ sơ tư cách đại biểu",
     "Ban Tổ chức Trung ương", -4, "Báo cáo thẩm tra tư cách đại biểu"),
)  # fmt: skip


def _board_tasks(secretary: User, congress: Congress, opens: dt.date) -> int:
    """Each sub-committee's assignments, as tracking tasks of the lead agencies (their phase by
    their deadline): the office urges them like any directive."""
    agencies = {a.name: a for a in Agency.objects.active()}
    fallback = agencies.get("Văn phòng Trung ương Đảng") or next(iter(agencies.values()))
    boards = {b.kind: b for b in congress.boards.all()}
    for kind, title, lead, days, product in BOARD_TASKS:
        due = opens + dt.timedelta(days=days)
        phase = "before" if days < 0 else ("during" if days <= 4 else "after")
        services.board_task_assign.step(
            secretary,
            boards[kind],
            BoardTaskData(title, agencies.get(lead, fallback), due, product, phase),
        )
    return len(BOARD_TASKS)


PARTIES = (
    ("Đảng Nhân dân Cách mạng Lào", "Lào"),
    ("Đảng Nhân dân Campuchia", "Khmer"),
    ("Đảng Cộng sản Trung Quốc", "Trung"),
    ("Đảng Cộng sản Cuba", "Tây Ban Nha"),
    ("Đảng Cộng sản Liên bang Nga", "Nga"),
)
OUTLETS = (
    "Báo Nhân Dân",
    "Thông tấn xã Việt Nam",
    "Đài Truyền hình Việt Nam",
    "Đài Tiếng nói Việt Nam",
    "Tạp chí Cộng sản",
    "Báo Quân đội nhân dân",
)


def _guests_and_press(secretary: User, congress: Congress, rng: random.Random) -> tuple[int, int]:
    """Forty guests (a quarter international, most having replied) and sixty journalists of
    six outlets (most accredited)."""
    for i in range(40):
        international = i % 4 == 0
        party, language = PARTIES[i % len(PARTIES)]
        guest = services.guest_invite.step(
            secretary,
            congress,
            GuestData(
                GuestKind.INTERNATIONAL if international else GuestKind.DOMESTIC,
                full_name(rng),
                "Trưởng đoàn" if international else "Nguyên lãnh đạo Đảng, Nhà nước",
                party if international else "Ban Tổ chức Đại hội",
                i + 1,
                "K-1" if i < 20 else "K-2",
                language if international else "",
            ),
        )
        roll = rng.random()
        if roll < 0.8:
            services.guest_reply.step(secretary, guest, GuestReply.ACCEPTED)
        elif roll < 0.9:
            services.guest_reply.step(secretary, guest, GuestReply.DECLINED)
    roles = list(PressRole)
    for i in range(60):
        press = services.press_request.step(
            secretary,
            congress,
            PressData(
                full_name(rng), OUTLETS[i % len(OUTLETS)], roles[i % len(roles)], f"NB-{1000 + i}"
            ),
        )
        if i % 10 != 9:
            services.press_decide.step(secretary, press, approve=True)
    return 40, 60
