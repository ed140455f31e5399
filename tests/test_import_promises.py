"""Import promises of the pipeline: the options, what the summary and each refusal say, tables and
records as readers make them, and records checked as they will be stored (issue 15: mutation
testing of the import group; opening the file and its header: test_import_source.py).

In-process and fast: ``paindiary.transfer.importer`` is called directly where the CLI would only
add parsing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from paindiary import db
from paindiary import io as formats
from paindiary.errors import PaindiaryError
from paindiary.io.source import open_source
from paindiary.transfer import importer
from paindiary.transfer.staging import Counts


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# --- the options ---------------------------------------------------------------------------


def test_map_splits_at_the_last_equals_sign_and_strips_both_names() -> None:
    assert importer.parse_pairs("--map", [" Pain = Level =pain ", "Date=recorded_at"]) == {
        "Pain = Level": "pain",
        "Date": "recorded_at",
    }


@pytest.mark.parametrize("spec", ["pain", "=pain", " =pain", "Pain Level=", "Pain Level= ", ""])
def test_a_map_without_both_names_is_refused_with_an_example(spec: str) -> None:
    with pytest.raises(PaindiaryError) as caught:
        importer.parse_pairs("--map", [spec])
    assert str(caught.value) == f"--map {spec!r}: write it as NAME=VALUE, e.g. --map 'Pain Level=pain'."


def test_mood_map_gives_each_label_its_mood_as_a_number() -> None:
    assert importer.parse_mood_map(["super=9", "meh = 4.5"]) == {"super": 9.0, "meh": 4.5}
    assert all(type(mood) is float for mood in importer.parse_mood_map(["super=9"]).values())
    with pytest.raises(PaindiaryError, match=r"^--mood-map 'super': write it as NAME=VALUE"):
        importer.parse_mood_map(["super"])
    with pytest.raises(PaindiaryError, match="mood"):
        importer.parse_mood_map(["super=11"])


def _import(path: Path, text: str, **options: Any) -> importer.ImportResult:
    def read() -> list[formats.Section]:
        return formats.reader("csv")(io.StringIO(text, newline=""), formats.ReadOptions())

    with db.open_db(path) as diary:
        return importer.run_import(diary, read, importer.ImportOptions(**options))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"on_conflict": "merge"}, "--on-conflict merge: choose update, skip or error."),
        ({"kind": "entry"},
         "--kind: unknown kind 'entry'; choose entries, treatments, medications, measurements, assessments."),
        ({"mapping": {"Level": "pian"}}, "--map ...=pian: pian is not a field paindiary knows."),
    ],
)  # fmt: skip
def test_a_wrong_option_is_refused_before_the_file_is_read(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(PaindiaryError) as caught:
        _import(tmp_path / "d.db", "recorded_at,pain\n2026-03-01,5\n", **options)
    assert str(caught.value) == message


def test_every_option_value_the_readme_lists_is_accepted(tmp_path: Path) -> None:
    text = "recorded_at,Level\n2026-03-01,5\n"
    for on_conflict in importer.ON_CONFLICT:
        result = _import(tmp_path / f"{on_conflict}.db", text, on_conflict=on_conflict, kind="entries",
                         mapping={"Level": "pain"})  # fmt: skip
        assert result.to_dict() == {"dry_run": False, "entries": {"inserted": 1, "updated": 0, "unchanged": 0}}
    assert importer.ON_CONFLICT == ("update", "skip", "error")


def test_a_fixed_layout_export_refuses_map_and_date_format(tmp_path: Path) -> None:
    path = str(write(tmp_path / "daylio.csv", "x"))
    with db.open_db(tmp_path / "d.db") as diary, open_source(path, io.BytesIO()) as opened:
        for options in (importer.ImportOptions(mapping={"a": "pain"}), importer.ImportOptions(date_format="%d")):
            with pytest.raises(PaindiaryError) as caught:
                importer.import_source(diary, opened, "daylio", options, formats.ReadOptions())
            assert str(caught.value) == "--map and --date-format do not apply to Daylio exports; leave them out."
        with pytest.raises(PaindiaryError) as caught:
            importer.import_path(diary, path, "apple-health", importer.ImportOptions(mapping={"a": "pain"}))
        assert str(caught.value) == "--map and --date-format do not apply to Apple Health exports; leave them out."
        with pytest.raises(PaindiaryError) as caught:
            importer.import_path(diary, path, "fitbit", importer.ImportOptions(date_format="%d"))
        assert str(caught.value) == "--map and --date-format do not apply to Fitbit exports; leave them out."


def test_a_phone_export_is_read_by_its_path_and_a_stream_format_by_its_stream(tmp_path: Path) -> None:
    assert importer.reads_by_path("export.zip", "apple-health")
    assert not importer.reads_by_path("-", "apple-health")
    assert not importer.reads_by_path("export.zip", None)
    assert not importer.reads_by_path("e.csv", "csv")
    with db.open_db(tmp_path / "d.db") as diary, open_source("-", io.BytesIO(b"")) as opened:
        with pytest.raises(PaindiaryError) as caught:
            importer.import_source(diary, opened, "oura", importer.ImportOptions(), formats.ReadOptions())
        assert str(caught.value) == "--format oura reads a file, folder or zip by its name; give its path, not -."
        with pytest.raises(PaindiaryError) as caught:
            importer.import_path(diary, "e.csv", "csv", importer.ImportOptions())
        assert str(caught.value) == "--format csv reads a stream, not a path."


# --- what the summary and the refusal say -----------------------------------------------------


def test_the_summary_counts_what_the_file_held_besides_records_only_when_there_is_some() -> None:
    counts = {"entries": Counts(3, 1, 2)}
    assert importer.ImportResult(counts, True).to_dict() == {
        "dry_run": True, "entries": {"inserted": 3, "updated": 1, "unchanged": 2},
    }  # fmt: skip
    assert importer.ImportResult(counts, False, {"HKQuantityTypeIdentifierStepCount": 4}).to_dict() == {
        "dry_run": False, "entries": {"inserted": 3, "updated": 1, "unchanged": 2},
        "skipped": {"HKQuantityTypeIdentifierStepCount": 4},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("count", "first", "last"),
    [
        (1, "1 problem in the file; nothing was imported (fix and try again):", "  problem 0"),
        (2, "2 problems in the file; nothing was imported (fix and try again):", "  problem 1"),
        (50, "50 problems in the file; nothing was imported (fix and try again):", "  problem 49"),
        (51, "51 problems in the file; nothing was imported (fix and try again):", "  ... and 1 more."),
    ],
)
def test_a_refused_file_lists_up_to_50_problems_then_a_count(count: int, first: str, last: str) -> None:
    failed = importer.ImportFailed([f"problem {i}" for i in range(count)])
    lines = str(failed).split("\n")
    assert lines[0] == first and lines[-1] == last
    assert len(lines) == 1 + min(count, 50) + (count > 50)
    assert failed.errors == [f"problem {i}" for i in range(count)]


# --- the columns of a table ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("pain,mood\n3,4\n", {},
         "Cannot tell which kind of record this is: it needs exactly one of the columns recorded_at (entries; "
         "with instrument, assessments), started_at (treatments), taken_at (medications) or day (measurements); "
         "add --kind, or --map 'Your column=recorded_at'."),
        ("recorded_at,taken_at,pain\n2026-03-01,2026-03-01T08:00,3\n", {}, "Cannot tell which kind of record"),
        ("recorded_at,pain,weather\n2026-03-01,3,rain\n", {},
         "Unknown column(s) for entries: weather. Known columns: recorded_at, pain, worst_pain, least_pain, "
         "enjoyment, activity, sleep_hours, sleep_quality, mood, note, tags. "
         "Rename them with --map 'Column=field', or leave them out with --ignore-extra."),
        ("recorded_at,pgic\n2026-03-01,3\n", {"kind": "assessments"},
         "The required column instrument is missing (needed to match assessments)."),
        ("recorded_at,pain\n2026-03-01,3\n", {"mapping": {"Pain": "pain"}},
         "--map Pain=pain: the file has no column Pain; its columns are recorded_at, pain."),
    ],
)  # fmt: skip
def test_a_table_whose_columns_do_not_fit_is_refused_with_the_columns_named(
    tmp_path: Path, text: str, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(PaindiaryError) as caught:
        _import(tmp_path / "d.db", text, **options)
    assert str(caught.value).startswith(message)


def test_recorded_at_with_an_instrument_column_is_an_assessment(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "recorded_at,instrument,pgic\n2026-03-01T09:00,pgic,4\n")
    result = json.loads(run("import", str(path), "--json").stdout)
    assert set(result) == {"dry_run", "assessments"} and result["assessments"]["inserted"] == 1


# --- records (JSON, JSON Lines) ------------------------------------------------------------


def test_a_record_with_unknown_fields_is_named_with_its_line_and_the_known_fields(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "e.jsonl", '{"recorded_at": "2026-03-01", "pain": 3}\n'
                                       '{"recorded_at": "2026-03-02", "level": 2, "Mood": 4}\n')  # fmt: skip
    error = run("import", str(path), code=1).stderr
    assert error.splitlines()[1:] == [
        "  record 2 (line 2): unknown field(s) Mood, level; known fields: recorded_at, pain, worst_pain, least_pain, "
        "enjoyment, activity, sleep_hours, sleep_quality, mood, note, tags."
    ]


def test_a_record_without_its_key_is_one_problem_named_with_its_line(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "m.jsonl", '{"taken_at": "2026-03-01T08:00", "name": "x", "dose": 1, "dose_unit": "mg"}\n'
                                       '{"taken_at": "2026-03-01T09:00", "dose": 1, "dose_unit": "mg"}\n')  # fmt: skip
    error = run("import", str(path), code=1).stderr
    assert error.splitlines() == [
        "Error: 1 problem in the file; nothing was imported (fix and try again):",
        "  record 2 (line 2): name is missing (it is needed to match medications).",
    ]


def test_date_format_reads_the_time_of_json_records_and_leaves_other_fields_alone(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "e.jsonl", '{"When": "05/03/2026 21:30", "pain": 4, "note": "05/03/2026"}\n')
    run("import", str(path), "--map", "When=recorded_at", "--date-format", "%d/%m/%Y %H:%M")
    (entry,) = run.json("entry", "list")
    assert (entry["recorded_at"], entry["pain"], entry["note"]) == ("2026-03-05T21:30:00", 4.0, "05/03/2026")
    wrong = write(tmp_path / "w.jsonl", '{"When": "05/03/2026 21:30", "pain": 4}\n{"When": "2026-03-06", "pain": 4}\n')
    error = run("import", str(wrong), "--map", "When=recorded_at", "--date-format", "%d/%m/%Y %H:%M", code=1).stderr
    assert error.splitlines()[1:] == [
        "  record 2 (line 2): recorded_at: '2026-03-06' is not valid; expected a date written as %d/%m/%Y %H:%M."
    ]


def test_json_records_keep_their_tags_and_side_effects(run: Any, tmp_path: Path) -> None:
    run("import", str(write(tmp_path / "e.json", '[{"recorded_at": "2026-03-01", "pain": 3, "tags": ["a", "b"]}]')))
    assert run.json("entry", "list")[0]["tags"] == ["a", "b"]
    sessions = '[{"started_at": "2026-03-01T09:00", "name": "k", "side_effects": [{"name": "nausea", "severity": 3}]}]'
    run("import", str(write(tmp_path / "t.json", sessions)))
    assert run.json("treatment", "list")[0]["side_effects"] == [{"name": "nausea", "severity": 3.0}]


def test_a_merged_session_breaking_a_rule_gets_that_rules_message_with_its_side_effects_read(
    run: Any, tmp_path: Path, db_path: Path
) -> None:
    run("treatment", "add", "--at", "2026-03-01T09:00", "--name", "k", "--bp-before", "120/80",
        "--side-effect", "nausea:3")  # fmt: skip
    before = db_path.read_bytes()
    path = write(tmp_path / "t.csv", "started_at,diastolic_before\n2026-03-01T09:00,130\n")
    error = run("import", str(path), code=1).stderr
    assert "record 1 (line 2): diastolic_before (130) cannot be above systolic_before (120)." in error
    assert db_path.read_bytes() == before


# --- sections as readers make them ----------------------------------------------------------


def _sections(path: Path, sections: list[formats.Section], **options: Any) -> importer.ImportResult:
    calls: list[None] = []
    with db.open_db(path) as diary:
        result = importer.run_import(
            diary, lambda: sections, importer.ImportOptions(**options), lambda: calls.append(None)
        )
    result.progress = len(calls)  # type: ignore[attr-defined]
    return result


def _records(items: list[Any], kind: str | None = None, label: str = "", **extra: Any) -> formats.Records:
    return formats.Records(iter([[(i + 1, i + 1, item) for i, item in enumerate(items)]]), kind, label, **extra)


def test_what_a_phone_export_holds_besides_records_is_counted_over_its_sections(tmp_path: Path) -> None:
    first = _records([{"day": "2026-03-01", "metric": "steps", "value": 10, "source": "x"}], "measurements",
                     skipped={"sleep": 2, "heart": 1})  # fmt: skip
    second = _records([{"day": "2026-03-02", "metric": "steps", "value": 11, "source": "x"}], "measurements",
                      skipped={"sleep": 3})  # fmt: skip
    result = _sections(tmp_path / "d.db", [first, second])
    assert result.to_dict() == {
        "dry_run": False, "measurements": {"inserted": 2, "updated": 0, "unchanged": 0},
        "skipped": {"heart": 1, "sleep": 5},
    }  # fmt: skip
    assert list(result.skipped) == ["heart", "sleep"]  # sorted by name
    assert result.progress == 2  # type: ignore[attr-defined]  # once a chunk


def test_kind_takes_only_the_sections_of_that_kind(tmp_path: Path) -> None:
    entries = _records([{"recorded_at": "2026-03-01", "pain": 3}], "entries", "entries")
    doses = _records([{"taken_at": "2026-03-01T08:00", "name": "x", "dose": 1, "dose_unit": "mg"}], "medications",
                     "medications", skipped={"other": 1})  # fmt: skip
    result = _sections(tmp_path / "d.db", [entries, doses], kind="entries")
    assert result.to_dict() == {"dry_run": False, "entries": {"inserted": 1, "updated": 0, "unchanged": 0}}


def test_kind_given_for_records_is_matched_on_that_kinds_key(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"recorded_at": "2026-03-01T09:00", "pgic": 3}\n')
    error = run("import", str(path), "--kind", "assessments", code=1).stderr
    assert error.splitlines()[1:] == ["  record 1 (line 1): instrument is missing (it is needed to match assessments)."]


def test_each_problem_of_a_document_names_its_section_record_and_line(tmp_path: Path) -> None:
    entries = _records([{"recorded_at": "2026-03-01", "pain": 3}, ["not", "a", "record"],
                        PaindiaryError("This line is not valid JSON.")], "entries", "entries")  # fmt: skip
    doses = _records([{"taken_at": "2026-03-01T08:00", "name": "x", "dose": 0, "dose_unit": "mg"}], "medications",
                     "medications")  # fmt: skip
    with pytest.raises(importer.ImportFailed) as caught:
        _sections(tmp_path / "d.db", [doses, entries])
    assert caught.value.errors == [
        "medications record 1 (line 1): dose: 0 is not valid; expected a number greater than 0 and at most 100,000.",
        "entries record 2 (line 2): expected a JSON object of field names and values.",
        "entries record 3 (line 3): This line is not valid JSON.",
    ]
    assert not (tmp_path / "d.db").exists() or _sections(tmp_path / "e.db", []).counts == {}


def test_problems_found_by_the_checks_name_the_kind_only_when_the_file_holds_several(tmp_path: Path) -> None:
    twice = [{"recorded_at": "2026-03-01", "pain": 3}, {"recorded_at": "2026-03-01", "pain": 4}]
    with pytest.raises(importer.ImportFailed) as caught:
        _sections(tmp_path / "one.db", [_records(twice, "entries", "entries")])
    assert caught.value.errors == [
        "record 2 (line 2): 2026-03-01 is already in record 1 of this file; each entry may appear once."
    ]
    doses = [{"taken_at": "2026-03-01T08:00", "name": "x", "dose": 1, "dose_unit": "mg"}]
    with pytest.raises(importer.ImportFailed) as caught:
        _sections(tmp_path / "two.db", [_records(twice, "entries", "entries"), _records(doses * 2, "medications")])
    assert caught.value.errors == [
        "entries record 2 (line 2): 2026-03-01 is already in record 1 of this file; each entry may appear once.",
        "medications record 2 (line 2): 2026-03-01T08:00:00 x is already in record 1 of this file; "
        "each dose may appear once.",
    ]


def test_the_memo_of_validated_cells_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "_MEMO_LIMIT", 3)
    converted: list[str] = []

    def upper(cell: str) -> str:
        converted.append(cell)
        return cell.upper()

    memo = importer._Memo(upper)
    assert [memo[cell] for cell in "abcab"] == list("ABCAB") and converted == list("abc")  # each distinct cell once
    assert memo["d"] == "D" and len(memo) == 1  # full: emptied before the next one
    assert not memo.failed


def test_a_column_named_twice_after_map_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PaindiaryError) as caught:
        _import(tmp_path / "d.db", "recorded_at,pain,Pain\n2026-03-01,3,4\n", mapping={"Pain": "pain"})
    assert str(caught.value) == "The column(s) pain appear more than once in the header."


# --- records merged with what is stored ----------------------------------------------------------

AT = "2026-03-01T09:00:00"


@pytest.fixture
def stored(run: Any, db_path: Path) -> bytes:
    """An entry (pain 5, worst 6, least 2, a note) and a dose at 2026-03-01T09:00; the diary's bytes."""
    run("log", "5", "--at", AT, "--worst", "6", "--least", "2", "--note", "kept")
    run("med", "add", "x", "5", "mg", "--at", AT)
    return db_path.read_bytes()


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (f"recorded_at,least_pain\n{AT},6\n", (), "least_pain (6) cannot be above pain (5)."),
        (f"recorded_at,worst_pain\n{AT},1\n", (), "least_pain (2) cannot be above worst_pain (1)."),
        (f"recorded_at,pain,worst_pain\n{AT},7,6.5\n", (), "pain (7) cannot be above worst_pain (6.5)."),
        (f"recorded_at,pain,worst_pain,least_pain,note\n{AT},,,,\n", (),
         "An entry needs at least one score, sleep hours or a note."),
        ("recorded_at,tags\n2026-03-02,a\n", ("--on-conflict", "skip"),
         "An entry needs at least one score, sleep hours or a note."),
        ("taken_at,name,dose_unit\n2026-03-02T08:00,x,mg\n", (), "dose is missing for this new dose."),
        ("taken_at,name\n2026-03-02T08:00,x\n", (), "dose, dose_unit is missing for this new dose."),
        ("day,metric,value,source\n2026-03-01,steps,1.5,watch\n", (),
         "steps: 1.5 is not valid; expected a whole number from 0 to 200000 (steps)."),
        ("day,metric,value,source\n2026-03-01,resting_hr,10,watch\n", (),
         "resting_hr: 10.0 is not valid; expected a number from 20 to 250 (beats/min)."),
    ],
)  # fmt: skip
def test_a_record_is_checked_as_it_will_be_stored_once_merged(
    run: Any, tmp_path: Path, db_path: Path, stored: bytes, text: str, args: tuple[str, ...], message: str
) -> None:
    error = run("import", str(write(tmp_path / "m.csv", text)), *args, code=1).stderr
    assert error.splitlines()[0] == "Error: 1 problem in the file; nothing was imported (fix and try again):"
    assert error.splitlines()[1].startswith("  record 1 (line 2): ") and message in error.splitlines()[1]
    assert db_path.read_bytes() == stored


@pytest.mark.parametrize(
    ("text", "args", "counts"),
    [
        (f"recorded_at,pain\n{AT},8\n", ("--on-conflict", "skip"), {"inserted": 0, "updated": 0, "unchanged": 1}),
        (f"recorded_at,tags\n{AT},a\n", ("--on-conflict", "skip"), {"inserted": 0, "updated": 0, "unchanged": 1}),
        (f"recorded_at,pain,least_pain\n{AT},1,\n", (), {"inserted": 0, "updated": 1, "unchanged": 0}),
        (f"recorded_at,pain\n{AT},6\n", (), {"inserted": 0, "updated": 1, "unchanged": 0}),  # equal to worst
        (f"recorded_at,note\n{AT},\n", (), {"inserted": 0, "updated": 1, "unchanged": 0}),
        (f"taken_at,name,note\n{AT},x,with food\n", (), {"inserted": 0, "updated": 1, "unchanged": 0}),
        (f"taken_at,name,dose\n{AT},x,5\n", (), {"inserted": 0, "updated": 0, "unchanged": 1}),
    ],
)  # fmt: skip
def test_fields_the_file_lacks_keep_their_stored_values_when_checked(
    run: Any, tmp_path: Path, stored: bytes, text: str, args: tuple[str, ...], counts: dict[str, int]
) -> None:
    result = json.loads(run("import", str(write(tmp_path / "m.csv", text)), *args, "--json").stdout)
    assert list(result.values())[1] == counts


def test_the_garbage_collector_is_switched_back_as_it_was_after_an_import(tmp_path: Path) -> None:
    import gc

    text = "recorded_at,pain\n2026-03-01,3\n"
    assert gc.isenabled()
    _import(tmp_path / "a.db", text)
    assert gc.isenabled()
    with pytest.raises(importer.ImportFailed):
        _import(tmp_path / "b.db", "recorded_at,pain\n2026-03-01,30\n")
    assert gc.isenabled()
    gc.disable()
    try:
        _import(tmp_path / "c.db", text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_dry_run_counts_what_it_would_write_and_writes_nothing(tmp_path: Path, run: Any) -> None:
    run("log", "5", "--at", "2026-03-01")
    result = _import(tmp_path / "data" / "diary.db", "recorded_at,pain\n2026-03-01,5\n2026-03-02,4\n", dry_run=True)
    assert result.to_dict() == {"dry_run": True, "entries": {"inserted": 1, "updated": 0, "unchanged": 1}}
    assert len(run.json("entry", "list")) == 1


def test_conflicts_in_a_document_of_several_kinds_name_the_kind(run: Any, tmp_path: Path, stored: bytes) -> None:
    document = {"format": "paindiary", "version": 1,
                "entries": [{"recorded_at": AT, "pain": 5}],
                "medications": [{"taken_at": AT, "name": "x", "dose": 5, "dose_unit": "mg"}]}  # fmt: skip
    path = write(tmp_path / "doc.json", json.dumps(document))
    error = run("import", str(path), "--on-conflict", "error", code=1).stderr
    assert error.splitlines()[1:] == [
        f"  entries record 1: entry {AT} is already in the diary (id 1); use --on-conflict update or skip.",
        f"  medications record 1: dose {AT} x is already in the diary (id 1); use --on-conflict update or skip.",
    ]


def test_a_phone_export_read_by_its_path_is_imported_with_its_progress(tmp_path: Path) -> None:
    export = Path(__file__).parent / "data" / "wearables" / "apple_health" / "export.xml"
    seen: list[tuple[int, int]] = []
    with db.open_db(tmp_path / "d.db") as diary:
        result = importer.import_path(diary, str(export), "apple-health", importer.ImportOptions(),
                                      lambda done, total: seen.append((done, total)))  # fmt: skip
    assert result.to_dict()["measurements"] == {"inserted": 6, "updated": 0, "unchanged": 0}
    assert result.skipped["HKQuantityTypeIdentifierHeartRate"] == 3
    assert seen and seen[-1] == (export.stat().st_size, export.stat().st_size)


def test_records_with_different_fields_are_all_counted(run: Any, tmp_path: Path, stored: bytes) -> None:
    run("log", "4", "--at", "2026-03-02")
    path = write(tmp_path / "e.jsonl", f'{{"recorded_at": "{AT}", "pain": 4}}\n'
                                       '{"recorded_at": "2026-03-02", "note": "n"}\n'
                                       '{"recorded_at": "2026-03-03", "pain": 1}\n'
                                       '{"recorded_at": "2026-03-04", "note": "m"}\n')  # fmt: skip
    result = json.loads(run("import", str(path), "--json").stdout)
    assert result["entries"] == {"inserted": 2, "updated": 2, "unchanged": 0}
    assert json.loads(run("import", str(path), "--json").stdout)["entries"] == {
        "inserted": 0, "updated": 0, "unchanged": 4,
    }  # fmt: skip


def _table(text: str, kind: str | None = None) -> formats.Section:
    (table,) = formats.reader("csv")(io.StringIO(text, newline=""), formats.ReadOptions())
    assert isinstance(table, formats.Table)
    table.kind = kind
    return table


def test_two_tables_of_one_kind_are_both_written_and_counted(tmp_path: Path) -> None:
    first = _table("recorded_at,pain\n2026-03-01,3\n2026-03-02,4\n")
    second = _table("recorded_at,note\n2026-03-03,x\n2026-03-04,y\n2026-03-05,z\n")
    result = _sections(tmp_path / "d.db", [first, second])
    assert result.to_dict() == {"dry_run": False, "entries": {"inserted": 5, "updated": 0, "unchanged": 0}}


def test_a_row_with_the_wrong_number_of_cells_is_one_problem(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "recorded_at,pain\n2026-03-01,3\n2026-03-02,4,5\n2026-03-03\n")
    error = run("import", str(path), code=1).stderr
    assert error.splitlines() == [
        "Error: 2 problems in the file; nothing was imported (fix and try again):",
        "  record 2 (line 3): has 3 cells where the header has 2.",
        "  record 3 (line 4): has 1 cells where the header has 2.",
    ]


def test_rows_of_empty_cells_are_not_counted_on_the_staged_path(run: Any, tmp_path: Path, stored: bytes) -> None:
    path = write(tmp_path / "e.csv", f"recorded_at,pain\n{AT},5\n,\n2026-03-05,4\n")
    result = json.loads(run("import", str(path), "--json").stdout)
    assert result["entries"] == {"inserted": 1, "updated": 0, "unchanged": 1}


def test_problems_are_listed_in_file_order_whenever_they_were_found(run: Any, tmp_path: Path, stored: bytes) -> None:
    path = write(tmp_path / "e.csv", f"recorded_at,pain\n{AT},8\n2026-03-05,11\n")
    error = run("import", str(path), code=1).stderr
    assert error.splitlines()[1:] == [
        "  record 1 (line 2): pain (8) cannot be above worst_pain (6).",  # found by the checks, after reading
        "  record 2 (line 3): pain: '11' is not valid; expected a number from 0 to 10.",  # found while reading
    ]


def test_every_new_record_missing_a_required_field_is_listed(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "taken_at,name,dose\n2026-03-02T08:00,x,1\n2026-03-03T08:00,y,2\n")
    assert run("import", str(path), code=1).stderr.splitlines() == [
        "Error: 2 problems in the file; nothing was imported (fix and try again):",
        "  record 1 (line 2): dose_unit is missing for this new dose.",
        "  record 2 (line 3): dose_unit is missing for this new dose.",
    ]


# --- the last survivors of the importer group (each: the exact output the mutant changed) -----------


def test_a_csv_time_not_in_the_date_format_names_its_column(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "recorded_at,pain\n2026-03-06,4\n")
    error = run("import", str(path), "--date-format", "%d/%m/%Y %H:%M", code=1).stderr
    assert (
        "record 1 (line 2): recorded_at: '2026-03-06' is not valid; expected a date written as %d/%m/%Y %H:%M." in error
    )


def test_with_a_date_format_even_iso_dates_must_follow_it(run: Any, tmp_path: Path, db_path: Path) -> None:
    """A column of standard dates is not taken as is when --date-format says how dates are written."""
    path = write(tmp_path / "e.csv", "recorded_at,pain\n2026-03-06,4\n")
    error = run("import", str(path), "--date-format", "%d/%m/%Y", code=1).stderr
    assert "recorded_at: '2026-03-06' is not valid; expected a date written as %d/%m/%Y." in error
    assert not db_path.exists()  # nothing imported, no diary made


@pytest.mark.parametrize(
    ("text", "kind"),
    [("taken_at,dose\n2026-03-01T08:00,1\n", "medications"), ("day,value\n2026-03-01,5\n", "measurements")],
)
def test_columns_that_match_no_kind_s_whole_key_name_what_is_missing(
    run: Any, tmp_path: Path, text: str, kind: str
) -> None:
    missing = {"medications": "name", "measurements": "metric, source"}[kind]
    error = run("import", str(write(tmp_path / "x.csv", text)), code=1).stderr
    assert f"The required column {missing} is missing (needed to match {kind})." in error


def test_json_records_that_match_no_kind_s_whole_key_name_what_is_missing(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "x.json", json.dumps([{"taken_at": "2026-03-01T08:00", "dose": 1}]))
    error = run("import", str(path), code=1).stderr
    assert "name is missing" in error and "Traceback" not in error


def test_every_repeated_and_unknown_column_is_listed(run: Any, tmp_path: Path) -> None:
    repeated = write(tmp_path / "r.csv", "recorded_at,pain,pain,note,note\n2026-03-01,4,4,a,a\n")
    assert (
        "The column(s) note, pain appear more than once in the header." in run("import", str(repeated), code=1).stderr
    )
    unknown = write(tmp_path / "u.csv", "recorded_at,pain,foo,bar\n2026-03-01,4,1,2\n")
    assert "Unknown column(s) for entries: foo, bar." in run("import", str(unknown), code=1).stderr


def test_a_row_with_too_many_cells_does_not_hide_the_problems_of_other_rows(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "recorded_at,pain\n2026-03-01,3,x\n2026-03-02,99\n")
    error = run("import", str(path), code=1).stderr
    assert "has 3 cells where the header has 2." in error
    assert "pain: '99' is not valid" in error
    assert "2 problems" in error


def test_a_repeat_after_blank_rows_names_the_first_record_after_a_fallback(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paindiary.io import csv_format

    monkeypatch.setattr(csv_format, "CHUNK_ROWS", 4)  # the repeat falls in the second chunk
    path = write(tmp_path / "e.csv", "recorded_at,pain\n,\n2026-03-01,1\n,\n2026-03-02,2\n2026-03-01,5\n")
    error = run("import", str(path), code=1).stderr
    assert "record 5 (line 6): 2026-03-01 is already in record 2 of this file" in error


def test_an_unreadable_json_line_does_not_hide_the_problems_of_the_next_lines(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "e.jsonl", '{"pain": \n{"recorded_at": "2026-03-01", "pain": 99}\n')
    error = run("import", str(path), code=1).stderr
    assert "record 1 (line 1): This line is not valid JSON" in error
    assert "record 2 (line 2): pain: 99 is not valid" in error


def test_a_file_that_is_not_utf8_gets_the_whole_advice(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.csv", "recorded_at,note\n2026-03-03,caf\xe9\n".encode("latin-1"))
    assert run("import", str(path), code=1).stderr.strip().splitlines()[-1] == (
        "Error: The file is not UTF-8 text; save it as UTF-8 (in a spreadsheet: 'CSV UTF-8') and try again."
    )


def test_an_import_reports_its_progress_once_a_chunk(tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "recorded_at,pain\n2026-03-01,3\n2026-03-02,4\n")
    calls: list[None] = []
    with db.open_db(tmp_path / "d.db") as diary, open_source(str(path), io.BytesIO()) as source:
        importer.import_source(
            diary, source, None, importer.ImportOptions(), formats.ReadOptions(), lambda: calls.append(None)
        )
    assert len(calls) >= 1
