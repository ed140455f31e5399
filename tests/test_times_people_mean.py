"""Times people mean (issue 13 item 2): no future records, day words with a time, the next free second."""

from __future__ import annotations

import pytest

from tests.conftest import Run


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("2027-05-01", "--at: 2027-05-01 is in the future; today is 2026-03-15."),
        ("2026-03-15T10:40", "--at: 2026-03-15T10:40:00 is in the future; today is 2026-03-15, now 10:30."),
        ("21:00", '--at: 21:00 today is later than now (10:30); for yesterday write --at "yesterday 21:00".'),
    ],
)
def test_a_time_in_the_future_is_refused_on_every_add(run: Run, clock: object, at: str, message: str) -> None:
    assert message in run("log", "4", "--at", at, code=1).stderr
    assert message in run("med", "add", "naproxen", "250", "mg", "--at", at, code=1).stderr
    assert "is in the future" in run("treatment", "add", "--at", "2027-05-01T09:00", "--name", "k", code=1).stderr


def test_a_few_minutes_ahead_is_fine_and_since_until_may_be_in_the_future(run: Run, clock: object) -> None:
    run("log", "4", "--at", "2026-03-15T10:34")  # the clock is 10:30:45; 5 minutes of grace
    assert len(run.json("entry", "list", "--until", "2027-01-01")) == 1


@pytest.mark.parametrize(
    ("at", "stored"),
    [
        ("yesterday 21:00", "2026-03-14T21:00:00"),
        ("-2d 08:30", "2026-03-13T08:30:00"),
        ("today 07:15", "2026-03-15T07:15:00"),
    ],
)
def test_a_day_word_and_a_time(run: Run, clock: object, at: str, stored: str) -> None:
    run("log", "4", "--at", at)
    assert [e["recorded_at"] for e in run.json("entry", "list")] == [stored]


def test_without_at_a_taken_second_moves_to_the_next_free_one(run: Run, clock: object) -> None:
    run("log", "5")  # the clock is frozen: three commands "in the same second"
    run("log", "6")
    run("med", "add", "naproxen", "250", "mg")
    run("med", "add", "naproxen", "250", "mg")
    run("log", "7")
    stamps = [(e["recorded_at"], e["pain"]) for e in run.json("entry", "list")]
    assert stamps == [("2026-03-15T10:30:45", 5), ("2026-03-15T10:30:46", 6), ("2026-03-15T10:30:47", 7)]
    assert [m["taken_at"][-2:] for m in run.json("med", "list")] == ["45", "46"]


def test_an_explicit_at_that_is_taken_is_still_refused(run: Run, clock: object) -> None:
    run("log", "5", "--at", "2026-03-15T09:00")
    assert "already" in run("log", "6", "--at", "2026-03-15T09:00", code=1).stderr


def test_default_periods_end_today_not_at_a_future_record(run: Run, clock: object, db_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from pypdf import PdfReader

    run("log", "5", "--at", "2026-03-01")
    run("log", "4", "--at", "2026-03-10")
    conn = sqlite3.connect(db_path)  # a typo from before future times were refused
    conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2027-05-01', 6)")
    conn.commit()
    conn.close()
    assert run.json("summary")[-1]["end"] == "2026-03-15"
    run("report", "-o", str(tmp_path / "r.pdf"))
    text = " ".join(PdfReader(tmp_path / "r.pdf").pages[0].extract_text().split())
    assert "to 2026-03-15" in text and "2027" not in text
    assert "2027" not in run("chart", "-o", str(tmp_path / "c.svg")).stderr
