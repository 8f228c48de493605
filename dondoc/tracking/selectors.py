"""Reading tracked work: counts by status, inboxes, lists."""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.utils import timezone

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.audit.models import AuditEntry
from dondoc.core.text import search_key
from dondoc.tracking.access import documents_visible_to, tasks_visible_to
from dondoc.tracking.attachments import evidence_by_report
from dondoc.tracking.keyset import Key, key
from dondoc.tracking.models import (
    Coordination,
    Decision,
    DirectiveOpinion,
    Document,
    Extension,
    LeadTransfer,
    Obstacle,
    Task,
    Topic,
    WorkingSession,
)
from dondoc.tracking.status import TaskStatus, status_expression, status_filter, status_of
from dondoc.tracking.tallies import Tallies


def count_by(rows: QuerySet[Any], *columns: str) -> list[tuple[Any, ...]]:
    """How many of `rows` (a `.values(*columns)` queryset) share each combination of
    `columns`, as (*values, count) tuples.

    The columns are computed once per row in a subquery and grouped outside it: grouped
    directly, Django repeats a computed column (the status CASE) in the GROUP BY with its own
    parameters, and the database computes it twice per row.
    """
    try:
        sql, params = rows.order_by().query.sql_with_params()
    except EmptyResultSet:  # `.none()`, or a filter no row can match (`pk__in=[]`)
        return []
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    grouped = f"SELECT {names}, COUNT(*) FROM ({sql}) AS counted GROUP BY {names}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return list(cursor.fetchall())


def status_counts(tasks: QuerySet[Task], today: dt.date) -> dict[str, int]:
    """How many tasks are in each status, in one query; plus `total`."""
    counts = dict.fromkeys(TaskStatus.values, 0)
    statuses = tasks.annotate(status=status_expression(today)).values("status")
    for status, n in count_by(statuses, "status"):
        counts[status] = n
    return {**counts, "total": sum(counts.values())}


def overdue_by_lead_agency(
    tasks: QuerySet[Task], today: dt.date, limit: int = 10
) -> list[dict[str, object]]:
    """Agencies with the most tasks overdue and not done, most first."""
    rows = (
        tasks.filter(status_filter(TaskStatus.OVERDUE, today))
        .values("lead_agency__code", "lead_agency__name", "lead_agency__short_name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "lead_agency__code")[:limit]
    )
    return list(rows)


def tasks_due_soon(tasks: QuerySet[Task], today: dt.date, limit: int = 10) -> QuerySet[Task]:
    return (
        tasks.filter(
            status_filter(TaskStatus.DUE_SOON, today) | status_filter(TaskStatus.OVERDUE, today)
        )
        .select_related("lead_agency", "document")
        .order_by(Coalesce("extended_due_on", "due_on"), "id")[:limit]  # the date shown
    )


@dataclass(frozen=True)
class TaskFilters:
    """The filters of the office task list, the export and `GET /api/v1/tasks` alike."""

    status: tuple[str, ...] = ()
    lead: str = ""  # agency code
    coordinator: str = ""  # agency code
    document: int | None = None
    strategic: bool | None = None
    key: bool | None = None
    priority: int | None = None
    topic: int | None = None
    due_after: dt.date | None = None
    due_before: dt.date | None = None
    q: str = ""
    sort: str = "due_on"


SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "due_on": (key("due_on", nullable=True), key("id")),  # no deadline last
    "-due_on": (key("due_on", descending=True, nullable=True), key("id", descending=True)),
    "created_on": (key("created_on"), key("id")),
    "-created_on": (key("created_on", descending=True), key("id", descending=True)),
    "lead": (key("lead_agency__sort_text"), key("due_on", nullable=True), key("id")),
    "progress": (key("progress"), key("id")),
    "-progress": (key("progress", descending=True), key("id", descending=True)),
    "title": (key("search_text"), key("id")),
}
"""The task list's sorts, each ending in the id: a row's key is unique, so a page can start
after it (`keyset`). Tasks without a deadline come last in either direction."""

SORTS: dict[str, tuple[OrderBy, ...]] = {
    name: tuple(k.order(forward=True) for k in keys) for name, keys in SORT_KEYS.items()
}


def sort_keys(sort: str) -> tuple[Key, ...]:
    return SORT_KEYS.get(sort, SORT_KEYS["due_on"])


def tasks_matching(tasks: QuerySet[Task], filters: TaskFilters, today: dt.date) -> QuerySet[Task]:
    """Apply list filters to tasks the user may see (start from `tasks_visible_to(user)`).

    Text search is diacritic-insensitive: every word of `q` must occur in the stored key.
    A deadline range applies to the effective deadline (after any approved extension).
    """
    if filters.status:
        condition = Q()
        for status in filters.status:
            condition |= status_filter(status, today)
        tasks = tasks.filter(condition)
    tasks = tasks.filter(_field_conditions(filters))
    if filters.coordinator:
        coordinated = Coordination.objects.filter(agency__code=filters.coordinator)
        tasks = tasks.filter(pk__in=coordinated.values("task_id"))
    if filters.due_after or filters.due_before:
        tasks = tasks.alias(deadline=Coalesce(F("extended_due_on"), F("due_on")))
        if filters.due_after:
            tasks = tasks.filter(deadline__gte=filters.due_after)
        if filters.due_before:
            tasks = tasks.filter(deadline__lte=filters.due_before)
    for word in search_key(filters.q).split():
        tasks = tasks.filter(search_text__contains=word)
    return tasks.order_by(*SORTS.get(filters.sort, SORTS["due_on"]))


COUNT_CAP = 10_000
"""Beyond this many tasks a list says "more than 10,000" instead of counting them all."""


@dataclass(frozen=True)
class ListCounts:
    """The counts above a task list: per status (the status filter aside) and `total` with it,
    exact, or, past `COUNT_CAP` tasks, capped (`per_status` None, `total` COUNT_CAP + 1)."""

    per_status: dict[str, int] | None
    total: int

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP


TALLIED_FILTERS = frozenset({"status", "lead", "strategic", "key", "sort"})


def _tally_rows(tallies: Tallies, filters: TaskFilters) -> QuerySet[Any]:
    rows = tallies.rows()
    if filters.lead:
        rows = rows.filter(lead_agency__code=filters.lead)
    if filters.strategic is not None:
        rows = rows.filter(strategic_document__isnull=not filters.strategic)
    if filters.key is not None:
        rows = rows.filter(is_key=filters.key)
    return rows


def task_list_counts(
    tasks: QuerySet[Task], filters: TaskFilters, today: dt.date, tallies: Tallies | None
) -> ListCounts:
    """The counts of a list of `tasks` (visible to the user) matching `filters`. From
    `tallies` (those `tallies_for` the user gives) when every filter in use is one they keep:
    exact, a small sum. Otherwise counted from the tasks, reading at most `COUNT_CAP` + 1 of
    them: a broad search (a common word across every agency: 100,000 tasks at national scale)
    says "more than 10,000" instead of reading them all."""
    in_use = {f.name for f in dataclasses.fields(filters) if getattr(filters, f.name) not in
              (None, "", ())}  # fmt: skip
    if tallies is not None and in_use <= TALLIED_FILTERS:
        counts = tallies.status_counts(_tally_rows(tallies, filters))
        return ListCounts(counts, _chosen(counts, filters))
    any_status = tasks_matching(tasks, dataclasses.replace(filters, status=()), today)
    if any_status.order_by()[: COUNT_CAP + 1].count() <= COUNT_CAP:
        counts = status_counts(any_status, today)
        return ListCounts(counts, _chosen(counts, filters))
    matching = tasks_matching(tasks, filters, today) if filters.status else any_status
    return ListCounts(None, matching.order_by()[: COUNT_CAP + 1].count())


def _chosen(counts: dict[str, int], filters: TaskFilters) -> int:
    return sum(counts[s] for s in filters.status) if filters.status else counts["total"]


def _field_conditions(filters: TaskFilters) -> Q:
    wanted = {
        "lead_agency__code": filters.lead or None,
        "document_id": filters.document,
        "document__is_strategic": filters.strategic,
        "is_key": filters.key,
        "priority": filters.priority,
        "topics": filters.topic,
    }
    return Q(**{field: value for field, value in wanted.items() if value is not None})


# What the audit log says of a task that its rows do not: who assigned, accepted, returned,
# cancelled it and when, the office's decisions on extensions, urging letters sent.
TIMELINE_ACTIONS = ("create", "accept", "return", "cancel", "extension_approve",
                    "extension_refuse", "urging_letter")  # fmt: skip
TIMELINE_ORDER = {"created": 0, "report": 1, "extension": 2, "extension_decided": 3, "obstacle": 4,
                  "obstacle_answered": 5, "returned": 6, "accepted": 7, "urging_letter": 8,
                  "cancelled": 9}  # fmt: skip
KIND_OF_ACTION = {"create": "created", "accept": "accepted", "return": "returned",
                  "cancel": "cancelled", "urging_letter": "urging_letter"}  # fmt: skip


def task_timeline(task: Task) -> list[dict[str, object]]:
    """Everything that happened to a task in the order it happened, each with the time (`at`)
    and the person (`by`) where known: reports, extensions, obstacles, the office's decisions
    and letters (from the audit log: one query)."""
    events: list[dict[str, object]] = []
    evidence = evidence_by_report(task)
    for report in task.reports.select_related("agency", "author"):
        files = evidence.get(report.pk, [])
        events.append(_event(report.reported_on, "report", report, report.created_at,
                             report.author, evidence=files))  # fmt: skip
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    for extension in extensions:
        events.append(_event(extension.requested_on, "extension", extension,
                             extension.created_at, extension.requested_by))  # fmt: skip
    obstacles = list(task.obstacles.select_related("agency", "raised_by", "answered_by"))
    for obstacle in obstacles:
        events.append(_event(obstacle.raised_on, "obstacle", obstacle, obstacle.created_at,
                             obstacle.raised_by))  # fmt: skip
    events += _decided(task, extensions, obstacles, _audit_of(task, obstacles))
    return sorted(events, key=_timeline_key)


def _decided(
    task: Task, extensions: list[Extension], obstacles: list[Obstacle], entries: list[Any]
) -> list[dict[str, object]]:
    """What the audit log tells: the assignment, the office's answers and decisions, returns,
    acceptance, cancellation, urging letters, each with its time and person."""
    events: list[dict[str, object]] = []
    answers = {e.object_id: e for e in entries if e.action == "obstacle_answer"}
    for obstacle in obstacles:
        if obstacle.answered_on:
            entry = answers.get(str(obstacle.pk))
            events.append(_event(obstacle.answered_on, "obstacle_answered", obstacle,
                                 entry.at if entry else None, obstacle.answered_by))  # fmt: skip
    decisions = [e for e in entries if e.action in ("extension_approve", "extension_refuse")]
    decided = sorted((e for e in extensions if e.decided_on), key=lambda e: (e.created_at, e.pk))
    # One extension pending at a time: the decisions come in the order of the requests.
    times = [e.at for e in decisions] if len(decisions) == len(decided) else [None] * len(decided)
    for extension, at in zip(decided, times, strict=True):
        assert extension.decided_on is not None
        events.append(_event(extension.decided_on, "extension_decided", extension, at,
                             extension.decided_by))  # fmt: skip
    logged = {kind: [e for e in entries if e.action == action] for action, kind in
              KIND_OF_ACTION.items()}  # fmt: skip
    created = logged["created"][0] if logged["created"] else None
    events.append(_event(task.created_on, "created", task, created.at if created else None,
                         created.actor if created else None))  # fmt: skip
    for kind in ("returned", "urging_letter"):
        for entry in logged[kind]:
            events.append(_logged(kind, task, entry))
    for kind, day in (("accepted", task.accepted_on), ("cancelled", task.cancelled_on)):
        if day:
            entry = logged[kind][-1] if logged[kind] else None
            events.append(_event(day, kind, task, entry.at if entry else None,
                                 entry.actor if entry else None,
                                 reason=_after(entry, "reason")))  # fmt: skip
    return events


def _event(on: dt.date, kind: str, item: object, at: dt.datetime | None, by: object,
           **more: object) -> dict[str, object]:  # fmt: skip
    return {"on": on, "kind": kind, "item": item, "at": at, "by": by, **more}


def _logged(kind: str, task: Task, entry: Any) -> dict[str, object]:
    on = timezone.localtime(entry.at).date()
    return _event(on, kind, task, entry.at, entry.actor or entry.actor_label,
                  reason=_after(entry, "reason"), letter=_after(entry, "letter"))  # fmt: skip


def _after(entry: Any, field: str) -> object:
    """What an audit entry's change set `field` to."""
    pair = entry.changes.get(field) if entry else None
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else pair


def _audit_of(task: Task, obstacles: list[Obstacle]) -> list[Any]:
    wanted = Q(object_type=Task._meta.label_lower, object_id=str(task.pk),
               action__in=TIMELINE_ACTIONS) | Q(
        object_type=Obstacle._meta.label_lower, object_id__in=[str(o.pk) for o in obstacles],
        action="obstacle_answer",
    )  # fmt: skip
    return list(AuditEntry.objects.filter(wanted).select_related("actor").order_by("seq"))


def _timeline_key(event: dict[str, Any]) -> tuple[Any, ...]:
    """By day, then by time; an event whose time is unknown (written before times were kept)
    comes first that day if it is the assignment, else last."""
    at = event["at"]
    if at is None:
        at = EARLIEST if event["kind"] == "created" else LATEST
    return (event["on"], at, TIMELINE_ORDER[event["kind"]])


EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


def lead_agency_on(day: dt.date) -> Coalesce:
    """The lead agency a task had on `day` (before any later transfer), as a SQL expression:
    reports for a past day group tasks by the agency that led them then."""
    first_later = (
        LeadTransfer.objects.filter(task=OuterRef("pk"), transferred_on__gt=day)
        .order_by("transferred_on", "id")
        .values("from_agency")[:1]
    )
    return Coalesce(Subquery(first_later), F("lead_agency_id"), output_field=BigIntegerField())


# Pages: the task list, the agency inbox, one task, documents and working sessions -----------


BY_DEADLINE = (Coalesce(F("extended_due_on"), F("due_on")).asc(nulls_last=True), "id")
"""Nearest effective deadline first, tasks without one last (on SQLite as on PostgreSQL)."""


def task_rows(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Tasks ready to show as list rows, a page of them in one query: lead agency and document
    joined, `status` for `today` and `coordinator_count` annotated."""
    coordinators = (
        Coordination.objects.filter(task=OuterRef("pk"))
        .order_by()
        .values("task")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return tasks.select_related("lead_agency", "document").annotate(
        status=status_expression(today),
        coordinator_count=Coalesce(Subquery(coordinators), 0, output_field=IntegerField()),
    )


INBOX_ORDER = (
    TaskStatus.OVERDUE,
    TaskStatus.DUE_SOON,
    TaskStatus.OPEN_ON_TIME,
    TaskStatus.ONGOING,
    TaskStatus.AWAITING_ACCEPTANCE,
    TaskStatus.DONE_LATE,
    TaskStatus.DONE_ON_TIME,
    TaskStatus.CANCELLED,
)


INBOX_RANKS = {status: n for n, status in enumerate(INBOX_ORDER)}


def _inbox_agency(user: User) -> int:
    """The inbox is for agency staff (`rules.agency_worker`): the user has an agency."""
    assert user.agency_id is not None
    return user.agency_id


INBOX_FIELDS = (
    "title", "lead_agency_id", "document_id", "deadline_kind", "due_on", "extended_due_on",
    "is_key", "progress", "lead_agency__name", "lead_agency__short_name", "document__symbol", "document__classification",
)  # fmt: skip
"""What an inbox row shows (`tracking.templatetags.tracking.inbox_rows`), and no more: the
task's description and search key and the document's full text stay in the database."""


def tasks_in_inbox(user: User, today: dt.date, *, coordinating: bool = False) -> QuerySet[Task]:
    """The tasks of the user's agency: those it leads, or with `coordinating` those it
    coordinates. Open ones first — overdue, then due soon, then the rest — nearest deadline
    first within each status; each row's `rank` is its status's place in `INBOX_ORDER`
    (`inbox_status` gives the status: the query computes the status CASE once, not twice).

    Only the clearance of `tasks_visible_to` is applied: the tasks an agency leads or
    coordinates are its agency scope by definition, and the scope's list of ids (a UNION)
    would only be compiled and joined again."""
    agency_id = _inbox_agency(user)
    tasks = Task.objects.filter(classification__lte=user.clearance)
    if coordinating:
        coordinated = Coordination.objects.filter(agency_id=agency_id).values("task_id")
        tasks = tasks.filter(pk__in=coordinated).exclude(lead_agency_id=agency_id)
    else:
        tasks = tasks.filter(lead_agency_id=agency_id)
    rank = status_expression(today, ranks=INBOX_RANKS)
    return (
        tasks.select_related("lead_agency", "document")
        .only(*INBOX_FIELDS)
        .annotate(rank=rank)
        .order_by("rank", *BY_DEADLINE)
    )


def inbox_status(task: Task) -> TaskStatus:
    """The status of a row of `tasks_in_inbox`, from its rank."""
    return INBOX_ORDER[task.rank]  # type: ignore[attr-defined]


INBOX_KEYS = (
    Key(F("rank")),
    Key(Coalesce(F("extended_due_on"), F("due_on")), nullable=True),
    key("id"),
)
"""The inbox's order (`tasks_in_inbox`) as keys a page can start after (`keyset`)."""


def inbox_counts(user: User) -> dict[str, int]:
    """How many tasks the user's agency leads and coordinates (not leads), in one query."""
    agency_id = _inbox_agency(user)
    coordinated = Coordination.objects.filter(agency_id=agency_id).values("task_id")
    lead = Q(lead_agency_id=agency_id)
    counts: dict[str, int] = tasks_visible_to(user).aggregate(
        lead=Count("pk", filter=lead),
        coordinating=Count("pk", filter=~lead & Q(pk__in=coordinated)),
    )
    return counts


@dataclass(frozen=True)
class TaskPage:
    """What the page of one task shows besides the task itself."""

    task: Task
    status: TaskStatus
    coordinators: list[Agency]
    topics: list[Topic]
    opinion: DirectiveOpinion | None
    document_visible: bool
    parent: Task | None
    subtasks: list[Task]
    waiting_for: list[Task]
    blocking: list[Task]
    timeline: list[dict[str, object]]
    pending_extensions: list[Extension]
    open_obstacles: list[Obstacle]


def task_page(user: User, task: Task, today: dt.date) -> TaskPage:
    """A task (already checked with `task_access`) with its agencies, its place among other
    tasks — only those `user` may see — and its whole history."""
    visible = task_rows(tasks_visible_to(user), today).order_by(*BY_DEADLINE)
    timeline = task_timeline(task)
    items = [(str(event["kind"]), event["item"]) for event in timeline]
    extensions = [item for kind, item in items if kind == "extension"]
    obstacles = [item for kind, item in items if kind == "obstacle"]
    opinion = (
        DirectiveOpinion.objects.select_related("session")
        .filter(pk=task.opinion_id, session__classification__lte=user.clearance)
        .first()
        if task.opinion_id
        else None
    )
    return TaskPage(
        task=task,
        status=status_of(task, today),
        coordinators=list(
            Agency.objects.filter(coordinations__task=task).order_by("sort_text", "id")
        ),
        topics=list(task.topics.order_by("name")),
        opinion=opinion,
        document_visible=task.document is not None
        and task.document.classification <= user.clearance,
        parent=visible.filter(pk=task.parent_id).first() if task.parent_id else None,
        subtasks=list(visible.filter(parent=task)),
        waiting_for=list(visible.filter(blocking=task)),
        blocking=list(visible.filter(depends_on=task)),
        timeline=timeline,
        pending_extensions=[
            e for e in extensions if isinstance(e, Extension) and e.decision == Decision.PENDING
        ],
        open_obstacles=[o for o in obstacles if isinstance(o, Obstacle) and not o.answered_on],
    )


@dataclass(frozen=True)
class DocumentFilters:
    doc_type: str = ""
    issuer: int | None = None  # the issuing body's id
    strategic: bool | None = None
    q: str = ""


def documents_matching(user: User, filters: DocumentFilters) -> QuerySet[Document]:
    """Documents `user` may see that match `filters`, newest first, each with its issuing body
    and `task_count`, the number of its tasks `user` may see. The text search ignores diacritics
    and matches every word in the symbol or title."""
    documents = documents_visible_to(user)
    if filters.doc_type:
        documents = documents.filter(doc_type=filters.doc_type)
    if filters.issuer is not None:
        documents = documents.filter(issuing_body_id=filters.issuer)
    if filters.strategic is not None:
        documents = documents.filter(is_strategic=filters.strategic)
    for word in search_key(filters.q).split():
        documents = documents.filter(search_text__contains=word)
    tasks = (
        tasks_visible_to(user)
        .filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        documents.select_related("issuing_body")
        .annotate(task_count=Coalesce(Subquery(tasks), 0, output_field=IntegerField()))
        .order_by("-issued_on", "-id")
    )


def working_sessions_visible_to(user: User) -> QuerySet[WorkingSession]:
    """Working sessions not classified above the user's clearance."""
    return WorkingSession.objects.filter(classification__lte=user.clearance)


def working_session_opinions(
    user: User, session: WorkingSession, today: dt.date
) -> list[DirectiveOpinion]:
    """A session's directive opinions, each with the tasks made of it that `user` may see
    (`opinion.tasks.all()`), in three queries."""
    tasks = task_rows(tasks_visible_to(user), today).order_by(*BY_DEADLINE)
    return list(session.opinions.order_by("id").prefetch_related(Prefetch("tasks", queryset=tasks)))


def status_counts_by_lead_agency(
    tasks: QuerySet[Task], today: dt.date, tallies: Tallies | None = None
) -> list[dict[str, Any]]:
    """`status_counts` per lead agency, most overdue first; from `tallies` when given (they
    count the same tasks: `tallies.tallies_for`).

    Each row: `lead_agency__code`, `lead_agency__name`, `lead_agency__short_name`, `total` and
    one count per status. Two queries: the counts, then the agencies' names.
    """
    if tallies is not None:
        counted: list[tuple[Any, ...]] = list(tallies.counted_by_agency())
    else:
        statuses = tasks.annotate(status=status_expression(today)).values(
            "lead_agency_id", "status"
        )
        counted = count_by(statuses, "lead_agency_id", "status")
    names = Agency.objects.filter(pk__in={agency_id for agency_id, _s, _n in counted})
    agencies: dict[int, dict[str, Any]] = {
        pk: {
            "lead_agency_id": pk,
            "lead_agency__code": code,
            "lead_agency__name": name,
            "lead_agency__short_name": short_name,
            "total": 0,
            **dict.fromkeys(TaskStatus.values, 0),
        }
        for pk, code, name, short_name in names.values_list("pk", "code", "name", "short_name")
    }
    for agency_id, status, n in counted:
        agencies[agency_id][status] = n
        agencies[agency_id]["total"] += n
    return sorted(agencies.values(), key=lambda r: (-r[TaskStatus.OVERDUE], r["lead_agency__code"]))


LOOKUP_LIMIT = 20


def documents_suggested(user: User, term: str, limit: int = LOOKUP_LIMIT) -> list[tuple[int, str]]:
    """(id, "symbol — title") of the documents `user` may see whose symbol or title holds every
    word of `term` (diacritics ignored), newest first: what a lookup input suggests."""
    documents = documents_visible_to(user)
    for word in search_key(term).split():
        documents = documents.filter(search_text__contains=word)
    rows = documents.order_by("-issued_on", "-id").values_list("pk", "symbol", "title")[:limit]
    return [(pk, document_label(symbol, title)) for pk, symbol, title in rows]


def task_label(pk: int, title: str, lead_code: str) -> str:
    """How a task is written in a picker, and read back from it: "#12 · title — lead"."""
    return f"#{pk} · {title[:80]} — {lead_code}"


TASK_NUMBER = re.compile(r"#?\s*(\d+)(?:\s*·.*)?", re.DOTALL)


def tasks_typed(user: User, typed: str) -> QuerySet[Task]:
    """The tasks `user` may see that `typed` designates: a picker's label ("#12 · …") or a
    number is that task; other words are every task whose title holds them all (diacritics
    ignored), newest first."""
    tasks = tasks_visible_to(user)
    typed = typed.strip()
    if match := TASK_NUMBER.fullmatch(typed):
        return tasks.filter(pk=int(match[1]))
    words = search_key(typed).split()
    if not words:
        return tasks.none()
    for word in words:
        tasks = tasks.filter(search_text__contains=word)
    return tasks.order_by("-id")


def tasks_suggested(user: User, term: str, limit: int = LOOKUP_LIMIT) -> list[tuple[str, str]]:
    """(label, "") of the tasks `user` may see that `term` designates (`tasks_typed`): what
    the parent and prerequisite pickers suggest. The label is the value: the form reads it back."""
    rows = tasks_typed(user, term).values_list("pk", "title", "lead_agency__code")[:limit]
    return [(task_label(pk, title, code), "") for pk, title, code in rows]


def document_label(symbol: str, title: str) -> str:
    return f"{symbol} — {title[:60]}"
