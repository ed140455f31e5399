"""Values at and past their limits: each gets a one-line message naming the field and the
allowed range (exit 1, or 2 for usage errors), the diary stays as it was, and commands
survive a diary that already holds out-of-range values.

Limits (README "Limits"): a note at most 100,000 characters; names, units, routes,
providers, tags and side-effect names at most 200; at most 100 tags and 100 side effects
a record; dates in the years 1900-2999; doses at most 100,000; import headers at most
1,000 columns; day-count options 1-3650 (the course gap 0-3650).
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from paindiary import models
from paindiary.errors import PaindiaryError
from paindiary.io import CHUNK_ROWS

NOTE_MAX = 100_000


def snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def export_csv(run: Any, *args: str) -> str:
    return run("export", "--format", "csv", *args).stdout


# --- 5. lossless CSV at any size --------------------------------------------------------


def test_a_note_of_the_maximum_length_round_trips_through_csv(run: Any, tmp_path: Path) -> None:
    note = ('a "quoted", line\n' * (NOTE_MAX // 17 + 1))[:NOTE_MAX]
    run("log", "5", "--at", "2026-03-01T09:00", "--note", note)
    run("treatment", "add", "--at", "2026-03-01T10:00", "--name", "k", "--note", note)
    run("med", "add", "x", "5", "mg", "--at", "2026-03-01T11:00", "--note", note)
    other = tmp_path / "other.db"
    for kind in ("entries", "treatments", "medications"):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(export_csv(run, "--kind", kind).encode())
        run("--db", str(other), "import", str(path))
        assert export_csv(run, "--kind", kind, "--db", str(other)).encode() == path.read_bytes()
    assert run.json("--db", str(other), "entry", "list")[0]["note"] == note


def test_a_note_over_the_maximum_is_refused_on_every_input_path(run: Any, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    message = "note: 100,001 characters is too long; at most 100,000."
    note = "n" * (NOTE_MAX + 1)
    assert message in run("log", "5", "--note", note, code=1).stderr
    assert message in run("entry", "edit", "1", "--note", note, code=1).stderr
    assert message in run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--note", note, code=1).stderr
    assert message in run("med", "add", "x", "5", "mg", "--note", note, code=1).stderr
    csv_file = tmp_path / "e.csv"
    csv_file.write_text(f"recorded_at,pain,note\n2026-03-01,5,{note}\n")
    assert f"record 1 (line 2): {message}" in run("import", str(csv_file), code=1).stderr
    json_file = tmp_path / "e.json"
    json_file.write_text(json.dumps([{"recorded_at": "2026-03-01", "pain": 5, "note": note}]))
    assert f"record 1: {message}" in run("import", str(json_file), code=1).stderr
    daylio = tmp_path / "d.csv"
    daylio.write_text(f"full_date,date,weekday,time,mood,activities,note_title,note\n2026-03-01,,,9:00,good,,,{note}\n")
    assert message in run("import", str(daylio), "--format", "daylio", code=1).stderr
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["treatment", "add", "--at", "2026-03-01T09:00", "--name", "k" * 201], "name: 201 characters is too long"),
        (["treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--route", "r" * 201], "route: 201"),
        (["treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--provider", "p" * 201], "provider: 201"),
        (
            ["treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--dose", "1", "--dose-unit", "u" * 201],
            "dose_unit: 201",
        ),
        (
            ["treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--side-effect", "e" * 201],
            "side_effects: 201 characters is too long; at most 200.",
        ),
        (["med", "add", "m" * 201, "5", "mg"], "name: 201 characters is too long; at most 200."),
        (["med", "add", "m", "5", "u" * 201], "dose_unit: 201 characters is too long; at most 200."),
        (["log", "5", "--tag", "t" * 201], "tags: 201 characters is too long; at most 200."),
        (
            ["log", "5", *[arg for i in range(101) for arg in ("--tag", f"t{i}")]],
            "tags: 101 tags is too many; at most 100.",
        ),
    ],
)
def test_names_units_and_tags_have_a_maximum(run: Any, db_path: Path, args: list[str], message: str) -> None:
    assert message in run(*args, code=1).stderr
    assert not db_path.exists()


def test_two_hundred_characters_and_a_hundred_tags_are_accepted(run: Any) -> None:
    run("log", "5", *[arg for i in range(100) for arg in ("--tag", f"{i:03d}" + "t" * 197)])
    assert len(run.json("entry", "list")[0]["tags"]) == 100


def test_a_csv_cell_past_the_reader_limit_is_a_clear_error(run: Any, db_path: Path, tmp_path: Path) -> None:
    from paindiary.io.source import CSV_FIELD_LIMIT

    path = tmp_path / "e.csv"
    path.write_text("recorded_at,pain,note\n2026-03-01,5," + "n" * (CSV_FIELD_LIMIT + 1) + "\n")
    error = run("import", str(path), code=1).stderr
    assert "Line 2: a cell is longer than 1,000,000 characters" in error
    assert len(error) < 300
    assert not db_path.exists() or run.json("entry", "list") == []


# --- 6. bounded work ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "daylio"])
def test_a_header_of_more_than_1000_columns_is_refused_quickly(run: Any, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "wide.csv"
    for columns in (1001, 200_000):
        path.write_text(",".join(f"c{i}" for i in range(columns)) + "\n" + "," * (columns - 1) + "\n")
        started = time.perf_counter()
        error = run("import", str(path), "--format", fmt, code=1).stderr
        assert time.perf_counter() - started < 10
        assert f"The header has {columns:,} columns; paindiary reads at most 1,000." in error


def test_a_header_of_1000_columns_is_read(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    names = ["recorded_at", "pain", *(f"extra{i}" for i in range(998))]
    path.write_text(",".join(names) + "\n2026-03-01,5" + "," * 998 + "\n")
    run("import", str(path), "--ignore-extra")
    assert [entry["pain"] for entry in run.json("entry", "list")] == [5]


def test_repeated_columns_are_found_in_linear_time() -> None:
    """The check for repeated column names counts once (it was columns.count() per column)."""
    import inspect

    from paindiary.transfer import importer

    assert ".count(name)" not in inspect.getsource(importer._stage_table)


DAY_OPTIONS = [
    ("analyze", "--baseline-days", 1),
    ("analyze", "--followup-days", 1),
    ("analyze", "--min-days", 1),
    ("analyze", "--horizon-days", 1),
    ("analyze", "--course-gap", 0),
    ("chart", "--course-gap", 0),
    ("chart", "--followup-days", 1),
]


@pytest.mark.parametrize(("command", "option", "low"), DAY_OPTIONS)
def test_every_day_count_option_is_bounded(run: Any, tmp_path: Path, command: str, option: str, low: int) -> None:
    run("log", "5", "--at", "2026-03-01")
    run("treatment", "add", "--at", "2026-03-02T09:00", "--name", "k")

    def out(name: str) -> list[str]:
        return ["-o", str(tmp_path / f"{name}.png")] if command == "chart" else []

    for value in ("99999999999", "3651", str(low - 1)):
        error = run(command, option, value, *out(value), code=2).stderr
        assert option in error and f"{low}<=x<=3650" in error
    started = time.perf_counter()
    run(command, option, "3650", *out("high"))
    run(command, option, str(low), *out("low"))
    assert time.perf_counter() - started < 60


def test_json_nested_too_deeply_gets_a_clear_message(run: Any, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    for name, text in (("deep.json", "[" * 100_000), ("deep.jsonl", '{"a": ' + "[" * 100_000 + "\n")):
        path = tmp_path / name
        path.write_text(text)
        error = run("import", str(path), code=1).stderr
        assert "nested too deeply" in error and "unexpected" not in error
        assert len(error.splitlines()) <= 2
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ["entry", "list", "--last", str(10**20)],
        ["treatment", "list", "--last", str(10**20)],
        ["med", "list", "--last", "0"],
        ["entry", "edit", str(10**20), "--pain", "3"],
        ["entry", "delete", str(10**20), "--yes"],
        ["treatment", "edit", str(10**20), "--name", "x"],
        ["treatment", "delete", str(10**20), "--yes"],
        ["med", "edit", str(10**20), "--dose", "3"],
        ["med", "delete", str(10**20), "--yes"],
        ["entry", "delete", "1" * 5000, "--yes"],
    ],
)
def test_last_and_record_ids_are_bounded(run: Any, db_path: Path, args: list[str]) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    error = run(*args, code=2).stderr
    assert "unexpected" not in error
    assert ("--last" if "--last" in args else "ID") in error
    if "--last" in args:
        assert "1<=x<=" in error or "is not a valid int" in error
    else:
        assert "expected a record id (1 or more) or 'last'" in " ".join(error.replace("│", " ").split())
    assert len(error) < 1000
    assert snapshot(db_path) == before


# --- 7. every value at its limit: a clear message, the diary unchanged ---------------------

YEARS = "a date in the years 1900 to 2999"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["log", "5", "--at", "9999-12-31T23:00:00-05:00"], "--at"),
        (["log", "5", "--at", "0001-01-01T00:30:00+05:00"], "--at"),
        (["log", "5", "--at", "9999-12-31"], "--at"),
        (["log", "5", "--at", "3000-01-01"], "--at"),
        (["log", "5", "--at", "1899-12-31T23:59"], "--at"),
        (["log", "5", "--at", "2999-12-31T23:00:00-14:00"], "--at"),
        (["log", "5", "--at", "-99999d"], "--at"),
        (["entry", "edit", "1", "--at", "9999-12-31"], "--at"),
        (["treatment", "add", "--at", "9999-12-31T09:00", "--name", "k"], "--at"),
        (["med", "add", "x", "5", "mg", "--at", "9999-12-31"], "--at"),
        (["entry", "list", "--until", "9999-12-31"], "--until"),
        (["entry", "list", "--since", "0001-01-01"], "--since"),
        (["export", "--until", "9999-12-31"], "--until"),
        (["summary", "--until", "9999-12-31"], "--until"),
        (["analyze", "--until", "9999-12-31"], "--until"),
        (["chart", "--until", "9999-12-31"], "--until"),
        (["report", "--until", "9999-12-31"], "--until"),
    ],
)
def test_times_outside_the_years_1900_to_2999_are_refused(run: Any, db_path: Path, args: list[str], field: str) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    error = run(*args, code=1).stderr
    assert error.startswith(f"Error: {field}: ") and YEARS in error, error
    assert len(error.splitlines()) == 1
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("name", "text", "options"),
    [
        ("e.csv", "recorded_at,pain\n2026-03-01,5\n9999-12-31,5\n", []),  # canonical: the importer's fast path
        ("e.csv", "recorded_at,pain\n1899-12-31T23:00:00,5\n", []),
        ("e.csv", "recorded_at,pain\n9999-12-31T23:00:00-05:00,5\n", []),
        ("e.json", '[{"recorded_at": "9999-12-31", "pain": 5}]', []),
        ("e.csv", "day,pain\n31/12/9999,5\n", ["--map", "day=recorded_at", "--date-format", "%d/%m/%Y"]),
        (
            "d.csv",
            "full_date,date,weekday,time,mood,activities,note_title,note\n9999-12-31,,,9:00,good,,,\n",
            ["--format", "daylio"],
        ),
    ],
)
def test_imported_times_outside_the_years_are_refused(
    run: Any, db_path: Path, tmp_path: Path, name: str, text: str, options: list[str]
) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    path = tmp_path / name
    path.write_text(text)
    error = run("import", str(path), *options, code=1).stderr
    assert "recorded_at: " in error and YEARS in error, error
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ["med", "add", "oxycodone", "1e308", "mg"],
        ["med", "add", "oxycodone", "100000.5", "mg"],
        ["treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--dose", "1e308"],
    ],
)
def test_doses_are_at_most_100000(run: Any, db_path: Path, args: list[str]) -> None:
    error = run(*args, code=1).stderr
    assert "dose: " in error and "expected a number greater than 0 and at most 100,000" in error
    assert not db_path.exists()


def test_a_dose_of_100000_is_accepted(run: Any) -> None:
    run("med", "add", "saline", "100000", "mL")
    assert run.json("med", "list")[0]["dose"] == 100000


def test_a_5000_digit_number_gets_a_clear_message(run: Any, db_path: Path, tmp_path: Path) -> None:
    digits = "1" * 5000
    error = run("log", digits, code=1).stderr
    assert error.startswith("Error: pain: '1111") and "…" in error and len(error) < 200
    for kind in ("e.json", "e.jsonl"):
        path = tmp_path / kind
        record = '{"recorded_at": "2026-03-01", "pain": ' + digits + "}"
        path.write_text(f"[{record}]" if kind.endswith(".json") else record + "\n")
        error = run("import", str(path), code=1).stderr
        assert "unexpected" not in error and "a number with more than 4,300 digits" in error, error
        assert len(error) < 300
    assert not db_path.exists() or run.json("entry", "list") == []


def test_a_daylio_year_in_other_digits_is_refused_clearly(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("year,date,weekday,time,mood,activities,note\n²,5 June,Monday,9:05 pm,good,,\n")
    error = run("import", str(path), "--format", "daylio", code=1).stderr
    assert "record 1 (line 2): year: '²' is not valid; expected a year of four digits 0-9" in error, error


def _insert_raw(db_path: Path, sql: str, params: tuple[Any, ...]) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("case", ["far future entry", "far past timed entry", "huge doses", "huge session dose"])
def test_commands_survive_a_diary_that_already_holds_out_of_range_values(
    run: Any, db_path: Path, tmp_path: Path, case: str
) -> None:
    for day in range(1, 29):
        run("log", str(7 if day < 15 else 3), "--at", f"2026-02-{day:02d}")
    run("treatment", "add", "--at", "2026-02-15T09:00", "--name", "ketamine")
    if case == "far future entry":
        _insert_raw(db_path, "INSERT INTO entries (recorded_at, pain) VALUES (?, ?)", ("9999-12-31", 5))
        hint = "entry"
    elif case == "far past timed entry":
        _insert_raw(db_path, "INSERT INTO entries (recorded_at, pain) VALUES (?, ?)", ("0001-01-01T00:00:00", 5))
        hint = "entry"
    elif case == "huge doses":
        for stamp in ("2026-02-10T08:00:00", "2026-02-10T20:00:00"):
            _insert_raw(
                db_path,
                "INSERT INTO medications (taken_at, name, dose, dose_unit) VALUES (?, ?, ?, ?)",
                (stamp, "oxycodone", 1e308, "mg"),
            )
        hint = "med"
    else:
        _insert_raw(
            db_path,
            "INSERT INTO treatments (started_at, name, dose) VALUES (?, ?, ?)",
            ("2026-02-20T09:00:00", "k", 1e308),
        )
        hint = "treatment"

    def commands(run_number: int) -> list[list[str]]:
        files = {name: str(tmp_path / f"{name}{run_number}.{'pdf' if name[0] == 'r' else 'png'}")
                 for name in ("trend", "course", "report", "rall")}  # fmt: skip
        return [
            ["summary"], ["summary", "--by", "month"], ["analyze"], ["analyze", "--json"],
            ["chart", "-o", files["trend"]], ["chart", "--view", "course", "-o", files["course"]],
            ["report", "-o", files["report"]], ["report", "--all", "-o", files["rall"]],
            ["entry", "list"], ["treatment", "list"], ["med", "list"], ["info"], ["export"],
            ["export", "--format", "fhir"], ["export", "--format", "csv", "--kind", "medications"],
        ]  # fmt: skip

    for args in commands(1):
        result = run(*args, code=None)
        assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr)
        assert "unexpected" not in result.stderr, (args, result.stderr)
        if result.exit_code == 1:
            assert len(result.stderr.splitlines()) == 1, result.stderr
            assert f"paindiary {hint} edit" in result.stderr, result.stderr
    # and the record can be put right
    record_id = {"entry": 29, "med": 1, "treatment": 2}[hint]
    fix = {"entry": ["--at", "2026-03-01T12:00"], "med": ["--dose", "5"], "treatment": ["--dose", "5"]}[hint]
    run(hint, "edit", str(record_id), *fix)
    if hint == "med":
        run("med", "edit", "2", "--dose", "5")
    for args in commands(2):
        run(*args)


# --- 8. smaller items -----------------------------------------------------------------


def test_map_naming_a_column_that_is_not_in_the_file_is_an_error(run: Any, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("recorded_at,pain,Mood Level\n2026-03-01,5,4\n")
    error = run("import", str(path), "--map", "Ghost=mood", code=1).stderr
    assert "--map Ghost=mood: the file has no column Ghost" in error
    assert "recorded_at, pain, Mood Level" in error
    assert not db_path.exists() or run.json("entry", "list") == []
    run("import", str(path), "--map", "Mood Level=mood")
    assert run.json("entry", "list")[0]["mood"] == 4


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_a_csv_with_another_delimiter_is_refused_with_a_hint(run: Any, tmp_path: Path, sep: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"recorded_at{sep}pain{sep}note\n2026-03-01{sep}5{sep}x\n")
    error = run("import", str(path), code=1).stderr
    shown = {"\t": "tab", ";": "';'", "|": "'|'"}[sep]
    assert f"separated by {shown}" in error and "commas" in error, error


@pytest.mark.parametrize(
    ("option", "value"), [("--bp-before", "80/120"), ("--bp-after", "90/91")]
)  # fmt: skip
def test_systolic_below_diastolic_is_refused(run: Any, db_path: Path, option: str, value: str) -> None:
    suffix = option.removeprefix("--bp-")
    error = run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", option, value, code=1).stderr
    systolic, diastolic = value.split("/")
    assert f"diastolic_{suffix} ({diastolic}) cannot be above systolic_{suffix} ({systolic})" in error
    run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", option, "120/80")
    before = snapshot(db_path)
    assert "cannot be above systolic" in run("treatment", "edit", "1", option, value, code=1).stderr
    assert snapshot(db_path) == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_import_with_systolic_below_diastolic_is_refused(run: Any, db_path: Path, tmp_path: Path, fmt: str) -> None:
    rows = [(f"2026-03-0{day}T09:00:00", 120, 80) for day in range(1, 6)] + [("2026-03-06T09:00:00", 80, 120)]
    path = tmp_path / f"t.{fmt}"
    if fmt == "csv":
        path.write_text("started_at,name,systolic_before,diastolic_before\n" + "".join(
            f"{stamp},k,{s},{d}\n" for stamp, s, d in rows))  # fmt: skip
    else:
        path.write_text(json.dumps([
            {"started_at": stamp, "name": "k", "systolic_before": s, "diastolic_before": d} for stamp, s, d in rows
        ]))  # fmt: skip
    error = run("import", str(path), code=1).stderr
    assert "record 6" in error and "diastolic_before (120) cannot be above systolic_before (80)" in error, error
    assert not db_path.exists() or run.json("treatment", "list") == []


def test_a_bad_blood_pressure_after_a_chunk_on_the_fast_path_is_refused(
    run: Any, db_path: Path, tmp_path: Path
) -> None:
    """The schema has no CHECK for it: the fast path tests each chunk and hands its rows to the staged checks."""
    start = datetime(2026, 1, 1, 9, 0)
    rows = [f"{(start + timedelta(hours=i)).isoformat()},k,120,80\n" for i in range(CHUNK_ROWS + 10)]
    rows[CHUNK_ROWS + 4] = rows[CHUNK_ROWS + 4].replace(",120,80", ",80,120")
    path = tmp_path / "t.csv"
    path.write_text("started_at,name,systolic_before,diastolic_before\n" + "".join(rows))
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    error = run("import", str(path), code=1).stderr
    assert f"record {CHUNK_ROWS + 5} (line {CHUNK_ROWS + 6}): diastolic_before (120) cannot be above" in error
    assert snapshot(db_path) == before


def test_the_rules_say_systolic_is_not_below_diastolic() -> None:
    with pytest.raises(PaindiaryError, match=r"diastolic_after \(61\) cannot be above systolic_after \(60\)"):
        models.make_treatment({"started_at": "2026-03-01T09:00", "name": "k", "systolic_after": 60,
                               "diastolic_after": 61})  # fmt: skip
    models.make_treatment({"started_at": "2026-03-01T09:00", "name": "k", "systolic_after": 61, "diastolic_after": 61})


@pytest.mark.parametrize("spec", ["a:b:3", "a:b:"])
def test_a_side_effect_name_with_a_colon_reports_the_name(run: Any, spec: str) -> None:
    error = run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--side-effect", spec, code=1).stderr
    assert "side_effects: 'a:b' is not valid; expected a side effect name without ':' or ';'" in error, error


def test_a_side_effect_with_a_severity_still_parses(run: Any) -> None:
    run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--side-effect", "nausea:3")
    assert run.json("treatment", "list")[0]["side_effects"] == [{"name": "nausea", "severity": 3.0}]


def test_a_tiny_number_is_shown_plainly(run: Any) -> None:
    confirmation = run("log", "1e-320", "--at", "2026-03-01").stderr
    assert "pain 0." in confirmation and "e-" not in confirmation
    listing = run("entry", "list").stdout
    assert "e-321" not in listing and "e-320" not in listing
    from paindiary.cli.common import num

    assert [num(v) for v in (1e-320, 0.5, 6.25, 7.0, 100000.0, 1 / 3, 2.675)] == [
        "0", "0.5", "6.25", "7", "100000", "0.333333", "2.675"
    ]  # fmt: skip
