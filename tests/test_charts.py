"""The charts: what is drawn (data on the axes, session markers, labels), determinism and the look (golden PNG)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pytest
from chartkit import build, day, dose, entry, session, texts, window_days
from matplotlib.testing.compare import compare_images

from paindiary.charts import course, style, trend
from paindiary.charts import data as chart_data
from paindiary.charts.data import NothingToDrawError, plan_course, plan_trend, rolling_mean

DATA = Path(__file__).parent / "data"


def dates(xs) -> list[date]:
    return [mdates.num2date(x).date() for x in xs]


def line(ax, label: str):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert found, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


def session_lines(ax) -> list[datetime]:
    (markers,) = [c for c in ax.collections if c.get_label() == "Treatment session"]
    return [mdates.num2date(seg[0][0]).replace(tzinfo=None) for seg in markers.get_segments()]


def test_rolling_mean_is_over_the_days_with_values_in_the_trailing_week() -> None:
    days = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-08", "2026-01-20"]
    assert rolling_mean(days, [2, 4, 6, 8, 1]) == [2, 3, 4, 6, 1]  # 01-08 sees 01-02 .. 01-08


@pytest.mark.slow
def test_trend_plots_daily_pain_its_mean_and_the_worst_least_band() -> None:
    data = build()
    fig = trend.trend_figure(plan_trend(data), data)
    pain_ax = fig.axes[0]
    points = line(pain_ax, "Daily pain")
    assert dates(points.get_xdata()) == [date(2026, 1, 1 + i) for i in range(31)]
    assert list(points.get_ydata()) == [6.0] * 10 + [3.0] * 9 + [4.0] * 12
    mean = line(pain_ax, "7-day mean pain").get_ydata()
    assert mean[9] == 6.0 and mean[10] == pytest.approx((6 * 6 + 3) / 7) and mean[18] == 3.0
    (band,) = [p for p in pain_ax.patches if p.get_label() == "Least to worst pain"]
    ys = band.get_path().vertices[:, 1]
    assert ys.min() == 2.0 and ys.max() == 7.0
    assert pain_ax.get_ylim() == (0, 10) and pain_ax.get_ylabel() == "Pain (0-10)"


@pytest.mark.slow
def test_every_panel_marks_every_session_and_shades_the_followup_windows() -> None:
    data = build()
    plan = plan_trend(data)
    assert plan.panels == ("pain", "sleep", "mood", "peg", "mme")
    fig = trend.trend_figure(plan, data)
    panels = [ax for ax in fig.axes if not ax.get_ylabel().startswith("Sleep quality")]  # not the sleep twin axis
    assert len(panels) == 5
    expected = [datetime(2026, 1, 10, 9, 0), datetime(2026, 1, 20, 9, 30)]
    for ax in panels:
        assert session_lines(ax) == expected
    # follow-up windows from the analysis: 01-11..01-17 and 01-21..01-27
    assert plan.followups == (("2026-01-11", "2026-01-17"), ("2026-01-21", "2026-01-27"))
    assert window_days(fig.axes[0], trend.FOLLOWUPS_LABEL) == [date(2026, 1, 11), date(2026, 1, 21)]
    # each course is numbered above the top panel, and listed under the chart
    labels = texts(fig)
    assert "1" in labels and "2" in labels
    assert any("1\u00a0=\u00a02026-01-10, ketamine infusion (1 session)" in t for t in labels)


@pytest.mark.slow
def test_panels_have_unit_labels_and_the_title_the_date_range() -> None:
    data = build()
    fig = trend.trend_figure(plan_trend(data, ["pain", "sleep", "mood", "peg", "mme"]), data)
    labels = {ax.get_ylabel().replace("\n", " ") for ax in fig.axes}  # (a label may take two lines)
    assert {"Pain (0-10)", "Sleep (hours)", "Sleep quality (0-10)", "Mood (0-10, 10 best)", "PEG (0-10)"} <= labels
    assert "Opioid (MME/day)" in labels
    mme = line(fig.axes[-1], "Opioid MME per day")
    assert set(mme.get_ydata()) == {15.0}  # 10 mg oxycodone x 1.5, from the analysis
    all_text = texts(fig)
    assert "Pain and treatments, 2026-01-01 to 2026-01-31" in all_text
    assert any(t.startswith("MME (morphine milligram equivalents)") for t in all_text)


@pytest.mark.slow
def test_no_patient_name_unless_given() -> None:
    data = build()
    assert not any("Robin" in t for t in texts(trend.trend_figure(plan_trend(data), data)))
    named = build(patient="Robin Roe")
    assert any("Robin Roe" in t for t in texts(trend.trend_figure(plan_trend(named), named)))
    assert any("Robin Roe" in t for t in texts(course.course_figure(plan_course(named), named)))


@pytest.mark.slow
def test_a_sparse_diary_draws_what_exists_and_says_what_is_missing() -> None:
    records = ([entry(day("2026-02-01", i), sleep_hours=7) for i in range(5)], [], [])
    data = build(records)
    plan = plan_trend(data, ["pain", "sleep", "mme"])
    assert plan.panels == ("sleep",)
    assert plan.missing == (
        "No pain logged between 2026-02-01 and 2026-02-05.",
        "No medication logged between 2026-02-01 and 2026-02-05.",
    )
    fig = trend.trend_figure(plan, data)
    assert [ax.get_ylabel() for ax in fig.axes] == ["Sleep (hours)"]
    assert any("No pain logged" in t for t in texts(fig))
    # MME is only drawn by default when medication was logged; that is not reported as missing
    assert plan_trend(data).missing == (
        "No pain logged between 2026-02-01 and 2026-02-05.",
        "No mood logged between 2026-02-01 and 2026-02-05.",
    )


def test_nothing_to_draw_is_a_clear_error() -> None:
    data = build(([entry("2026-02-01", note="just a note")], [], []))
    with pytest.raises(NothingToDrawError, match="Nothing to draw between 2026-02-01 and 2026-02-01"):
        plan_trend(data)
    with pytest.raises(NothingToDrawError, match="No treatment sessions"):
        plan_course(data)
    with pytest.raises(NothingToDrawError, match="The diary is empty"):
        chart_data.build([], [], [])
    with pytest.raises(NothingToDrawError, match="Nothing recorded between 2027-01-01 and the end"):
        build(since="2027-01-01")


@pytest.mark.slow
def test_period_is_narrowed_to_the_records() -> None:
    data = build(since="2025-06-01", until="2026-01-15")
    assert (data.start, data.end) == ("2026-01-01", "2026-01-15")
    fig = trend.trend_figure(plan_trend(data), data)
    assert session_lines(fig.axes[0]) == [datetime(2026, 1, 10, 9, 0)]  # the 01-20 session is outside


@pytest.mark.slow
def test_course_view_lines_are_relative_to_the_last_session_and_cut_at_neighbours() -> None:
    data = build()
    plan = plan_course(data)
    first, second = plan.lines
    # course 1 (01-10): from -9 (data starts 01-01) to +9 (the next course begins 01-20)
    assert first.offsets == list(range(-9, 10))
    assert first.values == [6.0] * 10 + [3.0] * 9
    # course 2 (01-20): starts the day after course 1's last day, ends with the data (+11)
    assert second.offsets == list(range(-9, 12))
    assert plan.reference is second and second.baseline == pytest.approx(3.0)
    fig = course.course_figure(plan, data)
    ax = fig.axes[0]
    drawn = [ln for ln in ax.get_lines() if ln.get_label().startswith(("1.", "2."))]
    assert [list(ln.get_xdata()) for ln in drawn] == [first.offsets, second.offsets]
    assert drawn[0].get_label().startswith("1. 2026-01-10 ketamine infusion\npain 6.0 → 3.0 (-50%, substantial)")
    assert drawn[1].get_label().startswith("2. 2026-01-20 lidocaine infusion")
    levels = {ln.get_label(): ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_label()[0] in "B35"}
    assert levels == {"Baseline (100%)": 100, "30% lower (70%)": 70, "50% lower (50%)": 50}  # of each course's own
    assert [list(ln.get_ydata()) for ln in drawn] == [
        pytest.approx([100 * v / first.baseline for v in first.values]),
        pytest.approx([100 * v / second.baseline for v in second.values]),
    ]
    assert ax.get_xlim() == (-14.5, 28.5) and ax.get_ylim() == (0, 150)
    assert ax.get_xlabel().startswith("Days relative to the course's last session")
    assert "Pain around each treatment course, 2026-01-01 to 2026-01-31" in texts(fig)


@pytest.mark.slow
def test_course_view_keeps_the_8_most_recent_courses_and_says_how_many_were_left_out() -> None:
    entries = [entry(day("2026-01-01", i), 5.0) for i in range(120)]
    sessions = [session(f"{day('2026-01-05', 10 * i)}T09:00") for i in range(10)]
    data = build((entries, sessions, []))
    plan = plan_course(data)
    assert plan.left_out == 2 and [ln.number for ln in plan.lines] == list(range(3, 11))
    (note,) = course.notes(plan, data)
    assert note.startswith("Showing the 8 most recent of 10 courses in the period; 2 earlier courses left out")
    assert note in texts(course.course_figure(plan, data))


def _render_all(fmt: str) -> bytes:
    data = build(patient="Robin Roe")
    return style.render(trend.trend_figure(plan_trend(data), data), fmt) + style.render(
        course.course_figure(plan_course(data), data), fmt
    )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_svg_and_pdf_are_byte_identical_across_runs(fmt: str) -> None:
    first = _render_all(fmt)
    assert first == _render_all(fmt)
    assert b"CreationDate" not in first and b"<dc:date>" not in first


@pytest.mark.slow
def test_trend_png_matches_the_golden_image(tmp_path: Path) -> None:
    """Smoke test of the look; regenerate with PAINDIARY_UPDATE_GOLDEN=1 after an intended change
    (the test then rewrites the golden image and fails once, saying so, like tests/test_golden_outputs.py)."""
    data = build()
    png = style.render(trend.trend_figure(plan_trend(data), data, width=8), "png", dpi=60)
    golden = DATA / "trend-golden.png"
    if os.environ.get("PAINDIARY_UPDATE_GOLDEN"):
        golden.write_bytes(png)
        pytest.fail(f"rewrote {golden}; unset PAINDIARY_UPDATE_GOLDEN and run again")
    actual = tmp_path / "trend.png"
    actual.write_bytes(png)
    assert compare_images(str(golden), str(actual), tol=6) is None


@pytest.mark.slow
def test_png_is_compressed_fast_with_the_pixels_of_the_default_compression() -> None:
    """PNG files use zlib level 3 (style.PNG_COMPRESSION: faster to write than the default 6), same pixels."""
    import io

    import numpy as np
    from PIL import Image

    data = build()
    fig = trend.trend_figure(plan_trend(data), data, width=8)
    ours = style.render(fig, "png", dpi=60)
    default = io.BytesIO()
    with style.rc(), matplotlib.rc_context(style.PNG_RC):
        fig.savefig(default, format="png", dpi=60)
    flevel = ours[ours.index(b"IDAT") + 5] >> 6  # the zlib header's level field: 1 = levels 2-5, 2 = level 6
    assert flevel == 1 and default.getvalue()[default.getvalue().index(b"IDAT") + 5] >> 6 == 2
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(ours))), np.asarray(Image.open(default)))


@pytest.mark.slow
def test_png_text_is_drawn_without_hinting() -> None:
    """PNG text without the font's hints (style.PNG_RC): the glyphs of a chart drew in half the time."""
    import io

    import numpy as np
    from PIL import Image

    data = build()
    fig = trend.trend_figure(plan_trend(data), data, width=8)
    ours = np.asarray(Image.open(io.BytesIO(style.render(fig, "png", dpi=150))))
    hinted = io.BytesIO()
    with style.rc():
        fig.savefig(hinted, format="png", dpi=150, pil_kwargs={"compress_level": style.PNG_COMPRESSION})
    unhinted = io.BytesIO()
    with style.rc(), matplotlib.rc_context({"text.hinting": "no_hinting"}):
        fig.savefig(unhinted, format="png", dpi=150)
    assert np.array_equal(ours, np.asarray(Image.open(unhinted)))
    assert not np.array_equal(ours, np.asarray(Image.open(hinted)))  # (the setting changes the text's pixels)


def test_output_format_comes_from_the_extension() -> None:
    assert [chart_data.output_format(p) for p in ("a.png", "b.SVG", "dir.x/c.pdf")] == ["png", "svg", "pdf"]
    for bad in ("chart", "chart.jpg", "dir.png/chart"):
        with pytest.raises(chart_data.PaindiaryError, match=r"end it with \.png, \.svg or \.pdf"):
            chart_data.output_format(bad)


def test_mme_panel_is_zero_on_diary_days_without_opioids() -> None:
    entries = [entry(day("2026-01-01", i), 5.0) for i in range(4)]
    data = build((entries, [], [dose("2026-01-02T08:00", 400, "ibuprofen")]))
    plan = plan_trend(data)
    assert "mme" in plan.panels and plan.series["mme"] == (
        ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"],
        [0.0, 0.0, 0.0, 0.0],
    )
