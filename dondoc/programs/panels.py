"""What programs shows on the pages of the apps below it (`core.page_panels`), registered in
`ProgramsConfig.ready()`: tracking may not import programs."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from dondoc.accounts.models import User
from dondoc.programs import selectors
from dondoc.programs.access import items_visible_to
from dondoc.tracking.models import Document, Task, WorkingSession


def document_items_rows(user: User, document: Document) -> SafeString | None:
    """On a tracking document's page: the program items whose approval issued it, those the
    user may see (one query)."""
    rows = selectors.item_rows(
        items_visible_to(user).filter(resulting_document=document).order_by("pk")
    )
    return _fact_rows(rows)


def task_item_rows(user: User, task: Task) -> SafeString | None:
    """On a tracking task's page: the program item whose approval assigned it, if the user may
    see it (one query, none for a task no item assigned)."""
    if task.program_item_id is None:
        return None
    items = items_visible_to(user).filter(pk=task.program_item_id)
    return _fact_rows(selectors.item_rows(items))


def _fact_rows(rows: list[selectors.ItemRow]) -> SafeString | None:
    if not rows:
        return None
    return SafeString(render_to_string("programs/_fact_rows.html", {"rows": rows}))


def session_items_panel(user: User, session: WorkingSession) -> SafeString | None:
    """On a working session's page: the program items that session considers, those the user
    may see by the items' own rule (role, agency, clearance); nothing if none."""
    rows = selectors.items_of_session(user, session.pk)
    if not rows:
        return None
    return SafeString(render_to_string("programs/_session_items.html", {"rows": rows}))
