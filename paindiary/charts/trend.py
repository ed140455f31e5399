"""The trend view: daily pain and its 7-day mean over time, with every treatment session marked.

Panels share the date axis: pain (points, 7-day mean line, worst-least band),
then sleep (hours and quality), mood, PEG and daily opioid MME as chosen;
any other panel of :mod:`paindiary.registry` is a line per measure on its range, and the
measured panels (:mod:`paindiary.charts.measured`, imported when drawn) follow. Each
session is a vertical line through every panel; each course is numbered above
the top panel (the key is under the chart) and its follow-up window is shaded.
Builds :class:`~matplotlib.figure.Figure` objects only (no pyplot).
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory, offset_copy

from paindiary import registry, when
from paindiary.charts import style
from paindiary.charts.data import MEASURED_PANELS, PANEL_MEASURES, PANELS, ChartData, TrendPlan
from paindiary.models import Treatment
from paindiary.wording import plural

PAIN_HEIGHT = 2.9  # inches
PANEL_HEIGHT = 1.35
HEADER = 1.05  # title, subtitle and course numbers
LEFT, RIGHT = 0.75, 0.7
LINE = 0.17  # one line of footer text
GAP = 0.12  # between panels
TICKS = 0.45  # room for the date labels under the bottom panel


def day_x(days: Sequence[str], *, noon: bool = True) -> np.ndarray:
    """Matplotlib date numbers of ``days`` (at noon, where the day's value is drawn)."""
    x = mdates.date2num(np.array(days, dtype="datetime64[D]"))
    return np.asarray(x, dtype=float) + (0.5 if noon else 0.0)


def session_x(stamps: Sequence[str]) -> np.ndarray:
    return np.asarray(mdates.date2num([when.naive_local(s) for s in stamps]), dtype=float)


# baseline windows: a hatch in grey lines on no fill, apart from the flat follow-up grey in print
_BASELINE_STYLE: dict[str, Any] = {
    "facecolor": "none",
    "edgecolor": style.HATCH,
    "hatch": style.BASELINE_HATCH,
    "lw": 0,
}
MAX_GAP = 1.5  # days: a line joins the values of consecutive days only (nothing is drawn that was not logged)


def _broken(x: np.ndarray, y: Sequence[float], max_gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN where consecutive points are more than ``max_gap`` days apart, so lines break there."""
    y_arr = np.asarray(y, dtype=float)
    if len(x) < 2:
        return x, y_arr
    cuts = np.nonzero(np.diff(x) > max_gap)[0] + 1
    return np.insert(x, cuts, np.nan), np.insert(y_arr, cuts, np.nan)


def marker_size(n: int) -> float:
    """Markers for ``n`` values: every value keeps its marker, smaller on long periods (not fewer)."""
    return 3 if n <= 200 else 2 if n <= 800 else 1.2


def _legend_columns(width: float) -> int:
    return max(2, min(5, int(width // 2.0)))


def _panel_height(panel: str) -> float:
    if panel in MEASURED_PANELS:
        from paindiary.charts import measured  # it draws with this module's helpers

        return measured.height(panel)
    return PAIN_HEIGHT if panel == "pain" else PANEL_HEIGHT


def course_key(plan: TrendPlan) -> str:
    parts = []
    for number, course in plan.courses:
        count = course.sessions
        sessions = f"{count} sessions" if count > 1 else "1 session"
        last = f" to {course.last_session[:10]}" if count > 1 else ""
        # no-break spaces keep "3 = 2026-01-05" together when the key wraps
        parts.append(f"{number}\u00a0=\u00a0{course.first_session[:10]}{last}, {course.name} ({sessions})")
    return ("Courses: " + "; ".join(parts) + ".") if parts else ""


def _footer_lines(plan: TrendPlan, data: ChartData, width: float) -> list[tuple[str, str]]:
    """(text, style) lines under the chart: course key, then notes."""
    chars = int(width * 13)
    lines = [(line, "key") for line in textwrap.wrap(course_key(plan), chars)]
    notes = list(plan.missing)
    if "mme" in plan.panels and data.mme_caution:
        notes.append(data.mme_caution)
    for note in notes:
        lines += [(line, "note") for line in textwrap.wrap(note, chars)]
    return lines


def _pain_handles(plan: TrendPlan) -> list[Any]:
    handles: list[Any] = [
        Line2D([], [], ls="none", marker="o", ms=4, color=style.BLUE, label="Daily pain"),
        Line2D([], [], color=style.BLACK, lw=1.6, label="7-day mean pain"),
    ]
    if plan.series["worst_pain"][0]:
        handles.append(Patch(color=style.SKY, alpha=style.BAND_ALPHA, lw=0, label=BAND_LABEL))
    return handles


def _sleep_handles(plan: TrendPlan) -> list[Any]:
    handles: list[Any] = []
    if plan.series["sleep_hours"][0]:
        handles.append(Line2D([], [], color=style.BLUE, marker="o", ms=3, label="Sleep hours"))
    if plan.series["sleep_quality"][0]:
        handles.append(Line2D([], [], color=style.PURPLE, marker="s", ms=3, ls="--", label="Sleep quality"))
    return handles


def _generic_handles(panel: str, plan: TrendPlan) -> list[Any]:
    """One line per measure of a panel drawn by :func:`_draw_generic`."""
    return [
        Line2D([], [], color=color, marker=marker, ms=3, ls=ls, label=registry.measure(name).label)
        for name, (color, marker, ls) in zip(PANEL_MEASURES[panel], itertools.cycle(style.SERIES))
        if plan.series[name][0]
    ]


def _panel_handles(panel: str, plan: TrendPlan) -> list[Any]:
    """The legend entries of one drawn panel."""
    if panel == "pain":
        return _pain_handles(plan)
    if panel == "sleep":
        return _sleep_handles(plan)
    if panel == "mood":
        return [Line2D([], [], color=style.GREEN, marker="^", ms=3, label="Mood")]
    if panel == "peg":
        return [Line2D([], [], color=style.BLUE, marker="D", ms=3, ls="-.", label="PEG score")]
    if panel == "mme":
        return [
            Patch(facecolor=style.ORANGE, alpha=style.MME_ALPHA, edgecolor=style.ORANGE, label="Opioid MME per day")
        ]
    if panel in MEASURED_PANELS:
        from paindiary.charts import measured

        return measured.handles(panel, plan)
    return _generic_handles(panel, plan)


def _legend_handles(plan: TrendPlan, data: ChartData) -> list[Any]:
    """The first panel's entries (pain), the sessions and follow-up windows, then the other panels'."""
    lead = PANELS[0]
    handles: list[Any] = _panel_handles(lead, plan) if lead in plan.panels else []
    if plan.sessions:
        handles.append(Line2D([], [], color=style.VERMILION, lw=1, ls=(0, (4, 2)), label="Treatment session"))
    if plan.baselines:
        days = data.parameters.baseline_days
        handles.append(Patch(**_BASELINE_STYLE, label=f"Baseline window ({days} days before)"))
    if plan.followups:
        days = data.parameters.followup_days
        handles.append(Patch(color=style.FOLLOWUP, lw=0, label=f"Follow-up window ({days} days)"))
    for panel in plan.panels:
        if panel != lead:
            handles += _panel_handles(panel, plan)
    return handles


def natural_height(plan: TrendPlan, data: ChartData, width: float) -> float:
    """The height (inches) at which every panel and the footer have room."""
    handles = _legend_handles(plan, data)
    rows = -(-len(handles) // _legend_columns(width))
    footer = TICKS + rows * 0.2 + len(_footer_lines(plan, data, width)) * LINE + 0.15
    panels = sum(_panel_height(p) for p in plan.panels) + GAP * (len(plan.panels) - 1)
    return HEADER + _patient_height(data, width) + panels + footer


def _patient_height(data: ChartData, width: float) -> float:
    return len(style.patient_lines(data.patient, width - LEFT - RIGHT)) * style.PATIENT_LINE


def trend_figure(plan: TrendPlan, data: ChartData, *, width: float = 11.0) -> Figure:
    """A figure sized to its panels."""
    with style.rc():
        fig = style.figure(width, natural_height(plan, data, width))
        draw_trend(fig, plan, data)
    return fig


def title(data: ChartData) -> str:
    """The chart's title: what it shows and the period (the patient has a header line of their own)."""
    return f"Pain and treatments, {data.start} to {data.end}"


def draw_trend(
    fig: Any,
    plan: TrendPlan,
    data: ChartData,
    box: tuple[float, float, float, float] | None = None,
    heading: str | None = None,
    *,
    patient: bool = True,
) -> None:
    """Draw the trend view into ``box`` (left, bottom, width, height in inches) of ``fig``, titled ``heading``.

    With ``patient`` (and a patient named), a header line above the title names them (the report's
    pages name the patient in their running head instead).
    """
    fig_w, fig_h = fig.get_size_inches()
    x0, y0, w, h = box or (0.0, 0.0, fig_w, fig_h)
    if patient and data.patient:
        h -= style.draw_patient(fig, data.patient, x0 + LEFT, y0 + h, w - LEFT - RIGHT)
    handles = _legend_handles(plan, data)
    footer = _footer_lines(plan, data, w)
    rows = -(-len(handles) // _legend_columns(w))
    footer_h = TICKS + rows * 0.2 + len(footer) * LINE + 0.15
    top, bottom = y0 + h - HEADER, y0 + footer_h
    left = x0 + LEFT
    # header: title and a one-line summary of what is drawn
    logged = len(plan.series["pain"][0])
    fig.text(left / fig_w, (y0 + h - 0.32) / fig_h, heading or title(data), fontsize=13, weight="bold", va="baseline")
    courses = len(plan.courses)
    sessions = plural(len(plan.sessions), "treatment session")
    summary = f"{plural(logged, 'day')} with pain logged · {sessions} in {plural(courses, 'course')}"
    if "pain" not in plan.panels and plan.panels[0] in MEASURED_PANELS:  # the measured panels alone
        days = {day for panel in plan.panels for m in MEASURED_PANELS[panel] for day in plan.series[m][0]}
        summary = f"{plural(len(days), 'day')} measured by a phone or watch · {sessions}"
    if courses:
        summary += ", numbered above the chart and listed below it"
    fig.text(left / fig_w, (y0 + h - 0.55) / fig_h, summary, fontsize=8.5, color=style.GREY, va="baseline")
    heights = [_panel_height(p) for p in plan.panels]
    grid = fig.add_gridspec(
        len(plan.panels),
        1,
        left=left / fig_w,
        right=(x0 + w - RIGHT) / fig_w,
        top=top / fig_h,
        bottom=bottom / fig_h,
        height_ratios=heights,
        hspace=GAP * len(heights) / sum(heights),
    )
    axes: list[Any] = []
    for i, panel in enumerate(plan.panels):
        ax = fig.add_subplot(grid[i], sharex=axes[0] if axes else None)
        axes.append(ax)
        _context(ax, plan)
        if panel in _PANEL_DRAW:
            _PANEL_DRAW[panel](ax, plan)
        elif panel in MEASURED_PANELS:
            from paindiary.charts import measured

            measured.draw(ax, plan, panel)
        else:
            _draw_generic(ax, plan, panel)
        if i < len(plan.panels) - 1:
            ax.tick_params(labelbottom=False)
    style.date_axis(axes[-1], date.fromisoformat(data.start), date.fromisoformat(data.end))
    for ax in fig.axes[fig.axes.index(axes[0]) :]:  # the panels drawn here and their twin axes
        _fit_label(ax, fig_h)
    lift = 0.0
    if plan.panels[0] in MEASURED_PANELS:  # on top (measurements alone, the report's measured page): above its title
        from paindiary.charts import measured

        lift = measured.TITLE_ROOM
    _course_numbers(axes[0], plan, lift)
    # footer: legend, course key, notes
    legend_top = (bottom - TICKS) / fig_h
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(left / fig_w, legend_top),
        ncol=_legend_columns(w),
        handlelength=2.2,
        columnspacing=1.6,
        borderaxespad=0,
        borderpad=0,
    )
    y = bottom - TICKS - rows * 0.2 - 0.1
    for text, kind in footer:
        y -= LINE
        fig.text(
            left / fig_w, y / fig_h, text, fontsize=8, va="baseline", color=style.BLACK if kind == "key" else style.GREY
        )


def _context(ax: Any, plan: TrendPlan) -> None:
    """Baseline and follow-up windows and session lines, on every panel."""
    context(ax, plan.baselines, plan.followups, plan.sessions)


def context(
    ax: Any,
    baselines: Sequence[tuple[str, str]],
    followups: Sequence[tuple[str, str]],
    sessions: Sequence[Treatment],
) -> None:
    """Baseline windows (hatched), follow-up windows (flat grey) and session lines on ``ax`` (any dated panel)."""
    _spans(ax, baselines, label=BASELINES_LABEL, **_BASELINE_STYLE, zorder=0)
    _spans(ax, followups, label=FOLLOWUPS_LABEL, color=style.FOLLOWUP, lw=0, zorder=0)
    if sessions:
        ax.vlines(
            session_x([s.started_at for s in sessions]),
            0,
            1,
            transform=ax.get_xaxis_transform(),
            colors=style.VERMILION,
            linestyles=[(0, (4, 2))],
            lw=1,
            label="Treatment session",
            zorder=1,
        )


# the windows' patches (labels starting with "_": no legend takes them by itself)
BASELINES_LABEL, FOLLOWUPS_LABEL = "_baseline windows", "_follow-up windows"


def _spans(ax: Any, windows: Sequence[tuple[str, str]], **kwargs: Any) -> None:
    """The full-height rectangles ``ax.axvspan`` draws over the windows' days, as one patch (no data-limit update).

    One patch rather than a Rectangle a window: a ten-year diary's windows on six panels were
    a hundred patches, each drawn (its hatch made again) on its own. Every dated panel's x limits
    are set (:func:`paindiary.charts.style.date_axis`), so a data-limit update would only cost time.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    if not windows:
        return
    starts = day_x([first for first, _ in windows], noon=False)
    ends = day_x([last for _, last in windows], noon=False) + 1
    corners = [((x0, 0), (x1, 0), (x1, 1), (x0, 1), (x0, 0)) for x0, x1 in zip(starts, ends, strict=True)]
    codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(windows)
    patch = PathPatch(Path([point for rectangle in corners for point in rectangle], codes), **kwargs)
    patch.set_transform(ax.get_xaxis_transform(which="grid"))
    ax.add_artist(patch)


BAND_LABEL = "Least to worst pain"


def _band(ax: Any, x: np.ndarray, lower: np.ndarray, upper: np.ndarray, **kwargs: Any) -> None:
    """The area between ``lower`` and ``upper``, a polygon per run of values between NaNs, as one patch.

    One patch rather than ``fill_between``'s collection: matplotlib draws a collection of a single
    polygon as a marker, several times slower for years of days (0.1 s of a ten-year PNG chart). Added
    without a data-limit update (the panel's limits are set), which walks the outline segment by segment.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    breaks = np.flatnonzero(np.isnan(x))
    polygons = []
    for run in np.split(np.arange(len(x)), breaks):
        run = run[~np.isnan(x[run])]
        if len(run):
            xs, low, high = x[run], lower[run], upper[run]
            outline = np.concatenate([np.column_stack([xs, low]), np.column_stack([xs[::-1], high[::-1]])])
            polygons.append(Path(np.concatenate([outline, outline[:1]]), closed=True))
    if polygons:
        ax.add_artist(PathPatch(Path.make_compound_path(*polygons), **kwargs))


def _fit_label(ax: Any, fig_h: float) -> None:
    """Put a y label longer than its panel is high on lines of its own: its name, then its scale ("Opioid\n(MME/day)").

    A report page's panels are shorter than a chart's: on one line "Mood (0-10, 10 best)" ran
    into the labels of the panels above and below it.
    """
    label = ax.yaxis.label
    text, chars = label.get_text(), style.chars_for(ax.get_position().height * fig_h, label.get_fontsize())
    if "\n" in text or len(text) <= chars:
        return
    name, bracket, scale = text.partition(" (")
    parts = [name, f"({scale}"] if bracket else [text]
    label.set_text("\n".join(line for part in parts for line in textwrap.wrap(part, chars, break_long_words=False)))


def _score_axis(ax: Any, label: str) -> None:
    ax.set_ylim(0, 10)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_ylabel(label)


def _draw_pain(ax: Any, plan: TrendPlan) -> None:
    days, values = plan.series["pain"]
    worst, least = plan.series["worst_pain"], plan.series["least_pain"]
    both = sorted(set(worst[0]) & set(least[0]))
    if both:
        hi = dict(zip(*worst, strict=True))
        lo = dict(zip(*least, strict=True))
        x, upper = _broken(day_x(both), [hi[d] for d in both], MAX_GAP)
        _, lower = _broken(day_x(both), [lo[d] for d in both], MAX_GAP)
        _band(ax, x, lower, upper, color=style.SKY, alpha=style.BAND_ALPHA, lw=0, label=BAND_LABEL, zorder=2)
    if days:
        x = day_x(days)
        size = marker_size(len(days))  # years of points must not hide the mean
        ax.plot(x, values, ls="none", marker="o", ms=size, color=style.BLUE, alpha=0.85, label="Daily pain", zorder=3)
        mx, my = _broken(x, plan.series["pain_mean"][1], MAX_GAP)
        ax.plot(mx, my, color=style.BLACK, lw=1.6, label="7-day mean pain", zorder=4)
    _score_axis(ax, "Pain (0-10)")


def _line(ax: Any, days: list[str], values: list[float], label: str, color: str, marker: str, ls: str) -> None:
    x, y = _broken(day_x(days), values, MAX_GAP)
    ax.plot(x, y, color=color, marker=marker, ms=marker_size(len(days)), ls=ls, lw=1.1, label=label)


def _draw_sleep(ax: Any, plan: TrendPlan) -> None:
    hours, quality = plan.series["sleep_hours"], plan.series["sleep_quality"]
    target = ax
    if hours[0]:
        _line(ax, *hours, "Sleep hours", style.BLUE, "o", "-")
        top = min(24, max(12, int(max(hours[1])) + 2))
        ax.set_ylim(0, top)
        ax.set_yticks(range(0, top + 1, 4 if top <= 12 else 6))
        ax.set_ylabel("Sleep (hours)")
        if not quality[0]:
            return
        target = ax.twinx()
        target.grid(False)
        target.spines["right"].set_visible(True)
    _line(target, *quality, "Sleep quality", style.PURPLE, "s", "--")
    _score_axis(target, "Sleep quality (0-10)")


def _draw_mood(ax: Any, plan: TrendPlan) -> None:
    _line(ax, *plan.series["mood"], "Mood", style.GREEN, "^", "-")
    _score_axis(ax, "Mood (0-10, 10 best)")


def _draw_peg(ax: Any, plan: TrendPlan) -> None:
    _line(ax, *plan.series["peg"], "PEG score", style.BLUE, "D", "-.")
    _score_axis(ax, "PEG (0-10)")


def _draw_mme(ax: Any, plan: TrendPlan) -> None:
    days, values = plan.series["mme"]
    x, y = _broken(day_x(days), values, MAX_GAP)
    ax.fill_between(x, 0, y, step="mid", facecolor=style.ORANGE, alpha=style.MME_ALPHA, edgecolor=style.ORANGE, lw=0.8)
    ax.plot(x, y, drawstyle="steps-mid", color=style.ORANGE, lw=1, label="Opioid MME per day")
    top = max(values) if values else 0
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_ylabel("Opioid\n(MME/day)")


def _draw_generic(ax: Any, plan: TrendPlan, panel: str) -> None:
    """A panel of the registry with no drawing of its own: a line per measure, on the first one's range."""
    names = PANEL_MEASURES[panel]
    for name, (color, marker, ls) in zip(names, itertools.cycle(style.SERIES)):
        if plan.series[name][0]:
            _line(ax, *plan.series[name], registry.measure(name).label, color, marker, ls)
    first = registry.measure(names[0])
    if first.low == 0 and first.high == 10:
        _score_axis(ax, first.overview)
        return
    values = [value for name in names for value in plan.series[name][1]]
    top = first.high if math.isfinite(first.high) else max(values, default=0) * 1.15 or 1
    ax.set_ylim(first.low, top)
    ax.set_ylabel(first.overview)


# the panels drawn their own way; any other panel of the registry is drawn by _draw_generic
_PANEL_DRAW = {"pain": _draw_pain, "sleep": _draw_sleep, "mood": _draw_mood, "peg": _draw_peg, "mme": _draw_mme}


def _course_numbers(ax: Any, plan: TrendPlan, lift: float = 0.0) -> None:
    """A triangle above each session and each course's number above its first session, staggered when close.

    ``lift``: inches between the top of ``ax`` and the triangles (room for the panel's title).
    """
    if not plan.sessions:
        return
    blend: Any = blended_transform_factory(ax.transData, ax.transAxes)
    if lift:
        blend = offset_copy(blend, fig=ax.figure, y=lift, units="inches")
    xs = session_x([s.started_at for s in plan.sessions])
    ax.plot(xs, np.ones(len(xs)), ls="none", marker="v", ms=5, color=style.VERMILION, transform=blend, clip_on=False)
    lo, hi = ax.get_xlim()
    width_in = ax.get_position().width * ax.figure.get_size_inches()[0]
    per_inch = (hi - lo) / width_in if width_in else 1
    last_x = [-np.inf, -np.inf]
    for number, course in plan.courses:
        x = session_x([course.first_session])[0]
        row = next((r for r in range(2) if (x - last_x[r]) / per_inch > 0.25), 0)
        last_x[row] = x
        where = offset_copy(blend, fig=ax.figure, y=0.1 + 0.16 * row, units="inches")
        ax.text(x, 1, str(number), transform=where, ha="center", va="bottom", fontsize=8, weight="bold")
