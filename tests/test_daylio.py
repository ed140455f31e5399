"""Daylio CSV exports (both header versions) become diary entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def entries(run) -> list[dict]:
    return [{key: row[key] for key in ("recorded_at", "mood", "note", "tags")} for row in run.json("entry", "list")]


@pytest.mark.parametrize("name", ["daylio", "daylio_old"])
def test_daylio_exports_in_both_header_versions(run, name):
    result = json.loads(run("import", str(DATA / f"{name}.csv"), "--format", "daylio", "--json").stdout)
    expected = json.loads((DATA / f"{name}.expected.json").read_text())
    assert result["entries"]["inserted"] == len(expected)
    assert entries(run) == expected
    again = json.loads(run("import", str(DATA / f"{name}.csv"), "--format", "daylio", "--json").stdout)
    assert again["entries"] == {"inserted": 0, "updated": 0, "unchanged": len(expected)}


def test_daylio_merges_into_entries_already_logged(run):
    run("log", "6", "--at", "2026-03-14T21:40")
    run("import", str(DATA / "daylio.csv"), "--format", "daylio")
    merged = run.json("entry", "list")[1]
    assert merged["pain"] == 6 and merged["mood"] == 0 and merged["tags"] == ["flare", "bad sleep"]


def test_mood_map_renames_and_overrides_labels(run, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2026-03-15,March 15,Sunday,9:05 pm,Super,,,\n2026-03-14,March 14,Saturday,8:00 am,rad,,,\n"
    )
    result = run("import", str(path), "--format", "daylio", code=1)
    assert "mood: 'Super' is not a mood label paindiary knows" in result.stderr
    assert "--mood-map 'Super=VALUE'" in result.stderr
    assert "No diary at" in run("entry", "list", code=1).stderr  # the failed import created none
    run("import", str(path), "--format", "daylio", "--mood-map", "super=9", "--mood-map", "rad=9.5")
    assert [row["mood"] for row in run.json("entry", "list")] == [9.5, 9.0]
    assert (
        "mood: '11' is not valid" in run("import", str(path), "--format", "daylio", "--mood-map", "x=11", code=1).stderr
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2018,05/06,Tuesday,9:05 pm,good,,", "date: '05/06' is not valid; expected a day and a month name"),
        ("2018,5 June,Tuesday,25:05,good,,", "time: '25:05' is not valid"),
        ("2018,5 June,Tuesday,13:05 pm,good,,", "time: '13:05 pm' is not valid"),
        ("2018,5 Juin,Tuesday,9:05,good,,", "date: '5 Juin' is not valid"),
        ("2018,5 June,Tuesday,9:05,good,", "this row has 6 cells where the header has 7"),
    ],
)
def test_daylio_rows_that_cannot_be_read_unambiguously(run, tmp_path, row, message):
    path = tmp_path / "old.csv"
    path.write_text(f"year,date,weekday,time,mood,activities,note\n{row}\n")
    assert f"record 1 (line 2): {message}" in run("import", str(path), "--format", "daylio", code=1).stderr


def test_a_daylio_file_read_as_plain_csv_or_another_csv_read_as_daylio(run):
    assert "import it with --format daylio" in run("import", str(DATA / "daylio.csv"), code=1).stderr
    message = run("import", str(DATA / "spreadsheet.csv"), "--format", "daylio", code=1).stderr
    assert "This is not a Daylio CSV export" in message
