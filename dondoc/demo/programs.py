"""Demo data for programs, loaded after the tracking demo through programs's services (their
inner steps: the demo loader runs in one transaction): a year's program of the Central
Committee, the Politburo and the Secretariat, 63 to 67 items each at every step of the path, and the
Central Committee's full-term program from this year to the term's last (27 items, this
year's four carried into the year's program, which is derived from it) — items
planned for past months decided, this month's submitted or in appraisal, the coming months'
in comment rounds or drafting — a round with an agency that has not answered past its
deadline, a proposal whose appraisal returned it once before it passed, and rescheduling
requests (postponements decided, a withdrawal, one waiting), and two additions (bổ sung) asked
by their future lead agencies (one approved, one waiting)."""

import datetime as dt
import random
from collections.abc import Sequence

from django.db.models import Q

from dondoc.accounts.models import RoleCode, User
from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs import services
from dondoc.programs.access import reschedule_authority
from dondoc.programs.models import (
    BODY_ISSUER_CODES,
    Body,
    HandlingOutcome,
    Invitation,
    ItemKind,
    ItemState,
    ProgramItem,
    ProgramKind,
    RescheduleKind,
    WorkProgram,
)
from dondoc.programs.workdays import add_working_days
from dondoc.tracking.models import WorkingSession

DAY = dt.timedelta(days=1)

TOPICS = [
    "công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    "sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
    "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "hội nhập quốc tế trong tình hình mới",
    "đổi mới công tác xây dựng và thi hành pháp luật",
    "phát triển kinh tế tư nhân",
    "công tác phòng, chống tham nhũng, lãng phí, tiêu cực",
    "công tác cán bộ, đánh giá cán bộ theo kết quả, sản phẩm cụ thể",
    "phát triển giáo dục và đào tạo",
    "bảo vệ, chăm sóc và nâng cao sức khỏe Nhân dân",
    "công tác dân vận của hệ thống chính trị",
    "phát triển văn hóa, con người Việt Nam",
    "bảo đảm an ninh năng lượng quốc gia",
    "công tác kiểm tra, giám sát và kỷ luật đảng",
    "phát triển kinh tế biển bền vững",
    "tổ chức chính quyền địa phương hai cấp",
    "xây dựng nông thôn mới gắn với đô thị hóa",
    "công tác thông tin đối ngoại",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "phát triển đội ngũ trí thức trong thời kỳ mới",
    "quản lý và sử dụng đất đai",
]

KINDS: Sequence[tuple[ItemKind, str]] = [
    (ItemKind.PROPOSAL, "Đề án về {t}"),
    (ItemKind.FINAL_REVIEW, "Tổng kết việc thực hiện nghị quyết về {t}"),
    (ItemKind.INTERIM_REVIEW, "Sơ kết 5 năm thực hiện kết luận về {t}"),
    (ItemKind.REPORT, "Báo cáo tình hình {t}"),
    (ItemKind.DRAFT_DOCUMENT, "Dự thảo chỉ thị về {t}"),
    (ItemKind.SUBMISSION, "Tờ trình về {t}"),
]

CONTENT = {
    "problem": "Những hạn chế, bất cập sau nhiều năm thực hiện; yêu cầu mới của giai đoạn.",
    "options": "Phương án 1: ban hành nghị quyết mới; phương án 2: ban hành kết luận tiếp tục.",
    "resources": "Nhân lực của cơ quan chủ trì và phối hợp; kinh phí từ ngân sách thường xuyên.",
    "roadmap": "Khảo sát, tổng kết; xây dựng dự thảo; lấy ý kiến; hoàn thiện, trình.",
    "responsibilities": "Cơ quan chủ trì chịu trách nhiệm chung; cơ quan phối hợp theo chức năng.",
}

PER_BODY = 63  # each body's yearly program holds 60 to 120 items (63, plus carried and added)

HANDLING: Sequence[tuple[HandlingOutcome, str]] = [
    (HandlingOutcome.ACCEPTED, ""),
    (HandlingOutcome.PARTLY, "Tiếp thu phần lộ trình; giữ nguyên phương án vì đã được thống nhất."),
    (HandlingOutcome.NOT_ACCEPTED, "Không tiếp thu: nội dung thuộc thẩm quyền của Chính phủ."),
]

# The responsible leaders (lãnh đạo phụ trách), by office: the demo names no person.
LEADERS = [
    "Đồng chí Thường trực Ban Bí thư",
    "Đồng chí Trưởng Ban Tổ chức Trung ương",
    "Đồng chí Chánh Văn phòng Trung ương Đảng",
    "Đồng chí Trưởng Ban Chính sách, chiến lược Trung ương",
]

# The Central Committee's full-term program (chương trình làm việc toàn khóa): what each plenum
# of the term considers, by (year offset, month). One program from this year to the term's
# last; this year's Central Committee program is derived from it (its items carried in).
TERM = "XIV"
TERM_YEARS = 5
TERM_ITEMS: Sequence[tuple[int, int, ItemKind, str]] = [
    (0, 5, ItemKind.FINAL_REVIEW, "Tổng kết 40 năm thực hiện công cuộc đổi mới"),
    (0, 5, ItemKind.PROPOSAL, "Đề án về hoàn thiện thể chế phát triển kinh tế thị trường định hướng xã hội chủ nghĩa"),
    (0, 10, ItemKind.REPORT, "Báo cáo tình hình kinh tế - xã hội, ngân sách nhà nước năm {y} và kế hoạch năm {n}"),
    (0, 10, ItemKind.PROPOSAL, "Đề án về xây dựng đội ngũ cán bộ cấp chiến lược nhiệm kỳ khóa XIV"),
    (1, 5, ItemKind.FINAL_REVIEW, "Tổng kết 20 năm thực hiện Nghị quyết Trung ương 7 khóa X về nông nghiệp, nông dân, nông thôn"),
    (1, 5, ItemKind.PROPOSAL, "Đề án về phát triển vùng và liên kết vùng đến năm 2035"),
    (1, 10, ItemKind.REPORT, "Báo cáo tình hình kinh tế - xã hội, ngân sách nhà nước năm {y} và kế hoạch năm {n}"),
    (1, 10, ItemKind.INTERIM_REVIEW, "Sơ kết việc thực hiện Nghị quyết về sắp xếp tổ chức bộ máy của hệ thống chính trị"),
    (1, 10, ItemKind.PROPOSAL, "Đề án về đổi mới phương thức lãnh đạo của Đảng đối với hệ thống chính trị"),
    (2, 5, ItemKind.REPORT, "Báo cáo kiểm điểm giữa nhiệm kỳ của Ban Chấp hành Trung ương khóa XIV"),
    (2, 5, ItemKind.PROPOSAL, "Đề án về chiến lược bảo vệ Tổ quốc trong tình hình mới"),
    (2, 5, ItemKind.DRAFT_DOCUMENT, "Dự thảo Quy định về kiểm soát quyền lực trong công tác cán bộ"),
    (2, 10, ItemKind.REPORT, "Báo cáo tình hình kinh tế - xã hội, ngân sách nhà nước năm {y} và kế hoạch năm {n}"),
    (2, 10, ItemKind.FINAL_REVIEW, "Tổng kết 15 năm thực hiện Cương lĩnh xây dựng đất nước (bổ sung, phát triển năm 2011)"),
    (2, 10, ItemKind.PROPOSAL, "Đề án về phát triển nguồn nhân lực chất lượng cao"),
    (3, 5, ItemKind.PROPOSAL, "Đề án về chính sách dân số trong tình hình mới"),
    (3, 5, ItemKind.INTERIM_REVIEW, "Sơ kết 5 năm thực hiện Nghị quyết về đột phá phát triển khoa học, công nghệ"),
    (3, 5, ItemKind.REPORT, "Báo cáo công tác kiểm tra, giám sát nửa đầu nhiệm kỳ"),
    (3, 10, ItemKind.REPORT, "Báo cáo tình hình kinh tế - xã hội, ngân sách nhà nước năm {y} và kế hoạch năm {n}"),
    (3, 10, ItemKind.PROPOSAL, "Đề án định hướng chuẩn bị văn kiện Đại hội XV của Đảng"),
    (3, 10, ItemKind.DRAFT_DOCUMENT, "Dự thảo Quy chế bầu cử trong Đảng (sửa đổi)"),
    (4, 5, ItemKind.DRAFT_DOCUMENT, "Dự thảo các văn kiện trình Đại hội XV của Đảng"),
    (4, 5, ItemKind.PROPOSAL, "Đề án nhân sự Ban Chấp hành Trung ương khóa XV"),
    (4, 5, ItemKind.FINAL_REVIEW, "Tổng kết công tác xây dựng Đảng nhiệm kỳ khóa XIV"),
    (4, 10, ItemKind.REPORT, "Báo cáo tình hình kinh tế - xã hội, ngân sách nhà nước năm {y} và kế hoạch năm {n}"),
    (4, 10, ItemKind.DRAFT_DOCUMENT, "Dự thảo Báo cáo chính trị trình Đại hội XV của Đảng (lấy ý kiến)"),
    (4, 10, ItemKind.SUBMISSION, "Tờ trình về số lượng, cơ cấu đại biểu dự Đại hội XV"),
]  # fmt: skip


class ProgramsDemo:
    def __init__(self, today: dt.date, seed: int) -> None:
        self.today = today
        self.rng = random.Random(seed + 14)
        self.office = User.objects.get(username="vanphong")
        self.leader = User.objects.get(username="lanhdao")
        focal = User.objects.filter(
            username__startswith="daumoi.", roles__code=RoleCode.FOCAL, agency__isnull=False
        ).select_related("agency")
        self.focal = {u.agency_id: u for u in focal}
        kinds = Q(kind=AgencyKind.CENTRAL_BODY) | Q(kind=AgencyKind.CENTRAL_PARTY_COMMITTEE)
        agencies = Agency.objects.active().filter(kinds).exclude(code="VPTW").order_by("code")
        self.agencies = [a for a in agencies if a.pk in self.focal]
        self.rounds = 0
        self.reschedules = 0
        self.outcomes = 0
        self.sessions: list[WorkingSession] | None = None

    def build(self) -> dict[str, int]:
        year = self.today.year
        created: list[ProgramItem] = []
        term = self._term_program(year)
        derived = services.year_program_derive.step(self.office, term[0].program, year=year)
        for k, item in enumerate(derived.carried):
            self._link(item, k)
            self._walk(item, self._target(item.planned_month, k))
            created.append(item)
        for n, body in enumerate(Body):
            program = derived.program if body == Body.CENTRAL_COMMITTEE else None
            program = program or services.program_create.step(
                self.office,
                title=f"Chương trình công tác năm {year} của {body.label}",
                body=body,
                kind=ProgramKind.YEAR,
                year=year,
            )
            for k in range(PER_BODY):
                topic = TOPICS[(k + n * 7) % len(TOPICS)]
                kind, title = KINDS[(k + k // len(TOPICS) + n) % len(KINDS)]  # no title twice
                month = k * 12 // PER_BODY + 1
                lead = self.rng.choice(self.agencies)
                item = services.item_create.step(
                    self.office,
                    program,
                    title=title.format(t=topic),
                    kind=kind,
                    planned_month=month,
                    by_quarter=k % 5 == 0 and month % 3 == 0,
                    lead_agency=lead,
                    coordinating=self.rng.sample([a for a in self.agencies if a != lead], k=2),
                )
                self._link(item, k + n * PER_BODY)
                self._walk(item, self._target(month, k + n))
                created.append(item)
        self._reschedule(created)
        added = self._additions(year)
        return {
            "programs": len(Body) + 1,
            "program_items": len(created) + len(term) + added,
            "comment_rounds": self.rounds,
            "reschedule_requests": self.reschedules,
            "program_outcomes": self.outcomes,
        }

    def _term_program(self, year: int) -> list[ProgramItem]:
        """The Central Committee's full-term program from this year to the term's last: the
        plenums' items, year by year."""
        program = services.program_create.step(
            self.office,
            title=f"Chương trình làm việc toàn khóa {TERM} của Ban Chấp hành Trung ương",
            body=Body.CENTRAL_COMMITTEE,
            kind=ProgramKind.TERM,
            year=year,
            end_year=year + TERM_YEARS - 1,
            term=TERM,
        )
        items = []
        for offset, month, kind, title in TERM_ITEMS:
            y = year + offset
            lead = self.rng.choice(self.agencies)
            item = services.item_create.step(
                self.office, program, title=title.format(y=y, n=y + 1), kind=kind,
                planned_month=month, planned_year=y, lead_agency=lead,
                coordinating=self.rng.sample([a for a in self.agencies if a != lead], k=2),
            )  # fmt: skip
            items.append(item)
        return items

    def _additions(self, year: int) -> int:
        """Two additions (bổ sung) to the Politburo's program, each asked by the agency that
        will lead it: one approved by the body's authority, one waiting for its decision."""
        program = WorkProgram.objects.get(body=Body.POLITBURO, kind=ProgramKind.YEAR, year=year)
        month = min(self.today.month + 1, 12)
        asked = [
            (
                "Báo cáo kết quả sắp xếp đơn vị hành chính cấp xã và tổ chức chính quyền địa "
                "phương hai cấp", ItemKind.REPORT,
                "Yêu cầu báo cáo Bộ Chính trị sau 6 tháng vận hành chính quyền địa phương hai "
                "cấp, phát sinh sau khi chương trình được thông qua.",
            ),
            (
                "Đề án về phòng, chống thiên tai và thích ứng với biến đổi khí hậu ở các tỉnh "
                "miền Trung", ItemKind.PROPOSAL,
                "Thiệt hại nặng nề do bão, lũ cuối năm đòi hỏi Bộ Chính trị cho ý kiến sớm về "
                "giải pháp căn cơ, dài hạn.",
            ),
        ]  # fmt: skip
        authority = reschedule_authority(program.body)
        decider = self.office if authority == RoleCode.OFFICE else self.leader
        for n, (title, kind, reason) in enumerate(asked):
            lead = self.agencies[(n * 5 + 3) % len(self.agencies)]
            item = services.item_add_request.step(
                self._lead_of(lead), program, title=title, kind=kind, planned_month=month,
                lead_agency=lead, coordinating=[a for a in self.agencies if a != lead][:1],
                reason=reason, day=self.today - (8 - 6 * n) * DAY,
            )  # fmt: skip
            self.reschedules += 1
            self._link(item, n)
            if n == 0:
                services.reschedule_decide.step(
                    decider, item, approve=True, day=self.today - 4 * DAY
                )
        return len(asked)

    def _reschedule(self, items: list[ProgramItem]) -> None:
        """Five open items, spread over the year: three postponed a month (decided), one
        withdrawn, one postponement waiting for the leaders' decision."""
        candidates = [
            i for i in items
            if i.state not in {ItemState.APPROVED, ItemState.SUBMITTED} and i.planned_month < 12
        ]  # fmt: skip
        chosen = candidates[:: max(1, len(candidates) // 5)][:5]
        day = self.today - 20 * DAY
        for n, item in enumerate(chosen):
            withdraw = n == 3
            services.reschedule_request.step(
                self._lead(item), item,
                kind=RescheduleKind.WITHDRAW if withdraw else RescheduleKind.POSTPONE,
                to_month=None if withdraw else item.planned_month + 1,
                reason="Nội dung đã được lồng ghép vào đề án khác." if withdraw
                else "Chờ kết quả tổng kết của các địa phương.",
                day=day,
            )  # fmt: skip
            self.reschedules += 1
            if n != 4:
                services.reschedule_decide.step(self.leader, item, approve=True, day=day + 3 * DAY)

    def _target(self, month: int, k: int) -> ItemState:
        ahead = month - self.today.month
        if ahead < -1 and k % 7 == 5:
            return ItemState.DEFERRED
        if ahead < -1:
            return ItemState.RETURNED if k % 7 == 3 else ItemState.APPROVED
        if ahead == -1:
            return ItemState.SUBMITTED
        if ahead == 0:
            return ItemState.APPRAISAL if k % 2 else ItemState.APPRAISED
        return [ItemState.COMMENTING, ItemState.REVISING, ItemState.DRAFTING][k % 3]

    def _walk(self, item: ProgramItem, target: ItemState) -> None:
        """Take `item` along the path until it reaches `target`, each step on its own day."""
        if target == ItemState.DRAFTING:
            if self.rng.random() < 0.5:
                services.item_edit_content.step(self._lead(item), item, problem=CONTENT["problem"])
            return
        lead = self._lead(item)
        day = self.today - 60 * DAY if target != ItemState.COMMENTING else self.today - 12 * DAY
        services.item_edit_content.step(lead, item, day=day, **CONTENT)  # type: ignore[arg-type]
        invited = self.rng.sample([a for a in self.agencies if a != item.lead_agency], k=3)
        deadline = add_working_days(day, 7)
        services.round_open.step(lead, item, agencies=invited, deadline=deadline, day=day)
        self.rounds += 1
        silent = invited[-1] if target == ItemState.COMMENTING else None
        for agency in invited:
            if agency != silent:
                services.invitation_answer.step(
                    self.focal[agency.pk],
                    item,
                    opinion="Cơ bản nhất trí với dự thảo.",
                    day=day + 3 * DAY,
                )
        if target != ItemState.COMMENTING:
            self._after_round(item, target, deadline)

    def _after_round(self, item: ProgramItem, target: ItemState, deadline: dt.date) -> None:
        lead = self._lead(item)
        services.round_close.step(lead, item, day=deadline + DAY)
        # Appraisal needs every comment handled: half the items still in revision have their
        # table filled, every item that goes further has.
        if target != ItemState.REVISING or item.pk % 2 == 0:
            self._handle(item, deadline + 2 * DAY)
        if target == ItemState.REVISING:
            return
        services.version_submit.step(
            lead, item, day=deadline + 3 * DAY, revision=item.content_revision,
            roadmap=CONTENT["roadmap"] + "\nQuý IV: sơ kết, đánh giá kết quả bước đầu.",
            changes_note="Tiếp thu ý kiến các cơ quan: bổ sung mốc sơ kết vào lộ trình.",
        )  # fmt: skip
        services.item_send_to_appraisal.step(lead, item, day=deadline + 5 * DAY)
        if target == ItemState.APPRAISAL:
            return
        if item.pk % 4 == 0:  # returned once, revised, sent again
            services.appraisal_record.step(
                self.office, item, passed=False, content_ok=True, procedure_ok=True,
                authority_ok=False, reasons="Chưa làm rõ thẩm quyền ban hành.", day=deadline + 8 * DAY,
            )  # fmt: skip
            services.version_submit.step(
                lead, item, day=deadline + 9 * DAY, revision=item.content_revision,
                responsibilities=CONTENT["responsibilities"]
                + "\nThẩm quyền ban hành: Bộ Chính trị (theo Quy chế làm việc).",
                changes_note="Tiếp thu ý kiến thẩm định: làm rõ thẩm quyền ban hành.",
            )  # fmt: skip
            services.item_send_to_appraisal.step(lead, item, day=deadline + 10 * DAY)
        services.appraisal_record.step(
            self.office, item, passed=True, content_ok=True, procedure_ok=True, authority_ok=True,
            day=deadline + 12 * DAY,
        )  # fmt: skip
        if item.pk % 3 == 0:  # a change after appraisal, explained, that the submission reports
            services.version_submit.step(
                lead, item, day=deadline + 13 * DAY, revision=item.content_revision,
                resources=CONTENT["resources"] + " Bổ sung nguồn xã hội hóa cho khảo sát.",
                changes_note="Bổ sung nguồn lực sau thẩm định theo ý kiến của Thường trực.",
            )  # fmt: skip
        if target == ItemState.APPRAISED:
            return
        services.item_submit.step(self.office, item, day=deadline + 14 * DAY)
        if target == ItemState.SUBMITTED:
            return
        if target == ItemState.DEFERRED:
            services.item_defer.step(
                self.leader, item, day=deadline + 20 * DAY,
                to_month=min(self.today.month + 1, 12),
                reason="Chưa xem xét tại phiên này; chờ ý kiến của các địa phương.",
            )  # fmt: skip
            return
        returned = target == ItemState.RETURNED
        day = deadline + 20 * DAY
        services.item_decide.step(
            self.leader, item, approve=not returned, day=day,
            note="Cần làm rõ nguồn lực thực hiện." if returned else "Thông qua.",
            outcome=None if returned else self._outcome(item, day),
        )  # fmt: skip

    def _handle(self, item: ProgramItem, day: dt.date) -> None:
        """The comment-handling table: every comment received accepted, partly or explained."""
        answered = Invitation.objects.filter(round__item=item, answered_on__isnull=False)
        for n, invitation in enumerate(answered.order_by("pk")):
            outcome = HANDLING[n % len(HANDLING)]
            services.comment_handle.step(
                self._lead(item), item, invitation_id=invitation.pk, outcome=outcome[0],
                explanation=outcome[1], day=day,
            )  # fmt: skip

    def _link(self, item: ProgramItem, n: int) -> None:
        """A responsible leader for every item; some of the Secretariat's items linked to the
        thematic working sessions tracking holds (none created here)."""
        if self.sessions is None:
            self.sessions = list(WorkingSession.objects.order_by("-held_on")[:3])
        session = None
        if self.sessions and item.program.body == Body.SECRETARIAT and n % 4 == 0:
            session = self.sessions[n % len(self.sessions)]
        services.item_links_set.step(
            self.office, item, responsible_leader=LEADERS[n % len(LEADERS)],
            working_session_id=session.pk if session else None,
        )  # fmt: skip

    def _outcome(self, item: ProgramItem, day: dt.date) -> services.Outcome | None:
        """Approved proposals issue a conclusion (kết luận) that assigns two tasks."""
        if item.kind != ItemKind.PROPOSAL:
            return None
        issuer = Agency.objects.filter(code=BODY_ISSUER_CODES[Body(item.program.body)]).first()
        if issuer is None:
            return None
        self.outcomes += 1
        coordinator = item.coordinating_agencies.first()
        topic = item.title.removeprefix("Đề án về ")
        return services.Outcome(
            f"{300 + self.outcomes}-KL/TW", day, f"Kết luận về {topic}", issuer, [
                services.Assignment(
                    f"Xây dựng kế hoạch thực hiện Kết luận về {topic}", item.lead_agency,
                    day + 45 * DAY, "Kế hoạch thực hiện",
                ),
                services.Assignment(
                    f"Sơ kết một năm thực hiện Kết luận về {topic}", coordinator or item.lead_agency,
                    day + 365 * DAY, "Báo cáo sơ kết",
                ),
            ],
        )  # fmt: skip

    def _lead(self, item: ProgramItem) -> User:
        return self.focal[item.lead_agency_id]

    def _lead_of(self, agency: Agency) -> User:
        return self.focal[agency.pk]


def load(today: dt.date, seed: int) -> dict[str, int]:
    """Create the demo's programs data; returns what was created, by kind."""
    if User.objects.filter(username__in=["vanphong", "lanhdao"]).count() != 2:
        return {}
    return ProgramsDemo(today, seed).build()
