"""style.literal makes every text of a figure literal without making the axes' ticks (a cost of ~40 ms a chart).

literal used to walk the figure with ``findobj``, whose walk asks each axis for its ticks: on
a ten-year trend chart that made every tick (and ran each date locator) once more than the
drawing does. The ticks an axis makes when it is drawn carry the numbers and dates of
paindiary's formatters, never stored text; those texts are drawn under ``style.rc()``
(mathtext and TeX off) like every other.
"""

from __future__ import annotations

from typing import Any

import chartkit
import pytest
from matplotlib.axis import Axis
from matplotlib.text import Text

from paindiary.charts import course, meds, style, trend
from paindiary.charts.data import plan_course, plan_trend
from paindiary.plaintext import CONTROLS

HOSTILE = "J. \x1b[31mSmith\x07 $x^2$ ﬃ"


def figures() -> dict[str, Any]:
    data = chartkit.build(patient=HOSTILE)
    with style.rc():
        return {
            "trend": trend.trend_figure(plan_trend(data), data),
            "course": course.course_figure(plan_course(data), data),
            "meds": meds.meds_figure(meds.plan_meds(data), data),
        }


def made_ticks(fig: Any) -> dict[int, tuple[int, int]]:
    """For every axis of ``fig``: how many major and minor ticks it has made so far (without making any)."""
    axes = [axis for ax in fig.axes for axis in ax._axis_map.values()]
    assert all(isinstance(axis, Axis) for axis in axes) and axes
    return {id(axis): (len(vars(axis).get("majorTicks", [])), len(vars(axis).get("minorTicks", []))) for axis in axes}


@pytest.mark.parametrize("view", ["trend", "course", "meds"])
def test_literal_makes_no_ticks(view: str) -> None:
    fig = figures()[view]
    before = made_ticks(fig)
    style.literal(fig)
    assert made_ticks(fig) == before


@pytest.mark.parametrize("view", ["trend", "course", "meds"])
def test_every_text_with_words_in_it_is_literal(view: str) -> None:
    fig = style.literal(figures()[view])
    written = [text for text in fig.findobj(Text) if text.get_text()]  # (ticks made now have no text yet)
    assert any(text.get_text().startswith("Patient: J. ") for text in written)
    for text in written:
        assert not CONTROLS.search(text.get_text()), text.get_text()
        assert text.get_parse_math() is False and text.get_usetex() is False
        assert text.get_fontfeatures() == style.NO_LIGATURES


def test_ticks_made_when_drawn_draw_dollars_as_dollars() -> None:
    fig = style.literal(figures()["trend"])
    ax = fig.axes[0]
    ax.yaxis.set_major_formatter(lambda value, _: f"${value:g}")
    style.render(fig, "png")  # (draws: the axis makes its ticks now)
    labels = [tick.label1 for tick in ax.yaxis.get_major_ticks()]
    assert labels and all(label.get_text().startswith("$") and label.get_parse_math() is False for label in labels)
