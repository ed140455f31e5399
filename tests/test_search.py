"""``paindiary search``: the FTS5 index (sqlite-utils), kept current, checked by doctor, safe on a terminal."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from paindiary import backups, db, search
from paindiary.cli.search import highlight
from paindiary.db import fulltext

HOSTILE = "long drive [red]x[/red] \x1b[2J made it worse"
DATA = Path(__file__).parent / "data"


@pytest.fixture
def filled(run) -> None:
    run("log", "5", "--at", "2026-03-01", "--note", HOSTILE, "--tag", "flare")
    run("log", "4", "--at", "2026-03-03T09:00:00", "--note", "Drive to the clinic", "--tag", "left knee")
    run("log", "3", "--at", "2026-03-05", "--note", "quiet day")
    run("treatment", "add", "--name", "ketamine infusion", "--at", "2026-03-02T09:00:00",
        "--note", "drive home by taxi", "--side-effect", "nausea:2")  # fmt: skip
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-03-04T08:00:00", "--note", "before the drive")


def found(run, *args: str) -> list[dict]:
    return run.json("search", *args)


def test_matches_every_field_newest_first(run, filled) -> None:
    hits = found(run, "drive")
    assert [(h["kind"], h["time"]) for h in hits] == [
        ("medications", "2026-03-04T08:00:00"),
        ("entries", "2026-03-03T09:00:00"),
        ("treatments", "2026-03-02T09:00:00"),
        ("entries", "2026-03-01"),
    ]
    assert hits[0] == {
        "kind": "medications", "id": 1, "time": "2026-03-04T08:00:00", "fields": ["note"],
        "matches": {"note": "before the drive"},
    }  # fmt: skip
    assert found(run, "knee")[0]["fields"] == ["tags"]
    assert found(run, "knee")[0]["matches"] == {"tags": ["left knee"]}
    assert [h["fields"] for h in found(run, "nausea")] == [["side_effects"]]
    assert [h["fields"] for h in found(run, "ketamine")] == [["name"]]
    assert [h["fields"] for h in found(run, "oxycodone")] == [["name"]]
    assert found(run, "quiet day")[0]["id"] == 3
    assert found(run, "nothinglikethis") == []


def test_kind_and_dates(run, filled) -> None:
    assert [h["kind"] for h in found(run, "drive", "--kind", "entries")] == ["entries", "entries"]
    assert [h["time"] for h in found(run, "drive", "--since", "2026-03-02", "--until", "2026-03-03")] == [
        "2026-03-03T09:00:00",
        "2026-03-02T09:00:00",
    ]
    assert run("search", "drive", "--kind", "nope", code=2).exit_code == 2


def test_terminal_output_is_safe_and_highlighted(run, filled) -> None:
    out = run("search", "drive").stdout
    assert "\x1b" not in out
    assert "[red]x[/red]" in out  # stored markup printed literally
    marked = highlight(HOSTILE, frozenset({"drive", "red"}))
    assert "\x1b" not in marked
    from rich.text import Text

    text = Text.from_markup(marked)
    assert text.plain == "long drive [red]x[/red]  made it worse"  # the whole text, made safe, none lost
    assert [text.plain[span.start : span.end] for span in text.spans] == ["drive", "red", "red"]
    assert all(span.style == "bold reverse" for span in text.spans)
    assert highlight("ends in \\", frozenset({"ends"})).endswith("\\\\")


def test_plain_words_are_safe_and_raw_syntax_errors_are_one_line(run, filled) -> None:
    assert found(run, "AND") == []
    assert found(run, '"drive') != []  # an unbalanced quote in plain mode is just text
    for query in ('"drive', "AND", "drive NOT"):
        result = run("search", query, "--raw", code=1)
        assert result.stderr.startswith("Error: Cannot read that search")
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert [h["kind"] for h in found(run, "ketamine OR oxycodone", "--raw")] == ["medications", "treatments"]
    assert run("search", " ", code=1).stderr.startswith("Error: Give the words")


def test_edit_delete_and_import_update_the_index(run, filled, tmp_path: Path) -> None:
    run("entry", "edit", "3", "--note", "a bumpy ride")
    assert found(run, "quiet") == []
    assert found(run, "bumpy")[0]["id"] == 3
    run("entry", "delete", "3", "--yes")
    assert found(run, "bumpy") == []
    csv = tmp_path / "in.csv"
    csv.write_text('recorded_at,pain,note,tags\n2026-04-01,4,gardening all morning,"garden,sun"\n')
    run("import", str(csv))
    assert [h["fields"] for h in found(run, "gardening")] == [["note"]]
    with db.open_db(db.default_path()) as diary:
        assert fulltext.problems(diary.conn) == []


@pytest.mark.parametrize("version", [1, 3, 4])
def test_a_migrated_diary_is_searchable(run, tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(DATA / f"schema-v{version}.db", path)
    path.chmod(0o600)
    hits = run.json("--db", str(path), "search", "flare")
    assert hits and all("flare" in str(h["matches"]).lower() for h in hits)
    assert run.json("--db", str(path), "doctor")["healthy"] is True
    assert db.SCHEMA_VERSION >= db.schema.FULLTEXT_SINCE > 3


def test_doctor_finds_a_broken_index_and_repair_rebuilds_it(run, filled, db_path: Path) -> None:
    assert run.json("doctor")["healthy"] is True
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM entries_fts WHERE rowid = 2")
    conn.commit()
    conn.close()
    report = run("doctor", "--json", code=1)
    assert '"search index"' in report.stdout and "out of step" in report.stdout
    assert backups.doctor(db_path).healthy is False
    assert backups.doctor(db_path, repair=True).healthy is True
    assert run.json("doctor")["healthy"] is True
    assert found(run, "clinic")[0]["id"] == 2


def test_repair_recreates_a_dropped_index(filled, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TABLE treatments_fts")
    conn.commit()
    conn.close()
    assert "no index for treatments" in str([c.detail for c in backups.doctor(db_path).checks])
    assert backups.doctor(db_path, repair=True).healthy
    with db.open_db(db_path) as diary:
        assert [m.kind for m in search.search(diary.conn, "nausea")] == ["treatments"]


def test_restore_brings_back_a_matching_index(run, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01", "--note", "alpha drive")
    run("backup", str(tmp_path / "b.db"))
    run("log", "4", "--at", "2026-03-02", "--note", "beta ride")
    run("restore", str(tmp_path / "b.db"), "--yes")
    assert [h["id"] for h in found(run, "alpha")] == [1] and found(run, "beta") == []
    run("log", "3", "--at", "2026-03-05", "--note", "gamma")
    assert [h["id"] for h in found(run, "gamma")] == [2]
    assert run.json("doctor")["healthy"] is True


def test_an_empty_diary_still_counts_as_empty(db_path: Path) -> None:
    with db.open_db(db_path) as diary:
        assert not db.has_rows(diary.conn)  # the index's own tables always hold a row or two
        assert fulltext.is_index_table("entries_fts_config") and not fulltext.is_index_table("entries")


def test_the_triggers_are_those_sqlite_utils_writes() -> None:
    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, note TEXT, tags TEXT)")
    Database(conn).table("entries").enable_fts(
        list(fulltext.INDEXED["entries"]), fts_version="FTS5", create_triggers=True
    )
    theirs = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'table')"))
    ours = fulltext.statements("entries")
    assert ours[1:] == [theirs["entries_ai"], theirs["entries_ad"], theirs["entries_au"]]
    assert ours[0] == theirs["entries_fts"].replace('content="entries"', 'content="entries",\n    columnsize=0')


def test_assessment_notes_are_searched(run, tmp_path: Path) -> None:
    csv = tmp_path / "assessments.csv"
    csv.write_text("recorded_at,instrument,pgic,note\n2026-03-06,pgic,5,the drive was easier\n")
    run("import", str(csv))
    assert [(h["kind"], h["fields"]) for h in found(run, "easier")] == [("assessments", ["note"])]
    assert found(run, "easier", "--kind", "treatments") == []


def triggers(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        conn.close()


def test_an_import_that_updates_stored_records_updates_the_index(run, filled, db_path: Path, tmp_path: Path) -> None:
    before = triggers(db_path)
    csv = tmp_path / "again.csv"
    # a new row written, then one stored already (its note changes): the new row moves to the staging
    # table (deleted from entries), then UPDATE ... FROM and INSERT ... SELECT
    csv.write_text("recorded_at,pain,note\n2026-04-02,2,swimming\n2026-03-05,3,a windy walk\n")
    run("import", str(csv), "--on-conflict", "update")
    assert found(run, "quiet") == []
    assert [h["id"] for h in found(run, "windy")] == [3]
    assert [h["time"] for h in found(run, "swimming")] == ["2026-04-02"]
    assert triggers(db_path) == before and len(before) == 3 * len(fulltext.INDEXED)
    with db.open_db(db_path) as diary:
        assert fulltext.problems(diary.conn) == []


def test_a_failed_or_dry_run_import_leaves_index_and_triggers_as_they_were(
    run, filled, db_path: Path, tmp_path: Path
) -> None:
    before = triggers(db_path)
    good = tmp_path / "good.csv"
    good.write_text("recorded_at,pain,note\n2026-04-01,4,gardening\n")
    run("import", str(good), "--dry-run")
    bad = tmp_path / "bad.csv"
    bad.write_text("recorded_at,pain,note\n2026-04-01,4,gardening\n2026-04-02,12,too much\n")
    assert run("import", str(bad), code=1).exit_code == 1
    assert found(run, "gardening") == [] and triggers(db_path) == before
    run("log", "2", "--at", "2026-04-03", "--note", "gardening again")  # the insert trigger is back
    assert [h["time"] for h in found(run, "gardening")] == ["2026-04-03"]
    with db.open_db(db_path) as diary:
        assert fulltext.problems(diary.conn) == []


def test_edits_and_deletes_of_treatments_and_doses_follow(run, filled) -> None:
    run("treatment", "edit", "1", "--note", "walked home")
    assert found(run, "taxi") == [] and [h["kind"] for h in found(run, "walked")] == ["treatments"]
    run("med", "edit", "1", "--note", "after lunch")
    assert [h["kind"] for h in found(run, "lunch")] == ["medications"]
    run("med", "delete", "1", "--yes")
    run("treatment", "delete", "1", "--yes")
    assert found(run, "lunch") == [] and found(run, "walked") == [] and found(run, "ketamine") == []


def test_rebuild_is_idempotent_and_mends_a_rebuilt_table(db_path: Path, run, filled) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    # as a migration that rebuilds a table does: copy, drop (its triggers go with it), rename
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()
    conn.execute(sql.replace("CREATE TABLE entries", "CREATE TABLE entries_new", 1))
    conn.execute("INSERT INTO entries_new SELECT * FROM entries")
    conn.execute("DROP TABLE entries")
    conn.execute("ALTER TABLE entries_new RENAME TO entries")
    assert "entries: triggers missing" in str(fulltext.problems(conn))
    fulltext.rebuild(conn)
    fulltext.rebuild(conn)
    assert fulltext.problems(conn) == []
    conn.execute("COMMIT")
    conn.close()
    assert [h["id"] for h in found(run, "clinic")] == [2]
    run("log", "1", "--at", "2026-03-09", "--note", "after the rebuild")
    assert [h["time"] for h in found(run, "rebuild")] == ["2026-03-09"]


def test_the_index_of_every_table_present_is_checked_when_one_is_missing() -> None:
    """A database without one indexed table (an older schema): the other tables' indexes are still checked."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, note TEXT, tags TEXT)")
    conn.execute("CREATE TABLE medications (id INTEGER PRIMARY KEY, name TEXT, note TEXT)")
    conn.execute("BEGIN")
    fulltext.rebuild(conn)
    assert fulltext.problems(conn) == []
    conn.execute("DROP TABLE medications_fts")
    assert fulltext.problems(conn) == ["no index for medications"]
    conn.execute("ROLLBACK")


def test_every_missing_index_and_trigger_is_named(db_path: Path) -> None:
    db.open_db(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP TABLE entries_fts")
    conn.execute("DROP TABLE medications_fts")
    conn.execute("DROP TRIGGER treatments_ai")
    conn.execute("DROP TRIGGER treatments_au")
    assert fulltext.problems(conn) == [
        "no index for entries",
        "treatments: triggers missing (treatments_ai, treatments_au)",
        "no index for medications",
    ]
    conn.close()


def test_a_read_only_diary_s_index_is_checked_as_far_as_sqlite_allows(db_path: Path, run, filled) -> None:
    """FTS5 cannot run its integrity-check read-only: that is not a problem of the index."""
    conn = db.connect_existing(db_path)
    assert fulltext.problems(conn) == []
    conn.close()
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("DROP TRIGGER entries_ad")
    writer.close()
    conn = db.connect_existing(db_path)
    assert fulltext.problems(conn) == ["entries: triggers missing (entries_ad)"]
    conn.close()


def test_a_bulk_import_outside_a_transaction_is_refused(db_path: Path) -> None:
    with db.open_db(db_path) as diary:
        with pytest.raises(RuntimeError) as caught, fulltext.bulk(diary.conn):
            pass
        assert str(caught.value) == "fulltext.bulk runs inside a transaction"
