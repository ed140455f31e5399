"""Fitbit's exports: the Google Takeout folder or zip (JSON), and the older Fitbit CSV export.

Takeout (``Takeout/Fitbit/Global Export Data/``), files found by name anywhere
in the folder or zip:

- ``sleep-*.json``: a list of sleep logs; only main sleeps (``"mainSleep": true``)
  count, their ``minutesAsleep`` summed on ``dateOfSleep`` (Fitbit's own wake
  day); other logs (naps) are skipped and counted; a ``logId`` seen twice counts once.
- ``steps-*.json``: ``[{"dateTime": "03/07/26 09:00:00", "value": "52"}, ...]``,
  summed per date as written (Fitbit writes no time zone; ``YY`` is 20YY).
- ``resting_heart_rate-*.json``: ``{"dateTime": ..., "value": {"date":
  "03/07/26", "value": 61.2, "error": 6.8}}``; a value of 0 means no reading that
  day (skipped and counted); several on one day: the lowest.

The older CSV export (``fitbit_export_YYYYMMDD.csv``, or any single CSV file
given) holds sections, each a title line (``Body``, ``Activities``, ``Sleep``,
...) then a header and rows. Only ``Sleep`` is read: ``Start Time,End
Time,Minutes Asleep,...`` with times like ``2010-10-13 11:12PM``; each row's
``Minutes Asleep`` counts for the date of its end time (this export does not
mark naps, so a nap counts too). Other sections' rows are skipped and counted.
Where the Takeout and the CSV export both give a day's sleep, Takeout's counts.
Every other file is skipped and counted. Errors name the file and the record
(JSON) or line (CSV).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any

from paindiary.errors import PaindiaryError
from paindiary.io import ONE_KIND, Format
from paindiary.io.wearable_files import Member, Progress, export_members, read_text, reading, sections
from paindiary.measures import METRICS, Reading, RestingDays
from paindiary.measures import reading as make_reading

SOURCE = "fitbit"
SLEEP_HEADER = (
    "Start Time", "End Time", "Minutes Asleep", "Minutes Awake", "Number of Awakenings",
    "Time in Bed", "Minutes REM Sleep", "Minutes Light Sleep", "Minutes Deep Sleep",
)  # fmt: skip
_JSON_KINDS = {"sleep": "sleep", "steps": "steps", "resting_heart_rate": "resting_hr"}
_DATED = re.compile(r"(?P<kind>.+?)[-_]\d{4}-\d{2}(?:-\d{2})?\.(?P<ext>\w+)")
_US_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{2})(?: \d{2}:\d{2}:\d{2})?")
_CSV_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}) +(\d{1,2}):(\d{2}) *([AaPp][Mm])")
_CSV_EXPORT = re.compile(r"fitbit_export_.*\.csv", re.IGNORECASE)


class _Days:
    """What the files give, per metric and day, and what was used and skipped."""

    def __init__(self) -> None:
        self.sleep: dict[str, float] = {}
        self.csv_sleep: dict[str, float] = {}
        self.steps: dict[str, float] = {}
        self.resting = RestingDays()
        self.sleep_logs: set[object] = set()
        self.used: dict[str, int] = {}
        self.skipped: dict[str, int] = {}

    def count(self, table: dict[str, int], key: str, n: int = 1) -> None:
        table[key] = table.get(key, 0) + n


def _fail(label: str, where: str, what: str) -> PaindiaryError:
    return PaindiaryError(f"{label}, {where}: {what}; check that this is an unchanged Fitbit export.")


def _us_day(text: object) -> str | None:
    """``MM/DD/YY`` (optionally with a time) as ``20YY-MM-DD``; None if it is not one."""
    match = _US_DATE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    try:
        return date(2000 + int(match[3]), int(match[1]), int(match[2])).isoformat()
    except ValueError:
        return None


def _iso_day(text: object) -> str | None:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _number(value: object, *, whole: bool = False) -> float | None:
    """A number of 0 or more (numbers or numeric text, ``1,234`` too); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "").strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not 0 <= value < float("inf") or (whole and value != int(value)):
        return None
    return float(value)


def _sleep_log(days: _Days, record: Any, fail: Callable[[str], PaindiaryError]) -> None:
    if not isinstance(record, Mapping):
        raise fail("a sleep log is not an object")
    if record.get("mainSleep", True) is not True:
        days.count(days.skipped, "sleep logs that are not the main sleep (naps)")
        return
    log = record.get("logId")
    log = log if isinstance(log, (int, str)) and not isinstance(log, bool) else None
    if log is not None and log in days.sleep_logs:
        days.count(days.skipped, "sleep logs seen twice")
        return
    day = _iso_day(record.get("dateOfSleep"))
    if day is None:
        raise fail(f"dateOfSleep {record.get('dateOfSleep')!r} is not a date like 2026-03-08")
    minutes = _number(record.get("minutesAsleep"), whole=True)
    if minutes is None:
        raise fail(f"minutesAsleep {record.get('minutesAsleep')!r} is not a whole number of minutes")
    days.sleep_logs.add(log)
    days.sleep[day] = days.sleep.get(day, 0.0) + minutes
    days.count(days.used, "sleep logs (main sleep)")


def _steps(days: _Days, record: Any, fail: Callable[[str], PaindiaryError]) -> None:
    stamp = record.get("dateTime") if isinstance(record, Mapping) else None
    day = _us_day(stamp)
    if day is None:
        raise fail(f"dateTime {stamp!r} is not a time like 03/07/26 09:00:00")
    steps = _number(record.get("value"), whole=True)
    if steps is None:
        raise fail(f"value {record.get('value')!r} is not a whole number of steps")
    days.steps[day] = days.steps.get(day, 0.0) + steps
    days.count(days.used, "step counts")


def _resting(days: _Days, record: Any, fail: Callable[[str], PaindiaryError]) -> None:
    value = record.get("value") if isinstance(record, Mapping) else None
    if not isinstance(value, Mapping):
        raise fail('a resting heart rate is not {"dateTime": ..., "value": {"date": ..., "value": ...}}')
    day = _us_day(value.get("date")) or _us_day(record.get("dateTime"))
    if day is None:
        raise fail(f"date {value.get('date')!r} is not a date like 03/07/26")
    rate = _number(value.get("value"))
    if rate is None:
        raise fail(f"value {value.get('value')!r} is not a number")
    if rate == 0:
        days.count(days.skipped, "resting heart rates of 0 (no reading that day)")
        return
    spec = METRICS["resting_hr"]
    if not spec.low <= rate <= spec.high:
        raise fail(f"resting heart rate {rate:g} is outside {spec.low:g}-{spec.high:g} beats a minute")
    days.resting.add(day, rate)
    days.count(days.used, "resting heart rates")


_READERS = {"sleep": _sleep_log, "steps": _steps, "resting_hr": _resting}


def _read_json(days: _Days, member: Member, kind: str, label: str) -> None:
    try:
        records = json.loads(read_text(member, label))
    except json.JSONDecodeError as exc:
        raise _fail(label, f"line {exc.lineno}", f"this is not well-formed JSON ({exc.msg})") from None
    if not isinstance(records, list):
        raise _fail(label, "line 1", "expected a list of records")
    reader = _READERS[kind]
    for number, record in enumerate(records, 1):
        reader(days, record, partial(_fail, label, f"record {number}"))


def _csv_end_day(text: str) -> str | None:
    match = _CSV_TIME.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[3]) > 59:
        return None
    return _iso_day(match[1])


def _read_csv(days: _Days, member: Member, label: str) -> None:
    rows = csv.reader(io.StringIO(read_text(member, label), newline=""))
    section, header = "", False
    try:
        for row in rows:
            cells = [cell.strip() for cell in row]
            if not any(cells):
                section, header = "", False
                continue
            if len(cells) == 1 and not header:
                section = cells[0]
                continue
            if not header:
                header = True
                if section == "Sleep" and tuple(cells[:3]) != SLEEP_HEADER[:3]:
                    raise _fail(label, f"line {rows.line_num}", f"expected the header {','.join(SLEEP_HEADER)}")
                continue
            if section != "Sleep":
                days.count(days.skipped, f"{section or 'untitled'} rows of the CSV export")
                continue
            end = cells[1] if len(cells) > 2 else ""
            day = _csv_end_day(end)
            if day is None:
                raise _fail(label, f"line {rows.line_num}", f"End Time {end!r} is not a time like 2010-10-14 7:02AM")
            minutes = _number(cells[2], whole=True)
            if minutes is None:
                raise _fail(label, f"line {rows.line_num}", f"Minutes Asleep {cells[2]!r} is not a whole number")
            days.csv_sleep[day] = days.csv_sleep.get(day, 0.0) + minutes
            days.count(days.used, "sleep rows of the CSV export")
    except csv.Error as exc:
        raise _fail(label, f"line {rows.line_num}", f"this is not well-formed CSV ({exc})") from None


def _kind(member: Member) -> str | None:
    """What a member holds: a key of _JSON_KINDS' values, "csv", or None (skipped)."""
    name = member.basename.lower()
    dated = _DATED.fullmatch(name)
    if dated and dated["ext"] == "json" and dated["kind"] in _JSON_KINDS:
        return _JSON_KINDS[dated["kind"]]
    if _CSV_EXPORT.fullmatch(name) or (not member.inside and name.endswith(".csv")):
        return "csv"
    return None


def read_fitbit(path: str | os.PathLike[str], progress: Progress | None = None) -> Reading:
    """Sleep, steps and resting heart rate per day from a Fitbit export (Takeout folder or zip, or the CSV export).

    ``progress`` is called with (bytes read, bytes in all) after each file read.
    """
    days = _Days()
    with export_members(path) as members:
        wanted = [(member, _kind(member)) for member in members]
        total = sum(member.size for member, kind in wanted if kind)
        done = 0
        for member, kind in wanted:
            label = member.label(path)
            if kind is None:
                dated = _DATED.fullmatch(member.basename.lower())
                days.count(days.skipped, f"{dated['kind']}-*.{dated['ext']} files" if dated else "other files")
                continue
            with reading(label):
                if kind == "csv":
                    _read_csv(days, member, label)
                else:
                    _read_json(days, member, kind, label)
            done += member.size
            if progress is not None:
                progress(done, total)
    sleep = {**days.csv_sleep, **days.sleep}
    found = {"sleep_minutes": dict(sorted(sleep.items())), "steps": days.steps, "resting_hr": days.resting.by_day()}
    return make_reading(SOURCE, os.fspath(path), found, days.used, days.skipped)


FORMAT = Format(
    name="fitbit",
    description="Fitbit",
    kinds=ONE_KIND,
    read_path=sections(read_fitbit),
    mappable=False,
)
