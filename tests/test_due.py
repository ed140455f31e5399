"""``paindiary due`` (and the check-ins ``today`` and ``log`` mention): hand-computed points (issue 11).

Sessions on 2026-03-01 and 2026-03-02 make one course with Dk = 2026-03-02: day 7 is
03-09 (window 03-07 to 03-11), day 14 is 03-16 (03-14 to 03-18), day 30 is 04-01
(03-25 to 04-08), day 60 is 05-01 (04-24 to 05-08).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run


def _course(run: Run, *days: str) -> None:
    for day in days:
        run("treatment", "add", "--at", f"{day}T09:00", "--name", "ketamine infusion")


def _points(run: Run, *args: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = run.json("due", *args)
    return result


def _status(run: Run, as_of: str, instrument: str = "pgic", day: int = 7) -> str:
    point = next(p for p in _points(run, "--as-of", as_of) if p["instrument"] == instrument and p["day"] == day)
    status: str = point["status"]
    return status


def test_json_lists_every_point_with_the_issue_s_keys(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    points = _points(run, "--as-of", "2026-03-08")
    assert len(points) == 14  # seven days, two instruments
    assert points[0] == {
        "course": 1, "first_session": "2026-03-01T09:00:00", "last_session": "2026-03-02T09:00:00",
        "instrument": "pgic", "day": 7, "date": "2026-03-09", "window_start": "2026-03-07",
        "window_end": "2026-03-11", "status": "due", "assessment_id": None,
    }  # fmt: skip
    assert [(p["day"], p["date"], p["window_start"], p["window_end"]) for p in points[2:4]] == [
        (30, "2026-04-01", "2026-03-25", "2026-04-08"),
        (60, "2026-05-01", "2026-04-24", "2026-05-08"),
    ]
    assert [p["instrument"] for p in points] == ["pgic"] * 7 + ["peg"] * 7
    assert points[6]["date"] == "2027-03-02"  # day 365


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2026-03-06", "upcoming"), ("2026-03-07", "due"), ("2026-03-11", "due"), ("2026-03-12", "overdue")],
    ids=["day-before-window", "window-start", "window-end", "day-after-window"],
)
def test_status_on_the_window_edges(run: Run, clock: object, as_of: str, status: str) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    assert _status(run, as_of) == status


def test_status_on_the_edges_of_a_seven_day_window(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    assert _status(run, "2026-03-24", day=30) == "upcoming"
    assert _status(run, "2026-03-25", day=30) == "due"
    assert _status(run, "2026-04-08", day=30) == "due"
    assert _status(run, "2026-04-09", day=30) == "overdue"


def test_an_answer_in_the_window_makes_the_point_done(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    run("assess", "pgic", "2", "--at", "2026-03-11T20:00")  # the window's last day
    run("assess", "peg", "6", "5", "4", "--at", "2026-03-12")  # a day too late for day 7
    points = {(p["instrument"], p["day"]): p for p in _points(run, "--as-of", "2026-03-13")}
    assert (points["pgic", 7]["status"], points["pgic", 7]["assessment_id"]) == ("done", 1)
    assert (points["peg", 7]["status"], points["peg", 7]["assessment_id"]) == ("overdue", None)


def test_a_course_followed_soon_by_another_loses_its_later_points(run: Run, clock: object) -> None:
    _course(run, "2026-02-01", "2026-02-02", "2026-02-20")  # 18 days later: a second course
    points = _points(run, "--as-of", "2026-03-15")
    assert [p["day"] for p in points if p["course"] == 1] == [7, 14, 7, 14]  # day 30 (03-04) is after 02-20
    assert [p["date"] for p in points if p["course"] == 1][:2] == ["2026-02-09", "2026-02-16"]
    second = [p for p in points if p["course"] == 2]
    assert second[0]["first_session"] == "2026-02-20T09:00:00" and second[0]["date"] == "2026-02-27"
    assert len(second) == 14
    _course(run, "2026-02-14")  # a third course, two days before day 14 of the first
    points = _points(run, "--as-of", "2026-03-15")
    assert [p["day"] for p in points if p["course"] == 1] == [7, 7]  # day 14 (02-16) is after the 02-14 course
    wide = _points(run, "--as-of", "2026-03-15", "--course-gap", "20")  # one course of four sessions
    assert {p["course"] for p in wide} == {1} and wide[0]["date"] == "2026-02-27"


def test_text_shows_due_overdue_of_the_latest_course_and_the_next(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    run("assess", "pgic", "2", "--at", "2026-03-09")
    text = run("due", "--as-of", "2026-03-15").stdout
    assert "Due now: PGIC, day 14 after course 1, until 2026-03-18:\n    paindiary assess pgic SCORE" in text
    peg = "Due now: PEG, day 14 after course 1, until 2026-03-18:\n    paindiary assess peg PAIN ENJOYMENT ACTIVITY"
    assert peg in text
    assert "Overdue: PEG, day 7 after course 1, window 2026-03-07 to 2026-03-11" in text
    assert "Overdue: PGIC" not in text  # done
    assert "Next: PGIC, day 30 after course 1, 2026-03-25 to 2026-04-08" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_text_with_nothing_due_still_names_the_next(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    text = run("due", "--as-of", "2026-03-04").stdout
    assert "Nothing is due." in text and "Next: PGIC, day 7 after course 1, 2026-03-07 to 2026-03-11" in text


def test_without_sessions_there_is_no_course_yet(run: Run, clock: object) -> None:
    run("log", "5", "--at", "2026-03-01")
    assert "No treatment course yet" in run("due").stdout
    assert _points(run) == []


def test_as_of_defaults_to_today(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")
    assert _points(run) == _points(run, "--as-of", "2026-03-15")


def test_today_lists_the_check_ins_due(run: Run, clock: object) -> None:
    _course(run, "2026-03-01", "2026-03-02")  # day 14's window (03-14 to 03-18) holds today, 03-15
    run("assess", "pgic", "2", "--at", "2026-03-14")
    data = run.json("today")
    assert [(p["instrument"], p["day"], p["status"]) for p in data["due"]] == [("peg", 14, "due")]
    assert "Check-in due: PEG, day 14 after course 1" in run("today").stderr
    run("assess", "peg", "6", "5", "4", "--at", "2026-03-15T09:00")
    assert run.json("today")["due"] == []
    assert "Check-in due" not in run("today").stderr


def test_log_says_a_check_in_is_due_only_on_a_terminal(
    run: Run, clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paindiary.cli import common

    _course(run, "2026-03-01", "2026-03-02")
    assert "check-in" not in run("log", "5", "--at", "2026-03-15T08:00").stderr  # no terminal: not a word
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    assert "A check-in is due: paindiary assess" in run("log", "5", "--at", "2026-03-15T09:00").stderr
    run("assess", "pgic", "2", "--at", "2026-03-15T09:30")
    run("assess", "peg", "6", "5", "4", "--at", "2026-03-15T09:30")
    assert "check-in" not in run("log", "5", "--at", "2026-03-15T10:00").stderr


def test_text_leaves_out_what_an_earlier_course_missed(run: Run, clock: object) -> None:
    _course(run, "2026-02-01", "2026-02-02", "2026-03-04", "2026-03-06")
    points = _points(run, "--as-of", "2026-03-15")
    assert [(p["course"], p["day"], p["status"]) for p in points if p["instrument"] == "pgic"][:3] == [
        (1, 7, "overdue"), (1, 14, "overdue"), (2, 7, "due")  # course 1's day 30 (03-04): course 2's first day, cut
    ]  # fmt: skip
    text = run("due", "--as-of", "2026-03-15").stdout
    assert "course 2: last session 2026-03-06" in text and "Due now: PGIC, day 7 after course 2" in text
    assert "Overdue" not in text


CHECKIN_PROBE = """
import json, sys
from paindiary.cli import app
try:
    app(sys.argv[1:], prog_name="paindiary")
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "followup": "paindiary.followup" in sys.modules}), file=sys.stderr)
"""


@pytest.mark.slow  # starts paindiary as its own process
def test_log_in_a_script_never_looks_for_check_ins(run: Run, db_path: Path) -> None:
    """The check-in line costs ``log`` nothing without a terminal: the follow-up rules are not even imported."""
    today = date.today()
    for days in (8, 7):  # a check-in is due today
        run("treatment", "add", "--at", f"{(today - timedelta(days=days)).isoformat()}T09:00", "--name", "ketamine")
    result = subprocess.run([sys.executable, "-c", CHECKIN_PROBE, "log", "5"], capture_output=True, text=True)
    outcome = json.loads(result.stderr.strip().splitlines()[-1])
    assert outcome == {"code": 0, "followup": False}, result.stderr
    assert "check-in" not in result.stderr
