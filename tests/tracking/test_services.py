"""The domain rules of tracked work, as the office and the agencies meet them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dondoc.accounts.models import RoleCode
from dondoc.agencies.models import Agency, AgencyKind, ReorganizationKind
from dondoc.agencies.services import reorganization_record
from dondoc.audit.models import AuditEntry
from dondoc.tracking import services
from dondoc.tracking.access import TaskActionRefused, task_actions
from dondoc.tracking.error_codes import TrackingErrorCode
from dondoc.tracking.models import Coordination, DeadlineKind, LeadTransfer, Task
from dondoc.tracking.selectors import lead_agency_on
from dondoc.tracking.status import TaskStatus, status_of
from tests.conftest import make_user

DAY = dt.timedelta(days=1)
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def leadership(db) -> Agency:
    return Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)


@pytest.fixture
def document(office_user, leadership):
    return services.document_register(
        office_user, symbol="57-NQ/TW", issuing_body=leadership, issued_on=dt.date(2024, 12, 22),
        title="Về đột phá phát triển khoa học, công nghệ", term="XIII", is_strategic=True,
    )  # fmt: skip


@pytest.fixture
def task(office_user, document, lead_agency, other_agency):
    return services.task_create(
        office_user, title="Xây dựng kế hoạch triển khai", lead_agency=lead_agency,
        coordinating_agencies=[other_agency], document=document, due_on=TODAY + 10 * DAY,
        expected_product="Kế hoạch", created_on=TODAY - 30 * DAY,
    )  # fmt: skip


def test_registered_document_has_type_number_and_issuer_from_its_symbol(document):
    assert (document.doc_type, document.number, document.issuer_code) == ("NQ", 57, "TW")


def test_same_number_twice_in_one_term_is_refused(office_user, document, leadership):
    with pytest.raises(ValidationError) as error:
        services.document_register(
            office_user, symbol="57-NQ/TW", issuing_body=leadership, issued_on=TODAY,
            title="Trùng số", term="XIII",
        )  # fmt: skip
    assert error.value.error_dict["symbol"][0].code == "duplicate_document"


def test_malformed_symbol_is_refused_with_a_vietnamese_message(office_user, leadership):
    with pytest.raises(ValidationError) as error:
        services.document_register(
            office_user, symbol="NQ57/TW", issuing_body=leadership, issued_on=TODAY, title="x"
        )
    assert "không đúng thể thức" in error.value.messages[0]


def test_creating_a_task_is_audited_with_its_coordinators(task):
    entry = AuditEntry.objects.filter(object_type="tracking.task", action="create").get()
    assert entry.changes["coordinating_agencies"] == [None, ["HANOI"]]
    assert entry.actor_label == "chuyenvien"


def test_second_save_of_the_same_version_is_refused(office_user, task):
    opened_by_both = task.version
    services.task_update(office_user, task, version=opened_by_both, title="Sửa lần một")
    with pytest.raises(services.EditConflictError):
        services.task_update(office_user, task, version=opened_by_both, title="Sửa lần hai")
    task.refresh_from_db()
    assert task.title == "Sửa lần một"


def test_final_report_needs_the_product(lead_focal, task):
    with pytest.raises(ValidationError) as error:
        services.task_report_progress(
            lead_focal, task, percent=100, narrative="Xong", is_final=True
        )
    assert error.value.error_dict["product"][0].code == "product_required"


def test_coordinator_contributes_but_cannot_close_the_task(other_focal, task):
    services.task_report_progress(other_focal, task, percent=40, narrative="Đã góp ý dự thảo")
    with pytest.raises(TaskActionRefused) as refused:
        services.task_report_progress(
            other_focal, task, percent=100, narrative="Xong", is_final=True, product="Kế hoạch"
        )
    assert refused.value.code == TrackingErrorCode.NOT_ALLOWED
    task.refresh_from_db()
    assert task.progress == 0  # a contribution does not move the lead's progress


def test_completion_dates_from_the_final_report_and_waits_for_acceptance(
    office_user, lead_focal, task
):
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Đã ban hành", is_final=True,
        product="Kế hoạch số 12-KH/BTCTW", day=TODAY + 10 * DAY,
    )  # fmt: skip
    assert status_of(task, TODAY + 11 * DAY) == TaskStatus.AWAITING_ACCEPTANCE
    services.task_accept(office_user, task, day=TODAY + 15 * DAY)
    assert status_of(task, TODAY + 15 * DAY) == TaskStatus.DONE_ON_TIME


def test_returned_final_report_reopens_the_task(office_user, lead_focal, task):
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Kế hoạch",
        day=TODAY,
    )  # fmt: skip
    services.task_return(office_user, task, reason="Chưa kèm văn bản ban hành")
    assert status_of(task, TODAY) == TaskStatus.OPEN_ON_TIME


def test_extension_keeps_the_original_deadline_and_counts_completion_within_it(
    office_user, lead_focal, task
):
    original = task.due_on
    extension = services.extension_request(
        lead_focal, task, requested_due_on=original + 30 * DAY, reason="Chờ ý kiến các bộ"
    )
    services.extension_decide(office_user, extension, approve=True, reason="Đồng ý")
    task.refresh_from_db()
    assert (task.due_on, task.extended_due_on) == (original, original + 30 * DAY)
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Kế hoạch",
        day=original + 20 * DAY,
    )  # fmt: skip
    services.task_accept(office_user, task, day=original + 21 * DAY)
    assert status_of(task, original + 21 * DAY) == TaskStatus.DONE_ON_TIME


def test_extension_cannot_be_decided_twice(office_user, lead_focal, task):
    extension = services.extension_request(
        lead_focal, task, requested_due_on=task.due_on + 5 * DAY, reason="Cần thêm thời gian"
    )
    services.extension_decide(office_user, extension, approve=False, reason="Không có cơ sở")
    with pytest.raises(TaskActionRefused) as refused:
        services.extension_decide(office_user, extension, approve=True, reason="")
    assert refused.value.code == TrackingErrorCode.NO_PENDING_EXTENSION


def test_obstacle_beyond_authority_goes_to_the_leader_and_the_answer_is_kept(
    office_user, leader, lead_focal, task
):
    obstacle = services.obstacle_raise(
        lead_focal, task, text="Vướng quy định về biên chế", beyond_authority=True
    )
    assert obstacle.level == "leader"
    services.obstacle_answer(leader, obstacle, answer="Giao Ban Tổ chức đề xuất sửa quy định")
    obstacle.refresh_from_db()
    assert obstacle.answered_by == leader


def test_dependency_cycles_are_refused(office_user, task, lead_agency):
    other = services.task_create(
        office_user, title="Việc khác", lead_agency=lead_agency, due_on=TODAY
    )
    services.task_dependency_add(office_user, task, other)
    with pytest.raises(ValidationError):
        services.task_dependency_add(office_user, other, task)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("office_user", {"view", "edit"}),
        ("leader", {"view"}),
        ("inspector", {"view"}),
        ("lead_focal", {"view", "report", "final_report", "request_extension", "raise_obstacle"}),
        ("other_focal", {"view", "report", "raise_obstacle"}),  # HANOI coordinates the task
    ],
)
def test_what_each_role_may_do_with_an_open_task(request, task, actor, expected):
    # nothing awaits a decision yet: no acceptance, extension or obstacle to answer
    assert set(task_actions(request.getfixturevalue(actor), task, TODAY)) == expected


def test_focal_point_of_an_unrelated_agency_may_do_nothing_not_even_see(task):
    stranger_agency = Agency.objects.create(
        code="QNINH", name="Tỉnh ủy Quảng Ninh", kind="province"
    )
    stranger = make_user("daumoi.qninh", stranger_agency, RoleCode.FOCAL)
    assert task_actions(stranger, task, TODAY) == frozenset()


def test_merge_moves_open_work_and_keeps_finished_work_with_the_agency_that_did_it(
    admin_user, office_user, lead_focal, task, lead_agency, other_agency
):
    done = services.task_create(
        office_user, title="Việc đã xong", lead_agency=other_agency, due_on=TODAY - 40 * DAY,
        created_on=TODAY - 90 * DAY,
    )  # fmt: skip
    Task.objects.filter(pk=done.pk).update(
        reported_done_on=TODAY - 41 * DAY, accepted_on=TODAY - 39 * DAY
    )
    open_task = services.task_create(
        office_user, title="Việc đang làm", lead_agency=other_agency, due_on=TODAY + 40 * DAY,
        deadline_kind=DeadlineKind.DATE, coordinating_agencies=[lead_agency],
    )  # fmt: skip
    merged_into = Agency.objects.create(
        code="HANOI2", name="Thành ủy Hà Nội (mới)", kind="province"
    )
    reorganization_record(
        admin_user, kind=ReorganizationKind.MERGE, effective_on=TODAY,
        predecessors=[other_agency], successors=[merged_into],
    )  # fmt: skip
    open_task.refresh_from_db()
    done.refresh_from_db()
    assert open_task.lead_agency == merged_into
    assert done.lead_agency == other_agency
    assert Coordination.objects.filter(task=task, agency=merged_into).exists()
    assert not Coordination.objects.filter(task=task, agency=other_agency).exists()
    assert LeadTransfer.objects.get(task=open_task).from_agency == other_agency
    before = dict(
        Task.objects.annotate(lead_then=lead_agency_on(TODAY - DAY)).values_list("pk", "lead_then")
    )
    assert before[open_task.pk] == other_agency.pk  # an old report still reads as it did


def test_recurring_monthly_task_has_its_own_due_date_each_month(
    office_user, lead_focal, lead_agency
):
    from dondoc.tracking.models import RecurringPeriod

    task = services.task_create(
        office_user, title="Báo cáo tình hình hằng tháng", lead_agency=lead_agency,
        deadline_kind=DeadlineKind.MONTHLY, due_on=dt.date(2026, 10, 31),
        created_on=dt.date(2026, 10, 1),
    )  # fmt: skip
    assert status_of(task, dt.date(2026, 11, 1)) == TaskStatus.OVERDUE  # October not reported
    services.task_report_progress(
        lead_focal, task, percent=50, narrative="Báo cáo tháng 10", day=dt.date(2026, 11, 3)
    )
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 11, 30)  # November is the next period
    assert status_of(task, dt.date(2026, 11, 26)) == TaskStatus.DUE_SOON
    services.task_report_progress(
        lead_focal, task, percent=60, narrative="Báo cáo tháng 11", day=dt.date(2026, 11, 28)
    )
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 12, 31)
    periods = list(RecurringPeriod.objects.filter(task=task).order_by("due_on"))
    assert [(p.due_on, p.on_time) for p in periods] == [
        (dt.date(2026, 10, 31), False),  # October reported late, and stays late
        (dt.date(2026, 11, 30), True),
    ]


def test_recurring_quarterly_task_moves_to_the_next_quarter_end(
    office_user, lead_focal, lead_agency
):
    task = services.task_create(
        office_user, title="Sơ kết quý", lead_agency=lead_agency,
        deadline_kind=DeadlineKind.QUARTERLY, due_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    services.task_report_progress(
        lead_focal, task, percent=25, narrative="Quý IV", day=dt.date(2026, 12, 20)
    )
    task.refresh_from_db()
    assert task.due_on == dt.date(2027, 3, 31)


def test_a_coordinators_contribution_does_not_close_a_recurring_period(
    office_user, other_focal, lead_agency, other_agency
):
    task = services.task_create(
        office_user, title="Báo cáo hằng tháng", lead_agency=lead_agency,
        coordinating_agencies=[other_agency], deadline_kind=DeadlineKind.MONTHLY,
        due_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    services.task_report_progress(other_focal, task, percent=10, narrative="Góp ý")
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 11, 30)
