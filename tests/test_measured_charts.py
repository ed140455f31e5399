"""Measurements in the trend chart and the report (issue 14): the measured panels' data, the overview lines."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import matplotlib.dates as mdates
import pytest
from chartkit import build, session, two_courses
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from pypdf import PdfReader

from paindiary.charts import report, trend
from paindiary.charts.data import MEASURED, NothingToDrawError, plan_trend
from paindiary.measures import Measurement
from tests.conftest import Run

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def measured(day: str, metric: str, value: float, source: str = "apple-health") -> Measurement:
    return Measurement(f"2026-01-{day}", metric, value, source)


# within two_courses() (2026-01-01 to 01-31, sessions on 01-10 and 01-20)
MEASUREMENTS = [
    measured("02", "sleep_minutes", 360),
    measured("02", "sleep_minutes", 420, "oura"),  # the day's value: 390 minutes, 6.5 hours
    measured("03", "sleep_minutes", 480),  # 8 hours
    measured("05", "sleep_minutes", 300),  # 5 hours, after a day without: the line breaks
    measured("06", "sleep_minutes", 390),  # 6.5 hours
    measured("30", "sleep_minutes", 420),  # 7 hours
    measured("02", "steps", 4000),
    measured("04", "steps", 6000),
    measured("06", "steps", 5000),
    measured("30", "steps", 8000),
    measured("03", "resting_hr", 64),
    measured("04", "resting_hr", 62),
    measured("07", "resting_hr", 60),
    measured("30", "resting_hr", 58),
]
MEASURED_EARLY = [m for m in MEASUREMENTS if m.day <= "2026-01-07"]  # a session on 01-02 is at the left edge
TITLES = {
    "sleep": "Measured sleep (phone or watch)",
    "steps": "Measured steps (phone or watch)",
    "resting_hr": "Measured resting heart rate (phone or watch)",
}


def days_of(xs) -> list[str | None]:
    return [None if math.isnan(x) else mdates.num2date(x).date().isoformat() for x in xs]


def values_of(ys) -> list[float | None]:
    return [None if math.isnan(y) else float(y) for y in ys]


def panel(fig, title: str):
    found = [ax for ax in fig.axes if ax.get_title(loc="left") == title]
    assert len(found) == 1, [ax.get_title(loc="left") for ax in fig.axes]
    return found[0]


def line(ax, label: str):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


def session_days(ax) -> list[str]:
    (marks,) = [c for c in ax.collections if c.get_label() == "Treatment session"]
    return [mdates.num2date(seg[0][0]).date().isoformat() for seg in marks.get_segments()]


def test_without_measurements_no_measured_panel() -> None:
    assert plan_trend(build()).panels == ("pain", "sleep", "mood", "peg", "mme")
    late = [Measurement("2026-02-10", "steps", 5000, "fitbit")]  # after the period asked for
    assert plan_trend(build(until="2026-01-31", measurements=late)).panels == ("pain", "sleep", "mood", "peg", "mme")


def test_measured_panels_follow_the_diary_panels() -> None:
    data = build(measurements=MEASUREMENTS)
    plan = plan_trend(data)
    assert plan.panels == ("pain", "sleep", "mood", "peg", "mme", "measured_sleep", "steps", "resting_hr")
    assert plan.missing == ()
    only_steps = plan_trend(build(measurements=[m for m in MEASUREMENTS if m.metric == "steps"]))
    assert only_steps.panels[5:] == ("steps",)


@pytest.mark.slow
def test_device_sleep_in_hours_beside_self_rated_sleep_breaking_at_missing_days() -> None:
    data = build(measurements=MEASUREMENTS)
    fig = trend.trend_figure(plan_trend(data), data)
    ax = panel(fig, TITLES["sleep"])
    device = line(ax, "Sleep hours, measured")
    assert days_of(device.get_xdata()) == ["2026-01-02", "2026-01-03", None, "2026-01-05", "2026-01-06", None,
                                          "2026-01-30"]  # fmt: skip
    assert values_of(device.get_ydata()) == [6.5, 8.0, None, 5.0, 6.5, None, 7.0]  # minutes / 60, sources averaged
    rated = line(ax, "Sleep hours")  # the diary's own sleep hours, as the sleep panel draws them
    assert values_of(rated.get_ydata()) == [6.0 + i % 3 for i in range(31)]
    for drawn in (device, rated):  # a marker on every value
        assert drawn.get_marker() not in ("None", "", None) and drawn.get_markevery() is None
    # told apart in grey print: line style and marker, not colour only
    assert device.get_linestyle() != rated.get_linestyle() and device.get_marker() != rated.get_marker()
    assert ax.get_ylabel() == "Sleep (hours)" and ax.get_ylim() == (0, 12)
    assert session_days(ax) == ["2026-01-10", "2026-01-20"]


@pytest.mark.slow
def test_steps_are_hatched_daily_bars_and_resting_heart_rate_a_line() -> None:
    data = build(measurements=MEASUREMENTS)
    fig = trend.trend_figure(plan_trend(data), data)
    steps = panel(fig, TITLES["steps"])
    (bars,) = steps.containers
    centres = [bar.get_x() + bar.get_width() / 2 for bar in bars]
    assert days_of(centres) == ["2026-01-02", "2026-01-04", "2026-01-06", "2026-01-30"]
    assert [bar.get_height() for bar in bars] == [4000, 6000, 5000, 8000]
    assert all(bar.get_hatch() for bar in bars) and steps.get_ylabel() == "Steps"
    assert session_days(steps) == ["2026-01-10", "2026-01-20"]
    heart = panel(fig, TITLES["resting_hr"])
    rate = line(heart, "Resting heart rate")
    assert days_of(rate.get_xdata()) == ["2026-01-03", "2026-01-04", None, "2026-01-07", None, "2026-01-30"]
    assert values_of(rate.get_ydata()) == [64, 62, None, 60, None, 58]
    assert rate.get_marker() not in ("None", "", None) and rate.get_markevery() is None
    low, high = heart.get_ylim()
    assert low <= 58 - 5 and high >= 64 + 5
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Sleep hours, measured", "Steps per day", "Resting heart rate"} <= set(legend)
    assert legend.count("Sleep hours") == 1  # the sleep panel's entry names the self-rated line in both panels


def test_metric_option_chooses_the_measured_panels() -> None:
    data = build(measurements=MEASUREMENTS)
    assert plan_trend(data, ["pain"]).panels == ("pain",)
    assert plan_trend(data, [MEASURED]).panels == ("measured_sleep", "steps", "resting_hr")
    assert plan_trend(data, ["pain", MEASURED]).panels == ("pain", "measured_sleep", "steps", "resting_hr")
    assert plan_trend(data, measured=False).panels == ("pain", "sleep", "mood", "peg", "mme")
    plain = build()
    assert plan_trend(plain, ["pain", MEASURED]).missing == (
        "No measurements from a phone or watch between 2026-01-01 and 2026-01-31.",
    )
    with pytest.raises(NothingToDrawError, match=r"no measurements from a phone or watch logged\. Import them with"):
        plan_trend(plain, [MEASURED])


@pytest.mark.slow
def test_a_diary_of_measurements_alone_draws_the_measured_panels() -> None:
    data = build(([], [], []), measurements=MEASUREMENTS)
    assert (data.start, data.end) == ("2026-01-02", "2026-01-30")
    plan = plan_trend(data)
    assert plan.panels == ("measured_sleep", "steps", "resting_hr")
    assert "No pain logged between 2026-01-02 and 2026-01-30." in plan.missing
    fig = trend.trend_figure(plan, data)
    assert "7 days measured by a phone or watch · 0 treatment sessions" in [t.get_text() for t in fig.texts]


# --- the report ------------------------------------------------------------------------------


def report_for(records: tuple[list, list, list], measurements: list[Measurement]) -> report.Report:
    return report.build(build(records, measurements=measurements), *records)


def pdf_pages(content: report.Report) -> list[str]:
    pdf = report.render_pdf(content)
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_report_overview_has_a_line_per_measured_metric() -> None:
    content = report_for(two_courses(), MEASUREMENTS)
    rows = {row[0]: row[1:] for row in content.overview}
    # period mean, mean of the last 7 days (01-25 to 01-31), days with a value
    assert rows["Sleep, measured (hours)"] == ["6.6", "7.0", "5"]  # (6.5 + 8 + 5 + 6.5 + 7) / 5
    assert rows["Steps per day, measured"] == ["5750", "8000", "4"]
    assert rows["Resting heart rate, measured (/min)"] == ["61", "58", "4"]
    assert list(rows)[-3:] == [
        "Sleep, measured (hours)",
        "Steps per day, measured",
        "Resting heart rate, measured (/min)",
    ]
    plain = {row[0] for row in report_for(two_courses(), []).overview}
    assert not any("measured" in label for label in plain)


@pytest.mark.slow
def test_report_pdf_has_the_measured_lines_and_page() -> None:
    pages = pdf_pages(report_for(two_courses(), MEASUREMENTS))
    assert "Sleep, measured (hours) 6.6 7.0 5" in pages[0]
    assert "Steps per day, measured 5750 8000 4" in pages[0]
    assert "Measured lines come from a phone or watch" in pages[0]
    [measured_page] = [page for page in pages if "Measured by a phone or watch, 2026-01-01 to 2026-01-31" in page]
    [trend_page] = [page for page in pages if "Pain and treatments, 2026-01-01 to 2026-01-31" in page]
    [course_page] = [page for page in pages if "Pain around each treatment course" in page]
    assert pages.index(trend_page) + 1 == pages.index(measured_page) == pages.index(course_page) - 1
    for title in TITLES.values():
        assert title in measured_page
    assert "Measured" not in trend_page  # the trend chart's own page keeps its panels readable


def test_report_period_ends_at_the_latest_record_measurements_included() -> None:
    records = two_courses()  # to 2026-01-31
    later = [Measurement("2026-02-10", "steps", 5000, "fitbit")]
    assert report.default_period(*records) == ("2025-08-01", "2026-01-31")
    assert report.default_period(*records, measurements=later) == ("2025-08-11", "2026-02-10")
    assert report.default_period([], [], [], measurements=later) == ("2025-08-11", "2026-02-10")


@pytest.mark.slow
def test_report_of_measurements_alone() -> None:
    pages = pdf_pages(report_for(([], [], []), MEASUREMENTS))
    assert "Resting heart rate, measured (/min) 61 58 4" in pages[0]
    assert "No trend chart" not in pages[0]
    assert any(TITLES["steps"] in page for page in pages)
    [weekly] = [page for page in pages if "Weekly summary" in page]
    assert "No diary entries in this period." in weekly  # not an empty table


@pytest.mark.slow
def test_chart_and_report_commands_read_the_measurements(run: Run, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-01-03 09:00")
    run("log", "4", "--at", "2026-01-06 09:00")
    csv = tmp_path / "m.csv"
    csv.write_text(
        "day,metric,value,source\n" + "".join(f"{m.day},{m.metric},{m.value},{m.source}\n" for m in MEASUREMENTS)
    )
    run("import", str(csv))
    run("chart", "-o", "trend.pdf", "--until", "2026-01-31")
    text = re.sub(r"\s+", " ", PdfReader(tmp_path / "trend.pdf").pages[0].extract_text())
    assert TITLES["steps"] in text and "Sleep hours, measured" in text
    run("chart", "-o", "pain.pdf", "--metric", "pain", "--until", "2026-01-31")
    assert "Measured" not in PdfReader(tmp_path / "pain.pdf").pages[0].extract_text()
    run("report", "-o", "visit.pdf", "--all")
    first = re.sub(r"\s+", " ", PdfReader(tmp_path / "visit.pdf").pages[0].extract_text())
    assert "Steps per day, measured 5750 8000 4" in first
    assert "Period: 2026-01-02 to 2026-01-30" in first


@pytest.mark.slow
def test_course_numbers_sit_above_a_measured_panel_on_top() -> None:
    data = build(([], [session("2026-01-02T09:00")], []), measurements=MEASURED_EARLY)
    fig = trend.trend_figure(plan_trend(data), data)
    top = panel(fig, TITLES["sleep"])
    renderer = FigureCanvasAgg(fig).get_renderer()
    (title,) = [t for t in top.findobj(Text) if t.get_text() == TITLES["sleep"]]
    (number,) = [t for t in top.texts if t.get_text() == "1"]
    assert number.get_window_extent(renderer).y0 > title.get_window_extent(renderer).y1
    (triangles,) = [ln for ln in top.get_lines() if ln.get_marker() == "v"]
    assert triangles.get_window_extent(renderer).y0 >= title.get_window_extent(renderer).y1 - 1
