"""The staging table of an import and the set-based SQL run on it.

:class:`Stage` holds one kind's valid rows in a temporary table (file order is
its rowid). The checks find, for all rows at once, keys repeated in the file,
records that break ``models.RULES`` once merged with the stored record, and
keys already stored; each problem goes to a ``report(recno, line, message)``
callback. :func:`apply` then writes with one ``UPDATE ... FROM`` and one
``INSERT ... SELECT`` per set of fields present. :class:`Direct` is the fast
path that skips the staging table while every row is certainly a new record,
and hands its rows to a :class:`Stage` as soon as that is not certain.
Everything runs inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from paindiary import models
from paindiary.db.schema import key_index, key_index_sql
from paindiary.errors import PaindiaryError
from paindiary.store import Kind

Report = Callable[[int, "int | None", object], None]
_stage_numbers = count(1)


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class RepeatedKey(Exception):
    """A key appears twice in the file (found by the insert into an empty table)."""


class Stage:
    """The temporary table holding one kind's valid rows until the checks have run."""

    def __init__(self, conn: sqlite3.Connection, kind: Kind) -> None:
        self.conn, self.kind = conn, kind
        # Created inside the import's transaction, so a rollback removes it; after a commit it
        # is left for the connection's end (dropping 100,000 rows costs more than the check).
        name = f"paindiary_import_{kind.name}_{next(_stage_numbers)}"
        self.table = f"temp.{name}"
        self.bits = {name: 1 << i for i, name in enumerate(kind.fields)}
        columns = ", ".join(kind.fields)
        conn.execute(f"CREATE TEMP TABLE {name} (recno, line, present, {columns})")
        self.insert_sql = f"INSERT INTO {self.table} VALUES ({', '.join('?' * (3 + len(kind.fields)))})"
        self.rows = 0
        self.masks: set[int] = set()  # which fields rows have, as bit masks over kind.fields
        self.stored_before = conn.execute(f"SELECT count(*) FROM {kind.table}").fetchone()[0]

    def add(self, rows: Iterable[Sequence[Any]], count: int, masks: Iterable[int]) -> None:
        self.conn.executemany(self.insert_sql, rows)
        self.rows += count
        self.masks.update(masks)


class Direct:
    """One kind's rows written straight into its table: the fast path, while it is known to be safe.

    Safe while the table's own constraints accept every row: a row whose key is
    stored already or repeated in the file breaks the unique index on the
    kind's key (so every row written is a new record, and ``--on-conflict`` has nothing
    to decide), and the schema's NOT NULL and CHECK constraints refuse exactly the
    rows that break ``models.RULES`` (tests prove both), except the pairs of a kind whose
    ``Rules.pairs_in_schema`` is False, which the importer tests on each chunk before it
    comes here. Into an empty table, the key's index (``entries_key``) is set aside while
    the rows go in and made again by :meth:`finish`, which finds a key repeated in the file
    (an empty table stores no key to repeat). Rows go in in file order, so
    their ids follow on from the largest stored id; ``runs`` maps those ids back to
    record numbers and lines, so :meth:`to_stage` can hand every row to the staged path
    (which finds and reports each problem) the moment the fast path cannot go on.
    """

    MAX_RUNS = 10_000  # runs of consecutive records and lines kept (bounds memory)

    def __init__(self, conn: sqlite3.Connection, kind: Kind, mask: int) -> None:
        self.conn, self.kind, self.mask = conn, kind, mask
        self.base: int = conn.execute(f"SELECT coalesce(max(id), 0) FROM {kind.table}").fetchone()[0]
        # (past 2**62, SQLite may stop giving ids in order: leave such a diary to the staged path)
        self.usable = self.base < 1 << 62
        names = [name for i, name in enumerate(kind.fields) if mask >> i & 1]
        self.insert_sql = f"INSERT INTO {kind.table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        self.rows = 0  # rows written, with ids base + 1 ... base + rows
        self.runs: list[tuple[int, int, int]] = []  # (rows, first record number, first line), in id order
        self.key_index: str | None = None  # the statement making the key index while it is set aside (see finish)
        if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM {kind.table})").fetchone()[0]:
            conn.execute(f"DROP INDEX {key_index(kind.table)}")
            self.key_index = key_index_sql(kind.table)

    def add(self, rows: Iterable[Sequence[Any]], runs: Sequence[tuple[int, int, int]]) -> bool:
        """Write a chunk's rows; False if the staged path must take them (and :meth:`to_stage` be called)."""
        if not self.usable or len(self.runs) + len(runs) > self.MAX_RUNS:
            return False
        try:
            self.conn.executemany(self.insert_sql, rows)
        except sqlite3.IntegrityError:  # a key stored or repeated, or a broken rule: the stage will say which
            return False  # (rows of this chunk written before the failing one: to_stage deletes them)
        self.rows += sum(n for n, _, _ in runs)
        self.runs.extend(runs)
        return True

    def finish(self) -> bool:
        """Make the key index again if it was set aside; False if a key is repeated in the file.

        After False, :meth:`to_stage` must be called (it takes the rows out and then makes the index).
        """
        if self.key_index is None:
            return True
        try:
            self.conn.execute(self.key_index)
        except sqlite3.IntegrityError:  # (a failed statement leaves the transaction and its rows as they were)
            return False
        self.key_index = None
        return True

    def to_stage(self, stage: Stage) -> None:
        """Move the rows written into ``stage`` (with their record numbers and lines), out of the table."""
        kind = self.kind
        columns = ", ".join(name if self.mask & stage.bits[name] else "NULL" for name in kind.fields)
        sql = (
            f"INSERT INTO {stage.table} SELECT id - ?1 + ?2, id - ?1 + ?3, {self.mask}, {columns} "
            f"FROM {kind.table} WHERE id >= ?1 AND id < ?1 + ?4 ORDER BY id"
        )
        first_id = self.base + 1
        for rows, recno, line in self.runs:
            self.conn.execute(sql, (first_id, recno, line, rows))
            first_id += rows
        self.conn.execute(f"DELETE FROM {kind.table} WHERE id > ?", (self.base,))
        if not self.finish():  # (the table is as before the import: the index is made again)
            raise AssertionError("the key index could not be made again")
        stage.stored_before = self.conn.execute(f"SELECT count(*) FROM {kind.table}").fetchone()[0]
        stage.rows += self.rows
        if self.rows:
            stage.masks.add(self.mask)
        self.rows, self.runs = 0, []


def _key_join(kind: Kind, left: str = "s", right: str = "e") -> str:
    return " AND ".join(f"{right}.{name} = {left}.{name}" for name in kind.key)


def check_duplicates(stage: Stage, report: Report) -> None:
    """Report keys that appear more than once in the file."""
    kind, keys = stage.kind, ", ".join(stage.kind.key)
    distinct = stage.conn.execute(f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {stage.table})").fetchone()[0]
    if distinct == stage.rows:
        return
    sql = f"""
        SELECT recno, line, first_recno, {keys} FROM (
          SELECT recno, line, {keys}, row_number() OVER w AS n, first_value(recno) OVER w AS first_recno
          FROM {stage.table} WINDOW w AS (PARTITION BY {keys} ORDER BY recno)
        ) WHERE n > 1"""
    for recno, line, first, *key in stage.conn.execute(sql):
        report(recno, line, f"{' '.join(map(str, key))} is already in record {first} of this file; "
                               f"each {kind.singular} may appear once.")  # fmt: skip


def _merged_values(names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in zip(names, row, strict=True):
        if value is None:
            value = ""
        elif name in ("tags", "side_effects"):
            value = json.loads(value)
        values[name] = value
    return values


def check_rules(stage: Stage, on_conflict: str, report: Report) -> None:
    """Find rows that break the record rules once merged with the stored record, with set-based SQL.

    A field the row has comes from the file; one it lacks keeps the stored value
    (``--on-conflict update``) or is empty (a new record).
    """
    kind, conn = stage.kind, stage.conn
    rules = models.RULES[kind.name]
    update = on_conflict == "update"
    for mask in sorted(stage.masks):

        def merged(name: str, mask: int = mask) -> str:
            if name in kind.key or mask & stage.bits[name]:
                return f"s.{name}"
            return f"(SELECT e.{name} FROM {kind.table} e WHERE {_key_join(kind)})" if update else "NULL"

        tests = [f"{merged(name)} IS NULL" for name in rules.required]
        if rules.any_of:
            tests.append(f"coalesce({', '.join(merged(name) for name in rules.any_of)}) IS NULL")
        tests += [f"{merged(low)} > {merged(high)}" for low, high in rules.not_above]
        tests += [condition.format(**{name: merged(name) for name in kind.fields}) for condition in rules.breaks]
        if not tests:
            continue
        new_only = "" if update else f"AND NOT EXISTS (SELECT 1 FROM {kind.table} e WHERE {_key_join(kind)})"
        sql = (
            f"SELECT s.recno, s.line, {', '.join(merged(name) for name in kind.fields)} FROM {stage.table} s "
            f"WHERE s.present = ? AND ({' OR '.join(tests)}) {new_only}"
        )
        for recno, line, *row in conn.execute(sql, (mask,)).fetchall():
            values = _merged_values(kind.fields, row)
            absent = [name for name in rules.required if values[name] == "" and not mask & stage.bits[name]]
            if absent:
                report(recno, line, f"{', '.join(absent)} is missing for this new {kind.singular}.")
                continue
            try:
                kind.make(values)
            except PaindiaryError as exc:
                report(recno, line, exc)
            else:  # the SQL and the models disagree: refuse rather than guess
                report(recno, line, f"this {kind.singular} breaks a record rule.")


def check_conflicts(stage: Stage, report: Report) -> None:
    kind = stage.kind
    keys = ", ".join(f"s.{name}" for name in kind.key)
    sql = f"SELECT s.recno, s.line, e.id, {keys} FROM {stage.table} s JOIN {kind.table} e ON {_key_join(kind)}"
    for recno, line, record_id, *key in stage.conn.execute(sql):
        report(
            recno, line, f"{kind.singular} {' '.join(map(str, key))} is already in the diary (id {record_id}); "
            "use --on-conflict update or skip."
        )  # fmt: skip


def apply(stage: Stage, on_conflict: str) -> Counts:
    """Write the staged rows: per set of fields present, one ``UPDATE ... FROM`` and one ``INSERT ... SELECT``.

    (Not ``INSERT ... ON CONFLICT DO UPDATE``: SQLite checks a row's CHECK constraints before it
    finds the conflict, so a file holding only some fields could not update a stored record.)
    """
    conn, kind = stage.conn, stage.kind
    match = _key_join(kind)
    inserted = updated = 0
    for mask in sorted(stage.masks):
        names = [name for name in kind.fields if name in kind.key or mask & stage.bits[name]]
        others = [name for name in names if name not in kind.key]
        columns = ", ".join(names)
        if stage.stored_before and on_conflict == "update" and others:
            assign = ", ".join(f"{name} = s.{name}" for name in others)
            same = " AND ".join(f"e.{name} IS s.{name}" for name in others)
            updated += conn.execute(
                f"UPDATE {kind.table} AS e SET {assign} FROM {stage.table} AS s "
                f"WHERE s.present = ? AND {match} AND NOT ({same})",
                (mask,),
            ).rowcount
        new_only = f"AND NOT EXISTS (SELECT 1 FROM {kind.table} e WHERE {match})" if stage.stored_before else ""
        try:
            inserted += conn.execute(
                f"INSERT INTO {kind.table} ({columns}) SELECT {columns} FROM {stage.table} s "
                f"WHERE s.present = ? {new_only} ORDER BY s.rowid",
                (mask,),
            ).rowcount
        except sqlite3.IntegrityError as exc:
            if stage.stored_before or "UNIQUE" not in str(exc):
                raise
            raise RepeatedKey from None  # into an empty table, a key repeated in the file shows up here first
    return Counts(inserted, updated, stage.rows - inserted - updated)
