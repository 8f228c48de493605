"""What users do on a task's page: each view takes one POST, checks that the user may do it
now with `task_access`, calls one service, then returns to the task page — or shows the
service's refusal on the form that was posted, with what the user typed.

An action the task's state no longer allows (a report on a task cancelled meanwhile) answers
409 with the task page as it is now and the reason above it (`shows_refusal`); an action the
user's role never allows answers 403."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.tracking import services
from dondoc.tracking.access import (
    TaskAction,
    check_task_action,
    obstacle_action,
    task_access,
    task_actions,
)
from dondoc.tracking.forms import (
    DependencyForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FollowerForm,
    ObstacleAnswerForm,
    ObstacleForm,
    ProgressReportForm,
    ReasonForm,
)
from dondoc.tracking.models import Extension, Obstacle, ObstacleLevel, Task
from dondoc.tracking.views.common import add_service_error
from dondoc.tracking.views.tasks import render_task_page, shows_refusal

Apply = Callable[[dict[str, Any]], str]  # runs the service, returns the success message


def _act(
    request: rules.SignedInRequest,
    task: Task,
    form: forms.Form,
    form_key: str,
    apply: Apply,
) -> HttpResponse:
    if form.is_valid():
        try:
            message = apply(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect("tracking:task_detail", pk=task.pk)
    return render_task_page(request, task, {form_key: form})


def report_action(request: rules.SignedInRequest) -> TaskAction:
    """A final report is a separate right: only the lead agency reports completion."""
    return TaskAction.FINAL_REPORT if request.POST.get("is_final") else TaskAction.REPORT


def report_progress(user: Any, task: Task, data: dict[str, Any]) -> str:
    is_final = bool(data.get("is_final"))
    services.task_report_with_evidence(
        user,
        task,
        evidence=data.get("evidence"),
        percent=data["percent"],
        narrative=data["narrative"],
        is_final=is_final,
        product=data.get("product") or "",
        period=data.get("period") or "",
    )
    if is_final:
        return _("Đã gửi báo cáo hoàn thành; Văn phòng sẽ xem xét, xác nhận.")
    return _("Đã ghi nhận báo cáo tiến độ.")


def may_report_final(user: Any, task: Task) -> bool:
    return TaskAction.FINAL_REPORT in task_actions(user, task, timezone.localdate())


@allow(rules.signed_in)
@require_POST
@shows_refusal
def task_report(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, report_action(request))
    final = may_report_final(request.user, task)
    form = ProgressReportForm(request.POST, request.FILES, final=final, auto_id="id_report_%s")
    return _act(
        request, task, form, "report", lambda data: report_progress(request.user, task, data)
    )


@allow(rules.signed_in)
@require_POST
@shows_refusal
def task_accept(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.ACCEPT)
    try:
        services.task_accept(request.user, task)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xác nhận hoàn thành nhiệm vụ."))
    return redirect("tracking:task_detail", pk=task.pk)


@allow(rules.signed_in)
@require_POST
@shows_refusal
def task_return(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.ACCEPT)

    def apply(data: dict[str, Any]) -> str:
        services.task_return(request.user, task, reason=data["reason"])
        return _("Đã trả lại báo cáo hoàn thành; nhiệm vụ tiếp tục được theo dõi.")

    form = ReasonForm(request.POST, auto_id="id_return_%s")
    return _act(request, task, form, "return", apply)


@allow(rules.signed_in)
@require_POST
@shows_refusal
def task_cancel(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.EDIT)

    def apply(data: dict[str, Any]) -> str:
        services.task_cancel(request.user, task, reason=data["reason"])
        return _("Đã hủy, điều chỉnh nhiệm vụ.")

    form = ReasonForm(request.POST, auto_id="id_cancel_%s")
    return _act(request, task, form, "cancel", apply)


@allow(rules.signed_in)
@require_POST
@shows_refusal
def dependency_add(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.EDIT)

    def apply(data: dict[str, Any]) -> str:
        waits_for = data["waits_for"]
        services.task_dependency_add(request.user, task, waits_for)
        return _("Đã ghi nhận: nhiệm vụ này chờ nhiệm vụ số %(pk)s.") % {"pk": waits_for.pk}

    form = DependencyForm(request.user, request.POST, auto_id="id_dependency_%s")
    return _act(request, task, form, "dependency", apply)


@allow(rules.office)
@require_POST
@shows_refusal
def task_follower(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.EDIT)

    def apply(data: dict[str, Any]) -> str:
        services.task_follower_set(request.user, task, data["follower"])
        return _("Đã phân công chuyên viên theo dõi.")

    form = FollowerForm(request.POST, auto_id="id_follower_%s")
    return _act(request, task, form, "follower", apply)


# Extensions --------------------------------------------------------------------------------


@allow(rules.signed_in)
@require_POST
@shows_refusal
def extension_request(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.REQUEST_EXTENSION)

    def apply(data: dict[str, Any]) -> str:
        services.extension_request(
            request.user, task, requested_due_on=data["requested_due_on"], reason=data["reason"]
        )
        return _("Đã gửi đề nghị gia hạn; Văn phòng sẽ xem xét, quyết định.")

    form = ExtensionRequestForm(request.POST, auto_id="id_extension_%s")
    return _act(request, task, form, "extension", apply)


@allow(rules.signed_in)
@require_POST
@shows_refusal
def extension_decide(request: rules.SignedInRequest, pk: int, extension_id: int) -> HttpResponse:
    task = task_access(request.user, pk)
    extension = _one(Extension.objects.filter(task=task), extension_id)
    extension.task = task
    check_task_action(request.user, task, TaskAction.DECIDE_EXTENSION)

    def apply(data: dict[str, Any]) -> str:
        approve = data["decision"] == ExtensionDecisionForm.APPROVE
        services.extension_decide(request.user, extension, approve=approve, reason=data["reason"])
        if approve:
            return _("Đã đồng ý gia hạn đến ngày %(day)s.") % {
                "day": f"{extension.requested_due_on:%d/%m/%Y}"
            }
        return _("Đã không đồng ý gia hạn.")

    form = ExtensionDecisionForm(request.POST, auto_id=f"id_decide{extension.pk}_%s")
    return _act(request, task, form, f"decide-{extension.pk}", apply)


# Obstacles ---------------------------------------------------------------------------------


@allow(rules.signed_in)
@require_POST
@shows_refusal
def obstacle_raise(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    task = task_access(request.user, pk, TaskAction.RAISE_OBSTACLE)

    def apply(data: dict[str, Any]) -> str:
        obstacle = services.obstacle_raise(
            request.user,
            task,
            text=data["text"],
            proposal=data["proposal"],
            beyond_authority=data["beyond_authority"],
        )
        if obstacle.level == ObstacleLevel.LEADER:
            return _("Đã gửi vướng mắc, kiến nghị để báo cáo lãnh đạo.")
        return _("Đã gửi vướng mắc, kiến nghị tới Văn phòng.")

    form = ObstacleForm(request.POST, auto_id="id_obstacle_%s")
    return _act(request, task, form, "obstacle", apply)


def _obstacle(request: rules.SignedInRequest, pk: int, obstacle_id: int) -> tuple[Task, Obstacle]:
    task = task_access(request.user, pk)
    obstacle = _one(Obstacle.objects.filter(task=task), obstacle_id)
    obstacle.task = task
    return task, obstacle


@allow(rules.signed_in)
@require_POST
@shows_refusal
def obstacle_answer(request: rules.SignedInRequest, pk: int, obstacle_id: int) -> HttpResponse:
    task, obstacle = _obstacle(request, pk, obstacle_id)
    check_task_action(request.user, task, obstacle_action(obstacle))

    def apply(data: dict[str, Any]) -> str:
        services.obstacle_answer(request.user, obstacle, answer=data["answer"])
        return _("Đã trả lời vướng mắc, kiến nghị.")

    form = ObstacleAnswerForm(request.POST, auto_id=f"id_answer{obstacle.pk}_%s")
    return _act(request, task, form, f"answer-{obstacle.pk}", apply)


@allow(rules.signed_in)
@require_POST
@shows_refusal
def obstacle_escalate(request: rules.SignedInRequest, pk: int, obstacle_id: int) -> HttpResponse:
    task, obstacle = _obstacle(request, pk, obstacle_id)
    check_task_action(request.user, task, TaskAction.ANSWER_OBSTACLE)
    try:
        services.obstacle_escalate(request.user, obstacle)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã báo cáo lãnh đạo vướng mắc vượt thẩm quyền."))
    return redirect("tracking:task_detail", pk=task.pk)


def _one(queryset: Any, pk: int) -> Any:
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item
