"""The full-text index of the diary's words: which columns it holds, building, checking, rebuilding it.

Each indexed table has an FTS5 index beside it (``entries_fts``, ``treatments_fts``,
``medications_fts``, ``assessments_fts``) made by sqlite-utils' ``enable_fts`` as an
*external content* index (it stores only the index, reading the text from the table)
with triggers (``entries_ai``, ``_ad``, ``_au``) that keep it current on every insert,
edit and delete. Tags and side effects are stored as JSON text (``["flare", "left knee"]``)
and indexed as that text: the tokenizer (``unicode61``) drops the brackets, quotes and
commas, so each word of each tag is a search word.

A bulk import (:func:`bulk`) sets the insert and delete triggers aside inside its
transaction and indexes the rows it added with one ``INSERT ... SELECT`` before it
commits; a failed import rolls the triggers, the rows and the index back together.

:func:`rebuild` is idempotent: it creates whatever index or trigger is missing (after a
migration that rebuilt a table, say: dropping a table drops its triggers) and refills
each index from its table. sqlite-utils is imported inside the functions that need it
(``paindiary log`` and ``paindiary import`` never load it). Everything here runs inside
the caller's transaction: sqlite-utils runs statements one by one when a transaction is
open (it never commits).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

INDEXED: dict[str, tuple[str, ...]] = {
    "entries": ("note", "tags"),
    "treatments": ("name", "note", "side_effects"),
    "medications": ("name", "note"),
    "assessments": ("note",),
}
TRIGGER_SUFFIXES = ("_ai", "_ad", "_au")
SET_ASIDE = ("_ai", "_ad")  # by a bulk import (see :func:`bulk`)


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


def _in_transaction(conn: sqlite3.Connection, what: str) -> None:
    if not conn.in_transaction:
        raise RuntimeError(f"fulltext.{what} runs inside a transaction")  # never commit half an index


def _exists(conn: sqlite3.Connection, name: str, kind: str = "table") -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)).fetchone() is not None


def enable(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    """Create ``table``'s index over ``columns`` with its triggers and fill it (inside a transaction)."""
    _in_transaction(conn, "enable")
    _database(conn).table(table).enable_fts(list(columns), fts_version="FTS5", create_triggers=True)


def problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the index (empty when it agrees with its tables).

    Checks that each index and its triggers exist, FTS5's ``integrity-check``
    (which, for an external content index, compares the index with the table's
    text) and that the index holds one row per record.
    """
    found: list[str] = []
    for table in INDEXED:
        if not _exists(conn, table):
            continue  # an older schema (the migration that adds the table has not run)
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
    """Make every index and its triggers if missing and refill each from its table (inside a transaction).

    Idempotent: safe on a diary with no index, a full one, or one whose tables a
    migration has just rebuilt (and so lost their triggers).
    """
    _in_transaction(conn, "rebuild")
    for table, columns in INDEXED.items():
        if not _exists(conn, table):
            continue
        fts = fts_table(table)
        if _exists(conn, fts) and all(_exists(conn, table + s, "trigger") for s in TRIGGER_SUFFIXES):
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            continue
        conn.execute(f"DROP TABLE IF EXISTS {fts}")
        for suffix in TRIGGER_SUFFIXES:
            conn.execute(f"DROP TRIGGER IF EXISTS {table}{suffix}")
        enable(conn, table, columns)


@contextmanager
def bulk(conn: sqlite3.Connection) -> Iterator[None]:
    """Many inserts at once (an import), indexed with one statement per table at the end (inside a transaction).

    The insert and delete triggers are dropped for the block and made again after
    it, in the caller's transaction, and the rows added (ids above the largest one
    before) are indexed with one ``INSERT ... SELECT``. This relies on what an import
    does: it deletes only rows it added itself (moving them to its staging table) and
    updates only rows stored before it (the update trigger stays and indexes those).
    If the block raises, nothing is done here: the caller's rollback restores the
    triggers and leaves rows and index as they were.
    """
    _in_transaction(conn, "bulk")
    tables = [table for table in INDEXED if _exists(conn, fts_table(table))]
    names = [table + suffix for table in tables for suffix in SET_ASIDE]
    marks = ", ".join("?" * len(names))
    triggers = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", names
    ).fetchall()
    if len(triggers) != len(names):  # an index without its triggers: leave it to doctor --repair
        yield
        return
    base = {table: conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0] for table in tables}
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for table in tables:
        columns = ", ".join(f'"{column}"' for column in INDEXED[table])
        conn.execute(
            f"INSERT INTO {fts_table(table)} (rowid, {columns}) SELECT rowid, {columns} FROM {table} WHERE rowid > ?",
            (base[table],),
        )
    for _, sql in triggers:
        conn.execute(sql)
