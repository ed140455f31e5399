"""Backups and restores at the level of ``paindiary.backups``: where a copy goes, what is refused, what is kept.

A backup never writes over a file and never over the diary under another name; a restore
checks its source (marker, schema, tables, integrity), never writes it, keeps a copy of the
diary it replaces and leaves no temporary file, and each refusal is a sentence that says
what to do (issue 15: the mutation run's survivors in ``backups``).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from paindiary import backups, db
from paindiary.errors import DatabaseError, PaindiaryError, SchemaTooNewError
from tests.diaries import locked, make_diary, pains

NOW = datetime(2026, 3, 15, 10, 30, 45)
STAMP = "20260315-103045"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- where a backup goes ------------------------------------------------------------------------


def test_a_backup_goes_beside_the_diary_into_a_folder_or_to_a_file(tmp_path: Path) -> None:
    diary = tmp_path / "pain.db"
    dated = f"pain-backup-{STAMP}.db"
    assert backups.stamp(NOW) == STAMP
    assert backups.backup_target(diary, None, NOW) == tmp_path / dated
    folder = tmp_path / "usb"
    folder.mkdir()
    assert backups.backup_target(diary, folder, NOW) == folder / dated
    assert backups.backup_target(diary, str(folder), NOW) == folder / dated
    assert backups.backup_target(diary, "new/place/", NOW) == Path("new/place") / dated
    assert backups.backup_target(diary, tmp_path / "mine.db", NOW) == tmp_path / "mine.db"
    assert backups.backup_target(diary, "~/mine.db", NOW) == Path("~/mine.db").expanduser()


# --- backup -------------------------------------------------------------------------------------


def test_a_backup_says_what_it_holds(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db", 3, 5)
    copy = backups.backup(diary, None, NOW)
    assert copy.path == tmp_path / f"diary-backup-{STAMP}.db"
    assert copy.version == db.SCHEMA_VERSION
    assert copy.counts == db.count_rows(db.connect_existing(diary))
    assert copy.records == 2
    assert pains(copy.path) == [3, 5] and copy.path.stat().st_mode & 0o777 == 0o600


def test_the_records_of_a_copy_count_every_kind_and_nothing_else() -> None:
    counts = {"entries": 2, "treatments": 3, "medications": 4, "measurements": 5, "assessments": 6, "entries_fts": 99}
    assert backups.DiaryFile(Path("x.db"), 5, counts).records == 20
    assert backups.DiaryFile(Path("x.db"), 1, {"entries": 2}).records == 2  # an old schema lacks later tables


def test_a_backup_never_writes_over_a_file_or_the_diary(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db", 3)
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"precious")
    with pytest.raises(PaindiaryError) as caught:
        backups.backup(diary, taken, NOW)
    assert str(caught.value) == f"{taken} already exists; give another name or remove it first."
    assert taken.read_bytes() == b"precious"
    with pytest.raises(PaindiaryError) as caught:
        backups.backup(diary, diary, NOW)
    assert str(caught.value) == f"{diary} is the diary itself; give another file name for the backup."
    link = tmp_path / "link.db"
    link.symlink_to(diary)
    with pytest.raises(PaindiaryError) as caught:
        backups.backup(diary, link, NOW)
    assert str(caught.value) == f"{link} is the diary itself; give another file name for the backup."
    journal = Path(f"{diary}-journal")
    with pytest.raises(PaindiaryError) as caught:
        backups.backup(diary, journal, NOW)
    assert str(caught.value) == f"{journal} is the diary's journal file; choose another file name."
    assert names(tmp_path) == ["diary.db", "link.db", "taken.db"]


def test_a_backup_removes_copies_a_killed_backup_left_in_its_folder(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db", 3)
    folder = tmp_path / "usb"
    folder.mkdir()
    stale = folder / ".paindiary-tmp-999999999-diary-backup.db.x.tmp"
    stale.write_bytes(b"half a copy")
    backups.backup(diary, folder, NOW)
    assert names(folder) == [f"diary-backup-{STAMP}.db"]


# --- checking a backup before restoring it ------------------------------------------------------


def test_a_sound_backup_is_checked_and_described(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "b.db", 3, 4, 5)
    before = source.read_bytes()
    checked = backups.check_diary_file(source)
    assert (checked.path, checked.version, checked.records) == (source, db.SCHEMA_VERSION, 3)
    assert source.read_bytes() == before


@pytest.mark.parametrize(
    "problem", ["folder", "unmarked", "version 0", "newer", "no tables", "damaged", "malformed", "not sqlite"]
)
def test_a_backup_that_cannot_be_restored_is_refused_with_why(tmp_path: Path, problem: str) -> None:
    source = tmp_path / "b.db"
    if problem == "folder":
        source.mkdir()
        expected = f"{source} is a folder; give the backup file."
    elif problem == "not sqlite":
        source.write_bytes(b"recorded_at,pain\n2026-03-01,5\n" * 100)
        expected = f"{source} is not a readable paindiary database (file is not a database); choose another file."
    else:
        make_diary(source, 3)
        conn = sqlite3.connect(source, isolation_level=None)
        if problem == "unmarked":
            conn.execute("PRAGMA application_id = 0")
            expected = f"{source} is not a paindiary database (its schema marker is missing)."
        elif problem == "version 0":
            conn.execute("PRAGMA user_version = 0")
            expected = f"{source} is not a paindiary database (its schema marker is missing)."
        elif problem == "newer":
            conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
            expected = (
                f"{source} was written by a newer paindiary (schema {db.SCHEMA_VERSION + 1}, this one knows "
                f"{db.SCHEMA_VERSION}); upgrade paindiary to use it."
            )
        elif problem == "malformed":  # the entries table's first page overwritten: reading it fails
            root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
            size = conn.execute("PRAGMA page_size").fetchone()[0]
            with open(source, "r+b") as handle:
                handle.seek((root - 1) * size)
                handle.write(b"\x07" * 64)
            expected = (
                f"{source} is not a readable paindiary database (database disk image is malformed); "
                "choose another file."
            )
        elif problem == "no tables":
            for table in ("entries", "medications"):
                conn.execute(f"DROP TABLE {table}_fts")
                conn.execute(f"DROP TABLE {table}")
            expected = f"{source} is not a complete paindiary database (no entries, medications table)."
        else:
            for day in range(2, 6):
                conn.execute(
                    "INSERT INTO measurements (day, metric, value, source) VALUES (?, 'steps', 1, 'w')",
                    (f"2026-03-0{day}",),
                )
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute(
                "UPDATE sqlite_master SET sql = replace(sql, '(metric, day)', '(day, metric)')"
                " WHERE name = 'measurements_by_metric'"
            )
            expected = f"{source} is damaged (row 1 missing from index measurements_by_metric); choose another backup."
        conn.close()
    with pytest.raises(DatabaseError) as caught:
        backups.check_diary_file(source)
    assert str(caught.value) == expected
    assert isinstance(caught.value, SchemaTooNewError) is (problem == "newer")


def test_a_backup_that_is_locked_is_busy_not_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_diary(tmp_path / "b.db", 3)
    monkeypatch.setattr(db.connection, "BUSY_TIMEOUT_S", 0.05)
    with locked(source), pytest.raises(DatabaseError) as caught:
        backups.check_diary_file(source)
    assert str(caught.value).startswith(f"The diary {source} is in use by another program")


# --- restore ------------------------------------------------------------------------------------


def test_a_restore_replaces_the_rows_and_keeps_the_diary_as_it_was(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db", 3, 5)
    source = make_diary(tmp_path / "usb" / "b.db", 8, 9, 10)
    source_before = source.read_bytes()
    restored = backups.restore(diary, source, NOW)
    kept = tmp_path / f"diary-before-restore-{STAMP}.db"
    assert restored.safety_copy == kept and restored.source.records == 3
    assert pains(diary) == [8, 9, 10] and pains(kept) == [3, 5]
    assert source.read_bytes() == source_before
    assert names(tmp_path) == ["diary-before-restore-20260315-103045.db", "diary.db", "usb"]
    again = backups.restore(diary, source, NOW)
    assert again.safety_copy == tmp_path / f"diary-before-restore-{STAMP}-2.db"  # the first copy is kept


def test_the_backup_is_restored_through_a_checked_temporary_copy_beside_the_diary(tmp_path: Path, monkeypatch) -> None:
    diary = make_diary(tmp_path / "diary.db", 3)
    source = make_diary(tmp_path / "usb" / "b.db", 8)
    copied: list[Path] = []
    real = db.snapshot

    def spy(src: Path, dest: Path, **options: object) -> Path:
        copied.append(dest)
        return real(src, dest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "snapshot", spy)
    backups.restore(diary, source, NOW)
    incoming = copied[0]
    assert incoming.parent == tmp_path and incoming.name == f".paindiary-tmp-{os.getpid()}-diary.restoring.db"
    assert not incoming.exists()


def test_restoring_into_an_empty_diary_keeps_no_copy(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db")
    source = make_diary(tmp_path / "usb" / "b.db", 8)
    assert backups.restore(diary, source, NOW).safety_copy is None
    assert pains(diary) == [8] and names(tmp_path) == ["diary.db", "usb"]


def test_restoring_where_there_is_no_diary_makes_it_from_the_checked_copy(tmp_path: Path) -> None:
    source = make_diary(tmp_path / "usb" / "b.db", 8)
    diary = tmp_path / "diary.db"
    restored = backups.restore(diary, source, NOW)
    assert restored.safety_copy is None and pains(diary) == [8]
    assert restored.source.path == source and restored.source.records == 1
    assert diary.stat().st_mode & 0o777 == 0o600 and names(tmp_path) == ["diary.db", "usb"]


def test_restoring_the_diary_onto_itself_is_refused(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db", 3)
    (tmp_path / "sub").mkdir()
    before = diary.read_bytes()
    other_name = tmp_path / "sub" / ".." / "diary.db"
    with pytest.raises(PaindiaryError) as caught:
        backups.restore(diary, other_name, NOW)
    assert str(caught.value) == f"{other_name} is the diary itself; give a backup file to restore."
    assert diary.read_bytes() == before and names(tmp_path) == ["diary.db", "sub"]


def test_an_old_backup_is_brought_to_the_current_schema_and_the_file_itself_is_never_written(tmp_path: Path) -> None:
    diary = make_diary(tmp_path / "diary.db", 3)
    source = tmp_path / "usb" / "old.db"
    source.parent.mkdir()
    source.write_bytes((Path(__file__).parent / "data" / "schema-v1.db").read_bytes())
    before = source.read_bytes()
    restored = backups.restore(diary, source, NOW)
    assert restored.source.version == 1
    assert db.schema_state(db.connect_existing(diary))[1] == db.SCHEMA_VERSION
    assert source.read_bytes() == before and names(source.parent) == ["old.db"]
    assert names(tmp_path) == [f"diary-before-restore-{STAMP}.db", "diary.db", "usb"]


def test_a_restore_that_fails_on_the_disk_changes_nothing_and_says_so(tmp_path: Path, monkeypatch) -> None:
    diary = make_diary(tmp_path / "diary.db", 3)
    source = make_diary(tmp_path / "usb" / "b.db", 8)
    before = diary.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db, "replace_contents", full)
    with pytest.raises(PaindiaryError) as caught:
        backups.restore(diary, source, NOW)
    assert str(caught.value) == f"Could not restore to {diary}: No space left on device; the diary was not changed."
    assert diary.read_bytes() == before and names(tmp_path) == ["diary.db", "usb"]


def test_a_diary_that_appears_while_restoring_is_not_written_over(tmp_path: Path, monkeypatch) -> None:
    source = make_diary(tmp_path / "usb" / "b.db", 8)
    diary = tmp_path / "diary.db"
    real_link = os.link

    def appears_first(src: object, dst: object) -> None:
        if Path(str(dst)) == diary:
            diary.write_bytes(b"written meanwhile")
        real_link(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(backups.os, "link", appears_first)
    with pytest.raises(PaindiaryError) as caught:
        backups.restore(diary, source, NOW)
    assert str(caught.value) == f"{diary} appeared while restoring; run the restore again."
    assert diary.read_bytes() == b"written meanwhile" and names(tmp_path) == ["diary.db", "usb"]


def test_the_restore_tells_about_the_copy_saved_before_upgrading_the_diary(tmp_path: Path, monkeypatch) -> None:
    diary = tmp_path / "diary.db"
    diary.write_bytes((Path(__file__).parent / "data" / "schema-v1.db").read_bytes())
    diary.chmod(0o600)
    source = make_diary(tmp_path / "usb" / "b.db", 8)
    told: list[Path] = []
    backups.restore(diary, source, NOW, on_backup=told.append)
    assert told == [tmp_path / "diary-schema-1-backup.db"] and told[0].exists()
