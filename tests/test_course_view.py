"""The course view's second edition (issue 12): each course read against its own baseline, every session
day marked, and the 95% interval of the change drawn as a whisker at the follow-up mean."""

from __future__ import annotations

import pytest
from chartkit import build, day, entry, session, texts

from paindiary.charts import course
from paindiary.charts.data import NothingToDrawError, plan_course

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def three_session_course_then_a_booster():
    """Course 1: sessions 01-10, 01-11, 01-12 (baseline 7.0, after 3.5); course 2: 02-10 (baseline 4.0, after 2.0)."""
    entries = []
    for i in range(60):
        d = day("2026-01-01", i)
        if d < "2026-01-10":
            pain = 7.0
        elif d < "2026-02-03":
            pain = 3.5
        elif d < "2026-02-10":
            pain = 4.0
        else:
            pain = 2.0
        entries.append(entry(d, pain + (0.5 if i % 2 else -0.5)))
    sessions = [session(f"2026-01-{d}T09:00") for d in ("10", "11", "12")] + [session("2026-02-10T09:00")]
    return entries, sessions, []


def _course_lines(ax):
    return [ln for ln in ax.get_lines() if ln.get_label()[:2] in ("1.", "2.")]


def test_each_course_is_drawn_as_percent_of_its_own_baseline() -> None:
    data = build(three_session_course_then_a_booster())
    plan = plan_course(data)
    first, second = plan.lines
    assert first.baseline == pytest.approx(7.0, abs=0.1) and second.baseline == pytest.approx(4.0, abs=0.1)
    ax = course.course_figure(plan, data).axes[0]
    drawn = _course_lines(ax)
    for line, plotted in zip(plan.lines, drawn, strict=True):
        expected = [100 * value / line.baseline for value in line.values]
        got = [y for y in plotted.get_ydata() if y == y]  # (NaN: breaks)
        assert got == pytest.approx(expected)
    # one set of reference lines serves every course: its own baseline is 100%
    levels = sorted(ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_label() in course.REFERENCE_LABELS)
    assert levels == [50, 70, 100]
    assert ax.get_ylabel() == "Daily pain, % of the course's own baseline"
    assert "percent of each course's own baseline" in " ".join(texts(ax.figure))  # said in the subtitle


def test_every_session_day_of_a_course_is_marked() -> None:
    data = build(three_session_course_then_a_booster())
    plan = plan_course(data)
    assert [line.session_offsets for line in plan.lines] == [(-2, -1, 0), (0,)]
    ax = course.course_figure(plan, data).axes[0]
    marks = [ln for ln in ax.get_lines() if ln.get_label() == "_sessions"]
    assert [list(ln.get_xdata()) for ln in marks] == [[-2, -1, 0], [0]]
    assert "Session day" in [t.get_text() for t in ax.figure.legends[0].get_texts()]


def test_the_interval_of_the_change_is_a_whisker_at_the_followup_mean() -> None:
    data = build(three_session_course_then_a_booster())
    plan = plan_course(data)
    ax = course.course_figure(plan, data).axes[0]
    for line in plan.lines:
        pain = line.course.metrics["pain"]
        assert pain.ci95 is not None
        (whisker,) = [ln for ln in ax.get_lines() if ln.get_label() == f"_interval {line.number}"]
        low, high = sorted(whisker.get_ydata())
        base = pain.baseline_mean
        assert low == pytest.approx(100 * (base + pain.ci95[0]) / base)
        assert high == pytest.approx(100 * (base + pain.ci95[1]) / base)
        (middle,) = [ln for ln in ax.get_lines() if ln.get_label() == f"_followup mean {line.number}"]
        assert middle.get_ydata()[0] == pytest.approx(100 * pain.followup_mean / base)


def test_a_course_without_a_baseline_is_named_not_drawn_against_another() -> None:
    entries = [entry(day("2026-01-10", i), 4.0) for i in range(20)]  # nothing before the session
    data = build((entries, [session("2026-01-10T09:00")], []))
    with pytest.raises(NothingToDrawError, match="no pain in its baseline window"):
        plan_course(data)
