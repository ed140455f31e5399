"""Small diaries for tests of files and copies: made through open_db, read back and locked without paindiary."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from paindiary import db, models, store


def make_diary(path: Path, *pains: int) -> Path:
    """A diary at ``path`` with one entry per pain score (on consecutive March days)."""
    with db.open_db(path) as diary, diary.transaction():
        for day, pain in enumerate(pains, start=1):
            entry = models.make_entry({"recorded_at": f"2026-03-{day:02d}", "pain": pain})
            store.insert(diary.conn, store.ENTRIES, entry)
    return path


def stored(path: Path, column: str, order: str = "recorded_at") -> list[Any]:
    """One column of the entries stored at ``path``, read through a read-only sqlite3 connection."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute(f"SELECT {column} FROM entries ORDER BY {order}")]
    finally:
        conn.close()


def pains(path: Path) -> list[float]:
    """The pain scores stored at ``path``, in time order."""
    return stored(path, "pain")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another program holding ``path`` in an exclusive transaction for the ``with`` block."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
