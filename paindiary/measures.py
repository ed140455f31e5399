"""Measurements from phones and watches: one value per day, metric and source (issue 14).

Pure logic, standard library only: the :class:`Measurement` record and its
validation (:data:`METRICS` holds each metric's range, unit, LOINC code and
better direction), and the day-by-day rules the readers in ``paindiary.io``
(``apple_health``, ``fitbit``, ``oura``) share. Times come in as aware
datetimes, or as (seconds since 1970-01-01 UTC, UTC offset in seconds) pairs on
the readers' fast path; a day is always a local date ``YYYY-MM-DD`` in the
offset the device recorded with the time.

Sleep (:class:`SleepNights`)
    Asleep intervals from any number of devices are merged on the UTC time line,
    so a minute two devices both call asleep counts once. Merged blocks less than
    :data:`SESSION_GAP` apart (a wake-up at 3 am) form one sleep session, and a
    session counts for the day it ends (the wake day) in the UTC offset of its
    last end time: a night from 23:00 to 07:00 counts for the morning's date, a
    nap for the afternoon's. Minutes are real elapsed minutes, computed on UTC
    instants: a night across a daylight-saving change (23:00 -0500 to 07:00
    -0400 in New York on 2026-03-08) is 7 hours (420 minutes), not the 8 hours
    the wall clock suggests, all of it on the wake day.

Steps (:class:`StepDays`)
    Samples from several devices overlap (a watch and a phone both count a walk).
    At every instant one sample counts: the one whose device comes first in
    watch > phone > other (:func:`device_priority`; ties: source name, then the
    earlier start), as the Health app does with its default source order. A
    sample contributes its count prorated by the share of its duration during
    which it is the one counting; a share crossing local midnight is split
    between the two days by time. A sample without duration (start = end, e.g.
    typed in by hand) counts in full, unless a sample of the same or a preferred
    device covers that instant; only one such sample counts per instant. Day
    totals are rounded to whole steps.

Resting heart rate (:class:`RestingDays`)
    The day's value; if a day has several (two devices, or a value corrected
    later), the lowest, since resting heart rate is by definition the lowest
    sustained rate (and the minimum does not depend on the order of the file).
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

from paindiary.errors import PaindiaryError, ValidationError


@dataclass(frozen=True, slots=True)
class Metric:
    """One measured metric: its name, how it is shown, its range and its codes."""

    name: str
    label: str
    unit: str  # as shown to a person
    ucum: str  # the unit code for FHIR
    low: float
    high: float  # inclusive bounds
    whole: bool  # whole numbers only
    higher_is_better: bool
    loinc: str


METRICS: dict[str, Metric] = {
    "sleep_minutes": Metric("sleep_minutes", "Sleep (measured)", "minutes", "min", 0, 1440, False, True, "93832-4"),
    "steps": Metric("steps", "Steps", "steps", "{steps}", 0, 200_000, True, True, "41950-7"),
    "resting_hr": Metric("resting_hr", "Resting heart rate", "beats/min", "/min", 20, 250, False, False, "40443-4"),
}
MEASUREMENT_FIELDS = ("day", "metric", "value", "source")
NATURAL_KEY = ("day", "metric", "source")

SESSION_GAP = 2 * 3600  # seconds: asleep blocks closer than this belong to one sleep session
WATCH, PHONE, OTHER = 0, 1, 2  # step sources, in order of preference
_DAY = 86400
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SOURCE = re.compile(r"[^\x00-\x1f\x7f]{1,64}")


@dataclass(frozen=True, slots=True)
class Measurement:
    """One value of one metric on one day from one source (``apple-health``, ``fitbit``, ``oura``, ...)."""

    day: str  # YYYY-MM-DD, local
    metric: str  # a key of METRICS
    value: float
    source: str
    id: int | None = None  # the diary's id, once stored

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "day": self.day, "metric": self.metric, "value": self.value, "source": self.source}


def daily_means(measurements: Iterable[Measurement]) -> dict[str, dict[str, float]]:
    """Metric -> {day: the day's value averaged over its sources}, days sorted.

    Every metric of :data:`METRICS` is a key when there is any measurement (a metric
    without values maps to ``{}``); none when there are no measurements at all.
    """
    lists: dict[str, dict[str, list[float]]] = {}
    for m in measurements:
        lists.setdefault(m.metric, {}).setdefault(m.day, []).append(m.value)
    if not lists:
        return {}
    return {
        metric: {day: math.fsum(v) / len(v) for day, v in sorted(lists.get(metric, {}).items())} for metric in METRICS
    }


# --- validation ------------------------------------------------------------------


def accepted(metric: Metric) -> str:
    """What a value of ``metric`` must be, in words."""
    kind = "a whole number" if metric.whole else "a number"
    return f"{kind} from {metric.low:g} to {metric.high:g} ({metric.unit})"


def check_metric(value: object) -> str:
    if not isinstance(value, str) or value.strip() not in METRICS:
        raise ValidationError("metric", value, "one of " + ", ".join(METRICS))
    return value.strip()


def check_value(metric: str, value: object) -> float:
    """A value of ``metric`` (a number or numeric text) within its range; ints for whole metrics."""
    spec = METRICS[check_metric(metric)]
    if isinstance(value, bool) or value is None:
        raise ValidationError(spec.name, value, accepted(spec))
    try:
        result = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(spec.name, value, accepted(spec)) from None
    if math.isnan(result) or not spec.low <= result <= spec.high or (spec.whole and not result.is_integer()):
        raise ValidationError(spec.name, value, accepted(spec))
    return int(result) if spec.whole else result


def check_day(value: object) -> str:
    """A calendar date written ``YYYY-MM-DD``."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValidationError("day", value, "a date such as 2026-03-08")


def check_source(value: object) -> str:
    """Where a value came from: a short non-empty text without control characters."""
    if isinstance(value, str) and _SOURCE.fullmatch(value.strip()):
        return value.strip()
    raise ValidationError("source", value, "a name of 1 to 64 characters, such as apple-health")


def make_measurement(values: Mapping[str, object]) -> Measurement:
    """Validate a measurement given as a mapping of :data:`MEASUREMENT_FIELDS`."""
    unknown = sorted(set(values) - set(MEASUREMENT_FIELDS) - {"id"})
    if unknown:
        raise PaindiaryError(f"Unknown field(s): {', '.join(unknown)}. Known fields: {', '.join(MEASUREMENT_FIELDS)}.")
    metric = check_metric(values.get("metric"))
    value = check_value(metric, values.get("value"))
    record_id = values.get("id")
    stored = record_id if isinstance(record_id, int) and not isinstance(record_id, bool) else None
    return Measurement(check_day(values.get("day")), metric, value, check_source(values.get("source")), stored)


def check_any_value(value: object) -> float:
    """A value within the range of some metric (a column alone: the record checks its metric's range)."""
    low = min(metric.low for metric in METRICS.values())
    high = max(metric.high for metric in METRICS.values())
    if isinstance(value, bool) or value is None:
        raise ValidationError("value", value, f"a number from {low:g} to {high:g}")
    try:
        result = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError("value", value, f"a number from {low:g} to {high:g}") from None
    if math.isnan(result) or not low <= result <= high:
        raise ValidationError("value", value, f"a number from {low:g} to {high:g}")
    return result


# --- times ---------------------------------------------------------------------


def instant(moment: datetime) -> tuple[float, int]:
    """An aware datetime as (seconds since 1970-01-01 UTC, its UTC offset in seconds)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"{moment.isoformat()} has no UTC offset")
    return (moment - _EPOCH).total_seconds(), int(offset.total_seconds())


def local_day(seconds: float, offset: int) -> str:
    """The local date of the UTC instant ``seconds`` at UTC offset ``offset``."""
    return _day_text(math.floor((seconds + offset) / _DAY))


def _day_text(index: int) -> str:
    return date.fromordinal(_EPOCH_ORDINAL + index).isoformat()


# --- sleep ---------------------------------------------------------------------


class SleepNights:
    """Asleep intervals in, minutes asleep per wake day out (the module docstring has the rules)."""

    def __init__(self) -> None:
        self._data = array("d")  # start, end, offset of the end; three numbers per interval

    def __len__(self) -> int:
        return len(self._data) // 3

    def add(self, start: float, end: float, end_offset: int) -> None:
        """An asleep interval from ``start`` to ``end`` (UTC seconds); ``end_offset``: the end's UTC offset."""
        if end < start:
            raise ValueError("a sleep interval cannot end before it starts")
        if end > start:
            self._data.extend((start, end, end_offset))

    def add_interval(self, start: datetime, end: datetime) -> None:
        end_seconds, offset = instant(end)
        self.add(instant(start)[0], end_seconds, offset)

    def minutes_by_day(self) -> dict[str, float]:
        """Minutes asleep per wake day, to a tenth of a minute."""
        data = self._data
        intervals = sorted(zip(data[0::3], data[1::3], data[2::3], strict=True))
        totals: dict[str, float] = {}
        asleep = 0.0  # seconds asleep in the current session, closed blocks only
        block: list[float] | None = None  # the open block: start, end, offset of its end
        for start, end, offset in intervals:
            if block is not None and start <= block[1]:
                if end > block[1]:
                    block[1], block[2] = end, offset
                continue
            if block is not None:
                asleep += block[1] - block[0]
                if start - block[1] >= SESSION_GAP:
                    day = local_day(block[1], int(block[2]))
                    totals[day] = totals.get(day, 0.0) + asleep
                    asleep = 0.0
            block = [start, end, offset]
        if block is not None:
            day = local_day(block[1], int(block[2]))
            totals[day] = totals.get(day, 0.0) + asleep + block[1] - block[0]
        return {day: round(seconds / 60, 1) for day, seconds in sorted(totals.items())}


def sleep_minutes_by_day(intervals: Iterable[tuple[datetime, datetime]]) -> dict[str, float]:
    """Minutes asleep per wake day from (start, end) pairs of aware datetimes."""
    nights = SleepNights()
    for start, end in intervals:
        nights.add_interval(start, end)
    return nights.minutes_by_day()


# --- steps ---------------------------------------------------------------------


def device_priority(source_name: str, device: str = "") -> int:
    """:data:`WATCH` if the source or device names a watch, :data:`PHONE` for a phone, else :data:`OTHER`."""
    text = f"{device} {source_name}".lower()
    if "watch" in text:
        return WATCH
    if "phone" in text:
        return PHONE
    return OTHER


class StepSample(NamedTuple):
    """A step count over a span of time, from one source, as the pure :func:`steps_by_day` takes it."""

    start: datetime
    end: datetime
    steps: float
    source: str
    priority: int = OTHER


# (priority, source rank, start, end, count, offset): the sample that sorts first counts
_Active = tuple[float, float, float, float, float, float]


class StepDays:
    """Step samples in, de-duplicated steps per local day out (the module docstring has the rules).

    Samples are kept as numbers in arrays bucketed by UTC day (about 48 bytes a
    sample), so a file's samples need not come in time order.
    """

    def __init__(self) -> None:
        self._buckets: dict[int, array[float]] = {}
        self._sources: dict[str, int] = {}

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._buckets.values()) // 6

    def add(self, start: float, end: float, offset: int, count: float, source: str, priority: int) -> None:
        """``count`` steps from ``start`` to ``end`` (UTC seconds); ``offset``: the start's UTC offset."""
        if end < start:
            raise ValueError("a step sample cannot end before it starts")
        if not count >= 0 or math.isinf(count):
            raise ValueError("a step count must be a number of 0 or more")
        source_id = self._sources.setdefault(source, len(self._sources))
        key = math.floor(start / _DAY)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = array("d")
        bucket.extend((start, end, count, offset, priority, source_id))

    def add_sample(self, sample: StepSample) -> None:
        start, offset = instant(sample.start)
        self.add(start, instant(sample.end)[0], offset, sample.steps, sample.source, sample.priority)

    def steps_by_day(self) -> dict[str, int]:
        """Whole steps per local day."""
        rank = {number: place for place, (_, number) in enumerate(sorted(self._sources.items()))}
        totals: dict[int, float] = {}
        active: list[_Active] = []  # a heap: the first one counts
        now = -math.inf
        last_point = -math.inf

        def advance(until: float) -> None:
            nonlocal now
            while now < until and active:
                first = active[0]
                if first[3] <= now:
                    heapq.heappop(active)
                    continue
                stop = min(first[3], until)
                _credit(totals, first, now, stop)
                now = stop
            now = max(now, until)

        for key in sorted(self._buckets):
            b = self._buckets[key]
            rows = sorted(
                (b[i], b[i + 1] == b[i], b[i + 4], rank[int(b[i + 5])], b[i + 1], b[i + 2], b[i + 3])
                for i in range(0, len(b), 6)
            )
            for start, point, priority, place, end, count, offset in rows:
                advance(start)
                if not point:
                    heapq.heappush(active, (priority, place, start, end, count, offset))
                    continue
                while active and active[0][3] <= start:
                    heapq.heappop(active)
                covered = bool(active) and active[0][0] <= priority
                if not covered and start != last_point:
                    index = math.floor((start + offset) / _DAY)
                    totals[index] = totals.get(index, 0.0) + count
                    last_point = start
        advance(math.inf)
        return {_day_text(index): round(steps) for index, steps in sorted(totals.items())}


def _credit(totals: dict[int, float], sample: _Active, start: float, stop: float) -> None:
    """Add the share of ``sample`` from ``start`` to ``stop`` to its local day(s)."""
    _, _, first, last, count, offset = sample
    rate = count / (last - first)
    while start < stop:
        index = math.floor((start + offset) / _DAY)
        piece = min(stop, (index + 1) * _DAY - offset)
        totals[index] = totals.get(index, 0.0) + rate * (piece - start)
        start = piece


def steps_by_day(samples: Iterable[StepSample]) -> dict[str, int]:
    """De-duplicated whole steps per local day from samples with aware datetimes."""
    days = StepDays()
    for sample in samples:
        days.add_sample(sample)
    return days.steps_by_day()


# --- resting heart rate -----------------------------------------------------------


class RestingDays:
    """Resting heart rates per day in, the lowest of each day out."""

    def __init__(self) -> None:
        self._days: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._days)

    def add(self, day: str, value: float) -> None:
        known = self._days.get(day)
        if known is None or value < known:
            self._days[day] = value

    def by_day(self) -> dict[str, float]:
        return dict(sorted(self._days.items()))


# --- what a reader returns ---------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a reader found: measurements (by day, then metric), and what it used and skipped."""

    source: str
    measurements: tuple[Measurement, ...]
    used: Mapping[str, int]  # record type -> how many records were used
    skipped: Mapping[str, int]  # record type or reason -> how many were skipped

    def by_metric(self, metric: str) -> dict[str, float]:
        """Day -> value of one metric."""
        return {m.day: m.value for m in self.measurements if m.metric == metric}


def reading(
    source: str,
    file: str,
    days: Mapping[str, Mapping[str, float]],
    used: Mapping[str, int],
    skipped: Mapping[str, int],
) -> Reading:
    """Validate the per-day values ``days`` (metric -> day -> value) into a :class:`Reading`.

    Raises :class:`PaindiaryError` naming ``file`` when there is nothing to import.
    """
    found = []
    for metric, values in days.items():
        for day, value in values.items():
            try:
                found.append(make_measurement({"day": day, "metric": metric, "value": value, "source": source}))
            except ValidationError as exc:
                raise PaindiaryError(f"{file}, {day}: {exc} Check the export; nothing was imported.") from None
    if not found:
        held = ", ".join(f"{count:,} {kind}" for kind, count in sorted(skipped.items(), key=lambda kv: -kv[1])[:5])
        raise PaindiaryError(
            f"No sleep, steps or resting heart rate found in {file}"
            + (f" (it holds {held})" if held else "")
            + "; check that it is the right export."
        )
    found.sort(key=lambda m: (m.day, list(METRICS).index(m.metric)))
    return Reading(source, tuple(found), dict(sorted(used.items())), dict(sorted(skipped.items())))
