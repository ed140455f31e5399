"""Counts as people say them (issue 13: "1 days", "session(s)" are gone)."""

from __future__ import annotations

from paindiary.wording import plural


def test_plural() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(2, "treatment session") == "2 treatment sessions"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"


def test_a_decimal_comma_is_accepted_wherever_a_number_is(run, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run("log", "6,5", "--sleep", "7,25", "--at", "2026-03-01")
    run("med", "add", "pregabalin", "37,5", "mg", "--at", "2026-03-01T08:00")
    (tmp_path / "in.csv").write_text('recorded_at,pain\n2026-03-02,"4,5"\n')
    run("import", str(tmp_path / "in.csv"))
    entries = run.json("entry", "list")
    assert [(e["pain"], e["sleep_hours"]) for e in entries] == [(6.5, 7.25), (4.5, None)]
    assert run.json("med", "list")[0]["dose"] == 37.5
    assert "expected a number" in run("log", "1,000.5", "--at", "2026-03-03", code=1).stderr  # not a decimal comma


def test_records_are_counted_as_people_say_it(run, clock) -> None:  # type: ignore[no-untyped-def]
    from paindiary.models import ENTRIES, MEDICATIONS, TREATMENTS

    assert (ENTRIES.count(1), ENTRIES.count(3)) == ("1 entry", "3 entries")
    assert (MEDICATIONS.count(1), MEDICATIONS.count(666)) == ("1 dose", "666 doses")
    assert TREATMENTS.count(2) == "2 treatments"
    run("med", "add", "naproxen", "250", "mg", "--at", "2026-03-01T08:00")
    assert "1 dose" in run("med", "list").stdout
