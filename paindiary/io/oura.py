"""Oura's data export (JSON and CSV): sleep periods and daily activity, with the field names of Oura's API v2.

Oura's export follows the data models of its API v2 (``/v2/usercollection/sleep``
and ``/daily_activity``): a folder or zip of CSV files (``sleepmodel.csv``,
``dailyactivity.csv``, ..., separated by ``;`` or ``,``: the header tells) or
JSON files; one file may also be given. A CSV file is recognised by its header,
a JSON record by its fields, whatever the file is called. A JSON file may hold a
list of records, an API response (``{"data": [...]}``) or an object of such lists
(``{"sleep": [...], "daily_activity": [...]}``).

- Sleep periods (``day``, ``bedtime_start``, ``bedtime_end``,
  ``total_sleep_duration`` in seconds, ``type``): the periods of type
  ``long_sleep`` (the main sleep) and ``sleep`` (a shorter period Oura still
  counts as sleep) are summed on their ``day``, Oura's own day, which for a
  night is the day it ends; ``late_nap``, ``rest`` (rest mode) and ``deleted``
  periods are skipped and counted. A period without a type counts.
- Resting heart rate: the ``lowest_heart_rate`` of those periods; several on a day: the lowest.
- Daily activity (``day``, ``steps``): the day's steps; a day given twice
  (JSON and CSV of the same export, or an early copy of the day): the largest count.

A period seen twice (the same ``id``, or the same day and bedtimes) counts once.
Other files and records are skipped and counted. Errors name the file and the
line (CSV) or record (JSON).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from paindiary.errors import PaindiaryError
from paindiary.io import ONE_KIND, Format
from paindiary.io.wearable_files import Member, Progress, export_members, read_text, reading, sections
from paindiary.measures import METRICS, Reading, RestingDays
from paindiary.measures import reading as make_reading

SOURCE = "oura"
SLEEP_FIELDS = frozenset({"day", "bedtime_start", "bedtime_end", "total_sleep_duration"})
ACTIVITY_FIELDS = frozenset({"day", "steps"})
COUNTED_TYPES = frozenset({"long_sleep", "sleep", ""})  # "": no type given
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Days:
    def __init__(self) -> None:
        self.sleep: dict[str, float] = {}  # seconds
        self.steps: dict[str, float] = {}
        self.resting = RestingDays()
        self.periods: set[object] = set()
        self.used: dict[str, int] = {}
        self.skipped: dict[str, int] = {}

    def count(self, table: dict[str, int], key: str) -> None:
        table[key] = table.get(key, 0) + 1


def _fail(label: str, where: str, what: str) -> PaindiaryError:
    return PaindiaryError(f"{label}, {where}: {what}; check that this is an unchanged Oura export.")


def _day(record: Mapping[str, Any]) -> str:
    text = record.get("day")
    if isinstance(text, str) and _DAY.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            pass
    raise PaindiaryError(f"day {text!r} is not a date like 2026-03-08")


def _number(value: object, field: str) -> float | None:
    """A number of 0 or more (numbers or numeric text); None when empty; PaindiaryError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, bool):
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = -1.0
        if 0 <= number < float("inf"):
            return number
    raise PaindiaryError(f"{field} {value!r} is not a number of 0 or more")


def _period(days: _Days, record: Mapping[str, Any]) -> None:
    kind = str(record.get("type") or "").strip()
    if kind not in COUNTED_TYPES:
        days.count(days.skipped, f"sleep periods of type {kind}")
        return
    day = _day(record)
    given = record.get("id")
    key = (
        given
        if isinstance(given, str) and given
        else (day, str(record.get("bedtime_start")), str(record.get("bedtime_end")))
    )
    if key in days.periods:
        days.count(days.skipped, "sleep periods seen twice")
        return
    days.periods.add(key)
    seconds = _number(record.get("total_sleep_duration"), "total_sleep_duration")
    if seconds is None:
        days.count(days.skipped, "sleep periods without a total sleep duration")
        return
    days.sleep[day] = days.sleep.get(day, 0.0) + seconds
    days.count(days.used, f"sleep periods of type {kind or '(none)'}")
    lowest = _number(record.get("lowest_heart_rate"), "lowest_heart_rate")
    if lowest is not None:
        spec = METRICS["resting_hr"]
        if not spec.low <= lowest <= spec.high:
            raise PaindiaryError(f"lowest_heart_rate {lowest:g} is outside {spec.low:g}-{spec.high:g} beats a minute")
        days.resting.add(day, lowest)


def _activity(days: _Days, record: Mapping[str, Any]) -> None:
    day = _day(record)
    steps = _number(record.get("steps"), "steps")
    if steps is None:
        days.count(days.skipped, "daily activity without steps")
        return
    if steps != int(steps):
        raise PaindiaryError(f"steps {record.get('steps')!r} is not a whole number")
    days.steps[day] = max(days.steps.get(day, 0.0), steps)
    days.count(days.used, "daily activity")


def _record(days: _Days, record: object, fields: frozenset[str] | None = None) -> bool:
    """Use one record if it is a sleep period or a daily activity (True); False if it is neither."""
    if not isinstance(record, Mapping):
        return False
    names = fields if fields is not None else frozenset(record)
    if names >= SLEEP_FIELDS:
        _period(days, record)
    elif names >= ACTIVITY_FIELDS:
        _activity(days, record)
    else:
        return False
    return True


def _json_lists(document: object) -> Iterator[tuple[str, list[Any]]]:
    """(name, records) of each list of records in a JSON document."""
    if isinstance(document, list):
        yield "", document
    elif isinstance(document, Mapping):
        for key, value in document.items():
            if isinstance(value, list):
                yield str(key), value


def _read_json(days: _Days, member: Member, label: str) -> None:
    try:
        document = json.loads(read_text(member, label))
    except json.JSONDecodeError as exc:
        raise _fail(label, f"line {exc.lineno}", f"this is not well-formed JSON ({exc.msg})") from None
    for name, records in _json_lists(document):
        for number, record in enumerate(records, 1):
            try:
                used = _record(days, record)
            except PaindiaryError as exc:
                where = f"{name}, record {number}" if name else f"record {number}"
                raise _fail(label, where, str(exc)) from None
            if not used:
                days.count(days.skipped, f"{name or 'other'} records")


def _read_csv(days: _Days, member: Member, label: str) -> bool:
    """Read a CSV file of sleep periods or daily activity; False if it is neither (only its header is read)."""
    with reading(label), member.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        line = 1
        try:
            first = text.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            header = [name.strip() for name in next(csv.reader([first], delimiter=delimiter), [])]
            names = frozenset(header)
            if not (names >= SLEEP_FIELDS or names >= ACTIVITY_FIELDS):
                return False
            rows = csv.reader(text, delimiter=delimiter)
            for row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                line = rows.line_num + 1
                if len(row) != len(header):
                    raise _fail(
                        label, f"line {line}", f"this row has {len(row)} cells where the header has {len(header)}"
                    )
                try:
                    _record(days, dict(zip(header, row, strict=True)), names)
                except PaindiaryError as exc:
                    raise _fail(label, f"line {line}", str(exc)) from None
        except UnicodeDecodeError:
            raise PaindiaryError(f"{label} is not UTF-8 text; is it the right file?") from None
        except csv.Error as exc:
            raise _fail(label, f"line {line + 1}", f"this is not well-formed CSV ({exc})") from None
    return True


def read_oura(path: str | os.PathLike[str], progress: Progress | None = None) -> Reading:
    """Sleep, resting heart rate and steps per day from an Oura export (folder, zip, or one JSON or CSV file).

    ``progress`` is called with (bytes read, bytes in all) after each file.
    """
    days = _Days()
    with export_members(path) as members:
        total, done = sum(member.size for member in members), 0
        for member in members:
            label = member.label(path)
            name = member.basename.lower()
            if name.endswith(".json"):
                _read_json(days, member, label)
            elif not (name.endswith(".csv") and _read_csv(days, member, label)):
                days.count(days.skipped, f"other files ({member.basename})" if member.inside else "other files")
            done += member.size
            if progress is not None:
                progress(done, total)
    found = {
        "sleep_minutes": {day: round(seconds / 60, 1) for day, seconds in sorted(days.sleep.items())},
        "steps": dict(sorted(days.steps.items())),
        "resting_hr": days.resting.by_day(),
    }
    return make_reading(SOURCE, os.fspath(path), found, days.used, days.skipped)


FORMAT = Format(
    name="oura",
    description="Oura",
    kinds=ONE_KIND,
    read_path=sections(read_oura),
    mappable=False,
)
