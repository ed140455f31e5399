"""The trend view's second edition (issue 12): a PEG panel when PEG data exist, baseline windows shaded
apart from follow-up windows, and shading that stays distinguishable printed in grey."""

from __future__ import annotations

import io
import itertools
from datetime import date
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pytest
from chartkit import build, day, dose, entry, session, window_days
from matplotlib.patches import Patch
from PIL import Image

from paindiary.charts import style, trend
from paindiary.charts.data import plan_trend

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def _legend_labels(fig) -> list[str]:
    return [text.get_text() for legend in fig.legends for text in legend.get_texts()]


def test_a_peg_panel_is_drawn_when_peg_data_exist_and_only_then() -> None:
    assert "peg" in plan_trend(build()).panels  # two_courses logs enjoyment and activity
    plain = [entry(day("2026-01-01", i), 5, mood=5) for i in range(20)]
    plan = plan_trend(build((plain, [], [])))
    assert "peg" not in plan.panels and not any("PEG" in text for text in plan.missing)
    assert any("PEG" in text for text in plan_trend(build((plain, [], [])), ["pain", "peg"]).missing)  # asked for


def test_baseline_windows_are_shaded_with_a_hatch_on_every_panel_and_named_in_the_legend() -> None:
    data = build()
    plan = plan_trend(data)
    assert plan.baselines == (("2026-01-03", "2026-01-09"), ("2026-01-13", "2026-01-19"))
    fig = trend.trend_figure(plan, data)
    for ax in fig.axes:
        if ax.get_ylabel().startswith("Sleep quality"):
            continue  # the sleep panel's twin axis
        (hatched,) = [p for p in ax.patches if p.get_hatch() == style.BASELINE_HATCH]
        (flat,) = [p for p in ax.patches if p.get_label() == trend.FOLLOWUPS_LABEL]
        assert not flat.get_hatch() and flat.get_facecolor()[:3] != (1.0, 1.0, 1.0)
        assert window_days(ax, hatched.get_label()) == [date(2026, 1, 3), date(2026, 1, 13)], ax.get_ylabel()
        assert window_days(ax, trend.FOLLOWUPS_LABEL) == [date(2026, 1, 11), date(2026, 1, 21)], ax.get_ylabel()
    labels = _legend_labels(fig)
    assert "Baseline window (7 days before)" in labels and "Follow-up window (7 days)" in labels
    (handle,) = [h for h in fig.legends[0].legend_handles if isinstance(h, Patch) and h.get_hatch()]
    assert handle.get_hatch() == style.BASELINE_HATCH


def _grey_patch(fig, ax, when: str, value: float, half: int = 6) -> np.ndarray:
    """The grey levels of a small square of the rendered figure around (``when`` at noon, ``value``)."""
    fig.canvas.draw()
    x, y = ax.transData.transform((mdates.date2num(date.fromisoformat(when)) + 0.5, value))
    height = fig.canvas.get_width_height()[1]
    row, col = round(height - y), round(x)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    grey = np.asarray(Image.open(buffer).convert("L"), dtype=float)
    return grey[row - half : row + half + 1, col - half : col + half + 1]


def test_band_baseline_followup_and_mme_fill_stay_apart_in_greyscale() -> None:
    entries = [entry(day("2026-01-01", i), 5, worst_pain=9, least_pain=1) for i in range(40)]
    records = (entries, [session("2026-01-20T09:00")], [dose(f"{day('2026-01-01', i)}T08:00") for i in range(40)])
    data = build(records)
    fig = trend.trend_figure(plan_trend(data, ["pain", "mme"]), data)
    pain, mme = fig.axes[0], fig.axes[1]
    # band alone (before the baseline window), baseline window above the band, follow-up above the band, MME fill
    samples = {
        "band": _grey_patch(fig, pain, "2026-01-06", 3.1),
        "baseline": _grey_patch(fig, pain, "2026-01-16", 9.5),
        "followup": _grey_patch(fig, pain, "2026-01-24", 9.5),
        "mme": _grey_patch(fig, mme, "2026-01-06", 7.0),
    }
    level = {name: float(np.median(patch)) for name, patch in samples.items()}
    texture = {name: float(patch.std()) for name, patch in samples.items()}
    assert texture["baseline"] > 15  # a pattern
    for name in ("band", "followup", "mme"):
        assert texture[name] < 5, (name, texture)  # flat shades
    flats = sorted(level[name] for name in ("band", "followup", "mme"))
    assert min(b - a for a, b in itertools.pairwise(flats)) >= 20, level  # different grey levels
    assert level["band"] < 250 and level["mme"] < 250  # and none is lost as white


def _label_overruns(fig: Any) -> list[str]:
    """The y-axis labels of ``fig`` that reach past their own panel's height (drawn: real text extents)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    with style.rc():
        fig.draw(renderer)
    overruns = []
    for ax in fig.axes:
        label, panel = ax.yaxis.label, ax.get_window_extent(renderer)
        if label.get_text():
            extent = label.get_window_extent(renderer)
            if extent.y0 < panel.y0 - 1 or extent.y1 > panel.y1 + 1:
                overruns.append(label.get_text())
    return overruns


@pytest.mark.parametrize("paper", [(8.27, 11.69), (8.5, 11.0)])
def test_axis_labels_stay_beside_their_own_panel_on_a_report_page(paper: tuple[float, float]) -> None:
    """On a report page the panels are shorter than a chart's: a long label takes two lines instead of overlapping."""
    from matplotlib.figure import Figure

    data = build()
    plan = plan_trend(data)
    page = Figure(figsize=paper)
    with style.rc():
        trend.draw_trend(page, plan, data, (0.5, 0.9, paper[0] - 0.8, paper[1] - 2.2), patient=False)
    assert not _label_overruns(page)
    assert any("\n" in ax.get_ylabel() for ax in page.axes)  # (this page's mood label does not fit on one line)


def test_axis_labels_stay_beside_their_own_panel_in_a_chart() -> None:
    data = build()
    fig = trend.trend_figure(plan_trend(data), data)
    assert not _label_overruns(fig)
