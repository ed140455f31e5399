"""The diary handle: one open diary, its connection and its path travelling together.

:func:`paindiary.db.opening.open_db` returns a :class:`Diary`. Changes go
through :meth:`Diary.transaction`; readers in :mod:`paindiary.store` take
``diary.conn``. A command closes its diary when it ends, most simply with
``with open_db(path) as diary: ...``.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from paindiary.db import connection


class Diary:
    """An open diary: ``conn`` (an ``sqlite3`` connection) and ``path`` (the file it is)."""

    __slots__ = ("conn", "path")

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction on this diary (see :func:`paindiary.db.connection.transaction`)."""
        return connection.transaction(self.conn, self.path)

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back by SQLite)."""
        self.conn.close()

    def __enter__(self) -> Diary:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Diary({str(self.path)!r})"
