"""A chart file's bytes from chart data: the one call the ``chart`` command makes (imports matplotlib)."""

from __future__ import annotations

from collections.abc import Sequence

from paindiary.charts import course, style, trend
from paindiary.charts.data import ChartData, plan_course, plan_trend


def chart_bytes(
    data: ChartData, view: str, fmt: str, *, panels: Sequence[str] | None = None, dpi: int = style.DEFAULT_DPI
) -> tuple[bytes, list[str]]:
    """(file bytes, notes on what is missing or left out) of the ``trend``, ``course`` or ``meds`` view."""
    if view == "meds":
        from paindiary.charts import meds

        meds_plan = meds.plan_meds(data)
        return style.render(meds.meds_figure(meds_plan, data), fmt, dpi=dpi, title=meds.title(data)), []
    if view == "trend":
        plan = plan_trend(data, panels)
        fig = trend.trend_figure(plan, data)
        return style.render(fig, fmt, dpi=dpi, title=trend.title(data)), list(plan.missing)
    course_plan = plan_course(data)
    fig = course.course_figure(course_plan, data)
    return style.render(fig, fmt, dpi=dpi, title=course.title(data)), course.notes(course_plan, data)
