"""``paindiary analyze``, ``paindiary summary`` and the analysis printed by ``paindiary demo``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from paindiary import analysis, demo, models
from paindiary.cli import common


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so that table cells are not wrapped."""
    monkeypatch.setenv("COLUMNS", "200")


def diary(run) -> None:  # type: ignore[no-untyped-def]
    """Pain 8 on 1-7 March, an infusion on 8 March, pain 4 on 9-15 March; oxycodone before."""
    for n in range(1, 8):
        run("log", "8", "--at", f"2026-03-0{n}T20:00", "--sleep", "5")
        run("med", "add", "oxycodone", "10", "mg", "--at", f"2026-03-0{n}T08:00")
    run("treatment", "add", "--at", "2026-03-08T09:00", "--name", "ketamine infusion")
    run("log", "6", "--at", "2026-03-08T15:00")
    for n in range(9, 16):
        run("log", "4", "--at", f"2026-03-{n:02d}", "--sleep", "7")


def test_analyze_json(run, clock) -> None:  # type: ignore[no-untyped-def]
    diary(run)
    result = run.json("analyze")
    assert result["parameters"] == {
        "baseline_days": 7,
        "followup_days": 7,
        "min_days": 3,
        "horizon_days": 28,
        "course_gap_days": 3,
        "relief_threshold_pct": 30,
    }
    (course,) = result["courses"]
    assert course["first_session"] == course["last_session"] == "2026-03-08T09:00:00"
    assert course["sessions"] == 1 and course["name"] == "ketamine infusion" and course["status"] == "ok"
    pain = course["metrics"]["pain"]
    assert (pain["baseline_mean"], pain["followup_mean"], pain["pct_change"], pain["response"]) == (
        8,
        4,
        -50,
        "substantial",
    )
    assert course["metrics"]["sleep_hours"]["change"] == 2
    mme = course["metrics"]["mme"]
    assert (mme["baseline_mean"], mme["followup_mean"], mme["pct_change"]) == (15, 0, -100)
    assert course["metrics"]["peg"]["response"] is None and course["metrics"]["peg"]["baseline_days"] == 0
    assert course["same_day_after_pain"] == 6
    assert course["relief"] == {"onset_day": 1, "duration_days": 7, "ongoing": True}


def test_analyze_options_reach_the_analysis(run, clock) -> None:  # type: ignore[no-untyped-def]
    diary(run)
    result = run.json(
        "analyze", "--baseline-days", "3", "--followup-days", "2", "--min-days", "3", "--horizon-days", "4",
        "--course-gap", "0",
    )  # fmt: skip
    assert result["parameters"]["course_gap_days"] == 0 and result["parameters"]["horizon_days"] == 4
    course = result["courses"][0]
    assert course["metrics"]["pain"]["baseline_days"] == 3 and course["metrics"]["pain"]["followup_days"] == 2
    assert course["status"] == "insufficient_data" and course["relief"] is None


def test_analyze_since_until_take_the_day_of_when(run, clock) -> None:  # type: ignore[no-untyped-def]
    diary(run)
    assert len(run.json("analyze", "--since", "2026-03-08T23:00")["courses"]) == 1  # same day counts
    assert run.json("analyze", "--since", "-6d")["courses"] == []  # 2026-03-09
    assert len(run.json("analyze", "--until", "2026-03-08")["courses"]) == 1
    assert run.json("analyze", "--until", "2026-03-07")["courses"] == []


def test_analyze_table_with_footnotes(run, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    diary(run)
    monkeypatch.setattr(common, "now", lambda: datetime(2026, 3, 21, 12, 0))  # a later session, logged after it
    run("treatment", "add", "--at", "2026-03-20T09:00", "--name", "lidocaine infusion")
    out = run("analyze").stdout
    assert "ketamine infusion" in out and "lidocaine infusion" in out
    assert "substantial" in out
    assert "not enough data" in out and "(needs 3)" in out
    assert "fentanyl" in out and "estimate" in out


def test_analyze_rejects_bad_options_and_missing_diary(run, clock) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", code=1)
    assert "No diary" in result.stderr
    diary(run)
    assert "--min-days" in run("analyze", "--min-days", "0", code=2).stderr
    assert "--course-gap" in run("analyze", "--course-gap", "-1", code=2).stderr
    assert "--since" in run("analyze", "--since", "soon", code=1).stderr


def test_analyze_without_sessions_says_what_to_do(run, clock) -> None:  # type: ignore[no-untyped-def]
    run("log", "5")
    result = run("analyze")
    assert "treatment add" in result.stderr
    assert run.json("analyze")["courses"] == []


def test_summary(run, clock) -> None:  # type: ignore[no-untyped-def]
    diary(run)
    weeks = run.json("summary")
    assert [week["period"] for week in weeks] == ["2026-W09", "2026-W10", "2026-W11"]
    assert weeks[0]["start"] == "2026-02-23" and weeks[0]["days_logged"] == 1 and weeks[0]["mme"] == 15
    assert weeks[1]["days_logged"] == 7 and weeks[1]["pain"] == pytest.approx((8 * 6 + 6) / 7)
    months = run.json("summary", "--by", "month", "--since", "2026-03-09", "--until", "2026-03-12")
    assert months == [
        {
            "period": "2026-03", "start": "2026-03-09", "end": "2026-03-12", "days_logged": 4, "pain": 4,
            "worst_pain": None, "least_pain": None, "enjoyment": None, "activity": None, "sleep_hours": 7,
            "sleep_quality": None, "mood": None, "peg": None, "mme": 0,
        }
    ]  # fmt: skip
    out = run("summary", "--by", "month").stdout
    assert "2026-03" in out and "estimate" in out
    assert run("summary", "--by", "year", code=2).exit_code == 2
    assert "Nothing logged" in run("summary", "--since", "2027-01-01").stderr


def test_demo_prints_its_analysis(run, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("demo", "--db", str(tmp_path / "demo.db"))
    assert "Treatment courses" in result.stdout and "ketamine infusion" in result.stdout
    assert "estimate" in result.stdout


def test_demo_courses_show_a_real_response() -> None:
    data = demo.build(date(2026, 3, 15))
    entries = [models.make_entry(values) for values in data.entries]
    sessions = [models.make_treatment(values) for values in data.treatments]
    meds = [models.make_medication(values) for values in data.medications]
    courses = analysis.analyze(entries, sessions, meds).to_dict()["courses"]
    assert [course["sessions"] for course in courses] == [3, 1]
    for course in courses:
        assert course["status"] == "ok"
        assert course["metrics"]["pain"]["response"] in ("moderate", "substantial")
        assert course["relief"]["onset_day"] is not None and course["relief"]["duration_days"] >= 14
    assert courses[0]["metrics"]["mme"]["change"] < 0
    assert courses[0]["relief"]["ongoing"] is False  # relief wears off before the booster


def test_analyze_json_imports_neither_matplotlib_nor_numpy(db_path: Path) -> None:
    code = (
        "import sys\n"
        "from paindiary.cli import main\n"
        "sys.argv = ['paindiary', 'analyze', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in ('matplotlib', 'numpy', 'sqlite_utils') if m in sys.modules)))\n"
    )
    subprocess.run([sys.executable, "-m", "paindiary", "log", "5"], check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []
    assert json.loads("\n".join(result.stdout.splitlines()[:-1]))["courses"] == []
