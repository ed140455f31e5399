"""Treatments, medication, editing, deleting, listing, ``info`` and ``--db``."""

from __future__ import annotations

from pathlib import Path

import pytest

from paindiary.db import SCHEMA_VERSION
from tests.conftest import Run

SESSION = ["treatment", "add", "--at", "2026-03-02 09:00", "--name", "ketamine infusion", "--dose", "0.5",
           "--dose-unit", "mg/kg/h", "--duration", "240", "--route", "IV", "--provider", "Dr Lee", "--hr-before", "72",
           "--hr-after", "88", "--bp-before", "124/80", "--bp-after", "138/86", "--side-effect", "nausea:3",
           "--side-effect", "dissociation", "--note", "first"]  # fmt: skip


def test_treatment_add_and_list(run: Run) -> None:
    run(*SESSION)
    [row] = run.json("treatment", "list")
    assert row == {
        "id": 1, "started_at": "2026-03-02T09:00:00", "name": "ketamine infusion", "dose": 0.5,
        "dose_unit": "mg/kg/h", "duration_min": 240, "route": "IV", "provider": "Dr Lee", "heart_rate_before": 72,
        "heart_rate_after": 88, "systolic_before": 124, "diastolic_before": 80, "systolic_after": 138,
        "diastolic_after": 86, "side_effects": [{"name": "nausea", "severity": 3}, {"name": "dissociation",
        "severity": None}], "note": "first",
    }  # fmt: skip
    table = run("treatment", "list").stdout
    assert "ketamine" in table and "nausea:3" in table


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--bp-before", "124"], "--bp-before: '124' is not valid; expected a blood pressure as SYS/DIA"),
        (["--bp-after", "300/80"], "systolic_after: '300' is not valid"),
        (["--hr-before", "fast"], "heart_rate_before: 'fast' is not valid"),
        (["--side-effect", "nausea:12"], "severity: '12' is not valid"),
        (["--dose", "0"], "dose: '0' is not valid; expected a number greater than 0"),
    ],
)
def test_treatment_bad_input(run: Run, db_path: Path, args: list[str], fragment: str) -> None:
    run(*SESSION)
    before = db_path.read_bytes()
    result = run("treatment", "add", "--at", "2026-03-03 09:00", "--name", "x", *args, code=1)
    assert fragment in result.stderr
    assert db_path.read_bytes() == before


def test_treatment_needs_a_time(run: Run) -> None:
    result = run("treatment", "add", "--at", "today", "--name", "x", code=1)
    assert "session happens at a time" in result.stderr
    run("treatment", "add", "--name", "x", code=2)  # --at is required


def test_treatment_same_start_refused(run: Run) -> None:
    run(*SESSION)
    assert "already exists" in run(*SESSION, code=1).stderr


def test_treatment_edit_and_clear(run: Run) -> None:
    run(*SESSION)
    run("treatment", "edit", "1", "--hr-after", "90", "--side-effect", "headache:2", "--clear", "note")
    [row] = run.json("treatment", "list")
    assert row["heart_rate_after"] == 90 and row["note"] is None
    assert row["side_effects"] == [{"name": "headache", "severity": 2}]
    assert row["systolic_before"] == 124  # untouched
    result = run("treatment", "edit", "1", "--clear", "name", code=1)
    assert "cannot clear" in result.stderr


def test_med_add_list_edit_delete(run: Run, clock: object) -> None:
    run("med", "add", "oxycodone", "5", "mg")
    run("med", "add", "ibuprofen", "400", "mg", "--at", "08:00", "--note", "with food")
    rows = run.json("med", "list")
    assert [(r["taken_at"], r["name"], r["dose"], r["dose_unit"]) for r in rows] == [
        ("2026-03-15T08:00:00", "ibuprofen", 400, "mg"),
        ("2026-03-15T10:30:45", "oxycodone", 5, "mg"),
    ]
    run("med", "edit", "1", "--dose", "2.5")
    assert run.json("med", "list")[1]["dose"] == 2.5
    assert "dose: '0' is not valid" in run("med", "add", "x", "0", "mg", code=1).stderr
    assert "dose_unit" in run("med", "add", "x", "1", " ", code=1).stderr
    run("med", "delete", "1", "--yes")
    assert [r["name"] for r in run.json("med", "list")] == ["ibuprofen"]


def test_med_same_time_and_name_refused_other_name_allowed(run: Run) -> None:
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-03-01T08:00")
    run("med", "add", "paracetamol", "1", "g", "--at", "2026-03-01T08:00")
    assert "already exists" in run("med", "add", "oxycodone", "10", "mg", "--at", "2026-03-01T08:00", code=1).stderr


def test_entry_edit(run: Run) -> None:
    run("log", "5", "--at", "2026-03-01", "--note", "x", "--tag", "a")
    run("entry", "edit", "1", "--pain", "4", "--mood", "6", "--clear", "note", "--tag", "b")
    [row] = run.json("entry", "list")
    assert (row["pain"], row["mood"], row["note"], row["tags"]) == (4, 6, None, ["b"])
    run("log", "5", "--at", "2026-03-02")
    assert "already exists" in run("entry", "edit", "1", "--at", "2026-03-02", code=1).stderr
    assert (
        "--least (5) cannot be above the average pain (4)" in run("entry", "edit", "1", "--least", "5", code=1).stderr
    )
    assert "Nothing to change" in run("entry", "edit", "1", code=1).stderr
    assert "No entry has id 9" in run("entry", "edit", "9", "--pain", "1", code=1).stderr


def test_delete_needs_yes_without_terminal(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01")
    before = db_path.read_bytes()
    result = run("entry", "delete", "1", code=2)
    assert "--yes" in result.stderr
    assert db_path.read_bytes() == before
    run("entry", "delete", "1", "--yes")
    assert run.json("entry", "list") == []


def test_delete_asks_on_terminal(run: Run, interactive: None) -> None:
    run("log", "5", "--at", "2026-03-01")
    run("entry", "delete", "1", input="n\n", code=1)
    assert len(run.json("entry", "list")) == 1
    run("entry", "delete", "1", input="y\n")
    assert run.json("entry", "list") == []


def test_list_filters(run: Run) -> None:
    for day in range(1, 11):
        run("log", str(day % 10), "--at", f"2026-03-{day:02d}T09:00")
    days = [r["recorded_at"][:10] for r in run.json("entry", "list", "--since", "2026-03-03", "--until", "2026-03-05")]
    assert days == ["2026-03-03", "2026-03-04", "2026-03-05"]
    last = [r["recorded_at"][:10] for r in run.json("entry", "list", "--last", "2", "--until", "2026-03-08")]
    assert last == ["2026-03-07", "2026-03-08"]
    assert "No entries" in run("entry", "list", "--since", "2027-01-01").stderr


def test_db_option_before_or_after_command(run: Run, tmp_path: Path, db_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    run("--db", str(first), "log", "1", "--at", "2026-03-01")
    run("log", "2", "--at", "2026-03-01", "--db", str(second))
    assert [r["pain"] for r in run.json("--db", str(first), "entry", "list")] == [1]
    assert [r["pain"] for r in run.json("entry", "list", "--db", str(second))] == [2]
    assert not db_path.exists()


def test_info(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01")
    run("log", "6", "--at", "2026-03-04T10:00")
    run(*SESSION)
    data = run.json("info")
    assert data["path"] == str(db_path) and data["schema_version"] == SCHEMA_VERSION
    assert data["entries"] == {"count": 2, "first": "2026-03-01", "last": "2026-03-04T10:00:00"}
    assert data["treatments"]["count"] == 1 and data["medications"]["count"] == 0
    assert data["measurements"] == {"count": 0, "first": None, "last": None}
    assert str(db_path) in run("info").stderr


def test_info_without_a_diary(run: Run) -> None:
    assert "No diary at" in run("info", code=1).stderr


def test_version_and_help(run: Run) -> None:
    assert run("--version").stdout.startswith("paindiary ")
    for command in (["log"], ["treatment", "add"], ["med", "add"], ["entry", "list"], ["info"], ["demo"]):
        assert "Example" in run(*command, "--help").stdout


def test_usage_error_inside_a_command_group_keeps_exit_2(run: Run) -> None:
    result = run("med", "add", "oxycodone", "-5", "mg", code=2)
    assert "No such option" in result.stderr and "unexpected" not in result.stderr


def test_last_names_the_most_recently_recorded_row_of_each_kind(run, clock) -> None:  # type: ignore[no-untyped-def]
    run("log", "5", "--at", "2026-03-02")
    run("log", "6", "--at", "2026-03-01")  # recorded last, though dated earlier
    run("entry", "edit", "last", "--pain", "4")
    assert [(e["id"], e["pain"]) for e in run.json("entry", "list")] == [(2, 4), (1, 5)]
    run("entry", "delete", "LAST", "--yes")
    assert [e["id"] for e in run.json("entry", "list")] == [1]
    run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "ketamine")
    run("treatment", "edit", "last", "--note", "felt dizzy")
    assert run.json("treatment", "list")[0]["note"] == "felt dizzy"
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-03-01T08:00")
    run("med", "edit", "last", "--dose", "10")
    assert run.json("med", "list")[0]["dose"] == 10
    run("med", "delete", "last", "--yes")
    assert run.json("med", "list") == []


def test_last_with_nothing_recorded_and_a_bad_id(run, clock) -> None:  # type: ignore[no-untyped-def]
    run("log", "5", "--at", "2026-03-02")
    assert "No medications yet, so there is no last one." in run("med", "delete", "last", "--yes", code=1).stderr
    assert "expected a record id" in run("entry", "edit", "first", "--pain", "3", code=2).stderr
