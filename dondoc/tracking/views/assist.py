"""Assisted entry: paste a conclusion or notice, review the tasks it assigns, assign them.

1. `assist` (GET): the text and the document the tasks belong to (`?document=`).
2. `assist` (POST): the proposals of `dondoc.tracking.extraction` as rows to correct; nothing
   is saved.
3. `assist_confirm` (POST): every ticked row is checked; if all are right, all tasks are
   assigned through `services.task_create` in one transaction, else nothing is.
"""

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.tracking import services
from dondoc.tracking.access import document_access
from dondoc.tracking.assist_forms import (
    AgencyOptions,
    AssistTextForm,
    BaseProposalFormSet,
    looks_garbled,
    proposal_formset,
)
from dondoc.tracking.extraction import AgencyMatcher, ProposedTask, extract_tasks
from dondoc.tracking.models import Document
from dondoc.tracking.views.common import add_service_error, posted

logger = logging.getLogger(__name__)


@allow(rules.office)
def assist(request: rules.SignedInRequest) -> HttpResponse:
    """Step 1 (the text) and, once the text is read, step 2 (the proposals to review)."""
    form = AssistTextForm(request.user, posted(request), initial=_initial(request))
    if not form.is_bound or "back" in request.POST or not form.is_valid():
        return _text_page(request, form)
    text = form.cleaned_data["text"]
    garbled = looks_garbled(text)
    proposals = _read(text, form)
    if not proposals:
        form.add_error(None, _nothing_found(garbled))
        return _text_page(request, form)
    rows = proposal_formset(AgencyOptions.for_user(request.user), proposals=proposals)
    return _review_page(request, form, rows, garbled=garbled)


@allow(rules.office)
@require_POST
def assist_confirm(request: rules.SignedInRequest) -> HttpResponse:
    """Step 3: assign every ticked row, all or none."""
    form = AssistTextForm(request.user, request.POST)
    if not form.is_valid():
        return _text_page(request, form)
    rows = proposal_formset(AgencyOptions.for_user(request.user), request.POST)
    document = form.cleaned_data["document"]
    if rows.is_valid():
        count = _assign(request.user, document, rows)
        if count:
            messages.success(request, _("Đã giao %(count)s nhiệm vụ.") % {"count": count})
            if document is None:
                return redirect("tracking:task_list")
            return redirect("tracking:document_detail", pk=document.pk)
    return _review_page(request, form, rows, garbled=False)


def _initial(request: rules.SignedInRequest) -> dict[str, Any]:
    value = request.GET.get("document", "")
    if not value:
        return {}
    if not value.isdecimal():
        raise Http404
    return {"document": document_access(request.user, int(value)).pk}


def _read(text: str, form: AssistTextForm) -> list[ProposedTask]:
    """The proposals; the extraction promises never to raise, and a page must not fail if
    it ever does: the text is then treated as one that assigns nothing."""
    try:
        return extract_tasks(text, form.cleaned_data["issued_on"], AgencyMatcher.from_database())
    except Exception:
        logger.exception("Assisted entry could not read a text of %s characters", len(text))
        return []


def _nothing_found(garbled: bool) -> str:
    if garbled:
        return _(
            "Không đọc được văn bản: văn bản có vẻ bị lỗi phông chữ (bảng mã cũ như TCVN3, VNI "
            "hoặc lỗi mã hóa). Hãy chuyển văn bản gốc sang Unicode (ví dụ bằng chức năng chuyển "
            "mã của Unikey) rồi dán lại."
        )
    return _(
        "Không tìm thấy nhiệm vụ nào trong văn bản: không có câu giao việc (“Giao …”, "
        "“Đề nghị …”, “… chủ trì”) nêu cơ quan thực hiện. Hãy kiểm tra nội "
        "dung đã dán, hoặc giao nhiệm vụ theo cách thông thường."
    )


def _assign(user: Any, document: Document | None, rows: BaseProposalFormSet) -> int:
    """Assign every ticked row (one task per lead) in one transaction; a row the service
    refuses gets the reason on its fields, and then nothing is kept. The number assigned."""
    count = 0
    with transaction.atomic():
        for row in rows.included_forms():
            for lead in row.leads():
                try:
                    services.task_create(
                        user,
                        lead_agency=lead,
                        coordinating_agencies=row.cleaned_data["coordinating_agencies"],
                        document=document,
                        **row.task_fields(),
                    )
                except ValidationError as error:
                    add_service_error(row, error)
                    break
                count += 1
        if any(row.errors for row in rows.included_forms()):
            transaction.set_rollback(True)
            return 0
    return count


def _text_page(request: rules.SignedInRequest, form: AssistTextForm) -> HttpResponse:
    return render(request, "tracking/assist.html", {"form": form})


def _review_page(
    request: rules.SignedInRequest,
    form: AssistTextForm,
    rows: BaseProposalFormSet,
    *,
    garbled: bool,
) -> HttpResponse:
    context = {
        "form": form,
        "rows": rows,
        "document": form.cleaned_data.get("document"),
        "issued_on": form.cleaned_data.get("issued_on"),
        "garbled": garbled,
        "has_errors": rows.is_bound and not rows.is_valid(),
    }
    return render(request, "tracking/assist_review.html", context)
