"""Promises of the CSV format and the import pipeline that no test held (issue 15's mutation survivors).

Each test names the promise it holds and was seen to fail with the bug planted by hand: the
provider cell left out of the spreadsheet-safety rule (on export or on import), a CRLF inside a
quoted cell counted as two lines, line numbers lost for records moved from the fast path to the
staged one, a mapped column repeating one of the file's own, ``--map`` split at the first ``=``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from paindiary.io import csv_format
from paindiary.transfer import staging

TREATMENT_HEADER = "started_at,name,provider"


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def treatments(run, *args: str) -> list[dict]:
    return json.loads(run(*args, "export", "--kind", "treatments").stdout)


def notes_and_pain(run, *args: str) -> list[tuple]:
    return [(e["recorded_at"], e["pain"], e["note"]) for e in run.json(*args, "entry", "list")]


# --- io/csv_format: spreadsheet safety of the provider cell --------------------------------------


@pytest.mark.parametrize("provider", ['=HYPERLINK("http://x")', "+1 clinic", "-Pain clinic", "@home"])
def test_csv_export_shows_a_formula_like_provider_as_text(run, provider: str) -> None:
    """The provider is text a spreadsheet must not run: a leading = + - @ gets one ``'`` in front."""
    run("treatment", "add", "--name", "infusion", "--at", "2026-03-01T09:00", "--provider", provider)
    text = run("export", "--format", "csv", "--kind", "treatments").stdout
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["provider"] == "'" + provider
    assert csv_format.cell("provider", provider) == "'" + provider


def test_csv_import_takes_back_the_quote_export_put_before_a_provider(run, tmp_path: Path) -> None:
    """Export then import gives back the provider as it was (one ``'`` removed, the rest kept)."""
    run("treatment", "add", "--name", "infusion", "--at", "2026-03-01T09:00", "--provider", "=clinic()")
    run("treatment", "add", "--name", "infusion", "--at", "2026-03-02T09:00", "--provider", "'@home")
    exported = write(tmp_path / "t.csv", run("export", "--format", "csv", "--kind", "treatments").stdout)
    other = str(tmp_path / "other.db")
    run("--db", other, "import", str(exported))
    assert [t["provider"] for t in treatments(run, "--db", other)] == ["=clinic()", "'@home"]
    typed = write(tmp_path / "typed.csv", f"{TREATMENT_HEADER}\n2026-03-03T09:00,infusion,'-ward 3\n")
    run("--db", other, "import", str(typed))
    assert treatments(run, "--db", other)[-1]["provider"] == "-ward 3"


# --- io/csv_format: line numbers of records after a multi-line cell --------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_line_break_inside_a_quoted_cell_counts_as_one_line(run, tmp_path: Path, newline: str) -> None:
    """Import errors name the line a record starts on, whatever line ending the file uses (CRLF is one
    line break, inside a quoted note as between records)."""
    text = newline.join(
        [
            "recorded_at,pain,note",
            '2026-03-01,5,"first line',
            'second line"',
            '2026-03-02,6,"a',
            "b",
            'c"',
            "2026-03-03,11,",
            "",
        ]
    )
    path = tmp_path / "notes.csv"
    path.write_bytes(text.encode())
    result = run("import", str(path), code=1)
    assert "record 3 (line 7): pain: '11' is not valid" in result.stderr, result.stderr


def test_record_lines_counts_crlf_once() -> None:
    assert csv_format._record_lines(["2026-03-01", "one\r\ntwo\r\nthree"]) == 3
    assert csv_format._record_lines(["one\rtwo", "three\nfour"]) == 3


# --- staging: line numbers after the fast path hands its rows to the stage ----------------------------


def test_lines_after_a_fallback_follow_multi_line_cells(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the fast path hands over to the staged one (a later chunk repeats a key and meets a stored
    record), errors name each record's own line: a multi-line note shifts lines, not record numbers."""
    monkeypatch.setattr(csv_format, "CHUNK_ROWS", 4)
    lines = ["recorded_at,pain,note", '2026-01-01,1,"two\nlines"']  # record 1: lines 2-3
    lines += [f"2026-01-{day:02d},2," for day in range(2, 9)]  # records 2-8: lines 4-10
    lines[6] = "2026-01-02,3,again"  # record 6 (line 8) repeats record 2, in the second chunk
    path = write(tmp_path / "late.csv", "\n".join(lines) + "\n")
    run("log", "4", "--at", "2026-01-07")  # matched by record 7 (line 9)
    result = run("import", str(path), "--on-conflict", "error", code=1)
    assert "record 6 (line 8): 2026-01-02 is already in record 2 of this file" in result.stderr, result.stderr
    assert "record 7 (line 9): entry 2026-01-07 is already in the diary" in result.stderr, result.stderr


def test_rows_moved_from_the_fast_path_keep_their_records_lines(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows the fast path wrote carry their own record numbers and lines into the stage when a later
    chunk sends the import there (every staged row can be reported at its line; a multi-line note
    in the first chunk shifts the lines of the rows after it)."""
    monkeypatch.setattr(csv_format, "CHUNK_ROWS", 4)
    lines = ["recorded_at,pain,note", "2026-01-01,1,", '2026-01-02,1,"two\nlines"']  # record 2: lines 3-4
    lines += [f"2026-01-{day:02d},2," for day in range(3, 9)]  # records 3-8: lines 5-10
    path = write(tmp_path / "moved.csv", "\n".join(lines) + "\n")
    run("log", "4", "--at", "2026-01-06")  # record 6, in the second chunk: the fast path stops there
    seen: list[tuple[int, int]] = []
    check = staging.check_conflicts

    def looking(stage: staging.Stage, report: Any) -> None:
        seen.extend(stage.conn.execute(f"SELECT recno, line FROM {stage.table} ORDER BY recno"))
        check(stage, report)

    monkeypatch.setattr(staging, "check_conflicts", looking)
    result = run("import", str(path), "--on-conflict", "error", code=1)
    assert "record 6 (line 8): entry 2026-01-06 is already in the diary" in result.stderr
    assert seen == [(1, 2), (2, 3), (3, 5), (4, 6), (5, 7), (6, 8), (7, 9), (8, 10)]


# --- importer: columns and --map -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "mapping", "field"),
    [
        ("recorded_at,Date,pain", "Date=recorded_at", "recorded_at"),
        ("recorded_at,pain,Pain Level", "Pain Level=pain", "pain"),
    ],
)
def test_a_mapped_column_repeating_another_is_an_error_not_a_silent_choice(
    run, tmp_path: Path, db_path: Path, header: str, mapping: str, field: str
) -> None:
    """Two columns for one field (one of them renamed by --map) are refused: neither wins silently."""
    run("log", "1", "--at", "2026-02-01")
    before = db_path.read_bytes()
    path = write(tmp_path / "two.csv", f"{header}\n2026-03-01,2026-03-01,5\n")
    result = run("import", str(path), "--map", mapping, code=1)
    assert f"The column(s) {field} appear more than once in the header." in result.stderr
    assert db_path.read_bytes() == before


def test_map_splits_at_the_last_equals_sign(run, tmp_path: Path) -> None:
    """``--map`` takes the text before the last ``=`` as the column, so a column name may hold ``=``."""
    path = write(tmp_path / "score.csv", "Day,Score (0=none)\n2026-03-01,4\n2026-03-02,7\n")
    run("import", str(path), "--map", "Day=recorded_at", "--map", "Score (0=none)=pain")
    assert notes_and_pain(run) == [("2026-03-01", 4, None), ("2026-03-02", 7, None)]
