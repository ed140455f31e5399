"""Measurements in ``analyze`` and ``summary`` (issue 14): hand-computed means, additive JSON, no response."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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


# --- summary of a diary that holds only measurements -------------------------------------

ONLY_MEASURED_CSV = (
    "day,metric,value,source\n"
    "2026-03-02,steps,4000,fitbit\n"
    "2026-03-03,steps,6000,fitbit\n"
    "2026-03-03,sleep_minutes,400,oura\n"
    "2026-03-03,sleep_minutes,440,apple-health\n"  # the day's value: (400 + 440) / 2 = 420
    "2026-03-04,sleep_minutes,360,oura\n"  # the week's mean: (420 + 360) / 2 = 390
    "2026-03-10,resting_hr,60,oura\n"
    "2026-03-11,resting_hr,63,oura\n"
)


def test_summary_of_measurements_alone_lists_their_weeks() -> None:
    rows = [line.split(",") for line in ONLY_MEASURED_CSV.splitlines()[1:]]
    records = [Measurement(day, metric, float(value), source) for day, metric, value, source in rows]
    week10, week11 = analysis.summarize([], [], by="week", measurements=records)
    assert (week10.period, week10.start, week10.end, week10.days_logged) == ("2026-W10", "2026-03-02", "2026-03-08", 0)
    assert (week10.means["steps"], week10.means["sleep_minutes"], week10.means["resting_hr"]) == (5000, 390, None)
    assert (week11.means["steps"], week11.means["resting_hr"], week11.means["pain"]) == (None, 61.5, None)


def test_summary_command_with_only_measurements(run: Run, tmp_path: Path, clock: object) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text(ONLY_MEASURED_CSV)
    run("import", str(csv))
    rows = run.json("summary")
    assert [(row["period"], row["steps"], row["sleep_minutes"], row["resting_hr"]) for row in rows] == [
        ("2026-W10", 5000, 390, None),
        ("2026-W11", None, None, 61.5),
    ]
    assert all(row["days_logged"] == 0 and row["pain"] is None for row in rows)
    [month] = run.json("summary", "--by", "month")
    assert (month["steps"], month["sleep_minutes"], month["resting_hr"]) == (5000, 390, 61.5)
    text = run("summary").stdout
    assert "2026-W10" in text and "5000" in text and "390" in text and "resting HR" in text


def test_summary_reaches_the_measurement_days_beyond_the_entries(run: Run, tmp_path: Path, clock: object) -> None:
    run("log", "5", "--at", "2026-03-11 09:00")
    csv = tmp_path / "m.csv"
    csv.write_text(ONLY_MEASURED_CSV)
    run("import", str(csv))
    rows = {row["period"]: row for row in run.json("summary")}
    assert rows["2026-W10"]["steps"] == 5000 and rows["2026-W10"]["days_logged"] == 0
    assert rows["2026-W11"]["pain"] == 5 and rows["2026-W11"]["resting_hr"] == 61.5
    assert rows["2026-W11"]["days_logged"] == 1


# --- the evidence of measured metrics, by hand ----------------------------------------------

T_975_4 = 2.7764451051977987  # Student's t, 97.5% quantile, 4 degrees of freedom (tables: 2.776)
EVIDENCE_CSV = "day,metric,value,source\n" + "".join(
    f"2026-03-{day:02d},{metric},{value},csv\n"
    for metric, values in (
        # baseline 03-07..09 (the 7 days before the session of 03-10), follow-up 03-11..13
        ("sleep_minutes", (300, 330, 360, 390, 420, 450)),
        ("steps", (4000, 5000, 6000, 5000, 6000, 7000)),
        ("resting_hr", (70, 68, 66, 66, 64, 62)),
    )
    for day, value in zip((7, 8, 9, 11, 12, 13), values, strict=True)
)


def test_analyze_json_gives_nap_interval_and_slope_for_measured_metrics(run: Run, tmp_path: Path) -> None:
    run("treatment", "add", "--at", "2026-03-10 09:00", "--name", "ketamine")
    csv = tmp_path / "m.csv"
    csv.write_text(EVIDENCE_CSV)
    run("import", str(csv))
    metrics = run.json("analyze")["courses"][0]["metrics"]
    sleep, steps, resting = metrics["sleep_minutes"], metrics["steps"], metrics["resting_hr"]
    # sleep: 300, 330, 360 -> 390, 420, 450; every day after is longer: NAP 1 (more sleep is better)
    assert (sleep["baseline_mean"], sleep["followup_mean"], sleep["change"]) == (330, 420, 90)
    assert sleep["nap"] == 1.0 and sleep["baseline_slope"] == 30
    # both windows: variance 900 over 3 days, so se = sqrt(300 + 300), Welch df = 600² / (2 * 300² / 2) = 4
    half = T_975_4 * 600**0.5
    assert sleep["ci95"] == pytest.approx([90 - half, 90 + half], abs=1e-6)
    # steps: 4000, 5000, 6000 -> 5000, 6000, 7000: 6 of 9 pairs more after, 2 ties: (6 + 1) / 9
    assert steps["nap"] == pytest.approx(7 / 9) and steps["baseline_slope"] == pytest.approx(1000)
    half = T_975_4 * (2 * 1_000_000 / 3) ** 0.5
    assert steps["ci95"] == pytest.approx([1000 - half, 1000 + half], abs=1e-6)
    # resting HR: 70, 68, 66 -> 66, 64, 62: lower is better, 8 of 9 pairs lower after, 1 tie: 8.5 / 9
    assert resting["change"] == -4 and resting["nap"] == pytest.approx(8.5 / 9)
    assert resting["baseline_slope"] == pytest.approx(-2)
    half = T_975_4 * (8 / 3) ** 0.5
    assert resting["ci95"] == pytest.approx([-4 - half, -4 + half], abs=1e-6)
    assert "response" not in resting
