"""Schema 6 writes the entries table's CHECK constraints without NULL tests: the very same rules, checked faster.

A CHECK fails only when its expression is false (a NULL passes), so ``pain IS NULL OR pain
BETWEEN 0 AND 10`` and ``pain BETWEEN 0 AND 10`` accept the same rows. These tests prove it
on generated rows against the table as schema 5 wrote it, and that a diary upgraded to
schema 6 keeps its entries and its search index.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paindiary import db, search
from paindiary.db import fulltext

DATA = Path(__file__).parent / "data"
COLUMNS = ("recorded_at", "pain", "worst_pain", "least_pain", "enjoyment", "activity", "sleep_hours",
           "sleep_quality", "mood", "note", "tags")  # fmt: skip


def entries_sql(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'").fetchone()
    finally:
        conn.close()
    return str(sql)


def test_a_new_diary_s_entry_checks_have_no_null_tests(tmp_path: Path) -> None:
    with db.open_db(tmp_path / "d.db"):
        pass
    sql = entries_sql(tmp_path / "d.db")
    assert "IS NULL OR" not in sql and "CHECK (least_pain <= pain)" in sql and "CHECK (pain BETWEEN 0 AND 10)" in sql
    assert "IS NULL OR" in entries_sql(DATA / "schema-v5.db")  # (as schema 5 wrote them)


SCORE = st.one_of(st.none(), st.sampled_from([-0.5, 0.0, 0.1, 5.0, 9.99, 10.0, 10.01, 24.0, 24.5]))
ROW = st.fixed_dictionaries(
    {
        **{name: SCORE for name in COLUMNS[1:9]},
        "note": st.sampled_from([None, "", "a note"]),
        "tags": st.sampled_from(["[]", '["walk"]', "not json"]),
    }
)


@pytest.fixture(scope="module")
def new_sql(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The entries table as this paindiary creates it."""
    path = tmp_path_factory.mktemp("schema") / "new.db"
    with db.open_db(path):
        pass
    return entries_sql(path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=8))
def test_the_new_checks_accept_exactly_the_rows_the_old_ones_did(new_sql: str, rows: list[dict[str, Any]]) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(entries_sql(DATA / "schema-v5.db").replace("CREATE TABLE entries (", "CREATE TABLE old (", 1))
    conn.execute(new_sql.replace("CREATE TABLE entries (", "CREATE TABLE new (", 1))
    marks = ", ".join("?" * len(COLUMNS))
    for n, row in enumerate(rows):
        values = [f"2026-01-{n + 1:02d}", *(row[name] for name in COLUMNS[1:])]
        accepted = []
        for table in ("old", "new"):
            try:
                conn.execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", values)
                accepted.append(True)
            except sqlite3.IntegrityError:
                accepted.append(False)
        assert accepted[0] == accepted[1], row


def test_a_schema_5_diary_upgraded_keeps_its_entries_and_its_search_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(DATA / "schema-v5.db", path)
    before = sqlite3.connect(path)
    entries = before.execute("SELECT * FROM entries ORDER BY id").fetchall()
    before.close()
    with db.open_db(path) as diary:
        conn = diary.conn
        assert db.schema_state(conn)[1] == db.SCHEMA_VERSION >= 6
        assert conn.execute("SELECT * FROM entries ORDER BY id").fetchall() == entries
        assert fulltext.problems(conn) == []
        noted = [row for row in entries if row[10]]
        word = noted[0][10].split()[0]
        found = search.search(conn, word)
        assert any(hit.kind == "entries" and hit.id == noted[0][0] for hit in found)
        with diary.transaction():  # the triggers follow an edit again
            conn.execute("UPDATE entries SET note = 'zebrafinch' WHERE id = ?", (noted[0][0],))
        assert [hit.id for hit in search.search(conn, "zebrafinch")] == [noted[0][0]]
