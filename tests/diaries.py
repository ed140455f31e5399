"""Small diaries for tests of files and copies: made through open_db, read back without paindiary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from paindiary import db, models, store


def make_diary(path: Path, *pains: int) -> Path:
    """A diary at ``path`` with one entry per pain score (on consecutive March days)."""
    with db.open_db(path) as diary, diary.transaction():
        for day, pain in enumerate(pains, start=1):
            entry = models.make_entry({"recorded_at": f"2026-03-{day:02d}", "pain": pain})
            store.insert(diary.conn, store.ENTRIES, entry)
    return path


def pains(path: Path) -> list[float]:
    """The pain scores stored at ``path``, in time order, read through a read-only sqlite3 connection."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT pain FROM entries ORDER BY recorded_at")]
    finally:
        conn.close()
