"""The congress pages: thin doors over `congress.access`, `congress.selectors` and
`congress.services`. Each view fetches through the access rule, calls one service or selector
and renders; a refusal by the object's state comes back as a message above the page."""

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Choices, Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.congress import selectors, services
from dondoc.congress.access import (
    CongressAction,
    CongressActionRefused,
    DelegateAction,
    SpeechAction,
    agenda_document_access,
    check_congress_action,
    congress_access,
    congress_actions,
    congresses_visible_to,
    delegate_access,
    delegate_actions,
    delegates_visible_to,
    delegation_speeches_access,
    guest_access,
    guests_visible_to,
    new_speech_facts,
    own_delegate_access,
    own_delegates,
    own_delegations,
    press_access,
    press_visible_to,
    published_agenda_access,
    speech_access,
    speech_actions,
    speech_refusal,
    speech_role_actions,
)
from dondoc.congress.badges import badges_pdf, cards_pdf, guest_card, press_card
from dondoc.congress.chart import seat_rects
from dondoc.congress.chart_pdf import chart_pdf
from dondoc.congress.forms import (
    BoardTaskForm,
    GuestForm,
    PressForm,
    ProposalForm,
    SpeechForm,
    StructureForm,
    parse_items,
    parse_topics,
)
from dondoc.congress.models import (
    AgendaItem,
    Congress,
    Credentials,
    DelegateStanding,
    Delegation,
    DelegationKind,
    GuestKind,
    GuestReply,
    PressRole,
    PressState,
    SeatStatus,
    Speech,
    SpeechMode,
    SpeechState,
)
from dondoc.congress.report import credentials_report_docx
from dondoc.congress.seatmap import pretix_plan
from dondoc.core.access import allow

PAGE_SIZE = 100


def _choices(choices: type[Choices]) -> list[tuple[str, str]]:
    """A choice list with its labels translated once (not once per row of a page)."""
    return [(value, str(label)) for value, label in choices.choices]


def _labelled(page: Page[Any], **fields: type[Choices]) -> Page[Any]:
    """Give each row of `page` a `<field>_label` for each named choice field, each label
    translated once per request: `get_<field>_display` per row was a third of a 100-row page."""
    labels = {field: dict(_choices(choices)) for field, choices in fields.items()}
    rows = list(page.object_list)
    for row in rows:
        for field, names in labels.items():
            setattr(row, f"{field}_label", names.get(getattr(row, field), ""))
    page.object_list = rows
    return page


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _refusal_message(request: rules.SignedInRequest, error: Exception) -> None:
    """A refused or invalid action, told to the user on the next page."""
    if isinstance(error, ValidationError):
        messages.error(request, _messages_of(error))
    else:
        messages.error(request, str(error))


@allow(rules.signed_in)
@require_GET
def congress_list(request: rules.SignedInRequest) -> HttpResponse:
    congresses = congresses_visible_to(request.user)
    mine = own_delegates(request.user).select_related("congress")
    led = own_delegations(request.user).select_related("congress")
    context = {"congresses": congresses, "mine": mine, "led": led}
    return render(request, "congress/list.html", context)


@allow(rules.signed_in)
@require_GET
def congress_detail(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    now = timezone.localtime()
    sessions = congress.sessions.prefetch_related(
        Prefetch("items", queryset=AgendaItem.objects.order_by("position"))
    )
    session = selectors.current_session(congress, now.date(), now.hour)
    readiness = selectors.congress_readiness(congress, now.date())
    boards = selectors.board_progress(congress, now.date())
    context = {
        "congress": congress,
        "actions": congress_actions(request.user, congress, now.date()),
        "readiness": readiness,
        "credentials": selectors.credentials_labelled(readiness.credentials),
        "sessions": sessions,
        "attendance": selectors.attendance(congress, session) if session else None,
        "boards": boards,
        "boards_overall": selectors.boards_overall(boards),
    }
    return render(request, "congress/detail.html", context)


@allow(rules.administrator)
@require_POST
def personal_data_erase(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk, CongressAction.ERASE_PERSONAL_DATA)
    services.personal_data_erase_now(request.user, congress)
    messages.success(request, _("Đã xóa dữ liệu cá nhân của những người dự đại hội."))
    return redirect("congress:detail", congress.pk)


@allow(rules.signed_in)
@require_GET
def delegate_list(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    q, credentials = request.GET.get("q", "").strip(), request.GET.get("credentials", "")
    if credentials not in Credentials.values:
        credentials = ""
    delegates = selectors.delegates_matching(
        delegates_visible_to(request.user, congress), q, credentials
    )
    context = {
        "congress": congress,
        "page": _labelled(
            Paginator(delegates, PAGE_SIZE).get_page(request.GET.get("page")),
            standing=DelegateStanding,
            credentials=Credentials,
        ),
        "q": q,
        "credentials": credentials,
        "states": _choices(Credentials),
        "photos_waiting": selectors.photos_waiting(congress)
        if CongressAction.MANAGE in congress_actions(request.user, congress, timezone.localdate())
        else [],
    }
    return render(request, "congress/delegates.html", context)


@allow(rules.signed_in)
@require_GET
def delegate_detail(request: rules.SignedInRequest, pk: int, delegate_pk: int) -> HttpResponse:
    """A delegate; their personal data only when asked for (`?profile=1`), each read audited."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    actions = delegate_actions(request.user, delegate, timezone.localdate())
    profile = None
    if request.GET.get("profile") and DelegateAction.VIEW_PROFILE in actions:
        profile = services.delegate_profile_read(request.user, delegate)
    assignment = getattr(delegate, "seat_assignment", None)
    seat = getattr(assignment, "seat", None)
    context = {
        "pinned": bool(assignment and assignment.pinned),
        "congress": delegate.congress,
        "delegate": delegate,
        "actions": actions,
        "profile": profile,
        "seat": seat,
        "decisions": [c for c in _choices(Credentials) if c[0] != Credentials.PENDING],
        "can_link": CongressAction.MANAGE
        in congress_actions(request.user, delegate.congress, timezone.localdate()),
        "can_move": CongressAction.SEAT
        in congress_actions(request.user, delegate.congress, timezone.localdate()),
        "has_photo": hasattr(delegate, "photo"),
        "photo_pending": selectors.photo_pending(delegate),
    }
    return render(request, "congress/delegate.html", context)


@allow(rules.signed_in)
@require_POST
def delegate_photo_upload(
    request: rules.SignedInRequest, pk: int, delegate_pk: int
) -> HttpResponse:
    """The secretariat sends a delegate's badge photo (JPEG or PNG)."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError(_("Chọn tệp ảnh (JPEG hoặc PNG)."))
        services.delegate_photo_set(request.user, delegate, upload)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã lưu ảnh của đại biểu."))
    return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)


@allow(rules.signed_in)
@require_POST
def delegate_photo_remove(
    request: rules.SignedInRequest, pk: int, delegate_pk: int
) -> HttpResponse:
    """The secretariat removes a delegate's badge photo (the file too)."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    try:
        removed = services.delegate_photo_remove(request.user, delegate)
    except CongressActionRefused as error:
        _refusal_message(request, error)
    else:
        if removed:
            messages.success(request, _("Đã xóa ảnh của đại biểu."))
    return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)


def _private_jpeg(photo: bytes) -> HttpResponse:
    """A delegate's photo: personal data, never kept by a browser or a proxy."""
    response = HttpResponse(photo, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@allow(rules.signed_in)
@require_GET
def delegate_photo(request: rules.SignedInRequest, pk: int, delegate_pk: int) -> HttpResponse:
    """The photo, to whoever may read the delegate's personal data; each read audited."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    photo = services.delegate_photos_read(request.user, [delegate]).get(delegate.pk)
    if photo is None:
        raise Http404
    return _private_jpeg(photo)


@allow(rules.signed_in)
@require_GET
def delegate_photo_pending(
    request: rules.SignedInRequest, pk: int, delegate_pk: int
) -> HttpResponse:
    """The photo a delegate sent, waiting for approval: to whoever may read their photo; each
    read audited."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    try:
        photo = services.delegate_photo_request_read(request.user, delegate)
    except CongressActionRefused as error:
        raise Http404 from error
    if photo is None:
        raise Http404
    return _private_jpeg(photo)


@allow(rules.signed_in)
@require_POST
def delegate_photo_review(
    request: rules.SignedInRequest, pk: int, delegate_pk: int
) -> HttpResponse:
    """The secretariat approves the photo a delegate sent (the badge prints it) or refuses it
    with a reason (told to the delegate)."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.delegate_photo_review(
            request.user,
            delegate,
            approve,
            request.POST.get("reason", ""),
            seen=request.POST.get("photo", ""),
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Đã duyệt ảnh: thẻ đại biểu in ảnh này.")
            if approve
            else _("Đã không duyệt ảnh; đại biểu được báo lý do."),
        )
    return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)


@allow(rules.signed_in)
@require_POST
def delegate_link(request: rules.SignedInRequest, pk: int, delegate_pk: int) -> HttpResponse:
    """Link a delegate to an account by its username (empty: unlink)."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    username = request.POST.get("username", "").strip()
    account = User.objects.filter(username=username, is_active=True).first() if username else None
    if username and account is None:
        messages.error(request, _("Không có tài khoản %(username)s.") % {"username": username})
        return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)
    try:
        services.delegate_link_user(request.user, delegate, account)
    except CongressActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã ghi tài khoản của đại biểu."))
    return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)


@allow(rules.signed_in)
@require_POST
def credentials_decide(request: rules.SignedInRequest, pk: int, delegate_pk: int) -> HttpResponse:
    delegate = delegate_access(request.user, pk, delegate_pk, DelegateAction.DECIDE_CREDENTIALS)
    try:
        services.credentials_decide(
            request.user, delegate, request.POST.get("decision", ""), request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            _("Đã ghi quyết định thẩm tra tư cách đại biểu %(name)s.")
            % {"name": delegate.full_name},
        )
    if request.POST.get("back") == "delegate":
        return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)
    return redirect("congress:credentials", pk=pk)


@allow(rules.signed_in)
@require_GET
def credentials_review(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The delegates awaiting the credentials board: pending or questioned."""
    congress = congress_access(request.user, pk, CongressAction.CREDENTIALS_REPORT)
    waiting = (
        delegates_visible_to(request.user, congress)
        .filter(credentials__in=[Credentials.PENDING, Credentials.QUESTIONED])
        .exclude(standing=DelegateStanding.REPLACED)
        .select_related("delegation")
        .order_by("delegation__protocol_order", "full_name", "pk")
    )
    context = {
        "congress": congress,
        "page": _labelled(
            Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page")),
            credentials=Credentials,
        ),
        "composition": selectors.composition(congress),
        "decisions": [c for c in _choices(Credentials) if c[0] != Credentials.PENDING],
        "can_decide": CongressAction.DECIDE_CREDENTIALS
        in congress_actions(request.user, congress, timezone.localdate()),
    }
    return render(request, "congress/credentials.html", context)


@allow(rules.signed_in)
@require_GET
def credentials_report(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The credentials report (báo cáo thẩm tra tư cách đại biểu) as DOCX."""
    congress = congress_access(request.user, pk, CongressAction.CREDENTIALS_REPORT)
    today = timezone.localdate()
    counts = selectors.credentials_labelled(
        selectors.congress_readiness(congress, today).credentials
    )
    body = credentials_report_docx(congress, counts, selectors.composition(congress), today)
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tham-tra-{congress.pk}.docx"'
    return response


@allow(rules.signed_in)
@require_GET
def seating_chart(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    seats, width, height = selectors.seating_chart(congress)
    context = {
        "congress": congress,
        "seats": bool(seats),
        "rects": seat_rects(seats),
        "width": width,
        "height": height,
        "can_seat": CongressAction.SEAT
        in congress_actions(request.user, congress, timezone.localdate()),
        "delegations": congress.delegations.all(),
        "can_manage": CongressAction.MANAGE
        in congress_actions(request.user, congress, timezone.localdate()),
        "seat_statuses": _choices(SeatStatus),
    }
    return render(request, "congress/seating.html", context)


@allow(rules.signed_in)
@require_POST
def seat_edit(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """One seat out of use, reserved or open again; accessible or not."""
    congress = congress_access(request.user, pk, CongressAction.MANAGE)
    label = request.POST.get("seat", "")
    seat = selectors.seat_labelled(congress, label)
    accessible = {"1": True, "0": False}.get(request.POST.get("accessible", ""))
    try:
        if seat is None:
            raise ValidationError(_("Không có ghế «%(seat)s» trong hội trường.") % {"seat": label})
        services.seat_mark(request.user, seat, request.POST.get("status") or None, accessible)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã ghi ghế %(seat)s.") % {"seat": seat})
    return redirect("congress:seating", pk=pk)


def _whole_range(text: str) -> tuple[int, int] | None:
    """`3` or `3-5` (either order): a range of rows or seat numbers."""
    first, _dash, last = text.strip().partition("-")
    last = last or first
    if not (first.strip().isdigit() and last.strip().isdigit()):
        return None
    return int(first), int(last)


@allow(rules.signed_in)
@require_POST
def seats_assign_block(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Seat a delegation in a block of seats (a section, rows, seat numbers), all or nothing."""
    congress = congress_access(request.user, pk, CongressAction.SEAT)
    rows = _whole_range(request.POST.get("rows", ""))
    numbers = _whole_range(request.POST.get("numbers", ""))
    delegation = congress.delegations.filter(code=request.POST.get("delegation", "")).first()
    try:
        if rows is None or numbers is None:
            raise ValidationError(_("Ghi hàng và ghế bằng số, ví dụ hàng 3-5, ghế 1-12."))
        if delegation is None:
            raise ValidationError(_("Chọn đoàn cần xếp vào khối ghế."))
        block = services.SeatBlock(request.POST.get("section", "").strip(), rows, numbers)
        result = services.seats_assign_block(request.user, congress, block, delegation=delegation)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        text = _("Đã xếp %(seated)d đại biểu của %(delegation)s vào %(block)s (đã ghim).") % {
            "seated": result.seated,
            "delegation": delegation.name,
            "block": block,
        }
        if result.displaced:
            text += " " + _(
                "%(n)d đại biểu khác phải nhường ghế, lần xếp chỗ tự động sau sẽ xếp lại."
            ) % {"n": result.displaced}
        if result.kept_pinned:
            text += " " + _("%(n)d đại biểu của đoàn đã ghim ở ghế khác, giữ nguyên.") % {
                "n": result.kept_pinned
            }
        messages.success(request, text)
    return redirect("congress:seating", pk=pk)


@allow(rules.signed_in)
@require_POST
def delegate_move(request: rules.SignedInRequest, pk: int, delegate_pk: int) -> HttpResponse:
    """Move one delegate to the seat typed (`A-3-12`)."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    label = request.POST.get("seat", "")
    seat = selectors.seat_labelled(delegate.congress, label)
    try:
        if seat is None:
            raise ValidationError(_("Không có ghế «%(seat)s» trong hội trường.") % {"seat": label})
        services.delegate_move(request.user, delegate, seat)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Đã chuyển %(name)s sang ghế %(seat)s.") % {"name": delegate.full_name, "seat": seat},
        )
    return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)


@allow(rules.signed_in)
@require_POST
def delegate_unpin(request: rules.SignedInRequest, pk: int, delegate_pk: int) -> HttpResponse:
    """Let the next automatic seating move a delegate seated by hand (bỏ ghim)."""
    delegate = delegate_access(request.user, pk, delegate_pk)
    try:
        unpinned = services.delegate_unpin(request.user, delegate)
    except CongressActionRefused as error:
        _refusal_message(request, error)
    else:
        if unpinned:
            messages.success(
                request,
                _("Đã bỏ ghim: lần xếp chỗ tự động sau có thể chuyển %(name)s sang ghế khác.")
                % {"name": delegate.full_name},
            )
    return redirect("congress:delegate", pk=pk, delegate_pk=delegate_pk)


@allow(rules.signed_in)
@require_GET
def seating_chart_pdf(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The chart to print: the whole hall, or one delegation's seats (`?delegation=CODE`)."""
    congress = congress_access(request.user, pk)
    code = request.GET.get("delegation", "")
    only = get_object_or_404(congress.delegations, code=code).name if code else ""
    seats, width, height = selectors.seating_chart(congress)
    response = HttpResponse(
        chart_pdf(congress, seats, width, height, only), content_type="application/pdf"
    )
    name = f"so-do-cho-ngoi-{congress.pk}{'-' + code if code else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allow(rules.signed_in)
@require_GET
def seating_plan_json(request: rules.SignedInRequest, pk: int) -> JsonResponse:
    """The hall's layout as a pretix seating plan (`congress/seatmap.py`), to download."""
    congress = congress_access(request.user, pk)
    plan = pretix_plan(congress.name, selectors.hall_seats(congress))
    response = JsonResponse(plan, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="so-do-hoi-truong-{congress.pk}.json"'
    return response


@allow(rules.signed_in)
@require_POST
def hall_import(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """A hall's seat plan from a CSV or XLSX file; every problem listed with its line."""
    congress = congress_access(request.user, pk, CongressAction.MANAGE)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Chọn tệp sơ đồ ghế (CSV hoặc XLSX)."))
        return redirect("congress:seating", pk=pk)
    try:
        count = services.hall_import(request.user, congress, upload.name or "", upload)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except CongressActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã nhập sơ đồ hội trường: %(n)d ghế.") % {"n": count})
    return redirect("congress:seating", pk=pk)


@allow(rules.signed_in)
@require_POST
def seating_solve(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk, CongressAction.SEAT)
    try:
        result = services.seating_solve(request.user, congress)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            _(
                "Đã xếp chỗ cho %(seated)d đại biểu; %(moves)d đại biểu phải đổi chỗ; "
                "%(guests)d khách mời, %(press)d phóng viên."
            )
            % {
                "seated": result.seated,
                "moves": result.moves,
                "guests": result.guests,
                "press": result.press,
            },
        )
    return redirect("congress:seating", pk=pk)


@allow(rules.signed_in)
@require_GET
def badges(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk, CongressAction.BADGES)
    who = request.GET.get("who")
    if who in ("guests", "press"):
        return _visitor_badges(request, congress, who)
    delegates = (
        delegates_visible_to(request.user, congress)
        .exclude(standing=DelegateStanding.REPLACED)
        .select_related("delegation", "seat_assignment__seat")
        .order_by("delegation__protocol_order", "full_name", "pk")
    )
    delegation = request.GET.get("delegation")
    if delegation:
        delegates = delegates.filter(delegation__code=delegation)
    listed = list(delegates)
    seats = {d.pk: str(d.seat_assignment.seat) for d in listed if hasattr(d, "seat_assignment")}
    photos = services.delegate_photos_read(request.user, listed)
    response = HttpResponse(
        badges_pdf(congress, listed, seats, photos), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="the-dai-bieu-{congress.pk}.pdf"'
    return response


def _visitor_badges(request: rules.SignedInRequest, congress: Congress, who: str) -> HttpResponse:
    """The badges of the guests who accepted, or of the approved press passes."""
    if who == "guests":
        guests = guests_visible_to(request.user, congress).filter(reply=GuestReply.ACCEPTED)
        cards = [guest_card(g) for g in guests.order_by("protocol_rank", "full_name", "pk")]
    else:
        passes = press_visible_to(request.user, congress).filter(state=PressState.APPROVED)
        cards = [press_card(p) for p in passes.order_by("outlet", "full_name", "pk")]
    response = HttpResponse(cards_pdf(congress, cards), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="the-{who}-{congress.pk}.pdf"'
    return response


@allow(rules.signed_in)
@require_GET
def checkin_page(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The entrance's page, for a phone or a tablet: the camera reads the badge's QR code; scans
    made offline wait in the browser and are sent when the network is back."""
    congress = congress_access(request.user, pk, CongressAction.CHECK_IN)
    now = timezone.localtime()
    session = selectors.current_session(congress, now.date(), now.hour)
    context = {
        "congress": congress,
        "sessions": congress.sessions.all(),
        "session": session,
        "attendance": selectors.attendance(congress, session) if session else None,
    }
    return render(request, "congress/checkin.html", context)


@allow(rules.signed_in)
@require_POST
def checkin_scan(request: rules.SignedInRequest, pk: int) -> JsonResponse:
    """One scan, as JSON: `{"token": ..., "session": id}`. Answers `created` true for a new
    check-in and false for one already recorded (a replayed scan counts once)."""
    congress = congress_access(request.user, pk, CongressAction.CHECK_IN)
    try:
        body = json.loads(request.body or b"{}")
        session = get_object_or_404(congress.sessions, pk=int(body.get("session", 0)))
        result = services.checkin_record(
            request.user, congress, session, str(body.get("token", ""))
        )
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": _("Yêu cầu không hợp lệ.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": _messages_of(error)}, status=400)
    except CongressActionRefused as refused:
        return JsonResponse({"error": str(refused), "code": refused.code}, status=409)
    present = selectors.attendance(congress, session)
    return JsonResponse(
        {
            "created": result.created,
            "holder": result.holder,
            "name": result.name,
            "delegation": result.affiliation,
            "present": present.present,
            "quorum": present.quorum,
            "expected": present.expected,
        }
    )


# Guests and press ---------------------------------------------------------------------------


def _form_errors(form: forms.Form) -> str:
    return " ".join(
        f"{form.fields[field].label}: {' '.join(str(e) for e in errors)}"
        for field, errors in form.errors.items()
    )


@allow(rules.signed_in)
@require_GET
def guest_list(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    guests = selectors.guests_listed(guests_visible_to(request.user, congress))
    context = {
        "congress": congress,
        "page": _labelled(
            Paginator(guests, PAGE_SIZE).get_page(request.GET.get("page")),
            kind=GuestKind,
            reply=GuestReply,
        ),
        "can": selectors.visitor_permissions(request.user, congress),
        "form": GuestForm(),
        "replies": _choices(GuestReply),
        "counts": selectors.guest_counts(congress),
    }
    return render(request, "congress/guests.html", context)


@allow(rules.signed_in)
@require_POST
def guest_invite(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    form = GuestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("congress:guests", pk=pk)
    try:
        guest = services.guest_invite(
            request.user, congress, services.GuestData(**form.cleaned_data)
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã mời %(name)s.") % {"name": guest.full_name})
    return redirect("congress:guests", pk=pk)


@allow(rules.signed_in)
@require_POST
def guest_reply(request: rules.SignedInRequest, pk: int, guest_pk: int) -> HttpResponse:
    guest = guest_access(request.user, pk, guest_pk)
    try:
        services.guest_reply(request.user, guest, request.POST.get("reply", ""))
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Đã ghi trả lời của %(name)s: %(reply)s.")
            % {"name": guest.full_name, "reply": guest.get_reply_display()},
        )
    return redirect("congress:guests", pk=pk)


@allow(rules.signed_in)
@require_GET
def press_list(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    passes = selectors.press_listed(press_visible_to(request.user, congress))
    page = _labelled(
        Paginator(passes, PAGE_SIZE).get_page(request.GET.get("page")),
        role=PressRole,
        state=PressState,
    )
    cards = services.press_cards_read(request.user, congress, list(page.object_list))
    for press in page.object_list:
        press.card_shown = cards.get(press.pk, "")
    context = {
        "congress": congress,
        "page": page,
        "can": selectors.visitor_permissions(request.user, congress),
        "form": PressForm(initial={"press_centre": True}),
        "counts": selectors.press_counts(congress),
    }
    return render(request, "congress/press.html", context)


@allow(rules.signed_in)
@require_POST
def press_request(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk)
    form = PressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("congress:press", pk=pk)
    try:
        press = services.press_request(
            request.user, congress, services.PressData(**form.cleaned_data)
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request, _("Đã ghi đề nghị cấp thẻ cho %(name)s.") % {"name": press.full_name}
        )
    return redirect("congress:press", pk=pk)


@allow(rules.signed_in)
@require_POST
def press_decide(request: rules.SignedInRequest, pk: int, press_pk: int) -> HttpResponse:
    press = press_access(request.user, pk, press_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.press_decide(request.user, press, approve, request.POST.get("reason", ""))
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Đã ghi quyết định cấp thẻ cho %(name)s: %(state)s.")
            % {"name": press.full_name, "state": press.get_state_display()},
        )
    return redirect("congress:press", pk=pk)


# Agenda and speeches ------------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def agenda(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The agenda with each session's speeches; the secretariat revises it (every revision
    kept) and registers, selects and orders the speeches."""
    congress = congress_access(request.user, pk)
    role = speech_role_actions(request.user, congress)
    open_now = timezone.localdate() <= congress.closes_on
    plans = selectors.agenda_plan(congress)
    structure = selectors.speech_structure_check(congress)
    shares = structure.shares if structure is not None else {}
    if structure is not None:
        _mark_structure_full(structure, plans)
    context = {
        "congress": congress,
        "plans": plans,
        "structure": structure,
        "counts": selectors.speech_counts(congress),
        "revisions": selectors.agenda_revisions(congress),
        "published": next(iter(selectors.agenda_publications(congress, limit=1)), None),
        "can_edit": SpeechAction.EDIT in role and open_now,
        "can_decide": SpeechAction.DECIDE in role and open_now,
        "can_plan": SpeechAction.PLAN in role and open_now,
        "kinds": [
            (value, label, shares[value].percent if value in shares else "")
            for value, label in _choices(DelegationKind)
        ],
        "can_revise": CongressAction.MANAGE
        in congress_actions(request.user, congress, timezone.localdate()),
        "delegations": congress.delegations.all() if open_now else [],
        "modes": _choices(SpeechMode),
    }
    return render(request, "congress/agenda.html", context)


def _mark_structure_full(
    structure: selectors.StructureCheck, plans: list[selectors.SessionPlan]
) -> None:
    """Each proposed oral speech learns which lines of the structure selecting it would push
    over (`structure_full`), so the reviewer sees it before deciding."""
    for plan in plans:
        for speech in plan.proposed:
            full = (
                structure.full_for(speech.topic, speech.delegation.kind)
                if speech.mode == SpeechMode.ORAL
                else []
            )
            speech.structure_full = ", ".join(  # type: ignore[attr-defined]
                f"{line.label} ({line.selected}/{line.target})" for line in full
            )


@allow(rules.signed_in)
@require_POST
def speech_structure_set(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The structure of speeches the leadership set, recorded by the secretariat."""
    congress = congress_access(request.user, pk)
    form = StructureForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        data = services.StructureData(
            form.cleaned_data["total"],
            parse_topics(form.cleaned_data["topics"]),
            form.shares(),
            form.cleaned_data["note"],
        )
        services.speech_structure_set(request.user, congress, data)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã ghi cơ cấu tham luận."))
    return redirect("congress:agenda", pk=pk)


def _speech_data(
    congress: Congress, delegation: Delegation, data: dict[str, Any]
) -> services.SpeechData:
    """The proposal's session, agenda item and speaker, found in the congress (the service
    checks that they fit together)."""
    session = congress.sessions.filter(pk=data["session"]).first()
    if session is None:
        raise ValidationError(_("Phiên họp không thuộc đại hội này."))
    item = None
    if data.get("agenda_item"):
        item = AgendaItem.objects.filter(session__congress=congress, pk=data["agenda_item"]).first()
        if item is None:
            raise ValidationError(_("Mục chương trình không thuộc đại hội này."))
    speaker = None
    if data.get("speaker"):
        speaker = congress.delegates.filter(pk=data["speaker"]).first()
        if speaker is None:
            raise ValidationError(_("Người trình bày không phải đại biểu của đại hội này."))
    return services.SpeechData(
        session,
        delegation,
        data["topic"],
        data["summary"],
        data["mode"],
        speaker,
        data["minutes"],
        data.get("title") or "",
        item,
    )


@allow(rules.signed_in)
@require_POST
def speech_register(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The secretariat registers a speech for a delegation (from the agenda page)."""
    congress = congress_access(request.user, pk)
    form = SpeechForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        delegation = get_object_or_404(congress.delegations, pk=form.cleaned_data["delegation"])
        speech = services.speech_register(
            request.user,
            congress,
            _speech_data(congress, delegation, form.cleaned_data),
            form.cleaned_data["document"],
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã đăng ký tham luận «%(topic)s».") % {"topic": speech.title})
    return redirect("congress:agenda", pk=pk)


@allow(rules.signed_in)
@require_POST
def speech_decide(request: rules.SignedInRequest, pk: int, speech_pk: int) -> HttpResponse:
    """Select, refuse or send back a proposed speech (the secretariat or the documents board)."""
    speech = speech_access(request.user, pk, speech_pk)
    try:
        services.speech_decide(
            request.user,
            speech,
            request.POST.get("decision", ""),
            request.POST.get("reason", ""),
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Tham luận «%(topic)s»: %(state)s.")
            % {"topic": speech.title or speech.topic, "state": speech.get_state_display()},
        )
        _warn_structure_over(request, speech)
    return redirect("congress:agenda", pk=pk)


def _warn_structure_over(request: rules.SignedInRequest, speech: Speech) -> None:
    """After selecting an oral speech: the lines of the structure it went past, if any."""
    if speech.state != SpeechState.APPROVED or speech.mode != SpeechMode.ORAL:
        return
    structure = selectors.speech_structure_check(speech.session.congress)
    if structure is None:
        return
    lines = [x for x in structure.lines_for(speech.topic, speech.delegation.kind) if x.over]
    if lines:
        messages.warning(
            request,
            _("Lựa chọn đã vượt cơ cấu tham luận: %(lines)s.")
            % {"lines": ", ".join(f"{x.label} ({x.selected}/{x.target})" for x in lines)},
        )


@allow(rules.signed_in)
@require_POST
def speech_order(request: rules.SignedInRequest, pk: int, session_pk: int) -> HttpResponse:
    """The order form: a position and minutes for each selected oral speech of the session."""
    congress = congress_access(request.user, pk)
    session = get_object_or_404(congress.sessions.select_related("congress"), pk=session_pk)
    try:
        ids = [key.removeprefix("minutes-") for key in request.POST if key.startswith("minutes-")]
        rows = sorted(
            (int(request.POST[f"position-{i}"]), int(i), int(request.POST[f"minutes-{i}"]))
            for i in ids
        )
        services.speech_order(request.user, session, [(pk_, m) for _pos, pk_, m in rows])
    except (KeyError, ValueError):
        messages.error(request, _("Thứ tự và thời gian phải là số."))
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request, _("Đã sắp thứ tự tham luận của phiên %(session)s.") % {"session": session}
        )
    return redirect("congress:agenda", pk=pk)


@allow(rules.signed_in)
@require_POST
def agenda_revise(request: rules.SignedInRequest, pk: int, session_pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk, CongressAction.MANAGE)
    session = get_object_or_404(congress.sessions.select_related("congress"), pk=session_pk)
    try:
        items = parse_items(request.POST.get("items", ""))
        revision = services.agenda_revise(
            request.user, session, items, request.POST.get("note", "")
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request, _("Đã ghi lần sửa chương trình thứ %(n)d.") % {"n": revision.number}
        )
    return redirect("congress:agenda", pk=pk)


@allow(rules.signed_in)
@require_POST
def agenda_publish(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Publish the agenda to the delegates (again: with the reason, announced to them)."""
    congress = congress_access(request.user, pk, CongressAction.MANAGE)
    try:
        publication = services.agenda_publish(request.user, congress, request.POST.get("note", ""))
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        text = _("Đã công bố chương trình lần %(n)d.") % {"n": publication.number}
        if publication.number > 1:
            text += " " + _(
                "Đã báo thay đổi cho %(told)d đại biểu liên quan (theo nội dung thay đổi)."
            ) % {"told": publication.notified}
        messages.success(request, text)
    return redirect("congress:agenda", pk=pk)


@allow(rules.signed_in)
@require_POST
def agenda_document_upload(request: rules.SignedInRequest, pk: int, item_pk: int) -> HttpResponse:
    congress = congress_access(request.user, pk, CongressAction.MANAGE)
    item = get_object_or_404(
        AgendaItem.objects.select_related("session__congress"),
        session__congress=congress,
        pk=item_pk,
    )
    document = request.FILES.get("document")
    try:
        if document is None:
            raise ValidationError(_("Chọn tệp tài liệu."))
        services.agenda_document_attach(request.user, item, document)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã lưu tài liệu «%(name)s».") % {"name": item.document_name})
    return redirect("congress:agenda", pk=pk)


@allow(rules.signed_in)
@require_GET
def agenda_document(request: rules.SignedInRequest, pk: int, item_pk: int) -> FileResponse:
    """An agenda item's document, to whoever may see the agenda (a delegate: the published
    one)."""
    document = agenda_document_access(request.user, pk, item_pk)
    opened = selectors.agenda_document(document)
    if opened is None:
        raise Http404
    return FileResponse(opened, as_attachment=True, filename=document.name)


# A delegate's own view ----------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def delegate_me(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """What a delegate sees of their congress: their seat, their badge, the agenda, and the
    latest change to it."""
    me = own_delegate_access(request.user, pk)
    seat = getattr(getattr(me, "seat_assignment", None), "seat", None)
    agenda = published_agenda_access(request.user, pk)
    context = {
        "congress": me.congress,
        "me": me,
        "seat": seat,
        "published": agenda.latest,
        "published_sessions": agenda.sessions,
        "changes": agenda.history,
        "photo_pending": selectors.photo_pending(me),
        "has_photo": selectors.photo_exists(me),
    }
    return render(request, "congress/me.html", context)


@allow(rules.signed_in)
@require_POST
def delegate_me_photo(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """A delegate sends a badge photo of themselves; the secretariat approves it."""
    me = own_delegate_access(request.user, pk)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError(_("Chọn tệp ảnh (JPEG hoặc PNG)."))
        services.delegate_photo_propose(request.user, me, upload)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã gửi ảnh. Ảnh được in trên thẻ sau khi Ban Tổ chức duyệt."))
    return redirect("congress:me", pk=pk)


@allow(rules.signed_in)
@require_GET
def delegate_me_badge(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    me = own_delegate_access(request.user, pk)
    seat = getattr(getattr(me, "seat_assignment", None), "seat", None)
    photos = services.delegate_photos_read(request.user, [me])
    body = badges_pdf(me.congress, [me], {me.pk: str(seat)} if seat else {}, photos)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="the-dai-bieu-{me.pk}.pdf"'
    return response


# A delegation's speeches --------------------------------------------------------------------


@allow(rules.signed_in)
@require_GET
def delegation_speeches(
    request: rules.SignedInRequest, pk: int, delegation_pk: int
) -> HttpResponse:
    """A delegation's speeches: its head or secretary proposes them and amends those sent back;
    the reviewers' decisions and notes; the secretariat names the head and the secretary."""
    delegation = delegation_speeches_access(request.user, pk, delegation_pk)
    congress = delegation.congress
    today = timezone.localdate()
    speeches = selectors.delegation_speeches(delegation)
    for speech in speeches:
        speech.can_edit = SpeechAction.EDIT in speech_actions(  # type: ignore[attr-defined]
            request.user, speech, today
        )
    facts = new_speech_facts(congress, delegation)
    structure = selectors.speech_structure_check(congress)
    context = {
        "congress": congress,
        "delegation": delegation,
        "speeches": speeches,
        "can_propose": speech_refusal(request.user, congress, facts, SpeechAction.EDIT) is None,
        "can_manage": CongressAction.MANAGE in congress_actions(request.user, congress, today),
        "sees_congress": congresses_visible_to(request.user).filter(pk=congress.pk).exists(),
        "sessions": congress.sessions.prefetch_related("items"),
        "speakers": selectors.delegation_speakers(delegation),
        "topics": list(structure.topics.values()) if structure is not None else [],
        "modes": _choices(SpeechMode),
    }
    return render(request, "congress/delegation.html", context)


@allow(rules.signed_in)
@require_POST
def delegation_speech_propose(
    request: rules.SignedInRequest, pk: int, delegation_pk: int
) -> HttpResponse:
    delegation = delegation_speeches_access(request.user, pk, delegation_pk)
    form = ProposalForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        speech = services.speech_register(
            request.user,
            delegation.congress,
            _speech_data(delegation.congress, delegation, form.cleaned_data),
            form.cleaned_data["document"],
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request, _("Đã gửi đề xuất tham luận «%(title)s».") % {"title": speech.title}
        )
    return redirect("congress:delegation", pk=pk, delegation_pk=delegation_pk)


@allow(rules.signed_in)
@require_POST
def speech_amend(request: rules.SignedInRequest, pk: int, speech_pk: int) -> HttpResponse:
    """The delegation's amendment of a speech not yet decided (one sent back for changes goes
    back to the reviewers)."""
    speech = speech_access(request.user, pk, speech_pk)
    congress = speech.session.congress
    form = ProposalForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.speech_amend(
            request.user,
            speech,
            _speech_data(congress, speech.delegation, form.cleaned_data),
            form.cleaned_data["document"],
        )
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(
            request, _("Đã sửa tham luận «%(title)s», gửi lại để xét.") % {"title": speech.title}
        )
    return redirect("congress:delegation", pk=pk, delegation_pk=speech.delegation_id)


@allow(rules.signed_in)
@require_GET
def speech_document(request: rules.SignedInRequest, pk: int, speech_pk: int) -> FileResponse:
    """A speech's text, to whoever sees the speech."""
    speech = speech_access(request.user, pk, speech_pk)
    text = selectors.speech_text(speech)
    if text is None:
        raise Http404
    return FileResponse(text, as_attachment=True, filename=speech.document_name)


@allow(rules.signed_in)
@require_POST
def delegation_officers(
    request: rules.SignedInRequest, pk: int, delegation_pk: int
) -> HttpResponse:
    """The secretariat names the delegation's head and secretary by their usernames."""
    congress = congress_access(request.user, pk, CongressAction.MANAGE)
    delegation = get_object_or_404(
        congress.delegations.select_related("congress"), pk=delegation_pk
    )
    try:
        head, secretary = (
            _user_named(request.POST.get(field, "")) for field in ("head", "secretary")
        )
        services.delegation_officers_set(request.user, delegation, head, secretary)
    except (ValidationError, CongressActionRefused) as error:
        _refusal_message(request, error)
    else:
        messages.success(request, _("Đã ghi trưởng đoàn và thư ký đoàn."))
    return redirect("congress:delegation", pk=pk, delegation_pk=delegation_pk)


def _user_named(username: str) -> User | None:
    """The active account of that username; none if blank; refused in words if unknown."""
    username = username.strip()
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError(
            _("Không có tài khoản đang hoạt động tên «%(name)s».") % {"name": username}
        )
    return user


# Preparation boards -------------------------------------------------------------------------


@allow(rules.signed_in)
@require_http_methods(["GET", "POST"])
def boards(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The sub-committees' preparation boards: each board's tasks on the tracking core (lead
    agency, deadline, product, status today) and how far each is; the secretariat assigns."""
    congress = congress_access(request.user, pk)
    today = timezone.localdate()
    can_assign = CongressAction.MANAGE in congress_actions(request.user, congress, today)
    progress = selectors.board_progress(congress, today)
    form = BoardTaskForm(
        request.POST or None,
        boards=[p.board for p in progress],
        agencies=selectors.board_task_agencies(),
    )
    if request.method == "POST":
        check_congress_action(request.user, congress, CongressAction.MANAGE)
        try:
            if not form.is_valid():
                raise ValidationError(_form_errors(form))
            data = form.cleaned_data
            board = next(p.board for p in progress if p.board.pk == data["board"])
            services.board_task_assign(
                request.user,
                board,
                services.BoardTaskData(
                    data["title"],
                    data["lead_agency"],
                    data["due_on"],
                    data["expected_product"],
                    data["phase"],
                ),
            )
        except (ValidationError, CongressActionRefused) as error:
            _refusal_message(request, error)
        else:
            messages.success(request, _("Đã giao nhiệm vụ «%(title)s».") % {"title": data["title"]})
            return redirect("congress:boards", pk=pk)
    context = {
        "congress": congress,
        "progress": progress,
        "overall": selectors.boards_overall(progress),
        "form": form if can_assign else None,
        "days_to_opening": (congress.opens_on - today).days,
    }
    return render(request, "congress/boards.html", context)
