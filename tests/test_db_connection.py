"""Connections to a diary file: where it lives, what an SQLite error tells the person, transactions.

Each SQLite failure becomes one sentence that says what to do next; these tests hold the
full sentences (issue 15: a message mutant that no test reads would survive).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paindiary import db
from paindiary.db import connection, opening
from paindiary.errors import DatabaseBusyError, DatabaseError

P = Path("/data/diary.db")

TRANSLATED = [
    ("database is locked", P, DatabaseBusyError,
     f"The diary {P} is in use by another program (waited 5 s); nothing was changed. Try again when it has finished."),
    ("database table is busy", None, DatabaseBusyError,
     "The diary is in use by another program (waited 5 s); nothing was changed. Try again when it has finished."),
    ("file is not a database", P, DatabaseError,
     f"{P} is not a readable paindiary database (file is not a database); run 'paindiary doctor'."),
    ("database disk image is malformed", None, DatabaseError,
     "the diary is not a readable paindiary database (database disk image is malformed); run 'paindiary doctor'."),
    ("attempt to write a readonly database", P, DatabaseError, f"The diary {P} is read-only; nothing was written."),
    ("the file is read-only", None, DatabaseError, "The diary is read-only; nothing was written."),
    ("database or disk is full", P, DatabaseError,
     f"Could not write to {P} (database or disk is full); nothing was written. Free some space and retry."),
    ("disk I/O error", None, DatabaseError,
     "Could not write to the diary (disk I/O error); nothing was written. Free some space and retry."),
    ("the output is full", P, DatabaseError,
     f"Could not write to {P} (the output is full); nothing was written. Free some space and retry."),
    ("unable to open database file", P, DatabaseError,
     f"Cannot open {P}; check that its folder exists and that you may write to it."),
    ("unable to open database file", None, DatabaseError,
     "Cannot open the diary; check that its folder exists and that you may write to it."),
    ("no such table: entries", P, DatabaseError, f"Database error on {P}: no such table: entries."),
    ("no such table: entries", "", DatabaseError, "Database error on the diary: no such table: entries."),
]  # fmt: skip


@pytest.mark.parametrize(("message", "path", "kind", "expected"), TRANSLATED)
def test_an_sqlite_error_becomes_a_sentence_that_says_what_to_do(
    message: str, path: Path | None, kind: type[DatabaseError], expected: str
) -> None:
    translated = db.translate(sqlite3.OperationalError(message), path)
    assert type(translated) is kind
    assert str(translated) == expected


def test_the_busy_message_gives_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.5)
    assert "(waited 0.5 s)" in str(db.translate(sqlite3.OperationalError("database is locked")))


# --- where the diary lives ----------------------------------------------------------------------


def test_the_diary_path_is_the_db_option_then_the_variable_then_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PAINDIARY_DB", "~/mine/diary.db")
    home = Path("~").expanduser()
    assert db.default_path() == home / "mine" / "diary.db"
    assert db.resolve_path(None) == home / "mine" / "diary.db"
    assert db.resolve_path("") == home / "mine" / "diary.db"
    assert db.resolve_path("~/other.db") == home / "other.db"
    assert db.resolve_path(tmp_path / "x.db") == tmp_path / "x.db"
    monkeypatch.setenv("PAINDIARY_DB", "")
    assert db.default_path().name == "diary.db" and db.default_path().parent.name == "paindiary"
    assert db.ENV_VAR == "PAINDIARY_DB"


# --- connecting --------------------------------------------------------------------------------


def test_a_connection_enforces_foreign_keys_overwrites_deleted_values_and_waits_when_busy(tmp_path: Path) -> None:
    for conn in (connection.connect(tmp_path / "a.db"), db.connect_existing(tmp_path / "a.db")):
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.isolation_level is None  # autocommit: changes only inside transaction()
        conn.close()


def test_connecting_to_an_unopenable_path_says_so(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "diary.db"
    with pytest.raises(DatabaseError) as caught:
        connection.connect(target)
    assert str(caught.value) == f"Cannot open {target}; check that its folder exists and that you may write to it."


def test_looking_at_an_existing_file_reads_only_and_never_creates_one(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(DatabaseError) as caught:
        db.connect_existing(missing)
    assert str(caught.value) == f"No database file at {missing}; check the name."
    assert not missing.exists()
    with pytest.raises(DatabaseError, match="No database file"):
        db.connect_existing(tmp_path)  # a folder is not a file
    path = tmp_path / "diary.db"
    db.open_db(path).close()
    before = path.read_bytes()
    conn = db.connect_existing(path)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 4)")
    conn.close()
    assert path.read_bytes() == before
    writable = db.connect_existing(path, readonly=False)
    writable.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 4)")
    writable.close()
    assert path.read_bytes() != before


def test_looking_at_a_file_that_cannot_be_opened_is_a_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "diary.db"
    path.write_bytes(b"")

    def refuse(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(connection.sqlite3, "connect", refuse)
    with pytest.raises(DatabaseError) as caught:
        db.connect_existing(path)
    assert str(caught.value) == f"Cannot open {path}; check that its folder exists and that you may write to it."


def test_the_schema_state_is_the_marker_the_version_and_whether_tables_exist(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    assert db.schema_state(conn) == (0, 0, False)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 7")
    conn.execute("PRAGMA application_id = 42")
    assert db.schema_state(conn) == (42, 7, True)
    conn.close()


# --- transactions -------------------------------------------------------------------------------


def test_a_transaction_commits_on_success_and_rolls_back_any_error(tmp_path: Path) -> None:
    path = tmp_path / "diary.db"
    with db.open_db(path) as diary:
        conn = diary.conn
        with connection.transaction(conn, path) as inside:
            assert inside is conn and conn.in_transaction
            conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 4)")
        assert not conn.in_transaction
        with pytest.raises(KeyError), connection.transaction(conn, path):
            conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-02', 5)")
            raise KeyError("not an sqlite error")
        assert not conn.in_transaction
        with pytest.raises(DatabaseError) as caught, connection.transaction(conn, path):
            conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-03', 6)")
            conn.execute("INSERT INTO nowhere VALUES (1)")
        assert str(caught.value) == f"Database error on {path}: no such table: nowhere."
        assert not conn.in_transaction
        assert conn.execute("SELECT recorded_at FROM entries").fetchall() == [("2026-03-01",)]


def test_a_transaction_that_cannot_start_or_commit_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "diary.db"
    db.open_db(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        with pytest.raises(DatabaseBusyError) as caught, connection.transaction(conn, path):
            pass
        assert str(caught.value).startswith(f"The diary {path} is in use by another program")
        assert not conn.in_transaction
    finally:
        other.execute("ROLLBACK")
        other.close()
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM entries").fetchone()  # a shared lock: COMMIT of a write waits on it
    try:
        with pytest.raises(DatabaseBusyError), connection.transaction(conn, path):
            conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 4)")
        assert not conn.in_transaction  # rolled back after the failed commit
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    conn.close()


# --- is it a diary -------------------------------------------------------------------------------


def test_a_file_is_a_diary_only_if_it_is_marked_as_one(tmp_path: Path) -> None:
    path = tmp_path / "diary.db"
    db.open_db(path).close()
    assert opening.is_paindiary(path) is True
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert db.is_paindiary(other) is False
    assert db.is_paindiary(tmp_path / "missing.db") is False
    assert db.is_paindiary(tmp_path) is False
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite" * 200)
    assert db.is_paindiary(junk) is False


class FailingRollback:
    """A connection whose statements fail, ROLLBACK too (a disk gone): only the first error matters."""

    in_transaction = False

    def execute(self, sql: str) -> None:
        if sql == "BEGIN IMMEDIATE":
            self.in_transaction = True
            return
        raise sqlite3.OperationalError(f"disk I/O error during {sql}")


def test_a_rollback_that_fails_does_not_hide_the_error_that_caused_it() -> None:
    conn = FailingRollback()
    with pytest.raises(DatabaseError) as caught, connection.transaction(conn, "diary.db"):  # type: ignore[arg-type]
        conn.execute("INSERT")
    assert str(caught.value) == (
        "Could not write to diary.db (disk I/O error during INSERT); nothing was written. Free some space and retry."
    )
    with pytest.raises(KeyError), connection.transaction(FailingRollback(), "diary.db"):  # type: ignore[arg-type]
        raise KeyError("the block's own error")


def test_every_connection_waits_as_long_as_the_busy_message_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.25)
    for conn in (connection.connect(tmp_path / "a.db"), db.connect_existing(tmp_path / "a.db")):
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 250
        conn.close()
