"""The charts of a review as PNG images (matplotlib, Agg backend), readable when printed in black
and white: every series has its own hatch pattern and every bar its value written beside it."""

import io
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dondoc.tracking.status import TaskStatus

from .content import num, pct
from .figures import REPORT_ORDER

STYLE: Any = {
    "font.family": "DejaVu Sans",  # ships with matplotlib; has every Vietnamese letter
    "font.size": 9,
    "hatch.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "dondoc",
}
# Status → (fill, hatch): light to dark greys, each with a pattern of its own.
LOOK = {
    TaskStatus.DONE_ON_TIME: ("#ffffff", ""),
    TaskStatus.DONE_LATE: ("#d9d9d9", ".."),
    TaskStatus.AWAITING_ACCEPTANCE: ("#ffffff", "\\\\"),
    TaskStatus.OPEN_ON_TIME: ("#f2f2f2", "//"),
    TaskStatus.DUE_SOON: ("#bfbfbf", "--"),
    TaskStatus.OVERDUE: ("#404040", "xx"),
    TaskStatus.ONGOING: ("#ffffff", "oo"),
}
WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with the Party's margins
DPI = 150


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def status_chart(figures: dict[str, Any]) -> bytes:
    """Horizontal bars, one per status of the tasks to be done, with count and share."""
    totals = figures["totals"]
    statuses = [s for s in REPORT_ORDER if s != TaskStatus.CANCELLED][::-1]
    with rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, 3.0), layout="constrained")
        axes = figure.add_subplot()
        values = [totals[s] for s in statuses]
        bars = axes.barh(
            [str(TaskStatus(s).label) for s in statuses],
            values,
            color=[LOOK[s][0] for s in statuses],
            hatch=[LOOK[s][1] for s in statuses],
            edgecolor="black",
            linewidth=0.8,
        )
        labels = [
            f"{num(v)} ({pct(totals['shares'][s])}%)" for s, v in zip(statuses, values, strict=True)
        ]
        axes.bar_label(bars, labels=labels, padding=3)
        axes.set_xlim(0, max([*values, 1]) * 1.3)
        axes.set_xlabel("Số nhiệm vụ")
        axes.xaxis.set_major_formatter(lambda x, _: num(int(x)))
        return _png(figure)


def agency_chart(figures: dict[str, Any], limit: int = 12) -> bytes:
    """For the agencies with the most overdue tasks: stacked bars of done, not yet due and
    overdue tasks, the overdue count written at the end of each bar."""
    rows = [r for r in figures["by_agency"] if r["overdue"]][:limit][::-1]
    names = [r["short_name"] or r["name"] for r in rows]
    series = [
        ("Đã hoàn thành", [r["done_on_time"] + r["done_late"] for r in rows], "#ffffff", ".."),
        ("Chưa đến hạn, chờ xác nhận", [r["in_time"] + r["awaiting_acceptance"] for r in rows],
         "#f2f2f2", "//"),
        ("Chưa hoàn thành, quá hạn", [r["overdue"] for r in rows], "#404040", "xx"),
    ]  # fmt: skip
    with rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, 0.9 + 0.3 * len(rows)), layout="constrained")
        axes = figure.add_subplot()
        left = [0] * len(rows)
        bars = None
        for label, values, fill, hatch in series:
            bars = axes.barh(names, values, left=left, label=label, color=fill, hatch=hatch,
                             edgecolor="black", linewidth=0.8)  # fmt: skip
            left = [a + b for a, b in zip(left, values, strict=True)]
        if bars is not None:
            axes.bar_label(bars, labels=[f"{num(r['overdue'])} quá hạn" for r in rows], padding=3)
        axes.set_xlim(0, max([*left, 1]) * 1.25)
        axes.set_xlabel("Số nhiệm vụ phải thực hiện")
        figure.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=8)
        return _png(figure)


def review_charts(figures: dict[str, Any]) -> dict[str, bytes]:
    """Every chart the report shows, by the key its `content.Chart` names."""
    charts = {"status": status_chart(figures)}
    if any(r["overdue"] for r in figures["by_agency"]):
        charts["agencies"] = agency_chart(figures)
    return charts
