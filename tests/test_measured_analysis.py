"""Measurements in ``analyze`` and ``summary`` (issue 14): hand-computed means, additive JSON, no response."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paindiary import analysis, demo
from paindiary.measures import Measurement
from paindiary.models import make_entry, make_treatment
from tests.conftest import Run

SESSION = make_treatment({"started_at": "2026-03-10T09:00:00", "name": "ketamine"})
# pain on 3 days before and after, so the course is "ok"
DAYS = (7, 8, 9, 11, 12, 13)
ENTRIES = [make_entry({"recorded_at": f"2026-03-{day:02d}", "pain": 6 if day < 10 else 3}) for day in DAYS]
MEASURED = [
    Measurement("2026-03-08", "sleep_minutes", 300, "apple-health"),
    Measurement("2026-03-08", "sleep_minutes", 360, "oura"),  # the day's value: (300 + 360) / 2 = 330
    Measurement("2026-03-09", "sleep_minutes", 390, "oura"),  # baseline mean (330 + 390) / 2 = 360
    Measurement("2026-03-11", "sleep_minutes", 420, "oura"),  # follow-up mean 420: +60, +16.7 %
    Measurement("2026-03-08", "steps", 4000, "fitbit"),
    Measurement("2026-03-12", "steps", 6000, "fitbit"),  # +2000, +50 %
    Measurement("2026-03-09", "resting_hr", 70, "oura"),
    Measurement("2026-03-13", "resting_hr", 63, "oura"),  # -7, -10 %
    Measurement("2026-03-01", "steps", 100_000, "fitbit"),  # outside the 7-day baseline window
]


def test_measured_metrics_are_compared_before_and_after() -> None:
    result = analysis.analyze(ENTRIES, [SESSION], [], measurements=MEASURED)
    [course] = result.courses
    sleep, steps, resting = (course.metrics[name] for name in ("sleep_minutes", "steps", "resting_hr"))
    assert (sleep.baseline_mean, sleep.baseline_days, sleep.followup_mean, sleep.followup_days) == (360, 2, 420, 1)
    assert sleep.change == 60 and abs(sleep.pct_change - 100 * 60 / 360) < 1e-9
    assert (steps.baseline_mean, steps.followup_mean, steps.change, steps.pct_change) == (4000, 6000, 2000, 50)
    assert (resting.change, resting.pct_change) == (-7, -10)
    assert "response" not in sleep.to_dict() and resting.response is None  # never judged
    assert list(course.to_dict()["metrics"])[-3:] == ["sleep_minutes", "steps", "resting_hr"]


def test_without_measurements_the_results_are_exactly_as_before() -> None:
    plain = analysis.analyze(ENTRIES, [SESSION], []).to_dict()
    assert "steps" not in plain["courses"][0]["metrics"]
    with_none = analysis.analyze(ENTRIES, [SESSION], [], measurements=[]).to_dict()
    assert with_none == plain
    measured = analysis.analyze(ENTRIES, [SESSION], [], measurements=MEASURED).to_dict()
    before = plain["courses"][0]["metrics"]
    assert {k: v for k, v in measured["courses"][0]["metrics"].items() if k in before} == before  # only added keys


def test_summary_period_means() -> None:
    [week] = analysis.summarize(ENTRIES, [], by="month", measurements=MEASURED)
    assert week.means["sleep_minutes"] == (330 + 390 + 420) / 3
    assert week.means["steps"] == (100_000 + 4000 + 6000) / 3
    assert week.means["resting_hr"] == (70 + 63) / 2
    assert "steps" not in analysis.summarize(ENTRIES, [], by="month")[0].means


def test_analyze_and_summary_commands_show_them(run: Run, db_path: Path, tmp_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    demo.write(db_path, date(2026, 3, 15))
    plain_json = run.json("analyze")
    plain_summary = run.json("summary")
    csv = tmp_path / "m.csv"
    csv.write_text("day,metric,value,source\n2026-02-15,steps,4000,fitbit\n2026-02-20,steps,6000,fitbit\n")
    run("import", str(csv))
    analysed = run.json("analyze")
    course = analysed["courses"][1]  # the course of 2026-02-18
    assert course["first_session"].startswith("2026-02-18")
    assert course["metrics"]["steps"]["baseline_mean"] == 4000 and course["metrics"]["steps"]["change"] == 2000
    assert course["metrics"]["sleep_minutes"]["baseline_mean"] is None
    for old, new in zip(plain_json["courses"], analysed["courses"], strict=True):
        assert {k: v for k, v in new["metrics"].items() if k in old["metrics"]} == old["metrics"]
    summary = run.json("summary", "--by", "month")
    february = next(row for row in summary if row["period"] == "2026-02")
    assert february["steps"] == 5000 and february["resting_hr"] is None
    assert len(run.json("summary")) == len(plain_summary)
    text = run("analyze").stdout
    assert "Measured by a phone or watch" in text and "more is better" in text
    assert "steps" in run("summary", "--by", "month").stdout
