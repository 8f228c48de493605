"""Panels that an app on a higher floor adds to a page of an app below it, without that page
importing it.

Tracking may not import the feature apps built on it (`pyproject.toml`'s layers), yet a
working session's page should list the program items that session considers, which programs
holds. So a feature registers a panel for a named page in its `AppConfig.ready()`
(`page_panel_register("tracking.session", "programs", panel)`), and the page asks every
registered panel for its HTML (`page_panels("tracking.session", user, session)`). A panel
reads through its own app's visibility rule for `user` and returns the rendered HTML, or None
when it has nothing the user may see. The same shape as `review_sections`.

The pages that offer panels, and the object each panel receives:
- `tracking.session`: a `tracking.WorkingSession` the user may see (a section of the page);
- `tracking.document.facts`: a `tracking.Document` the user may see (rows, `<tr>`, of the
  table of its facts);
- `tracking.task.facts`: a `tracking.Task` the user may see (rows of the table of its facts).
"""

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

__all__ = ["PagePanel", "page_panel_register", "page_panels"]

PagePanel = Callable[[Any, Any], SafeString | None]  # (user, the page's object) -> HTML or None

_panels: dict[str, dict[str, PagePanel]] = {}


def page_panel_register(page: str, key: str, panel: PagePanel) -> None:
    _panels.setdefault(page, {})[key] = panel


def page_panels(page: str, user: Any, obj: Any) -> list[SafeString]:
    """The HTML of every panel registered for `page` that has something to show, in key
    order."""
    found = []
    for key in sorted(_panels.get(page, {})):
        html = _panels[page][key](user, obj)
        if html:
            found.append(html)
    return found
