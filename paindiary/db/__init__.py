"""The diary's SQLite file: opening it, its schema, transactions and copies.

``from paindiary import db; with db.open_db(path) as diary: ...`` is how the
rest of paindiary reaches a diary. The modules, lowest first:

- :mod:`~paindiary.db.connection`: where the file lives, connecting, SQLite
  errors translated, ``BEGIN IMMEDIATE`` transactions;
- :mod:`~paindiary.db.handle`: the :class:`Diary` handle (connection and path
  together, ``transaction()``, ``close()``, a context manager);
- :mod:`~paindiary.db.copies`: verified private copies, integrity, row counts,
  replacing a diary's contents (restore);
- :mod:`~paindiary.db.schema`: the migrations (an ordered list built by a
  decorator) and applying them;
- :mod:`~paindiary.db.opening`: :func:`open_db`, the one place that opens a
  diary and applies migrations.

Read the schema version as ``db.SCHEMA_VERSION``; tests that pretend to know a
newer schema patch :mod:`paindiary.db.schema` (``MIGRATIONS`` and
``SCHEMA_VERSION``), which is where it is read while opening.
"""

from __future__ import annotations

from paindiary.db import connection, copies, handle, opening, schema
from paindiary.db.connection import (
    BUSY_TIMEOUT_S,
    ENV_VAR,
    connect_existing,
    default_path,
    resolve_path,
    schema_state,
    translate,
)
from paindiary.db.copies import count_rows, free_name, has_rows, integrity_problems, replace_contents, snapshot
from paindiary.db.handle import Diary
from paindiary.db.opening import is_paindiary, open_db
from paindiary.db.schema import (
    APPLICATION_ID,
    LATER_TABLES,
    SCHEMA_VERSION,
    TABLES,
    migrate,
    migration_backup_path,
)

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_S",
    "ENV_VAR",
    "LATER_TABLES",
    "SCHEMA_VERSION",
    "TABLES",
    "Diary",
    "connect_existing",
    "connection",
    "copies",
    "count_rows",
    "default_path",
    "free_name",
    "handle",
    "has_rows",
    "integrity_problems",
    "is_paindiary",
    "migrate",
    "migration_backup_path",
    "open_db",
    "opening",
    "replace_contents",
    "resolve_path",
    "schema",
    "schema_state",
    "snapshot",
    "translate",
]
