"""Assisted entry: paste a conclusion or notice, review the tasks it assigns, assign them.

1. `assist` (GET): the text and the document the tasks belong to (`?document=`).
2. `assist` (POST): the proposals of `dondoc.tracking.extraction` as rows to correct; nothing
   is saved.
   `assist_rework` (POST) splits a row that names several leads into one row per lead, or
   folds a row into the one above; still nothing is saved.
3. `assist_confirm` (POST): every ticked row is checked; if all are right, all tasks are
   assigned by `services.tasks_create_many` in one transaction, else nothing is. The page's
   token (`submission`, from step 1) makes a second confirm of the same page create nothing.
   Words the registry did not hold that the specialist mapped to an agency are then kept as
   that agency's alias (`agency_alias_teach`), so that the next text naming them resolves.
"""

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc.accounts import rules
from dondoc.agencies.services import agency_alias_teach
from dondoc.core.access import allow
from dondoc.tracking import services
from dondoc.tracking.access import document_access
from dondoc.tracking.assist_forms import (
    AgencyOptions,
    AssistTextForm,
    BaseProposalFormSet,
    looks_garbled,
    proposal_formset,
    reworked_formset,
)
from dondoc.tracking.extraction import AgencyMatcher, ProposedTask, extract_tasks
from dondoc.tracking.forms import submission_key
from dondoc.tracking.models import Document, TaskSource
from dondoc.tracking.views.common import posted

logger = logging.getLogger(__name__)


@allow(rules.office)
def assist(request: rules.SignedInRequest) -> HttpResponse:
    """Step 1 (the text) and, once the text is read, step 2 (the proposals to review)."""
    form = AssistTextForm(request.user, _with_token(posted(request)), initial=_initial(request))
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
        key = submission_key("assist", form.cleaned_data["submission"])
        try:
            count = _assign(request.user, document, rows, key)
        except services.DuplicateSubmissionError as done:
            messages.info(request, str(done))
            return _done(document)
        if count:
            messages.success(request, _("Đã giao %(count)s nhiệm vụ.") % {"count": count})
            _teach_aliases(request, rows)
            return _done(document)
    return _review_page(request, form, rows, garbled=False)


@allow(rules.office)
@require_POST
def assist_rework(request: rules.SignedInRequest) -> HttpResponse:
    """Split a row into one row per lead named together, or fold it into the row above."""
    form = AssistTextForm(request.user, request.POST)
    if not form.is_valid():
        return _text_page(request, form)
    action, _sep, index = (request.POST.get("rework") or "").partition(":")
    if action not in ("split", "merge") or not index.isdecimal():
        return HttpResponseBadRequest()
    matcher = AgencyMatcher.from_database()
    rows = reworked_formset(
        AgencyOptions.for_user(request.user),
        request.POST,
        action,
        int(index),
        lambda words: _resolve(matcher, words),
    )
    return _review_page(request, form, rows, garbled=False)


def _resolve(matcher: AgencyMatcher, words: str) -> str:
    """The registered agency named by exactly these words, or ""."""
    found = matcher.find_all(words)
    if len(found) == 1:
        start, end, ref = found[0]
        if not words[:start].strip(" ,;") and not words[end:].strip(" ,;."):
            return ref.code
    return ""


def _teach_aliases(request: rules.SignedInRequest, rows: BaseProposalFormSet) -> None:
    """Keep the words the specialist mapped to an agency as its alias (each audited); a name
    already taken by another agency is said, the tasks stay assigned."""
    done: set[tuple[int, str]] = set()
    for form in rows.included_forms():
        taught = form.alias_to_teach()
        if taught is None or (taught[0].pk, taught[1]) in done:
            continue
        agency, words = taught
        done.add((agency.pk, words))
        try:
            agency_alias_teach(request.user, agency, words)
        except ValidationError as refused:
            messages.warning(request, " ".join(refused.messages))
        else:
            messages.info(
                request,
                _("Đã ghi nhớ “%(words)s” là tên gọi khác của %(agency)s.")
                % {"words": words, "agency": agency.name},
            )


def _done(document: Document | None) -> HttpResponse:
    if document is None:
        return redirect("tracking:task_list")
    return redirect("tracking:document_detail", pk=document.pk)


def _with_token(data: QueryDict | None) -> QueryDict | None:
    """Step 1's data with the page's token, so that the review page always carries one."""
    if data is None or data.get("submission"):
        return data
    data = data.copy()
    data["submission"] = str(uuid.uuid4())
    return data


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


def _assign(user: Any, document: Document | None, rows: BaseProposalFormSet, key: str) -> int:
    """Assign every ticked row (one task per lead), all or none; the rules' refusals go on the
    rows they are about. The number assigned."""
    forms = rows.included_forms()
    tasks = [
        services.new_task(
            lead_agency=lead,
            coordinating_agencies=form.cleaned_data["coordinating_agencies"],
            document=document,
            row=index,
            **form.task_fields(),
        )
        for index, form in enumerate(forms)
        for lead in form.leads()
    ]
    try:
        return len(services.tasks_create_many(user, tasks, source=TaskSource.ASSIST, key=key))
    except services.TaskRowsError as refused:
        shown: set[tuple[int, str, str]] = set()
        for problem in refused.problems:
            if (problem.row, problem.field, problem.message) in shown:
                continue  # the same refusal for each agency of a group
            shown.add((problem.row, problem.field, problem.message))
            form = forms[problem.row]
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, ValidationError(problem.message, code=problem.code))
        return 0


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
        "source": _source_parts(form.cleaned_data.get("text") or "", rows),
        "document": form.cleaned_data.get("document"),
        "issued_on": form.cleaned_data.get("issued_on"),
        "garbled": garbled,
        "has_errors": rows.is_bound and not rows.is_valid(),
    }
    return render(request, "tracking/assist_review.html", context)


def _source_parts(text: str, rows: BaseProposalFormSet) -> list[tuple[str, int | None]]:
    """The pasted text cut at the proposals' spans: (words, row number or None), so that the
    page marks where each proposal came from (overlaps go to the earlier span)."""
    spans = sorted(
        (span[0], span[1], number)
        for number, row in enumerate(rows.forms, start=1)
        if (span := row.span) is not None and span[1] <= len(text)
    )
    parts: list[tuple[str, int | None]] = []
    cursor = 0
    for start, end, number in spans:
        start = max(start, cursor)
        if start >= end:
            continue
        if start > cursor:
            parts.append((text[cursor:start], None))
        parts.append((text[start:end], number))
        cursor = end
    if cursor < len(text):
        parts.append((text[cursor:], None))
    return parts
