"""``paindiary import``: all or nothing, idempotent, robust to real files, every error reported."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ENTRY_HEADER = "recorded_at,pain,worst_pain,least_pain,enjoyment,activity,sleep_hours,sleep_quality,mood,note,tags"


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.fixture
def seeded(run, db_path: Path) -> bytes:
    """A diary with two entries; returns the database file's bytes."""
    run("log", "5", "--at", "2026-03-01T09:00", "--worst", "6", "--note", "kept", "--tag", "old")
    run("log", "4", "--at", "2026-03-02")
    return db_path.read_bytes()


def entries(run) -> list[dict]:
    rows = run.json("entry", "list")
    for row in rows:
        del row["id"]
    return rows


def test_csv_import_then_again_changes_nothing(run, tmp_path):
    path = write(tmp_path / "e.csv", "recorded_at,pain,tags\n2026-03-01,5,a;b\n2026-03-02T08:00,6,\n")
    first = json.loads(run("import", str(path), "--json").stdout)
    assert first == {"dry_run": False, "entries": {"inserted": 2, "updated": 0, "unchanged": 0}}
    second = run("import", str(path))
    assert "entries 0 inserted, 0 updated, 2 unchanged" in second.stderr
    assert [(e["recorded_at"], e["pain"], e["tags"]) for e in entries(run)] == [
        ("2026-03-01", 5.0, ["a", "b"]),
        ("2026-03-02T08:00:00", 6.0, []),
    ]


def test_update_replaces_present_fields_and_keeps_absent_ones(run, tmp_path, seeded):
    path = write(tmp_path / "u.csv", "recorded_at,pain,tags\n2026-03-01T09:00:00,6,\n2026-03-05,3,new\n")
    result = json.loads(run("import", str(path), "--json").stdout)
    assert result["entries"] == {"inserted": 1, "updated": 1, "unchanged": 0}
    first = entries(run)[0]
    assert first["pain"] == 6 and first["worst_pain"] == 6 and first["note"] == "kept"  # absent columns kept
    assert first["tags"] == []  # an empty cell is an explicit empty value


def test_empty_cell_clears_a_stored_note(run, tmp_path, seeded):
    run("import", str(write(tmp_path / "n.csv", "recorded_at,note\n2026-03-01T09:00:00,\n")))
    assert entries(run)[0]["note"] is None and entries(run)[0]["pain"] == 5


def test_on_conflict_skip_keeps_stored_records(run, tmp_path, seeded):
    path = write(tmp_path / "s.csv", "recorded_at,pain\n2026-03-01T09:00:00,1\n2026-03-06,2\n")
    result = json.loads(run("import", str(path), "--on-conflict", "skip", "--json").stdout)
    assert result["entries"] == {"inserted": 1, "updated": 0, "unchanged": 1}
    assert entries(run)[0]["pain"] == 5


def test_on_conflict_error_lists_every_existing_key(run, tmp_path, seeded, db_path):
    path = write(tmp_path / "c.csv", "recorded_at,pain\n2026-03-01T09:00:00,1\n2026-03-07,2\n2026-03-02,3\n")
    result = run("import", str(path), "--on-conflict", "error", code=1)
    assert "record 1 (line 2): entry 2026-03-01T09:00:00 is already in the diary" in result.stderr
    assert "record 3 (line 4): entry 2026-03-02 is already in the diary" in result.stderr
    assert db_path.read_bytes() == seeded


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("wrong_type.csv", f"{ENTRY_HEADER}\n2026-03-03,high,,,,,,,,,\n", "pain: 'high' is not valid"),
        ("range.csv", "recorded_at,sleep_hours\n2026-03-03,25\n", "expected a number from 0 to 24"),
        ("date.csv", "recorded_at,pain\n2026-02-30,3\n", "recorded_at: '2026-02-30' is not valid"),
        ("nokey.csv", "pain,mood\n3,4\n", "Cannot tell which kind of record this is"),
        ("unknown.csv", "recorded_at,pain,Pain Level\n2026-03-03,3,4\n", "Unknown column(s) for entries: Pain Level"),
        ("cells.csv", "recorded_at,pain\n2026-03-03,3,9\n", "record 1 (line 2): has 3 cells where the header has 2"),
        ("nothing.csv", "recorded_at,pain\n2026-03-03,\n", "An entry needs at least one score, sleep hours or a note"),
        ("order.csv", "recorded_at,pain,worst_pain\n2026-03-03,8,6\n", "pain (8) cannot be above worst_pain (6)"),
        ("repeat.csv", "recorded_at,pain\n2026-03-03,1\n2026-03-04,2\n2026-03-03,3\n",
         "record 3 (line 4): 2026-03-03 is already in record 1 of this file"),
        ("empty.csv", "", "The file is empty"),
        ("quote.csv", 'recorded_at,note\n2026-03-03,"unterminated\n', "not well-formed CSV"),
        ("bad.json", '[{"recorded_at": "2026-03-03", "pain": 3}', "The file is not valid JSON"),
        ("nan.json", '[{"recorded_at": "2026-03-03", "pain": NaN}]', "NaN is not a number JSON allows"),
        ("inf.json", '[{"recorded_at": "2026-03-03", "pain": Infinity}]', "Infinity is not a number JSON allows"),
        ("dupkey.json", '[{"recorded_at": "2026-03-03", "pain": 1, "pain": 2}]', "the key 'pain' appears twice"),
        ("empty.json", "  \n", "The file is empty"),
        ("shape.json", '{"entries": []}', "Expected a JSON list of records or a paindiary document"),
        ("type.json", '[{"recorded_at": "2026-03-03", "tags": "a;b"}]', "tags: 'a;b' is not valid; expected a list"),
        ("field.json", '[{"recorded_at": "2026-03-03", "pain": 1, "level": 2}]', "unknown field(s) level"),
        ("nokey.json", '[{"recorded_at": "2026-03-03", "pain": 1}, {"pain": 2}]',
         "record 2: recorded_at is missing"),
        ("version.json", '{"format": "paindiary", "version": 9}', "has version 9"),
        ("line.jsonl", '{"recorded_at": "2026-03-03"}\n\n{"pain": \n', "record 2 (line 3): This line is not valid"),
        ("empty.jsonl", "\n\n", "The file is empty"),
        ("latin1.csv", "recorded_at,note\n2026-03-03,caf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        ("sheet.xlsx", "x", "Cannot tell the format"),
    ],
)  # fmt: skip
def test_malformed_input_is_reported_and_nothing_changes(run, tmp_path, seeded, db_path, name, content, message):
    result = run("import", str(write(tmp_path / name, content)), code=1)
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert db_path.read_bytes() == seeded


def test_a_bom_crlf_multiline_notes_and_blank_lines_are_read_as_meant(run):
    result = json.loads(run("import", str(DATA / "spreadsheet.csv"), "--json").stdout)
    assert result["entries"]["inserted"] == 4
    assert entries(run) == json.loads((DATA / "spreadsheet.expected.json").read_text())


def test_every_error_is_listed_with_its_line_then_a_count(run, tmp_path, seeded, db_path):
    rows = ['2026-03-10,5,"a note\nover two lines"'] + [f"2026-04-{day:02d},11," for day in range(1, 31)]
    rows += [f"2026-05-{day:02d},-1," for day in range(1, 31)]
    path = write(tmp_path / "many.csv", "recorded_at,pain,note\n" + "\n".join(rows) + "\n")
    lines = run("import", str(path), code=1).stderr.splitlines()
    assert "60 problems in the file; nothing was imported" in lines[0]
    assert lines[1].strip().startswith("record 2 (line 4): pain: '11' is not valid")
    assert len(lines) == 1 + 50 + 1 and lines[-1].strip() == "... and 10 more."
    assert db_path.read_bytes() == seeded


def test_a_merged_record_must_still_be_valid(run, tmp_path, seeded, db_path):
    # stored: pain 5, worst 6 at 09:00; the file raises pain above the stored worst
    path = write(tmp_path / "m.csv", "recorded_at,pain\n2026-03-01T09:00:00,8\n")
    result = run("import", str(path), code=1)
    assert "record 1 (line 2): pain (8) cannot be above worst_pain (6)." in result.stderr
    assert db_path.read_bytes() == seeded
    run("import", str(write(tmp_path / "ok.csv", "recorded_at,pain,worst_pain\n2026-03-01T09:00:00,8,9\n")))
    assert entries(run)[0]["pain"] == 8


def test_a_new_record_needs_its_required_fields(run, tmp_path):
    path = write(tmp_path / "med.csv", "taken_at,name,dose\n2026-03-01T08:00,oxycodone,10\n")
    result = run("import", str(path), code=1)
    assert "dose_unit is missing for this new dose" in result.stderr


def test_treatments_and_medications_from_csv(run, tmp_path):
    sessions = (
        "started_at,name,dose,dose_unit,duration_min,heart_rate_before,side_effects,note\n"
        "2026-03-01T09:00,ketamine infusion,35,mg,240,72,nausea:3;dissociation,first\n"
    )
    run("import", str(write(tmp_path / "t.csv", sessions)))
    (session,) = run.json("treatment", "list")
    assert session["side_effects"] == [{"name": "nausea", "severity": 3.0}, {"name": "dissociation", "severity": None}]
    assert session["heart_rate_before"] == 72 and session["duration_min"] == 240
    doses = "taken_at,name,dose,dose_unit\n2026-03-01T08:00,oxycodone,10,mg\n2026-03-01T08:00,paracetamol,1,g\n"
    result = json.loads(run("import", str(write(tmp_path / "m.csv", doses)), "--json").stdout)
    assert result["medications"]["inserted"] == 2  # same time, different names: two doses


def test_a_whole_day_session_is_refused(run, tmp_path):
    path = write(tmp_path / "t.csv", "started_at,name\n2026-03-01,ketamine\n")
    assert "a date-time (a session happens at a time)" in run("import", str(path), code=1).stderr


def test_map_and_date_format_read_a_spreadsheet(run, tmp_path):
    path = write(tmp_path / "sheet.csv", "Date,Pain Level,Comment\n05/03/2026,4,ok\n 06/03/2026 ,5,\n")
    run("import", str(path), "--map", "Date=recorded_at", "--map", "Pain Level=pain", "--map", "Comment=note",
        "--date-format", "%d/%m/%Y")  # fmt: skip
    assert [(e["recorded_at"], e["pain"], e["note"]) for e in entries(run)] == [
        ("2026-03-05", 4.0, "ok"),
        ("2026-03-06", 5.0, None),
    ]
    timed = write(tmp_path / "timed.csv", "When,pain\n05/03/2026 21:30,6\n")
    run("import", str(timed), "--map", "When=recorded_at", "--date-format", "%d/%m/%Y %H:%M")
    assert entries(run)[1]["recorded_at"] == "2026-03-05T21:30:00"
    wrong = run("import", str(path), "--map", "Date=recorded_at", "--map", "Pain Level=pain", "--ignore-extra", code=1)
    assert "recorded_at: '05/03/2026' is not valid" in wrong.stderr
    assert "pain_level is not a field" in run("import", str(path), "--map", "Pain Level=pain_level", code=1).stderr


def test_ignore_extra_leaves_unknown_columns_out(run, tmp_path):
    path = write(tmp_path / "x.csv", "recorded_at,pain,weather\n2026-03-03,3,rain\n")
    run("import", str(path), "--ignore-extra")
    assert entries(run)[0]["pain"] == 3


def test_stdin_needs_a_format(run):
    result = run("import", "-", "--format", "jsonl", input='{"recorded_at": "2026-03-03", "pain": 2}\n')
    assert "entries 1 inserted" in result.stderr
    assert "say what it holds with --format" in run("import", "-", input="x", code=1).stderr


def test_dry_run_reports_and_writes_nothing(run, tmp_path, seeded, db_path):
    path = write(tmp_path / "d.csv", "recorded_at,pain\n2026-03-01T09:00:00,6\n2026-03-02,4\n2026-03-09,1\n")
    result = json.loads(run("import", str(path), "--dry-run", "--json").stdout)
    assert result == {"dry_run": True, "entries": {"inserted": 1, "updated": 1, "unchanged": 1}}
    assert db_path.read_bytes() == seeded
    assert "Dry run, nothing written" in run("import", str(path), "--dry-run").stderr


def test_full_json_document_with_every_kind_and_kind_selection(run, tmp_path):
    document = {
        "format": "paindiary", "version": 1,
        "entries": [{"recorded_at": "2026-03-01", "pain": 5, "id": 99}],
        "treatments": [{"started_at": "2026-03-01T09:00:00", "name": "ketamine infusion"}],
        "medications": [{"taken_at": "2026-03-01T08:00:00", "name": "oxycodone", "dose": 10, "dose_unit": "mg"}],
    }  # fmt: skip
    path = write(tmp_path / "doc.json", json.dumps(document))
    only = json.loads(run("import", str(path), "--kind", "treatments", "--json").stdout)
    assert set(only) == {"dry_run", "treatments"}
    result = json.loads(run("import", str(path), "--json").stdout)
    assert result["entries"]["inserted"] == 1 and result["treatments"]["unchanged"] == 1
    assert result["medications"]["inserted"] == 1
    bad = dict(document, medications=[{"taken_at": "2026-03-01T08:00:00", "name": "x", "dose": 0, "dose_unit": "mg"}])
    message = run("import", str(write(tmp_path / "bad.json", json.dumps(bad))), code=1).stderr
    assert "medications record 1: dose: 0 is not valid; expected a number greater than 0" in message


def test_csv_injection_quote_is_removed_on_import(run, tmp_path):
    path = write(tmp_path / "q.csv", "recorded_at,note\n2026-03-01,'=1+2\n2026-03-02,''-x\n2026-03-03,'plain\n")
    run("import", str(path))
    assert [e["note"] for e in entries(run)] == ["=1+2", "'-x", "'plain"]


def _long_csv(path: Path, count: int, last: str) -> Path:
    start = datetime(2030, 1, 1)
    lines = [f"{(start + timedelta(hours=i)).isoformat()},{i % 11}," for i in range(count)]
    return write(path, "recorded_at,pain,note\n" + "\n".join([*lines, last]) + "\n")


def test_a_late_error_in_a_long_file_leaves_the_diary_untouched(run, tmp_path, seeded, db_path):
    path = _long_csv(tmp_path / "long.csv", 12_000, "2099-01-01,12,")  # spans several chunks
    result = run("import", str(path), code=1)
    assert "record 12001 (line 12002): pain: '12' is not valid" in result.stderr
    assert db_path.read_bytes() == seeded


def test_a_key_repeated_across_chunks_of_an_empty_diary_is_an_error(run, tmp_path):
    path = _long_csv(tmp_path / "long.csv", 12_000, "2030-01-01T00:00:00,3,")
    result = run("import", str(path), code=1)
    assert "record 12001 (line 12002): 2030-01-01T00:00:00 is already in record 1 of this file" in result.stderr
    assert "No diary at" in run("entry", "list", code=1).stderr  # the failed import created none


def test_map_renames_json_keys_and_ids_are_ignored(run, tmp_path):
    path = write(tmp_path / "w.jsonl", '{"id": 7, "time": "2026-03-03T07:00:00", "level": 4}\n')
    run("import", str(path), "--map", "time=recorded_at", "--map", "level=pain")
    assert [(e["recorded_at"], e["pain"]) for e in entries(run)] == [("2026-03-03T07:00:00", 4.0)]
    csv_path = write(tmp_path / "ids.csv", "id,recorded_at,pain\n99,2026-03-04,2\n")
    run("import", str(csv_path))
    assert [row["id"] for row in run.json("entry", "list")] == [1, 2]
