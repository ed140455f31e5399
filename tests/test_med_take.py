"""`paindiary med take NAME...`: a regimen in one command, at each medication's last dose (issue 13 item 3)."""

from __future__ import annotations

from tests.conftest import Run


def test_take_repeats_the_last_dose_and_unit_of_each_named_medication(run: Run, clock: object) -> None:
    run("med", "add", "Pregabalin", "75", "mg", "--at", "2026-03-10T08:00")
    run("med", "add", "pregabalin", "150", "mg", "--at", "2026-03-12T08:00")  # the latest dose
    run("med", "add", "duloxetine", "30", "mg", "--at", "2026-03-11T08:00")
    result = run("med", "take", "PREGABALIN", "duloxetine", "--at", "2026-03-14T08:00", "--note", "morning")
    assert "Recorded dose 4 at 2026-03-14T08:00:00: pregabalin 150 mg." in result.stderr
    assert "Recorded dose 5 at 2026-03-14T08:00:00: duloxetine 30 mg." in result.stderr
    taken = [m for m in run.json("med", "list") if m["taken_at"] == "2026-03-14T08:00:00"]
    assert [(m["name"], m["dose"], m["dose_unit"], m["note"]) for m in taken] == [
        ("pregabalin", 150, "mg", "morning"),
        ("duloxetine", 30, "mg", "morning"),
    ]


def test_take_defaults_to_now_and_a_repeated_name_counts_once(run: Run, clock: object) -> None:
    run("med", "add", "naproxen", "250", "mg", "--at", "2026-03-01T08:00")
    run("med", "take", "naproxen", "Naproxen")
    assert [m["taken_at"] for m in run.json("med", "list")] == ["2026-03-01T08:00:00", "2026-03-15T10:30:45"]


def test_an_unknown_name_records_nothing_and_lists_the_known_names(run: Run, clock: object) -> None:
    run("med", "add", "pregabalin", "75", "mg", "--at", "2026-03-10T08:00")
    error = run("med", "take", "pregabalin", "ibuprofen", code=1).stderr
    assert "No earlier dose of ibuprofen to repeat" in error and "(pregabalin)" in error
    assert "paindiary med add NAME DOSE UNIT" in error
    assert len(run.json("med", "list")) == 1  # pregabalin was not recorded either: all or nothing


def test_take_needs_an_existing_diary(run: Run, clock: object, db_path: object) -> None:
    assert "No diary at" in run("med", "take", "pregabalin", code=1).stderr
