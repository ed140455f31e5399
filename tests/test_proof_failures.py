"""A diary that cannot be written, and writes that fail part-way, leave the file unchanged.

Tests run as root in CI, so ``chmod`` proves nothing. Read-only: the diary is opened
through SQLite's read-only mode (what SQLite does for a file it may not write).
Disk full: the command runs in its own process with a file-size limit
(``RLIMIT_FSIZE``) just above the diary's size, so the write fails in the middle,
as on a full disk, and SQLite gets a real I/O error.
"""

from __future__ import annotations

import json
import resource
import sqlite3
from pathlib import Path

import pytest

from paindiary import db, diary, store
from paindiary.errors import DatabaseError


def sound(path: Path) -> list[str]:
    conn = db.connect_existing(path)
    try:
        return db.integrity_problems(conn)
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "diary.db")


# --- read-only --------------------------------------------------------------------------


def test_writing_through_a_read_only_connection_raises_a_clear_error(run, clock, db_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01")
    before = db_path.read_bytes()
    conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(DatabaseError, match="read-only; nothing was written"):
        diary.add(db.Diary(conn, db_path), store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-02", "pain": 4}))
    conn.close()
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["log", "6", "--at", "2026-03-02"],
        ["entry", "edit", "1", "--pain", "4"],
        ["entry", "delete", "1", "--yes"],
        ["med", "add", "ibuprofen", "400", "mg"],
        ["import", "new.csv"],
        ["restore", "copy.db", "--yes"],
    ],
    ids=lambda c: "-".join(c[:2]),
)
def test_a_read_only_diary_is_left_unchanged_with_a_clear_message(
    run, clock, db_path: Path, tmp_path: Path, monkeypatch, command: list[str]
) -> None:
    run("log", "5", "--at", "2026-03-01")
    run("backup", str(tmp_path / "copy.db"))
    run("log", "7", "--at", "2026-03-03")
    (tmp_path / "new.csv").write_text("recorded_at,pain\n2026-03-05,4\n")
    before = db_path.read_bytes()
    monkeypatch.setattr(db.connection, "connect", lambda path: db.connect_existing(path, readonly=True))
    result = run(*command, code=1)
    assert result.stderr.strip().splitlines() == [f"Error: The diary {db_path} is read-only; nothing was written."]
    assert db_path.read_bytes() == before
    assert leftovers(db_path.parent) == []


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a diary file, sorted (read through a read-only connection).

    (Sorted in Python: the search index's shadow tables include one WITHOUT ROWID.)
    """
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        conn.close()


def test_read_only_commands_still_work_on_a_read_only_diary(run, clock, db_path: Path, tmp_path: Path, monkeypatch):
    run("log", "5", "--at", "2026-03-01", "--note", "kept")
    run("treatment", "add", "--at", "2026-03-01 09:00", "--name", "nerve block")
    run("med", "add", "ibuprofen", "400", "mg", "--at", "2026-03-01 08:00")
    before = db_path.read_bytes()
    original = table_rows(db_path)
    monkeypatch.setattr(db.connection, "connect", lambda path: db.connect_existing(path, readonly=True))
    assert [e["pain"] for e in run.json("entry", "list")] == [5]
    assert run.json("info")["entries"]["count"] == 1
    run("export", "-o", str(tmp_path / "out.json"))
    exported = json.loads((tmp_path / "out.json").read_text())  # what it wrote is the whole diary
    assert [(e["recorded_at"], e["pain"], e["note"]) for e in exported["entries"]] == [("2026-03-01", 5, "kept")]
    assert [(t["started_at"], t["name"]) for t in exported["treatments"]] == [("2026-03-01T09:00:00", "nerve block")]
    assert [(m["name"], m["dose"], m["dose_unit"]) for m in exported["medications"]] == [("ibuprofen", 400, "mg")]
    run("backup", str(tmp_path / "copy.db"))
    copy = tmp_path / "copy.db"
    assert table_rows(copy) == original and original["entries"]  # the backup holds the very same rows
    assert sound(copy) == [] and db.is_paindiary(copy)
    assert run.json("--db", str(copy), "entry", "list") == run.json("entry", "list")  # and opens as a diary
    run("doctor")
    assert db_path.read_bytes() == before


# --- disk full --------------------------------------------------------------------------


def limited(spawn, limit: int):
    """Run paindiary in a process that cannot make any file larger than ``limit`` bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return lambda *args: spawn(*args, preexec_fn=cap)


@pytest.fixture
def big_diary(spawn, db_path: Path, tmp_path: Path) -> Path:
    """A diary of about 1 MB (long notes), made by an import."""
    rows = "\n".join(f"2025-{1 + i // 28:02d}-{1 + i % 28:02d},5,{'a long note ' * 250}" for i in range(300))
    (tmp_path / "base.csv").write_text("recorded_at,pain,note\n" + rows + "\n")
    result = spawn("import", str(tmp_path / "base.csv"))
    assert result.returncode == 0, result.stderr
    return db_path


@pytest.mark.slow
def test_a_log_that_does_not_fit_on_the_disk_leaves_the_diary_unchanged(spawn, big_diary: Path) -> None:
    before = big_diary.read_bytes()
    result = limited(spawn, len(before) + 8192)("log", "5", "--at", "2026-06-01", "--note", "x" * 100_000)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: Could not write to {big_diary} (")
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert big_diary.read_bytes() == before
    assert leftovers(big_diary.parent) == [] and sound(big_diary) == []


@pytest.mark.slow
def test_an_import_that_fails_part_way_leaves_the_diary_unchanged(spawn, big_diary: Path, tmp_path: Path) -> None:
    rows = "\n".join(f"2026-03-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d},{i % 11}" for i in range(20_000))
    (tmp_path / "more.csv").write_text("recorded_at,pain\n" + rows + "\n")
    before = big_diary.read_bytes()
    result = limited(spawn, len(before) + 64 * 1024)("import", str(tmp_path / "more.csv"))
    assert result.returncode == 1
    assert "Could not write" in result.stderr and "nothing was written" in result.stderr
    assert big_diary.read_bytes() == before
    assert leftovers(big_diary.parent) == [] and sound(big_diary) == []


@pytest.mark.slow
def test_a_backup_that_does_not_fit_leaves_no_partial_file(spawn, big_diary: Path, tmp_path: Path) -> None:
    before = big_diary.read_bytes()
    target = tmp_path / "backups" / "copy.db"
    result = limited(spawn, len(before) // 2)("backup", str(target))
    assert result.returncode == 1
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists() and list(target.parent.iterdir()) == []
    assert big_diary.read_bytes() == before and leftovers(big_diary.parent) == []


@pytest.mark.slow
def test_a_restore_that_does_not_fit_leaves_the_diary_unchanged(spawn, big_diary: Path, tmp_path: Path) -> None:
    assert spawn("backup", str(tmp_path / "big.db")).returncode == 0
    small = tmp_path / "small.db"
    assert spawn("--db", str(small), "log", "5").returncode == 0
    before = small.read_bytes()
    result = limited(spawn, len(before) + 8192)("--db", str(small), "restore", str(tmp_path / "big.db"), "--yes")
    assert result.returncode == 1
    assert "nothing was written" in result.stderr or "not changed" in result.stderr, result.stderr
    assert small.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".small", "small"))) == ["small.db"]
