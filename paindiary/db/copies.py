"""Copies of a database and what they hold: snapshots, integrity, rows, restoring contents.

:func:`snapshot` makes a consistent, verified, private copy of a database
(backups, safety copies, the copy kept before a schema upgrade);
:func:`replace_contents` swaps every row of an open diary for those of another
file in one transaction (restore). :func:`count_rows`, :func:`has_rows` and
:func:`integrity_problems` say what a database holds and whether it is sound.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from paindiary.db import fulltext
from paindiary.db.connection import connect_existing, translate
from paindiary.db.handle import Diary
from paindiary.errors import DatabaseError
from paindiary.files import make_private_dirs, temp_prefix


def has_rows(conn: sqlite3.Connection, schema: str = "main") -> bool:
    """True if any table of the database holds a row (the search index's own tables aside: never empty)."""
    tables = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return any(
        conn.execute(f'SELECT EXISTS (SELECT 1 FROM {schema}."{name}")').fetchone()[0]
        for (name,) in tables
        if not fulltext.is_index_table(name)
    )


def count_rows(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """Rows per table (all tables of the database, by name)."""
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: int(conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]) for name in names}


def _record_counts(conn: sqlite3.Connection, schema: str) -> dict[str, int]:
    return {name: count for name, count in count_rows(conn, schema).items() if not fulltext.is_index_table(name)}


def free_name(folder: Path, stem: str, suffix: str = ".db") -> Path:
    """``folder/stem.db``, or ``stem-2.db``, ``stem-3.db``... if that is taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def integrity_problems(conn: sqlite3.Connection, schema: str = "main", limit: int = 20) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong (an empty list when the file is sound)."""
    rows = [row[0] for row in conn.execute(f"PRAGMA {schema}.integrity_check({limit})")]
    return [] if rows == ["ok"] else rows


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def snapshot(source: Path, dest: Path, *, expect: dict[str, int] | None = None, replace: bool = False) -> Path:
    """Copy the database at ``source`` to ``dest``: consistent, verified, private.

    SQLite writes a compact copy (``VACUUM INTO``, from a read transaction of its
    own, so writers elsewhere cannot change it midway) into an empty 0600 file
    beside ``dest``; it is flushed to disk and checked with ``integrity_check``
    (and against ``expect``, rows per table, if given) before it is renamed to
    ``dest``. An existing ``dest`` is kept unless ``replace``. On any failure
    nothing is left behind and a :class:`DatabaseError` says why.
    """
    try:
        make_private_dirs(dest.parent)
        import tempfile  # (here: log never makes a copy)

        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(dest.name), suffix=".tmp", dir=dest.parent)
        os.fchmod(fd, 0o600)
        os.close(fd)
    except OSError as exc:
        raise DatabaseError(f"Cannot write a copy to {dest}: {exc.strerror or exc}; nothing was written.") from None
    tmp = Path(tmp_name)
    try:
        conn = connect_existing(source)
        try:
            conn.execute("VACUUM INTO ?", (str(tmp),))
        except sqlite3.Error as exc:
            raise _copy_error(exc, source, dest) from None
        finally:
            conn.close()
        _check_copy(tmp, dest, expect)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, dest)
        else:
            os.link(tmp, dest)  # fails rather than overwrite a file that appeared meanwhile
            tmp.unlink()
        _fsync_folder(dest.parent)
    except FileExistsError:
        raise DatabaseError(f"{dest} already exists; choose another name or remove it first.") from None
    except OSError as exc:
        raise DatabaseError(f"Cannot write a copy to {dest}: {exc.strerror or exc}; nothing was written.") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return dest


def _copy_error(exc: sqlite3.Error, source: Path, dest: Path) -> DatabaseError:
    message = str(exc)
    if "locked" in message or "busy" in message or "not a database" in message or "malformed" in message:
        return translate(exc, source)
    return DatabaseError(f"Could not write a copy of {source} to {dest} ({exc}); nothing was written.")


def _check_copy(copy: Path, dest: Path, expect: dict[str, int] | None) -> None:
    conn = connect_existing(copy)
    try:
        problems = integrity_problems(conn)
        counts = count_rows(conn)
    except sqlite3.Error as exc:
        problems, counts = [str(exc)], {}
    finally:
        conn.close()
    if problems:
        raise DatabaseError(f"The copy written to {dest} failed its integrity check ({problems[0]}); nothing was kept.")
    if expect is not None and counts != expect:
        raise DatabaseError(f"The copy written to {dest} does not hold every row; nothing was kept.")


def _layout(conn: sqlite3.Connection, schema: str) -> list[tuple[str, str, str]]:
    query = f"SELECT type, name, sql FROM {schema}.sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    return [tuple(row) for row in conn.execute(query)]


def replace_contents(diary: Diary, incoming: Path, keep: Path) -> Path | None:
    """Replace every row of the diary with those of ``incoming`` (same schema), in one transaction.

    Under the same write lock, first a verified copy of the current contents is
    saved to ``keep`` (unless the diary is empty), so no write by another process
    can fall between the copy and the replacement. Returns the copy's path. The
    search index is not copied: its triggers follow the rows deleted and inserted.
    """
    saved: Path | None = None
    conn, path = diary.conn, diary.path
    conn.execute("ATTACH DATABASE ? AS incoming", (str(incoming),))
    try:
        with diary.transaction():
            if _layout(conn, "main") != _layout(conn, "incoming"):
                raise DatabaseError(f"{incoming} does not have the diary's layout; nothing was restored.")
            saved = snapshot(path, keep, expect=count_rows(conn)) if has_rows(conn) else None
            for (name,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
                if name.startswith("sqlite_") or fulltext.is_index_table(name):
                    continue
                columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{name}")'))
                conn.execute(f'DELETE FROM main."{name}"')
                conn.execute(f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM incoming."{name}"')
            if _record_counts(conn, "main") != _record_counts(conn, "incoming"):
                raise DatabaseError(f"Not every row of {incoming} could be copied; nothing was restored.")
    except BaseException:
        if saved is not None:
            saved.unlink(missing_ok=True)  # the diary was not replaced: no copy to keep
        raise
    finally:
        conn.execute("DETACH DATABASE incoming")
    return saved
