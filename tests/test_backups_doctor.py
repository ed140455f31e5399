"""The doctor's report, check by check: what it finds, how it says it, and what it tells you to do.

``backups.doctor`` is called directly (no CLI) and each check is compared whole (name,
status, sentence, fix): a diary that others can read is an error, a folder others can list
a warning, and every problem comes with its next step (issue 15: the mutation run showed
that tests reading only a status let a wrong sentence or a wrong bit mask through).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from paindiary import backups, db, models, store
from paindiary.backups import ERROR, OK, WARNING, Check
from paindiary.errors import DatabaseBusyError
from tests.diaries import locked

RESTORE_FIX = "paindiary restore BACKUP (your most recent backup), or 'paindiary backup' it as it is first"
DATA = Path(__file__).parent / "data"


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A private diary with one entry, in a private folder."""
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    path = folder / "diary.db"
    with db.open_db(path) as handle, handle.transaction():
        store.insert(handle.conn, store.ENTRIES, models.make_entry({"recorded_at": "2026-03-01", "pain": 4}))
    return path


def damage(path: Path, *statements: str) -> None:
    """Change the diary behind paindiary's back (as another program, or a hand, might)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def checks(path: Path, *, repair: bool = False) -> dict[str, Check]:
    return {check.name: check for check in backups.doctor(path, repair=repair).checks}


def test_a_healthy_diary_passes_every_check(diary: Path) -> None:
    report = backups.doctor(diary)
    assert report.healthy is True
    assert report.checks == [
        Check("file", OK, f"{diary} ({diary.stat().st_size} bytes)."),
        Check("file permissions", OK, "600: only you can read it."),
        Check("folder permissions", OK, f"{diary.parent} is 700."),
        Check("SQLite", OK, sqlite3.sqlite_version),
        Check("database", OK, "a paindiary diary."),
        Check("schema version", OK, f"{db.SCHEMA_VERSION} (current)."),
        Check("tables", OK, "1 entry, 0 treatments, 0 doses, 0 measurements, 0 assessments."),
        Check("integrity", OK, "integrity_check ok."),
        Check("foreign keys", OK, "foreign_key_check ok."),
        Check("keys", OK, "each kind's key index is in place."),
        Check("search index", OK, "agrees with the records."),
        Check("journal files", OK, "none left behind."),
        Check("temporary copies", OK, "none left behind."),
    ]


@pytest.mark.parametrize("bits", [0o640, 0o604, 0o620, 0o602, 0o660, 0o610, 0o601])
def test_a_diary_any_other_user_may_read_or_change_is_an_error(diary: Path, bits: int) -> None:
    os.chmod(diary, bits)
    report = backups.doctor(diary)
    assert report.healthy is False
    assert checks(diary)["file permissions"] == Check(
        "file permissions",
        ERROR,
        f"{oct(bits)[2:]}: other users on this computer can read or change the diary.",
        f"chmod 600 {diary}",
    )


@pytest.mark.parametrize("bits", [0o600, 0o400, 0o700])
def test_a_diary_only_its_owner_may_use_is_fine(diary: Path, bits: int) -> None:
    os.chmod(diary, bits)
    assert checks(diary)["file permissions"] == Check("file permissions", OK, f"{oct(bits)[2:]}: only you can read it.")


@pytest.mark.parametrize("bits", [0o750, 0o705, 0o710])
def test_a_folder_others_can_list_is_a_warning_with_its_fix(diary: Path, bits: int) -> None:
    os.chmod(diary.parent, bits)
    report = backups.doctor(diary)
    assert report.healthy is True  # a warning, not an error
    assert checks(diary)["folder permissions"] == Check(
        "folder permissions",
        WARNING,
        f"{diary.parent} is {oct(bits)[2:]}: others can see which files are in it.",
        f"chmod 700 {diary.parent}",
    )


def test_a_path_with_a_space_is_quoted_in_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "my diary"
    folder.mkdir(mode=0o755)
    path = folder / "pain diary.db"
    db.open_db(path).close()
    os.chmod(path, 0o644)
    found = checks(path)
    assert found["file permissions"].fix == f"chmod 600 '{path}'"
    assert found["folder permissions"].fix == f"chmod 700 '{folder}'"


def test_no_diary_or_a_folder_is_an_error_with_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    report = backups.doctor(missing)
    assert report.healthy is False and report.path == missing
    assert report.checks == [
        Check("file", ERROR, f"no diary at {missing}.", "`paindiary log` creates one, or choose your diary with --db.")
    ]
    assert not missing.exists()
    assert backups.doctor(tmp_path).checks == [
        Check("file", ERROR, f"{tmp_path} is not a file.", "Choose your diary file with --db.")
    ]


def test_an_sqlite_that_is_too_old_is_an_error(diary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups.sqlite3, "sqlite_version_info", (3, 36, 9))
    found = checks(diary)
    assert found["SQLite"] == Check(
        "SQLite", ERROR, f"{sqlite3.sqlite_version} is too old (3.37 or newer needed).", "Use a newer Python or SQLite."
    )
    monkeypatch.setattr(backups.sqlite3, "sqlite_version_info", (3, 37, 0))
    assert checks(diary)["SQLite"].status == OK


def test_a_file_that_is_not_a_diary_says_what_it_is(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 200)
    assert checks(junk)["database"] == Check(
        "database", ERROR, "not an SQLite database (file is not a database).", "Choose the right file with --db."
    )
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert checks(empty)["database"] == Check(
        "database", ERROR, "an empty file, not a diary yet.", "Choose your diary with --db."
    )
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    report = backups.doctor(foreign)
    assert report.healthy is False
    assert checks(foreign)["database"] == Check(
        "database", ERROR, "an SQLite database, but not a paindiary one.", "Choose your diary with --db."
    )
    assert "schema version" not in checks(foreign)  # stops at the first fatal problem


def test_a_newer_schema_is_an_error_and_an_older_one_a_warning(diary: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(diary)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.close()
    found = checks(diary)
    assert found["schema version"] == Check(
        "schema version",
        ERROR,
        f"{db.SCHEMA_VERSION + 1}, newer than this paindiary knows ({db.SCHEMA_VERSION}).",
        "Upgrade paindiary: python -m pip install --upgrade paindiary",
    )
    assert "tables" not in found
    old = tmp_path / "old.db"
    old.write_bytes((DATA / "schema-v1.db").read_bytes())
    old.chmod(0o600)
    report = backups.doctor(old)
    found = {check.name: check for check in report.checks}
    assert found["schema version"] == Check(
        "schema version",
        WARNING,
        f"1; paindiary upgrades it to {db.SCHEMA_VERSION} the next time it opens it (saving a copy first).",
    )
    assert "search index" not in found and "keys" not in found  # schema 1 has neither yet
    assert found["integrity"].status == OK and report.healthy is True


def test_a_missing_table_is_an_error_with_the_restore_fix(diary: Path) -> None:
    conn = sqlite3.connect(diary)
    for table in ("treatments", "medications"):
        conn.execute(f"DROP TABLE {table}_fts")
        conn.execute(f"DROP TABLE {table}")
    conn.close()
    report = backups.doctor(diary)
    assert report.healthy is False
    found = {check.name: check for check in report.checks}
    assert found["tables"] == Check("tables", ERROR, "missing: treatments, medications.", RESTORE_FIX)
    assert "search index" not in found


def test_a_diary_that_fails_while_being_read_is_reported_damaged(diary: Path) -> None:
    conn = sqlite3.connect(diary)
    conn.execute("DROP TABLE medications")  # its search index still names it: reading that fails
    conn.close()
    found = checks(diary)
    assert found["integrity"] == Check("integrity", ERROR, "damaged (no such table: main.medications).", RESTORE_FIX)


def test_a_damaged_diary_lists_the_first_three_problems(diary: Path) -> None:
    conn = sqlite3.connect(diary, isolation_level=None)
    for day in range(2, 6):
        conn.execute(
            "INSERT INTO measurements (day, metric, value, source) VALUES (?, 'steps', 100, 'w')", (f"2026-03-0{day}",)
        )
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, '(metric, day)', '(day, metric)')"
        " WHERE name = 'measurements_by_metric'"
    )
    conn.close()
    report = backups.doctor(diary)
    assert report.healthy is False
    found = {check.name: check for check in report.checks}
    assert found["integrity"] == Check(
        "integrity",
        ERROR,
        "damaged: row 1 missing from index measurements_by_metric; row 2 missing from index measurements_by_metric; "
        "row 3 missing from index measurements_by_metric.",
        RESTORE_FIX,
    )
    assert "search index" not in found  # not checked on a damaged file


def test_rows_pointing_at_missing_records_are_an_error(diary: Path) -> None:
    conn = sqlite3.connect(diary, isolation_level=None)
    conn.execute("CREATE TABLE links (entry INTEGER REFERENCES entries (id))")
    conn.execute("INSERT INTO links VALUES (1), (7), (8)")  # foreign keys are off here
    conn.close()
    assert checks(diary)["foreign keys"] == Check(
        "foreign keys", ERROR, "2 rows point at missing records.", RESTORE_FIX
    )


def test_a_search_index_out_of_step_is_an_error_and_repair_rebuilds_it(diary: Path) -> None:
    damage(diary, "DROP TRIGGER entries_ai", "DROP TABLE treatments_fts")
    report = backups.doctor(diary)
    assert report.healthy is False
    problems = "entries: triggers missing (entries_ai); no index for treatments"
    assert {c.name: c for c in report.checks}["search index"] == Check(
        "search index", ERROR, f"out of step: {problems}.", "paindiary doctor --repair"
    )
    assert checks(diary, repair=True)["search index"] == Check("search index", OK, f"rebuilt ({problems}).")
    assert checks(diary)["search index"] == Check("search index", OK, "agrees with the records.")


def test_a_missing_key_index_is_an_error_and_repair_makes_it_again(diary: Path) -> None:
    damage(diary, "DROP INDEX entries_key", "DROP INDEX measurements_key")
    report = backups.doctor(diary)
    assert report.healthy is False
    assert {c.name: c for c in report.checks}["keys"] == Check(
        "keys",
        ERROR,
        "missing: entries_key, measurements_key; a second record with the same key would be stored.",
        "paindiary doctor --repair",
    )
    assert checks(diary, repair=True)["keys"] == Check("keys", OK, "made again: entries_key, measurements_key.")
    assert checks(diary)["keys"] == Check("keys", OK, "each kind's key index is in place.")
    conn = sqlite3.connect(diary)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 1)")


def test_a_key_index_that_cannot_be_made_again_names_the_restore_fix(diary: Path) -> None:
    damage(
        diary,
        "DROP INDEX entries_key",
        "DROP INDEX treatments_key",
        "INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 1)",  # a second 2026-03-01
    )
    assert checks(diary, repair=True)["keys"] == Check(
        "keys", ERROR, "entries_key cannot be made again: a key is stored twice (made again: treatments_key).",
        RESTORE_FIX,
    )  # fmt: skip
    assert checks(diary)["keys"].detail.startswith("missing: entries_key;")


def test_a_locked_diary_is_a_busy_error_not_a_damaged_one(diary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db.connection, "BUSY_TIMEOUT_S", 0.05)
    with locked(diary), pytest.raises(DatabaseBusyError) as caught:
        backups.doctor(diary)
    assert str(caught.value).startswith(f"The diary {diary} is in use by another program")


def test_journal_files_beside_the_diary_are_reported(diary: Path) -> None:
    shm = Path(f"{diary}-shm")
    shm.write_bytes(b"x" * 100)
    journal = Path(f"{diary}-journal")
    journal.write_bytes(b"\0" * 512)  # a header never written: SQLite ignores it
    report = backups.doctor(diary)
    assert report.healthy is True  # a warning
    assert {c.name: c for c in report.checks}["journal files"] == Check(
        "journal files",
        WARNING,
        "diary.db-shm beside the diary: a write is in progress (or was interrupted).",
        "Make sure no paindiary command is running, then run 'paindiary doctor' again.",
    )
    shm.unlink()
    assert checks(diary)["journal files"] == Check(
        "journal files",
        WARNING,
        "diary.db-journal left by a write interrupted before it changed anything; "
        "harmless (SQLite ignores it; the next change removes it).",
    )
    journal.write_bytes(b"x" * 512)  # a journal SQLite reads (and, finding nothing to undo, removes)
    assert checks(diary)["journal files"] == Check(
        "journal files", WARNING, "an interrupted write was found and rolled back; nothing is left over."
    )
    assert not journal.exists()


def test_temporary_copies_are_reported_and_repair_removes_those_of_ended_processes(diary: Path) -> None:
    folder = diary.parent
    stale = folder / ".paindiary-tmp-999999999-diary-backup.db.abc.tmp"  # no process has that id
    stale.write_bytes(b"x" * 10)
    live = folder / f".paindiary-tmp-{os.getpid()}-diary.db.def.tmp"
    live.write_bytes(b"y" * 7)
    in_use = f"{live.name} (7 bytes) is in use by paindiary process pid {os.getpid()}"
    assert checks(diary)["temporary copies"] == Check(
        "temporary copies",
        WARNING,
        f"{stale.name} (10 bytes) left by an interrupted backup, restore or upgrade; they hold health data. {in_use}.",
        "paindiary doctor --repair",
    )
    assert stale.exists()
    assert checks(diary, repair=True)["temporary copies"] == Check(
        "temporary copies",
        OK,
        f"removed 1 left by an interrupted backup, restore or upgrade (10 bytes): {stale.name}. {in_use}.",
    )
    assert not stale.exists() and live.exists()
    assert checks(diary)["temporary copies"] == Check("temporary copies", OK, f"{in_use}.")
    live.unlink()
    stale.write_bytes(b"x" * 10)
    assert checks(diary, repair=True)["temporary copies"] == Check(
        "temporary copies",
        OK,
        f"removed 1 left by an interrupted backup, restore or upgrade (10 bytes): {stale.name}.",
    )
    stale.write_bytes(b"x" * 10)
    assert checks(diary)["temporary copies"].detail == (
        f"{stale.name} (10 bytes) left by an interrupted backup, restore or upgrade; they hold health data."
    )


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_wal_or_shm_file_is_never_called_harmless_whatever_it_holds(
    diary: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """Only a rollback journal whose header was never written is inert; -wal and -shm always mean a writer."""
    monkeypatch.setattr(backups.os, "access", lambda path, how: False)  # looked at read-only: nothing is removed
    Path(f"{diary}{suffix}").write_bytes(b"\0" * 512)
    assert checks(diary)["journal files"] == Check(
        "journal files",
        WARNING,
        f"diary.db{suffix} beside the diary: a write is in progress (or was interrupted).",
        "Make sure no paindiary command is running, then run 'paindiary doctor' again.",
    )


def test_an_empty_journal_is_harmless(diary: Path) -> None:
    Path(f"{diary}-journal").write_bytes(b"")
    assert checks(diary)["journal files"].detail == (
        "diary.db-journal left by a write interrupted before it changed anything; "
        "harmless (SQLite ignores it; the next change removes it)."
    )


def test_an_index_with_many_problems_shows_the_first_three(diary: Path) -> None:
    conn = sqlite3.connect(diary, isolation_level=None)
    for table in ("entries", "treatments", "medications", "assessments"):
        conn.execute(f"DROP TABLE {table}_fts")
    conn.close()
    shown = "no index for entries; no index for treatments; no index for medications"
    assert checks(diary)["search index"].detail == f"out of step: {shown}."
    assert checks(diary, repair=True)["search index"].detail == f"rebuilt ({shown})."
    assert checks(diary)["search index"].detail == "agrees with the records."


def test_a_busy_error_is_told_apart_from_damage() -> None:
    assert backups._busy(sqlite3.OperationalError("database is locked")) is True
    assert backups._busy(sqlite3.OperationalError("database table is busy")) is True
    assert backups._busy(sqlite3.DatabaseError("database disk image is malformed")) is False


def test_several_temporary_copies_are_listed_one_by_one(diary: Path) -> None:
    folder, me = diary.parent, os.getpid()
    made = {
        "old-a": folder / ".paindiary-tmp-999999998-a.tmp",
        "old-b": folder / ".paindiary-tmp-999999999-b.tmp",
        "mine-c": folder / f".paindiary-tmp-{me}-c.tmp",
        "mine-d": folder / f".paindiary-tmp-{me}-d.tmp",
    }
    for number, path in enumerate(made.values(), start=1):
        path.write_bytes(b"x" * number)
    in_use = (
        f"{made['mine-c'].name} (3 bytes) is in use by paindiary process pid {me}; "
        f"{made['mine-d'].name} (4 bytes) is in use by paindiary process pid {me}"
    )
    assert checks(diary)["temporary copies"].detail == (
        f"{made['old-a'].name} (1 bytes), {made['old-b'].name} (2 bytes) left by an interrupted backup, restore "
        f"or upgrade; they hold health data. {in_use}."
    )
    assert checks(diary, repair=True)["temporary copies"].detail == (
        "removed 2 left by an interrupted backup, restore or upgrade (3 bytes): "
        f"{made['old-a'].name}, {made['old-b'].name}. {in_use}."
    )


def test_a_diary_locked_while_it_is_being_checked_is_busy_not_damaged(
    diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(db, "count_rows", locked)
    with pytest.raises(DatabaseBusyError) as caught:
        backups.doctor(diary)
    assert str(caught.value).startswith(f"The diary {diary} is in use by another program")


def test_a_repair_while_another_program_writes_is_busy_and_names_the_diary(
    diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(diary, isolation_level=None)
    conn.execute("DROP TABLE treatments_fts")
    conn.close()
    monkeypatch.setattr(db.connection, "BUSY_TIMEOUT_S", 0.05)
    writer = sqlite3.connect(diary, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError) as caught:
            backups.doctor(diary, repair=True)
        assert str(caught.value).startswith(f"The diary {diary} is in use by another program")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_every_journal_of_a_write_in_progress_is_named(diary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups.os, "access", lambda path, how: False)  # looked at read-only: nothing is removed
    for suffix in ("-wal", "-shm"):
        Path(f"{diary}{suffix}").write_bytes(b"\0" * 512)
    assert checks(diary)["journal files"].detail == (
        "diary.db-wal, diary.db-shm beside the diary: a write is in progress (or was interrupted)."
    )
