"""Schema 7: each kind's natural key is kept unique by a named index (``entries_key``), not a UNIQUE constraint.

The index is what lets an import into an empty table build it once at the end
(tests/test_import_fast.py); here, that the rule it keeps is the registry's key, that
SQLite refuses a repeated key as before, and that an upgraded diary has exactly a new
diary's layout (``restore`` compares layouts).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from paindiary import db, store
from paindiary.db import copies, schema
from paindiary.db.schema import key_index

pytestmark = pytest.mark.real_migrations

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(DATA.glob("schema-v*.db"), key=lambda p: int(re.findall(r"\d+", p.name)[0]))
ONE_ROW = {  # a valid row of each table, by its columns
    "entries": {"recorded_at": "2026-03-01", "pain": 4},
    "treatments": {"started_at": "2026-03-01T09:00:00", "name": "Ketamine infusion"},
    "medications": {"taken_at": "2026-03-01T08:00:00", "name": "pregabalin", "dose": 75, "dose_unit": "mg"},
    "measurements": {"day": "2026-03-01", "metric": "steps", "value": 4000, "source": "fitbit"},
    "assessments": {"recorded_at": "2026-03-01", "instrument": "pgic", "pgic": 3},
}


def test_each_kind_s_key_is_a_unique_index_on_the_registry_s_key_fields(tmp_path: Path) -> None:
    conn = db.open_db(tmp_path / "d.db").conn
    assert set(ONE_ROW) == {kind.table for kind in store.KINDS.values()}
    for kind in store.KINDS.values():
        listed = {name: unique for _, name, unique, *_ in conn.execute(f"PRAGMA index_list({kind.table})")}
        assert listed[key_index(kind.table)] == 1
        assert not [name for name in listed if name.startswith("sqlite_autoindex")], kind.table
        columns = {row[2] for row in conn.execute(f"PRAGMA index_info({key_index(kind.table)})")}
        assert columns == set(kind.key), kind.table


@pytest.mark.parametrize("table", list(ONE_ROW))
def test_a_repeated_key_is_refused_by_the_schema(tmp_path: Path, table: str) -> None:
    conn = db.open_db(tmp_path / "d.db").conn
    row = ONE_ROW[table]
    insert = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
    conn.execute(insert, list(row.values()))
    with pytest.raises(sqlite3.IntegrityError, match=rf"^UNIQUE constraint failed: {table}\."):
        conn.execute(insert, list(row.values()))
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_an_upgraded_diary_has_a_new_diary_s_layout(fixture: Path, tmp_path: Path) -> None:
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    shutil.copyfile(fixture, old)
    layouts = []
    for path in (new, old):
        with db.open_db(path) as diary:
            layouts.append(copies._layout(diary.conn, "main"))
    assert layouts[0] == layouts[1]
    assert (
        "index",
        key_index("medications"),
        "CREATE UNIQUE INDEX medications_key ON medications (taken_at, name)",
    ) in layouts[1]


def test_rebuilding_a_table_keeps_its_rows_and_indexes_and_may_add_a_column(tmp_path: Path) -> None:
    """``schema.rebuild_table``, as the README's example migration for a new metric uses it."""
    diary = db.open_db(tmp_path / "d.db")
    conn = diary.conn
    conn.execute("INSERT INTO entries (recorded_at, pain, note) VALUES ('2026-03-01', 4, 'x'), ('2026-03-02', 5, NULL)")
    before = conn.execute("SELECT * FROM entries ORDER BY id").fetchall()
    (create,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'").fetchone()
    with diary.transaction():
        schema.rebuild_table(conn, "entries", create.replace("note TEXT CHECK", "extra REAL,\n  note TEXT CHECK", 1))
    columns = [row[1] for row in conn.execute("PRAGMA table_info(entries)")]
    assert columns.index("extra") == columns.index("note") - 1
    after = conn.execute(f"SELECT {', '.join(name for name in columns if name != 'extra')} FROM entries").fetchall()
    assert after == before and conn.execute("SELECT DISTINCT extra FROM entries").fetchall() == [(None,)]
    assert [row[1] for row in conn.execute("PRAGMA index_list(entries)")] == [key_index("entries")]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-03-01', 1)")
