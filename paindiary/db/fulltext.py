"""The full-text index of the diary's words: which columns it holds, building, checking, rebuilding it.

Each indexed table has an FTS5 index beside it (``entries_fts``, ``treatments_fts``,
``medications_fts``, ``assessments_fts``): an *external content* index (it stores only
the index, reading the text from the table) with triggers (``entries_ai``, ``_ad``,
``_au``) that keep it current on every insert, edit and delete. The triggers are the
ones sqlite-utils' ``enable_fts(..., create_triggers=True)`` writes (a test compares
them); the index table differs in one option, ``columnsize=0``: it keeps no per-row
token counts (used only by bm25 ranking, and search lists newest first), which makes
indexing about three times faster (measured: 100,000 entries in ~0.1 s instead of
~0.3 s). sqlite-utils itself is not imported to make them: it loads numpy (~0.3 s),
and every new diary runs this migration. Tags and side effects are stored as JSON text
(``["flare", "left knee"]``) and indexed as that text: the tokenizer (``unicode61``)
drops the brackets, quotes and commas, so each word of each tag is a search word.

A bulk import (:func:`bulk`) sets the insert and delete triggers aside inside its
transaction and indexes the rows it added with one ``INSERT ... SELECT`` before it
commits; a failed import rolls the triggers, the rows and the index back together.

:func:`rebuild` is idempotent: it creates whatever index or trigger is missing (after a
migration that rebuilt a table, say: dropping a table drops its triggers) and refills
each index from its table. Everything here runs inside the caller's transaction (plain
SQL statements: nothing here commits).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

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


def _in_transaction(conn: sqlite3.Connection, what: str) -> None:
    if not conn.in_transaction:
        raise RuntimeError(f"fulltext.{what} runs inside a transaction")  # never commit half an index


def _exists(conn: sqlite3.Connection, name: str, kind: str = "table") -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)).fetchone() is not None


def _quoted(names: tuple[str, ...], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{name}"' for name in names)


def statements(table: str) -> list[str]:
    """The index of ``table`` and its three triggers (the triggers as sqlite-utils' ``enable_fts`` writes them)."""
    columns = INDEXED[table]
    fts, names = fts_table(table), _quoted(columns)
    new, old = _quoted(columns, "new."), _quoted(columns, "old.")
    add = f'INSERT INTO "{fts}" (rowid, {names}) VALUES (new.rowid, {new});'
    remove = f'INSERT INTO "{fts}" ("{fts}", rowid, {names}) VALUES(\'delete\', old.rowid, {old});'
    return [
        f'CREATE VIRTUAL TABLE "{fts}" USING FTS5 (\n    {names},\n    content="{table}",\n    columnsize=0\n)',
        f'CREATE TRIGGER "{table}_ai" AFTER INSERT ON "{table}" BEGIN\n  {add}\nEND',
        f'CREATE TRIGGER "{table}_ad" AFTER DELETE ON "{table}" BEGIN\n  {remove}\nEND',
        f'CREATE TRIGGER "{table}_au" AFTER UPDATE ON "{table}" BEGIN\n  {remove}\n  {add}\nEND',
    ]


def enable(conn: sqlite3.Connection, table: str) -> None:
    """Create ``table``'s index with its triggers and fill it from the table (run it inside a transaction)."""
    for statement in statements(table):
        conn.execute(statement)
    conn.execute(f"INSERT INTO {fts_table(table)}({fts_table(table)}) VALUES ('rebuild')")


def problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the index (empty when it agrees with its tables).

    Checks that each index and its triggers exist and FTS5's ``integrity-check``
    (which, for an external content index, compares the index with the table's
    text: a record missing from the index, or indexed with other words, is found).
    On a read-only diary FTS5 cannot run that check; only the first two are made.
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
            if "readonly" not in str(exc):
                found.append(f"the index of {table} does not match its records")
    return found


def rebuild(conn: sqlite3.Connection) -> None:
    """Make every index and its triggers if missing and refill each from its table (run it inside a transaction).

    Idempotent: safe on a diary with no index, a full one, or one whose tables a
    migration has just rebuilt (and so lost their triggers).
    """
    for table in INDEXED:
        if not _exists(conn, table):
            continue
        fts = fts_table(table)
        if _exists(conn, fts) and all(_exists(conn, table + s, "trigger") for s in TRIGGER_SUFFIXES):
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            continue
        conn.execute(f"DROP TABLE IF EXISTS {fts}")
        for suffix in TRIGGER_SUFFIXES:
            conn.execute(f"DROP TRIGGER IF EXISTS {table}{suffix}")
        enable(conn, table)


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
        columns = _quoted(INDEXED[table])
        conn.execute(
            f"INSERT INTO {fts_table(table)} (rowid, {columns}) SELECT rowid, {columns} FROM {table} WHERE rowid > ?",
            (base[table],),
        )
    for _, sql in triggers:
        conn.execute(sql)
