"""The trend view's measured panels: sleep, steps and resting heart rate from a phone or watch.

Drawn below the diary's own panels when the period has measurements
(:data:`paindiary.charts.data.MEASURED_PANELS` says which panel draws which metric;
:func:`paindiary.charts.data.plan_trend` chooses them). Each is a small panel with a
title saying the values were measured, sharing the date axis:

- measured sleep: the device's hours asleep (minutes / 60, the day's value averaged
  over sources) as a dashed line with diamonds, beside the self-rated sleep hours
  (solid line with circles, as in the sleep panel);
- steps: a hatched bar a day;
- resting heart rate: a dash-dotted line with triangles.

Lines break at every missing day (no segment joins values more than a day apart) and
every value has its marker, so a lone day still shows. Colours are paired with line
styles, markers and hatching, so the panels read in grey print too.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from paindiary.charts import style
from paindiary.charts.data import TrendPlan
from paindiary.charts.trend import MAX_GAP, PANEL_HEIGHT, _broken, day_x, marker_size

HEIGHT = PANEL_HEIGHT - 0.2  # inches, the plotting area of a measured panel
TITLE_ROOM = 0.24  # inches above it for its title
TITLES = {
    "measured_sleep": "Measured sleep (phone or watch)",
    "steps": "Measured steps (phone or watch)",
    "resting_hr": "Measured resting heart rate (phone or watch)",
}
DEVICE_SLEEP = (style.VERMILION, "D", "--")  # colour, marker, line style
SELF_RATED_SLEEP = (style.BLUE, "o", "-")  # as the sleep panel draws the sleep hours
RESTING_HR = (style.BLACK, "^", "-.")
STEPS_HATCH = "////"


def height(panel: str) -> float:
    """The height (inches) a measured panel takes, its title included."""
    return HEIGHT + TITLE_ROOM


def _line(ax: Any, days: list[str], values: list[float], label: str, look: tuple[str, str, str]) -> None:
    color, marker, ls = look
    x, y = _broken(day_x(days), values, MAX_GAP)
    ax.plot(x, y, color=color, marker=marker, ms=marker_size(len(days)), ls=ls, lw=1.1, label=label, zorder=3)


def _self_rated_label(plan: TrendPlan) -> str:
    # the sleep panel's legend entry already names the same line when that panel is drawn
    return "Sleep hours" if "sleep" in plan.panels else "Sleep hours, self-rated"


def handles(panel: str, plan: TrendPlan) -> list[Any]:
    """The legend entries of a measured panel."""
    if panel == "measured_sleep":
        color, marker, ls = DEVICE_SLEEP
        found: list[Any] = [Line2D([], [], color=color, marker=marker, ms=3, ls=ls, label="Sleep hours, measured")]
        if plan.series["sleep_hours"][0] and "sleep" not in plan.panels:
            color, marker, ls = SELF_RATED_SLEEP
            found.append(Line2D([], [], color=color, marker=marker, ms=3, ls=ls, label=_self_rated_label(plan)))
        return found
    if panel == "steps":
        return [Patch(facecolor=style.SKY, edgecolor=style.BLUE, hatch=STEPS_HATCH, lw=0.5, label="Steps per day")]
    color, marker, ls = RESTING_HR
    return [Line2D([], [], color=color, marker=marker, ms=3, ls=ls, label="Resting heart rate")]


def draw(ax: Any, plan: TrendPlan, panel: str) -> None:
    """Draw measured ``panel`` into ``ax`` (a panel of the trend view), leaving room for its title."""
    fig_h = ax.figure.get_size_inches()[1]
    box = ax.get_position()
    ax.set_position((box.x0, box.y0, box.width, box.height - TITLE_ROOM / fig_h))
    ax.set_title(TITLES[panel], loc="left", fontsize=8.5, pad=3)
    if panel == "measured_sleep":
        _draw_sleep(ax, plan)
    elif panel == "steps":
        _draw_steps(ax, plan)
    else:
        _draw_resting(ax, plan)


def _draw_sleep(ax: Any, plan: TrendPlan) -> None:
    days, minutes = plan.series["sleep_minutes"]
    hours = [value / 60 for value in minutes]
    _line(ax, days, hours, "Sleep hours, measured", DEVICE_SLEEP)
    rated_days, rated = plan.series["sleep_hours"]
    if rated_days:
        _line(ax, rated_days, rated, _self_rated_label(plan), SELF_RATED_SLEEP)
    top = min(24, max(12, int(max([*hours, *rated])) + 2))
    ax.set_ylim(0, top)
    ax.set_yticks(range(0, top + 1, 4 if top <= 12 else 6))
    ax.set_ylabel("Sleep (hours)")


def _draw_steps(ax: Any, plan: TrendPlan) -> None:
    days, steps = plan.series["steps"]
    ax.bar(
        day_x(days), steps, width=0.8, facecolor=style.SKY, edgecolor=style.BLUE, hatch=STEPS_HATCH, lw=0.5,
        label="Steps per day", zorder=0.6,  # above the follow-up shading, below the session lines
    )  # fmt: skip
    top = max(steps)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.set_ylabel("Steps")


def _draw_resting(ax: Any, plan: TrendPlan) -> None:
    days, rates = plan.series["resting_hr"]
    _line(ax, days, rates, "Resting heart rate", RESTING_HR)
    ax.set_ylim(5 * math.floor((min(rates) - 5) / 5), 5 * math.ceil((max(rates) + 5) / 5))
    ax.set_ylabel("Resting HR\n(/min)")
