"""Schema migrations: every released schema upgrades with its records intact, once, after a copy is saved.

tests/data/schema-vN.db is a diary written by the release that introduced schema N
(made by tests/data/make_schema_fixture.py, never regenerated), with the records it
holds in schema-vN.expected.json. A future schema version needs its own fixture:
test_every_released_schema_has_a_fixture fails until it is added.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from paindiary import db, store
from paindiary.errors import DatabaseError, SchemaTooNewError

pytestmark = pytest.mark.real_migrations  # new diaries here run every migration (see conftest.py)

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(DATA.glob("schema-v*.db"), key=lambda p: int(re.findall(r"\d+", p.name)[0]))


NEXT = db.SCHEMA_VERSION + 1  # a schema this paindiary does not know yet


def version_of(fixture: Path) -> int:
    return int(re.findall(r"\d+", fixture.name)[0])


def expected_records(fixture: Path) -> dict:
    return json.loads(fixture.with_name(f"schema-v{version_of(fixture)}.expected.json").read_text())


def stored(conn: sqlite3.Connection) -> dict[str, list[dict]]:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {  # a kind newer than the diary's schema has no table yet: none stored
        name: [r.to_dict() for r in store.select(conn, kind)] if kind.table in tables else []
        for name, kind in store.KINDS.items()
    }


def assert_holds(conn: sqlite3.Connection, expected: dict) -> None:
    """Every expected record is stored with the same id and values (new fields may be added)."""
    now = stored(conn)
    for name in store.KINDS:
        want_all = expected.get(name, [])  # a kind newer than the fixture's schema: none yet
        assert len(now[name]) == len(want_all), name
        for have, want in zip(now[name], want_all, strict=True):
            assert {key: have[key] for key in want} == want


def copy_fixture(fixture: Path, tmp_path: Path) -> Path:
    target = tmp_path / "diary.db"
    shutil.copyfile(fixture, target)
    return target


def test_every_released_schema_has_a_fixture() -> None:
    assert [version_of(f) for f in FIXTURES] == list(range(1, db.SCHEMA_VERSION + 1))
    for fixture in FIXTURES:
        conn = sqlite3.connect(f"{fixture.as_uri()}?mode=ro", uri=True)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version_of(fixture)
        conn.close()
        assert sum(len(expected_records(fixture).get(name, [])) for name in store.KINDS) > 100


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_a_released_schema_upgrades_with_its_records_intact(fixture: Path, tmp_path: Path) -> None:
    path = copy_fixture(fixture, tmp_path)
    conn = db.open_db(path).conn
    assert db.schema_state(conn)[:2] == (db.APPLICATION_ID, db.SCHEMA_VERSION)
    assert db.integrity_problems(conn) == []
    assert_holds(conn, expected_records(fixture))
    conn.close()
    copies = list(tmp_path.glob("diary-schema-*-backup.db"))
    assert len(copies) == (0 if version_of(fixture) == db.SCHEMA_VERSION else 1)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_migrating_twice_changes_nothing(fixture: Path, tmp_path: Path) -> None:
    path = copy_fixture(fixture, tmp_path)
    db.open_db(path).close()
    after_first = path.read_bytes()
    with db.open_db(path) as diary:
        assert db.migrate(diary) is None
    assert path.read_bytes() == after_first
    assert len(list(tmp_path.glob("*.db"))) == (1 if version_of(fixture) == db.SCHEMA_VERSION else 2)


@pytest.mark.parametrize("command", [["info"], ["log", "5"], ["entry", "list"], ["backup"], ["doctor"]])
def test_a_diary_newer_than_the_code_is_refused_untouched(run, db_path: Path, command: list[str]) -> None:
    db_path.parent.mkdir(parents=True)
    path = copy_fixture(FIXTURES[-1], db_path.parent)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    result = run(*command, code=1)
    assert "newer" in result.stderr + result.stdout and "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["diary.db"]
    with pytest.raises(SchemaTooNewError):
        db.open_db(path)


def test_a_foreign_database_is_refused_untouched(run, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE entries (x)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    assert "not a paindiary database" in run("log", "5", code=1).stderr
    assert db_path.read_bytes() == before


# --- the copy saved before an upgrade (with a stand-in for a future schema 2) -------------


def _m002_reminders(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE reminders (id INTEGER PRIMARY KEY, at TEXT NOT NULL) STRICT")


@pytest.fixture
def schema_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this paindiary knows a schema NEXT, one after the real one (a new table)."""
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS, _m002_reminders])
    monkeypatch.setattr(db.schema, "SCHEMA_VERSION", NEXT)


def v1_diary(tmp_path: Path) -> Path:
    return copy_fixture(DATA / "schema-v1.db", tmp_path)


def test_upgrading_a_diary_saves_a_private_copy_first(schema_2, tmp_path: Path, run, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    path = v1_diary(db_path.parent)
    old = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    old_rows = db.count_rows(old)
    old.close()
    result = run("info", "--json")
    copy = path.parent / "diary-schema-1-backup.db"
    assert str(copy) in result.stderr
    assert json.loads(result.stdout)["schema_version"] == NEXT
    assert copy.stat().st_mode & 0o777 == 0o600
    saved = sqlite3.connect(copy)
    assert saved.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.count_rows(saved) == old_rows
    assert_holds(saved, expected_records(DATA / "schema-v1.db"))
    saved.close()
    run("info")  # already upgraded: no second copy
    assert len(list(path.parent.glob("diary-schema-*"))) == 1


def test_no_copy_for_a_new_or_empty_diary(schema_2, tmp_path: Path) -> None:
    db.open_db(tmp_path / "fresh.db").close()
    empty = tmp_path / "empty.db"
    conn = sqlite3.connect(empty, isolation_level=None)
    db.schema.MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    conn.close()
    conn = db.open_db(empty).conn
    assert db.schema_state(conn)[1] == NEXT
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "fresh.db"]


def test_a_second_copy_of_the_same_version_gets_its_own_name(schema_2, tmp_path: Path) -> None:
    path = v1_diary(tmp_path)
    (tmp_path / "diary-schema-1-backup.db").write_bytes(b"an older copy")
    db.open_db(path).close()
    assert (tmp_path / "diary-schema-1-backup.db").read_bytes() == b"an older copy"
    assert (tmp_path / "diary-schema-1-backup-2.db").exists()


def test_if_the_copy_cannot_be_saved_nothing_is_upgraded(schema_2, tmp_path: Path, monkeypatch) -> None:
    path = v1_diary(tmp_path)
    before = path.read_bytes()

    def failing_snapshot(*args, **kwargs):
        raise DatabaseError("Cannot write a copy: No space left on device; nothing was written.")

    monkeypatch.setattr(db.copies, "snapshot", failing_snapshot)
    with pytest.raises(DatabaseError, match="No space"):
        db.open_db(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diary.db"]


@pytest.mark.parametrize("fixture", [FIXTURES[-1], FIXTURES[0]], ids=["only-it-pending", "after-every-other"])
def test_a_failing_migration_leaves_the_diary_as_it_was(fixture: Path, tmp_path: Path, monkeypatch) -> None:
    """The pending migrations run in one transaction: those before the failing one are undone too."""

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE reminders (id INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO entries (recorded_at) VALUES ('2026-01-01')")  # breaks a CHECK

    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.schema.MIGRATIONS, broken])
    monkeypatch.setattr(db.schema, "SCHEMA_VERSION", NEXT)
    path = copy_fixture(fixture, tmp_path)
    before = path.read_bytes()
    with pytest.raises(DatabaseError):
        db.open_db(path)
    assert path.read_bytes() == before
    assert_holds(sqlite3.connect(path), expected_records(fixture))


def test_restoring_an_old_backup_into_a_newer_diary_upgrades_the_backup(schema_2, run, db_path: Path, tmp_path):
    old_backup = v1_diary(tmp_path)
    run("log", "5", "--at", "2026-03-01")
    run("restore", str(old_backup), "--yes")
    conn = db.open_db(db_path).conn
    assert_holds(conn, expected_records(DATA / "schema-v1.db"))
    assert db.schema_state(conn)[1] == NEXT
    conn.close()
    assert not list(tmp_path.glob("diary-schema-*"))  # the backup file itself is never changed


def test_the_copy_before_an_upgrade_is_checked_against_the_diary_s_rows(schema_2, tmp_path: Path, monkeypatch) -> None:
    path = v1_diary(tmp_path)
    old = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    old_rows = db.count_rows(old)
    old.close()
    checked: list[object] = []
    real = db.copies.snapshot

    def spy(source: Path, dest: Path, **options):
        checked.append(options.get("expect"))
        return real(source, dest, **options)

    monkeypatch.setattr(db.copies, "snapshot", spy)
    told: list[Path] = []
    with db.connection.connect(path) as conn:
        saved = db.migrate(db.Diary(conn, path), on_backup=told.append)
    assert saved == tmp_path / "diary-schema-1-backup.db" and told == [saved]
    assert checked == [old_rows]  # verified against every table's rows, not just written


def test_upgrading_without_a_backup_saves_no_copy(schema_2, tmp_path: Path) -> None:
    path = v1_diary(tmp_path)
    conn = db.connection.connect(path)
    assert db.migrate(db.Diary(conn, path), backup=False) is None
    assert db.schema_state(conn)[:2] == (db.APPLICATION_ID, NEXT)
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diary.db"]


def test_a_file_with_a_schema_version_but_no_marker_is_not_a_diary(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        db.open_db(path)
    assert str(caught.value) == f"{path} is not a paindiary database; choose another file with --db."
    assert path.read_bytes() == before


def test_a_newer_schema_says_which_and_what_to_do(tmp_path: Path) -> None:
    path = copy_fixture(FIXTURES[-1], tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {NEXT}")
    conn.close()
    with pytest.raises(SchemaTooNewError) as caught:
        db.open_db(path)
    assert str(caught.value) == (
        f"{path} was written by a newer paindiary (schema {NEXT}, this one knows "
        f"{db.SCHEMA_VERSION}); upgrade paindiary to use it. The file was not changed."
    )


def test_an_unmarked_empty_database_becomes_a_diary(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")  # a valid SQLite file with no table, version or marker
    conn.close()
    assert path.stat().st_size > 0
    with db.open_db(path) as diary:
        assert db.schema_state(diary.conn)[:2] == (db.APPLICATION_ID, db.SCHEMA_VERSION)


def test_a_table_rebuild_refuses_a_check_the_table_does_not_have(tmp_path: Path) -> None:
    """The guard of the shipped m004 rebuild: a CHECK it cannot find would otherwise be left unwidened."""
    with db.open_db(tmp_path / "diary.db") as diary, diary.transaction():
        with pytest.raises(AssertionError, match="entries"):
            db.schema._rebuild(diary.conn, "entries", "length(recorded_at) = 99", "1")
        with pytest.raises(AssertionError, match="entries"):
            db.schema._rebuild(diary.conn, "entries", "", "1")  # found more than once


def test_the_schema_is_checked_again_inside_the_upgrade_transaction(tmp_path: Path, monkeypatch) -> None:
    """Another program may write the file between the first look and BEGIN IMMEDIATE: the second look,
    inside the transaction, refuses a file that has become foreign, naming it, and upgrades nothing."""
    from paindiary.db import connection, schema

    path = tmp_path / "diary.db"
    sqlite3.connect(path).close()  # an empty SQLite file: a new diary, at first sight
    looks = iter([(0, 0, False), (0, 0, True)])  # then, inside the transaction, someone's tables
    monkeypatch.setattr(schema, "schema_state", lambda conn: next(looks, connection.schema_state(conn)))
    with pytest.raises(DatabaseError) as caught:
        db.open_db(path)
    assert str(caught.value) == f"{path} is not a paindiary database; choose another file with --db."
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (0,)
