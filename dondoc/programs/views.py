"""Pages of programs: the list, a program as a calendar by month, what every program plans for a
month, and an item's page with the forms of exactly what the user may do now
(`access.item_actions`). Each action is one POST: `item_access` checks it, one service runs,
and the item page comes back — with the service's refusal on the posted form, or, when the
item's step no longer allows the action, with the reason above the page (409)."""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.core.access import allow
from dondoc.core.htmx import partial
from dondoc.core.xlsx import XLSX_CONTENT_TYPE
from dondoc.programs import adherence, docx, selectors, services, tables
from dondoc.programs.access import (
    ItemAction,
    ItemActionRefused,
    item_access,
    item_actions,
    item_actions_blocked,
    items_visible_to,
    program_file_access,
)
from dondoc.programs.forms import (
    AdditionForm,
    AnswerForm,
    AppraisalForm,
    ContentForm,
    DecisionForm,
    DeferForm,
    DeriveForm,
    FileForm,
    HandlingForm,
    ImportForm,
    ItemForm,
    LinksForm,
    MonthForm,
    RescheduleDecisionForm,
    RescheduleForm,
    RoundForm,
    VersionForm,
    YearMoveForm,
)
from dondoc.programs.models import (
    BODY_ISSUER_CODES,
    CONTENT_SECTIONS,
    Appraisal,
    Body,
    FileKind,
    HandlingOutcome,
    ItemState,
    ProgramItem,
    ProgramKind,
    WorkProgram,
)
from dondoc.programs.services import min_comment_days
from dondoc.programs.workdays import add_working_days
from dondoc.tracking.attachments import content_disposition
from dondoc.tracking.views.common import add_service_error

if TYPE_CHECKING:  # the XLSX module (openpyxl) is imported where a workbook is read or written
    from dondoc.programs.xlsx import RowError

Run = Callable[[User, ProgramItem, dict[str, Any]], object]  # runs the action's service


@dataclasses.dataclass(frozen=True)
class ActionDoor:
    form: type[forms.Form] | None
    run: Run
    done: Promise  # the message once it is done


def _initial(action: ItemAction, item: ProgramItem, today: dt.date) -> dict[str, Any]:
    if action in {ItemAction.EDIT_CONTENT, ItemAction.SUBMIT_VERSION}:
        sections = {field: getattr(item, field) for field in CONTENT_SECTIONS}
        return {**sections, "revision": item.content_revision}
    if action == ItemAction.EDIT_LINKS:
        return {
            "responsible_leader": item.responsible_leader,
            "working_session_id": item.working_session_id,
        }
    if action == ItemAction.DEFER:
        if item.planned_month == 12 and item.program.kind == ProgramKind.YEAR:
            return {"to_month": 1, "to_year": item.program.year + 1}  # into next year
        return {"to_month": min(item.planned_month + 1, 12)}
    if action == ItemAction.OPEN_ROUND:
        return {"deadline": add_working_days(today, min_comment_days())}
    if action == ItemAction.REQUEST_YEAR_MOVE and item.planned_year is not None:
        return {"to_year": min(item.planned_year + 1, item.program.end_year or item.planned_year)}
    if action == ItemAction.DECIDE:
        issuer = BODY_ISSUER_CODES.get(Body(item.program.body), "")
        return {"issued_on": today, "document_title": item.title, "issuing_body": issuer}
    return {}


DOORS: dict[ItemAction, ActionDoor] = {
    ItemAction.EDIT_CONTENT: ActionDoor(
        ContentForm,
        lambda u, i, d: services.item_edit_content(u, i, **d),
        gettext_lazy("Đã lưu nội dung đề án."),
    ),
    ItemAction.SUBMIT_VERSION: ActionDoor(
        VersionForm,
        lambda u, i, d: services.version_submit(u, i, **d),
        gettext_lazy("Đã gửi phiên bản mới của đề án."),
    ),
    ItemAction.ATTACH_FILE: ActionDoor(
        FileForm,
        lambda u, i, d: services.file_attach(u, i, kind=FileKind(d["kind"]), file=d["file"]),
        gettext_lazy("Đã lưu tệp."),
    ),
    ItemAction.HANDLE_COMMENT: ActionDoor(
        HandlingForm,
        lambda u, i, d: services.comment_handle(u, i, **d),
        gettext_lazy("Đã ghi tiếp thu, giải trình ý kiến."),
    ),
    ItemAction.DEFER: ActionDoor(
        DeferForm,
        lambda u, i, d: services.item_defer(u, i, **d),
        gettext_lazy("Đã ghi quyết định hoãn."),
    ),
    ItemAction.EDIT_LINKS: ActionDoor(
        LinksForm,
        lambda u, i, d: services.item_links_set(u, i, **d),
        gettext_lazy("Đã lưu lãnh đạo phụ trách và buổi làm việc."),
    ),
    ItemAction.OPEN_ROUND: ActionDoor(
        RoundForm,
        lambda u, i, d: services.round_open(u, i, agencies=d["agencies"], deadline=d["deadline"]),
        gettext_lazy("Đã gửi lấy ý kiến các cơ quan."),
    ),
    ItemAction.ANSWER: ActionDoor(
        AnswerForm,
        lambda u, i, d: services.invitation_answer(u, i, opinion=d["opinion"], file=d.get("file")),
        gettext_lazy("Đã gửi ý kiến của cơ quan."),
    ),
    ItemAction.CLOSE_ROUND: ActionDoor(
        None,
        lambda u, i, d: services.round_close(u, i),
        gettext_lazy("Đã kết thúc đợt lấy ý kiến."),
    ),
    ItemAction.SEND_TO_APPRAISAL: ActionDoor(
        None,
        lambda u, i, d: services.item_send_to_appraisal(u, i),
        gettext_lazy("Đã gửi Văn phòng thẩm định."),
    ),
    ItemAction.APPRAISE: ActionDoor(
        AppraisalForm,
        lambda u, i, d: services.appraisal_record(u, i, **d),
        gettext_lazy("Đã ghi kết quả thẩm định."),
    ),
    ItemAction.SUBMIT: ActionDoor(
        None, lambda u, i, d: services.item_submit(u, i), gettext_lazy("Đã trình đề án.")
    ),
    ItemAction.DECIDE: ActionDoor(
        DecisionForm,
        lambda u, i, d: services.item_decide(u, i, **d),
        gettext_lazy("Đã ghi quyết định."),
    ),
    ItemAction.REQUEST_RESCHEDULE: ActionDoor(
        RescheduleForm,
        lambda u, i, d: services.reschedule_request(u, i, **d),
        gettext_lazy("Đã gửi đề nghị điều chỉnh; chờ cấp có thẩm quyền quyết định."),
    ),
    ItemAction.REQUEST_YEAR_MOVE: ActionDoor(
        YearMoveForm,
        lambda u, i, d: services.year_move_request(u, i, **d),
        gettext_lazy("Đã gửi đề nghị chuyển năm; chờ cấp có thẩm quyền quyết định."),
    ),
    ItemAction.DECIDE_RESCHEDULE: ActionDoor(
        RescheduleDecisionForm,
        lambda u, i, d: services.reschedule_decide(u, i, **d),
        gettext_lazy("Đã quyết định đề nghị điều chỉnh."),
    ),
}

# The heading and button of each action's form.
TITLES: dict[ItemAction, Promise] = {
    ItemAction.EDIT_CONTENT: gettext_lazy("Soạn thảo nội dung đề án"),
    ItemAction.OPEN_ROUND: gettext_lazy("Gửi lấy ý kiến các cơ quan"),
    ItemAction.ANSWER: gettext_lazy("Gửi ý kiến của cơ quan"),
    ItemAction.CLOSE_ROUND: gettext_lazy("Kết thúc đợt lấy ý kiến"),
    ItemAction.SEND_TO_APPRAISAL: gettext_lazy("Gửi Văn phòng thẩm định"),
    ItemAction.APPRAISE: gettext_lazy("Thẩm định đề án"),
    ItemAction.SUBMIT: gettext_lazy("Trình đề án"),
    ItemAction.DECIDE: gettext_lazy("Quyết định"),
    ItemAction.REQUEST_RESCHEDULE: gettext_lazy("Đề nghị lùi, giãn hoặc rút"),
    ItemAction.REQUEST_YEAR_MOVE: gettext_lazy("Đề nghị chuyển sang năm khác của nhiệm kỳ"),
    ItemAction.DECIDE_RESCHEDULE: gettext_lazy("Quyết định đề nghị điều chỉnh"),
    ItemAction.SUBMIT_VERSION: gettext_lazy("Gửi phiên bản mới (tiếp thu, chỉnh lý)"),
    ItemAction.ATTACH_FILE: gettext_lazy("Đính kèm dự thảo, báo cáo giải trình"),
    ItemAction.HANDLE_COMMENT: gettext_lazy("Tiếp thu, giải trình ý kiến"),
    ItemAction.DEFER: gettext_lazy("Hoãn, chưa xem xét"),
    ItemAction.EDIT_LINKS: gettext_lazy("Lãnh đạo phụ trách, buổi làm việc chuyên đề"),
}


def _item_url() -> str:
    """The items' address without the id: one `reverse` per page, not one per row."""
    return reverse("programs:item_detail", args=[1]).removesuffix("1/")


# Lists --------------------------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def program_list(request: rules.SignedInRequest) -> HttpResponse:
    rows = selectors.programs_with_counts(request.user)
    return render(request, "programs/program_list.html", {"rows": rows})


@allow(rules.signed_in)
@require_GET
def program_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The program as a calendar: its items the user sees, by planned month."""
    return _program_page(request, get_object_or_404(WorkProgram, pk=pk))


def _program_page(
    request: rules.SignedInRequest,
    program: WorkProgram,
    form: ItemForm | None = None,
    addition: AdditionForm | None = None,
    import_errors: "list[RowError] | None" = None,
    status: int = 200,
) -> HttpResponse:
    if program.is_term:
        return _term_page(request, program, form, addition, import_errors, status=status)
    months, counts = selectors.program_calendar(request.user, program)
    states = [(ItemState(s).label, counts[s]) for s in ItemState if counts[s]]
    today = timezone.localdate()
    facts = adherence.program_facts(items_visible_to(request.user), program)
    rows, total = adherence.by_month(facts, today)
    # By lead agency only when asked: a program's items may have as many leads as rows.
    leads = adherence.by_lead(facts, today) if request.GET.get("adherence") == "lead" else None
    context = {
        "program": program, "months": months, "counts": states, "item_url": _item_url(),
        "adherence": rows, "adherence_total": total, "standings": adherence.LABELS.values(),
        "adherence_leads": leads,
        "today": today,
        "term_program": program.term_program,
    }  # fmt: skip
    _add_forms(request, program, context, form, addition)
    _add_import_form(request, context, import_errors)
    return render(request, "programs/program_detail.html", context, status=status)


def _add_import_form(
    request: rules.SignedInRequest, context: dict[str, Any], errors: list["RowError"] | None
) -> None:
    """The office's XLSX import, with the problems of the file it just sent."""
    if rules.office(request.user):
        context["import_form"] = ImportForm(auto_id="id_import_%s")
        context["import_errors"] = errors or []


def _term_years(program: WorkProgram) -> list[int] | None:
    return program.years if program.is_term else None


def _add_forms(
    request: rules.SignedInRequest,
    program: WorkProgram,
    context: dict[str, Any],
    form: ItemForm | None,
    addition: AdditionForm | None,
) -> None:
    """The forms to add an item (office) and to ask for an addition (office, agencies)."""
    years = _term_years(program)
    if rules.office(request.user) or rules.agency_worker(request.user):
        context["addition_form"] = addition or AdditionForm(
            request.user, auto_id="id_add_%s", initial={"lead_agency": _own_code(request.user)},
            term_years=years,
        )  # fmt: skip
    if rules.office(request.user):
        context["item_form"] = form or ItemForm(request.user, auto_id="id_new_%s", term_years=years)


def _term_page(
    request: rules.SignedInRequest,
    program: WorkProgram,
    form: ItemForm | None = None,
    addition: AdditionForm | None = None,
    import_errors: list["RowError"] | None = None,
    status: int = 200,
    derive: DeriveForm | None = None,
) -> HttpResponse:
    """The full-term program year by year, each item with where its yearly item stands, and
    the progress rolled up by year; for the office, deriving a year's program."""
    years, total = selectors.term_progress(request.user, program)
    context: dict[str, Any] = {
        "program": program, "years": years, "total": total, "item_url": _item_url(),
        "standings": selectors.TERM_LABELS.values(),
    }  # fmt: skip
    _add_forms(request, program, context, form, addition)
    _add_import_form(request, context, import_errors)
    if rules.office(request.user):
        context["derive_form"] = derive or DeriveForm(
            auto_id="id_derive_%s", years=program.years, initial={"year": _next_year(years)}
        )
    return render(request, "programs/term_detail.html", context, status=status)


def _next_year(years: list[selectors.TermYear]) -> int | None:
    """The first year with items not yet carried into its yearly program."""
    waiting = [y.year for y in years if y.counts[selectors.TermStanding.NOT_CARRIED]]
    return waiting[0] if waiting else None


@allow(rules.office)
@require_POST
def year_program_derive(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The office derives (or completes) a year's program from the full-term program."""
    term = get_object_or_404(WorkProgram, pk=pk, kind=ProgramKind.TERM)
    form = DeriveForm(request.POST, auto_id="id_derive_%s", years=term.years)
    if form.is_valid():
        try:
            derived = services.year_program_derive(
                request.user, term, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Chương trình năm %(year)d: đã đưa vào %(n)d nội dung từ chương trình toàn khóa.")
                % {"year": derived.program.year, "n": len(derived.carried)},
            )
            return redirect("programs:program_detail", pk=derived.program.pk)
    return _term_page(request, term, derive=form, status=400)


@allow(rules.office)
@require_POST
def item_new(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The office adds an item to the program."""
    program = get_object_or_404(WorkProgram, pk=pk)
    form = ItemForm(
        request.user, request.POST, auto_id="id_new_%s", term_years=_term_years(program)
    )
    if form.is_valid():
        try:
            item = services.item_create(request.user, program, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm nội dung vào chương trình."))
            return redirect("programs:item_detail", pk=item.pk)
    return _program_page(request, program, form)


def _own_code(user: User) -> str:
    return "" if rules.office(user) or user.agency is None else user.agency.code


@allow(rules.signed_in)
@require_POST
def item_add_request(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The office, or the agency that will lead it, asks to add an item to the program; the
    body's authority decides it on the item's page."""
    program = get_object_or_404(WorkProgram, pk=pk)
    form = AdditionForm(
        request.user, request.POST, auto_id="id_add_%s", term_years=_term_years(program)
    )
    if form.is_valid():
        try:
            item = services.item_add_request(request.user, program, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Đã gửi đề nghị bổ sung; chờ cấp có thẩm quyền quyết định.")
            )
            return redirect("programs:item_detail", pk=item.pk)
    return _program_page(request, program, addition=form, status=400)


@allow(rules.office)
@require_POST
def items_import(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The office adds a program's items from an XLSX table, all or none; every problem is
    shown by its row."""
    program = get_object_or_404(WorkProgram, pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Cần chọn tệp Excel (.xlsx) để nhập."))
        return redirect("programs:program_detail", pk=program.pk)
    from dondoc.programs import xlsx  # openpyxl: loaded by the processes that read a workbook

    result = xlsx.items_import(request.user, program, form.cleaned_data["file"])
    if result.ok:
        messages.success(
            request, _("Đã nhập %(n)d nội dung vào chương trình.") % {"n": result.created}
        )
        return redirect("programs:program_detail", pk=program.pk)
    return _program_page(request, program, import_errors=result.errors, status=400)


@allow(rules.signed_in)
@require_GET
def items_export(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The program's items the user sees, as XLSX."""
    from dondoc.programs import xlsx  # openpyxl: loaded by the processes that write a workbook

    program = get_object_or_404(WorkProgram, pk=pk)
    data = xlsx.items_to_xlsx(
        items_visible_to(request.user).filter(program=program), request.user.clearance
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="chuong-trinh-{program.pk}.xlsx"'
    return response


@allow(rules.signed_in)
@require_GET
def month_view(request: rules.SignedInRequest) -> HttpResponse:
    """What every program plans for one month; htmx swaps the results when the month changes."""
    today = timezone.localdate()
    form = MonthForm(request.GET or {"year": today.year, "month": today.month})
    year, month = (today.year, today.month)
    if form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    items = selectors.items_in_month(request.user, year, month)
    context = {"form": form, "items": items, "year": year, "month": month, "item_url": _item_url()}
    template = "programs/_month_results.html" if partial(request) else "programs/month.html"
    return render(request, template, context)


@allow(rules.signed_in)
@require_GET
def coming(request: rules.SignedInRequest) -> HttpResponse:
    """What comes before the bodies in the next 8 weeks, and whether each item is ready;
    the items at risk first. `?body=bct` (repeatable) narrows to some bodies."""
    bodies = [b for b in request.GET.getlist("body") if b in Body.values]
    rows = selectors.items_coming(request.user, timezone.localdate(), bodies=bodies)
    table_rows = tables.coming_rows(rows, _item_url())  # hundreds of rows: drawn in Python
    context = {"rows": rows, "table_rows": table_rows, "bodies": Body.choices, "chosen": bodies}
    return render(request, "programs/coming.html", context)


# The item page ------------------------------------------------------------------------------


def render_item_page(
    request: rules.SignedInRequest,
    item: ProgramItem,
    bound: dict[ItemAction, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The item page with the forms of exactly `item_actions`; `bound` replaces a form by the
    one just posted, so that its errors show where the user typed."""
    today = timezone.localdate()
    can = item_actions(request.user, item, today)
    bound = bound or {}
    actions = [
        (action, TITLES[action], bound.get(action) or _blank_form(request, action, item, today))
        for action in ItemAction
        if action in can and action != ItemAction.VIEW
    ]
    handling = selectors.handling_rows(item)
    context = {
        "item": item,
        "page": selectors.item_page(request.user, item, today),
        "versions": selectors.item_versions(item, _number(request, "a"), _number(request, "b")),
        "handling": handling,
        "unhandled": sum(1 for row in handling if row.handling is None),
        "outcomes": HandlingOutcome.choices,
        "tasks": selectors.item_tasks(request.user, item) if item.resulting_document_id else [],
        # Approved with its document: the office has its tasks read by tracking's assisted
        # entry, reviews them there and confirms them (tracking's one write path for tasks).
        "offer_assist": bool(item.resulting_document_id) and rules.office(request.user),
        "actions": actions,
        "blocked": [
            (action, TITLES[action], reason)
            for action, reason in item_actions_blocked(request.user, item, today).items()
        ],
        "today": today,
        "min_days": min_comment_days(),
    }
    return render(request, "programs/item_detail.html", context, status=status)


def _number(request: rules.SignedInRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 6 else None


def _form(
    request: rules.SignedInRequest, action: ItemAction, item: ProgramItem, **kwargs: Any
) -> forms.Form | None:
    """The action's form; the forms whose choices depend on the item or the user get them."""
    form = DOORS[action].form
    if form is None:
        return None
    if form is HandlingForm:
        return HandlingForm(item=item, prefix=action.value, **kwargs)
    if form in {RescheduleForm, DeferForm}:
        return form(item=item, prefix=action.value, **kwargs)  # type: ignore[call-arg]
    if form is LinksForm:
        return LinksForm(item=item, user=request.user, prefix=action.value, **kwargs)
    return form(prefix=action.value, **kwargs)


def _blank_form(
    request: rules.SignedInRequest, action: ItemAction, item: ProgramItem, today: dt.date
) -> forms.Form | None:
    return _form(request, action, item, initial=_initial(action, item, today))


@allow(rules.signed_in)
@require_GET
def item_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    return render_item_page(request, item_access(request.user, pk))


@allow(rules.signed_in)
@require_POST
def item_act(request: rules.SignedInRequest, pk: int, action: str) -> HttpResponse:
    try:
        wanted = ItemAction(action)
        door = DOORS[wanted]
    except (ValueError, KeyError) as unknown:
        raise Http404 from unknown
    try:
        item = item_access(request.user, pk, wanted)
    except ItemActionRefused as refusal:
        if refusal.by_role:
            raise
        messages.error(request, str(refusal))
        return render_item_page(request, refusal.item, status=409)
    form = _form(request, wanted, item, data=request.POST, files=request.FILES) or forms.Form(
        request.POST
    )
    if form.is_valid():
        try:
            door.run(request.user, item, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        except ItemActionRefused as refusal:  # the step moved, or someone saved meanwhile
            if refusal.by_role:
                raise
            messages.error(request, str(refusal))
            return render_item_page(request, refusal.item, status=409)
        else:
            messages.success(request, str(door.done))
            return redirect("programs:item_detail", pk=item.pk)
    return render_item_page(request, item, {wanted: form})


@allow(rules.signed_in)
@require_GET
def appraisal_report(request: rules.SignedInRequest, pk: int, appraisal: int) -> HttpResponse:
    """The appraisal report as DOCX, to whoever may see the item."""
    item = item_access(request.user, pk)
    found = get_object_or_404(Appraisal.objects.select_related("item"), pk=appraisal, item=item)
    response = HttpResponse(
        docx.appraisal_docx(found),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"bao-cao-tham-dinh-{item.pk}-{found.appraised_on:%Y%m%d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allow(rules.signed_in)
@require_GET
def file_download(request: rules.SignedInRequest, pk: int) -> FileResponse:
    """A proposal's file, to whoever may see the proposal (404 otherwise); each download is
    written in the audit log."""
    kept = program_file_access(request.user, pk)
    try:
        handle = kept.file.storage.open(kept.file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    services.file_download_record(request.user, kept)
    response = FileResponse(handle, as_attachment=True, content_type=kept.content_type)
    response["Content-Disposition"] = content_disposition(services.file_download_name(kept))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@allow(rules.signed_in)
@require_GET
def handling_export(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The comment-handling table (bảng tổng hợp tiếp thu, giải trình ý kiến) as XLSX."""
    from dondoc.programs import xlsx  # openpyxl: loaded by the processes that write a workbook

    item = item_access(request.user, pk)
    response = HttpResponse(xlsx.handling_to_xlsx(item), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tiep-thu-giai-trinh-{item.pk}.xlsx"'
    return response
