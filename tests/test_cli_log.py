"""``paindiary log``: the everyday command, its times, prompts and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run


def test_log_all_values(run: Run, clock: object) -> None:
    args = ["5", "--worst", "8", "--least", "3", "--enjoyment", "6", "--activity", "4", "--sleep", "6.5",
            "--sleep-quality", "5", "--mood", "4", "--note", "long, day", "--tag", "walk", "--tag", "work"]  # fmt: skip
    result = run("log", *args)
    assert "Logged entry 1" in result.stderr
    assert result.stdout == ""  # status goes to stderr
    [row] = run.json("entry", "list")
    assert row == {
        "id": 1, "recorded_at": "2026-03-15T10:30:45", "pain": 5, "worst_pain": 8, "least_pain": 3, "enjoyment": 6,
        "activity": 4, "sleep_hours": 6.5, "sleep_quality": 5, "mood": 4, "note": "long, day", "tags": ["walk", "work"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("at", "stored"),
    [("today", "2026-03-15"), ("yesterday", "2026-03-14"), ("-3d", "2026-03-12"), ("09:00", "2026-03-15T09:00:00"),
     ("2026-03-01T08:15", "2026-03-01T08:15:00")],
)  # fmt: skip
def test_log_at(run: Run, clock: object, at: str, stored: str) -> None:
    run("log", "4", "--at", at)
    assert run.json("entry", "list")[0]["recorded_at"] == stored


def test_log_json_prints_the_record(run: Run, clock: object) -> None:
    record = run.json("log", "3", "--at", "today")
    assert record["id"] == 1 and record["pain"] == 3 and record["recorded_at"] == "2026-03-15"


def test_same_time_is_refused_naming_the_existing_entry(run: Run, clock: object, db_path: Path) -> None:
    run("log", "5", "--at", "09:00")
    before = db_path.read_bytes()
    result = run("log", "6", "--at", "09:00:00", code=1)
    assert "already exists at 2026-03-15T09:00:00 (id 1)" in result.stderr
    assert "paindiary entry edit 1" in result.stderr
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["11"], "pain: '11' is not valid; expected a number from 0 to 10"),
        (["abc"], "pain: 'abc' is not valid"),
        (["5", "--mood", "-1"], "--mood: '-1' is not valid"),
        (["5", "--sleep", "30"], "--sleep: '30' is not valid; expected a number from 0 to 24"),
        (["5", "--at", "2026-02-30"], "--at: '2026-02-30' is not valid"),
        (["5", "--least", "7"], "--least (7) cannot be above the average pain (5)"),
        (["5", "--tag", "a;b"], "tags: 'a;b'"),
    ],
)
def test_bad_input_is_one_line_exit_1_nothing_written(run: Run, db_path: Path, args: list[str], fragment: str) -> None:
    run("log", "2", "--at", "2026-01-01")
    before = db_path.read_bytes()
    result = run("log", *args, code=1)
    assert fragment in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_bad_input_on_a_fresh_diary_creates_nothing(run: Run, db_path: Path) -> None:
    run("log", "12", code=1)
    assert not db_path.exists()


def test_no_values_without_terminal_is_a_usage_error(run: Run, db_path: Path) -> None:
    result = run("log", code=2)
    assert "give at least one value" in result.stderr
    assert not db_path.exists()


def test_no_values_on_terminal_asks(run: Run, clock: object, interactive: None) -> None:
    # pain, worst, least, enjoyment, activity, sleep, sleep quality, mood, note, tags
    answers = ["6", "", "", "x", "5", "", "7", "", "8", "tired", "flare, rain"]
    run("log", input="\n".join(answers) + "\n")
    [row] = run.json("entry", "list")
    assert row["pain"] == 6 and row["enjoyment"] == 5 and row["sleep_hours"] == 7 and row["mood"] == 8
    assert row["activity"] is None and row["note"] == "tired" and row["tags"] == ["flare", "rain"]


def test_unknown_option_keeps_typer_usage_error(run: Run) -> None:
    result = run("log", "5", "--pian", "3", code=2)
    assert "No such option" in result.stderr
