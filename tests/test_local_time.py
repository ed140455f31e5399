"""Local time is explicit: times the clocks skipped or showed twice (daylight saving time).

Every test runs in New York, where 2026-03-08 02:00-03:00 does not exist (spring forward)
and 2026-11-01 01:00-02:00 happens twice (fall back).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from paindiary import when
from paindiary.errors import LocalTimeError

GAP = "does not exist in local time (clocks went forward)"
TWICE = "happened twice in local time (clocks went back)"
OFFSETS = "add the UTC offset, -04:00 for the first or -05:00 for the second"


@pytest.fixture(autouse=True)
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def fhir_times(run: Any) -> list[str]:
    data = json.loads(run("export", "--format", "fhir").stdout)
    return sorted(e["resource"]["effectiveDateTime"] for e in data["entry"] if "effectiveDateTime" in e["resource"])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["log", "4", "--at", "2026-03-08T02:30"], "--at"),
        (["log", "4", "--at", "2026-03-08 02:00:00"], "--at"),
        (["treatment", "add", "--at", "2026-03-08T02:59", "--name", "ketamine"], "--at"),
        (["med", "add", "oxycodone", "5", "mg", "--at", "2026-03-08T02:30"], "--at"),
    ],
)
def test_a_time_the_clocks_skipped_is_refused(run: Any, db_path: Path, args: list[str], field: str) -> None:
    run("log", "5", "--at", "2026-03-07")
    before = snapshot(db_path)
    error = run(*args, code=1).stderr
    assert error.startswith(f"Error: {field}: ") and GAP in error, error
    assert "give the time with its UTC offset or a time outside the gap" in error
    assert len(error.splitlines()) == 1
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ["log", "4", "--at", "2026-11-01T01:30"],
        ["treatment", "add", "--at", "2026-11-01T01:00", "--name", "ketamine"],
        ["med", "add", "oxycodone", "5", "mg", "--at", "2026-11-01T01:59:59"],
    ],
)
def test_a_time_the_clocks_showed_twice_is_refused_without_an_offset(run: Any, db_path: Path, args: list[str]) -> None:
    run("log", "5", "--at", "2026-10-31")
    before = snapshot(db_path)
    error = run(*args, code=1).stderr
    assert error.startswith("Error: --at: ") and TWICE in error and OFFSETS in error, error
    assert len(error.splitlines()) == 1
    assert snapshot(db_path) == before


def test_a_time_of_day_alone_on_a_changing_day_is_checked(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from paindiary.cli import common

    monkeypatch.setattr(common, "now", lambda: datetime(2026, 3, 8, 12, 0))
    assert GAP in run("log", "4", "--at", "02:30", code=1).stderr
    run("log", "4", "--at", "03:30")


def test_times_next_to_the_changes_and_with_an_offset_are_stored(run: Any) -> None:
    run("log", "4", "--at", "2026-03-08T01:59:59")
    run("log", "4", "--at", "2026-03-08T03:00")
    run("log", "4", "--at", "2026-11-01T00:59:59")
    run("log", "4", "--at", "2026-11-01T02:00")
    stored = [e["recorded_at"] for e in run.json("entry", "list", "--json")]
    assert sorted(stored) == [
        "2026-03-08T01:59:59", "2026-03-08T03:00:00",
        "2026-11-01T00:59:59", "2026-11-01T02:00:00",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "options"),
    [
        ("e.csv", "recorded_at,pain\n2026-03-01,5\n2026-03-08T02:30:00,5\n", []),  # canonical: the fast path
        ("e.csv", "recorded_at,pain\n2026-03-01,5\n2026-11-01T01:30:00,5\n", []),
        ("e.csv", "recorded_at,pain\n2026-03-01,5\n2026-03-08 02:30,5\n", []),
        ("e.json", '[{"recorded_at": "2026-03-01", "pain": 5}, {"recorded_at": "2026-11-01T01:15", "pain": 5}]', []),
        ("e.csv", "day,pain\n08/03/2026 02:30,5\n", ["--map", "day=recorded_at", "--date-format", "%d/%m/%Y %H:%M"]),
    ],
)
def test_imported_times_the_clocks_skipped_or_repeated_are_refused(
    run: Any, db_path: Path, tmp_path: Path, name: str, text: str, options: list[str]
) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    path = tmp_path / name
    path.write_text(text)
    error = run("import", str(path), *options, code=1).stderr
    assert "recorded_at: " in error and (GAP in error or TWICE in error), error
    if name.endswith(".csv"):
        assert "(line " in error, error
    assert snapshot(db_path) == before


def test_treatment_and_medication_imports_are_checked_too(run: Any, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-02-01")
    before = snapshot(db_path)
    sessions = tmp_path / "t.csv"
    sessions.write_text("started_at,name\n2026-03-08T02:15:00,ketamine\n")
    assert GAP in run("import", str(sessions), "--kind", "treatments", code=1).stderr
    doses = tmp_path / "m.csv"
    doses.write_text("taken_at,name,dose,dose_unit\n2026-11-01T01:15:00,oxycodone,5,mg\n")
    assert TWICE in run("import", str(doses), "--kind", "medications", code=1).stderr
    assert snapshot(db_path) == before


def test_fhir_carries_the_offset_in_force_at_each_time(run: Any) -> None:
    run("log", "4", "--at", "2026-03-08T01:30")
    run("log", "4", "--at", "2026-03-08T03:30")
    run("log", "4", "--at", "2026-11-01T02:30")
    assert fhir_times(run) == [
        "2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00", "2026-11-01T02:30:00-05:00",
    ]  # fmt: skip


def test_the_fast_column_check_agrees_with_the_one_value_check() -> None:
    day = ["2026-03-08T01:59:59", "2026-03-08T03:00:00", "2026-11-01T02:00:00", "2026-07-01T02:30:00"]
    assert when.all_canonical(day)
    for bad in ("2026-03-08T02:00:00", "2026-11-01T01:00:00", "2026-11-01T01:59:59"):
        assert not when.all_canonical([*day, bad])
        with pytest.raises(LocalTimeError):
            when.canonical(bad)


@pytest.mark.parametrize(
    ("at", "stored"),
    [
        ("2026-11-01T05:30Z", "2026-11-01T01:30:00-04:00"),
        ("2026-11-01T06:30Z", "2026-11-01T01:30:00-05:00"),
        ("2026-11-01T01:30-04:00", "2026-11-01T01:30:00-04:00"),
    ],
)
def test_a_moment_in_the_repeated_hour_is_stored_with_its_offset_not_merged(run: Any, at: str, stored: str) -> None:
    # 05:30Z and 06:30Z are both 01:30 in New York: each is stored with the offset in force then
    # (more in test_repeated_hour.py).
    run("log", "5", "--at", "2026-11-01T01:30-05:00" if stored.endswith("-04:00") else "2026-11-01T01:30-04:00")
    run("log", "4", "--at", at)
    assert stored in [e["recorded_at"] for e in run.json("entry", "list", "--json")]
    assert len(run.json("entry", "list", "--json")) == 2


def test_a_record_stored_in_the_repeated_hour_can_still_be_edited(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # stored where the hour is not repeated (or before times were checked)
    time.tzset()
    run("log", "4", "--at", "2026-11-01T01:30")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    run("entry", "edit", "1", "--pain", "6")
    [entry] = run.json("entry", "list", "--json")
    assert (entry["recorded_at"], entry["pain"]) == ("2026-11-01T01:30:00", 6)
    assert TWICE in run("entry", "edit", "1", "--at", "2026-11-01T01:45", code=1).stderr


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)))
@example(datetime(2026, 3, 8, 2, 30))
@example(datetime(2026, 11, 1, 1, 30))
@example(datetime(2026, 11, 1, 2, 0))
def test_every_accepted_time_names_exactly_one_moment(moment: datetime) -> None:
    stamp = moment.replace(microsecond=0).isoformat()
    try:
        stored = when.canonical(stamp)
    except LocalTimeError:
        assert not when.all_canonical([stamp])
        local = moment.replace(microsecond=0)
        assert local.replace(fold=0).astimezone().utcoffset() != local.replace(fold=1).astimezone().utcoffset()
        return
    assert stored == stamp and when.all_canonical([stamp])
    aware = datetime.fromisoformat(when.with_local_offset(stored))
    assert aware.astimezone().replace(tzinfo=None) == datetime.fromisoformat(stored)  # the offset is the one in force


def _changing_days_day_by_day(year: int) -> frozenset[str]:
    """The plain definition: days whose next local midnight has another UTC offset than their own."""
    from datetime import date, timedelta

    def offset(day: date) -> object:
        return datetime(day.year, day.month, day.day).astimezone().utcoffset()

    day, found = date(year, 1, 1), set()
    while day.year == year:
        if offset(day + timedelta(days=1)) != offset(day):
            found.add(day.isoformat())
        day += timedelta(days=1)
    return frozenset(found)


@pytest.mark.parametrize(
    "zone",
    ["America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "America/Santiago", "Africa/Casablanca",
     "Asia/Beirut", "Pacific/Apia", "America/Havana", "Antarctica/Troll", "Asia/Kolkata", "UTC"],
)  # fmt: skip
def test_the_days_the_offset_changes_are_found_exactly(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    """Midnight changes (Santiago, Havana, Beirut), 30-minute ones (Lord Howe), two-hour ones (Troll),
    Ramadan pauses of DST (Casablanca), a date-line jump (Apia) and the years' ends all agree."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    for year in [when.FIRST_YEAR, 1916, 1942, 1971, 2011, 2013, 2019, 2024, 2026, 2037, 2038, 2100, when.LAST_YEAR]:
        assert when.transition_days(year) == _changing_days_day_by_day(year), (zone, year)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    assert when.transition_days(2026) == {"2026-03-08", "2026-11-01"}
