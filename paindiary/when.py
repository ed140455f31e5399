"""Parsing and canonical form of the times paindiary stores.

A stored time is local wall-clock time as text: ``YYYY-MM-DD`` for a whole-day
record, ``YYYY-MM-DDTHH:MM:SS`` for a timed one. Text sorts chronologically,
and the day of a record is its first ten characters. Times lie in the years
:data:`FIRST_YEAR` to :data:`LAST_YEAR` (so a day after or before any of them, or a
time moved by a UTC offset, is always a real date). The clock is never read
here: callers pass ``now``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from paindiary.errors import ValidationError

ACCEPTED = (
    "an ISO date (2026-03-01) or date-time (2026-03-01T09:30), "
    "'now', 'today', 'yesterday', '-3d' or a time today (09:30)"
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


def _in_years(moment: date, field: str, text: object) -> None:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValidationError(field, text, YEARS_ACCEPTED)


def canonical(text: str, field: str = "time") -> str:
    """Return the canonical form of an ISO date or date-time.

    Seconds default to 0 and fractions are dropped; a value with a UTC offset is
    converted to this machine's local time. Years outside FIRST_YEAR..LAST_YEAR are refused.
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
            moment = moment.replace(tzinfo=_offset(off)).astimezone().replace(tzinfo=None)
    except ValueError:
        raise ValidationError(field, text, ISO_ACCEPTED) from None
    _in_years(moment, field, text)  # (an offset can move a time across a year's end)
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
        if values and (min(values) < _FIRST_STAMP or max(values) > _LAST_STAMP):
            return False  # outside the years (text order is time order for canonical stamps)
    except (TypeError, ValueError):
        return False
    return True


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
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
        _in_years(moment, field, text)
    if not _TIME_DIRECTIVES.search(fmt):
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def with_local_offset(stamp: str) -> str:
    """A canonical time with this machine's UTC offset for that date (a whole day stays a date)."""
    if is_whole_day(stamp):
        return stamp
    return datetime.fromisoformat(stamp).astimezone().isoformat(timespec="seconds")


def parse_when(text: str, now: datetime, field: str = "--at") -> str:
    """Parse what a person types for a time: ISO, relative words or ``HH:MM``."""
    word = text.strip().lower()
    if word == "now":
        return now.replace(microsecond=0).isoformat(timespec="seconds")
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
        return datetime.combine(now.date(), datetime.min.time()).replace(hour=h, minute=mi, second=s).isoformat()
    try:
        return canonical(text, field)
    except ValidationError as exc:
        if exc.accepted == YEARS_ACCEPTED:
            raise
        raise ValidationError(field, text, ACCEPTED) from None


def is_whole_day(stamp: str) -> bool:
    """True for a whole-day value (``YYYY-MM-DD``)."""
    return len(stamp) == 10


def day_of(stamp: str) -> str:
    """The calendar day (``YYYY-MM-DD``) of a canonical time."""
    return stamp[:10]


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
