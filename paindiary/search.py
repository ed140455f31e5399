"""Full-text search of the diary's words (``paindiary search``): the query, the matches, newest first.

The index is :mod:`paindiary.db.fulltext` (FTS5, kept current by triggers). By
default the words typed are searched for as plain words: each is quoted (with
sqlite-utils' ``quote_fts``), so ``AND``, ``-`` or a lone ``"`` are just text, and
a record matches when it holds every word (case and accents ignored). ``raw``
passes the query to FTS5 as written (``OR``, ``NOT``, ``"a phrase"``, ``prefix*``,
``NEAR(...)``); a query FTS5 cannot read raises :class:`SearchSyntaxError`.

Which words matched comes from FTS5's ``highlight()``; the CLI marks those words
in text that has already been made safe for the terminal. No typer or rich here.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

from paindiary import db, store
from paindiary.db.fulltext import INDEXED, fts_table
from paindiary.errors import PaindiaryError
from paindiary.models import KINDS

OPEN, CLOSE = "\x02", "\x03"  # highlight() markers; control characters never printed
LIST_FIELDS = frozenset({"tags", "side_effects"})  # stored as JSON text


class SearchSyntaxError(PaindiaryError):
    """A raw FTS5 query that SQLite cannot read."""


@dataclass(frozen=True)
class Match:
    """One record that matched: its kind (``entries``...), id, time, and the fields that matched."""

    kind: str
    id: int
    time: str
    fields: tuple[str, ...]
    values: dict[str, Any]  # every indexed field of the record (tags and side effects as lists)
    words: frozenset[str]  # the matched words, normalized (see :func:`normalize`)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object: kind, id, time, fields (that matched), matches (those fields' values)."""
        return {
            "kind": self.kind,
            "id": self.id,
            "time": self.time,
            "fields": list(self.fields),
            "matches": {name: self.values[name] for name in self.fields},
        }


def normalize(word: str) -> str:
    """A word as the index compares it: case folded, accents removed (like FTS5's ``unicode61``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fts_query(text: str, *, raw: bool = False) -> str:
    """The FTS5 query for what was typed (see the module docstring)."""
    if not text.strip():
        raise PaindiaryError("Give the words to search for, e.g. paindiary search drive.")
    if raw:
        return text
    from sqlite_utils import Database

    return Database(memory=True, execute_plugins=False).quote_fts(text)


def _marked_words(highlighted: str) -> set[str]:
    words: set[str] = set()
    for piece in highlighted.split(OPEN)[1:]:
        words.add(normalize(piece.split(CLOSE, 1)[0]))
    return words


def _value(field: str, stored: Any) -> Any:
    if field in LIST_FIELDS:
        return json.loads(stored) if stored else []
    return stored


def search(
    conn: sqlite3.Connection,
    text: str,
    *,
    kinds: tuple[str, ...] = tuple(INDEXED),
    since: str | None = None,
    until: str | None = None,
    raw: bool = False,
) -> list[Match]:
    """Records of ``kinds`` whose indexed words match ``text``, between ``since`` and ``until``, newest first."""
    query = fts_query(text, raw=raw)
    found: list[Match] = []
    for name in kinds:
        kind, columns, fts = KINDS[name], INDEXED[name], fts_table(name)
        marks = ", ".join(f"highlight({fts}, {i}, '{OPEN}', '{CLOSE}')" for i in range(len(columns)))
        stored = ", ".join(f"t.{column}" for column in columns)
        within, bounds = store.time_clauses(f"t.{kind.time_field}", since, until)
        clauses, params = [f"{fts} MATCH ?", *within], [query, *bounds]
        sql = (
            f"SELECT t.id, t.{kind.time_field}, {stored}, {marks} FROM {fts} "
            f"JOIN {kind.table} AS t ON t.rowid = {fts}.rowid WHERE {' AND '.join(clauses)}"
        )
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise SearchSyntaxError(
                    f"Cannot read that search ({exc}); balance the quotes and put words around "
                    "AND/OR/NOT, or leave out --raw to search for the words as typed."
                ) from None
            raise db.translate(exc) from None
        for row in rows:
            values = row[2 : 2 + len(columns)]
            marked = row[2 + len(columns) :]
            fields = tuple(
                column
                for column, value, mark in zip(columns, values, marked, strict=True)
                if mark is not None and mark.count(OPEN) > (value or "").count(OPEN)
            )
            words: set[str] = set()
            for mark in marked:
                if mark:
                    words |= _marked_words(mark)
            found.append(
                Match(
                    name,
                    row[0],
                    row[1],
                    fields or tuple(c for c, v in zip(columns, values, strict=True) if v),
                    {c: _value(c, v) for c, v in zip(columns, values, strict=True)},
                    frozenset(words),
                )
            )
    found.sort(key=lambda m: (m.time, m.kind, m.id), reverse=True)
    return found
