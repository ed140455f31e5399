"""The database file: where it lives, opening it privately, migrating, transactions.

:func:`open_db` is the one place that opens a diary and applies migrations.
Migrations are an ordered list of functions; ``PRAGMA user_version`` records
how many have run, and ``PRAGMA application_id`` marks the file as a diary.
Connections run in autocommit mode and every change goes through
:func:`transaction` (``BEGIN IMMEDIATE``), so a failure leaves the file as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from paindiary.errors import DatabaseBusyError, DatabaseError, SchemaTooNewError

APPLICATION_ID = 0x50445259  # "PDRY": marks a paindiary database
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


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and missing parents; folders paindiary creates are 0700."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)


def touch_private(path: Path) -> None:
    """Create ``path`` if missing, readable and writable by its owner only."""
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


# --- migrations -------------------------------------------------------------


def _execute_all(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the current transaction.

    (``executescript`` would commit first, breaking one-transaction migrations.)
    """
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _m001_initial(conn: sqlite3.Connection) -> None:
    score = "REAL CHECK ({0} IS NULL OR {0} BETWEEN 0 AND 10)"
    scores = ",\n".join(
        f"  {name} {score.format(name)}" for name in ("pain", "worst_pain", "least_pain", "enjoyment", "activity")
    )
    statements = f"""
        CREATE TABLE entries (
          id INTEGER PRIMARY KEY,
          recorded_at TEXT NOT NULL UNIQUE CHECK (length(recorded_at) IN (10, 19)),
        {scores},
          sleep_hours REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
          sleep_quality {score.format("sleep_quality")},
          mood {score.format("mood")},
          note TEXT CHECK (note IS NULL OR note <> ''),
          tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
          CHECK (coalesce(pain, worst_pain, least_pain, enjoyment, activity,
                          sleep_hours, sleep_quality, mood, note) IS NOT NULL),
          CHECK (least_pain IS NULL OR pain IS NULL OR least_pain <= pain),
          CHECK (pain IS NULL OR worst_pain IS NULL OR pain <= worst_pain),
          CHECK (least_pain IS NULL OR worst_pain IS NULL OR least_pain <= worst_pain)
        ) STRICT;
        CREATE TABLE treatments (
          id INTEGER PRIMARY KEY,
          started_at TEXT NOT NULL UNIQUE CHECK (length(started_at) = 19),
          name TEXT NOT NULL CHECK (name <> ''),
          dose REAL CHECK (dose IS NULL OR dose > 0),
          dose_unit TEXT,
          duration_min REAL CHECK (duration_min IS NULL OR duration_min BETWEEN 0 AND 1440),
          route TEXT,
          provider TEXT,
          heart_rate_before INTEGER CHECK (heart_rate_before BETWEEN 20 AND 250),
          heart_rate_after INTEGER CHECK (heart_rate_after BETWEEN 20 AND 250),
          systolic_before INTEGER CHECK (systolic_before BETWEEN 50 AND 260),
          diastolic_before INTEGER CHECK (diastolic_before BETWEEN 30 AND 160),
          systolic_after INTEGER CHECK (systolic_after BETWEEN 50 AND 260),
          diastolic_after INTEGER CHECK (diastolic_after BETWEEN 30 AND 160),
          side_effects TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(side_effects)),
          note TEXT CHECK (note IS NULL OR note <> '')
        ) STRICT;
        CREATE TABLE medications (
          id INTEGER PRIMARY KEY,
          taken_at TEXT NOT NULL CHECK (length(taken_at) IN (10, 19)),
          name TEXT NOT NULL CHECK (name <> ''),
          dose REAL NOT NULL CHECK (dose > 0),
          dose_unit TEXT NOT NULL CHECK (dose_unit <> ''),
          note TEXT CHECK (note IS NULL OR note <> ''),
          UNIQUE (taken_at, name)
        ) STRICT;
        """
    _execute_all(conn, statements)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_initial]
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("entries", "treatments", "medications")


# --- opening ----------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    return conn


def translate(exc: sqlite3.Error, path: Path | str = "the diary") -> DatabaseError:
    """Turn an sqlite3 error into a paindiary error a person can act on."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return DatabaseBusyError(f"The diary {path} is in use by another program; try again in a moment.")
    if "not a database" in message or "malformed" in message:
        return DatabaseError(f"{path} is not a readable paindiary database ({message}); run 'paindiary doctor'.")
    if "readonly" in message or "read-only" in message:
        return DatabaseError(f"The diary {path} is read-only; nothing was written.")
    if "disk" in message or "full" in message:
        return DatabaseError(f"Could not write to {path} ({message}); nothing was written.")
    return DatabaseError(f"Database error on {path}: {message}.")


def schema_state(conn: sqlite3.Connection) -> tuple[int, int, bool]:
    """(application_id, user_version, has_any_table) of an open database."""
    # One statement, so one consistent snapshot even while another process migrates.
    app_id, version, tables = conn.execute(
        "SELECT a.application_id, v.user_version, (SELECT count(*) FROM sqlite_master)"
        " FROM pragma_application_id() AS a, pragma_user_version() AS v"
    ).fetchone()
    return int(app_id), int(version), tables > 0


def _check_schema(path: Path, app_id: int, version: int, has_tables: bool) -> None:
    if app_id != APPLICATION_ID and (has_tables or version):
        raise DatabaseError(f"{path} is not a paindiary database; choose another file with --db.")
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{path} was written by a newer paindiary (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade paindiary to use it. The file was not changed."
        )


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply pending migrations, each in its own ``BEGIN IMMEDIATE`` transaction.

    The version is re-read inside each transaction, so several processes opening
    a fresh diary at once apply every migration exactly once.
    """
    while True:
        app_id, version, has_tables = schema_state(conn)
        _check_schema(path, app_id, version, has_tables)
        if version == SCHEMA_VERSION:
            return
        with transaction(conn, path):
            app_id, version, has_tables = schema_state(conn)
            _check_schema(path, app_id, version, has_tables)
            if version == SCHEMA_VERSION:
                return
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def is_paindiary(path: Path) -> bool:
    """True if ``path`` is a readable SQLite file marked as a paindiary diary."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def open_db(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the diary at ``path``."""
    if not path.exists():
        if not create:
            raise DatabaseError(f"No diary at {path}; log an entry first or choose one with --db.")
        touch_private(path)
    elif path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a diary file; give a file path with --db.")
    conn = _connect(path)
    try:
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path | str = "the diary") -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(exc, path) from None
