"""Demo data for congress, loaded after the tracking demo through congress's services (their
`step`s: the demo loads everything in one transaction): a national congress opening in three
weeks, its sub-committees, a five-day agenda, delegations from the central party committees and
the provinces (a few hundred delegates), credentials partly reviewed, the hall seated, guests invited and the press accredited."""

import datetime as dt
import json
import random
from pathlib import Path

from django.utils import timezone

from dondoc.accounts.models import User
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
)
from dondoc.congress.services import DelegateData, GuestData, PressData, ProfileData
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
AGENDA = (
    (
        "Phiên trù bị",
        [
            (
                "Bầu Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu",
                "Ban Tổ chức Đại hội",
                60,
            )
        ],
    ),
    (
        "Khai mạc Đại hội",
        [("Diễn văn khai mạc", "Đoàn Chủ tịch", 30), ("Báo cáo chính trị", "Tổng Bí thư", 90)],
    ),
    ("Thảo luận tại tổ", [("Thảo luận các dự thảo văn kiện", "Các đoàn đại biểu", 210)]),
    ("Thảo luận tại hội trường", [("Tham luận của các đoàn", "Các đoàn đại biểu", 210)]),
    (
        "Báo cáo thẩm tra tư cách đại biểu",
        [("Báo cáo thẩm tra tư cách đại biểu", "Ban Thẩm tra tư cách", 30)],
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
            title, agenda = AGENDA[(day * 2 + part - 1) % len(AGENDA)]
            services.session_add.step(
                secretary, congress, opens + dt.timedelta(days=day), part, title, agenda
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
    return {
        "congresses": 1,
        "delegates": delegates,
        "seated": seated,
        "guests": guests,
        "press": press,
    }


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
