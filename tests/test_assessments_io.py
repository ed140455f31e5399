"""Assessments (PGIC, past-week PEG) in every import and export format, and in FHIR (issue 11).

Import and export of the kind follow the rules every kind has: CSV columns in contract
order, all or nothing, ``--on-conflict``, ``--dry-run``, line numbers in errors on both the
fast and the staged path, and the rules between fields checked in SQL (``Rules.breaks``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from paindiary import models
from paindiary.cli.io import KindChoice
from paindiary.io import fhir
from paindiary.transfer import staging

HEADER = "recorded_at,instrument,pgic,peg_pain,peg_enjoyment,peg_activity,note"
ROWS = [
    "2026-03-08,pgic,2,,,,",
    '2026-03-08T09:30:00,peg,,4,5,6.5,"felt better,\nslept more"',
    "2026-03-15T10:00:00,pgic,1,,,,'=not a formula",
]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def csv_file(tmp_path: Path, *rows: str, name: str = "checkins.csv") -> Path:
    return write(tmp_path / name, "\n".join([HEADER, *rows]) + "\n")


def stored(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [tuple(row) for row in conn.execute("SELECT * FROM assessments ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def diary(run, tmp_path: Path) -> None:
    run("import", str(csv_file(tmp_path, *ROWS)))


# --- CSV, JSON, JSON Lines ----------------------------------------------------------


def test_csv_export_has_the_kinds_columns_in_order(run, diary):
    text = run("export", "--kind", "assessments", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == HEADER.split(",")
    assert rows[1] == ["2026-03-08", "pgic", "2", "", "", "", ""]
    assert rows[2] == ["2026-03-08T09:30:00", "peg", "", "4", "5", "6.5", "felt better,\nslept more"]
    assert rows[3][-1] == "'=not a formula"  # (stored as "=not a formula": protected in a spreadsheet)
    assert len(rows) == 4


def test_the_kind_is_inferred_from_the_instrument_column(run, tmp_path):
    result = run("import", str(csv_file(tmp_path, *ROWS)), "--json")
    assert json.loads(result.stdout)["assessments"] == {"inserted": 3, "updated": 0, "unchanged": 0}
    assert "assessments 3 inserted" in result.stderr
    document = json.loads(run("export").stdout)
    assert document["entries"] == [] and len(document["assessments"]) == 3


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@pytest.mark.parametrize("given", [True, False], ids=["--kind", "inferred"])
def test_export_import_export_is_identical(run, diary, tmp_path, fmt, given):
    first = run("export", "--kind", "assessments", "--format", fmt).stdout
    path = write(tmp_path / f"out.{fmt}", first)
    other = ["--db", str(tmp_path / "other.db")]
    result = run(*other, "import", str(path), *(["--kind", "assessments"] if given else []))
    assert "assessments 3 inserted" in result.stderr
    assert run(*other, "export", "--kind", "assessments", "--format", fmt).stdout == first
    assert run(*other, "export").stdout == run("export").stdout  # the whole document too


def test_json_of_the_kind_and_the_full_document(run, diary):
    records = json.loads(run("export", "--kind", "assessments").stdout)
    assert records[1] == {"recorded_at": "2026-03-08T09:30:00", "instrument": "peg", "pgic": None, "peg_pain": 4.0,
                          "peg_enjoyment": 5.0, "peg_activity": 6.5, "note": "felt better,\nslept more"}  # fmt: skip
    document = json.loads(run("export").stdout)
    assert list(document) == ["format", "version", "entries", "treatments", "medications", "assessments"]
    assert document["assessments"] == records
    lines = run("export", "--kind", "assessments", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == records
    assert json.loads(run("export", "--kind", "assessments", "--since", "2026-03-09").stdout) == records[2:]


def test_a_full_document_with_kind_imports_only_that_kind(run, diary, tmp_path):
    run("log", "5", "--at", "2026-03-01")
    path = write(tmp_path / "all.json", run("export").stdout)
    other = ["--db", str(tmp_path / "other.db")]
    run(*other, "import", str(path), "--kind", "assessments")
    assert json.loads(run(*other, "export", "--kind", "entries").stdout) == []
    assert run(*other, "export", "--kind", "assessments").stdout == run("export", "--kind", "assessments").stdout


def test_every_kind_is_a_kind_choice_and_help_names_assessments(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # (the --kind choices are cut at 80 columns)
    assert [choice.value for choice in KindChoice] == list(models.KINDS)
    assert "assessments" in run("import", "--help").stdout
    assert "assessments" in run("export", "--help").stdout
    refused = run("export", "--kind", "assessment", code=2)
    assert "assessments" in refused.stderr


# --- all or nothing, rules, line numbers -------------------------------------------

BROKEN = [
    ("2026-04-01,pgic,,,,,", "A PGIC answer needs its value (pgic, 1-7)."),
    ("2026-04-02,pgic,3,2,,,", "A PGIC answer has no PEG values"),
    ("2026-04-03,peg,,4,5,,", "A PEG answer needs all three values"),
    ("2026-04-04,peg,2,4,5,6,", "A PEG answer has no PGIC value (pgic)."),
    ("2026-04-05,pgic,8,,,,", "pgic: '8' is not valid; expected a whole number from 1 to 7."),
    ("2026-04-06,peg,,11,5,6,", "peg_pain: '11' is not valid"),
    ("2026-04-07,phq9,,,,,", "instrument: 'phq9' is not valid; expected pgic or peg."),
]


@pytest.fixture
def both(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[Any, Any]]:
    """Import a CSV file fast and with the fast path refused (staged) into two fresh diaries."""
    made = iter(range(1000))

    def import_both(path: Path, *args: str) -> tuple[Any, Any]:
        outcomes = []
        for name in ("fast", "staged"):
            target = tmp_path / f"{name}{next(made)}.db"
            with monkeypatch.context() as patch:
                if name == "staged":
                    patch.setattr(staging.Direct, "add", lambda self, *a: False)
                result = run("--db", str(target), "import", str(path), *args, code=None)
            outcomes.append(
                (result.exit_code, result.stdout, result.stderr, stored(target) if target.exists() else None)
            )
        return outcomes[0], outcomes[1]

    return import_both


@pytest.mark.parametrize(("row", "message"), BROKEN, ids=[m.split(" ")[0] + str(i) for i, (_, m) in enumerate(BROKEN)])
def test_a_broken_row_after_a_multiline_note_is_named_by_its_line_on_both_paths(both, tmp_path, row, message):
    path = csv_file(tmp_path, *ROWS[:2], row, ROWS[2])  # ROWS[1] spans two lines: the broken row is on line 5
    fast, staged = both(path)
    assert fast == staged
    assert fast[0] == 1 and fast[3] in (None, [])
    assert f"record 3 (line 5): {message}" in fast[2], fast[2]
    assert "nothing was imported" in fast[2]


def test_a_clean_file_takes_the_fast_path(run, tmp_path, monkeypatch):
    made: list[str] = []
    init = staging.Stage.__init__

    def spy(self: staging.Stage, conn: Any, kind: Any) -> None:
        made.append(kind.name)
        init(self, conn, kind)

    monkeypatch.setattr(staging.Stage, "__init__", spy)
    run("import", str(csv_file(tmp_path, *ROWS)))
    assert made == []  # every row went straight into the table


def test_canonical_times_of_the_kind_skip_the_validator():
    times = ["2026-03-08", "2026-03-08T09:30:00"]  # whole-day and timed answers, as entries
    assert models.column_is_canonical("assessments", "recorded_at", times)
    assert not models.column_is_canonical("assessments", "recorded_at", ["2026-03-08 09:30"])


def test_a_broken_row_in_a_later_chunk_is_reported_the_same(both, tmp_path, monkeypatch):
    from paindiary.io import csv_format

    monkeypatch.setattr(csv_format, "CHUNK_ROWS", 4)
    rows = [f"2026-05-{day:02d},pgic,{1 + day % 7},,,," for day in range(1, 21)]
    rows[13] = "2026-05-14,peg,,3,3,,"
    rows[17] = "2026-05-03,pgic,4,,,,"  # the key of record 3, which the fast path had written
    fast, staged = both(csv_file(tmp_path, *rows))
    assert fast == staged
    assert fast[0] == 1 and "record 14 (line 15): A PEG answer needs all three values" in fast[2]
    assert "record 18 (line 19): pgic 2026-05-03 is already in record 3 of this file" in fast[2]


def test_json_and_jsonl_errors_name_the_record_and_line(run, tmp_path, db_path):
    records = [{"recorded_at": "2026-04-01", "instrument": "peg", "peg_pain": 3, "peg_enjoyment": 4,
                "peg_activity": 5}, {"recorded_at": "2026-04-02", "instrument": "pgic"}]  # fmt: skip
    refused = run("import", str(write(tmp_path / "a.json", json.dumps(records))), code=1)
    assert "record 2: A PGIC answer needs its value (pgic, 1-7)." in refused.stderr
    text = "\n".join(json.dumps(record) for record in records) + "\n"
    refused = run("import", str(write(tmp_path / "a.jsonl", "\n" + text)), code=1)
    assert "record 2 (line 3): A PGIC answer needs its value (pgic, 1-7)." in refused.stderr
    assert not db_path.exists()  # all or nothing: not even a new diary


def test_a_key_repeated_in_the_file(run, tmp_path):
    refused = run("import", str(csv_file(tmp_path, ROWS[0], "2026-03-08,pgic,3,,,,")), code=1)
    assert "record 2 (line 3): pgic 2026-03-08 is already in record 1 of this file; each assessment may appear once." \
        in refused.stderr  # fmt: skip
    run("import", str(csv_file(tmp_path, ROWS[0], "2026-03-08,peg,,1,2,3,")))  # (the key is instrument and time)


def test_on_conflict_error_skip_update_and_dry_run(run, diary, tmp_path, db_path):
    before = db_path.read_bytes()
    changed = csv_file(tmp_path, "2026-03-08,pgic,4,,,,no change now", "2026-03-22,peg,,1,1,1,", name="b.csv")
    refused = run("import", str(changed), "--on-conflict", "error", code=1)
    assert ("record 1 (line 2): assessment pgic 2026-03-08 is already in the diary (id 1); "
            "use --on-conflict update or skip.") in refused.stderr  # fmt: skip
    dry = run("import", str(changed), "--dry-run", "--json")
    assert json.loads(dry.stdout)["assessments"] == {"inserted": 1, "updated": 1, "unchanged": 0}
    assert db_path.read_bytes() == before
    run("import", str(changed), "--on-conflict", "skip")
    assert json.loads(run("export", "--kind", "assessments").stdout)[0]["pgic"] == 2
    run("import", str(changed), "--on-conflict", "update")
    first = json.loads(run("export", "--kind", "assessments").stdout)[0]
    assert (first["pgic"], first["note"]) == (4, "no change now")


def test_an_update_of_some_fields_is_checked_merged_with_the_stored_answer(run, diary, tmp_path):
    note_only = write(tmp_path / "note.csv", "recorded_at,instrument,note\n2026-03-08,pgic,asked by phone\n")
    run("import", str(note_only))
    first = json.loads(run("export", "--kind", "assessments").stdout)[0]
    assert (first["pgic"], first["note"]) == (2, "asked by phone")  # the stored PGIC value is kept
    adds_peg = write(tmp_path / "peg.csv", "recorded_at,instrument,peg_pain\n2026-03-08,pgic,3\n")
    refused = run("import", str(adds_peg), code=1)
    assert "record 1 (line 2): A PGIC answer has no PEG values" in refused.stderr
    new_without_value = write(tmp_path / "new.csv", "recorded_at,instrument,note\n2026-06-01,pgic,hello\n")
    refused = run("import", str(new_without_value), code=1)
    assert "record 1 (line 2): A PGIC answer needs its value (pgic, 1-7)." in refused.stderr


# --- FHIR ----------------------------------------------------------------------------


def _resources(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in data["entry"]]


@pytest.mark.slow  # validates with the FHIR library (its pydantic models take a while to load)
def test_fhir_peg_and_pgic_observations_validate(run, diary):
    from fhir.resources.R4B.bundle import Bundle

    text = run("export", "--format", "fhir").stdout
    data = json.loads(text)
    Bundle.model_validate(data)  # raises if the bundle is not valid FHIR R4B
    observations = [r for r in _resources(data) if r["resourceType"] == "Observation"]
    assert len(observations) == 3
    assert all(o["category"][0]["coding"][0]["code"] == "survey" and o["status"] == "final" for o in observations)
    pgic, peg, later = observations
    assert pgic["code"] == {"text": "Patient Global Impression of Change"}  # no coding: no LOINC code exists
    assert pgic["valueInteger"] == 2 and pgic["interpretation"] == [{"text": "much improved"}]
    assert pgic["effectiveDateTime"] == "2026-03-08" and "note" not in pgic
    assert later["valueInteger"] == 1 and later["interpretation"] == [{"text": "very much improved"}]
    assert later["note"] == [{"text": "=not a formula"}]
    assert peg["code"]["coding"] == [{"system": "http://loinc.org", "code": "91148-7", "display": fhir.PEG_PANEL[2]}]
    assert "value" not in json.dumps(sorted(k for k in peg if k.startswith("value")))  # the score is a component
    components = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in peg["component"]}
    assert {code: q["value"] for code, q in components.items()} == {
        "75893-8": 4.0, "91145-3": 5.0, "91146-1": 6.5, "91147-9": 5.17,
    }  # fmt: skip
    assert all(q["code"] == q["unit"] == "{score}" and q["system"] == "http://unitsofmeasure.org"
               for q in components.values())  # fmt: skip
    assert all(c["code"]["coding"][0]["system"] == "http://loinc.org" for c in peg["component"])
    assert re.fullmatch(r"2026-03-08T09:30:00[+-]\d\d:\d\d", peg["effectiveDateTime"])
    assert peg["note"] == [{"text": "felt better,\nslept more"}]
    assert run("export", "--format", "fhir").stdout == text  # stable ids
    assert len({r["id"] for r in _resources(data)}) == len(_resources(data))


def test_fhir_of_the_kind_alone(run, diary):
    run("log", "5", "--at", "2026-03-09")
    data = json.loads(run("export", "--format", "fhir", "--kind", "assessments").stdout)
    kinds = [(r["resourceType"], r.get("code", {}).get("text")) for r in _resources(data)]
    assert kinds == [("Patient", None), ("Observation", fhir.PGIC_TEXT), ("Observation", fhir.PEG_PANEL[2]),
                     ("Observation", fhir.PGIC_TEXT)]  # fmt: skip


def test_fhir_assessment_ids_follow_the_natural_key(run, diary, tmp_path):
    ids = {r["id"] for r in _resources(json.loads(run("export", "--format", "fhir").stdout))}
    other = ["--db", str(tmp_path / "other.db")]
    run(*other, "import", str(csv_file(tmp_path, *reversed(ROWS))))  # another order, other local ids
    assert {r["id"] for r in _resources(json.loads(run(*other, "export", "--format", "fhir").stdout))} == ids


def test_fhir_daily_peg_items_of_entries_never_use_the_past_week_codes(run, diary):
    run("log", "6", "--at", "2026-03-09T20:00", "--enjoyment", "5", "--activity", "7")
    data = json.loads(run("export", "--format", "fhir").stdout)
    past_week = {code for _, code, _ in (*fhir.PEG_ITEMS.values(), fhir.PEG_PANEL, fhir.PEG_SCORE)}
    daily = [r for r in _resources(data) if r.get("effectiveDateTime", "").startswith("2026-03-09")]
    codes = {c["code"] for r in daily for c in r["code"]["coding"]}
    assert len(daily) == 3 and not codes & past_week
    assert {"peg-enjoyment", "peg-activity"} <= codes


def test_fhir_assessment_times_carry_the_offset_of_their_date(run, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        run("import", str(csv_file(tmp_path, "2026-01-15T09:00:00,pgic,3,,,,", "2026-07-15T09:00:00,peg,,1,2,3,")))
        data = json.loads(run("export", "--format", "fhir").stdout)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    times = [r["effectiveDateTime"] for r in _resources(data) if r["resourceType"] == "Observation"]
    assert times == ["2026-01-15T09:00:00+01:00", "2026-07-15T09:00:00+02:00"]


# --- backup, restore, doctor -----------------------------------------------------------


def test_backup_restore_and_doctor_count_assessments(run, diary, tmp_path, db_path):
    copy = tmp_path / "copy.db"
    backed = run("backup", str(copy))
    assert "3 assessments" in backed.stderr + backed.stdout
    assert "3 assessments" in run("doctor").stdout
    run("import", str(csv_file(tmp_path, "2026-04-01,pgic,4,,,,", name="more.csv")))
    restored = run("restore", str(copy), "--yes")
    assert "3 assessments" in restored.stderr + restored.stdout
    assert len(stored(db_path)) == 3
