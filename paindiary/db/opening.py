"""Opening a diary: the one place that creates a diary file and brings it to the current schema.

:func:`open_db` returns a :class:`~paindiary.db.handle.Diary`; nothing else in
paindiary opens a diary or applies migrations. :func:`is_paindiary` only looks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from paindiary.db import connection, schema
from paindiary.db.handle import Diary
from paindiary.errors import DatabaseError
from paindiary.files import remove_stale, touch_private


def open_db(
    path: Path,
    *,
    create: bool = True,
    backup: bool = True,
    on_backup: Callable[[Path], None] | None = None,
) -> Diary:
    """Open (creating and migrating as needed) the diary at ``path``; close the handle when done.

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
    diary = Diary(connection.connect(path), path)
    try:
        schema.migrate(diary, backup=backup, on_backup=on_backup)
    except sqlite3.Error as exc:
        diary.close()
        raise connection.translate(exc, path) from None
    except BaseException:
        diary.close()
        raise
    return diary


def is_paindiary(path: Path) -> bool:
    """True if ``path`` is a readable SQLite file marked as a paindiary diary."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID)
        finally:
            conn.close()
    except sqlite3.Error:
        return False
