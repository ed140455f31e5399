"""Temporary copies are owned: backup, restore and upgrade copies carry a name that says which
process made them; a killed process's copies are reported by the doctor (with their sizes),
removed by ``doctor --repair`` and by the next command that opens the diary, and a running
process's copies are never touched."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from paindiary import db, files

pytestmark = pytest.mark.real_migrations  # new diaries here run every migration (see conftest.py)

PREFIX = ".paindiary-tmp-"


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def doctor(run, *args: str) -> dict:
    result = run("doctor", "--json", *args, code=None)
    return {check["name"]: check for check in json.loads(result.stdout)["checks"]}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(PREFIX))


def _m002_reminders(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE reminders (id INTEGER PRIMARY KEY, at TEXT NOT NULL) STRICT")


def test_backup_restore_and_upgrade_copies_are_named_as_owned(run, clock, db_path: Path, monkeypatch) -> None:
    run("log", "5", "--note", "kept")
    seen: list[str] = []
    real_check, real_open = db.copies._check_copy, db.open_db

    def check_copy(copy: Path, *args: object) -> None:
        seen.append(copy.name)
        real_check(copy, *args)  # type: ignore[arg-type]

    def open_db(path: Path, **options: object) -> db.Diary:
        seen.append(path.name)
        return real_open(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(db.copies, "_check_copy", check_copy)
    monkeypatch.setattr(db, "open_db", open_db)
    copy = Path(run("backup").stdout.strip())
    run("restore", str(copy), "--yes")
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS, _m002_reminders])
    monkeypatch.setattr(db.schema, "SCHEMA_VERSION", db.schema.SCHEMA_VERSION + 1)
    run("info")  # upgrades, saving a copy first
    temporary = [name for name in seen if name.startswith(".")]
    mine = f"{PREFIX}{os.getpid()}-"
    assert temporary and all(name.startswith(mine) for name in temporary), temporary
    upgraded = f"diary-schema-{db.schema.SCHEMA_VERSION - 1}-backup"  # the version before the (pretend) upgrade
    for made_by in ("diary-backup-20260315-103045.db", "restoring", "diary-before-restore-", upgraded):
        assert any(made_by in name for name in temporary), (made_by, temporary)
    assert hidden(db_path.parent) == []


@pytest.fixture
def leftovers(run, db_path: Path) -> dict[str, Path]:
    """A diary with paindiary temporaries beside it: two of a killed process, one of this (running) one."""
    run("log", "5")
    folder, dead = db_path.parent, dead_pid()
    made = {
        "stale": folder / f"{PREFIX}{dead}-diary-backup-20260101-000000.db.k2j4h6.tmp",
        "stale journal": folder / f"{PREFIX}{dead}-diary.restoring.db-journal",
        "live": folder / f"{PREFIX}{os.getpid()}-diary.db.abcdef.tmp",
        "not ours": folder / ".diary.db.abcdef.tmp",
        "no pid": folder / f"{PREFIX}x-diary.db",
    }
    for number, path in enumerate(made.values()):
        path.write_bytes(b"health data " * (100 + number))
    return made


def test_doctor_reports_temporaries_with_their_sizes_and_changes_nothing(run, leftovers: dict[str, Path]) -> None:
    check = doctor(run)["temporary copies"]
    assert check["status"] == "warning"
    assert f"{leftovers['stale'].name} (1200 bytes)" in check["detail"]
    assert f"{leftovers['stale journal'].name} (1212 bytes)" in check["detail"]
    assert f"{leftovers['live'].name} (1224 bytes)" in check["detail"] and f"pid {os.getpid()}" in check["detail"]
    assert check["fix"] == "paindiary doctor --repair"
    assert all(path.exists() for path in leftovers.values())
    result = run("doctor", code=0)
    assert "To fix temporary copies: paindiary doctor --repair" in result.stderr


def test_doctor_repair_removes_only_the_copies_of_ended_processes(run, leftovers: dict[str, Path]) -> None:
    check = doctor(run, "--repair")["temporary copies"]
    assert check["status"] == "ok" and "removed 2" in check["detail"] and "2412 bytes" in check["detail"]
    assert not leftovers["stale"].exists() and not leftovers["stale journal"].exists()
    assert leftovers["live"].exists() and leftovers["not ours"].exists() and leftovers["no pid"].exists()
    after = doctor(run)["temporary copies"]
    assert after["status"] == "ok" and f"pid {os.getpid()}" in after["detail"]


@pytest.mark.parametrize("command", [["log", "6", "--at", "2026-01-01"], ["info"], ["entry", "list"], ["export"]])
def test_the_next_command_that_opens_the_diary_removes_stale_copies(run, leftovers, command: list[str]) -> None:
    run(*command)
    assert not leftovers["stale"].exists() and not leftovers["stale journal"].exists()
    assert leftovers["live"].exists() and leftovers["not ours"].exists() and leftovers["no pid"].exists()


@pytest.mark.slow
def test_temporaries_reads_the_owner_from_the_name(tmp_path: Path) -> None:
    (tmp_path / f"{PREFIX}{os.getpid()}-a.db").write_bytes(b"x")
    (tmp_path / f"{PREFIX}{dead_pid()}-b.db").write_bytes(b"yy")
    (tmp_path / f"{PREFIX}{os.getpid()}-folder").mkdir()  # not a file: never touched
    found = {t.path.name[-4:]: (t.size, t.alive) for t in files.temporaries(tmp_path)}
    assert found == {"a.db": (1, True), "b.db": (2, False)}
    assert [t.path.name[-4:] for t in files.remove_stale(tmp_path)] == ["b.db"]
    assert sorted(p.name.rsplit("-", 1)[1] for p in tmp_path.iterdir()) == ["a.db", "folder"]


# --- a real kill -----------------------------------------------------------------------------


@pytest.fixture
def big_diary(spawn, db_path: Path, tmp_path: Path) -> Path:
    """A diary of about 5 MB (long notes), so that copying it takes a moment."""
    rows = "\n".join(f"{2000 + i // 336:04d}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d},5,{'a long note ' * 350}"
                     for i in range(1200))  # fmt: skip
    (tmp_path / "base.csv").write_text("recorded_at,pain,note\n" + rows + "\n")
    assert spawn("import", str(tmp_path / "base.csv")).returncode == 0
    return db_path


def _kill_when_a_temporary_appears(command: list[str], folder: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mine = f"{PREFIX}{process.pid}-"
    deadline = time.monotonic() + 60
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if any(name.startswith(mine) for name in os.listdir(folder)):
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.kill()
        process.wait()
    return process.returncode, [name for name in os.listdir(folder) if name.startswith(mine)]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["backup", "restore"])
def test_a_copy_left_by_a_killed_backup_or_restore_is_found_and_removed(
    run, big_diary: Path, tmp_path: Path, paindiary_cmd: list[str], command: str
) -> None:
    env = {**os.environ, "PAINDIARY_DB": str(big_diary), "PYTHONDONTWRITEBYTECODE": "1"}
    source = tmp_path / "source.db"
    run("backup", str(source))
    args = ["backup", str(big_diary.parent / "copy.db")] if command == "backup" else ["restore", str(source), "--yes"]
    for _attempt in range(10):  # until a kill lands while the copy is being written
        before = big_diary.read_bytes()
        code, left = _kill_when_a_temporary_appears([*paindiary_cmd, *args], big_diary.parent, env)
        if code == -signal.SIGKILL and left:
            break
        (big_diary.parent / "copy.db").unlink(missing_ok=True)
    else:
        pytest.fail("the copy was never caught in progress")
    assert big_diary.read_bytes() == before
    check = doctor(run)["temporary copies"]
    assert check["status"] == "warning" and all(name in check["detail"] for name in left)
    sizes = {name: (big_diary.parent / name).stat().st_size for name in left}
    assert all(f"{name} ({size} bytes)" in check["detail"] for name, size in sizes.items())
    run("info")  # the next command that opens the diary removes them
    assert hidden(big_diary.parent) == []
    assert doctor(run)["temporary copies"] == {
        "name": "temporary copies", "status": "ok", "detail": "none left behind.", "fix": None,
    }  # fmt: skip
    assert big_diary.read_bytes() == before


@pytest.mark.slow
def test_a_command_writing_into_a_folder_removes_stale_copies_there(run, tmp_path: Path) -> None:
    run("log", "5")
    out = tmp_path / "exports"
    out.mkdir()
    stale, live = out / f"{PREFIX}{dead_pid()}-x.json.abc.tmp", out / f"{PREFIX}{os.getpid()}-y.json.abc.tmp"
    for path in (stale, live):
        path.write_text("health data")
    run("export", "-o", str(out / "diary.json"))
    assert sorted(p.name for p in out.iterdir()) == sorted([live.name, "diary.json"])
    stale.write_text("health data")
    run("backup", str(out) + "/")
    assert not stale.exists() and live.exists()
