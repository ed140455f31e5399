"""Time parsing: what people type, and the canonical form that is stored."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from paindiary import when
from paindiary.errors import LocalTimeError, ValidationError

NOW = datetime(2026, 3, 15, 10, 30, 45, 123456)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", "2026-03-15T10:30:45"),
        ("today", "2026-03-15"),
        ("yesterday", "2026-03-14"),
        ("-3d", "2026-03-12"),
        ("09:00", "2026-03-15T09:00:00"),
        ("9:05", "2026-03-15T09:05:00"),
        ("21:05:30", "2026-03-15T21:05:30"),
        ("2026-02-28", "2026-02-28"),
        ("2026-02-28T09:00", "2026-02-28T09:00:00"),
        ("2026-02-28 09:00:00", "2026-02-28T09:00:00"),
        ("  2026-02-28T09:00:00.999 ", "2026-02-28T09:00:00"),
    ],
)
def test_parse_when(text: str, expected: str) -> None:
    assert when.parse_when(text, NOW) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "25:00", "tomorrowish", "", "2026-02-28T24:00", "3d"])
def test_parse_when_rejects(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        when.parse_when(text, NOW)
    assert info.value.field == "--at"
    assert "ISO date" in str(info.value)


def test_offset_is_converted_to_local_time() -> None:
    local = datetime(2026, 6, 1, 12, 0).astimezone()
    utc_text = local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert when.canonical(utc_text) == "2026-06-01T12:00:00"
    plus = local.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
    assert when.canonical(plus) == "2026-06-01T12:00:00"


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This machine's time zone for the test: UTC, with daylight saving time, +05:30, +14:00, -11:00."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


FIRST = datetime(when.FIRST_YEAR, 1, 1)
LAST = datetime(when.LAST_YEAR, 12, 31, 23, 59, 59)
DAY_MINUTES = 24 * 60


def test_a_time_with_a_utc_offset_of_either_sign_is_the_same_moment_in_local_time(zone: str) -> None:
    """Offsets from -23:59 to +23:59 at any time of the allowed years, their first and last days above all:
    the stored local time is that moment on this machine's clock, or the time is refused because that
    moment falls outside the years (or in an hour the local clocks showed twice)."""

    @given(
        moment=st.datetimes(min_value=FIRST, max_value=LAST) | st.sampled_from([FIRST, LAST]),
        minutes=st.integers(min_value=-DAY_MINUTES + 1, max_value=DAY_MINUTES - 1),
    )
    @example(moment=FIRST, minutes=DAY_MINUTES - 1)  # east of every zone: before the first year
    @example(moment=FIRST, minutes=-(DAY_MINUTES - 1))
    @example(moment=LAST, minutes=DAY_MINUTES - 1)
    @example(moment=LAST, minutes=-(DAY_MINUTES - 1))  # west of every zone: after the last year
    @example(moment=datetime(2026, 6, 1, 12, 0), minutes=-330)
    @example(moment=datetime(2026, 6, 1, 12, 0), minutes=330)
    def check(moment: datetime, minutes: int) -> None:
        moment = moment.replace(microsecond=0)
        sign = "-" if minutes < 0 else "+"
        text = f"{moment.isoformat()}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        local = moment.replace(tzinfo=timezone(timedelta(minutes=minutes))).astimezone().replace(tzinfo=None)
        try:
            stamp = when.canonical(text)
        except LocalTimeError:
            assert local.replace(fold=0).astimezone().utcoffset() != local.replace(fold=1).astimezone().utcoffset()
            return
        except ValidationError as exc:
            assert exc.accepted == when.YEARS_ACCEPTED and not when.FIRST_YEAR <= local.year <= when.LAST_YEAR, text
            return
        assert when.FIRST_YEAR <= local.year <= when.LAST_YEAR, f"{text} was stored as {stamp}, outside the years"
        assert stamp == local.isoformat(timespec="seconds"), text

    check()


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
def test_canonical_is_idempotent_and_sorts_like_time(moment: datetime) -> None:
    stamp = when.canonical(moment.isoformat())
    assert when.canonical(stamp) == stamp
    assert stamp == moment.replace(microsecond=0).isoformat()
    assert when.day_of(stamp) == moment.date().isoformat()


@given(st.text(max_size=30))
def test_canonical_raises_only_validation_errors(text: str) -> None:
    try:
        stamp = when.canonical(text)
    except ValidationError:
        return
    assert len(stamp) in (10, 19)


def test_range_bounds() -> None:
    assert when.range_bounds("2026-03-01", "2026-03-31") == ("2026-03-01", "2026-04-01")
    lo, hi = when.range_bounds(None, "2026-03-31T12:00:00")
    assert lo is None and hi is not None
    assert "2026-03-31T12:00:00" < hi < "2026-03-31T12:00:01"
