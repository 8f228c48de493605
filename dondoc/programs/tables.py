"""Table rows drawn in Python where a page has hundreds of them: the template engine resolves
every variable and tag of every row (about 20 node renders a row), which cost the 8-week view
most of its time at 400 rows. Every value is escaped (`html.escape`, what Django's `escape`
does, without its lazy-string wrapper per call); the words that repeat are translated once per
page."""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dondoc.programs.selectors import Readiness


def coming_rows(rows: Sequence[Readiness], item_url: str) -> SafeString:
    """The 8-week view's rows (`programs/coming.html` holds the table around them)."""
    yes, not_yet, passed = escape(_("Có")), escape(_("Chưa")), escape(_("Đạt"))
    at_risk = f' <strong class="late">{escape(_("Nguy cơ chậm"))}</strong>'
    url = escape(item_url)
    risky = ' class="at-risk"'
    waiting: dict[int, str] = {}

    def consulted(r: Readiness) -> str:
        if r.consulted:
            return yes
        n = r.waiting_answers
        if not n:
            return not_yet
        if n not in waiting:
            waiting[n] = escape(ngettext("Chờ %(n)s cơ quan", "Chờ %(n)s cơ quan", n) % {"n": n})
        return waiting[n]

    def row(r: Readiness) -> str:
        item = r.row
        when = escape(item.planned_label) if item.planned_label else item.planned_month
        return (
            f"<tr{risky if r.at_risk else ''}><td>{when}/{r.year}</td>"
            f'<td><a href="{url}{item.pk}/">{escape(item.title)}</a>'
            f"{at_risk if r.at_risk else ''}"
            f'<div class="muted">{escape(item.program_label)}</div></td>'
            f"<td>{escape(item.lead_name)}</td><td>{escape(item.state_label)}</td>"
            f"<td>{yes if r.content_complete else not_yet}</td>"
            f"<td>{yes if r.drafts_attached else not_yet}</td><td>{consulted(r)}</td>"
            f"<td>{passed if r.appraised else not_yet}</td></tr>\n"
        )

    return mark_safe("".join(map(row, rows)))  # noqa: S308 (every value escaped above)
