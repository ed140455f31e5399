"""SQLite connections to a diary file: where it lives, connecting, errors, transactions.

:func:`connect` opens a connection the way every paindiary connection is set
up (autocommit mode with a rollback journal, foreign keys on, deleted values
overwritten); :func:`connect_existing` looks at a file that may not be a diary
without creating or changing it. :func:`translate` turns an ``sqlite3`` error
into a :class:`~paindiary.errors.DatabaseError` a person can act on, and
:func:`transaction` is the one way changes are made (``BEGIN IMMEDIATE``, so a
failure leaves the file as it was). Opening a *diary* (creating, migrating,
the :class:`~paindiary.db.handle.Diary` handle) builds on this in
:mod:`paindiary.db.opening`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paindiary.errors import DatabaseBusyError, DatabaseError

BUSY_TIMEOUT_S = 5.0
ENV_VAR = "PAINDIARY_DB"


def default_path() -> Path:
    """``$PAINDIARY_DB`` if set, else the per-user data folder's ``diary.db``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("paindiary") / "diary.db"


def resolve_path(option: str | os.PathLike[str] | None) -> Path:
    """The diary path: ``--db`` if given, else :func:`default_path`."""
    return Path(option).expanduser() if option else default_path()


def connect(path: Path) -> sqlite3.Connection:
    """A configured connection to the SQLite file at ``path`` (created empty if missing)."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        configure(conn)
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    return conn


def configure(conn: sqlite3.Connection) -> None:
    """Settings every paindiary connection has."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # deleted values are overwritten, not left in free space


def connect_existing(path: Path, *, readonly: bool = True) -> sqlite3.Connection:
    """Open an existing SQLite file without creating, migrating or marking it.

    For looking at a file that may not be a diary (``doctor``, a restore source)
    and for copying one. ``readonly=False`` lets SQLite roll back a journal left
    by an interrupted write, which a read-only connection cannot do.
    """
    if not path.is_file():
        raise DatabaseError(f"No database file at {path}; check the name.")
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rw'}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        configure(conn)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    return conn


def translate(exc: sqlite3.Error, path: Path | str | None = None) -> DatabaseError:
    """Turn an sqlite3 error into a paindiary error a person can act on."""
    message = str(exc)
    diary = f"the diary {path}" if path else "the diary"
    where = str(path) if path else "the diary"
    if "locked" in message or "busy" in message:
        return DatabaseBusyError(
            f"{diary[0].upper()}{diary[1:]} is in use by another program (waited {BUSY_TIMEOUT_S:g} s); "
            "nothing was changed. Try again when it has finished."
        )
    if "not a database" in message or "malformed" in message:
        return DatabaseError(f"{where} is not a readable paindiary database ({message}); run 'paindiary doctor'.")
    if "readonly" in message or "read-only" in message:
        return DatabaseError(f"{diary[0].upper()}{diary[1:]} is read-only; nothing was written.")
    if "disk" in message or "full" in message:
        return DatabaseError(f"Could not write to {where} ({message}); nothing was written. Free some space and retry.")
    if "unable to open" in message:
        return DatabaseError(f"Cannot open {where}; check that its folder exists and that you may write to it.")
    return DatabaseError(f"Database error on {where}: {message}.")


def schema_state(conn: sqlite3.Connection) -> tuple[int, int, bool]:
    """(application_id, user_version, has_any_table) of an open database.

    Read in one statement, so all three come from the same moment: read one by
    one, another process creating the diary could commit in between.
    """
    app_id, version, tables = conn.execute(
        "SELECT (SELECT application_id FROM pragma_application_id), "
        "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    return int(app_id), int(version), tables > 0


def _rollback(conn: sqlite3.Connection) -> None:
    # If even the rollback fails, the journal stays and SQLite rolls back on the next open.
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path | str | None = None) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error.

    Code outside :mod:`paindiary.db` uses it through
    :meth:`paindiary.db.handle.Diary.transaction`; ``path`` only names the file
    in error messages. ``BEGIN IMMEDIATE`` takes the write lock up front (waiting up to
    :data:`BUSY_TIMEOUT_S` for another writer), so two writers never deadlock.
    SQLite errors come out as :class:`DatabaseError` (busy: :class:`DatabaseBusyError`).
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        yield conn
    except sqlite3.Error as exc:
        _rollback(conn)
        raise translate(exc, path) from None
    except BaseException:
        _rollback(conn)
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise translate(exc, path) from None
