"""``paindiary assess``: recording, asking, listing, editing and deleting follow-up check-ins (issue 11).

The clock is FIXED_NOW (2026-03-15 10:30:45); every test runs on its own diary.
"""

from __future__ import annotations

import pytest

from paindiary.assessments import PGIC_QUESTION
from tests.conftest import Run


def answers(run: Run) -> list[dict[str, object]]:
    result: list[dict[str, object]] = run.json("assess", "list")
    return result


def test_pgic_is_stored_with_its_label(run: Run, clock: object) -> None:
    result = run("assess", "pgic", "2", "--at", "2026-03-10T09:00", "--note", "walking more")
    assert "Recorded assessment 1 at 2026-03-10T09:00:00: PGIC 2 (much improved), a note." in result.stderr
    (answer,) = answers(run)
    assert answer == {
        "id": 1, "recorded_at": "2026-03-10T09:00:00", "instrument": "pgic", "pgic": 2,
        "peg_pain": None, "peg_enjoyment": None, "peg_activity": None, "note": "walking more",
    }  # fmt: skip


def test_peg_takes_a_decimal_comma_and_says_its_score(run: Run, clock: object) -> None:
    result = run("assess", "peg", "6", "5,5", "4", "--at", "2026-03-10")
    assert "PEG score 5.17 (pain 6, enjoyment 5.5, activity 4)" in result.stderr
    (answer,) = answers(run)
    assert (answer["peg_pain"], answer["peg_enjoyment"], answer["peg_activity"]) == (6, 5.5, 4)
    assert answer["recorded_at"] == "2026-03-10" and answer["pgic"] is None


def test_without_at_the_answer_is_timed_now(run: Run, clock: object) -> None:
    assert run.json("assess", "pgic", "4")["recorded_at"] == "2026-03-15T10:30:45"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pgic", "8"], "SCORE (8) is not valid; expected a whole number from 1 to 7."),
        (["pgic", "2.5"], "SCORE (2.5) is not valid; expected a whole number from 1 to 7."),
        (["pgic", "0"], "SCORE (0) is not valid"),
        (["peg", "11", "5", "4"], "PAIN (11) is not valid; expected a number from 0 to 10."),
        (["peg", "6", "x", "4"], "ENJOYMENT (x) is not valid"),
        (["peg", "6", "5", "10.5"], "ACTIVITY (10.5) is not valid"),
        (["pgic", "2", "--at", "2026-03-16"], "--at"),  # the future
    ],
)
def test_a_bad_value_is_named_as_typed_and_nothing_is_stored(
    run: Run, clock: object, args: list[str], message: str
) -> None:
    run("log", "5", "--at", "2026-03-01")  # the diary exists
    result = run("assess", *args, code=1)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert answers(run) == []


def test_missing_arguments_without_a_terminal_are_usage_errors(run: Run, clock: object) -> None:
    assert "SCORE" in run("assess", "pgic", code=2).stderr
    assert "PAIN ENJOYMENT ACTIVITY" in run("assess", "peg", "6", "5", code=2).stderr
    assert "PAIN ENJOYMENT ACTIVITY" in run("assess", "peg", code=2).stderr


def test_pgic_on_a_terminal_asks_shows_the_scale_and_asks_again_on_a_bad_value(
    run: Run, clock: object, interactive: None
) -> None:
    result = run("assess", "pgic", "--at", "2026-03-14", input="9\n3\n")
    assert PGIC_QUESTION in result.stderr
    assert "1 very much improved" in result.stderr and "7 very much worse" in result.stderr
    assert "'9' is not valid; expected a whole number from 1 to 7." in result.stderr
    assert [(a["pgic"], a["recorded_at"]) for a in answers(run)] == [(3, "2026-03-14")]


def test_peg_on_a_terminal_asks_its_three_questions(run: Run, clock: object, interactive: None) -> None:
    run("assess", "peg", "--at", "2026-03-14", input="6\n\n5\n4\n")  # Enter at the second: asked again
    (answer,) = answers(run)
    assert (answer["peg_pain"], answer["peg_enjoyment"], answer["peg_activity"]) == (6, 5, 4)


def test_pgic_skipped_on_a_terminal_stores_nothing(run: Run, clock: object, interactive: None) -> None:
    run("log", "5", "--at", "2026-03-01")
    assert "Nothing was stored." in run("assess", "pgic", input="\n", code=1).stderr
    assert answers(run) == []


def test_a_duplicate_answer_is_refused_clearly(run: Run, clock: object) -> None:
    run("assess", "pgic", "2", "--at", "2026-03-10T09:00")
    result = run("assess", "pgic", "3", "--at", "2026-03-10T09:00", code=1)
    assert "A PGIC answer is already recorded at 2026-03-10T09:00:00 (id 1)" in result.stderr
    assert "paindiary assess edit 1" in result.stderr
    run("assess", "peg", "6", "5", "4", "--at", "2026-03-10T09:00")  # another instrument, same time: fine
    assert [a["instrument"] for a in answers(run)] == ["pgic", "peg"]


def test_list_edit_and_delete(run: Run, clock: object) -> None:
    run("assess", "pgic", "2", "--at", "2026-03-01")
    run("assess", "peg", "6", "5", "4", "--at", "2026-03-08", "--note", "better week")
    run("assess", "pgic", "3", "--at", "2026-03-14")
    assert [a["id"] for a in run.json("assess", "list", "--since", "2026-03-05")] == [2, 3]
    assert [a["id"] for a in run.json("assess", "list", "--last", "1")] == [3]
    assert [a["id"] for a in run.json("assess", "list", "--until", "2026-03-08")] == [1, 2]
    table = run("assess", "list").stdout
    assert "2 much improved" in table and "6 / 5 / 4" in table and "better week" in table and "5" in table
    run("assess", "edit", "last", "--pgic", "1", "--note", "much better")
    run("assess", "edit", "2", "--activity", "1")
    assert "--pain (12) is not valid" in run("assess", "edit", "2", "--pain", "12", code=1).stderr
    assert "no PGIC value" in run("assess", "edit", "2", "--pgic", "2", code=1).stderr
    edited = {a["id"]: a for a in answers(run)}
    assert (edited[3]["pgic"], edited[3]["note"]) == (1, "much better")
    assert (edited[2]["peg_activity"], edited[2]["peg_pain"]) == (1, 6)
    run("assess", "delete", "1", "--yes")
    assert "--yes" in run("assess", "delete", "last", code=2).stderr  # no terminal: needs --yes
    run("assess", "delete", "last", "--yes")
    assert [a["id"] for a in answers(run)] == [2]


def test_the_table_fits_80_columns_and_shows_stored_text_safely(
    run: Run, clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = "a long note about the week " * 6 + "\x1b[31m[bold]red[/bold]"
    run("assess", "peg", "6,5", "5,5", "4,5", "--at", "2026-03-08T20:15", "--note", note)
    run("assess", "pgic", "7", "--at", "2026-03-09T20:15")
    monkeypatch.setenv("COLUMNS", "80")
    table = run("assess", "list").stdout
    assert all(len(line) <= 80 for line in table.splitlines()), table
    assert "\x1b" not in table and "[bold]red[/bold]" in table
    assert "03-08 20:15" in table and "6.5 / 5.5 / 4.5" in table and "5.5 " in table
    assert "7 very much" in table and "worse" in table


def test_assess_alone_without_a_terminal_is_a_usage_error(run: Run, clock: object) -> None:
    result = run("assess", code=2)
    assert "paindiary assess pgic SCORE" in " ".join(result.stderr.replace("│", " ").split())


def _course(run: Run) -> None:
    """Sessions on 2026-03-05 and 06: day 7 is 03-13, its window 03-11 to 03-15 (the clock's day)."""
    run("treatment", "add", "--at", "2026-03-05T09:00", "--name", "ketamine infusion")
    run("treatment", "add", "--at", "2026-03-06T09:00", "--name", "ketamine infusion")


def test_assess_alone_asks_what_is_due_enter_skipping(run: Run, clock: object, interactive: None) -> None:
    _course(run)
    result = run("assess", input="x\n2\n\n")  # PGIC: a bad value asked again, then 2; PEG skipped
    assert "Due today: PGIC, day 7 after course 1" in result.stderr and "Due today: PEG, day 7" in result.stderr
    assert "'x' is not valid" in result.stderr
    assert [(a["instrument"], a["pgic"], a["recorded_at"]) for a in answers(run)] == [
        ("pgic", 2, "2026-03-15T10:30:45")
    ]
    # the PGIC is done now: only the PEG is asked
    result = run("assess", input="6\n5\n4\n")
    assert "PGIC 1-7" not in result.stderr
    assert [a["instrument"] for a in answers(run)] == ["pgic", "peg"]
    assert [p["status"] for p in run.json("due") if p["day"] == 7] == ["done", "done"]


def test_assess_alone_stops_without_storing_at_ctrl_c(run: Run, clock: object, interactive: None) -> None:
    _course(run)
    result = run("assess", input="2\n6\n", code=130)  # the input ends (as Ctrl-C) inside the PEG
    assert "nothing was stored" in result.stderr
    assert answers(run) == []


def test_assess_alone_says_when_nothing_is_due_and_when_the_next_is(run: Run, clock: object, interactive: None) -> None:
    run("treatment", "add", "--at", "2026-03-14T09:00", "--name", "ketamine infusion")
    result = run("assess")
    assert "No check-in is due today. Next: PGIC, day 7 after course 1, 2026-03-19 to 2026-03-23" in result.stderr
    assert answers(run) == []


def test_the_group_s_db_option_holds_for_its_commands(run: Run, clock: object, tmp_path: object) -> None:
    other = f"{tmp_path}/other.db"
    run("assess", "--db", other, "pgic", "2", "--at", "2026-03-01")
    assert [a["pgic"] for a in run.json("assess", "--db", other, "list")] == [2]
    assert [a["pgic"] for a in run.json("--db", other, "assess", "list")] == [2]
    run("log", "5", "--at", "2026-03-01")  # the default diary
    assert answers(run) == []
