"""The diary's schema: migrations, in order, and applying them.

Migrations are an ordered list of functions, each written once below and
added to :data:`MIGRATIONS` by the :func:`migration` decorator in the order
they appear (in the style of simonw/llm's migrations); :data:`SCHEMA_VERSION`
is how many there are. ``PRAGMA user_version`` records how many have run on a
diary, and ``PRAGMA application_id`` (:data:`APPLICATION_ID`) marks the file
as a diary. A new schema change is one more decorated function at the end;
a migration that has shipped is never edited.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from paindiary.db import copies, fulltext
from paindiary.db.connection import schema_state
from paindiary.db.handle import Diary
from paindiary.errors import DatabaseError, SchemaTooNewError

APPLICATION_ID = 0x50445259  # "PDRY": marks a paindiary database
TABLES = ("entries", "treatments", "medications")  # the tables every schema version has
LATER_TABLES = ("measurements", "assessments")  # tables later migrations added (schema 2 and 3 on)

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    """Add ``function`` to :data:`MIGRATIONS`, after those written above it."""
    MIGRATIONS.append(function)
    return function


def _execute_all(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the current transaction.

    (``executescript`` would commit first, breaking one-transaction migrations.)
    """
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


@migration
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


@migration
def _m002_measurements(conn: sqlite3.Connection) -> None:
    """Measurements from phones and watches (issue 14): one value per day, metric and source."""
    _execute_all(
        conn,
        """
        CREATE TABLE measurements (
          id INTEGER PRIMARY KEY,
          day TEXT NOT NULL
            CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(day, '+0 days') = day),
          metric TEXT NOT NULL CHECK (metric IN ('sleep_minutes', 'steps', 'resting_hr')),
          value REAL NOT NULL,
          source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 64 AND source = trim(source)),
          UNIQUE (day, metric, source),
          CHECK (metric <> 'sleep_minutes' OR value BETWEEN 0 AND 1440),
          CHECK (metric <> 'steps' OR (value BETWEEN 0 AND 200000 AND value = CAST(value AS INTEGER))),
          CHECK (metric <> 'resting_hr' OR value BETWEEN 20 AND 250)
        ) STRICT;
        CREATE INDEX measurements_by_metric ON measurements (metric, day)
        """,
    )


@migration
def _m003_assessments(conn: sqlite3.Connection) -> None:
    """Follow-up check-ins (issue 11): one PGIC or past-week PEG answer per row."""
    peg = "REAL CHECK ({0} IS NULL OR {0} BETWEEN 0 AND 10)"
    _execute_all(
        conn,
        f"""
        CREATE TABLE assessments (
          id INTEGER PRIMARY KEY,
          recorded_at TEXT NOT NULL CHECK (length(recorded_at) IN (10, 19, 25)),
          instrument TEXT NOT NULL CHECK (instrument IN ('pgic', 'peg')),
          pgic INTEGER CHECK (pgic IS NULL OR pgic BETWEEN 1 AND 7),
          peg_pain {peg.format("peg_pain")},
          peg_enjoyment {peg.format("peg_enjoyment")},
          peg_activity {peg.format("peg_activity")},
          note TEXT CHECK (note IS NULL OR note <> ''),
          UNIQUE (instrument, recorded_at),
          CHECK (instrument <> 'pgic'
                 OR (pgic IS NOT NULL AND coalesce(peg_pain, peg_enjoyment, peg_activity) IS NULL)),
          CHECK (instrument <> 'peg' OR (pgic IS NULL AND peg_pain IS NOT NULL
                                         AND peg_enjoyment IS NOT NULL AND peg_activity IS NOT NULL))
        ) STRICT;
        CREATE INDEX assessments_by_time ON assessments (recorded_at)
        """,
    )


_WITH_OFFSET_SHAPE = (
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9][+-][0-9][0-9]:[0-9][0-9]'"
)
_TIME_CHECKS = {  # the m001 table, its time column and that column's length check
    "entries": ("recorded_at", "length(recorded_at) IN (10, 19)"),
    "treatments": ("started_at", "length(started_at) = 19"),
    "medications": ("taken_at", "length(taken_at) IN (10, 19)"),
}


def _rebuild(conn: sqlite3.Connection, table: str, old_check: str, new_check: str) -> None:
    """Replace one CHECK of ``table`` by rebuilding it (:func:`rebuild_table`)."""
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    assert sql.count(old_check) == 1, table
    rebuild_table(conn, table, sql.replace(old_check, new_check))


def rebuild_table(conn: sqlite3.Connection, table: str, new_sql: str) -> None:
    """Rebuild ``table`` as ``new_sql``, keeping its rows and indexes (its columns, and any it adds).

    The old table is renamed aside, the new one created, the old one's columns copied by
    name (a column the new table adds gets its default), the old one dropped and its
    indexes made again (the key's too: ``entries_key``, schema 7 on). The new table is
    created under the table's own name (not renamed into place), so its schema text stays
    ``CREATE TABLE entries (...`` as written, which later migrations that rebuild a table by
    editing that text rely on. (No view or foreign key refers to these tables; the search
    index's triggers on them go with the old table, so a migration from schema 5 on that
    rebuilds one ends with ``fulltext.rebuild(conn)``, as m006 does.) An empty table (a new
    diary) is dropped first instead, so the new one reuses its pages and a new diary has no
    free pages (free pages are not journaled when reused, so a write killed half-way would
    no longer roll back to the very same bytes).
    """
    indexes = [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
        )
    ]
    assert new_sql.startswith(f"CREATE TABLE {table} ("), table
    if conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
        conn.execute(f"DROP TABLE {table}")
        conn.execute(new_sql)
    else:
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_before_rebuild")
        conn.execute(new_sql)
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}_before_rebuild")
        conn.execute(f"DROP TABLE {table}_before_rebuild")
    for index in indexes:
        conn.execute(index)


def _first_occurrence(conn: sqlite3.Connection, table: str, column: str) -> None:
    """Give naive times in a repeated hour of this zone (older versions stored them) the first occurrence's offset."""
    from datetime import datetime

    from paindiary import when

    years = [
        int(row[0])
        for row in conn.execute(f"SELECT DISTINCT substr({column}, 1, 4) FROM {table} WHERE length({column}) = 19")
    ]
    days = sorted(
        set().union(*(when.transition_days(year) for year in years if when.FIRST_YEAR <= year <= when.LAST_YEAR))
    )
    for start in days:
        rows = conn.execute(
            f"SELECT id, {column} FROM {table} WHERE {column} >= ? AND {column} < ? AND length({column}) = 19",
            (start, when.next_day(start)),
        ).fetchall()
        for record_id, stamp in rows:
            local = datetime.fromisoformat(stamp)
            if when.in_repeated_hour(local):
                conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE id = ?",
                    (stamp + when.offset_text(local.astimezone()), record_id),
                )


@migration
def _m004_times_with_offsets(conn: sqlite3.Connection) -> None:
    """Times in a repeated hour stored with their UTC offset (issue 10): ``2026-11-01T01:30:00-04:00``.

    The m001 length checks are widened to allow that 25-character shape (m003's assessments
    already allow it), and naive times that fall in a repeated hour of this machine's time
    zone, in those tables and in assessments, are given the offset of the first occurrence
    (how the FHIR export already read them).
    """
    for table, (column, check) in _TIME_CHECKS.items():
        wider = f"({check} OR (length({column}) = 25 AND {column} GLOB {_WITH_OFFSET_SHAPE}))"
        _rebuild(conn, table, check, wider)
    for table, column in (
        *((table, column) for table, (column, _) in _TIME_CHECKS.items()),
        ("assessments", "recorded_at"),
    ):
        _first_occurrence(conn, table, column)


@migration
def _m005_fulltext_index(conn: sqlite3.Connection) -> None:
    """The full-text index for ``paindiary search`` (:mod:`paindiary.db.fulltext`), built from existing records.

    :func:`paindiary.db.fulltext.rebuild` is idempotent: it creates what is missing and
    refills the rest. A later migration that rebuilds an indexed table (dropping a table
    drops its triggers) ends with ``fulltext.rebuild(conn)`` to make them again.
    """
    fulltext.rebuild(conn)


@migration
def _m006_entry_checks_without_null_tests(conn: sqlite3.Connection) -> None:
    """The entries table's CHECK constraints written without their NULL tests: the same rules, quicker to check.

    A CHECK fails only when its expression is false; a NULL passes. So ``pain BETWEEN 0 AND 10``
    already lets a missing pain through and ``least_pain <= pain`` already holds when either is
    missing: the ``X IS NULL OR`` in front of each only gave SQLite more to evaluate for every row
    (about 30 ms of importing 100,000 entries, a tenth of SQLite's share). The table is rebuilt
    (:func:`rebuild_table`, which drops its search triggers) and the search index made again.
    """
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'").fetchone()
    lighter, singles = re.subn(r"CHECK \((\w+) IS NULL OR \1 ", r"CHECK (\1 ", sql)
    lighter, pairs = re.subn(r"CHECK \((\w+) IS NULL OR (\w+) IS NULL OR \1 <= \2\)", r"CHECK (\1 <= \2)", lighter)
    assert singles >= 9 and pairs == 3 and "IS NULL OR" not in lighter, (singles, pairs)
    rebuild_table(conn, "entries", lighter)
    fulltext.rebuild(conn)


_KEYS = {  # each table's natural key, as m001-m003 declared it UNIQUE
    "entries": ("recorded_at",),
    "treatments": ("started_at",),
    "medications": ("taken_at", "name"),
    "measurements": ("day", "metric", "source"),
    "assessments": ("instrument", "recorded_at"),
}


def key_index(table: str) -> str:
    """The name of the unique index on ``table``'s natural key (schema 7 on): ``entries_key``."""
    return f"{table}_key"


def key_index_sql(table: str) -> str:
    """The statement that makes ``table``'s key index (:func:`key_index`)."""
    return f"CREATE UNIQUE INDEX {key_index(table)} ON {table} ({', '.join(_KEYS[table])})"


def missing_key_indexes(conn: sqlite3.Connection) -> list[str]:
    """The tables whose key index is not there (schema 7 on; only a hand-made change removes one)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return [table for table in _KEYS if key_index(table) not in names]


@migration
def _m007_keys_as_named_indexes(conn: sqlite3.Connection) -> None:
    """Each table's natural key kept unique by a named index (``entries_key``) instead of a UNIQUE constraint.

    The rule is the same (``CREATE UNIQUE INDEX`` refuses what ``UNIQUE`` refused, with the
    same message); what changes is that a named index can be dropped and made again. An
    import into an empty table does that (:class:`paindiary.transfer.staging.Direct`):
    SQLite builds the index from all the rows at once, sorted, faster than growing it a row
    at a time (about 30 ms less of importing 100,000 entries). The tables are rebuilt
    (:func:`rebuild_table`) and the search index made again.
    """
    for table, key in _KEYS.items():
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        if len(key) == 1:
            without, found = re.subn(rf"({key[0]} TEXT NOT NULL) UNIQUE ", r"\1 ", sql)
        else:
            without, found = re.subn(rf",\s*UNIQUE \({', '.join(key)}\)", "", sql)
        assert found == 1 and "UNIQUE" not in without, table
        rebuild_table(conn, table, without)
        conn.execute(key_index_sql(table))
    fulltext.rebuild(conn)


SCHEMA_VERSION = len(MIGRATIONS)
FULLTEXT_SINCE = MIGRATIONS.index(_m005_fulltext_index) + 1  # the schema version that has the search index
KEYS_SINCE = MIGRATIONS.index(_m007_keys_as_named_indexes) + 1  # the schema version with the key indexes


# --- applying them ------------------------------------------------------------


def _check_schema(path: Path, app_id: int, version: int, has_tables: bool) -> None:
    if app_id != APPLICATION_ID and (has_tables or version):
        raise DatabaseError(f"{path} is not a paindiary database; choose another file with --db.")
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{path} was written by a newer paindiary (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade paindiary to use it. The file was not changed."
        )


def migration_backup_path(path: Path, version: int) -> Path:
    """Where the copy of a diary at schema ``version`` is kept before upgrading it."""
    return copies.free_name(path.parent, f"{path.stem}-schema-{version}-backup")


def migrate(diary: Diary, *, backup: bool = True, on_backup: Callable[[Path], None] | None = None) -> Path | None:
    """Apply the pending migrations in one ``BEGIN IMMEDIATE`` transaction: a diary is upgraded whole or not at all.

    The version is re-read inside the transaction, so several processes opening a
    fresh diary at once apply every migration exactly once. Before upgrading a diary
    that holds data, a verified copy of it is saved beside it (see
    :func:`migration_backup_path`), inside that transaction so it is exactly what is
    upgraded; if the copy fails, nothing is upgraded. Returns that copy's path
    (``None`` if none was needed). (One transaction, not one per migration: each
    commit waits for the disk: a new diary takes about 10 ms instead of 20.)
    """
    conn, path = diary.conn, diary.path
    app_id, version, has_tables = schema_state(conn)
    _check_schema(path, app_id, version, has_tables)
    if version == SCHEMA_VERSION:
        return None
    saved: Path | None = None
    with diary.transaction():
        app_id, version, has_tables = schema_state(conn)
        _check_schema(path, app_id, version, has_tables)
        if version == SCHEMA_VERSION:
            return None
        if backup and version >= 1 and copies.has_rows(conn):
            saved = copies.snapshot(path, migration_backup_path(path, version), expect=copies.count_rows(conn))
            if on_backup is not None:
                on_backup(saved)
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return saved
