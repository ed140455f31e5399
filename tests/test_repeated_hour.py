"""Both moments of a repeated (fall-back) hour are stored distinctly (issue 10, "Local time is explicit").

A time given with a UTC offset whose local time the clocks showed twice is stored with that
offset (``2026-11-01T01:30:00-04:00``); every other time stays as it was. Tests run in a west
zone (New York: 01:00-02:00 on 2026-11-01 twice, -04:00 then -05:00) and, where order is at
stake, an east one too (Berlin: 02:00-03:00 on 2026-10-25 twice, +02:00 then +01:00).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from paindiary import db, store, when

NY_FIRST, NY_SECOND = "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00"


def set_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.fixture(autouse=True)
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    set_zone(monkeypatch, "America/New_York")
    yield
    monkeypatch.undo()
    time.tzset()


def entry_times(run: Any) -> list[str]:
    return [e["recorded_at"] for e in run.json("entry", "list")]


def test_the_two_moments_given_in_utc_are_two_entries(run: Any) -> None:
    run("log", "4", "--at", "2026-11-01T05:30Z")
    run("log", "5", "--at", "2026-11-01T06:30Z")
    entries = run.json("entry", "list")
    assert [(e["recorded_at"], e["pain"]) for e in entries] == [(NY_FIRST, 4), (NY_SECOND, 5)]


def test_the_two_moments_given_with_their_offsets_are_two_entries(run: Any) -> None:
    run("log", "5", "--at", "2026-11-01T01:30-05:00")
    run("log", "4", "--at", "2026-11-01T01:30-04:00")
    assert entry_times(run) == [NY_FIRST, NY_SECOND]  # time order, not the order they were logged
    error = run("log", "6", "--at", "2026-11-01T06:30:00+00:00", code=1).stderr  # the same moment again
    assert "already exists at 2026-11-01T01:30:00-05:00" in error, error


def test_an_offset_not_in_force_then_is_converted_to_local_time_as_before(run: Any) -> None:
    run("log", "4", "--at", "2026-11-01T01:30-07:00")  # 08:30 UTC: 03:30 in New York, an ordinary time
    run("log", "4", "--at", "2026-11-01T00:30-06:00")  # 06:30 UTC: the second 01:30
    run("log", "4", "--at", "2026-07-01T01:30-04:00")  # an ordinary time with the offset in force
    assert entry_times(run) == [
        "2026-07-01T01:30:00", NY_SECOND, "2026-11-01T03:30:00",
    ]  # fmt: skip


def test_without_an_offset_the_repeated_hour_is_still_refused(run: Any) -> None:
    error = run("log", "4", "--at", "2026-11-01T01:30", code=1).stderr
    assert "happened twice in local time" in error and "-04:00 for the first or -05:00 for the second" in error


def test_a_session_and_doses_in_the_repeated_hour(run: Any) -> None:
    run("treatment", "add", "--at", "2026-11-01T01:15-05:00", "--name", "ketamine", "--duration", "40")
    run("treatment", "add", "--at", "2026-11-01T01:45-04:00", "--name", "ketamine")
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-11-01T01:10-05:00")
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-11-01T01:10-04:00")
    sessions = [t["started_at"] for t in run.json("treatment", "list")]
    assert sessions == ["2026-11-01T01:45:00-04:00", "2026-11-01T01:15:00-05:00"]  # 05:45Z before 06:15Z
    doses = [m["taken_at"] for m in run.json("med", "list")]
    assert doses == ["2026-11-01T01:10:00-04:00", "2026-11-01T01:10:00-05:00"]


def test_entry_list_is_in_time_order_across_the_repeated_hour(run: Any) -> None:
    for at in ("2026-11-01T02:00", "2026-11-01T01:20-05:00", "2026-11-01T00:59", "2026-11-01T01:50-04:00",
               "2026-11-01T01:00-05:00", "2026-11-01T01:05-04:00"):  # fmt: skip
        run("log", "4", "--at", at)
    in_order = [
        "2026-11-01T00:59:00", "2026-11-01T01:05:00-04:00", "2026-11-01T01:50:00-04:00",
        "2026-11-01T01:00:00-05:00", "2026-11-01T01:20:00-05:00", "2026-11-01T02:00:00",
    ]  # fmt: skip
    assert entry_times(run) == in_order
    assert [e["recorded_at"] for e in run.json("entry", "list", "--last", "3")] == in_order[-3:]
    assert [e["recorded_at"] for e in run.json("entry", "list", "--last", "4")] == in_order[-4:]


def test_in_berlin_the_earlier_moment_has_the_larger_offset(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    set_zone(monkeypatch, "Europe/Berlin")  # 2026-10-25 02:00-03:00 twice: +02:00, then +01:00
    for at in ("2026-10-25T01:10Z", "2026-10-25T00:40Z", "2026-10-25T00:30Z", "2026-10-25T03:00"):
        run("log", "4", "--at", at)
    assert entry_times(run) == [
        "2026-10-25T02:30:00+02:00", "2026-10-25T02:40:00+02:00", "2026-10-25T02:10:00+01:00", "2026-10-25T03:00:00",
    ]  # fmt: skip
    assert [e["recorded_at"] for e in run.json("entry", "list", "--last", "2")] == [
        "2026-10-25T02:10:00+01:00", "2026-10-25T03:00:00",
    ]  # fmt: skip


def test_the_latest_dose_is_the_latest_moment(run: Any, monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    set_zone(monkeypatch, "Europe/Berlin")
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-10-25T02:20+01:00")  # the later moment
    run("med", "add", "oxycodone", "10", "mg", "--at", "2026-10-25T02:50+02:00")
    with db.open_db(db_path) as diary:
        latest = store.latest_doses(diary.conn)
    assert (latest["oxycodone"].taken_at, latest["oxycodone"].dose) == ("2026-10-25T02:20:00+01:00", 5)


def test_tables_tell_the_two_rows_apart(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    run("log", "4", "--at", "2026-11-01T05:30Z")
    run("log", "5", "--at", "2026-11-01T06:30Z")
    for width, shown in (("160", (NY_FIRST, NY_SECOND)), ("80", ("11-01 01:30-04:00", "11-01 01:30-05:00"))):
        monkeypatch.setenv("COLUMNS", width)
        table = run("entry", "list").stdout
        rows = [line for line in table.splitlines() if "01:30" in line]
        assert len(rows) == 2 and shown[0] in rows[0] and shown[1] in rows[1], table


@pytest.mark.parametrize(("fmt", "kind"), [("json", None), ("csv", "entries"), ("csv", "treatments"),
                                           ("csv", "medications"), ("jsonl", "medications")])  # fmt: skip
def test_export_and_import_into_a_fresh_diary_keeps_both_moments(
    run: Any, tmp_path: Path, fmt: str, kind: str | None
) -> None:
    run("log", "4", "--at", NY_FIRST)
    run("log", "5", "--at", NY_SECOND)
    run("log", "6", "--at", "2026-11-01T02:00")
    run("treatment", "add", "--at", NY_SECOND, "--name", "ketamine", "--duration", "40")
    run("treatment", "add", "--at", NY_FIRST, "--name", "ketamine")
    run("med", "add", "oxycodone", "5", "mg", "--at", NY_FIRST)
    run("med", "add", "oxycodone", "5", "mg", "--at", NY_SECOND)
    options = ["--format", fmt, *(["--kind", kind] if kind else [])]
    exported = run("export", *options).stdout
    if fmt == "csv":
        times = [row[0] for row in csv.reader(io.StringIO(exported))][1:]
        assert sorted(times)[-2:] == [NY_FIRST, NY_SECOND] or NY_FIRST in times, times
    path = tmp_path / f"export.{fmt}"
    path.write_text(exported)
    fresh = tmp_path / "fresh.db"
    run("--db", str(fresh), "import", str(path), *([] if fmt == "json" else ["--kind", kind or "entries"]))
    assert run("--db", str(fresh), "export", *options).stdout == exported


def test_the_importer_reads_times_with_offsets_on_its_slow_path(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"recorded_at,pain\n2026-11-01T02:00:00,6\n{NY_SECOND},5\n2026-11-01T05:30:00Z,4\n")
    run("import", str(path))
    assert entry_times(run) == [NY_FIRST, NY_SECOND, "2026-11-01T02:00:00"]
    assert not when.all_canonical([NY_FIRST])  # (the fast path leaves such values to the one-by-one check)


def test_fhir_carries_the_offset_that_was_in_force(run: Any) -> None:
    run("log", "4", "--at", "2026-11-01T05:30Z")
    run("log", "5", "--at", "2026-11-01T06:30Z")
    run("log", "6", "--at", "2026-11-01T02:30")
    run("treatment", "add", "--at", "2026-11-01T01:40-04:00", "--name", "ketamine", "--duration", "30")
    data = json.loads(run("export", "--format", "fhir").stdout)
    resources = [e["resource"] for e in data["entry"]]
    assert sorted(r["effectiveDateTime"] for r in resources if "effectiveDateTime" in r) == [
        "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-05:00",
    ]  # fmt: skip
    [session] = [r for r in resources if r["resourceType"] == "Procedure"]
    assert session["performedPeriod"] == {"start": "2026-11-01T01:40:00-04:00", "end": "2026-11-01T01:10:00-05:00"}


@pytest.mark.slow  # renders charts
def test_summaries_charts_and_edits_work_with_such_times(run: Any, tmp_path: Path) -> None:
    run("log", "4", "--at", NY_FIRST)
    run("log", "5", "--at", NY_SECOND)
    run("treatment", "add", "--at", NY_SECOND, "--name", "ketamine")
    run("med", "add", "oxycodone", "5", "mg", "--at", NY_FIRST)
    assert run.json("analyze", "--since", "2026-10-01", "--until", "2026-11-01")
    run("chart", "-o", str(tmp_path / "c.svg"), "--since", "2026-10-01", "--until", "2026-11-01")
    run("entry", "edit", "2", "--pain", "7")
    assert [(e["recorded_at"], e["pain"]) for e in run.json("entry", "list")] == [(NY_FIRST, 4), (NY_SECOND, 7)]
    run("entry", "edit", "2", "--at", "2026-11-01T01:45-05:00")
    assert entry_times(run) == [NY_FIRST, "2026-11-01T01:45:00-05:00"]


# --- the migration --------------------------------------------------------------------------


def previous_schema_diary(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diary at the schema before times with offsets (later migrations, the search index's, run after it)."""
    before = db.schema.MIGRATIONS.index(db.schema._m004_times_with_offsets)
    with monkeypatch.context() as patch:
        patch.setattr(db.schema, "MIGRATIONS", db.schema.MIGRATIONS[:before])
        patch.setattr(db.schema, "SCHEMA_VERSION", before)
        with db.open_db(path) as diary:
            assert db.schema_state(diary.conn)[1] == before
            with pytest.raises(sqlite3.IntegrityError):  # a 25-character time did not fit then
                diary.conn.execute("INSERT INTO entries (recorded_at, pain) VALUES (?, 4)", (NY_FIRST,))


ORDINARY = [("entries", "2026-11-01T00:59:59"), ("entries", "2026-11-01T02:00:00"), ("entries", "2026-03-08T02:30:00"),
            ("entries", "2026-11-01"), ("entries", "2025-11-03T01:30:00"), ("medications", "2026-11-01")]  # fmt: skip


def test_the_migration_gives_old_naive_times_in_the_repeated_hour_their_first_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    previous_schema_diary(path, monkeypatch)
    conn = sqlite3.connect(path)
    with conn:
        for table, stamp in [("entries", "2026-11-01T01:30:00"), ("entries", "2025-11-02T01:59:59"), *ORDINARY]:
            if table == "entries":
                conn.execute("INSERT INTO entries (recorded_at, pain) VALUES (?, 4)", (stamp,))
            else:
                conn.execute(
                    "INSERT INTO medications (taken_at, name, dose, dose_unit) VALUES (?, 'x', 1, 'mg')", (stamp,)
                )
        conn.execute("INSERT INTO treatments (started_at, name) VALUES ('2026-11-01T01:00:00', 'ketamine')")
        conn.execute(
            "INSERT INTO medications (taken_at, name, dose, dose_unit) VALUES ('2026-11-01T01:59:00', 'x', 1, 'mg')"
        )
        assessment = "INSERT INTO assessments (recorded_at, instrument, pgic) VALUES (?, 'pgic', 2)"
        conn.executemany(assessment, [("2026-11-01T01:45:00",), ("2026-11-01T02:45:00",), ("2026-11-01",)])
    [session_before] = conn.execute("SELECT * FROM treatments").fetchall()
    conn.close()
    with db.open_db(path) as diary:  # the upgrade
        assert db.schema_state(diary.conn)[1] == db.SCHEMA_VERSION
        rows = dict(diary.conn.execute("SELECT id, recorded_at FROM entries"))
        assert rows[1] == "2026-11-01T01:30:00-04:00" and rows[2] == "2025-11-02T01:59:59-04:00"
        assert [rows[i] for i in range(3, 8)] == [stamp for table, stamp in ORDINARY if table == "entries"]
        [session_after] = diary.conn.execute("SELECT * FROM treatments").fetchall()
        assert session_after[1] == "2026-11-01T01:00:00-04:00"
        assert session_after[:1] + session_after[2:] == session_before[:1] + session_before[2:]
        assert [r[0] for r in diary.conn.execute("SELECT taken_at FROM medications ORDER BY id")] == [
            "2026-11-01", "2026-11-01T01:59:00-04:00",
        ]  # fmt: skip
        assert [r[0] for r in diary.conn.execute("SELECT recorded_at FROM assessments ORDER BY id")] == [
            "2026-11-01T01:45:00-04:00", "2026-11-01T02:45:00", "2026-11-01",
        ]  # fmt: skip
        assert diary.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        diary.conn.execute("INSERT INTO entries (recorded_at, pain) VALUES (?, 4)", (NY_SECOND,))  # fits now
        with pytest.raises(sqlite3.IntegrityError):
            diary.conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-11-01T01:30:00-0500Z', 4)")
        with pytest.raises(sqlite3.IntegrityError):  # the other checks are still there
            diary.conn.execute("INSERT INTO entries (recorded_at, pain) VALUES ('2026-11-02', 11)")


def test_the_migration_leaves_ordinary_rows_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    previous_schema_diary(path, monkeypatch)
    conn = sqlite3.connect(path)
    with conn:
        for day in range(1, 200):
            stamp = (datetime(2026, 6, 1, 21, 5) + timedelta(days=day)).isoformat()
            conn.execute(
                "INSERT INTO entries (recorded_at, pain, note, tags) VALUES (?, ?, ?, ?)",
                (stamp, day % 11, f"note {day} ✓", json.dumps(["a", "ß"])),
            )
            conn.execute("INSERT INTO assessments (recorded_at, instrument, pgic) VALUES (?, 'pgic', 3)", (stamp,))
            conn.execute("INSERT INTO treatments (started_at, name, side_effects) VALUES (?, 'k', '[]')", (stamp,))
            conn.execute(
                "INSERT INTO medications (taken_at, name, dose, dose_unit) VALUES (?, 'x', 0.5, 'mg')", (stamp,)
            )
    tables = ("entries", "treatments", "medications", "assessments")
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    conn.close()
    with db.open_db(path) as diary:
        after = {t: diary.conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
        assert after == before
        indexes = {row[0] for row in diary.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"measurements_by_metric", "assessments_by_time"} <= indexes
        for table in tables:  # the schema text as written (a later migration may rebuild a table by editing it)
            (sql,) = diary.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
            assert sql.startswith(f"CREATE TABLE {table} ("), sql
        names = {row[0] for row in diary.conn.execute("SELECT name FROM sqlite_master")}
        assert not any("rebuild" in name for name in names), names


# --- every accepted time names one moment -----------------------------------------------------


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(timezone.utc)),
    st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]),
)
@example(datetime(2026, 11, 1, 5, 30, tzinfo=timezone.utc), "America/New_York")
@example(datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc), "America/New_York")
@example(datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc), "Europe/Berlin")
@example(datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc), "Europe/Berlin")
def test_a_time_with_an_offset_is_stored_as_the_same_moment_and_in_time_order(moment: datetime, zone: str) -> None:
    import os

    saved = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        moment = moment.replace(microsecond=0)
        given_as = [moment.isoformat(), moment.astimezone().isoformat()]  # in UTC and in local time with its offset
        for text in given_as:
            stored = when.canonical(text)
            assert when.aware(stored) == moment  # the same moment
            assert when.naive_local(stored).astimezone() == moment  # its wall clock time, fold set
            assert when.canonical(stored) == stored  # and stored again as itself
            assert len(stored) == (when.WITH_OFFSET if when.in_repeated_hour(when.naive_local(stored)) else 19)
        later = [when.canonical((moment + timedelta(minutes=m)).isoformat()) for m in (0, 20, 40, 60, 80)]
        assert sorted(later, key=when.order_key) == later
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


@pytest.mark.parametrize(("fold", "offset"), [(0, "-04:00"), (1, "-05:00")])
def test_now_in_the_repeated_hour_is_stored_with_its_offset(
    run: Any, monkeypatch: pytest.MonkeyPatch, fold: int, offset: str
) -> None:
    from paindiary.cli import common

    monkeypatch.setattr(
        common, "now", lambda: datetime(2026, 11, 1, 1, 59, 59, 250, fold=fold)
    )  # as the clock gives it
    run("log", "4")
    run("log", "5")  # typed within the same second: the next free second
    run("med", "add", "oxycodone", "5", "mg")
    next_second = "2026-11-01T01:00:00-05:00" if fold == 0 else "2026-11-01T02:00:00"
    assert entry_times(run) == [f"2026-11-01T01:59:59{offset}", next_second]
    assert [m["taken_at"] for m in run.json("med", "list")] == [f"2026-11-01T01:59:59{offset}"]


def test_same_day_relief_counts_an_entry_made_after_the_session_in_time(run: Any) -> None:
    run("treatment", "add", "--at", "2026-11-01T01:45-04:00", "--name", "ketamine")  # 05:45 UTC
    run("log", "3", "--at", "2026-11-01T01:30-05:00")  # 06:30 UTC: after it, though 01:30 < 01:45 as text
    run("log", "8", "--at", "2026-11-01T01:40-04:00")  # 05:40 UTC: before it
    run("log", "7", "--at", "2026-10-25")
    [course] = run.json("analyze")["courses"]
    assert course["same_day_after_pain"] == 3.0


def test_since_and_until_in_the_repeated_hour_select_by_moment(run: Any) -> None:
    times = [
        "2026-11-01",
        "2026-11-01T00:59:00",
        "2026-11-01T01:05:00-04:00",
        "2026-11-01T01:50:00-04:00",
        "2026-11-01T01:00:00-05:00",
        "2026-11-01T01:20:00-05:00",
        "2026-11-01T02:00:00",
    ]  # fmt: skip (in time order)
    for at in times:
        run("log", "4", "--at", at)

    def listed(*options: str) -> list[str]:
        return [e["recorded_at"] for e in run.json("entry", "list", *options)]

    assert listed("--since", "2026-11-01T01:10-05:00") == times[5:]  # (01:50-04:00 is earlier, though later as text)
    assert listed("--until", "2026-11-01T01:10-04:00") == times[:3]  # (01:00-05:00 is later, though earlier as text)
    assert listed("--since", "2026-11-01T01:50-04:00", "--until", "2026-11-01T06:00Z") == times[3:5]
    assert listed("--since", "2026-11-01T05:00Z", "--until", "2026-11-01T06:10Z", "--last", "2") == times[3:5]


@pytest.mark.slow  # renders a PDF
def test_the_report_shows_each_moment_with_its_offset_in_time_order() -> None:
    from pypdf import PdfReader

    from paindiary import models
    from paindiary.charts import report
    from paindiary.charts.data import build as build_data

    entries = [
        models.make_entry({"recorded_at": f"2026-10-{d:02d}", "pain": 6}) for d in range(20, 32)
    ] + [
        models.make_entry({"recorded_at": "2026-11-01T01:30:00-05:00", "pain": 3, "note": "second"}),
        models.make_entry({"recorded_at": "2026-11-01T01:45:00-04:00", "pain": 4, "note": "first"}),
    ]  # fmt: skip
    sessions = [models.make_treatment({"started_at": "2026-11-01T01:10:00-05:00", "name": "ketamine"})]
    records = (entries, sessions, [])
    since, until = report.default_period(*records)
    data = build_data(*records, since=since, until=until)
    pdf = report.render_pdf(report.build(data, *records, all_notes=True))  # every note, oldest first
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    first, second = text.index("2026-11-01 01:45-04:00 · diary entry"), text.index("2026-11-01 01:30-05:00 · diary")
    assert first < second
    assert "01:10-05:00" in text  # the sessions table (its time cell wraps after the day)


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin"])
def test_assessments_in_the_repeated_hour_are_kept_apart_and_in_time_order(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    from paindiary import diary as diaries

    set_zone(monkeypatch, zone)
    day = "2026-11-01" if zone == "America/New_York" else "2026-10-25"
    utc = (
        [f"{day}T05:50Z", f"{day}T06:10Z", f"{day}T07:30Z"]
        if day == "2026-11-01"
        else [f"{day}T00:50Z", f"{day}T01:10Z", f"{day}T02:30Z"]
    )  # fmt: skip (the first moment late in the hour, the second early in it, then after it)
    with db.open_db(db_path) as handle:
        for at in reversed(utc):
            diaries.add(
                handle, store.ASSESSMENTS, store.ASSESSMENTS.make({"recorded_at": at, "instrument": "pgic", "pgic": 2})
            )
        stored = [a.recorded_at for a in store.select(handle.conn, store.ASSESSMENTS)]
    assert [when.aware(stamp) for stamp in stored] == [datetime.fromisoformat(at) for at in utc]
    assert len(stored[0]) == len(stored[1]) == when.WITH_OFFSET and stored[0][:19] > stored[1][:19]


@pytest.mark.real_migrations
def test_a_new_diary_has_no_free_pages_after_the_rebuild(db_path: Path, run: Any) -> None:
    # (free pages are reused without being journaled: a killed write would not roll back byte for byte)
    run("log", "4", "--at", NY_FIRST)
    with db.open_db(db_path) as diary:
        assert diary.conn.execute("PRAGMA freelist_count").fetchone() == (0,)
        (sql,) = diary.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()
        assert "length(recorded_at) = 25 AND recorded_at GLOB" in sql


def test_the_migration_gives_offsets_in_the_last_year_paindiary_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    previous_schema_diary(path, monkeypatch)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO entries (recorded_at, pain) VALUES (?, 4)", (f"{when.LAST_YEAR}-11-03T01:30:00",))
    conn.close()
    with db.open_db(path) as diary:
        assert diary.conn.execute("SELECT recorded_at FROM entries").fetchone()[0] == "2999-11-03T01:30:00-04:00"
