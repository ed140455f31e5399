"""Nothing drawn that was not logged (issue 12): lines break at missing days, markers on every value.

The 7-day mean is drawn only on days with 4 logged days in its window.

Checked from the figure's line data (the NaN breaks matplotlib draws as gaps), not pixels.
"""

from __future__ import annotations

import itertools
import math
from datetime import date

import matplotlib.dates as mdates
import numpy as np
import pytest
from chartkit import build, day, dose, entry
from matplotlib.path import Path

from paindiary.charts import trend
from paindiary.charts.data import plan_trend, rolling_mean

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def _line(fig, label: str):
    found = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_label() == label]
    assert found, label
    return found[0]


def _segments(line) -> list[list[date]]:
    """The runs of points a line joins (between its NaN breaks), as days."""
    runs: list[list[date]] = [[]]
    for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
        if math.isnan(float(x)) or math.isnan(float(y)):
            runs.append([])
        else:
            runs[-1].append(mdates.num2date(float(x)).date())
    return [run for run in runs if run]


def _joins_only_consecutive_days(line) -> bool:
    return all((b - a).days <= 1 for run in _segments(line) for a, b in itertools.pairwise(run))


def gappy() -> tuple[list, list, list]:
    """Daily values in January with 2-day and 3-day holes (01-06, 01-07 and 01-15..01-17 missing)."""
    missing = {"2026-01-06", "2026-01-07", "2026-01-15", "2026-01-16", "2026-01-17"}
    days = [day("2026-01-01", i) for i in range(31) if day("2026-01-01", i) not in missing]
    entries = [
        entry(d, 5 + i % 3, worst_pain=8, least_pain=2, sleep_hours=6 + i % 2, sleep_quality=5, mood=6, enjoyment=4,
              activity=4)
        for i, d in enumerate(days)
    ]  # fmt: skip
    return entries, [], [dose(f"{d}T08:00") for d in days]


def test_every_line_breaks_at_a_missing_day() -> None:
    data = build(gappy())
    fig = trend.trend_figure(plan_trend(data, ["pain", "sleep", "mood", "peg", "mme"]), data)
    for label in ("7-day mean pain", "Sleep hours", "Sleep quality", "Mood", "PEG score", "Opioid MME per day"):
        line = _line(fig, label)
        assert _joins_only_consecutive_days(line), (label, _segments(line))
        assert len(_segments(line)) >= 3, label  # three runs of logged days
    (band,) = [p for p in fig.axes[0].patches if p.get_label() == "Least to worst pain"]
    assert list(band.get_path().codes).count(Path.CLOSEPOLY) == 3  # the band is not bridged either: three polygons


def test_one_missing_day_breaks_a_line_too() -> None:
    entries = [entry(day("2026-01-01", i), 5, mood=5) for i in range(10) if i != 4]
    data = build((entries, [], []))
    fig = trend.trend_figure(plan_trend(data, ["pain", "mood"]), data)
    runs = _segments(_line(fig, "Mood"))
    assert [len(run) for run in runs] == [4, 5]


def test_the_weekly_mean_needs_four_logged_days_in_its_window() -> None:
    days = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-10", "2026-01-11"]
    means = rolling_mean(days, [2, 4, 6, 8, 1, 3], least=4)
    assert means[:3] == [None, None, None]  # 1, 2 and 3 days in the window
    assert means[3] == 5  # 01-01..01-04: four days
    assert means[4:] == [None, None]  # 01-10 sees 01-04 and 01-10; 01-11 sees 01-10 and 01-11
    assert rolling_mean(days, [2, 4, 6, 8, 1, 3]) == [2, 3, 4, 5, 4.5, 2]  # (least=1: every day)


def test_the_drawn_weekly_mean_has_no_point_with_fewer_than_four_days() -> None:
    entries = [entry(day("2026-01-01", i), 5) for i in (0, 1, 2, 3, 4, 5, 6, 12, 13, 20, 21, 22, 23)]
    data = build((entries, [], []))
    fig = trend.trend_figure(plan_trend(data, ["pain"]), data)
    drawn = [d.isoformat() for run in _segments(_line(fig, "7-day mean pain")) for d in run]
    # 01-01..01-03 have 1-3 days behind them; 01-13/01-14 see 01-07, 01-13, 01-14 at most; 01-21..01-23 see 2-3
    assert drawn == ["2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-24"]


@pytest.mark.parametrize("days", [30, 400, 1500])
def test_every_logged_value_keeps_its_marker_at_any_length(days: int) -> None:
    entries = [entry(day("2024-01-01", i), 5, mood=5, sleep_hours=7) for i in range(days)]
    data = build((entries, [], []))
    fig = trend.trend_figure(plan_trend(data, ["pain", "sleep", "mood"]), data)
    for label in ("Mood", "Sleep hours"):
        line = _line(fig, label)
        assert line.get_markevery() in (None, 1), label
        assert np.count_nonzero(~np.isnan(np.asarray(line.get_ydata(), dtype=float))) == days
        assert line.get_marker() not in ("None", "", None)
        assert 0 < line.get_markersize() <= 3
