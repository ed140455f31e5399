"""The full-text index of the diary's words: which columns it holds, building, checking, rebuilding it.

Each record table has an FTS5 index beside it (``entries_fts``, ``treatments_fts``,
``medications_fts``) made by sqlite-utils' ``enable_fts`` as an *external content*
index (it stores only the index, reading the text from the table) with triggers
(``entries_ai``, ``_ad``, ``_au``) that keep it current on every insert, edit and
delete, imports included. Tags and side effects are stored as JSON text
(``["flare", "left knee"]``) and indexed as that text: the tokenizer (``unicode61``)
drops the brackets, quotes and commas, so each word of each tag is a search word.

sqlite-utils is imported inside the functions that need it (``paindiary log`` never
loads it). Everything here runs inside the caller's transaction: sqlite-utils runs
statements one by one when a transaction is open (it never commits), and its
``rebuild_fts`` uses a savepoint.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

INDEXED: dict[str, tuple[str, ...]] = {
    "entries": ("note", "tags"),
    "treatments": ("name", "note", "side_effects"),
    "medications": ("name", "note"),
}
TRIGGER_SUFFIXES = ("_ai", "_ad", "_au")
INDEXED_SINCE = 2  # the schema version (migration) that added the index


def fts_table(table: str) -> str:
    """The name of ``table``'s index (as sqlite-utils names it)."""
    return f"{table}_fts"


def is_index_table(name: str) -> bool:
    """True for an index and its shadow tables (``entries_fts``, ``entries_fts_data``...)."""
    return any(name == fts_table(table) or name.startswith(fts_table(table) + "_") for table in INDEXED)


def _database(conn: sqlite3.Connection) -> Database:
    from sqlite_utils import Database

    # No PRAGMA recursive_triggers, no plugins: only the tables and triggers are added.
    return Database(conn, recursive_triggers=False, execute_plugins=False)


def enable(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    """Create ``table``'s index over ``columns`` with its triggers and fill it (inside a transaction)."""
    if not conn.in_transaction:
        raise RuntimeError("fulltext.enable runs inside a transaction")  # never commit half an index
    _database(conn).table(table).enable_fts(list(columns), fts_version="FTS5", create_triggers=True)


def _exists(conn: sqlite3.Connection, name: str, kind: str = "table") -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)).fetchone() is not None


def problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the index (empty when it agrees with its tables).

    Checks that each index and its triggers exist, FTS5's ``integrity-check``
    (which, for an external content index, compares the index with the table's
    text) and that the index holds one row per record.
    """
    found: list[str] = []
    for table in INDEXED:
        fts = fts_table(table)
        if not _exists(conn, fts):
            found.append(f"no index for {table}")
            continue
        missing = [table + s for s in TRIGGER_SUFFIXES if not _exists(conn, table + s, "trigger")]
        if missing:
            found.append(f"{table}: triggers missing ({', '.join(missing)})")
        try:
            conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            if "readonly" not in str(exc):  # a read-only file: only the row counts below are checked
                found.append(f"the index of {table} does not match its records")
                continue
        records = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        indexed = conn.execute(f"SELECT count(*) FROM {fts}_docsize").fetchone()[0]
        if records != indexed:
            found.append(f"the index of {table} holds {indexed} rows for {records} records")
    return found


def rebuild(conn: sqlite3.Connection) -> None:
    """Rebuild every index from its table, creating any that is missing, with its triggers (inside a transaction)."""
    if not conn.in_transaction:
        raise RuntimeError("fulltext.rebuild runs inside a transaction")
    database = _database(conn)
    for table, columns in INDEXED.items():
        if _exists(conn, fts_table(table)) and all(_exists(conn, table + s, "trigger") for s in TRIGGER_SUFFIXES):
            database.table(table).rebuild_fts()
        else:
            for name in (fts_table(table),):
                conn.execute(f"DROP TABLE IF EXISTS {name}")
            for suffix in TRIGGER_SUFFIXES:
                conn.execute(f"DROP TRIGGER IF EXISTS {table}{suffix}")
            enable(conn, table, columns)
