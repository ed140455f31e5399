"""Copies of a diary hold what they promise: verified, private, never over a file, rows counted.

``db.snapshot`` (backups, safety copies, the copy before an upgrade) and
``db.replace_contents`` (restore) are the data-safety core: each check they make
is held here by a test that fails if the check is skipped (issue 15).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from paindiary import db
from paindiary.db import copies
from paindiary.errors import DatabaseBusyError, DatabaseError
from tests.diaries import make_diary, pains

STEPS = "INSERT INTO measurements (day, metric, value, source) VALUES ('2026-03-01', 'steps', 5, 'w')"


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def leftovers(folder: Path) -> list[str]:
    """Hidden files (paindiary's temporary copies) left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def counts_of(path: Path) -> dict[str, int]:
    conn = db.connect_existing(path)
    try:
        return db.count_rows(conn)
    finally:
        conn.close()


# --- snapshot: a verified private copy -------------------------------------------------------


def test_a_snapshot_is_a_private_complete_copy_and_leaves_no_temporary(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 3, 5, 7)
    dest = tmp_path / "copies" / "copy.db"
    assert db.snapshot(source, dest, expect=counts_of(source)) == dest
    assert pains(dest) == [3, 5, 7]
    assert mode(dest) == 0o600 and mode(dest.parent) == 0o700
    assert counts_of(dest) == counts_of(source)
    assert leftovers(dest.parent) == [] and sorted(p.name for p in dest.parent.iterdir()) == ["copy.db"]


def test_a_snapshot_that_does_not_hold_every_row_is_not_kept(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 3, 5)
    expect = {**counts_of(source), "entries": 3}  # the caller counted a row the copy does not hold
    dest = tmp_path / "copy.db"
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest, expect=expect)
    assert str(caught.value) == f"The copy written to {dest} does not hold every row; nothing was kept."
    assert not dest.exists() and leftovers(tmp_path) == []


def test_a_snapshot_checked_against_the_right_counts_is_kept(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 4)
    dest = db.snapshot(source, tmp_path / "copy.db", expect=counts_of(source))
    assert pains(dest) == [4]


def test_a_snapshot_that_fails_its_integrity_check_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_diary(tmp_path / "diary.db", 3)
    checked: list[str] = []

    def damaged(conn: sqlite3.Connection, schema: str = "main", limit: int = 20) -> list[str]:
        checked.append(conn.execute("PRAGMA database_list").fetchone()[2])
        return ["row 2 missing from index", "page 7: btree error"]

    monkeypatch.setattr(copies, "integrity_problems", damaged)
    dest = tmp_path / "copy.db"
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest)
    assert str(caught.value) == (
        f"The copy written to {dest} failed its integrity check (row 2 missing from index); nothing was kept."
    )
    assert len(checked) == 1  # the copy was checked, as a temporary beside its destination:
    copy = Path(checked[0])
    assert copy.parent == tmp_path and copy.name.startswith(f".paindiary-tmp-{os.getpid()}-copy.db.")
    assert copy.name.endswith(".tmp")
    assert not dest.exists() and leftovers(tmp_path) == []


def test_a_snapshot_whose_copy_cannot_be_read_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_diary(tmp_path / "diary.db", 3)

    def unreadable(conn: sqlite3.Connection, schema: str = "main", limit: int = 20) -> list[str]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(copies, "integrity_problems", unreadable)
    dest = tmp_path / "copy.db"
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest)
    assert str(caught.value) == (
        f"The copy written to {dest} failed its integrity check (database disk image is malformed); nothing was kept."
    )
    assert not dest.exists() and leftovers(tmp_path) == []


def test_a_snapshot_never_writes_over_a_file(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 3)
    dest = tmp_path / "taken.db"
    dest.write_bytes(b"precious")
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest)
    assert str(caught.value) == f"{dest} already exists; choose another name or remove it first."
    assert dest.read_bytes() == b"precious" and leftovers(tmp_path) == []


def test_a_snapshot_replaces_a_file_only_when_asked(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 3, 4)
    dest = tmp_path / "taken.db"
    dest.write_bytes(b"old")
    assert db.snapshot(source, dest, replace=True) == dest
    assert pains(dest) == [3, 4] and mode(dest) == 0o600
    assert leftovers(tmp_path) == []


def test_a_snapshot_whose_folder_cannot_be_made_says_nothing_was_written(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 3)
    (tmp_path / "file").write_text("not a folder")
    dest = tmp_path / "file" / "copy.db"
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest)
    assert str(caught.value) == f"Cannot write a copy to {dest}: Not a directory; nothing was written."


def test_a_snapshot_that_cannot_be_put_in_place_says_nothing_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_diary(tmp_path / "diary.db", 3)

    def no_link(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(copies.os, "link", no_link)
    dest = tmp_path / "copy.db"
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest)
    assert str(caught.value) == f"Cannot write a copy to {dest}: Permission denied; nothing was written."
    assert not dest.exists() and leftovers(tmp_path) == []


def test_a_snapshot_of_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "junk.db"
    source.write_bytes(b"this is not sqlite at all" * 200)
    dest = tmp_path / "copy.db"
    with pytest.raises(DatabaseError) as caught:
        db.snapshot(source, dest)
    assert str(caught.value) == (
        f"{source} is not a readable paindiary database (file is not a database); run 'paindiary doctor'."
    )
    assert not dest.exists() and leftovers(tmp_path) == []


def test_a_snapshot_of_a_diary_another_program_is_writing_is_the_committed_state(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "diary.db", 3)
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-09', 9)")
    try:
        db.snapshot(source, tmp_path / "copy.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert pains(tmp_path / "copy.db") == [3]


def test_a_snapshot_error_other_than_a_damaged_or_busy_file_names_both_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, dest = tmp_path / "diary.db", tmp_path / "copy.db"
    error = sqlite3.OperationalError("output file already exists")
    assert str(copies._copy_error(error, source, dest)) == (
        f"Could not write a copy of {source} to {dest} (output file already exists); nothing was written."
    )
    for message in ("database is locked", "database is busy"):
        assert isinstance(copies._copy_error(sqlite3.OperationalError(message), source, dest), DatabaseBusyError)
    for message in ("file is not a database", "database disk image is malformed"):
        translated = copies._copy_error(sqlite3.DatabaseError(message), source, dest)
        assert str(translated) == f"{source} is not a readable paindiary database ({message}); run 'paindiary doctor'."


# --- what a database holds --------------------------------------------------------------------


def test_rows_are_counted_per_table_by_name(tmp_path: Path) -> None:
    path = make_diary(tmp_path / "diary.db", 3, 5)
    with db.open_db(path) as diary:
        counts = db.count_rows(diary.conn)
    assert list(counts) == sorted(counts)
    assert {name: counts[name] for name in (*db.TABLES, *db.LATER_TABLES)} == {
        "entries": 2, "treatments": 0, "medications": 0, "measurements": 0, "assessments": 0,
    }  # fmt: skip
    assert "entries_fts" in counts and not any(name.startswith("sqlite_") for name in counts)


def test_a_diary_holds_rows_when_any_table_does_and_the_search_index_does_not_count(tmp_path: Path) -> None:
    with db.open_db(tmp_path / "empty.db") as diary:
        assert db.has_rows(diary.conn) is False
        assert db.count_rows(diary.conn)["entries_fts_data"] > 0  # the index's own tables are never empty
        with diary.transaction():
            diary.conn.execute(STEPS)
        assert db.has_rows(diary.conn) is True


def test_integrity_problems_are_listed_and_a_sound_file_has_none(tmp_path: Path) -> None:
    path = tmp_path / "diary.db"
    with db.open_db(path) as diary:
        with diary.transaction():
            for day in range(1, 26):
                diary.conn.execute(
                    "INSERT INTO measurements (day, metric, value, source) VALUES (?, 'steps', ?, 'watch')",
                    (f"2026-03-{day:02d}", day * 1000),
                )
        assert db.integrity_problems(diary.conn) == []
        diary.conn.execute("PRAGMA writable_schema = ON")  # the index now says it holds other columns
        diary.conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(metric, day)', '(day, metric)')"
            " WHERE name = 'measurements_by_metric'"
        )
    conn = db.connect_existing(path)
    try:
        problems = db.integrity_problems(conn)
        assert problems[:2] == [
            "row 1 missing from index measurements_by_metric",
            "row 2 missing from index measurements_by_metric",
        ]
        assert len(problems) == 20  # at most 20 by default
        assert db.integrity_problems(conn, limit=1) == problems[:1]
    finally:
        conn.close()


def test_a_free_name_is_the_plain_name_or_the_next_number(tmp_path: Path) -> None:
    assert db.free_name(tmp_path, "copy") == tmp_path / "copy.db"
    (tmp_path / "copy.db").touch()
    assert db.free_name(tmp_path, "copy") == tmp_path / "copy-2.db"
    (tmp_path / "copy-2.db").touch()
    assert db.free_name(tmp_path, "copy") == tmp_path / "copy-3.db"
    assert db.free_name(tmp_path, "copy", ".json") == tmp_path / "copy.json"


# --- replace_contents: restore in one transaction ----------------------------------------------


def test_replacing_contents_keeps_a_verified_copy_of_the_diary_first(tmp_path: Path) -> None:
    path = make_diary(tmp_path / "diary.db", 3, 5)
    incoming = make_diary(tmp_path / "backup.db", 8, 9, 10)
    keep = tmp_path / "kept.db"
    with db.open_db(path) as diary:
        assert db.replace_contents(diary, incoming, keep) == keep
        assert [row[0] for row in diary.conn.execute("SELECT pain FROM entries ORDER BY id")] == [8, 9, 10]
        assert diary.conn.execute("SELECT name FROM pragma_database_list").fetchall() == [("main",)]  # detached
        assert db.integrity_problems(diary.conn) == []
        search = diary.conn.execute("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'x'").fetchone()[0]
        assert search == 0
    assert pains(keep) == [3, 5] and mode(keep) == 0o600
    assert pains(incoming) == [8, 9, 10]


def test_replacing_an_empty_diary_keeps_no_copy(tmp_path: Path) -> None:
    path = make_diary(tmp_path / "diary.db")
    incoming = make_diary(tmp_path / "backup.db", 8)
    keep = tmp_path / "kept.db"
    with db.open_db(path) as diary:
        assert db.replace_contents(diary, incoming, keep) is None
    assert pains(path) == [8] and not keep.exists()


def test_replacing_with_a_file_of_another_layout_restores_nothing(tmp_path: Path) -> None:
    path = make_diary(tmp_path / "diary.db", 3)
    incoming = make_diary(tmp_path / "backup.db", 8)
    conn = sqlite3.connect(incoming)
    conn.execute("CREATE TABLE extra (x)")
    conn.close()
    keep = tmp_path / "kept.db"
    with db.open_db(path) as diary:
        with pytest.raises(DatabaseError) as caught:
            db.replace_contents(diary, incoming, keep)
        assert str(caught.value) == f"{incoming} does not have the diary's layout; nothing was restored."
        assert diary.conn.execute("SELECT name FROM pragma_database_list").fetchall() == [("main",)]
    assert pains(path) == [3] and not keep.exists()


def test_replacing_checks_every_row_arrived_and_restores_nothing_if_not(tmp_path: Path) -> None:
    """A trigger (in both files, so the layouts agree) swallows the rows copied into one table."""
    swallow = (
        "CREATE TRIGGER swallow AFTER INSERT ON measurements BEGIN DELETE FROM measurements WHERE id = new.id; END"
    )
    path = make_diary(tmp_path / "diary.db", 3)
    incoming = make_diary(tmp_path / "backup.db", 8)
    with db.open_db(incoming) as other, other.transaction():
        other.conn.execute("DROP TRIGGER IF EXISTS swallow")
        other.conn.execute(STEPS)
        other.conn.execute(swallow)
    with db.open_db(path) as diary:
        with diary.transaction():
            diary.conn.execute(swallow)
        keep = tmp_path / "kept.db"
        with pytest.raises(DatabaseError) as caught:
            db.replace_contents(diary, incoming, keep)
        assert str(caught.value) == f"Not every row of {incoming} could be copied; nothing was restored."
        assert diary.conn.execute("SELECT name FROM pragma_database_list").fetchall() == [("main",)]
    assert pains(path) == [3]
    assert not keep.exists() and leftovers(tmp_path) == []  # the diary was not replaced: no copy kept


def test_the_copy_kept_before_replacing_is_checked_against_the_diary_s_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_diary(tmp_path / "diary.db", 3, 5)
    incoming = make_diary(tmp_path / "backup.db", 8)
    expected = counts_of(path)
    checked: list[object] = []
    real = copies.snapshot

    def spy(source: Path, dest: Path, **options: object) -> Path:
        checked.append(options.get("expect"))
        return real(source, dest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(copies, "snapshot", spy)
    with db.open_db(path) as diary:
        db.replace_contents(diary, incoming, tmp_path / "kept.db")
    assert checked == [expected]  # verified against every table's rows, not just written


def test_replacing_ignores_sqlite_s_own_tables(tmp_path: Path) -> None:
    """A diary someone ran ``ANALYZE`` on has ``sqlite_stat1``; SQLite's tables are not records to copy."""
    path = make_diary(tmp_path / "diary.db", 3)
    incoming = make_diary(tmp_path / "backup.db", 8)
    with db.open_db(path) as diary:
        diary.conn.execute("ANALYZE")
        assert diary.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0]
        db.replace_contents(diary, incoming, tmp_path / "kept.db")
    assert pains(path) == [8]


def _m006_reminders(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE reminders (id INTEGER PRIMARY KEY, at TEXT NOT NULL) STRICT")


def test_replacing_copies_tables_added_after_the_search_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later migration's table comes after the index's tables in the schema: its rows are restored too."""
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS, _m006_reminders])
    monkeypatch.setattr(db.schema, "SCHEMA_VERSION", len(db.schema.MIGRATIONS))
    path = make_diary(tmp_path / "diary.db", 3)
    incoming = make_diary(tmp_path / "backup.db", 8)
    with db.open_db(incoming) as other, other.transaction():
        other.conn.execute("INSERT INTO reminders (at) VALUES ('09:00'), ('21:00')")
    with db.open_db(path) as diary:
        db.replace_contents(diary, incoming, tmp_path / "kept.db")
        assert diary.conn.execute("SELECT at FROM reminders ORDER BY id").fetchall() == [("09:00",), ("21:00",)]
    assert pains(path) == [8]


def test_a_file_system_that_cannot_sync_a_folder_still_gets_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_diary(tmp_path / "diary.db", 3)
    real_fsync = os.fsync
    refused: list[int] = []

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            refused.append(fd)
            raise OSError(22, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(copies.os, "fsync", fsync)
    dest = db.snapshot(source, tmp_path / "copy.db")
    assert refused and pains(dest) == [3] and leftovers(tmp_path) == []
