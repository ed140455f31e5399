"""Tables fit the terminal without cutting a value (issue 13 item 5), at 80 and 120 columns.

Dates are short on a narrow terminal (``12-03 21:00`` within the current year), text
wraps, and columns that still do not fit are left out with a line naming them; a vital
sign, a score or a date is never cut. Output to a pipe (200 columns) is unchanged: the
golden files of tests/test_golden_outputs.py hold it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paindiary import demo
from tests.conftest import FIXED_NOW, Run


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    demo.write(path, FIXED_NOW.date())
    return path


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _row(lines: list[str], record_id: object) -> str:
    """The table row of a record: the line below the header that starts with its id."""
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("id "))
    return next(line for line in lines[start + 1 :] if line.lstrip().startswith(f"{record_id} "))


def _left_out(text: str) -> list[str]:
    match = re.search(r"Left out to fit \d+ columns: (.*?); see them", " ".join(text.split()))
    return [] if match is None else match[1].split(", ")


@pytest.mark.parametrize("width", [80, 120])
def test_session_table_keeps_every_vital_sign_and_date_whole(
    run: Run, clock: object, demo_db: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = run.json("--db", str(demo_db), "treatment", "list")
    monkeypatch.setenv("COLUMNS", str(width))
    table = run("--db", str(demo_db), "treatment", "list").stdout
    assert all(len(line) <= width for line in _lines(table)), table
    header = next(line for line in _lines(table) if line.lstrip().startswith("id"))
    for session in sessions:
        hr = f"{session['heart_rate_before']} → {session['heart_rate_after']}"
        bp = (
            f"{session['systolic_before']}/{session['diastolic_before']} → "
            f"{session['systolic_after']}/{session['diastolic_after']}"
        )
        stamp = session["started_at"]
        when = f"{stamp[5:10]} {stamp[11:16]}" if width < 120 else stamp
        row = _row(_lines(table), session["id"])
        assert when in row
        for column, value in (("HR", hr), ("BP", bp)):
            assert (value in row) == (column in header.split()), (column, row)
            assert column in header.split() or column in _left_out(table)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("noun", ["entry", "med"])
def test_lists_keep_every_score_dose_and_date_whole(
    run: Run, clock: object, demo_db: Path, width: int, noun: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = run.json("--db", str(demo_db), noun, "list", "--last", "5")
    monkeypatch.setenv("COLUMNS", str(width))
    table = run("--db", str(demo_db), noun, "list", "--last", "5").stdout
    lines = _lines(table)
    assert all(len(line) <= width for line in lines), table
    header = next(line for line in lines if line.lstrip().startswith("id")).split()
    for record in records:
        row = _row(lines, record["id"]).split()
        stamp = record["recorded_at" if noun == "entry" else "taken_at"]
        assert (f"{stamp[5:10]}" if width < 120 else stamp) in row
        if noun == "entry":
            shown = [column for column in ("pain", "worst", "least", "mood") if column in header]
            assert "pain" in shown and set(("pain", "worst", "least", "mood")) - set(shown) <= set(_left_out(table))
            for column in shown:
                field = {"worst": "worst_pain", "least": "least_pain"}.get(column, column)
                value = record[field]
                assert f"{value:g}" in row, (column, value, row)
        else:
            assert f"{record['dose']:g}" in row and record["name"] in row


@pytest.mark.parametrize("width", [80, 120])
def test_summary_and_analyze_fit(
    run: Run, clock: object, demo_db: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (["summary", "--by", "month"], ["analyze"]):
        text = run("--db", str(demo_db), *args).stdout
        assert all(len(line) <= width for line in _lines(text)), text
    analysis = run("--db", str(demo_db), "analyze").stdout
    first = run.json("--db", str(demo_db), "analyze")["courses"][0]["first_session"][:10]
    assert first in analysis  # a date is never split over lines


def test_a_pipe_gets_the_wide_table(run: Run, clock: object, demo_db: Path) -> None:
    table = run("--db", str(demo_db), "treatment", "list").stdout
    assert "Left out" not in table and "side effects" in table and "T09:00:00" in table
