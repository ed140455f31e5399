"""Apple Health's export: ``export.xml``, or the export zip holding ``apple_health_export/export.xml``.

Read streaming with the standard library's expat parser: only each element's
start tag is looked at (all a ``<Record>`` holds is in its attributes), no tree
is built, so memory stays flat however large the file (benchmarks/apple_health.py
measures it). Three record types are used, by the rules of :mod:`paindiary.measures`:

- ``HKCategoryTypeIdentifierSleepAnalysis`` whose value is asleep (:data:`ASLEEP`;
  ``InBed`` and ``Awake`` are skipped and counted): minutes asleep per wake day;
- ``HKQuantityTypeIdentifierStepCount``: steps per day, de-duplicated across
  sources, watch > phone > other (from the ``device`` and ``sourceName`` attributes);
- ``HKQuantityTypeIdentifierRestingHeartRate``: the lowest of the day (the local
  date of its ``startDate``).

Times are ``2026-08-20 01:12:00 +0300``: each keeps its own UTC offset. Every
other record type is skipped and counted, never an error. Values are collected
per day and returned only when the whole file has been read, so a truncated or
damaged file raises a :class:`~paindiary.errors.PaindiaryError` (with its line
and column) and yields nothing.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import PurePosixPath
from typing import IO, NoReturn
from xml.parsers import expat

from paindiary.errors import PaindiaryError
from paindiary.io import ONE_KIND, Format
from paindiary.io.wearable_files import CHUNK, Member, Progress, export_members, reading, sections
from paindiary.measures import METRICS, Reading, RestingDays, SleepNights, StepDays, device_priority
from paindiary.measures import reading as make_reading

SOURCE = "apple-health"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
STEPS = "HKQuantityTypeIdentifierStepCount"
RESTING = "HKQuantityTypeIdentifierRestingHeartRate"
ASLEEP = frozenset(
    "HKCategoryValueSleepAnalysis" + name
    for name in ("Asleep", "AsleepUnspecified", "AsleepCore", "AsleepDeep", "AsleepREM")
)
# elements beside <Record> directly under <HealthData>, counted as skipped (their children are not)
OTHER_ELEMENTS = frozenset(
    {"Workout", "ActivitySummary", "Correlation", "ClinicalRecord", "Audiogram", "VisionPrescription"}
)
_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_AGAIN = "the export may be damaged: export it again from the Health app"


def find_export(members: list[Member]) -> Member:
    """The ``export.xml`` of an export (``apple_health_export/export.xml`` in the zip), or the one file given."""
    if len(members) == 1 and not members[0].inside:
        return members[0]
    found = [m for m in members if m.basename.lower() == "export.xml"]
    if not found:
        raise PaindiaryError(
            "No export.xml in this export; give Apple Health's export zip, its apple_health_export folder "
            "or the export.xml inside it."
        )
    return min(found, key=lambda m: (len(PurePosixPath(m.name).parts), m.name))


class _Reader:
    """The state of one pass over export.xml: expat calls :meth:`start` for every element."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self.first
        self.sleep = SleepNights()
        self.steps = StepDays()
        self.resting = RestingDays()
        self.used: dict[str, int] = {}
        self.skipped: dict[str, int] = {}
        self.records = 0
        self._bases: dict[str, tuple[int, int]] = {}
        self._priorities: dict[tuple[str, str], int] = {}
        self._low, self._high = METRICS["resting_hr"].low, METRICS["resting_hr"].high

    def fail(self, what: str) -> NoReturn:
        line = self.parser.CurrentLineNumber
        raise PaindiaryError(f"{self.label}, line {line} (record {self.records:,}): {what}; {_AGAIN}.")

    def first(self, name: str, attrs: dict[str, str]) -> None:
        """The root element: it must be <HealthData>; :meth:`start` takes every later element."""
        if name != "HealthData":
            raise PaindiaryError(
                f"{self.label} is not an Apple Health export: it starts with <{name}>, not <HealthData>."
            )
        self.parser.StartElementHandler = self.start

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name != "Record":
            if name in OTHER_ELEMENTS:
                self.skipped[name] = self.skipped.get(name, 0) + 1
            return
        self.records += 1
        kind = attrs.get("type", "")
        if kind == STEPS:
            self.step(attrs)
        elif kind == SLEEP:
            if not self.night(attrs):
                return
        elif kind == RESTING:
            self.rest(attrs)
        else:
            self.skipped[kind] = self.skipped.get(kind, 0) + 1
            return
        self.used[kind] = self.used.get(kind, 0) + 1

    def time(self, attrs: dict[str, str], field: str) -> tuple[float, int]:
        """(UTC seconds, offset seconds) of a ``startDate`` or ``endDate``."""
        text = attrs.get(field, "")
        if _TIME.fullmatch(text) is None:
            self.fail(f"{field} {text!r} is not a time like 2026-08-20 01:12:00 +0300")
        key = text[:10] + text[19:]  # the date and the offset: few of them, each worked out once
        base = self._bases.get(key)
        if base is None:
            base = self._bases[key] = self._base(text, field)
        hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
        if hour > 23 or minute > 59 or second > 59:
            self.fail(f"{field} {text!r} is not a real time")
        return base[0] + hour * 3600 + minute * 60 + second, base[1]

    def _base(self, text: str, field: str) -> tuple[int, int]:
        """(UTC seconds at the local midnight starting the date of ``text``, its UTC offset in seconds)."""
        try:
            days = date.fromisoformat(text[:10]).toordinal() - _EPOCH_ORDINAL
        except ValueError:
            self.fail(f"{field} {text!r} is not a real date")
        offset = (int(text[21:23]) * 3600 + int(text[23:25]) * 60) * (-1 if text[20] == "-" else 1)
        if abs(offset) > 18 * 3600 or int(text[23:25]) > 59:
            self.fail(f"{field} {text!r} has no real UTC offset")
        return days * 86400 - offset, offset

    def number(self, attrs: dict[str, str]) -> float:
        text = attrs.get("value", "")
        try:
            value = float(text)
        except ValueError:
            self.fail(f"value {text!r} is not a number")
        if math.isnan(value) or math.isinf(value) or value < 0:
            self.fail(f"value {text!r} is not a number of 0 or more")
        return value

    def step(self, attrs: dict[str, str]) -> None:
        start, offset = self.time(attrs, "startDate")
        end = self.time(attrs, "endDate")[0]
        count = self.number(attrs)
        if end < start:
            self.fail("a step count ends before it starts")
        source, device = attrs.get("sourceName", ""), attrs.get("device", "")
        priority = self._priorities.get((source, device))
        if priority is None:
            priority = self._priorities[(source, device)] = device_priority(source, device)
        self.steps.add(start, end, offset, count, source, priority)

    def night(self, attrs: dict[str, str]) -> bool:
        """Add an asleep record (True); count any other value as skipped (False)."""
        value = attrs.get("value", "")
        if value not in ASLEEP:
            label = f"{SLEEP} {value.removeprefix('HKCategoryValueSleepAnalysis') or '(no value)'}"
            self.skipped[label] = self.skipped.get(label, 0) + 1
            return False
        start = self.time(attrs, "startDate")[0]
        end, offset = self.time(attrs, "endDate")
        if end < start:
            self.fail("a sleep record ends before it starts")
        self.sleep.add(start, end, offset)
        return True

    def rest(self, attrs: dict[str, str]) -> None:
        self.time(attrs, "startDate")  # checks it
        value = self.number(attrs)
        if not self._low <= value <= self._high:
            self.fail(f"resting heart rate {value:g} is outside {self._low:g}-{self._high:g} beats a minute")
        self.resting.add(attrs["startDate"][:10], value)

    def feed(self, stream: IO[bytes], size: int, progress: Progress | None) -> None:
        done = 0
        try:
            while chunk := stream.read(CHUNK):
                self.parser.Parse(chunk, False)
                done += len(chunk)
                if progress is not None:
                    progress(done, size)
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            problem = expat.ErrorString(exc.code)
            raise PaindiaryError(
                f"{self.label} ends early or is damaged at line {exc.lineno}, column {exc.offset + 1} ({problem}); "
                f"nothing was read: export it again from the Health app."
            ) from None


def read_apple_health(path: str | os.PathLike[str], progress: Progress | None = None) -> Reading:
    """Sleep, steps and resting heart rate per day from an Apple Health export (file, folder or zip).

    ``progress`` is called with (bytes read, bytes in all) of export.xml after each megabyte.
    """
    with export_members(path) as members:
        member = find_export(members)
        label = (
            f"{os.fspath(path)}" if member.basename == os.path.basename(path) else f"{os.fspath(path)}: {member.name}"
        )
        reader = _Reader(label)
        with reading(label), member.open() as stream:
            reader.feed(stream, member.size, progress)
    days: dict[str, Mapping[str, float]] = {
        "sleep_minutes": reader.sleep.minutes_by_day(),
        "steps": reader.steps.steps_by_day(),
        "resting_hr": reader.resting.by_day(),
    }
    return make_reading(SOURCE, label, days, reader.used, reader.skipped)


FORMAT = Format(
    name="apple-health",
    description="Apple Health",
    kinds=ONE_KIND,
    read_path=sections(read_apple_health),
    mappable=False,
)
