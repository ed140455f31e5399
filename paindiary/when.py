"""Parsing and canonical form of the times paindiary stores.

A stored time is local wall-clock time as text: ``YYYY-MM-DD`` for a whole-day
record, ``YYYY-MM-DDTHH:MM:SS`` for a timed one. Text sorts chronologically,
and the day of a record is its first ten characters. Times lie in the years
:data:`FIRST_YEAR` to :data:`LAST_YEAR` (so a day after or before any of them, or a
time moved by a UTC offset, is always a real date). The clock is never read
here: callers pass ``now``.

Local time is explicit. A time typed or imported without a UTC offset is read in
this machine's time zone (the ``TZ`` environment variable), and it must name one
real moment: a time the clocks skipped (the spring-forward gap, e.g. 02:30 on
2026-03-08 in New York) is refused, and so is a time the clocks showed twice (the
fall-back overlap, 01:30 on 2026-11-01 in New York) unless it comes with its UTC
offset (:func:`check_local` raises :class:`~paindiary.errors.LocalTimeError`).
A time with an offset is converted to local time; when that local time is one the
clocks showed twice, it is stored with the offset in force at that moment,
``YYYY-MM-DDTHH:MM:SS+HH:MM`` (:data:`WITH_OFFSET` characters: ``-04:00`` for the
first 01:30 in New York, ``-05:00`` for the second), so both moments stay distinct;
every other time is stored without one. Such a stamp still starts with its day, but
text order no longer is time order inside the repeated hour: order by
:func:`order_key`. Parse a stored time with :func:`naive_local` (wall clock) or
:func:`aware` (the moment), never with ``datetime.fromisoformat`` alone. The FHIR
export writes each time with the UTC offset in force at that local time
(:func:`with_local_offset`), or the one stored with it.
"""

from __future__ import annotations

import calendar
import os
import re
import time
from collections import deque
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from paindiary.errors import LocalTimeError, PaindiaryError, ValidationError

ACCEPTED = (
    "an ISO date (2026-03-01) or date-time (2026-03-01T09:30), "
    "'now', 'today', 'yesterday', '-3d', a time today (09:30) or a day and a time ('yesterday 21:00')"
)
ISO_ACCEPTED = "an ISO date (2026-03-01) or date-time (2026-03-01T09:30[:00][+01:00])"
FIRST_YEAR, LAST_YEAR = 1900, 2999
YEARS_ACCEPTED = f"a date in the years {FIRST_YEAR} to {LAST_YEAR}"
_FIRST_STAMP, _LAST_STAMP = f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31T23:59:59"

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2})?")
WITH_OFFSET = 25  # length of a stored time in the repeated hour, e.g. 2026-11-01T01:30:00-04:00
_SHAPES = {10: b"9999-99-99", 19: b"9999-99-99T99:99:99"}  # canonical stamps, every digit written as 9
_DIGITS_TO_9 = bytes.maketrans(b"0123456789", b"9999999999")
_TIME_DIRECTIVES = re.compile(r"%[-#]?[HIMSpXcTRrfz]")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DAYS_AGO = re.compile(r"-(\d{1,5})d")


def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def offset_text(moment: datetime) -> str:
    """The UTC offset of an aware datetime as ``+HH:MM`` / ``-HH:MM``."""
    delta = moment.utcoffset() or timedelta(0)
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def check_local(moment: datetime, field: str, text: object) -> None:
    """Refuse a naive local time the clocks skipped or showed twice in this machine's time zone."""
    first, second = moment.replace(fold=0).astimezone(), moment.replace(fold=1).astimezone()
    if first.utcoffset() == second.utcoffset():
        return
    if first.replace(tzinfo=None) != moment.replace(fold=0):  # no reading of it lands on it: a gap
        raise LocalTimeError(
            field, text, "does not exist in local time (clocks went forward)",
            "give the time with its UTC offset or a time outside the gap",
        )  # fmt: skip
    raise LocalTimeError(
        field, text, "happened twice in local time (clocks went back)",
        f"add the UTC offset, {offset_text(first)} for the first or {offset_text(second)} for the second",
    )  # fmt: skip


def in_repeated_hour(local: datetime) -> bool:
    """True when the naive local time ``local`` is one the clocks showed twice (not a gap, not an ordinary time)."""
    first, second = local.replace(fold=0).astimezone(), local.replace(fold=1).astimezone()
    return first.utcoffset() != second.utcoffset() and first.replace(tzinfo=None) == local.replace(fold=0)


def stored_form(moment: datetime) -> str:
    """How the aware ``moment`` is stored: its local time, with its UTC offset only in the repeated hour."""
    local = moment.astimezone()
    naive = local.replace(tzinfo=None)
    stamp = naive.isoformat(timespec="seconds")
    return stamp + offset_text(local) if in_repeated_hour(naive) else stamp


def now_stamp(now: datetime) -> str:
    """The clock's naive local ``now`` as stored, to the second (in a repeated hour, ``fold`` tells which)."""
    moment = now.replace(microsecond=0)
    return stored_form(moment.astimezone()) if in_repeated_hour(moment) else moment.isoformat(timespec="seconds")


def naive_local(stamp: str) -> datetime:
    """A stored time as a naive local datetime (wall clock), ``fold`` set for the second of a repeated hour."""
    if len(stamp) != WITH_OFFSET:
        return datetime.fromisoformat(stamp)
    local = datetime.fromisoformat(stamp[:19])
    second = local.replace(fold=1)
    return second if offset_text(second.astimezone()) == stamp[19:] != offset_text(local.astimezone()) else local


def aware(stamp: str) -> datetime:
    """A stored time as an aware datetime: its own offset if stored with one, else the one in force (FHIR)."""
    return datetime.fromisoformat(with_local_offset(stamp))


def plus_seconds(stamp: str, seconds: float) -> str:
    """A stored timed ``stamp`` moved by ``seconds`` (wall clock; real time from a stamp stored with an offset)."""
    if len(stamp) == WITH_OFFSET:
        return stored_form(datetime.fromisoformat(stamp) + timedelta(seconds=seconds))
    return (datetime.fromisoformat(stamp) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def _end_of_repeat(first: datetime, second: datetime) -> datetime:
    """The local wall-clock time at which the repeated hour holding the aware ``second`` ends (clocks went back).

    ``first``/``second``: the first and second occurrence of one local time. The change lies
    between them: found to the second by bisection (rare: stamps stored with an offset only).
    """
    lo, hi = first.timestamp(), second.timestamp()
    after = second.utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid).astimezone().utcoffset() == after:
            hi = mid
        else:
            lo = mid
    change = datetime.fromtimestamp(hi).astimezone()  # first second of the later offset
    before = first.utcoffset() or timedelta(0)
    return change.replace(tzinfo=None) + (before - (after or timedelta(0)))


def order_key(stamp: str) -> str:
    """A text that sorts stored times in time order (the stamp itself, except for a repeated hour's second moment).

    Inside a repeated hour, text order puts ``01:45-04:00`` after ``01:30-05:00`` (and in
    Europe ``+01:00`` before ``+02:00``): the key of a second occurrence sorts after every
    first one and before the time the hour ends. (A stamp stored in another time zone
    keeps its text order.)
    """
    if len(stamp) != WITH_OFFSET:
        return stamp
    local = datetime.fromisoformat(stamp[:19])
    first, second = local.replace(fold=0).astimezone(), local.replace(fold=1).astimezone()
    if first.utcoffset() == second.utcoffset() or offset_text(second) != stamp[19:]:
        return stamp
    last = _end_of_repeat(first, second) - timedelta(seconds=1)
    return f"{last.isoformat(timespec='seconds')}~{stamp}"


_TRANSITIONS: dict[tuple[object, ...], frozenset[str]] = {}


def transition_days(year: int) -> frozenset[str]:
    """The days of ``year`` on which this machine's UTC offset changes (cached per time zone).

    A day is such a day when the offset at the next day's local midnight differs from the
    offset at its own. Each midnight is found from the offset in force the midnight before
    (a C ``localtime`` call, not a ``datetime`` per day: an import of decades of entries
    asks for every year); where that guess shows another offset, the midnight is computed
    exactly, as ``datetime(...).astimezone()`` does.
    """
    key = (year, os.environ.get("TZ"), time.tzname, time.timezone, time.altzone)
    if key not in _TRANSITIONS:
        first = date(year, 1, 1).toordinal()
        start = calendar.timegm((year, 1, 1, 0, 0, 0))
        offset, days = _midnight_offset(first), set[str]()
        for k in range(1, date(year + 1, 1, 1).toordinal() - first + 1):
            if time.localtime(start + 86_400 * k - offset).tm_gmtoff != offset:
                following = _midnight_offset(first + k)
                if following != offset:
                    days.add(date.fromordinal(first + k - 1).isoformat())
                    offset = following
        _TRANSITIONS[key] = frozenset(days)
    return _TRANSITIONS[key]


def _midnight_offset(ordinal: int) -> int:
    """This machine's UTC offset, in seconds, at the local midnight that starts day ``ordinal``."""
    offset = datetime.fromordinal(ordinal).astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _all_real(values: Sequence[str], first: str, last: str) -> bool:
    """True when no timed canonical value falls in a gap or overlap of local time (``first``, ``last``: the extremes).

    Only the days the offset changes on between ``first`` and ``last`` are looked for (in the
    values joined as one text, at C speed), and only values on those days are checked one by one.
    """
    changing = [
        day
        for year in range(int(first[:4]), int(last[:4]) + 1)
        for day in sorted(transition_days(year))
        if first[:10] <= day <= last[:10]
    ]
    if not changing:
        return True
    joined = "\n" + "\n".join(values) + "\n"
    for day in changing:
        at = joined.find("\n" + day)
        while at != -1:
            value = joined[at + 1 : joined.index("\n", at + 1)]
            if len(value) == 19:
                try:
                    check_local(datetime.fromisoformat(value), "time", value)
                except LocalTimeError:
                    return False
            at = joined.find("\n" + day, at + 1)
    return True


def _in_years(moment: date, field: str, text: object) -> None:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValidationError(field, text, YEARS_ACCEPTED)


def canonical(text: str, field: str = "time") -> str:
    """Return the canonical form of an ISO date or date-time.

    Seconds default to 0 and fractions are dropped; a value with a UTC offset is
    converted to this machine's local time (:func:`stored_form`: with the offset kept
    when that local time is in the repeated hour), and one without must name one real
    local moment (:func:`check_local`). Years outside FIRST_YEAR..LAST_YEAR are refused.
    """
    raw = text.strip() if isinstance(text, str) else text
    match = _ISO.fullmatch(raw) if isinstance(raw, str) else None
    if match is None:
        raise ValidationError(field, text, ISO_ACCEPTED)
    y, mo, d, h, mi, s, off = match.groups()
    if not FIRST_YEAR <= int(y) <= LAST_YEAR:
        raise ValidationError(field, text, YEARS_ACCEPTED)
    try:
        if h is None:
            return date(int(y), int(mo), int(d)).isoformat()
        moment = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        if off:
            moment = moment.replace(tzinfo=_offset(off)).astimezone()
    except ValueError:
        raise ValidationError(field, text, ISO_ACCEPTED) from None
    _in_years(moment, field, text)  # (an offset can move a time across a year's end)
    if off:  # a real moment: in the repeated hour, stored with the offset in force then
        return stored_form(moment)
    check_local(moment, field, text)
    return moment.isoformat(timespec="seconds")


def all_canonical(values: Sequence[str]) -> bool:
    """True when every value is already a valid canonical time, i.e. :func:`canonical` returns it unchanged.

    A fast, C-level check for whole columns (the importer's fast path); False means
    "check each value with :func:`canonical`", never "invalid".
    """
    try:
        lengths = set(map(len, values))
        shape = _SHAPES.get(lengths.pop()) if len(lengths) == 1 else None
        if shape is not None:  # all of one length: compare the digit pattern of all at once
            if "".join(values).encode("ascii").translate(_DIGITS_TO_9) != shape * len(values):
                return False
        elif not all(map(_CANONICAL.fullmatch, values)):
            return False
        deque(map(datetime.fromisoformat, values), maxlen=0)  # real dates and times only
        if not values:
            return True
        first, last = min(values), max(values)
        if first < _FIRST_STAMP or last > _LAST_STAMP:
            return False  # outside the years (text order is time order for canonical stamps)
    except (TypeError, ValueError):
        return False
    return _all_real(values, first, last)


def parse_with_format(text: object, fmt: str, field: str = "time") -> str:
    """Parse a date written another way (``--date-format "%d/%m/%Y"``) into canonical form.

    A format without time directives gives a whole-day value; one with ``%z`` is
    converted to this machine's local time like :func:`canonical`.
    """
    accepted = f"a date written as {fmt}"
    if not isinstance(text, str):
        raise ValidationError(field, text, accepted)
    try:
        moment = datetime.strptime(text.strip(), fmt)
    except ValueError:
        raise ValidationError(field, text, accepted) from None
    _in_years(moment, field, text)
    naive = moment.tzinfo is None
    if not naive:
        moment = moment.astimezone()
        _in_years(moment, field, text)
    if not _TIME_DIRECTIVES.search(fmt):
        return moment.date().isoformat()
    if not naive:
        return stored_form(moment)
    check_local(moment, field, text)
    return moment.isoformat(timespec="seconds")


def with_local_offset(stamp: str) -> str:
    """A canonical time with this machine's UTC offset in force at it (a whole day stays a date).

    The stored wall-clock time is kept as written. A time the clocks showed twice gets
    the offset of its first occurrence, and one from a gap (stored before such times
    were refused) the offset in force before the change, so the result names the
    moment the clock on the wall showed that time. A time stored with its offset
    (in a repeated hour) is returned as stored.
    """
    if is_whole_day(stamp) or len(stamp) == WITH_OFFSET:
        return stamp
    return stamp + offset_text(datetime.fromisoformat(stamp).replace(fold=0).astimezone())


FUTURE_GRACE = timedelta(minutes=5)  # a clock a little ahead is not a typo
_DAY_AND_CLOCK = re.compile(r"(today|yesterday|-\d{1,5}d)\s+(\d{1,2}:\d{2}(?::\d{2})?)")


def not_future(stamp: str, now: datetime, field: str, text: str) -> str:
    """``stamp`` unless it lies in the future (more than :data:`FUTURE_GRACE` ahead of ``now``).

    A record is logged after the fact: ``--at 2027-05-01`` typed in 2026 is a typo, and
    ``--at 21:00`` typed in the morning most likely meant yesterday evening.
    """
    today = now.date().isoformat()
    if is_whole_day(stamp):
        if stamp > today:
            raise PaindiaryError(f"{field}: {stamp} is in the future; today is {today}.")
        return stamp
    if naive_local(stamp) > now + FUTURE_GRACE:
        if _CLOCK.fullmatch(text.strip()):
            raise PaindiaryError(
                f"{field}: {text.strip()} today is later than now ({now:%H:%M}); "
                f'for yesterday write {field} "yesterday {text.strip()}".'
            )
        raise PaindiaryError(f"{field}: {stamp} is in the future; today is {today}, now {now:%H:%M}.")
    return stamp


def parse_when(text: str, now: datetime, field: str = "--at") -> str:
    """Parse what a person types for a time: ISO, relative words, ``HH:MM`` or a day word and ``HH:MM``."""
    word = text.strip().lower()
    both = _DAY_AND_CLOCK.fullmatch(word)
    if both:  # "yesterday 21:00", "-2d 08:30", "today 07:15"
        on = parse_when(both.group(1), now, field)
        clock = _CLOCK.fullmatch(both.group(2))
        assert clock is not None
        h, mi, s = (int(g or 0) for g in clock.groups())
        if h > 23 or mi > 59 or s > 59:
            raise ValidationError(field, text, ACCEPTED)
        moment = datetime.fromisoformat(on).replace(hour=h, minute=mi, second=s)
        check_local(moment, field, text)
        return moment.isoformat()
    if word == "now":
        return now_stamp(now)
    if word == "today":
        return now.date().isoformat()
    if word == "yesterday":
        return (now.date() - timedelta(days=1)).isoformat()
    ago = _DAYS_AGO.fullmatch(word)
    if ago:
        day = now.date() - timedelta(days=int(ago.group(1)))
        _in_years(day, field, text)
        return day.isoformat()
    clock = _CLOCK.fullmatch(word)
    if clock:
        h, mi, s = (int(g or 0) for g in clock.groups())
        if h > 23 or mi > 59 or s > 59:
            raise ValidationError(field, text, ACCEPTED)
        moment = datetime.combine(now.date(), datetime.min.time()).replace(hour=h, minute=mi, second=s)
        check_local(moment, field, text)
        return moment.isoformat()
    try:
        return canonical(text, field)
    except ValidationError as exc:
        if exc.accepted == YEARS_ACCEPTED or isinstance(exc, LocalTimeError):
            raise
        raise ValidationError(field, text, ACCEPTED) from None


def is_whole_day(stamp: str) -> bool:
    """True for a whole-day value (``YYYY-MM-DD``)."""
    return len(stamp) == 10


def day_of(stamp: str) -> str:
    """The calendar day (``YYYY-MM-DD``) of a canonical time."""
    return stamp[:10]


def day_before(day: str) -> str:
    """The day before ``day`` (both ``YYYY-MM-DD``)."""
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def next_day(day: str) -> str:
    """The day after ``day`` (both ``YYYY-MM-DD``)."""
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def range_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Turn canonical ``since``/``until`` into a half-open text range [lo, hi).

    A whole-day ``until`` includes that whole day; a timed one includes that
    second.
    """
    hi = None
    if until is not None:
        hi = next_day(until) if is_whole_day(until) else until + "\x00"
    return since, hi


def stamp(field: str, value: object) -> str:
    """Validate a required time field (a record's ``recorded_at``, ``taken_at``...) into its canonical form."""
    if value is None or value == "" or not isinstance(value, str):
        raise ValidationError(field, value, ISO_ACCEPTED)
    return canonical(value, field)
