"""The database file: where it lives, opening it privately, migrating, transactions.

:func:`open_db` is the one place that opens a diary and applies migrations.
Migrations are an ordered list of functions; ``PRAGMA user_version`` records
how many have run, and ``PRAGMA application_id`` marks the file as a diary.
Connections run in autocommit mode with a rollback journal, and every change
goes through :func:`transaction` (``BEGIN IMMEDIATE``), so a failure leaves
the file as it was. :func:`snapshot` makes a consistent, verified, private copy
of a database (backups, safety copies, the copy kept before a schema upgrade).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from paindiary.errors import DatabaseBusyError, DatabaseError, SchemaTooNewError
from paindiary.files import make_private_dirs, remove_stale, temp_prefix, touch_private

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
        _configure(conn)
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    return conn


def _configure(conn: sqlite3.Connection) -> None:
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
        _configure(conn)
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


def _check_schema(path: Path, app_id: int, version: int, has_tables: bool) -> None:
    if app_id != APPLICATION_ID and (has_tables or version):
        raise DatabaseError(f"{path} is not a paindiary database; choose another file with --db.")
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{path} was written by a newer paindiary (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade paindiary to use it. The file was not changed."
        )


def has_rows(conn: sqlite3.Connection, schema: str = "main") -> bool:
    """True if any table of the database holds a row."""
    tables = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return any(conn.execute(f'SELECT EXISTS (SELECT 1 FROM {schema}."{name}")').fetchone()[0] for (name,) in tables)


def count_rows(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """Rows per table (all tables of the database, by name)."""
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: int(conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]) for name in names}


def free_name(folder: Path, stem: str, suffix: str = ".db") -> Path:
    """``folder/stem.db``, or ``stem-2.db``, ``stem-3.db``... if that is taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def migration_backup_path(path: Path, version: int) -> Path:
    """Where the copy of a diary at schema ``version`` is kept before upgrading it."""
    return free_name(path.parent, f"{path.stem}-schema-{version}-backup")


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    *,
    backup: bool = True,
    on_backup: Callable[[Path], None] | None = None,
) -> Path | None:
    """Apply pending migrations, each in its own ``BEGIN IMMEDIATE`` transaction.

    The version is re-read inside each transaction, so several processes opening
    a fresh diary at once apply every migration exactly once. Before upgrading a
    diary that holds data, a verified copy of it is saved beside it (see
    :func:`migration_backup_path`), inside the first migration's transaction so it
    is exactly what is upgraded; if the copy fails, nothing is upgraded. Returns
    that copy's path (``None`` if none was needed).
    """
    saved: Path | None = None
    while True:
        app_id, version, has_tables = schema_state(conn)
        _check_schema(path, app_id, version, has_tables)
        if version == SCHEMA_VERSION:
            return saved
        with transaction(conn, path):
            app_id, version, has_tables = schema_state(conn)
            _check_schema(path, app_id, version, has_tables)
            if version == SCHEMA_VERSION:
                return saved
            if backup and saved is None and version >= 1 and has_rows(conn):
                saved = snapshot(path, migration_backup_path(path, version), expect=count_rows(conn))
                if on_backup is not None:
                    on_backup(saved)
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


def open_db(
    path: Path,
    *,
    create: bool = True,
    backup: bool = True,
    on_backup: Callable[[Path], None] | None = None,
) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the diary at ``path``.

    Upgrading a diary that holds data first saves a copy of it (``backup=False``
    skips that, for paindiary's own temporary copies); ``on_backup`` is told where.
    """
    try:
        if not path.exists() or (path.is_file() and path.stat().st_size == 0):  # an empty file is a new diary
            if not create:
                raise DatabaseError(f"No diary at {path}; `paindiary log` creates one.")
            touch_private(path)  # 0600, whatever an existing empty file was
        elif path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a diary file; give a file path with --db.")
        elif not path.is_file():
            raise DatabaseError(
                f"{path} is not a regular file (a device, a pipe or a socket); give a diary file with --db."
            )
        remove_stale(path.parent)  # temporary copies left by killed paindiary processes
    except OSError as exc:
        raise DatabaseError(
            f"Cannot create the diary {path}: {exc.strerror or exc}; choose another place with --db."
        ) from None
    conn = _connect(path)
    try:
        migrate(conn, path, backup=backup, on_backup=on_backup)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


# --- copies -------------------------------------------------------------------


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


def replace_contents(conn: sqlite3.Connection, path: Path, incoming: Path, keep: Path) -> Path | None:
    """Replace every row of the diary with those of ``incoming`` (same schema), in one transaction.

    Under the same write lock, first a verified copy of the current contents is
    saved to ``keep`` (unless the diary is empty), so no write by another process
    can fall between the copy and the replacement. Returns the copy's path.
    """
    saved: Path | None = None
    conn.execute("ATTACH DATABASE ? AS incoming", (str(incoming),))
    try:
        with transaction(conn, path):
            if _layout(conn, "main") != _layout(conn, "incoming"):
                raise DatabaseError(f"{incoming} does not have the diary's layout; nothing was restored.")
            saved = snapshot(path, keep, expect=count_rows(conn)) if has_rows(conn) else None
            for (name,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
                if name.startswith("sqlite_"):
                    continue
                columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{name}")'))
                conn.execute(f'DELETE FROM main."{name}"')
                conn.execute(f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM incoming."{name}"')
            if count_rows(conn) != count_rows(conn, "incoming"):
                raise DatabaseError(f"Not every row of {incoming} could be copied; nothing was restored.")
    except BaseException:
        if saved is not None:
            saved.unlink(missing_ok=True)  # the diary was not replaced: no copy to keep
        raise
    finally:
        conn.execute("DETACH DATABASE incoming")
    return saved


def _rollback(conn: sqlite3.Connection) -> None:
    # If even the rollback fails, the journal stays and SQLite rolls back on the next open.
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path | str | None = None) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error.

    ``BEGIN IMMEDIATE`` takes the write lock up front (waiting up to
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
