"""Keeping the diary safe: backups, restoring one, and the health check (``doctor``).

Copies are made by :func:`paindiary.db.snapshot` (consistent, verified,
0600, renamed into place only when complete). A restore checks its source
first, brings a copy of it to the current schema, keeps a safety copy of the
current diary and swaps the contents in one transaction, so every other
paindiary process sees either the old diary or the restored one. The doctor
looks without changing anything (except that SQLite rolls back a write that
was interrupted, which any paindiary command would do); it reports temporary
copies left by a killed process, which ``repair`` removes. No typer or rich here.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from paindiary import db, files, store
from paindiary.errors import DatabaseError, PaindiaryError, SchemaTooNewError

OK, WARNING, ERROR = "ok", "warning", "error"
JOURNALS = ("-journal", "-wal", "-shm")
MIN_SQLITE = (3, 37, 0)  # STRICT tables


@dataclass(frozen=True)
class DiaryFile:
    """A checked paindiary database file: its schema version and rows per table."""

    path: Path
    version: int
    counts: dict[str, int]

    @property
    def records(self) -> int:
        return sum(self.counts.get(table, 0) for table in (*db.TABLES, *db.LATER_TABLES))


@dataclass(frozen=True)
class Restored:
    source: DiaryFile
    safety_copy: Path | None  # the diary as it was before, if it held anything


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # OK, WARNING or ERROR
    detail: str
    fix: str | None = None


@dataclass
class Report:
    path: Path
    checks: list[Check] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """False when the diary is damaged, not a paindiary diary or readable by others."""
        return all(check.status != ERROR for check in self.checks)

    def add(self, name: str, status: str, detail: str, fix: str | None = None) -> None:
        self.checks.append(Check(name, status, detail, fix))


def stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def backup_target(path: Path, dest: Path | str | None, now: datetime) -> Path:
    """Where ``paindiary backup`` writes: ``DEST``, or a dated name beside the diary (or in folder ``DEST``).

    ``DEST`` is a folder if it is one, or if it ends in a path separator (``usb/new/``: created).
    """
    name = f"{path.stem}-backup-{stamp(now)}.db"
    if dest is None:
        return path.parent / name
    folder = str(dest).endswith(("/", os.sep))
    dest = Path(dest).expanduser()
    return dest / name if folder or dest.is_dir() else dest


def check_diary_file(path: Path) -> DiaryFile:
    """Check that ``path`` is a sound paindiary database this version can use.

    Raises :class:`DatabaseError` saying what is wrong; the file is only read.
    """
    path = path.expanduser()
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder; give the backup file.")
    conn = db.connect_existing(path)
    try:
        app_id, version, _ = db.schema_state(conn)
        if app_id != db.APPLICATION_ID or version < 1:
            raise DatabaseError(f"{path} is not a paindiary database (its schema marker is missing).")
        if version > db.SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{path} was written by a newer paindiary (schema {version}, this one knows "
                f"{db.SCHEMA_VERSION}); upgrade paindiary to use it."
            )
        counts = db.count_rows(conn)
        missing = [table for table in db.TABLES if table not in counts]  # tables every version has
        if missing:
            raise DatabaseError(f"{path} is not a complete paindiary database (no {', '.join(missing)} table).")
        problems = db.integrity_problems(conn)
        if problems:
            raise DatabaseError(f"{path} is damaged ({problems[0]}); choose another backup.")
    except sqlite3.Error as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(f"{path} is not a readable paindiary database ({exc}); choose another file.") from None
        raise db.translate(exc, path) from None
    finally:
        conn.close()
    return DiaryFile(path, version, counts)


def backup(path: Path, dest: Path | str | None, now: datetime) -> DiaryFile:
    """Write a consistent, private copy of the diary at ``path``; returns the checked copy."""
    target = backup_target(path, dest, now)
    if target.exists():
        if target.resolve() == path.resolve():
            raise PaindiaryError(f"{target} is the diary itself; give another file name for the backup.")
        raise PaindiaryError(f"{target} already exists; give another name or remove it first.")
    files.check_target(target, force=True, protect=path)  # nor its journal's name
    files.remove_stale(target.parent)  # copies left there by a killed backup
    db.snapshot(path, target)  # (verified there: integrity_check)
    conn = db.connect_existing(target)
    try:
        return DiaryFile(target, db.schema_state(conn)[1], db.count_rows(conn))
    finally:
        conn.close()


def restore(
    path: Path,
    source: Path,
    now: datetime,
    *,
    on_backup: Callable[[Path], None] | None = None,
) -> Restored:
    """Replace the diary at ``path`` with the backup ``source``, keeping a safety copy first.

    ``source`` is checked (marker, schema version, tables, integrity) and never
    written; a copy of it is brought to the current schema before anything is
    replaced. ``on_backup`` is told about the copy saved if the current diary
    itself needs a schema upgrade first.
    """
    checked = check_diary_file(source)
    if path.exists() and path.resolve() == source.expanduser().resolve():
        raise PaindiaryError(f"{source} is the diary itself; give a backup file to restore.")
    incoming = db.snapshot(source, db.free_name(path.parent, f"{files.temp_prefix(path.stem)}restoring"))
    try:
        db.open_db(incoming, create=False, backup=False).close()  # to the current schema
        if not path.exists():
            os.link(incoming, path)  # a new diary: the checked copy becomes it (never over a file)
            return Restored(checked, None)
        with db.open_db(path, create=False, on_backup=on_backup) as diary:
            keep = db.free_name(path.parent, f"{path.stem}-before-restore-{stamp(now)}")
            saved = db.replace_contents(diary, incoming, keep)
    except FileExistsError:
        raise PaindiaryError(f"{path} appeared while restoring; run the restore again.") from None
    except OSError as exc:
        problem = exc.strerror or exc
        raise PaindiaryError(f"Could not restore to {path}: {problem}; the diary was not changed.") from None
    finally:
        for leftover in (incoming, Path(f"{incoming}-journal")):
            leftover.unlink(missing_ok=True)
    return Restored(checked, saved)


# --- doctor ---------------------------------------------------------------------


def _private(report: Report, path: Path) -> None:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        report.add(
            "file permissions",
            ERROR,
            f"{oct(mode)[2:]}: other users on this computer can read or change the diary.",
            f"chmod 600 {shlex.quote(str(path))}",
        )
    else:
        report.add("file permissions", OK, f"{oct(mode)[2:]}: only you can read it.")
    folder = path.resolve().parent
    folder_mode = folder.stat().st_mode & 0o777
    if folder_mode & 0o077:
        report.add(
            "folder permissions",
            WARNING,
            f"{folder} is {oct(folder_mode)[2:]}: others can see which files are in it.",
            f"chmod 700 {shlex.quote(str(folder))}",
        )
    else:
        report.add("folder permissions", OK, f"{folder} is {oct(folder_mode)[2:]}.")


def _busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _keys(report: Report, conn: sqlite3.Connection, path: Path, repair: bool, restore_fix: str) -> None:
    """Each table's key index (schema 7 on), which refuses a second record with the same key."""
    absent = db.schema.missing_key_indexes(conn)
    if absent and repair:
        made, failed = [], []
        with db.connection.transaction(conn, path):
            for table in absent:
                try:
                    conn.execute(db.schema.key_index_sql(table))
                    made.append(db.schema.key_index(table))
                except sqlite3.IntegrityError:
                    failed.append(db.schema.key_index(table))
        if failed:
            detail = f"{', '.join(failed)} cannot be made again: a key is stored twice"
            detail += f" (made again: {', '.join(made)})." if made else "."
            report.add("keys", ERROR, detail, restore_fix)
        else:
            report.add("keys", OK, f"made again: {', '.join(made)}.")
    elif absent:
        names = ", ".join(db.schema.key_index(table) for table in absent)
        detail = f"missing: {names}; a second record with the same key would be stored."
        report.add("keys", ERROR, detail, "paindiary doctor --repair")
    else:
        report.add("keys", OK, "each kind's key index is in place.")


def _index(report: Report, conn: sqlite3.Connection, path: Path, repair: bool) -> None:
    """The full-text index of ``paindiary search`` agrees with its tables (``repair`` rebuilds it if not)."""
    from paindiary.db import fulltext

    problems = fulltext.problems(conn)
    if problems and repair:
        with db.connection.transaction(conn, path):
            fulltext.rebuild(conn)
        report.add("search index", OK, f"rebuilt ({'; '.join(problems[:3])}).")
    elif problems:
        report.add("search index", ERROR, f"out of step: {'; '.join(problems[:3])}.", "paindiary doctor --repair")
    else:
        report.add("search index", OK, "agrees with the records.")


def _contents(report: Report, conn: sqlite3.Connection, path: Path, repair: bool = False) -> None:
    """Marker, schema version, tables, integrity and foreign keys (stops at the first fatal problem)."""
    restore_fix = "paindiary restore BACKUP (your most recent backup), or 'paindiary backup' it as it is first"
    try:
        app_id, version, has_tables = db.schema_state(conn)
    except sqlite3.DatabaseError as exc:
        if _busy(exc):
            raise db.translate(exc, path) from None
        report.add("database", ERROR, f"not an SQLite database ({exc}).", "Choose the right file with --db.")
        return
    if app_id != db.APPLICATION_ID:
        detail = "an empty file, not a diary yet" if not has_tables else "an SQLite database, but not a paindiary one"
        report.add("database", ERROR, f"{detail}.", "Choose your diary with --db.")
        return
    report.add("database", OK, "a paindiary diary.")
    if version > db.SCHEMA_VERSION:
        report.add(
            "schema version",
            ERROR,
            f"{version}, newer than this paindiary knows ({db.SCHEMA_VERSION}).",
            "Upgrade paindiary: python -m pip install --upgrade paindiary",
        )
        return
    if version < db.SCHEMA_VERSION:
        report.add(
            "schema version",
            WARNING,
            f"{version}; paindiary upgrades it to {db.SCHEMA_VERSION} the next time it opens it (saving a copy first).",
        )
    else:
        report.add("schema version", OK, f"{version} (current).")
    try:
        counts = db.count_rows(conn)
        missing = [table for table in db.TABLES if table not in counts]
        if missing:
            report.add("tables", ERROR, f"missing: {', '.join(missing)}.", restore_fix)
        else:
            report.add("tables", OK, store.count_phrase(counts) + ".")
        problems = db.integrity_problems(conn)
        if problems:
            report.add("integrity", ERROR, f"damaged: {'; '.join(problems[:3])}.", restore_fix)
        else:
            report.add("integrity", OK, "integrity_check ok.")
        bad_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad_keys:
            report.add("foreign keys", ERROR, f"{len(bad_keys)} rows point at missing records.", restore_fix)
        else:
            report.add("foreign keys", OK, "foreign_key_check ok.")
        if version >= db.schema.KEYS_SINCE and not problems and not missing:
            _keys(report, conn, path, repair, restore_fix)
        if version >= db.schema.FULLTEXT_SINCE and not problems and not missing:
            _index(report, conn, path, repair)
    except sqlite3.DatabaseError as exc:
        if _busy(exc):
            raise db.translate(exc, path) from None
        report.add("integrity", ERROR, f"damaged ({exc}).", restore_fix)


def _inert(journal: Path) -> bool:
    """True for a rollback journal SQLite ignores: empty, or its header never written (first byte 0)."""
    if journal.name.endswith(("-wal", "-shm")):
        return False
    try:
        with open(journal, "rb") as handle:
            return handle.read(1) in (b"", b"\0")
    except OSError:
        return False


def _temporaries(report: Report, folder: Path, repair: bool) -> None:
    """paindiary's temporary copies beside the diary (:mod:`paindiary.files`): left by a killed process, or in use."""
    removed = files.remove_stale(folder) if repair else []
    found = files.temporaries(folder)
    stale = [t for t in found if not t.alive]
    live = "; ".join(
        f"{t.path.name} ({t.size} bytes) is in use by paindiary process pid {t.pid}" for t in found if t.alive
    )
    if stale:
        names = ", ".join(f"{t.path.name} ({t.size} bytes)" for t in stale)
        detail = f"{names} left by an interrupted backup, restore or upgrade; they hold health data."
        report.add("temporary copies", WARNING, detail + (f" {live}." if live else ""), "paindiary doctor --repair")
    elif removed:
        names = ", ".join(t.path.name for t in removed)
        size = sum(t.size for t in removed)
        detail = f"removed {len(removed)} left by an interrupted backup, restore or upgrade ({size} bytes): {names}."
        report.add("temporary copies", OK, detail + (f" {live}." if live else ""))
    elif live:
        report.add("temporary copies", OK, f"{live}.")
    else:
        report.add("temporary copies", OK, "none left behind.")


def doctor(path: Path, *, repair: bool = False) -> Report:
    """Check the diary at ``path`` and its surroundings; see :attr:`Report.healthy`.

    ``repair`` removes temporary copies left beside it by paindiary processes that have ended,
    makes a missing key index again and rebuilds the search index if it does not agree with
    the records.
    """
    report = Report(path)
    if not path.exists():
        report.add(
            "file", ERROR, f"no diary at {path}.", "`paindiary log` creates one, or choose your diary with --db."
        )
        return report
    if not path.is_file():
        report.add("file", ERROR, f"{path} is not a file.", "Choose your diary file with --db.")
        return report
    report.add("file", OK, f"{path} ({path.stat().st_size} bytes).")
    _private(report, path)
    version = sqlite3.sqlite_version
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        report.add("SQLite", ERROR, f"{version} is too old (3.37 or newer needed).", "Use a newer Python or SQLite.")
    else:
        report.add("SQLite", OK, version)
    left = [Path(f"{path}{suffix}") for suffix in JOURNALS if Path(f"{path}{suffix}").exists()]
    conn = db.connect_existing(path, readonly=not os.access(path, os.W_OK))
    try:
        _contents(report, conn, path, repair)
    finally:
        conn.close()
    still = [journal for journal in left if journal.exists()]
    inert = [journal for journal in still if _inert(journal)]
    if still and len(inert) < len(still):
        names = ", ".join(journal.name for journal in still if journal not in inert)
        report.add(
            "journal files",
            WARNING,
            f"{names} beside the diary: a write is in progress (or was interrupted).",
            "Make sure no paindiary command is running, then run 'paindiary doctor' again.",
        )
    elif still:
        report.add(
            "journal files",
            WARNING,
            f"{', '.join(j.name for j in inert)} left by a write interrupted before it changed anything; "
            "harmless (SQLite ignores it; the next change removes it).",
        )
    elif left:
        report.add("journal files", WARNING, "an interrupted write was found and rolled back; nothing is left over.")
    else:
        report.add("journal files", OK, "none left behind.")
    _temporaries(report, path.parent, repair)
    return report
