"""The course view: pain by day relative to each course's last session, one line per course.

Each line runs from ``-before`` to ``+after`` days and stops where the
neighbouring course begins (as the analysis' windows do). Reference lines show
the most recent course's baseline and the 30% and 50% reductions from it (the
IMMPACT moderate and substantial thresholds); each course's own baseline is a
short thick mark over its baseline window. Builds Figure objects only.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from paindiary.charts import style
from paindiary.charts.data import ChartData, CourseLine, CoursePlan
from paindiary.wording import plural

LEFT, RIGHT_LEGEND = 0.75, 4.1  # inches; the reference labels sit right of the axes
HEADER, FOOTER = 1.05, 0.95


def course_label(line: CourseLine) -> str:
    """The legend text of a course: number, dates, treatment and its pain result."""
    course = line.course
    count = course.sessions
    sessions = f" ×{count}" if count > 1 else ""
    text = textwrap.fill(f"{line.number}. {course.first_session[:10]} {course.name}{sessions}", 42)
    pain = course.metrics["pain"]
    if pain.baseline_mean is not None and pain.followup_mean is not None:
        text += f"\npain {pain.baseline_mean:.1f} → {pain.followup_mean:.1f}"
        if pain.pct_change is not None:
            pct = f"{pain.pct_change:+.0f}".replace("-0", "0").replace("+0", "0")
            text += f" ({pct}%"
            text += f", {pain.response})" if pain.response else ")"
    elif course.status == "insufficient_data":
        text += "\ntoo few days of pain to compare"
    return text


def title(data: ChartData) -> str:
    who = f" — {data.patient}" if data.patient else ""
    return f"Pain around each treatment course, {data.start} to {data.end}{who}"


def notes(plan: CoursePlan, data: ChartData) -> list[str]:
    out = []
    if plan.left_out:
        shown = len(plan.lines) + len(plan.missing)
        out.append(
            f"Showing the {shown} most recent of {shown + plan.left_out} courses in the period; "
            f"{plural(plan.left_out, 'earlier course')} left out (choose a shorter period with --since/--until)."
        )
    out.extend(plan.missing)
    return out


def course_figure(plan: CoursePlan, data: ChartData, *, width: float = 11.0, height: float = 6.5) -> Figure:
    with style.rc():
        fig = style.figure(width, height)
        draw_course(fig, plan, data)
    return fig


def draw_course(
    fig: Any,
    plan: CoursePlan,
    data: ChartData,
    box: tuple[float, float, float, float] | None = None,
    *,
    legend_below: bool = False,
) -> None:
    """Draw the course view into ``box`` (left, bottom, width, height in inches) of ``fig``.

    The legend goes right of the axes, or under them with ``legend_below`` (for portrait pages).
    """
    fig_w, fig_h = fig.get_size_inches()
    x0, y0, w, h = box or (0.0, 0.0, fig_w, fig_h)
    left = x0 + LEFT
    note_lines = sum(len(textwrap.wrap(note, int(w * 13))) for note in notes(plan, data))
    entries = len(plan.lines) + 2
    legend_h = -(-entries // 2) * 0.42 + 0.1 if legend_below else 0.0
    bottom = y0 + FOOTER + note_lines * 0.17 + legend_h
    right = 0.9 if legend_below else RIGHT_LEGEND
    fig.text(left / fig_w, (y0 + h - 0.32) / fig_h, title(data), fontsize=13, weight="bold", va="baseline")
    subtitle = (
        "Daily pain by day relative to each course's last session (day 0); "
        "each line stops where the neighbouring course begins."
    )
    for i, text in enumerate(textwrap.wrap(subtitle, int(w * 12))):
        fig.text(left / fig_w, (y0 + h - 0.55 - 0.16 * i) / fig_h, text, fontsize=8.5, color=style.GREY, va="baseline")
    ax = fig.add_axes((left / fig_w, bottom / fig_h, (w - LEFT - right) / fig_w, (y0 + h - HEADER - bottom) / fig_h))
    followup = data.parameters.followup_days
    ax.axvspan(0.5, followup + 0.5, color=style.LIGHT, lw=0, zorder=0)
    ax.axvline(0, color=style.BLACK, lw=1, zorder=1)
    handles: list[Any] = []
    for i, line in enumerate(plan.lines):
        color, marker, ls = style.SERIES[i % len(style.SERIES)]
        xs = np.asarray(line.offsets, dtype=float)
        cuts = np.nonzero(np.diff(xs) > 3)[0] + 1
        xs, ys = np.insert(xs, cuts, np.nan), np.insert(np.asarray(line.values, dtype=float), cuts, np.nan)
        label = course_label(line)
        ax.plot(xs, ys, color=color, marker=marker, ls=ls, ms=4, lw=1.4, label=label, zorder=3)
        if line.baseline is not None and line.baseline_span is not None:
            lo, hi = line.baseline_span
            ax.plot([lo - 0.4, hi + 0.4], [line.baseline] * 2, color=color, lw=4, alpha=0.45, solid_capstyle="butt")
        handles.append(Line2D([], [], color=color, marker=marker, ls=ls, ms=4, lw=1.4, label=label))
    _reference_lines(ax, plan)
    ax.set_xlim(-plan.before - 0.5, plan.after + 0.5)
    ax.set_xticks(range(-plan.before - (-plan.before % 7), plan.after + 1, 7))
    ax.set_xticks(range(-plan.before, plan.after + 1), minor=True)
    ax.set_ylim(0, 10)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_xlabel("Days relative to the course's last session (day 0 = last session)")
    ax.set_ylabel("Daily pain (0-10)")
    handles += [
        Line2D(
            [], [], color=style.GREY, lw=4, alpha=0.45, label="Course baseline\n(mean pain before its first session)"
        ),
        Patch(color=style.LIGHT, lw=0, label=f"Follow-up window (days 1-{followup})"),
    ]
    if legend_below:
        anchor = (left / fig_w, (bottom - 0.55) / fig_h)
    else:
        anchor = ((x0 + w - RIGHT_LEGEND + 1.0) / fig_w, (y0 + h - HEADER) / fig_h)
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=anchor,
        ncol=2 if legend_below else 1,
        borderaxespad=0,
        labelspacing=0.9,
        handlelength=2.6,
        columnspacing=2.0,
    )
    y = bottom - 0.65 - legend_h
    for note in notes(plan, data):
        for text in textwrap.wrap(note, int(w * 15)):
            fig.text(left / fig_w, y / fig_h, text, fontsize=8, color=style.GREY, va="baseline")
            y -= 0.17


def _reference_lines(ax: Any, plan: CoursePlan) -> None:
    """The reference course's baseline and its 30% and 50% reductions, labelled right of the axes."""
    ref = plan.reference
    if ref is None or ref.baseline is None:
        return
    levels = (
        (ref.baseline, "-", f"Baseline {ref.baseline:.1f}\n(course {ref.number})"),
        (ref.baseline * 0.7, "--", f"30% lower {ref.baseline * 0.7:.1f}"),
        (ref.baseline * 0.5, ":", f"50% lower {ref.baseline * 0.5:.1f}"),
    )
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    for level, ls, text in levels:
        ax.axhline(level, color=style.GREY, ls=ls, lw=1, zorder=2, label=text.split("\n")[0])
        ax.text(1.01, level, text, transform=beside, ha="left", va="center", fontsize=7.5, color=style.GREY)
