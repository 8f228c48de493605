"""Reads of consultation data, each from the visibility rule (`access.drafts_visible_to`);
aggregate only: no identity ever leaves through here."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dondoc.accounts.models import User
from dondoc.consultation.access import drafts_visible_to
from dondoc.consultation.models import (
    ACTIVE,
    Channel,
    Comment,
    CommentImport,
    Draft,
    DraftVersion,
    ImportRejection,
    Response,
    RunStage,
    Section,
    Stance,
    SynthesisRun,
    Theme,
)
from dondoc.consultation.versions import SectionChange, sections_diff


def drafts_listed(user: User) -> QuerySet[Draft]:
    return drafts_visible_to(user).annotate(
        section_count=Count("sections", filter=Q(sections__version=F("version")), distinct=True)
    )


def sections_of(draft: Draft, version: int | None = None) -> list[Section]:
    """The sections of one version of the draft (by default the current one), in order."""
    return list(
        Section.objects.filter(draft=draft, version=version or draft.version).order_by("position")
    )


def versions_of(draft: Draft) -> list[DraftVersion]:
    """The draft's versions, newest first, with who imported each and its `section_count`
    (one query)."""
    sections = (
        Section.objects.filter(draft=OuterRef("draft"), version=OuterRef("number"))
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        DraftVersion.objects.filter(draft=draft)
        .select_related("created_by")
        .annotate(section_count=Coalesce(Subquery(sections), 0))
        .order_by("-number")
    )


@dataclasses.dataclass
class DiffRow:
    item: SectionChange[Section]
    comments: int  # comments made on the old version's section (the one the commenter chose)
    responses: list[Response]  # responses that point at the new section as the revised text


@dataclasses.dataclass
class VersionDiff:
    old: int
    new: int
    rows: list[DiffRow]

    def counts(self) -> dict[str, int]:
        found = {"added": 0, "removed": 0, "changed": 0, "same": 0}
        for row in self.rows:
            found[row.item.change] += 1
        return found


def version_diff(draft: Draft, old: int, new: int) -> VersionDiff:
    """Section by section, what changed from version `old` to version `new` (4 queries)."""
    before, after = sections_of(draft, old), sections_of(draft, new)
    comments_on = dict(
        Comment.objects.filter(chosen_section__in=before)
        .values_list("chosen_section")
        .annotate(n=Count("pk"))
        .order_by()
    )
    responses: dict[int, list[Response]] = {}
    for response in (
        Response.objects.filter(revised_section__in=after)
        .select_related("theme", "theme__section")
        .order_by("pk")
    ):
        responses.setdefault(response.revised_section_id or 0, []).append(response)
    rows = [
        DiffRow(item, comments_on.get(item.old.pk, 0) if item.old else 0,
                responses.get(item.new.pk, []) if item.new else [])
        for item in sections_diff(before, after)
    ]  # fmt: skip
    return VersionDiff(old, new, rows)


def imports_of(draft: Draft) -> QuerySet[CommentImport]:
    """The draft's latest imports, for the office's page (`DraftAction.MANAGE`)."""
    return CommentImport.objects.filter(draft=draft).order_by("-created_at", "-id")[:10]


def rejections_of(started: CommentImport) -> QuerySet[ImportRejection]:
    """An import's rejected rows in row order (row number and reason only: no content, which
    may name a person)."""
    return ImportRejection.objects.filter(source_import=started).order_by("row")


@dataclasses.dataclass
class SectionSynthesis:
    section: Section | None  # None: general comments
    comments: int  # every copy counted
    distinct: int  # campaigns folded
    themes: list[Theme]
    unthemed: int = 0  # distinct comments in no theme: arrived since, close to no theme
    earlier_version: int | None = None  # a section of an earlier version of the draft


def _totals(
    comments: QuerySet[Comment], field: str, choices: Sequence[tuple[str, object]]
) -> dict[str, int]:
    counted = dict(comments.values_list(field).annotate(n=Count("pk")).order_by())
    return {str(label): counted.get(value, 0) for value, label in choices}


def draft_totals(draft: Draft) -> dict[str, dict[str, int]]:
    """Counts by stance, channel and category (three grouped queries)."""
    from dondoc.consultation.models import Category

    comments = Comment.objects.filter(draft=draft)
    return {
        "stance": _totals(comments, "stance", Stance.choices),
        "channel": _totals(comments, "channel", Channel.choices),
        "category": _totals(comments, "category", Category.choices),
    }


def synthesis_of(draft: Draft) -> list[SectionSynthesis]:
    """Per section (general last): comment counts with and without campaign copies, and the
    themes with their representative comment and response. Three queries."""
    counts = {
        row["section"]: row
        for row in Comment.objects.filter(draft=draft)
        .values("section")
        .annotate(
            n=Count("pk"),
            distinct=Count("pk", filter=Q(campaign__isnull=True)),
            unthemed=Count("pk", filter=Q(campaign__isnull=True, theme__isnull=True)),
        )
        .order_by()
    }
    themes: dict[int | None, list[Theme]] = {}
    for theme in (
        Theme.objects.filter(draft=draft)
        .select_related("representative", "response", "response__revised_section")
        .order_by("-weighted_size", "id")
    ):
        themes.setdefault(theme.section_id, []).append(theme)
    # the current version's sections, then those of earlier versions that comments or themes
    # stay on (a comment keeps the section it was made on)
    held = [pk for pk in {*counts, *themes} if pk is not None]
    sections = Section.objects.filter(
        Q(version=draft.version) | Q(pk__in=held), draft=draft
    ).order_by(F("version").desc(), "position")
    result = [
        SectionSynthesis(section, counts.get(section.pk, {}).get("n", 0),
                         counts.get(section.pk, {}).get("distinct", 0), themes.get(section.pk, []),
                         counts.get(section.pk, {}).get("unthemed", 0),
                         None if section.version == draft.version else section.version)
        for section in sections
    ]  # fmt: skip
    general = counts.get(None, {})
    result.append(SectionSynthesis(None, general.get("n", 0), general.get("distinct", 0),
                                   themes.get(None, []), general.get("unthemed", 0)))  # fmt: skip
    return result


def campaign_share(draft: Draft) -> float:
    totals = Comment.objects.filter(draft=draft).aggregate(
        n=Count("pk"), copies=Sum("campaign_size", filter=Q(campaign_size__gt=1))
    )
    return (totals["copies"] or 0) / totals["n"] if totals["n"] else 0.0


def runs_going() -> QuerySet[SynthesisRun]:
    """Runs still going, each with its last chunk claim (`last_claim`): one query, without the
    pickled section model (megabytes, read by the placing chunks only)."""
    return (
        SynthesisRun.objects.filter(ACTIVE)
        .defer("model")
        .annotate(last_claim=Max("chunks__claimed_at"))
    )


def run_going(draft: Draft) -> SynthesisRun | None:
    """The draft's synthesis run still going (at most one: `synthesis_run_one_active`)."""
    return runs_going().filter(draft=draft).first()


def stuck_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.CONSULTATION_RUN_STUCK_MINUTES))


def run_progressed_at(run: SynthesisRun) -> dt.datetime:
    """The run's last step: a stage begun, a section themed, a resume, or a chunk claimed
    (`last_claim`, from `runs_going`)."""
    claimed: dt.datetime | None = getattr(run, "last_claim", None)
    return max(run.progressed_at, claimed) if claimed else run.progressed_at


def run_stuck(run: SynthesisRun | None) -> bool:
    """A run going that has not progressed for `CONSULTATION_RUN_STUCK_MINUTES`: its jobs may
    have died; the synthesis page and /healthz say so, the office resumes or cancels it."""
    return (
        run is not None
        and run.finished_at is None
        and run.stage not in (RunStage.DONE, RunStage.FAILED)
        and run_progressed_at(run) < timezone.now() - stuck_after()
    )


def runs_stuck() -> list[SynthesisRun]:
    """Every stuck run, of every draft (for /healthz): one query."""
    return [run for run in runs_going().order_by("pk") if run_stuck(run)]


def runs_health(database_ok: bool) -> dict[str, object]:
    """/healthz's consultation check: "degraded" while a run is stuck, with its id and draft
    (the site serves; an operator resumes or cancels it on the draft's synthesis page)."""
    if not database_ok:
        return {"status": "unknown"}
    stuck = [
        {"run": run.pk, "draft": run.draft_id, "stage": run.stage,
         "progressed_at": run_progressed_at(run).isoformat()}
        for run in runs_stuck()
    ]  # fmt: skip
    return {"status": "degraded", "stuck_runs": stuck} if stuck else {"status": "ok"}
