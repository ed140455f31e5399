"""The course view: pain by day relative to each course's last session, one line per course.

Each line runs from ``-before`` to ``+after`` days and stops where the
neighbouring course begins (as the analysis' windows do), and breaks at a missing
day. The y-axis is each course's daily pain as a percent of its own baseline, so one
set of reference lines serves every course: 100% (its baseline) and the 30% and 50%
reductions (the IMMPACT moderate and substantial thresholds); each course's baseline
window is a short thick mark at 100%, its session days triangles at the top, and the
95% interval of its pain change a whisker at its follow-up mean. Builds Figure objects only.
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
    """The chart's title: what it shows and the period (the patient has a header line of their own)."""
    return f"Pain around each treatment course, {data.start} to {data.end}"


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
    patient: bool = True,
) -> None:
    """Draw the course view into ``box`` (left, bottom, width, height in inches) of ``fig``.

    The legend goes right of the axes, or under them with ``legend_below`` (for portrait pages).
    With ``patient`` (and a patient named), a header line above the title names them.
    """
    fig_w, fig_h = fig.get_size_inches()
    x0, y0, w, h = box or (0.0, 0.0, fig_w, fig_h)
    left = x0 + LEFT
    if patient and data.patient:
        h -= style.draw_patient(fig, data.patient, left, y0 + h, w - LEFT - 0.3)
    note_lines = sum(len(textwrap.wrap(note, int(w * 13))) for note in notes(plan, data))
    entries = len(plan.lines) + 2
    legend_h = -(-entries // 2) * 0.42 + 0.1 if legend_below else 0.0
    bottom = y0 + FOOTER + note_lines * 0.17 + legend_h
    right = 0.9 if legend_below else RIGHT_LEGEND
    fig.text(left / fig_w, (y0 + h - 0.32) / fig_h, title(data), fontsize=13, weight="bold", va="baseline")
    subtitle = (
        "Daily pain as a percent of each course's own baseline (its mean pain before its first session = 100%), "
        "by day relative to the course's last session (day 0); each line stops where the neighbouring course "
        "begins. Triangles mark session days; whiskers the 95% interval of the change."
    )
    for i, text in enumerate(textwrap.wrap(subtitle, int(w * 12))):
        fig.text(left / fig_w, (y0 + h - 0.55 - 0.16 * i) / fig_h, text, fontsize=8.5, color=style.GREY, va="baseline")
    top = y0 + h - HEADER - 0.16 * max(0, len(textwrap.wrap(subtitle, int(w * 12))) - 2)
    ax = fig.add_axes((left / fig_w, bottom / fig_h, (w - LEFT - right) / fig_w, (top - bottom) / fig_h))
    followup = data.parameters.followup_days
    ax.axvspan(0.5, followup + 0.5, color=style.FOLLOWUP, lw=0, zorder=0)
    ax.axvline(0, color=style.BLACK, lw=1, zorder=1)
    handles: list[Any] = []
    highest = 150.0
    for i, line in enumerate(plan.lines):
        color, marker, ls = style.SERIES[i % len(style.SERIES)]
        xs = np.asarray(line.offsets, dtype=float)
        cuts = np.nonzero(np.diff(xs) > 1)[0] + 1  # a line breaks at a missing day
        percents = [line.percent(value) for value in line.values]
        highest = max(highest, *percents)
        xs, ys = np.insert(xs, cuts, np.nan), np.insert(np.asarray(percents, dtype=float), cuts, np.nan)
        label = course_label(line)
        ax.plot(xs, ys, color=color, marker=marker, ls=ls, ms=4, lw=1.4, label=label, zorder=3)
        if line.baseline_span is not None:
            lo, hi = line.baseline_span
            ax.plot([lo - 0.4, hi + 0.4], [100, 100], color=color, lw=4, alpha=0.45, solid_capstyle="butt")
        _session_marks(ax, line, color, i)
        _interval(ax, line, color, i, len(plan.lines), followup)
        handles.append(Line2D([], [], color=color, marker=marker, ls=ls, ms=4, lw=1.4, label=label))
    _reference_lines(ax)
    ax.set_xlim(-plan.before - 0.5, plan.after + 0.5)
    ax.set_xticks(range(-plan.before - (-plan.before % 7), plan.after + 1, 7))
    ax.set_xticks(range(-plan.before, plan.after + 1), minor=True)
    top_percent = 50 * -(-highest // 50)
    ax.set_ylim(0, top_percent)
    ax.set_yticks(range(0, int(top_percent) + 1, 25 if top_percent <= 200 else 50))
    ax.set_xlabel("Days relative to the course's last session (day 0 = last session)")
    ax.set_ylabel("Daily pain, % of the course's own baseline")
    handles += [
        Line2D([], [], color=style.GREY, lw=4, alpha=0.45, label="Course baseline window\n(its mean pain = 100%)"),
        Line2D([], [], ls="none", marker="v", ms=6, color=style.GREY, label="Session day"),
        Patch(color=style.FOLLOWUP, lw=0, label=f"Follow-up window (days 1-{followup})"),
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


REFERENCE_LABELS = ("Baseline (100%)", "30% lower (70%)", "50% lower (50%)")  # IMMPACT moderate, substantial


def _reference_lines(ax: Any) -> None:
    """Each course's baseline (100%) and its 30% and 50% reductions, labelled right of the axes."""
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    for level, ls, text in zip((100, 70, 50), ("-", "--", ":"), REFERENCE_LABELS, strict=True):
        ax.axhline(level, color=style.GREY, ls=ls, lw=1, zorder=2, label=text)
        ax.text(1.01, level, text, transform=beside, ha="left", va="center", fontsize=7.5, color=style.GREY)


def _session_marks(ax: Any, line: CourseLine, color: str, index: int) -> None:
    """A triangle at the top of the axes on each of the course's session days (a row per course)."""
    top = blended_transform_factory(ax.transData, ax.transAxes)
    xs = list(line.session_offsets)
    row = 0.985 - 0.035 * index
    ax.plot(xs, [row] * len(xs), ls="none", marker="v", ms=6, color=color, transform=top, clip_on=False,
            label="_sessions", zorder=4)  # fmt: skip


def _interval(ax: Any, line: CourseLine, color: str, index: int, count: int, followup: int) -> None:
    """The 95% interval of the course's pain change, as a whisker at its follow-up mean (when there is one)."""
    pain = line.course.metrics["pain"]
    if pain.ci95 is None or pain.followup_mean is None or pain.baseline_mean is None:
        return
    base = pain.baseline_mean
    x = (1 + followup) / 2 + 0.3 * (index - (count - 1) / 2)  # mid follow-up, courses side by side
    low, high = (100 * (base + bound) / base for bound in pain.ci95)
    ax.plot([x, x], [low, high], color=color, lw=1.6, solid_capstyle="butt", label=f"_interval {line.number}", zorder=5)
    ax.plot([x], [100 * pain.followup_mean / base], ls="none", marker="_", ms=9, mew=2, color=color,
            label=f"_followup mean {line.number}", zorder=5)  # fmt: skip
