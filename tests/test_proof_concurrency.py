"""Several programs at once: writers wait for each other (busy timeout, BEGIN IMMEDIATE) and
every write lands exactly once; a diary held locked past the timeout gives exit status 3."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from paindiary import db

pytestmark = pytest.mark.real_migrations  # new diaries here run every migration (see conftest.py)

WRITERS = 16


@pytest.mark.slow
def test_many_log_processes_at_once_store_every_entry_exactly_once(
    run, db_path: Path, paindiary_cmd, rng: random.Random
) -> None:
    """Started together on a diary that does not exist yet: they race to create it, too (in a seeded
    random order: the seed is printed with a failure, PAINDIARY_TEST_SEED repeats it)."""
    env = {**os.environ, "PAINDIARY_DB": str(db_path), "PYTHONDONTWRITEBYTECODE": "1"}
    stamps = [f"2026-03-01T10:{i // 60:02d}:{i % 60:02d}" for i in range(WRITERS)]
    order = rng.sample(range(WRITERS), WRITERS)
    processes = [
        subprocess.Popen(
            [*paindiary_cmd, "log", str(i % 11), "--at", stamp, "--note", f"writer {i}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, stamp in ((i, stamps[i]) for i in order)
    ]
    failures = []
    for process in processes:
        _, err = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append((process.returncode, err))
    assert failures == []
    stored = run.json("entry", "list")
    assert sorted(entry["recorded_at"] for entry in stored) == stamps
    assert sorted(entry["note"] for entry in stored) == sorted(f"writer {i}" for i in range(WRITERS))
    conn = db.open_db(db_path).conn
    assert db.integrity_problems(conn) == [] and db.schema_state(conn)[1] == db.SCHEMA_VERSION
    conn.close()


def hold_lock(path: Path, how: str = "IMMEDIATE") -> sqlite3.Connection:
    """Another program's open write transaction on the diary (with a change not yet committed)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"BEGIN {how}")
    conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-01-01', 1)")
    return conn


@pytest.mark.slow  # waits a second on purpose
def test_a_writer_waits_for_another_to_finish(run, clock, db_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01")
    other = hold_lock(db_path)
    releaser = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    releaser.start()
    started = time.monotonic()
    try:
        run("log", "6", "--at", "2026-03-02")
    finally:
        releaser.join()
        other.close()
    assert time.monotonic() - started >= 0.9
    assert [e["recorded_at"] for e in run.json("entry", "list")] == ["2026-01-01", "2026-03-01", "2026-03-02"]


@pytest.mark.slow
def test_a_diary_locked_past_the_timeout_gives_exit_3_and_a_clear_message(run, clock, db_path: Path, spawn) -> None:
    """The real thing: the installed command, the real 5-second timeout."""
    run("log", "5", "--at", "2026-03-01")
    before = db_path.read_bytes()  # (before locking: closing a file drops this process's locks on it)
    other = hold_lock(db_path)
    started = time.monotonic()
    try:
        result = spawn("log", "6", "--at", "2026-03-02")
    finally:
        elapsed = time.monotonic() - started
        other.execute("ROLLBACK")
        other.close()
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [
        f"Error: The diary {db_path} is in use by another program (waited 5 s); nothing was changed. "
        "Try again when it has finished."
    ]
    assert db.BUSY_TIMEOUT_S <= elapsed < db.BUSY_TIMEOUT_S + 20
    assert db_path.read_bytes() == before
    assert [e["recorded_at"] for e in run.json("entry", "list")] == ["2026-03-01"]


@pytest.mark.parametrize(
    "command",
    [
        ["log", "6"],
        ["entry", "list"],
        # (the others wait out the same timeout: the full run only)
        pytest.param(["entry", "delete", "1", "--yes"], marks=pytest.mark.slow),
        pytest.param(["info"], marks=pytest.mark.slow),
        pytest.param(["backup"], marks=pytest.mark.slow),
        pytest.param(["doctor"], marks=pytest.mark.slow),
        pytest.param(["restore", "copy.db", "--yes"], marks=pytest.mark.slow),
        pytest.param(["import", "new.csv"], marks=pytest.mark.slow),
        pytest.param(["export"], marks=pytest.mark.slow),
    ],
    ids=lambda c: c[0] if c[0] != "entry" else "-".join(c[:2]),
)
def test_every_command_gives_exit_3_on_a_diary_locked_exclusively(
    run, clock, db_path: Path, tmp_path: Path, monkeypatch, command: list[str]
) -> None:
    monkeypatch.setattr(db.connection, "BUSY_TIMEOUT_S", 0.2)
    run("log", "5", "--at", "2026-03-01")
    run("backup", str(tmp_path / "copy.db"))
    (tmp_path / "new.csv").write_text("recorded_at,pain\n2026-03-05,4\n")
    before = db_path.read_bytes()
    other = hold_lock(db_path, "EXCLUSIVE")
    try:
        result = run(*command, code=3)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "in use by another program" in result.stderr
    assert db_path.read_bytes() == before
    assert not [p.name for p in db_path.parent.iterdir() if p.name != "diary.db"]
