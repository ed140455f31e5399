"""Privacy: files only their owner can read, no log files, no diary contents printed unasked,
no locals in tracebacks, and deleted values overwritten in the file (secure_delete)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paindiary import db

SECRET = "SECRET-b4f1c9"  # stored in the diary; must not show up unless asked for


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run the test with umask 000: files created with default modes would be world-readable."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def tree(root: Path) -> dict[Path, int]:
    return {path: path.stat().st_mode & 0o777 for path in root.rglob("*")}


def _m002_reminders(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE reminders (id INTEGER PRIMARY KEY, at TEXT NOT NULL) STRICT")


def test_every_file_and_folder_paindiary_writes_is_private(
    run, clock, db_path: Path, tmp_path: Path, open_umask, monkeypatch
) -> None:
    out = tmp_path / "out"
    before = set(tree(tmp_path))
    run("log", "5", "--note", SECRET)  # creates data/ and data/diary.db
    run("backup")  # beside the diary
    run("backup", str(out / "deep" / "copy.db"))
    run("restore", str(out / "deep" / "copy.db"), "--yes")  # keeps a safety copy
    run("export", "-o", str(out / "diary.json"))
    run("export", "--format", "csv", "--kind", "entries", "-o", str(out / "entries.csv"))
    run("export", "--format", "fhir", "-o", str(out / "fhir.json"))
    run("demo", "--db", str(out / "demo.db"))  # also writes its trend chart and report
    run("chart", "--db", str(out / "demo.db"), "-o", str(out / "charts" / "trend.svg"))
    run("chart", "--db", str(out / "demo.db"), "--view", "course", "-o", str(out / "charts" / "course.png"))
    run("report", "--db", str(out / "demo.db"), "-o", str(out / "charts" / "report.pdf"))
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS, _m002_reminders])
    monkeypatch.setattr(db.schema, "SCHEMA_VERSION", db.schema.SCHEMA_VERSION + 1)
    run("info")  # upgrade: saves a copy of the old diary first
    # matplotlib keeps its own config folder and font list under ~ (font names only, no diary data)
    home = tmp_path / "home"
    written = {
        path: mode
        for path, mode in tree(tmp_path).items()
        if path not in before and path != home and home not in path.parents
    }
    files = {path.relative_to(tmp_path).as_posix(): mode for path, mode in written.items() if path.is_file()}
    folders = {path.relative_to(tmp_path).as_posix(): mode for path, mode in written.items() if path.is_dir()}
    assert set(files) == {
        "data/diary.db",
        "data/diary-backup-20260315-103045.db",
        "data/diary-before-restore-20260315-103045.db",
        f"data/diary-schema-{db.schema.SCHEMA_VERSION - 1}-backup.db",  # the version before the (pretend) upgrade
        "out/deep/copy.db",
        "out/diary.json",
        "out/entries.csv",
        "out/fhir.json",
        "out/demo.db",
        "out/paindiary-demo-trend.png",
        "out/paindiary-demo-report.pdf",
        "out/charts/trend.svg",
        "out/charts/course.png",
        "out/charts/report.pdf",
    }
    assert set(files.values()) == {0o600}, files
    assert folders == {"data": 0o700, "out": 0o700, "out/deep": 0o700, "out/charts": 0o700}


def test_the_journal_of_a_write_in_progress_is_private(db_path: Path, open_umask) -> None:
    conn = db.open_db(db_path).conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 5)")
    conn.execute("DELETE FROM entries")
    journal = Path(f"{db_path}-journal")
    try:
        assert journal.exists()
        assert journal.stat().st_mode & 0o777 == 0o600
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_paindiary_writes_no_log_files_and_prints_no_diary_contents_unasked(
    run, clock, db_path: Path, tmp_path: Path
) -> None:
    run("log", "5", "--note", SECRET, "--tag", SECRET + "-tag", "--at", "2026-03-01")
    run("treatment", "add", "--at", "2026-03-02T09:00", "--name", SECRET + "-drug", "--note", SECRET)
    run("med", "add", SECRET + "-med", "5", "mg", "--at", "2026-03-02", "--note", SECRET)
    (tmp_path / "import.csv").write_text("recorded_at,pain\n2026-03-05,4\n2026-03-06,3\n")
    before = set(tree(tmp_path))
    outputs = [
        run("log", "6", "--at", "2026-03-03"),
        run("log", "7", "--at", "2026-03-01", code=1),  # conflict with the secret entry
        run("log", "11", code=1),
        run("entry", "edit", "1", "--pain", "12", code=1),
        run("info"),
        run("info", "--json"),
        run("doctor"),
        run("doctor", "--json"),
        run("backup", str(tmp_path / "b.db")),
        run("restore", str(tmp_path / "b.db"), "--yes"),
        run("import", str(tmp_path / "import.csv")),
        run("import", str(tmp_path / "import.csv"), "--dry-run"),
        run("export", "-o", str(tmp_path / "e.json")),
        run("entry", "delete", "2", "--yes"),
    ]
    for result in outputs:
        assert SECRET not in result.stdout + result.stderr, result.stdout + result.stderr
    assert SECRET in run("entry", "list").stdout  # ...but it is there when asked for
    new = {path.relative_to(tmp_path).as_posix() for path in set(tree(tmp_path)) - before}
    assert {name for name in new if not name.startswith("data/diary-before-restore")} == {"b.db", "e.json"}
    assert not [path for path in tree(tmp_path) if path.suffix in {".log", ".txt"} or "log" in path.name.lower()]


def _sabotaged_log(tmp_path: Path, debug: bool) -> subprocess.CompletedProcess[str]:
    """``paindiary log`` with storage made to fail unexpectedly, while the entry (with its note) is a local."""
    script = (
        "import paindiary.store as store\n"
        "def broken(conn, kind, record):\n"
        "    raise RuntimeError('storage broke')\n"
        "store.insert = broken\n"
        "from paindiary.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "PAINDIARY_DB": str(tmp_path / "diary.db"), "PYTHONDONTWRITEBYTECODE": "1"}
    if debug:
        env["PAINDIARY_DEBUG"] = "1"
    return subprocess.run(
        [sys.executable, "-c", script, "log", "5", "--note", SECRET],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_an_unexpected_error_is_one_line_and_a_debug_traceback_shows_no_locals(tmp_path: Path) -> None:
    quiet = _sabotaged_log(tmp_path, debug=False)
    assert quiet.returncode == 1
    assert quiet.stderr.strip().startswith("Error: unexpected RuntimeError")
    assert len(quiet.stderr.strip().splitlines()) == 1 and SECRET not in quiet.stderr
    loud = _sabotaged_log(tmp_path, debug=True)
    assert loud.returncode != 0
    assert "Traceback" in loud.stderr and "storage broke" in loud.stderr  # it really is a traceback...
    assert SECRET not in loud.stderr + loud.stdout  # ...without the values in its frames


# --- secure delete ----------------------------------------------------------------------


def test_deleted_and_replaced_values_leave_no_trace_in_the_file(run, clock, db_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01", "--note", SECRET + "-deleted", "--tag", SECRET + "-tag")
    run("log", "5", "--at", "2026-03-02", "--note", SECRET + "-edited")
    run("treatment", "add", "--at", "2026-03-02T09:00", "--name", "infusion", "--note", SECRET + "-session")
    run("log", "4", "--at", "2026-03-03", "--note", "keep me")
    data = db_path.read_bytes()
    assert all(marker.encode() in data for marker in ("-deleted", "-edited", "-session", "-tag"))
    run("entry", "delete", "1", "--yes")
    run("entry", "edit", "2", "--note", "rewritten")
    run("treatment", "delete", "1", "--yes")
    data = db_path.read_bytes()
    assert SECRET.encode() not in data
    assert b"keep me" in data and b"rewritten" in data


def test_without_secure_delete_the_same_deletion_would_leave_a_trace(tmp_path: Path) -> None:
    """The control for the test above: its way of looking does find what SQLite leaves behind."""
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA secure_delete = OFF")
    conn.execute("CREATE TABLE t (note TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (SECRET,))
    conn.execute("INSERT INTO t VALUES ('keep me')")
    conn.execute("DELETE FROM t WHERE note = ?", (SECRET,))
    conn.close()
    assert SECRET.encode() in path.read_bytes()
