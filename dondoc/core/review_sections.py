"""Sections that a feature app adds to the monthly review, without the review importing it.

Reviews and the other feature apps (programs …) stand on one floor and may not import each
other (`pyproject.toml`'s layers). So a feature registers a function here in its
`AppConfig.ready()` (`review_section_register`), and the review (`reviews.figures`) asks every
registered one for its figures as of the review's day (`review_sections`). A section is plain
JSON — it is archived with the review's figures and printed in every format from them:

    {"title": "…", "note": "…", "sheet": "…", "caption": "…",
     "columns": [["Cơ quan", "text", 3.0], ["Kế hoạch", "int", 1.0], …],
     "rows": [[…], …], "total": [...] | None,
     "tables": [{"sheet": …, "caption": …, "columns": …, "rows": …, "total": …}, …]}

`tables` (optional) are further tables of the same section, printed after the first.

Texts are Vietnamese, as the review is whatever the reader's language.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

__all__ = ["ReviewScope", "ReviewSection", "review_section_register", "review_sections"]


@dataclasses.dataclass(frozen=True)
class ReviewScope:
    start: dt.date  # the review's period
    end: dt.date
    day: dt.date  # as of
    kind: str  # the review's scope kind: all, strategic, issuer, document, agency
    agency_id: int | None = None  # the agency of an `agency` scope


ReviewSection = Callable[[ReviewScope], dict[str, Any] | None]  # None: nothing to say

_sections: dict[str, ReviewSection] = {}


def review_section_register(key: str, section: ReviewSection) -> None:
    _sections[key] = section


def review_sections(scope: ReviewScope) -> list[dict[str, Any]]:
    """The figures of every registered section that has something to say, in key order."""
    found = []
    for key in sorted(_sections):
        figures = _sections[key](scope)
        if figures is not None:
            found.append({"key": key, **figures})
    return found
