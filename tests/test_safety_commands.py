"""paindiary backup, restore and doctor: what they write, what they refuse, what they report."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from paindiary import db

STAMP = "20260315-103045"  # the `clock` fixture's now


def entries(run, *args: str) -> list[dict]:
    return run.json(*args, "entry", "list")


def times(run, *args: str) -> list[str]:
    return [entry["recorded_at"] for entry in entries(run, *args)]


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def diary(run, clock, db_path: Path) -> Path:
    run("log", "5", "--at", "2026-03-01", "--note", "first")
    run("log", "6", "--at", "2026-03-02")
    return db_path


def corrupt_entries_table(path: Path) -> None:
    """Overwrite the entries table's root page header with garbage."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\x07" * 64)


def make_foreign_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.execute("INSERT INTO notes VALUES ('hello')")
    conn.commit()
    conn.close()


# --- backup ---------------------------------------------------------------------------


def test_backup_writes_a_dated_private_copy_beside_the_diary(run, diary: Path) -> None:
    result = run("backup")
    copy = diary.parent / f"diary-backup-{STAMP}.db"
    assert result.stdout.strip() == str(copy)
    assert "2 entries" in result.stderr
    assert mode(copy) == 0o600
    assert entries(run, "--db", str(copy)) == entries(run)
    assert not list(diary.parent.glob(".*"))  # no temporary file left


def test_backup_into_a_folder_or_to_a_file(run, diary: Path, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    run("backup", str(folder))
    assert times(run, "--db", str(folder / f"diary-backup-{STAMP}.db")) == times(run)
    target = tmp_path / "new" / "place" / "mine.db"
    run("backup", str(target))
    assert times(run, "--db", str(target)) == times(run)
    assert mode(target.parent) == 0o700


def test_backup_never_overwrites_a_file(run, diary: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken.db"
    target.write_bytes(b"precious")
    result = run("backup", str(target), code=1)
    assert "already exists" in result.stderr
    assert target.read_bytes() == b"precious"
    assert "diary itself" in run("backup", str(diary), code=1).stderr


def test_backup_without_a_diary_says_so(run, tmp_path: Path) -> None:
    assert "No diary" in run("backup", code=1).stderr
    assert not list(tmp_path.rglob("*.db"))


def test_backup_is_the_committed_state_while_another_program_writes(run, diary: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(diary, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-03', 9)")
    try:
        run("backup", str(tmp_path / "copy.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert times(run, "--db", str(tmp_path / "copy.db")) == ["2026-03-01", "2026-03-02"]


# --- restore --------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_current_diary(run, diary: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    run("backup", str(copy))
    run("entry", "delete", "1", "--yes")
    run("log", "7", "--at", "2026-03-03")
    result = run("restore", str(copy), "--yes")
    assert times(run) == ["2026-03-01", "2026-03-02"]
    assert entries(run)[0]["note"] == "first" and entries(run)[0]["id"] == 1
    kept = diary.parent / f"diary-before-restore-{STAMP}.db"
    assert str(kept) in result.stderr
    assert times(run, "--db", str(kept)) == ["2026-03-02", "2026-03-03"]
    assert mode(kept) == 0o600 and mode(diary) == 0o600
    assert copy.exists()  # the backup itself is only read
    assert not [p for p in diary.parent.iterdir() if p.name.startswith(".")]


def test_restore_is_seen_by_a_program_that_has_the_diary_open(run, diary: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    run("backup", str(copy))
    reader = db.open_db(diary).conn
    run("log", "7", "--at", "2026-03-03")
    assert reader.execute("SELECT count(*) FROM entries").fetchone()[0] == 3
    run("restore", str(copy), "--yes")
    assert reader.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
    reader.close()


def test_restore_asks_first(run, diary: Path, tmp_path: Path, interactive) -> None:
    copy = tmp_path / "copy.db"
    run("backup", str(copy))
    run("log", "7", "--at", "2026-03-03")
    assert "Nothing restored" in run("restore", str(copy), input="n\n", code=1).stderr
    assert len(times(run)) == 3
    run("restore", str(copy), input="y\n")
    assert len(times(run)) == 2


def test_restore_needs_yes_without_a_terminal(run, diary: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    run("backup", str(copy))
    before = diary.read_bytes()
    assert "--yes" in run("restore", str(copy), code=2).stderr
    assert diary.read_bytes() == before


def test_restore_creates_a_missing_diary(run, diary: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    run("backup", str(copy))
    other = tmp_path / "elsewhere" / "new.db"
    run("--db", str(other), "restore", str(copy))
    assert times(run, "--db", str(other)) == times(run)
    assert mode(other) == 0o600 and mode(other.parent) == 0o700


@pytest.mark.parametrize("problem", ["not sqlite", "foreign", "damaged", "newer", "missing", "itself"])
def test_restore_refuses_a_bad_source_and_changes_nothing(
    run, diary: Path, tmp_path: Path, problem: str, capsys
) -> None:
    source = tmp_path / "source.db"
    if problem == "not sqlite":
        source.write_text("recorded_at,pain\n2026-03-01,5\n")
    elif problem == "foreign":
        make_foreign_db(source)
    elif problem == "damaged":
        run("backup", str(source))
        corrupt_entries_table(source)
    elif problem == "newer":
        run("backup", str(source))
        conn = sqlite3.connect(source)
        conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
        conn.close()
    elif problem == "itself":
        source = diary
    before = diary.read_bytes()
    source_before = source.read_bytes() if source.exists() else None
    result = run("restore", str(source), "--yes", code=1)
    message = result.stderr.strip()
    assert message.startswith("Error: ") and "Traceback" not in message and len(message.splitlines()) == 1
    assert diary.read_bytes() == before
    assert (source.read_bytes() if source.exists() else None) == source_before
    assert sorted(p.name for p in diary.parent.iterdir()) == ["diary.db"]


# --- doctor ---------------------------------------------------------------------------


def doctor(run, *args: str, code: int = 0) -> dict:
    report = json.loads(run(*args, "doctor", "--json", code=code).stdout)
    assert report["healthy"] is (code == 0)
    return report


def statuses(report: dict) -> dict[str, str]:
    return {check["name"]: check["status"] for check in report["checks"]}


def test_doctor_on_a_healthy_diary(run, diary: Path) -> None:
    os.chmod(diary.parent, 0o700)
    report = doctor(run)
    assert set(statuses(report).values()) == {"ok"}
    assert {"integrity", "foreign keys", "schema version", "file permissions", "folder permissions"} <= set(
        statuses(report)
    )
    assert {"journal files", "SQLite"} <= set(statuses(report))
    result = run("doctor")
    assert "No problems found" in result.stderr and "integrity_check ok" in result.stdout


def test_doctor_fails_on_a_diary_others_can_read_and_warns_on_an_open_folder(run, diary: Path) -> None:
    os.chmod(diary.parent, 0o755)
    report = doctor(run)
    assert statuses(report)["folder permissions"] == "warning"
    assert f"chmod 700 {diary.parent}" in run("doctor").stderr
    os.chmod(diary, 0o644)
    report = doctor(run, code=1)
    assert statuses(report)["file permissions"] == "error"
    assert f"chmod 600 {diary}" in run("doctor", code=1).stderr


@pytest.mark.parametrize("problem", ["random bytes", "text", "empty", "foreign", "damaged", "newer", "missing"])
def test_doctor_reports_a_broken_diary_with_exit_1_and_no_traceback(run, diary: Path, problem: str) -> None:
    if problem == "random bytes":
        diary.write_bytes(os.urandom(8192))
    elif problem == "text":
        diary.write_text("this is not a diary\n" * 100)
    elif problem == "empty":
        diary.write_bytes(b"")
    elif problem == "foreign":
        diary.unlink()
        make_foreign_db(diary)
    elif problem == "damaged":
        corrupt_entries_table(diary)
    elif problem == "newer":
        conn = sqlite3.connect(diary)
        conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
        conn.close()
    else:
        diary.unlink()
    before = diary.read_bytes() if diary.exists() else None
    report = doctor(run, code=1)
    assert "error" in statuses(report).values()
    result = run("doctor", code=1)
    assert "Traceback" not in result.stderr + result.stdout
    assert "problems" in result.stderr
    assert (diary.read_bytes() if diary.exists() else None) == before


@pytest.mark.slow
def test_doctor_finds_an_interrupted_write_and_rolls_it_back(run, diary: Path) -> None:
    """A process killed mid-transaction leaves a hot journal; doctor reports it and SQLite undoes it."""
    before = entries(run)
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"  # spill changes into the file before commit
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute('DELETE FROM entries')\n"
        "for i in range(300):\n"
        "    c.execute('INSERT INTO entries (recorded_at, note) VALUES (?, ?)',\n"
        "              (f'2020-01-{1 + i // 24:02d}T{i % 24:02d}:00:00', 'x' * 3000))\n"
        "os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(diary)], timeout=60)
    assert Path(f"{diary}-journal").exists()
    report = doctor(run)
    assert statuses(report)["journal files"] == "warning"
    assert statuses(report)["integrity"] == "ok"
    assert not Path(f"{diary}-journal").exists()
    assert entries(run) == before


def test_doctor_calls_a_journal_sqlite_ignores_harmless(run, diary: Path) -> None:
    Path(f"{diary}-journal").write_bytes(b"\0" * 512)  # header never written: not a hot journal
    report = doctor(run)
    check = next(c for c in report["checks"] if c["name"] == "journal files")
    assert check["status"] == "warning" and "harmless" in check["detail"]
    assert statuses(report)["integrity"] == "ok"
