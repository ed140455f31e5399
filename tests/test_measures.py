"""The measurement rules of paindiary.measures, on hand-computed examples (the arithmetic is in the comments)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paindiary.errors import PaindiaryError, ValidationError
from paindiary.measures import (
    METRICS,
    OTHER,
    PHONE,
    SESSION_GAP,
    WATCH,
    Measurement,
    RestingDays,
    SleepNights,
    StepDays,
    StepSample,
    device_priority,
    instant,
    local_day,
    make_measurement,
    reading,
    sleep_minutes_by_day,
    steps_by_day,
)

EST = timezone(timedelta(hours=-5))
EDT = timezone(timedelta(hours=-4))
UTC = timezone.utc


def at(text: str, zone: timezone = EST) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


# --- validation ------------------------------------------------------------------


def test_a_valid_measurement_is_canonical() -> None:
    m = make_measurement({"day": " 2026-03-08 ", "metric": "steps", "value": "8123", "source": "apple-health"})
    assert m == Measurement("2026-03-08", "steps", 8123, "apple-health")
    assert isinstance(m.value, int)  # steps are whole
    assert m.to_dict() == {"id": None, "day": "2026-03-08", "metric": "steps", "value": 8123, "source": "apple-health"}
    assert (
        make_measurement({"day": "2026-03-08", "metric": "resting_hr", "value": 61.2, "source": "fitbit"}).value == 61.2
    )


@pytest.mark.parametrize(
    ("metric", "good", "bad"),
    [
        ("sleep_minutes", [0, 1440, 450.5], [-0.1, 1440.1, 2000]),
        ("steps", [0, 200_000], [-1, 200_001, 12.5]),
        ("resting_hr", [20, 250, 61.2], [19.9, 250.5, 0]),
    ],
)
def test_ranges_are_enforced(metric: str, good: list[float], bad: list[float]) -> None:
    for value in good:
        assert make_measurement({"day": "2026-01-01", "metric": metric, "value": value, "source": "csv"}).value == value
    for value in bad:
        with pytest.raises(ValidationError, match=f"{metric}: .* expected .* from {METRICS[metric].low:g} to"):
            make_measurement({"day": "2026-01-01", "metric": metric, "value": value, "source": "csv"})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day", "2026-02-30"),
        ("day", "2026-3-8"),
        ("day", "08/03/2026"),
        ("day", None),
        ("metric", "heart_rate"),
        ("metric", None),
        ("value", True),
        ("value", "many"),
        ("value", float("nan")),
        ("value", float("inf")),
        ("value", None),
        ("source", ""),
        ("source", "x" * 65),
        ("source", "bad\nname"),
    ],
)
def test_bad_fields_are_refused(field: str, value: object) -> None:
    values: dict[str, object] = {"day": "2026-01-01", "metric": "steps", "value": 10, "source": "csv"}
    values[field] = value
    with pytest.raises(ValidationError):
        make_measurement(values)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(PaindiaryError, match=r"Unknown field.*device"):
        make_measurement({"day": "2026-01-01", "metric": "steps", "value": 1, "source": "csv", "device": "x"})


def test_metrics_table() -> None:
    assert list(METRICS) == ["sleep_minutes", "steps", "resting_hr"]
    assert [m.loinc for m in METRICS.values()] == ["93832-4", "41950-7", "40443-4"]
    assert [m.higher_is_better for m in METRICS.values()] == [True, True, False]


def test_times() -> None:
    assert instant(at("2026-03-08T07:00:00", EDT)) == (1772967600.0, -4 * 3600)  # 2026-03-08 11:00Z
    assert local_day(1772967600.0, -4 * 3600) == "2026-03-08"
    assert local_day(1772967600.0, -12 * 3600) == "2026-03-07"  # 23:00 the day before
    with pytest.raises(ValueError, match="no UTC offset"):
        instant(datetime(2026, 3, 8))


# --- sleep -----------------------------------------------------------------------


def test_overlapping_devices_count_each_minute_once() -> None:
    # watch 23:00-03:00 and phone 01:00-06:30 (EST): union 23:00-06:30 = 7.5 h = 450 min, not 4 h + 5.5 h = 570
    nights = sleep_minutes_by_day(
        [(at("2026-01-10T23:00"), at("2026-01-11T03:00")), (at("2026-01-11T01:00"), at("2026-01-11T06:30"))]
    )
    assert nights == {"2026-01-11": 450.0}


def test_a_night_across_midnight_counts_for_the_wake_day() -> None:
    # 22:30 on the 10th to 06:00 on the 11th = 7.5 h = 450 min, all on the 11th
    assert sleep_minutes_by_day([(at("2026-01-10T22:30"), at("2026-01-11T06:00"))]) == {"2026-01-11": 450.0}


def test_an_awake_gap_before_midnight_keeps_the_night_together() -> None:
    # asleep 22:00-23:30 (90 min), awake 45 min, asleep 00:15-06:15 (360 min): one night of 450 min on the 11th
    nights = sleep_minutes_by_day(
        [(at("2026-01-10T22:00"), at("2026-01-10T23:30")), (at("2026-01-11T00:15"), at("2026-01-11T06:15"))]
    )
    assert nights == {"2026-01-11": 450.0}


def test_naps_count_for_the_day_they_end() -> None:
    nights = sleep_minutes_by_day(
        [
            (at("2026-01-10T23:00"), at("2026-01-11T06:00")),  # 420 min -> the 11th
            (at("2026-01-11T14:00"), at("2026-01-11T14:40")),  # nap, 8 h after waking: 40 min -> the 11th
            (at("2026-01-11T19:00"), at("2026-01-11T19:30")),  # nap, 2.5 h before the night: 30 min -> the 11th
            (at("2026-01-11T22:00"), at("2026-01-12T06:00")),  # 480 min -> the 12th
        ]
    )
    assert nights == {"2026-01-11": 420 + 40 + 30, "2026-01-12": 480.0}


def test_the_session_gap_boundary() -> None:
    assert SESSION_GAP == 7200
    block = (at("2026-01-10T20:00"), at("2026-01-10T23:00"))  # 180 min
    # a gap of 1 h 59 min: one session, 180 + 60 = 240 min on the 11th
    assert sleep_minutes_by_day([block, (at("2026-01-11T00:59"), at("2026-01-11T01:59"))]) == {"2026-01-11": 240.0}
    # a gap of exactly 2 h: two sessions, 180 min on the 10th and 60 on the 11th
    assert sleep_minutes_by_day([block, (at("2026-01-11T01:00"), at("2026-01-11T02:00"))]) == {
        "2026-01-10": 180.0,
        "2026-01-11": 60.0,
    }


def test_spring_forward_counts_real_minutes() -> None:
    # New York, 2026-03-08: 23:00 EST (04:00Z) to 07:00 EDT (11:00Z) = 7 h = 420 min (the wall clock says 8 h)
    assert sleep_minutes_by_day([(at("2026-03-07T23:00", EST), at("2026-03-08T07:00", EDT))]) == {"2026-03-08": 420.0}


def test_spring_forward_with_two_devices_changing_offset_at_different_times() -> None:
    # watch 00:30 EST (05:30Z) to 04:00 EDT (08:00Z) = 150 min; phone 03:30 EDT (07:30Z) to 06:00 EDT (10:00Z);
    # union 05:30Z-10:00Z = 270 min, on the local date of 06:00 EDT: the 8th
    nights = sleep_minutes_by_day(
        [
            (at("2026-03-08T00:30", EST), at("2026-03-08T04:00", EDT)),
            (at("2026-03-08T03:30", EDT), at("2026-03-08T06:00", EDT)),
        ]
    )
    assert nights == {"2026-03-08": 270.0}


def test_fall_back_counts_real_minutes() -> None:
    # New York, 2026-11-01: 23:00 EDT (03:00Z) to 07:00 EST (12:00Z) = 9 h = 540 min (the wall clock says 8 h)
    assert sleep_minutes_by_day([(at("2026-10-31T23:00", EDT), at("2026-11-01T07:00", EST))]) == {"2026-11-01": 540.0}


def test_the_end_times_own_offset_decides_the_day() -> None:
    # 23:00Z on the 10th to 01:00Z on the 11th = 120 min; written in UTC it ends on the 11th, at -05:00 on the 10th
    assert sleep_minutes_by_day([(at("2026-01-10T23:00", UTC), at("2026-01-11T01:00", UTC))]) == {"2026-01-11": 120.0}
    assert sleep_minutes_by_day([(at("2026-01-10T18:00"), at("2026-01-10T20:00"))]) == {"2026-01-10": 120.0}


def test_touching_empty_and_reversed_intervals() -> None:
    # 23:00-01:00 and 01:00-02:30 touch: one block of 210 min; an empty interval adds nothing
    nights = SleepNights()
    nights.add_interval(at("2026-01-10T23:00"), at("2026-01-11T01:00"))
    nights.add_interval(at("2026-01-11T01:00"), at("2026-01-11T02:30"))
    nights.add_interval(at("2026-01-11T05:00"), at("2026-01-11T05:00"))
    assert len(nights) == 2
    assert nights.minutes_by_day() == {"2026-01-11": 210.0}
    with pytest.raises(ValueError, match="before it starts"):
        nights.add_interval(at("2026-01-11T05:00"), at("2026-01-11T04:00"))
    assert SleepNights().minutes_by_day() == {}


def test_seconds_give_tenths_of_minutes() -> None:
    # 23:00:00 to 06:03:20 = 7 h 3 min 20 s = 423.33 min -> 423.3
    assert sleep_minutes_by_day([(at("2026-01-10T23:00:00"), at("2026-01-11T06:03:20"))]) == {"2026-01-11": 423.3}


_starts = st.integers(min_value=0, max_value=6 * 86400)
_lengths = st.integers(min_value=0, max_value=10 * 3600)
_offsets = st.sampled_from([-5 * 3600, -4 * 3600, 0, 3 * 3600, 5 * 3600 + 1800])


@given(st.lists(st.tuples(_starts, _lengths, _offsets), max_size=30))
def test_sleep_days_add_up_to_the_union_of_intervals(items: list[tuple[int, int, int]]) -> None:
    nights = SleepNights()
    for start, length, offset in items:
        nights.add(1.7e9 + start, 1.7e9 + start + length, offset)
    union, reach = 0, -1
    for start, length, _ in sorted(items):
        end = start + length
        union += max(0, end - max(start, reach))
        reach = max(reach, end)
    days = nights.minutes_by_day()
    assert abs(sum(days.values()) - union / 60) <= 0.05 * len(days) + 1e-6


# --- steps -----------------------------------------------------------------------


def sample(start: str, end: str, steps: float, source: str, zone: timezone = EST) -> StepSample:
    return StepSample(at(start, zone), at(end, zone), steps, source, device_priority(source))


def test_device_priority() -> None:
    assert device_priority("Sam’s Apple Watch") == WATCH
    watch = "<<HKDevice: 0x28>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2>"
    assert device_priority("Health", watch) == WATCH
    assert device_priority("Sam’s iPhone") == PHONE
    assert device_priority("Health", "<<HKDevice: 0x2a>, name:iPhone, model:iPhone, hardware:iPhone14,5>") == PHONE
    assert device_priority("Pedometer++") == OTHER
    assert device_priority("Oura") == OTHER


def test_one_source_is_summed() -> None:
    assert steps_by_day(
        [
            sample("2026-01-10T10:00", "2026-01-10T10:10", 500, "Watch"),
            sample("2026-01-10T11:00", "2026-01-10T11:01", 7, "Watch"),
        ]
    ) == {"2026-01-10": 507}


def test_the_watch_wins_where_it_overlaps_the_phone() -> None:
    # phone 10:00-10:20, 600 steps = 30/min; watch 10:05-10:15, 400 steps.
    # 10:00-10:05 phone 5 x 30 = 150; 10:05-10:15 watch 400; 10:15-10:20 phone 5 x 30 = 150; total 700 (sum: 1000)
    samples = [
        sample("2026-01-10T10:00", "2026-01-10T10:20", 600, "Sam’s iPhone"),
        sample("2026-01-10T10:05", "2026-01-10T10:15", 400, "Sam’s Apple Watch"),
    ]
    assert steps_by_day(samples) == {"2026-01-10": 700}
    assert steps_by_day(reversed(samples)) == {"2026-01-10": 700}


def test_the_phone_wins_over_another_app() -> None:
    # app 10:00-10:30, 300 steps = 10/min; phone 10:10-10:20, 200 steps: 100 + 200 + 100 = 400
    samples = [
        sample("2026-01-10T10:00", "2026-01-10T10:30", 300, "Pedometer++"),
        sample("2026-01-10T10:10", "2026-01-10T10:20", 200, "iPhone"),
    ]
    assert steps_by_day(samples) == {"2026-01-10": 400}


def test_a_sample_across_midnight_is_split_by_time() -> None:
    # 23:50 to 00:10, 200 steps = 10/min: 10 min (100) on the 10th, 10 min (100) on the 11th
    assert steps_by_day([sample("2026-01-10T23:50", "2026-01-11T00:10", 200, "Watch")]) == {
        "2026-01-10": 100,
        "2026-01-11": 100,
    }


def test_exact_duplicates_count_once() -> None:
    twice = [sample("2026-01-10T10:00", "2026-01-10T10:10", 300, "Watch")] * 2
    assert steps_by_day(twice) == {"2026-01-10": 300}


def test_two_watches_the_first_by_name_wins() -> None:
    # A 10:00-10:10, 100 steps; B 10:05-10:15, 300 steps = 30/min: A 100 + B 10:10-10:15 5 x 30 = 150 -> 250
    samples = [
        sample("2026-01-10T10:05", "2026-01-10T10:15", 300, "B Watch"),
        sample("2026-01-10T10:00", "2026-01-10T10:10", 100, "A Watch"),
    ]
    assert steps_by_day(samples) == {"2026-01-10": 250}


def test_samples_without_duration() -> None:
    samples = [
        sample("2026-01-10T10:00", "2026-01-10T10:10", 300, "Watch"),
        sample("2026-01-10T12:00", "2026-01-10T12:00", 500, "Health"),  # typed in: counts in full
        sample("2026-01-10T12:00", "2026-01-10T12:00", 500, "Health (copy)"),  # same instant: only one counts
        sample("2026-01-10T10:05", "2026-01-10T10:05", 80, "Health"),  # inside the watch's sample: covered
        sample("2026-01-10T10:10", "2026-01-10T10:10", 9, "Health"),  # the watch's sample has ended: counts
    ]
    assert steps_by_day(samples) == {"2026-01-10": 300 + 500 + 9}


def test_a_long_sample_carries_across_utc_days() -> None:
    # phone 22:00Z on the 10th to 02:00Z on the 11th, 480 steps = 2/min; watch 00:30Z-01:00Z, 90 steps.
    # 10th: phone 22:00-24:00 = 120 min x 2 = 240; 11th: phone 00:00-00:30 = 60, watch 90, phone 01:00-02:00 = 120
    samples = [
        sample("2026-01-10T22:00", "2026-01-11T02:00", 480, "iPhone", UTC),
        sample("2026-01-11T00:30", "2026-01-11T01:00", 90, "Watch", UTC),
    ]
    assert steps_by_day(samples) == {"2026-01-10": 240, "2026-01-11": 60 + 90 + 120}


def test_steps_order_does_not_matter() -> None:
    rng = random.Random(14)
    samples = []
    for n in range(300):
        start = at("2026-01-10T00:00") + timedelta(minutes=rng.randint(0, 4 * 1440))
        length = timedelta(minutes=rng.randint(0, 30))
        source = rng.choice(["Sam’s Apple Watch", "Sam’s iPhone", "Pedometer++"])
        samples.append(
            StepSample(start, start + length, rng.randint(0, 900) + n % 2 / 2, source, device_priority(source))
        )
    expected = steps_by_day(samples)
    rng.shuffle(samples)
    assert steps_by_day(samples) == expected


def test_bad_samples_are_refused() -> None:
    days = StepDays()
    with pytest.raises(ValueError, match="before it starts"):
        days.add_sample(sample("2026-01-10T10:00", "2026-01-10T09:00", 1, "Watch"))
    with pytest.raises(ValueError, match="0 or more"):
        days.add_sample(sample("2026-01-10T10:00", "2026-01-10T11:00", -1, "Watch"))
    with pytest.raises(ValueError, match="0 or more"):
        days.add_sample(sample("2026-01-10T10:00", "2026-01-10T11:00", float("nan"), "Watch"))
    assert len(days) == 0
    assert days.steps_by_day() == {}


_step_items = st.tuples(_starts, st.integers(min_value=1, max_value=3600), st.integers(0, 2000), st.integers(0, 3))


@given(st.lists(_step_items, max_size=40))
def test_de_duplicated_steps_are_never_more_than_the_plain_sum(items: list[tuple[int, int, int, int]]) -> None:
    days = StepDays()
    for start, length, count, source in items:
        days.add(1.7e9 + start, 1.7e9 + start + length, 0, count, f"s{source}", source % 3)
    result = days.steps_by_day()
    assert sum(result.values()) <= sum(count for *_, count, _ in items) + 0.5 * len(result)


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 3600), st.integers(0, 2000)), max_size=40))
def test_one_source_without_overlap_keeps_every_step(items: list[tuple[int, int, int]]) -> None:
    days, start = StepDays(), 1.7e9
    for gap, length, count in items:
        start += gap
        days.add(start, start + length, 0, count, "watch", WATCH)
        start += length
    result = days.steps_by_day()
    assert abs(sum(result.values()) - sum(count for *_, count in items)) <= 0.5 * len(result) + 1e-6


# --- resting heart rate and readings --------------------------------------------------


def test_resting_heart_rate_keeps_the_lowest_of_a_day() -> None:
    days = RestingDays()
    for day, value in [("2026-01-11", 61), ("2026-01-10", 58), ("2026-01-11", 57.5), ("2026-01-11", 64)]:
        days.add(day, value)
    assert days.by_day() == {"2026-01-10": 58, "2026-01-11": 57.5}
    assert len(days) == 2


def test_reading_validates_and_orders() -> None:
    result = reading(
        "fitbit",
        "export.zip",
        {"resting_hr": {"2026-01-11": 57.5}, "sleep_minutes": {"2026-01-11": 420.0}, "steps": {"2026-01-10": 5}},
        {"sleep": 1},
        {"heart_rate": 3},
    )
    assert [(m.day, m.metric, m.value) for m in result.measurements] == [
        ("2026-01-10", "steps", 5),
        ("2026-01-11", "sleep_minutes", 420.0),
        ("2026-01-11", "resting_hr", 57.5),
    ]
    assert {m.source for m in result.measurements} == {"fitbit"}
    assert result.by_metric("sleep_minutes") == {"2026-01-11": 420.0}


def test_reading_with_nothing_says_so() -> None:
    with pytest.raises(PaindiaryError, match=r"No sleep, steps or resting heart rate found in x\.zip \(it holds 3 hr"):
        reading("oura", "x.zip", {"steps": {}}, {}, {"hr": 3, "workouts": 1})
    with pytest.raises(PaindiaryError, match=r"found in x\.zip; check"):
        reading("oura", "x.zip", {}, {}, {})


def test_reading_names_the_day_of_a_value_out_of_range() -> None:
    with pytest.raises(PaindiaryError, match=r"x\.zip, 2026-01-11: steps: 250000 is not valid.*nothing was imported"):
        reading("oura", "x.zip", {"steps": {"2026-01-11": 250000}}, {}, {})
