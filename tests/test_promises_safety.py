"""Promises of the diary's copies and safety commands that no test held (issue 15's mutation survivors).

Each test names the promise it holds and was seen to fail with the bug planted by hand: a copy
kept without its integrity check or without its row count, a restore that copied fewer rows than
its source, a damaged backup restored, a diary readable by its group not flagged by ``doctor``.
The damage used is one only SQLite's ``integrity_check`` sees (every row still reads), so
nothing else on the way can stand in for the check under test.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from paindiary import backups, db, files
from paindiary.db import copies
from paindiary.errors import DatabaseError
from tests.conftest import FIXED_NOW
from tests.diaries import stored


@pytest.fixture
def diary(run, clock, db_path: Path) -> Path:
    run("log", "5", "--at", "2026-03-01", "--note", "first")
    run("log", "6", "--at", "2026-03-02", "--note", "second")
    return db_path


def unindex_a_row(path: Path) -> None:
    """Damage ``integrity_check`` sees and a plain read does not: a row its index does not list
    (written while SQLite could not see the index); the layout is as before."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    index = conn.execute("SELECT * FROM sqlite_master WHERE name = 'measurements_by_metric'").fetchone()
    conn.execute("DELETE FROM sqlite_master WHERE name = 'measurements_by_metric'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)  # (the schema read again: without the index)
    conn.execute("INSERT INTO measurements (day, metric, value, source) VALUES ('2026-03-01', 'steps', 4000, 'test')")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", index)
    conn.commit()
    conn.close()
    check = db.connect_existing(path)
    assert "row 1 missing from index measurements_by_metric" in db.integrity_problems(check)
    check.close()


def lose_a_row(path: Path) -> None:
    """A copy that is sound but lacks one record (as a copy cut short would)."""
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM entries WHERE id = (SELECT min(id) FROM entries)")
    conn.commit()
    conn.close()


class _Damaging:
    """A connection that damages the copy ``VACUUM INTO`` writes, right after SQLite wrote it."""

    def __init__(self, conn: sqlite3.Connection, damage: Callable[[Path], None], when: Callable[[Path], bool]) -> None:
        self.conn, self.damage, self.when = conn, damage, when

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        cursor = self.conn.execute(sql, params)
        if sql.startswith("VACUUM INTO") and self.when(Path(params[0])):
            self.damage(Path(params[0]))
        return cursor

    def close(self) -> None:
        self.conn.close()


def damage_copies(
    monkeypatch: pytest.MonkeyPatch, damage: Callable[[Path], None], when: Callable[[Path], bool] = lambda p: True
) -> None:
    real = copies.connect_existing

    def connect(path: Path, *args: Any, **kwargs: Any) -> Any:
        return _Damaging(real(path, *args, **kwargs), damage, when)

    monkeypatch.setattr(copies, "connect_existing", connect)


def entry_notes(path: Path) -> list[str]:
    return stored(path, "note", order="id")


# --- copies: verified before they are kept ------------------------------------------------


def test_backup_copy_is_verified_before_it_is_kept(diary: Path, tmp_path: Path, monkeypatch) -> None:
    """A backup whose copy fails ``integrity_check`` is refused, and nothing is left in its place."""
    damage_copies(monkeypatch, unindex_a_row)
    target = tmp_path / "usb" / "backup.db"
    with pytest.raises(DatabaseError, match="failed its integrity check") as caught:
        backups.backup(diary, target, FIXED_NOW)
    assert "nothing was kept" in str(caught.value)
    assert not target.exists()
    assert files.temporaries(target.parent) == []


def test_upgrade_copy_is_verified_before_the_diary_is_upgraded(diary: Path, monkeypatch) -> None:
    """The copy saved before a schema upgrade is integrity-checked; a damaged one stops the upgrade."""
    conn = sqlite3.connect(diary)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION - 1}")  # one migration to go
    conn.commit()
    conn.close()
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS[:-1], lambda conn: None])
    damage_copies(monkeypatch, unindex_a_row)
    with pytest.raises(DatabaseError, match="failed its integrity check"):
        db.open_db(diary)
    check = sqlite3.connect(diary)
    assert check.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION - 1  # not upgraded
    check.close()
    assert sorted(p.name for p in diary.parent.iterdir()) == ["diary.db"]


def test_copy_that_lacks_a_row_is_not_kept(diary: Path, tmp_path: Path, monkeypatch) -> None:
    """A copy made with the rows it must hold (``expect``) is kept only if it holds every one of them."""
    conn = sqlite3.connect(diary)
    expect = db.count_rows(conn)
    conn.close()
    damage_copies(monkeypatch, lose_a_row)
    target = tmp_path / "copy.db"
    with pytest.raises(DatabaseError, match="does not hold every row; nothing was kept"):
        db.snapshot(diary, target, expect=expect)
    assert not target.exists()
    assert files.temporaries(tmp_path) == []


def test_restore_keeps_no_safety_copy_that_lacks_a_row_and_changes_nothing(
    run, diary: Path, tmp_path: Path, monkeypatch
) -> None:
    """The safety copy saved before a restore must hold every row of the diary, or nothing is restored."""
    source = tmp_path / "source.db"
    run("backup", str(source))
    run("log", "7", "--at", "2026-03-03", "--note", "third")
    damage_copies(monkeypatch, lose_a_row, when=lambda copy: "before-restore" in copy.name)
    result = run("restore", str(source), "--yes", code=1)
    assert "does not hold every row" in result.stderr
    assert entry_notes(diary) == ["first", "second", "third"]
    assert sorted(p.name for p in diary.parent.iterdir()) == ["diary.db"]


def test_restore_that_cannot_copy_every_row_changes_nothing(diary: Path, tmp_path: Path) -> None:
    """Restore compares the rows it copied with its source's; a shortfall undoes everything."""
    source = tmp_path / "source.db"
    backups.backup(diary, source, FIXED_NOW)
    keep = tmp_path / "kept.db"
    with db.open_db(diary) as handle:
        # a row lost on the way in (standing in for any fault between DELETE and INSERT)
        handle.conn.execute(
            "CREATE TEMP TRIGGER drop_one AFTER INSERT ON main.entries WHEN NEW.note = 'second' "
            "BEGIN DELETE FROM entries WHERE id = NEW.id; END"
        )
        with pytest.raises(DatabaseError, match=r"Not every row of .* could be copied; nothing was restored"):
            db.replace_contents(handle, source, keep)
    assert entry_notes(diary) == ["first", "second"]
    assert not keep.exists()


# --- restore checks its source ----------------------------------------------------------------


def test_restore_refuses_a_backup_that_fails_its_integrity_check(run, diary: Path, tmp_path: Path) -> None:
    """A backup SQLite calls damaged is refused even when every row still reads; the diary stays."""
    source = tmp_path / "source.db"
    run("backup", str(source))
    run("log", "7", "--at", "2026-03-03", "--note", "third")
    unindex_a_row(source)
    source_before = source.read_bytes()
    result = run("restore", str(source), "--yes", code=1)
    assert f"{source} is damaged" in result.stderr and "choose another backup" in result.stderr
    assert entry_notes(diary) == ["first", "second", "third"]
    assert source.read_bytes() == source_before
    with pytest.raises(DatabaseError, match="is damaged"):
        backups.check_diary_file(source)


# --- doctor: who else can read the diary ----------------------------------------------------


@pytest.mark.parametrize("mode", [0o640, 0o660, 0o604, 0o610])
def test_doctor_flags_a_diary_its_group_or_others_can_reach(run, diary: Path, mode: int) -> None:
    """Any permission bit for the group or others (0o077) makes ``doctor`` fail, with the chmod that fixes it."""
    os.chmod(diary, mode)
    result = run("doctor", "--json", code=1)
    report = json.loads(result.stdout)
    check = next(c for c in report["checks"] if c["name"] == "file permissions")
    assert report["healthy"] is False
    assert check["status"] == "error" and check["detail"].startswith(f"{mode:o}:")
    assert check["fix"] == f"chmod 600 {diary}"


def test_doctor_passes_a_diary_only_its_owner_can_reach(run, diary: Path) -> None:
    os.chmod(diary, 0o600)
    report = backups.doctor(diary)
    assert [c.status for c in report.checks if c.name == "file permissions"] == ["ok"]
