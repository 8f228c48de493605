"""Urging pages: one's own notifications (mark read with htmx), the office's reminder rules,
and the urging letters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.accounts import rules
from dondoc.agencies.models import Agency
from dondoc.core.access import allow
from dondoc.core.htmx import partial
from dondoc.tracking.keyset import fingerprint, key, keyset_page
from dondoc.urging import selectors, services
from dondoc.urging.access import notification_access
from dondoc.urging.forms import RuleSetForm
from dondoc.urging.letters import urging_letter_docx

PAGE_SIZE = 50
NEWEST_FIRST = (key("created_at", descending=True), key("id", descending=True))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@allow(rules.signed_in)
def notification_list(request: rules.SignedInRequest) -> HttpResponse:
    """One's notifications, newest first, 50 a page by keyset (`after`/`before` cursors): no
    count and no OFFSET, so a person with 50,000 notifications pays for 50 (docs/benchmarks.md)."""
    unread_only = request.GET.get("show") != "all"
    notifications = selectors.notifications_for(request.user, unread_only=unread_only)
    page = keyset_page(
        notifications,
        NEWEST_FIRST,
        per_page=PAGE_SIZE,
        mark=fingerprint("notifications", unread_only),
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    has_unread = (
        bool(page.object_list)
        if unread_only
        else selectors.notifications_unread_exist(request.user)
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "has_unread": has_unread,
        "is_office": rules.office(request.user),
    }
    return render(request, "urging/notifications.html", context)


@allow(rules.signed_in)
def unread_badge(request: rules.SignedInRequest) -> HttpResponse:
    """The menu's unread count, loaded by htmx after the page (so pages pay no query for it)."""
    context = {"unread_notifications": selectors.notifications_unread_count(request.user)}
    return render(request, "urging/_unread_badge.html", context)


@allow(rules.signed_in)
@require_POST
def notification_read(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """Mark one's own notification read; htmx gets the updated item and the new menu count."""
    notification = services.notification_mark_read(notification_access(request.user, pk))
    if not partial(request):
        return redirect("urging:notifications")
    context = {
        "notifications": [notification],
        "unread_notifications": selectors.notifications_unread_count(request.user),
        "oob": True,
    }
    return render(request, "urging/_notification_read.html", context)


@allow(rules.signed_in)
@require_POST
def notifications_read_all(request: rules.SignedInRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(request.user)
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("urging:notifications")


@allow(rules.office)
def rules_edit(request: rules.SignedInRequest) -> HttpResponse:
    rule_sets = services.rule_sets_ensure()
    forms = [RuleSetForm(rule_set=r) for r in rule_sets]
    if request.method == "POST":
        kind = request.POST.get("kind")
        forms = [
            RuleSetForm(request.POST, rule_set=r) if r.kind == kind else RuleSetForm(rule_set=r)
            for r in rule_sets
        ]
        edited = next((f for f in forms if f.is_bound), None)
        if edited is not None and edited.is_valid():
            try:
                services.rule_set_update(request.user, edited.rule_set, **edited.cleaned_data)
            except ValidationError as error:
                edited.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu quy tắc nhắc việc."))
                return redirect("urging:rules")
    return render(request, "urging/rules.html", {"forms": forms})


@allow(rules.office)
def letter_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {"agencies": selectors.agencies_to_urge(today), "today": today}
    return render(request, "urging/letters.html", context)


@allow(rules.office)
def letter_docx(request: HttpRequest, agency_code: str) -> HttpResponse:
    agency = get_object_or_404(Agency, code=agency_code)
    today = timezone.localdate()
    response = HttpResponse(urging_letter_docx(agency, today), content_type=DOCX)
    name = f"cong-van-don-doc-{agency.code}-{today:%Y%m%d}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@allow(rules.office)
@require_POST
def letter_sent(request: rules.SignedInRequest, agency_code: str) -> HttpResponse:
    """The office records that it sent the agency today's letter: the letter goes on the
    timeline of each task it names."""
    agency = get_object_or_404(Agency, code=agency_code)
    number = request.POST.get("number", "")
    count = services.urging_letter_record_sent(
        request.user, agency, timezone.localdate(), number=number
    )
    messages.success(
        request,
        _("Đã ghi nhận công văn đôn đốc gửi %(agency)s trên %(count)d nhiệm vụ.")
        % {"agency": agency.name, "count": count},
    )
    return redirect("urging:letters")
