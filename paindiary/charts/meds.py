"""The medication timeline (``chart --view meds``, and the report's medication page): one lane per drug.

Every drug taken in the period (a name compared case-insensitively, per unit:
:func:`paindiary.regimen.drug_courses`) is a lane on a shared date axis, with a bar on
each day it was taken as tall as that day's total; a day without a dose has no bar.
An opioid recorded in mg is drawn in MME per day (the CDC 2022 factors of
:mod:`paindiary.opioids`), so opioid lanes compare with each other and with the trend
view's MME panel. Sessions, baseline and follow-up windows run through every lane as in
the trend view. :func:`plan_meds` is pure; the rest builds Figure objects only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from paindiary import opioids, regimen
from paindiary.charts import style
from paindiary.charts.data import ChartData, NothingToDrawError
from paindiary.charts.trend import LEFT, RIGHT, context, day_x
from paindiary.models import Treatment

LANE = 0.62  # inches per lane, its title included
HEADER, FOOTER = 0.95, 0.75
_COLORS = (style.BLUE, style.ORANGE, style.GREEN, style.VERMILION, style.PURPLE, style.SKY, style.BLACK)


@dataclass(frozen=True)
class Lane:
    """One drug's lane: its name, what its bars measure, and the daily values drawn."""

    name: str
    unit: str
    label: str  # "pregabalin, mg per day" or "oxycodone, MME per day (mg × 1.5)"
    days: tuple[str, ...]
    values: tuple[float, ...]
    opioid: bool
    course: regimen.DrugCourse


@dataclass(frozen=True)
class MedsPlan:
    lanes: tuple[Lane, ...]
    sessions: tuple[Treatment, ...]
    baselines: tuple[tuple[str, str], ...]
    followups: tuple[tuple[str, str], ...]


def plan_meds(data: ChartData) -> MedsPlan:
    """A lane for each drug taken in the period, ordered by first dose; raises when none was."""
    courses = regimen.drug_courses(data.medications, data.start, data.end, first_ever=data.first_doses)
    if not courses:
        raise NothingToDrawError(
            f"No medication logged between {data.start} and {data.end}: record doses with 'paindiary med add', "
            "or choose another period with --since/--until."
        )
    lanes = []
    for drug in courses:
        factor = opioids.mme_factor(drug.name, drug.unit)
        days = tuple(day for day, _ in drug.daily)
        if factor is None:
            values = tuple(total for _, total in drug.daily)
            label = f"{drug.name}, {drug.unit} per day"
        else:
            values = tuple(total * factor for _, total in drug.daily)
            label = f"{drug.name}, MME per day ({drug.unit} × {factor:g})"
        lanes.append(Lane(drug.name, drug.unit, label, days, values, factor is not None, drug))
    in_period = [(a, b) for a, b in data.baseline_spans() if b >= data.start and a <= data.end]
    followups = [(a, b) for a, b in data.followup_spans() if b >= data.start and a <= data.end]
    return MedsPlan(tuple(lanes), tuple(data.period_sessions()), tuple(in_period), tuple(followups))


def title(data: ChartData) -> str:
    """The chart's title: what it shows and the period."""
    return f"Medication, {data.start} to {data.end}"


def summary(plan: MedsPlan) -> str:
    """One line on what the lanes show."""
    opioid = sum(lane.opioid for lane in plan.lanes)
    return (
        f"{len(plan.lanes)} medication{'s' if len(plan.lanes) != 1 else ''}: a bar for each day taken, as tall as "
        "the day's total" + (f"; {opioid} opioid lane{'s' if opioid != 1 else ''} in MME per day" if opioid else "")
    )


def lanes_height(plan: MedsPlan) -> float:
    """Inches the lanes and their legend take without the title (the report's box)."""
    return 0.25 + LANE * len(plan.lanes) + FOOTER


def meds_figure(plan: MedsPlan, data: ChartData, *, width: float = 11.0) -> Figure:
    """A figure with a lane per drug, sized to its lanes."""
    patient = len(style.patient_lines(data.patient, width - LEFT - RIGHT)) * style.PATIENT_LINE
    with style.rc():
        fig = style.figure(width, HEADER + patient + LANE * len(plan.lanes) + FOOTER)
        draw_meds(fig, plan, data)
    return fig


def draw_meds(
    fig: Any, plan: MedsPlan, data: ChartData, box: tuple[float, float, float, float] | None = None, *,
    patient: bool = True, titled: bool = True,
) -> None:  # fmt: skip
    """Draw the lanes into ``box`` (left, bottom, width, height in inches) of ``fig``.

    ``titled``: with the chart's title and summary line above the lanes (the report has its own heading).
    """
    fig_w, fig_h = fig.get_size_inches()
    x0, y0, w, h = box or (0.0, 0.0, fig_w, fig_h)
    left = x0 + LEFT
    if patient and data.patient:
        h -= style.draw_patient(fig, data.patient, left, y0 + h, w - LEFT - RIGHT)
    if titled:
        fig.text(left / fig_w, (y0 + h - 0.32) / fig_h, title(data), fontsize=13, weight="bold", va="baseline")
        fig.text(left / fig_w, (y0 + h - 0.55) / fig_h, summary(plan), fontsize=8.5, color=style.GREY, va="baseline")
    top, bottom = y0 + h - (HEADER if titled else 0.25), y0 + FOOTER
    grid = fig.add_gridspec(
        len(plan.lanes), 1, left=left / fig_w, right=(x0 + w - RIGHT) / fig_w, top=top / fig_h,
        bottom=bottom / fig_h, hspace=0.55,
    )  # fmt: skip
    axes: list[Any] = []
    for i, lane in enumerate(plan.lanes):
        ax = fig.add_subplot(grid[i], sharex=axes[0] if axes else None)
        axes.append(ax)
        context(ax, plan.baselines, plan.followups, plan.sessions)
        color = _COLORS[i % len(_COLORS)]
        _bars(ax, day_x(list(lane.days)), lane.values, color)
        ax.set_title(lane.label, loc="left", fontsize=8.5, pad=2)
        highest = max(lane.values)
        ax.set_ylim(0, highest * 1.2)
        ax.set_yticks([0, highest])
        ax.set_yticklabels(["0", f"{highest:g}"], fontsize=7)
        ax.grid(False, axis="y")
        if i < len(plan.lanes) - 1:
            ax.tick_params(labelbottom=False)
    style.date_axis(axes[-1], date.fromisoformat(data.start), date.fromisoformat(data.end))
    handles: list[Any] = []
    if plan.sessions:
        handles.append(Line2D([], [], color=style.VERMILION, lw=1, ls=(0, (4, 2)), label="Treatment session"))
    if plan.baselines:
        handles.append(Patch(facecolor="none", edgecolor=style.HATCH, hatch=style.BASELINE_HATCH, lw=0,
                             label="Baseline window"))  # fmt: skip
    if plan.followups:
        handles.append(Patch(color=style.FOLLOWUP, lw=0, label="Follow-up window"))
    if handles:
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(left / fig_w, (bottom - 0.3) / fig_h),
                   ncol=len(handles), borderaxespad=0, borderpad=0)  # fmt: skip


def _bars(ax: Any, x: Any, heights: Sequence[float], color: str, width: float = 0.8) -> None:
    """A bar of ``heights`` centred on each of ``x`` (filled and edged in ``color``), as one collection.

    One artist for the lane's bars, not a rectangle each: a ten-year lane has thousands of
    bars, and drawing each as its own patch was most of the report's medication page. The
    axes' data limits are not updated (the lanes' limits are set).
    """
    from matplotlib.collections import PolyCollection

    lefts = np.asarray(x, dtype=float) - width / 2
    tops = np.asarray(heights, dtype=float)
    bottoms = np.zeros_like(tops)
    corners = np.stack(
        [
            np.column_stack(pair)
            for pair in ((lefts, bottoms), (lefts, tops), (lefts + width, tops), (lefts + width, bottoms))
        ],
        axis=1,
    )
    bars = PolyCollection(
        list(corners), facecolors=color, edgecolors=color, linewidths=0.3, zorder=3, label="_nolegend_"
    )
    ax.add_collection(bars, autolim=False)


def regimen_rows(plan: MedsPlan) -> list[list[str]]:
    """The report's medication table: drug, first and last dose, usual daily total at start and end, changes."""
    rows = []
    for lane in plan.lanes:
        drug = lane.course
        rows.append(
            [
                drug.name,
                drug.first_dose,
                drug.last_dose,
                _amount(drug.usual_start, drug.unit, lane),
                _amount(drug.usual_end, drug.unit, lane),
                "; ".join(_change(change, drug.unit) for change in drug.changes) or "none",
            ]
        )
    return rows


def _amount(total: float, unit: str, lane: Lane) -> str:
    text = f"{total:g} {unit}"
    if lane.opioid:
        factor = opioids.mme_factor(lane.name, unit)
        assert factor is not None
        text += f" ({total * factor:g} MME)"
    return text


def _change(change: regimen.Change, unit: str) -> str:
    if change.kind == "started":
        return f"started {change.day}"
    if change.kind == "stopped":
        return f"stopped after {change.day}"
    return f"{change.kind} {change.before:g} → {change.after:g} {unit} on {change.day}"


def write_section(flow: Any, data: ChartData) -> None:
    """The report's Medication section on ``flow``: the timeline, then each drug's usual doses and changes.

    Nothing when no dose was logged in the period.
    """
    from paindiary.charts.pdf_layout import Column

    try:
        plan = plan_meds(data)
    except NothingToDrawError:
        return
    flow.heading("Medication")
    flow.paragraph(summary(plan) + "; sessions and windows as in the trend chart.", 8, style.GREY)
    flow.figure(lanes_height(plan), lambda page, box: draw_meds(page, plan, data, box, patient=False, titled=False))
    columns = [
        Column("Medication", 1.3), Column("First dose", 0.9), Column("Last dose", 0.9),
        Column("Usual daily total at start", 1.2), Column("At end", 1.2), Column("Changes", 2.2),
    ]  # fmt: skip
    flow.table(columns, regimen_rows(plan), size=7.5)
    flow.paragraph(
        "Usual daily total: the median of the first (or last) 7 days the drug was taken in the period. A change is a "
        "new daily total kept for at least 3 dosing days; opioids in mg also in MME (CDC 2022 factors).",
        7.5,
        style.GREY,
    )
