"""What programs shows on the pages of the apps below it (`core.page_panels`), registered in
`ProgramsConfig.ready()`: tracking may not import programs."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from dondoc.programs import selectors


def session_items_panel(user: Any, session: Any) -> SafeString | None:
    """On a working session's page: the program items that session considers, those the user
    may see by the items' own rule (role, agency, clearance); nothing if none."""
    rows = selectors.items_of_session(user, session.pk)
    if not rows:
        return None
    return SafeString(render_to_string("programs/_session_items.html", {"rows": rows}))
