"""Tổ chức đại hội: the models (see docs/congress.md).

Only facts are stored: a delegate's credentials decision, a seat's place, a check-in. What time
changes (the countdown, who is present now against the quorum) is computed on read.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField, CleanTextField


class CongressKind(models.TextChoices):
    CONGRESS = "congress", _("Đại hội toàn quốc")
    PLENUM = "plenum", _("Hội nghị Trung ương")
    PROVINCIAL = "provincial", _("Đại hội cấp tỉnh")


class Congress(models.Model):
    name = CleanCharField(_("tên"), max_length=255)
    kind = CleanCharField(_("loại"), max_length=16, choices=CongressKind.choices)
    opens_on = models.DateField(_("ngày khai mạc"))
    closes_on = models.DateField(_("ngày bế mạc"))
    quorum_percent = models.PositiveSmallIntegerField(_("tỷ lệ tối thiểu có mặt (%)"), default=67)
    # When the retention job erased the personal data of its people (services.personal_data_erase)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("đại hội")
        ordering = ["-opens_on", "pk"]

    def __str__(self) -> str:
        return self.name


class BoardKind(models.TextChoices):
    DOCUMENTS = "documents", _("Tiểu ban Văn kiện")
    PERSONNEL = "personnel", _("Tiểu ban Nhân sự")
    STATUTE = "statute", _("Tiểu ban Điều lệ")
    ORGANIZATION = "organization", _("Tiểu ban Tổ chức phục vụ")
    CREDENTIALS = "credentials", _("Ban Thẩm tra tư cách đại biểu")


class Board(models.Model):
    """An organizing sub-committee and its preparation board; its members are users. The
    members of the credentials board decide delegates' credentials."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="boards")
    kind = CleanCharField(_("loại"), max_length=16, choices=BoardKind.choices)
    name = CleanCharField(_("tên"), max_length=255)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="congress_boards", blank=True
    )

    class Meta:
        verbose_name = _("tiểu ban")
        constraints = [
            models.UniqueConstraint(fields=["congress", "kind"], name="congress_board_kind_once")
        ]

    def __str__(self) -> str:
        return self.name


class BoardPhase(models.TextChoices):
    BEFORE = "before", _("Trước đại hội")
    DURING = "during", _("Trong đại hội")
    AFTER = "after", _("Sau đại hội")


class BoardTask(models.Model):
    """One assignment of a sub-committee's preparation board: a tracking task (lead agency,
    deadline, product, status, urged and reviewed like any other), linked back to its board
    and its phase. The task itself lives in `tracking`; this is only the link."""

    board = models.ForeignKey(Board, models.CASCADE, related_name="task_links")
    task = models.OneToOneField("tracking.Task", models.PROTECT, related_name="congress_board")
    phase = CleanCharField(_("giai đoạn"), max_length=8, choices=BoardPhase.choices)

    class Meta:
        verbose_name = _("nhiệm vụ của tiểu ban")
        ordering = ["board", "task__due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.board_id}: {self.task_id}"


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Phiên toàn thể")
    DELEGATIONS = "delegations", _("Thảo luận tại đoàn")
    CLOSED = "closed", _("Phiên họp kín")


class CongressSession(models.Model):
    """A half-day of the congress: attendance is counted per session."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="sessions")
    day = models.DateField(_("ngày"))
    part = models.PositiveSmallIntegerField(_("buổi"), choices=[(1, _("Sáng")), (2, _("Chiều"))])
    title = CleanCharField(_("nội dung"), max_length=255)
    kind = CleanCharField(
        _("loại phiên"), max_length=16, choices=SessionKind.choices, default=SessionKind.PLENARY
    )

    class Meta:
        verbose_name = _("phiên họp")
        ordering = ["day", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "day", "part"], name="congress_session_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m} {self.get_part_display()}: {self.title}"


def agenda_file_path(instance: "AgendaItem", filename: str) -> str:
    """A random name: the uploader's file name never reaches a path (it is kept for display)."""
    return f"congress/agenda/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class AgendaItem(models.Model):
    session = models.ForeignKey(CongressSession, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = CleanCharField(_("nội dung"), max_length=255)
    presenter = CleanCharField(_("người trình bày"), max_length=255, blank=True)
    minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=30)
    # The item's document (PDF or Word, checked by its content); delegates read the one the
    # latest published agenda names (`AgendaPublication.agenda`), not a newer draft's.
    document = models.FileField(upload_to=agenda_file_path, max_length=255, blank=True)
    document_name = CleanCharField(_("tên tệp"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mục chương trình")
        ordering = ["session", "position"]

    def __str__(self) -> str:
        return self.title


class DelegationKind(models.TextChoices):
    """The kinds of delegation the leadership's structure of speeches gives shares to."""

    PROVINCE = "province", _("Đảng bộ tỉnh, thành phố")
    CENTRAL = "central", _("Đảng bộ trực thuộc Trung ương")
    ARMED = "armed", _("Quân đội, Công an")


class Delegation(models.Model):
    """A delegation (đoàn đại biểu): a province or city, or a central party committee.
    `protocol_order` sets the order of the blocks in the hall, the smallest nearest the stage."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="delegations")
    code = CleanCharField(_("mã"), max_length=32)
    name = CleanCharField(_("tên"), max_length=255)
    kind = CleanCharField(
        _("loại đoàn"),
        max_length=16,
        choices=DelegationKind.choices,
        default=DelegationKind.PROVINCE,
    )
    protocol_order = models.PositiveSmallIntegerField(_("thứ tự nghi lễ"))
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trưởng đoàn"),
        help_text=_("Tài khoản đề xuất tham luận thay mặt đoàn."),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thư ký đoàn"),
        help_text=_("Tài khoản đề xuất tham luận thay mặt đoàn."),
    )

    class Meta:
        verbose_name = _("đoàn đại biểu")
        ordering = ["protocol_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="congress_delegation_code")
        ]

    def __str__(self) -> str:
        return self.name


class DelegateKind(models.TextChoices):
    ELECTED = "elected", _("Được bầu")
    EX_OFFICIO = "ex_officio", _("Đương nhiên")
    APPOINTED = "appointed", _("Được chỉ định")


class DelegateStanding(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    ALTERNATE = "alternate", _("Dự khuyết")
    REPLACED = "replaced", _("Đã được thay thế")


class Credentials(models.TextChoices):
    PENDING = "pending", _("Chờ thẩm tra")
    VERIFIED = "verified", _("Đủ tư cách")
    QUESTIONED = "questioned", _("Cần làm rõ")
    REJECTED = "rejected", _("Không đủ tư cách")


class Delegate(models.Model):
    """What everyone who works the congress may see of a delegate. Personal data is kept apart
    in `DelegateProfile`, read only by the credentials board and the secretariat, audited."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="delegates")
    delegation = models.ForeignKey(Delegation, models.PROTECT, related_name="delegates")
    full_name = CleanCharField(_("họ và tên"), max_length=150)
    kind = CleanCharField(_("loại"), max_length=16, choices=DelegateKind.choices)
    standing = CleanCharField(
        _("tư cách"), max_length=16, choices=DelegateStanding.choices, default="official"
    )
    presidium = models.BooleanField(_("Đoàn Chủ tịch"), default=False)
    needs_accessible_seat = models.BooleanField(_("cần chỗ ngồi thuận tiện"), default=False)
    credentials = CleanCharField(
        _("thẩm tra tư cách"), max_length=16, choices=Credentials.choices, default="pending"
    )
    credentials_reason = CleanTextField(_("lý do"), blank=True)
    credentials_decided_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="congress_delegates",
        help_text=_("Tài khoản của đại biểu, để xem chỗ ngồi, thẻ và chương trình của mình."),
    )

    class Meta:
        verbose_name = _("đại biểu")
        ordering = ["delegation__protocol_order", "full_name", "pk"]
        indexes = [models.Index(fields=["congress", "credentials"], name="congress_del_cred")]

    def __str__(self) -> str:
        return self.full_name


def photo_file_path(instance: "DelegatePhoto", filename: str) -> str:
    return f"congress/photos/{uuid.uuid4().hex}"


class DelegatePhoto(models.Model):
    """A delegate's badge photo: personal data, kept apart like `DelegateProfile`, read only by
    the secretariat and the credentials board (and printed on the badge), each read audited."""

    delegate = models.OneToOneField(Delegate, models.CASCADE, related_name="photo")
    image = models.FileField(upload_to=photo_file_path, max_length=255)
    content_type = CleanCharField(max_length=32)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ảnh đại biểu")

    def __str__(self) -> str:
        return f"{self.delegate_id}"


def photo_request_path(instance: "DelegatePhotoRequest", filename: str) -> str:
    return f"congress/photos/{uuid.uuid4().hex}"


class DelegatePhotoRequest(models.Model):
    """A badge photo a delegate sent of themselves, waiting for the secretariat: approved, it
    becomes their `DelegatePhoto` (the badge prints it); refused, it is deleted. Until then the
    badge keeps the photo it had. Personal data, like `DelegatePhoto`."""

    delegate = models.OneToOneField(Delegate, models.CASCADE, related_name="photo_request")
    image = models.FileField(upload_to=photo_request_path, max_length=255)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ảnh đại biểu gửi, chờ duyệt")

    def __str__(self) -> str:
        return f"{self.delegate_id}"


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class DelegateProfile(models.Model):
    """The minimum personal data credentials work needs; restricted and audited on read."""

    delegate = models.OneToOneField(Delegate, models.CASCADE, related_name="profile")
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    gender = CleanCharField(_("giới tính"), max_length=8, choices=Gender.choices)
    ethnicity = CleanCharField(_("dân tộc"), max_length=64)
    education = CleanCharField(_("trình độ chuyên môn"), max_length=64)
    position = CleanCharField(_("chức vụ"), max_length=255)
    party_joined_year = models.PositiveSmallIntegerField(_("năm vào Đảng"))

    class Meta:
        verbose_name = _("lý lịch đại biểu")

    def __str__(self) -> str:
        return f"{self.delegate_id}"


class SeatZone(models.TextChoices):
    STAGE = "stage", _("Đoàn Chủ tịch (sân khấu)")
    DELEGATES = "delegates", _("Đại biểu")
    GUESTS = "guests", _("Khách mời")
    PRESS = "press", _("Báo chí")


class SeatStatus(models.TextChoices):
    OPEN = "open", _("Dùng được")
    BLOCKED = "blocked", _("Không sử dụng")
    RESERVED = "reserved", _("Giữ chỗ")


class Seat(models.Model):
    """A seat of the hall, drawn at (x, y) in decimetres. Delegate seats carry `rank`: their
    place in the order the blocks are laid out (front to back, row by row), which the seating
    solver fills with contiguous runs, one per delegation."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="seats")
    zone = CleanCharField(_("khu"), max_length=16, choices=SeatZone.choices)
    section = CleanCharField(_("khu vực"), max_length=16)
    row = models.PositiveSmallIntegerField(_("hàng"))
    number = models.PositiveSmallIntegerField(_("ghế"))
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    accessible = models.BooleanField(_("chỗ thuận tiện"), default=False)
    rank = models.PositiveIntegerField(null=True, blank=True)
    # Blocked (a broken seat, a camera platform) and reserved seats are left out by the
    # solver; a reserved one takes a delegate moved there by hand.
    status = CleanCharField(
        _("tình trạng"), max_length=16, choices=SeatStatus.choices, default=SeatStatus.OPEN
    )

    class Meta:
        verbose_name = _("ghế")
        ordering = ["zone", "rank", "section", "row", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "section", "row", "number"], name="congress_seat_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section}-{self.row}-{self.number}"


class SeatAssignment(models.Model):
    """Who sits where: one seat per delegate, one delegate per seat. A seat given by hand
    (`delegate_move`) is pinned: the solver keeps it until someone unpins it."""

    seat = models.OneToOneField(Seat, models.CASCADE, related_name="assignment")
    delegate = models.OneToOneField(Delegate, models.CASCADE, related_name="seat_assignment")
    pinned = models.BooleanField(
        _("ghim"),
        default=False,
        help_text=_("Chuyển chỗ bằng tay: lần xếp chỗ tự động sau giữ nguyên ghế này."),
    )

    class Meta:
        verbose_name = _("xếp chỗ")

    def __str__(self) -> str:
        return f"{self.delegate_id} -> {self.seat_id}"


class VisitorSeat(models.Model):
    """A guest's or a journalist's seat, in their zone of the hall (the solver gives it, the
    way it seats delegates): one seat per person, one person per seat."""

    seat = models.OneToOneField(Seat, models.CASCADE, related_name="visitor")
    guest = models.OneToOneField(
        "Guest", models.CASCADE, null=True, blank=True, related_name="seat_assignment"
    )
    press = models.OneToOneField(
        "PressPass", models.CASCADE, null=True, blank=True, related_name="seat_assignment"
    )

    class Meta:
        verbose_name = _("chỗ ngồi khách mời, báo chí")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(guest__isnull=True) ^ models.Q(press__isnull=True),
                name="congress_visitor_seat_one_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest_id or self.press_id} -> {self.seat_id}"


class CheckIn(models.Model):
    """A delegate present at a session: one per delegate and session, enforced by the database,
    so a scan sent twice (a phone that was offline sending its queue) counts once."""

    session = models.ForeignKey(CongressSession, models.CASCADE, related_name="checkins")
    delegate = models.ForeignKey(Delegate, models.CASCADE, related_name="checkins")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["session", "delegate"], name="congress_checkin_once")
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} @ {self.session_id}"


class GuestKind(models.TextChoices):
    DOMESTIC = "domestic", _("Khách mời trong nước")
    INTERNATIONAL = "international", _("Khách mời quốc tế")


class GuestReply(models.TextChoices):
    INVITED = "invited", _("Đã mời, chờ trả lời")
    ACCEPTED = "accepted", _("Nhận lời")
    DECLINED = "declined", _("Từ chối")


class Guest(models.Model):
    """An invited guest: a veteran leader, a representative of a party or a country. Where they
    sit is their seating area (a section of the guests' zone) and their protocol rank (1 first);
    an international guest may come with an interpreter."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="guests")
    kind = CleanCharField(_("loại"), max_length=16, choices=GuestKind.choices)
    full_name = CleanCharField(_("họ và tên"), max_length=150)
    title = CleanCharField(_("chức danh"), max_length=255)
    organization = CleanCharField(_("đảng, nước hoặc cơ quan"), max_length=255)
    protocol_rank = models.PositiveSmallIntegerField(_("thứ tự nghi lễ"))
    seating_area = CleanCharField(_("khu vực ngồi"), max_length=32, blank=True)
    interpreter = CleanCharField(_("phiên dịch (ngôn ngữ)"), max_length=64, blank=True)
    reply = CleanCharField(
        _("trả lời"), max_length=16, choices=GuestReply.choices, default=GuestReply.INVITED
    )

    class Meta:
        verbose_name = _("khách mời")
        ordering = ["protocol_rank", "full_name", "pk"]
        indexes = [models.Index(fields=["congress", "protocol_rank"], name="congress_guest_rank")]

    def __str__(self) -> str:
        return self.full_name


class PressState(models.TextChoices):
    REQUESTED = "requested", _("Đề nghị cấp thẻ")
    APPROVED = "approved", _("Đã cấp thẻ")
    REJECTED = "rejected", _("Không cấp thẻ")


class PressRole(models.TextChoices):
    REPORTER = "reporter", _("Phóng viên")
    PHOTO = "photo", _("Phóng viên ảnh")
    CAMERA = "camera", _("Quay phim")
    EDITOR = "editor", _("Biên tập viên")


class PressPass(models.Model):
    """A press accreditation: a journalist of an outlet with their press card (thẻ nhà báo),
    approved or refused by the secretariat; an approved pass may open the press centre."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="press_passes")
    full_name = CleanCharField(_("họ và tên"), max_length=150)
    outlet = CleanCharField(_("cơ quan báo chí"), max_length=255)
    role = CleanCharField(_("nhiệm vụ"), max_length=16, choices=PressRole.choices)
    card_number = CleanCharField(_("số thẻ nhà báo"), max_length=32)
    press_centre = models.BooleanField(_("vào Trung tâm báo chí"), default=True)
    state = CleanCharField(
        _("trạng thái"), max_length=16, choices=PressState.choices, default=PressState.REQUESTED
    )
    reason = CleanTextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("thẻ báo chí")
        ordering = ["outlet", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "card_number"], name="congress_press_card_once"
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class VisitorCheckIn(models.Model):
    """A guest or a journalist present at a session: one per person and session (the database
    says so), so a replayed scan counts once. Delegates have `CheckIn` (the quorum)."""

    session = models.ForeignKey(CongressSession, models.CASCADE, related_name="visitor_checkins")
    guest = models.ForeignKey(Guest, models.CASCADE, null=True, blank=True, related_name="+")
    press = models.ForeignKey(PressPass, models.CASCADE, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("điểm danh khách mời, báo chí")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(guest__isnull=True) ^ models.Q(press__isnull=True),
                name="congress_visitor_one_kind",
            ),
            models.UniqueConstraint(
                fields=["session", "guest"], name="congress_guest_checkin_once"
            ),
            models.UniqueConstraint(
                fields=["session", "press"], name="congress_press_checkin_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest_id or self.press_id} @ {self.session_id}"


class SpeechState(models.TextChoices):
    PROPOSED = "proposed", _("Đăng ký")
    CHANGES = "changes", _("Cần chỉnh sửa")
    APPROVED = "approved", _("Được chọn")
    DECLINED = "declined", _("Không chọn")


class SpeechMode(models.TextChoices):
    ORAL = "oral", _("Trình bày tại hội trường")
    WRITTEN = "written", _("Gửi văn bản")


def speech_file_path(instance: "Speech", filename: str) -> str:
    """A random name: the uploader's file name never reaches a path (it is kept for display)."""
    return f"congress/speeches/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Speech(models.Model):
    """A speech (tham luận) a delegation proposes for a session: its title, topic, summary and
    text; the secretariat or the documents board selects it, refuses it or asks the delegation
    for changes. A selected oral speech has its place in the session's order and a time limit;
    a written one is handed in, not read out."""

    session = models.ForeignKey(CongressSession, models.CASCADE, related_name="speeches")
    delegation = models.ForeignKey(Delegation, models.PROTECT, related_name="speeches")
    speaker = models.ForeignKey(
        Delegate, models.SET_NULL, null=True, blank=True, related_name="speeches"
    )
    title = CleanCharField(_("tên tham luận"), max_length=255, blank=True)
    topic = CleanCharField(_("chủ đề"), max_length=255)
    agenda_item = models.ForeignKey(
        AgendaItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="speeches",
        verbose_name=_("mục chương trình"),
    )
    summary = CleanTextField(_("tóm tắt"), blank=True)
    document = models.FileField(upload_to=speech_file_path, max_length=255, blank=True)
    document_name = CleanCharField(_("tên tệp"), max_length=255, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mode = CleanCharField(
        _("hình thức"), max_length=16, choices=SpeechMode.choices, default=SpeechMode.ORAL
    )
    minutes = models.PositiveSmallIntegerField(_("thời gian (phút)"), default=7)
    state = CleanCharField(
        _("trạng thái"), max_length=16, choices=SpeechState.choices, default=SpeechState.PROPOSED
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), null=True, blank=True)
    reason = CleanTextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("tham luận")
        ordering = ["session", "position", "pk"]
        indexes = [models.Index(fields=["session", "state"], name="congress_speech_state")]

    def __str__(self) -> str:
        return self.topic


class AgendaRevision(models.Model):
    """One change of the agenda, kept: who, when, why, what changed (lines as the delegates read
    them) and the whole agenda after it. Number 1 is the first published agenda."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="agenda_revisions")
    number = models.PositiveIntegerField(_("lần"))
    at = models.DateTimeField(_("lúc"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    note = CleanTextField(_("lý do thay đổi"), blank=True)
    changes = models.JSONField(_("thay đổi"), default=list)
    agenda = models.JSONField(_("chương trình sau thay đổi"), default=list)

    class Meta:
        verbose_name = _("lần sửa chương trình")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="congress_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.congress_id} #{self.number}"


class AgendaPublication(models.Model):
    """The agenda as published to the delegates: number 1 is the first; each later one keeps
    what changed since the one before (lines as delegates read them) and why, and is announced
    to them. Delegates read `agenda` (sessions, items, documents), never the draft tables."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="agenda_publications")
    number = models.PositiveIntegerField(_("lần công bố"))
    at = models.DateTimeField(_("lúc"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    note = CleanTextField(_("lý do thay đổi"), blank=True)
    changes = models.JSONField(_("thay đổi"), default=list)
    agenda = models.JSONField(_("chương trình đã công bố"), default=list)
    # How many delegates (with an account) the change concerned and were told of it
    notified = models.PositiveIntegerField(_("số đại biểu được báo"), default=0)

    class Meta:
        verbose_name = _("lần công bố chương trình")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="congress_publication_once")
        ]

    def __str__(self) -> str:
        return f"{self.congress_id} #{self.number}"


class SpeechStructure(models.Model):
    """The structure of speeches the leadership sets (cơ cấu tham luận): how many are read out
    in the hall, on which topics (a number each) and what share each kind of delegation has.
    The selection is checked against it; it is a target, not a lock."""

    congress = models.OneToOneField(Congress, models.CASCADE, related_name="speech_structure")
    total = models.PositiveSmallIntegerField(_("số tham luận trình bày tại hội trường"))
    note = CleanTextField(_("ghi chú"), blank=True)
    set_at = models.DateTimeField(_("lúc"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("cơ cấu tham luận")

    def __str__(self) -> str:
        return f"{self.congress_id}: {self.total}"


class SpeechTargetKind(models.TextChoices):
    TOPIC = "topic", _("Chủ đề")
    DELEGATION_KIND = "delegation_kind", _("Loại đoàn")


class SpeechTarget(models.Model):
    """One line of the structure: a topic and its number of speeches, or a kind of delegation
    and its share (per cent of the total)."""

    structure = models.ForeignKey(SpeechStructure, models.CASCADE, related_name="targets")
    kind = CleanCharField(_("loại"), max_length=16, choices=SpeechTargetKind.choices)
    key = CleanCharField(_("chủ đề hoặc loại đoàn"), max_length=255)
    count = models.PositiveSmallIntegerField(_("số tham luận"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu tham luận")
        ordering = ["structure", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "kind", "key"], name="congress_target_once"
            )
        ]

    def __str__(self) -> str:
        return self.key
