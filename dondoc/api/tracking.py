"""Documents and tasks: a thin door over `tracking.access`, `tracking.selectors` and
`tracking.services`. Each endpoint fetches through the access rule, calls one service or
selector, and shapes the answer; no rule is decided here."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.api.auth import caller
from dondoc.api.schemas import (
    DocumentDetailOut,
    DocumentIn,
    DocumentOut,
    DocumentPage,
    DocumentPatch,
    DocumentQuery,
    ErrorOut,
    ExtensionIn,
    ExtensionOut,
    Id,
    ObstacleIn,
    ObstacleOut,
    ReportIn,
    ReportOut,
    TaskDetailOut,
    TaskIn,
    TaskOut,
    TaskPage,
    TaskPatch,
    TaskQuery,
)
from dondoc.tracking import services
from dondoc.tracking.access import (
    TaskAction,
    document_access,
    documents_visible_to,
    task_access,
    task_actions,
    tasks_visible_to,
)
from dondoc.tracking.keyset import fingerprint, keyset_page
from dondoc.tracking.models import Document, Task, TaskSource
from dondoc.tracking.selectors import (
    DocumentFilters,
    TaskFilters,
    documents_matching,
    sort_keys,
    tasks_matching,
)

documents = Router(tags=["documents"])
tasks = Router(tags=["tasks"])


def errors(*statuses: int) -> dict[int, Any]:
    """Error responses for the OpenAPI document.

    Possible everywhere: 400 (a body that is not JSON, a request Django finds suspicious),
    401, 422 and 429 (too many failed sign-ins from the caller's address).
    """
    return dict.fromkeys({400, 401, 422, 429, *statuses}, ErrorOut)


def require_office(user: User) -> None:
    if not rules.office(user):
        raise PermissionDenied


def _unknown(field: str, message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def agencies_by_code(codes: Iterable[str], field: str) -> list[Agency]:
    """The agencies with these codes, in that order, or a 400 naming those that do not exist."""
    wanted = list(dict.fromkeys(codes))
    found = {a.code: a for a in Agency.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise _unknown(
            field,
            _("Không có cơ quan mã %(codes)s."),
            "unknown_agency",
            codes=", ".join(f"“{code}”" for code in missing),
        )
    return [found[code] for code in wanted]


def visible_document(user: User, pk: int | None) -> Document | None:
    if pk is None:
        return None
    document = documents_visible_to(user).filter(pk=pk).first()
    if document is None:
        raise _unknown(
            "document", _("Không tìm thấy văn bản số %(id)s."), "unknown_document", id=pk
        )
    return document


def visible_task(user: User, pk: int | None, field: str) -> Task | None:
    if pk is None:
        return None
    task = tasks_visible_to(user).filter(pk=pk).first()
    if task is None:
        raise _unknown(field, _("Không tìm thấy nhiệm vụ số %(id)s."), "unknown_task", id=pk)
    return task


def with_agencies(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks ready for `TaskOut`: lead and document joined, coordinators in one more query."""
    return queryset.select_related("lead_agency", "document").prefetch_related(
        Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("sort_text", "id"))
    )


def task_detail(user: User, task: Task) -> TaskDetailOut:
    today = timezone.localdate()
    return TaskDetailOut.of(task, today, task_actions(user, task, today))


# Documents ----------------------------------------------------------------------------------


@documents.get("", response={200: DocumentPage, **errors()}, summary="Danh sách văn bản")
def document_list(request: HttpRequest, filters: Query[DocumentQuery]) -> DocumentPage:
    found = documents_matching(
        caller(request),
        DocumentFilters(doc_type=filters.type or "", strategic=filters.strategic, q=filters.q),
    )
    page = found[filters.offset : filters.offset + filters.limit]
    return DocumentPage(
        count=found.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[DocumentOut.of(document) for document in page],
    )


@documents.post(
    "", response={201: DocumentDetailOut, **errors(400, 403, 409)}, summary="Đăng ký văn bản"
)
def document_create(request: HttpRequest, payload: DocumentIn) -> Status[DocumentDetailOut]:
    user = caller(request)
    require_office(user)
    (issuing_body,) = agencies_by_code([payload.issuing_body], "issuing_body")
    document = services.document_register(
        user,
        symbol=payload.symbol,
        issuing_body=issuing_body,
        **payload.model_dump(exclude={"symbol", "issuing_body"}),
    )
    return Status(201, DocumentDetailOut.of(document))


@documents.get(
    "/{document_id}", response={200: DocumentDetailOut, **errors(404)}, summary="Một văn bản"
)
def document_detail(request: HttpRequest, document_id: Path[Id]) -> DocumentDetailOut:
    user = caller(request)
    document = document_access(user, document_id)
    document.task_count = tasks_visible_to(user).filter(document=document).count()  # type: ignore[attr-defined]
    return DocumentDetailOut.of(document)


@documents.patch(
    "/{document_id}",
    response={200: DocumentDetailOut, **errors(400, 403, 404, 409)},
    summary="Sửa văn bản đã đăng ký (cần `version` đã đọc)",
)
def document_edit(
    request: HttpRequest, payload: DocumentPatch, document_id: Path[Id]
) -> DocumentDetailOut:
    user = caller(request)
    document = document_access(user, document_id)
    require_office(user)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "issuing_body" in changes:
        (changes["issuing_body"],) = agencies_by_code([changes["issuing_body"]], "issuing_body")
    document = services.document_update(user, document, version=payload.version, **changes)
    document.task_count = tasks_visible_to(user).filter(document=document).count()  # type: ignore[attr-defined]
    return DocumentDetailOut.of(document)


# Tasks --------------------------------------------------------------------------------------


@tasks.get("", response={200: TaskPage, **errors()}, summary="Danh sách nhiệm vụ")
def task_list(request: HttpRequest, filters: Query[TaskQuery]) -> TaskPage:
    today = timezone.localdate()
    found = tasks_matching(
        tasks_visible_to(caller(request)),
        TaskFilters(
            status=tuple(filters.status),
            lead=filters.lead,
            coordinator=filters.coordinator,
            document=filters.document,
            strategic=filters.strategic,
            key=filters.key,
            priority=filters.priority,
            due_after=filters.due_after,
            due_before=filters.due_before,
            q=filters.q,
            sort=filters.sort,
        ),
        today,
    )
    rows, following = with_agencies(found), ""
    if filters.offset:
        page: Iterable[Task] = rows[filters.offset : filters.offset + filters.limit]
    else:  # the first page, or the page after the cursor `after`: no OFFSET however deep
        mark = fingerprint(filters.model_dump(exclude={"after", "limit", "offset"}), today)
        seek = keyset_page(rows, sort_keys(filters.sort), per_page=filters.limit, mark=mark,
                           after=filters.after)  # fmt: skip
        page, following = seek.object_list, seek.next_cursor
    return TaskPage(
        count=found.count(),
        limit=filters.limit,
        offset=filters.offset,
        next=following,
        items=[TaskOut.of(task, today) for task in page],
    )


@tasks.post("", response={201: TaskDetailOut, **errors(400, 403)}, summary="Giao nhiệm vụ")
def task_create(request: HttpRequest, payload: TaskIn) -> Status[TaskDetailOut]:
    user = caller(request)
    require_office(user)
    (lead,) = agencies_by_code([payload.lead], "lead")
    fields = payload.model_dump(
        exclude={"title", "lead", "coordinating", "document", "parent", "classification"}
    )
    if payload.classification is not None:
        fields["classification"] = payload.classification
    task = services.task_create(
        user,
        title=payload.title,
        lead_agency=lead,
        coordinating_agencies=agencies_by_code(payload.coordinating, "coordinating"),
        document=visible_document(user, payload.document),
        parent=visible_task(user, payload.parent, "parent"),
        source=TaskSource.API,
        **fields,
    )
    return Status(201, task_detail(user, task))


@tasks.get("/{task_id}", response={200: TaskDetailOut, **errors(404)}, summary="Một nhiệm vụ")
def task_detail_view(request: HttpRequest, task_id: Path[Id]) -> TaskDetailOut:
    user = caller(request)
    return task_detail(user, task_access(user, task_id))


@tasks.patch(
    "/{task_id}",
    response={200: TaskDetailOut, **errors(400, 403, 404, 409)},
    summary="Sửa nhiệm vụ (cần `version` đã đọc)",
)
def task_edit(request: HttpRequest, payload: TaskPatch, task_id: Path[Id]) -> TaskDetailOut:
    user = caller(request)
    task = task_access(user, task_id, TaskAction.EDIT)
    sent = payload.model_dump(exclude_unset=True, exclude={"version"})
    changes: dict[str, Any] = {
        name: value
        for name, value in sent.items()
        if name not in {"lead", "coordinating", "parent"}
    }
    if "lead" in sent:
        (changes["lead_agency"],) = agencies_by_code([sent["lead"]], "lead")
    if "parent" in sent:
        changes["parent"] = visible_task(user, sent["parent"], "parent")
    coordinating = (
        agencies_by_code(sent["coordinating"], "coordinating") if "coordinating" in sent else None
    )
    task = services.task_update(
        user, task, version=payload.version, coordinating_agencies=coordinating, **changes
    )
    return task_detail(user, task)


@tasks.post(
    "/{task_id}/reports",
    response={201: ReportOut, **errors(400, 403, 404, 409)},
    summary="Báo cáo tiến độ (hoặc báo cáo hoàn thành với is_final)",
)
def task_report(request: HttpRequest, payload: ReportIn, task_id: Path[Id]) -> Status[ReportOut]:
    user = caller(request)
    action = TaskAction.FINAL_REPORT if payload.is_final else TaskAction.REPORT
    task = task_access(user, task_id, action)
    report = services.task_report_progress(user, task, **payload.model_dump())
    return Status(201, ReportOut.from_orm(report))


@tasks.post(
    "/{task_id}/extensions",
    response={201: ExtensionOut, **errors(400, 403, 404, 409)},
    summary="Đề nghị gia hạn",
)
def task_extension(
    request: HttpRequest, payload: ExtensionIn, task_id: Path[Id]
) -> Status[ExtensionOut]:
    user = caller(request)
    task = task_access(user, task_id, TaskAction.REQUEST_EXTENSION)
    extension = services.extension_request(user, task, **payload.model_dump())
    return Status(201, ExtensionOut.from_orm(extension))


@tasks.post(
    "/{task_id}/obstacles",
    response={201: ObstacleOut, **errors(400, 403, 404, 409)},
    summary="Nêu vướng mắc, kiến nghị",
)
def task_obstacle(
    request: HttpRequest, payload: ObstacleIn, task_id: Path[Id]
) -> Status[ObstacleOut]:
    user = caller(request)
    task = task_access(user, task_id, TaskAction.RAISE_OBSTACLE)
    obstacle = services.obstacle_raise(user, task, **payload.model_dump())
    return Status(201, ObstacleOut.from_orm(obstacle))
