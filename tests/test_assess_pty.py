"""``paindiary assess`` asks the check-ins due today on a real terminal (a pty): Enter skips, Ctrl-C stores nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.test_checkin_pty import Terminal

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def _course_ending_a_week_ago(run: Run, db: Path) -> None:
    """A course whose day-7 check-in falls today (by the real clock), so both instruments are due."""
    for days in (8, 7):
        day = (date.today() - timedelta(days=days)).isoformat()
        run("--db", str(db), "treatment", "add", "--at", f"{day}T09:00", "--name", "ketamine infusion")


def _answers(run: Run, db: Path) -> list[dict[str, object]]:
    result: list[dict[str, object]] = json.loads(run("--db", str(db), "assess", "list", "--json").stdout)
    return result


def test_assess_asks_what_is_due_and_checks_each_answer(run: Run, db_path: Path) -> None:
    _course_ending_a_week_ago(run, db_path)
    term = Terminal(["assess"], db_path)
    term.expect("Since your treatment course began")
    term.answer("PGIC 1-7", "8")  # out of range: asked again
    term.expect("expected a whole number from 1 to 7")
    term.answer("PGIC 1-7", "2")
    term.answer("average?", "6,5")
    term.answer("enjoyment of life?", "")  # the PEG needs all three: asked again
    term.answer("enjoyment of life?", "5")
    term.answer("general activity?", "4")
    term.expect("Recorded assessment 2")
    assert term.close() == 0
    fields = ("instrument", "pgic", "peg_pain", "peg_enjoyment", "peg_activity")
    got = [tuple(a[name] for name in fields) for a in _answers(run, db_path)]
    assert got == [("pgic", 2, None, None, None), ("peg", None, 6.5, 5, 4)]


def test_ctrl_c_in_assess_stores_nothing_and_exits_130(run: Run, db_path: Path) -> None:
    _course_ending_a_week_ago(run, db_path)
    term = Terminal(["assess"], db_path)
    term.answer("PGIC 1-7", "2")
    term.expect("(Enter skips the PEG): ")
    term.interrupt()
    assert term.close() == 130
    assert _answers(run, db_path) == []
