"""The consultation pages: the drafts, one draft with its sections and comment form, the
office's synthesis per section with the response forms, the report downloads, and the public
comment page (no sign-in, flood-protected)."""

import csv
import io
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.core.access import allow, public
from dondoc.core.htmx import partial

from . import intake, services
from .access import (
    DraftAction,
    DraftActionRefused,
    draft_access,
    draft_actions,
    open_round,
    public_round,
)
from .forms import (
    CommentForm,
    DraftImportForm,
    DraftVersionForm,
    ImportForm,
    PublicCommentForm,
    RespondForm,
    RoundForm,
)
from .models import Comment, CommentImport, Draft, RunKind, SynthesisRun, Theme
from .report import report_docx, report_xlsx
from .selectors import (
    draft_totals,
    drafts_listed,
    imports_of,
    rejections_of,
    run_going,
    run_stuck,
    sections_of,
    synthesis_of,
    version_diff,
    versions_of,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _place(form: object, error: ValidationError) -> None:
    add = getattr(form, "add_error")  # noqa: B009
    fields = getattr(form, "fields")  # noqa: B009
    for field, messages in error.message_dict.items():
        add(field if field in fields else None, messages)


@allow(rules.signed_in)
@require_http_methods(["GET", "POST"])
def draft_list(request: rules.SignedInRequest) -> HttpResponse:
    form = DraftImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not rules.office(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                draft = services.draft_import(
                    request.user, form.cleaned_data["title"], text=form.cleaned_data["text"],
                    docx=form.cleaned_data["file"],
                )  # fmt: skip
            except ValidationError as error:
                _place(form, error)
            else:
                return redirect("consultation:draft", draft.pk)
    return render(request, "consultation/list.html", {
        "drafts": drafts_listed(request.user)[:100],
        "form": form if rules.office(request.user) else None,
    })  # fmt: skip


@allow(rules.signed_in)
@require_http_methods(["GET", "POST"])
def draft_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    draft = draft_access(request.user, pk)
    sections = sections_of(draft)
    form = CommentForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        section = form.cleaned_data["section"]
        try:
            services.comment_submit(request.user, draft, form.cleaned_data["stance"],
                                    form.cleaned_data["text"], section.pk if section else None)  # fmt: skip
        except ValidationError as error:
            _place(form, error)
        else:
            return redirect("consultation:draft", draft.pk)
    return _detail(request, draft, form)


def _detail(
    request: rules.SignedInRequest,
    draft: Draft,
    form: CommentForm,
    import_form: ImportForm | None = None,
    status: int = 200,
    version_form: DraftVersionForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    actions = draft_actions(request.user, draft, today)
    manage = DraftAction.MANAGE in actions
    return render(request, "consultation/detail.html", {
        "draft": draft, "sections": sections_of(draft), "actions": actions,
        "form": form if DraftAction.COMMENT in actions else None,
        "round_form": RoundForm() if manage else None,
        "import_form": (import_form or ImportForm()) if manage else None,
        "version_form": (version_form or DraftVersionForm()) if manage else None,
        "imports": imports_of(draft) if manage else [],
        "current": open_round(draft, today),
    }, status=status)  # fmt: skip


@allow(rules.office)
@require_POST
def import_create(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    draft = draft_access(request.user, pk, DraftAction.MANAGE)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.comment_import_start(request.user, draft, form.cleaned_data["file"])
        except ValidationError as error:
            _place(form, error)
        else:
            return redirect("consultation:draft", draft.pk)
    empty = CommentForm(sections=sections_of(draft))
    return _detail(request, draft, empty, import_form=form, status=400)


@allow(rules.office)
@require_POST
def draft_version_create(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The revised text imported again (Markdown or DOCX) as the draft's new version."""
    draft = draft_access(request.user, pk, DraftAction.MANAGE)
    form = DraftVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            created = services.draft_version_import(request.user, draft,
                                                    text=form.cleaned_data["text"],
                                                    docx=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as error:
            _place(form, error)
        else:
            return redirect(f"{reverse('consultation:versions', args=[draft.pk])}"
                            f"?from={created.number - 1}&to={created.number}")  # fmt: skip
    empty = CommentForm(sections=sections_of(draft))
    return _detail(request, draft, empty, version_form=form, status=400)


def _version(value: str | None, default: int, last: int) -> int:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= last else default


@allow(rules.across_agencies)
@require_GET
def draft_versions(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The draft's versions and, section by section, what changed between two of them
    (by default the previous and the current)."""
    draft = draft_access(request.user, pk, DraftAction.SYNTHESIS)
    new = _version(request.GET.get("to"), draft.version, draft.version)
    old = _version(request.GET.get("from"), max(new - 1, 1), draft.version)
    return render(request, "consultation/versions.html", {
        "draft": draft, "versions": versions_of(draft),
        "diff": version_diff(draft, old, new) if old != new else None, "old": old, "new": new,
    })  # fmt: skip


def _import_access(user: User, pk: int) -> CommentImport:
    started = get_object_or_404(CommentImport.objects.select_related("draft"), pk=pk)
    draft_access(user, started.draft_id, DraftAction.MANAGE)
    return started


@allow(rules.administrator)
@require_POST
def identities_erase(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    draft = draft_access(request.user, pk, DraftAction.ERASE_IDENTITIES)
    services.identities_erase(request.user, draft)
    return redirect("consultation:draft", draft.pk)


@allow(rules.office)
@require_POST
def import_resume(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    started = _import_access(request.user, pk)
    services.comment_import_resume(request.user, started)
    return redirect("consultation:draft", started.draft_id)


@allow(rules.office)
@require_GET
def import_rejections(request: rules.SignedInRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows as CSV (UTF-8 with BOM, so that Excel shows Vietnamese): row number
    and reason, streamed."""
    started = _import_access(request.user, pk)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Dòng"), _("Lý do")])
        yield "\ufeff" + buffer.getvalue()
        for row, reason in rejections_of(started).values_list("row", "reason").iterator(2000):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([row, reason])
            yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"dong-bi-tu-choi-{started.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allow(rules.office)
@require_POST
def round_create(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    draft = draft_access(request.user, pk, DraftAction.MANAGE)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            services.round_open(request.user, draft, form.cleaned_data["opens_on"],
                                form.cleaned_data["closes_on"], public=form.cleaned_data["public"])  # fmt: skip
        except ValidationError as error:
            return HttpResponse("; ".join(error.messages), status=400)
        return redirect("consultation:draft", draft.pk)
    return HttpResponse(form.errors.as_text(), status=400)


@allow(rules.across_agencies)
@require_http_methods(["GET", "POST"])
def synthesis(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    draft = draft_access(request.user, pk, DraftAction.SYNTHESIS)
    error, status = "", 200
    if request.method == "POST":
        try:
            _synthesis_action(request.user, draft, request.POST.get("action", ""))
        except ValidationError as refused:
            error, status = " ".join(refused.messages), 409
        except DraftActionRefused as refused:
            if refused.by_role:
                raise
            error, status = str(refused), 409
        else:
            return redirect("consultation:synthesis", draft.pk)
    going = run_going(draft)
    if request.method == "GET" and partial(request):
        return _run_status(request, draft, going)
    actions = draft_actions(request.user, draft, timezone.localdate())
    entries = synthesis_of(draft)
    return render(request, "consultation/synthesis.html", {
        "draft": draft, "entries": entries, "totals": draft_totals(draft),
        "run": SynthesisRun.objects.filter(draft=draft, kind=RunKind.FULL).first(),
        "going": going, "stuck": run_stuck(going),
        "stuck_minutes": settings.CONSULTATION_RUN_STUCK_MINUTES,
        "absorbed": SynthesisRun.objects.filter(draft=draft, kind=RunKind.ABSORB).first(),
        "actions": actions, "error": error,
        "respond_form": RespondForm() if DraftAction.RESPOND in actions else None,
        # the revised section a response points at: one of the current version (no query)
        "current_sections": [e.section for e in entries if e.section and not e.earlier_version],
    }, status=status)  # fmt: skip


def _run_status(request: HttpRequest, draft: Draft, going: SynthesisRun | None) -> HttpResponse:
    """The page's poll while a run is going: the run's progress, or a reload once it has ended
    (the themes, counts and forms are then new)."""
    if going is None:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "consultation/_run_status.html", {
        "draft": draft, "going": going, "stuck": run_stuck(going),
        "run": SynthesisRun.objects.filter(draft=draft, kind=RunKind.FULL).first(),
    })  # fmt: skip


def _synthesis_action(user: User, draft: Draft, action: str) -> None:
    if action == "absorb":
        services.comments_absorb_start(user, draft)
    elif action == "cancel":
        services.synthesis_cancel(user, draft)
    elif action == "resume":
        services.synthesis_resume(user, draft)
    else:
        services.synthesis_start(user, draft)


@allow(rules.office)
@require_POST
def theme_respond(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("draft"), pk=pk)
    draft_access(request.user, theme.draft_id, DraftAction.RESPOND)
    form = RespondForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    try:
        services.theme_respond(request.user, theme, form.cleaned_data["kind"],
                               form.cleaned_data["explanation"],
                               form.cleaned_data["revised_section"])  # fmt: skip
    except ValidationError as error:
        return HttpResponse("; ".join(error.messages), status=400)
    return redirect("consultation:synthesis", theme.draft_id)


@allow(rules.office)
@require_http_methods(["GET", "POST"])
def theme_edit(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Rename a theme, merge it into another of its section, or split some comments off."""
    theme = get_object_or_404(Theme.objects.select_related("draft", "section"), pk=pk)
    draft_access(request.user, theme.draft_id, DraftAction.MANAGE)
    others = Theme.objects.filter(
        Q(section__isnull=True) if theme.section_id is None else Q(section_id=theme.section_id),
        draft_id=theme.draft_id,
    ).exclude(pk=theme.pk)
    elsewhere = (
        Theme.objects.filter(draft_id=theme.draft_id)
        .exclude(pk=theme.pk)
        .select_related("section")
        # the current version's sections first, then earlier versions' (as the synthesis page)
        .order_by(
            F("section__version").desc(nulls_last=True), "section__position", "-weighted_size", "id"
        )
    )
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "rename":
                services.theme_rename(request.user, theme, request.POST.get("label", ""))
            elif action == "merge":
                into = get_object_or_404(others, pk=request.POST.get("into") or 0)
                services.theme_merge(request.user, theme, into)
                return redirect(f"{reverse('consultation:synthesis', args=[theme.draft_id])}"
                                f"#theme-{into.pk}")  # fmt: skip
            elif action == "split":
                ids = [int(v) for v in request.POST.getlist("comments") if v.isdigit()]
                services.theme_split(request.user, theme, ids, request.POST.get("label", ""))
            elif action == "move":
                into = get_object_or_404(elsewhere, pk=request.POST.get("into") or 0)
                moved = get_object_or_404(Comment, theme=theme, pk=request.POST.get("comment") or 0)
                services.comment_move(request.user, moved, into)
            return redirect("consultation:theme", theme.pk)
        except ValidationError as refused:
            error, status = " ".join(refused.messages), 400
    return render(request, "consultation/theme.html", {
        "theme": theme, "others": others, "error": error, "elsewhere": elsewhere[:300],
        "members": Comment.objects.filter(theme=theme, campaign__isnull=True).order_by("pk")[:200],
    }, status=status)  # fmt: skip


@allow(rules.across_agencies)
@require_GET
def report(request: rules.SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    draft = draft_access(request.user, pk, DraftAction.EXPORT)
    content, kind = (report_docx(draft), DOCX) if fmt == "docx" else (report_xlsx(draft), XLSX)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{draft.pk}.{fmt}"'
    return response


# The public page -----------------------------------------------------------------------------


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@public
@require_http_methods(["GET", "POST"])
def public_comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = public_round(pk, timezone.localdate())
    sections = sections_of(found.draft)
    form = PublicCommentForm(request.POST or None, sections=sections)
    sent, status = False, 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        data = form.cleaned_data
        device = request.COOKIES.get("dondoc_device", "")
        if not intake.proof_valid(data["challenge"], data["nonce"] or ""):
            form.add_error(None, _("Trình duyệt chưa hoàn tất bước xác minh chống gửi tự động. "
                                   "Hãy gửi lại."))  # fmt: skip
            status = 400
        elif not intake.allowed(_address(request), device):
            form.add_error(None, _("Bạn đã gửi quá nhiều ý kiến trong một giờ. Hãy thử lại sau."))
            status = 429
        else:
            try:
                services.comment_submit_public(
                    found.draft_id, data["stance"], data["text"], data["category"],
                    section_id=data["section"].pk if data["section"] else None,
                    full_name=data["full_name"], phone=data["phone"],
                )  # fmt: skip
            except ValidationError as error:
                _place(form, error)
                status = 400
            else:
                sent, form = True, PublicCommentForm(sections=sections)
    response = render(request, "consultation/public.html", {
        "round": found, "draft": found.draft, "sections": sections, "form": form, "sent": sent,
        "digits": intake.digits(), "challenge": intake.challenge_new(),
    }, status=status)  # fmt: skip
    if not request.COOKIES.get("dondoc_device"):
        response.set_cookie("dondoc_device", intake.challenge_new()[:24], max_age=31536000,
                            httponly=True, samesite="Lax")  # fmt: skip
    return response
