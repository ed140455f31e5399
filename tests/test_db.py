"""The database file: privacy, schema versions, constraints, transactions, concurrency."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from paindiary import db, models, store
from paindiary.errors import ConflictError, DatabaseError, SchemaTooNewError
from tests.conftest import Run

pytestmark = pytest.mark.real_migrations  # new diaries here run every migration (see conftest.py)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_file_0600_and_created_folders_0700_whatever_the_umask(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "diary.db"
    old = os.umask(0)
    try:
        run("log", "5", "--db", str(target))
    finally:
        os.umask(old)
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700 and _mode(target.parent.parent) == 0o700


def test_default_path_uses_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PAINDIARY_DB")
    path = db.default_path()
    assert path.name == "diary.db" and "paindiary" in path.parts
    assert str(path).startswith(str(tmp_path))  # HOME/XDG point into the test folder


def test_fresh_schema_is_current_and_marked(db_path: Path) -> None:
    conn = db.open_db(db_path).conn
    app_id, version, _ = db.schema_state(conn)
    assert app_id == db.APPLICATION_ID and version == db.SCHEMA_VERSION
    strict = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE '%STRICT%'").fetchall()
    assert sorted(name for (name,) in strict) == sorted((*db.TABLES, *db.LATER_TABLES))


def test_newer_schema_is_refused_untouched(db_path: Path, run: Run) -> None:
    conn = db.open_db(db_path).conn
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer paindiary"):
        db.open_db(db_path)
    result = run("log", "5", code=1)
    assert "newer paindiary" in result.stderr and "upgrade paindiary" in result.stderr
    assert db_path.read_bytes() == before


def test_foreign_database_is_refused(tmp_path: Path, run: Run) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    assert "not a paindiary database" in run("log", "5", "--db", str(other), code=1).stderr
    assert other.read_bytes() == before


def test_garbage_file_is_a_clear_error(tmp_path: Path, run: Run) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    result = run("entry", "list", "--db", str(junk), code=1)
    assert "not a readable paindiary database" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_is_not_a_diary(tmp_path: Path, run: Run) -> None:
    assert "is a folder" in run("log", "5", "--db", str(tmp_path), code=1).stderr


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 11)",
        "INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 'high')",
        "INSERT INTO entries (recorded_at, sleep_hours) VALUES ('2026-03-01', 25)",
        "INSERT INTO entries (recorded_at, tags) VALUES ('2026-03-01', '[]')",
        "INSERT INTO entries (recorded_at, pain, least_pain) VALUES ('2026-03-01', 3, 4)",
        "INSERT INTO treatments (started_at, name, heart_rate_before) VALUES ('2026-03-01T09:00:00', 'k', 300)",
        "INSERT INTO treatments (started_at, name) VALUES ('2026-03-01', 'k')",
        "INSERT INTO medications (taken_at, name, dose, dose_unit) VALUES ('2026-03-01', 'x', 0, 'mg')",
    ],
)
def test_check_constraints_are_the_last_line_of_defence(db_path: Path, sql: str) -> None:
    conn = db.open_db(db_path).conn
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(sql)


def test_failed_transaction_leaves_the_file_as_before(db_path: Path) -> None:
    diary = db.open_db(db_path)
    conn = diary.conn
    with diary.transaction():
        store.insert(conn, store.ENTRIES, models.make_entry({"recorded_at": "2026-03-01", "pain": 4}))
    before = db_path.read_bytes()
    with pytest.raises(ConflictError), diary.transaction():
        store.insert(conn, store.ENTRIES, models.make_entry({"recorded_at": "2026-03-02", "pain": 5}))
        store.insert(conn, store.ENTRIES, models.make_entry({"recorded_at": "2026-03-01", "pain": 6}))
    assert db_path.read_bytes() == before
    assert [e.recorded_at for e in store.select(conn, store.ENTRIES)] == ["2026-03-01"]


def _open_and_count(path: str) -> int:
    conn = db.open_db(Path(path)).conn
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_many_processes_creating_a_fresh_diary_at_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "diary.db"
    with ProcessPoolExecutor(max_workers=6) as pool:
        versions = list(pool.map(_open_and_count, [str(path)] * 12))
    assert versions == [db.SCHEMA_VERSION] * 12
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_open_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="No diary at"):
        db.open_db(tmp_path / "missing.db", create=False)


@pytest.mark.slow
def test_installed_script_runs_in_a_real_process(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "paindiary"
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "paindiary"]
    env = {**os.environ, "PAINDIARY_DB": str(tmp_path / "real.db")}
    logged = subprocess.run([*argv, "log", "4", "--at", "2026-03-01", "--mood", "6"], env=env, capture_output=True)
    assert logged.returncode == 0, logged.stderr
    listed = subprocess.run([*argv, "entry", "list", "--json"], env=env, capture_output=True, text=True)
    assert '"mood": 6.0' in listed.stdout
    bad = subprocess.run([*argv, "log", "42"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: pain: '42'") and "Traceback" not in bad.stderr
    # (what start-up imports: tests/test_lean_imports.py)


# --- opening: what a path may be (issue 15: each refusal's full sentence) ------------------------


def test_an_empty_file_becomes_a_private_diary(tmp_path: Path) -> None:
    path = tmp_path / "diary.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    with db.open_db(path) as diary:
        assert db.schema_state(diary.conn)[:2] == (db.APPLICATION_ID, db.SCHEMA_VERSION)
    assert _mode(path) == 0o600


def test_opening_without_create_names_the_missing_diary_and_creates_nothing(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.db", tmp_path / "empty.db"):
        if path.name == "empty.db":
            path.write_bytes(b"")
        with pytest.raises(DatabaseError) as caught:
            db.open_db(path, create=False)
        assert str(caught.value) == f"No diary at {path}; `paindiary log` creates one."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    assert (tmp_path / "empty.db").read_bytes() == b""


def test_a_folder_or_a_pipe_is_refused_with_what_to_give_instead(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        db.open_db(tmp_path)
    assert str(caught.value) == f"{tmp_path} is a folder, not a diary file; give a file path with --db."
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    with pytest.raises(DatabaseError) as caught:
        db.open_db(pipe)
    assert str(caught.value) == (
        f"{pipe} is not a regular file (a device, a pipe or a socket); give a diary file with --db."
    )


def test_a_diary_that_cannot_be_created_says_where_to_choose_instead(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    path = tmp_path / "file" / "diary.db"
    with pytest.raises(DatabaseError) as caught:
        db.open_db(path)
    assert str(caught.value) == f"Cannot create the diary {path}: Not a directory; choose another place with --db."


def test_opening_removes_temporary_copies_left_by_a_killed_process(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"  # not the working folder: the diary's own folder is cleaned
    folder.mkdir()
    path = folder / "diary.db"
    db.open_db(path).close()
    stale = folder / ".paindiary-tmp-999999999-diary.db.x.tmp"  # no process has that id
    stale.write_bytes(b"half a copy")
    own = folder / f".paindiary-tmp-{os.getpid()}-diary.db.y.tmp"  # this process still runs
    own.write_bytes(b"in progress")
    db.open_db(path).close()
    assert not stale.exists() and own.exists()


def test_a_failure_while_migrating_closes_the_diary_and_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "diary.db"
    opened: list[sqlite3.Connection] = []
    real_connect = db.connection.connect

    def spy(target: Path) -> sqlite3.Connection:
        opened.append(real_connect(target))
        return opened[-1]

    def locked(diary: db.Diary, **options: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    def interrupted(diary: db.Diary, **options: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(db.connection, "connect", spy)
    monkeypatch.setattr(db.schema, "migrate", locked)
    with pytest.raises(DatabaseError) as caught:
        db.open_db(path)
    assert str(caught.value).startswith(f"The diary {path} is in use by another program")
    monkeypatch.setattr(db.schema, "migrate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        db.open_db(path)
    assert len(opened) == 2
    for conn in opened:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.execute("SELECT 1")


def test_opening_passes_the_backup_choice_and_the_listener_to_the_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []
    real = db.schema.migrate

    def spy(diary: db.Diary, **options: object) -> None:
        seen.append(options)
        real(diary, **options)  # type: ignore[arg-type]

    def listener(copy: Path) -> None:
        pass

    monkeypatch.setattr(db.schema, "migrate", spy)
    db.open_db(tmp_path / "a.db").close()
    db.open_db(tmp_path / "b.db", backup=False, on_backup=listener).close()
    assert seen == [{"backup": True, "on_backup": None}, {"backup": False, "on_backup": listener}]
