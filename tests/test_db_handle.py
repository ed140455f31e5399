"""The diary handle (``open_db`` returns a ``Diary``), the migration list and the CLI's state.

A ``Diary`` carries its connection and path together and closes as a context
manager; every command closes the diary it opened, whether it succeeds or fails.
Migrations are collected, in the order they are written, by ``@migration``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from paindiary import db, diary, store
from paindiary.db import schema
from paindiary.errors import DatabaseError
from tests.conftest import Run

pytestmark = pytest.mark.real_migrations  # new diaries here run every migration (see conftest.py)


def test_the_handle_holds_the_connection_and_the_path_and_closes_on_leaving(db_path: Path) -> None:
    with db.open_db(db_path) as handle:
        assert isinstance(handle, db.Diary) and handle.path == db_path
        added = diary.add(handle, store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-01", "pain": 4}))
        assert store.get(handle.conn, store.ENTRIES, added.id).pain == 4
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        handle.conn.execute("SELECT 1")


def test_the_handle_closes_when_the_block_fails(db_path: Path) -> None:
    with pytest.raises(RuntimeError), db.open_db(db_path) as handle:
        raise RuntimeError("boom")
    with pytest.raises(sqlite3.ProgrammingError):
        handle.conn.execute("SELECT 1")


def test_a_transaction_on_the_handle_names_the_file_in_its_errors(db_path: Path) -> None:
    db.open_db(db_path).close()
    conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    handle = db.Diary(conn, db_path)
    with pytest.raises(DatabaseError) as caught:
        diary.add(handle, store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-01", "pain": 4}))
    assert str(caught.value) == f"The diary {db_path} is read-only; nothing was written."
    handle.close()


def test_migrations_are_listed_in_the_order_they_are_written(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = schema.MIGRATIONS
    assert shipped == [
        schema._m001_initial, schema._m002_measurements, schema._m003_assessments, schema._m004_times_with_offsets,
        schema._m005_fulltext_index, schema._m006_entry_checks_without_null_tests,
        schema._m007_keys_as_named_indexes,
    ]  # fmt: skip
    assert schema.SCHEMA_VERSION == len(shipped) == db.SCHEMA_VERSION
    collected: list[schema.Migration] = []
    monkeypatch.setattr(schema, "MIGRATIONS", collected)

    @schema.migration
    def first(conn: sqlite3.Connection) -> None:
        pass

    @schema.migration
    def second(conn: sqlite3.Connection) -> None:
        pass

    assert collected == [first, second]
    assert first.__name__ == "first"  # the decorator hands the function back unchanged


# --- every command closes its diary -------------------------------------------------------


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[db.Diary]:
    """Every Diary that open_db hands out during the test."""
    handles: list[db.Diary] = []
    real: Callable[..., db.Diary] = db.open_db

    def spy(*args: Any, **kwargs: Any) -> db.Diary:
        handle = real(*args, **kwargs)
        handles.append(handle)
        return handle

    monkeypatch.setattr(db, "open_db", spy)
    return handles


def is_closed(handle: db.Diary) -> bool:
    try:
        handle.conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


COMMANDS: list[tuple[list[str], int]] = [
    (["log", "5", "--at", "2026-03-01", "--note", "first"], 0),
    (["log", "6", "--at", "2026-03-01"], 1),  # a conflict: fails inside the transaction
    (["entry", "list", "--json"], 0),
    (["entry", "edit", "1", "--pain", "4"], 0),
    (["entry", "edit", "99", "--pain", "4"], 1),
    (["treatment", "add", "--name", "ketamine", "--at", "2026-03-02T10:00"], 0),
    (["treatment", "list"], 0),
    (["med", "add", "ibuprofen", "400", "mg", "--at", "2026-03-02T08:00"], 0),
    (["med", "list", "--json"], 0),
    (["info", "--json"], 0),
    (["analyze", "--json"], 0),
    (["summary", "--json"], 0),
    (["import", "{csv}"], 0),
    (["import", "{csv}", "--dry-run"], 0),
    (["export", "--format", "csv"], 0),
    (["backup", "{backup}"], 0),
    (["restore", "{backup}", "--yes"], 0),
    (["chart", "-o", "{svg}"], 0),
    (["demo", "--db", "{demo}"], 0),
    (["entry", "delete", "1", "--yes"], 0),
]


@pytest.mark.slow
def test_every_command_closes_the_diary_it_opened(run: Run, clock: Any, tmp_path: Path, opened: list[db.Diary]) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("recorded_at,pain\n2026-03-03,4\n")
    places = {"{csv}": csv, "{backup}": tmp_path / "copy.db", "{svg}": tmp_path / "t.svg", "{demo}": tmp_path / "d.db"}
    for args, code in COMMANDS:
        argv = [str(places.get(arg, arg)) for arg in args]
        before = len(opened)
        run(*argv, code=code)
        assert len(opened) > before, f"{args} did not open the diary through db.open_db"
        assert all(is_closed(handle) for handle in opened), f"{args} left its diary open"


def test_the_global_db_option_reaches_every_command(run: Run, tmp_path: Path) -> None:
    """``--db`` before the command is kept in the app's state (an AppState in ctx.obj) and used."""
    chosen = tmp_path / "elsewhere" / "chosen.db"
    run("--db", str(chosen), "log", "5", "--at", "2026-03-01")
    assert json.loads(run("--db", str(chosen), "info", "--json").stdout)["path"] == str(chosen)
    assert json.loads(run("--db", str(chosen), "entry", "list", "--json").stdout)[0]["pain"] == 5


def test_a_handle_shows_the_file_it_is(tmp_path: Path) -> None:
    with db.open_db(tmp_path / "diary.db") as handle:
        assert repr(handle) == f"Diary({str(tmp_path / 'diary.db')!r})"
