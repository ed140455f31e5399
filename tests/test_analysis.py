"""The analysis definitions (issue 3) on small hand-computed diaries, plus properties."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paindiary import analysis, registry
from paindiary.errors import PaindiaryError
from paindiary.models import Entry, Medication, Treatment

D0 = date(2026, 3, 1)


def day(n: int) -> str:
    """Day n of the test calendar (day 0 is 2026-03-01)."""
    return (D0 + timedelta(days=n)).isoformat()


def at(n: int, clock: str = "21:00:00") -> str:
    return f"{day(n)}T{clock}"


def entry(stamp: str, pain: float | None = None, **values: Any) -> Entry:
    return Entry(recorded_at=stamp, pain=pain, **values)


def pains(values: dict[int, float], clock: str = "21:00:00") -> list[Entry]:
    return [entry(at(n, clock), pain) for n, pain in values.items()]


def session(n: int, clock: str = "09:00:00", name: str = "ketamine infusion") -> Treatment:
    return Treatment(started_at=at(n, clock), name=name)


def med(stamp: str, name: str, dose: float, unit: str = "mg") -> Medication:
    return Medication(taken_at=stamp, name=name, dose=dose, dose_unit=unit)


def analyze(*records: Any, **options: Any) -> dict[str, Any]:
    """The analysis as ``analyze --json`` prints it."""
    return analysis.analyze(*records, **options).to_dict()


def summarize(*records: Any, **options: Any) -> list[dict[str, Any]]:
    """The summary as ``summary --json`` prints it."""
    return [row.to_dict() for row in analysis.summarize(*records, **options)]


def only(result: dict[str, Any]) -> dict[str, Any]:
    assert len(result["courses"]) == 1
    return result["courses"][0]


# --- daily values -----------------------------------------------------------------


def test_daily_values_are_means_of_the_entries_that_have_the_metric() -> None:
    entries = [
        entry(at(0, "08:00:00"), 6, mood=4),
        entry(at(0, "20:00:00"), 3),
        entry(day(1), None, sleep_hours=7.5),
    ]
    daily = analysis.daily_values(entries)
    assert set(daily) == set(analysis.METRICS)
    assert daily["pain"] == {day(0): 4.5}
    assert daily["mood"] == {day(0): 4}
    assert daily["sleep_hours"] == {day(1): 7.5}
    assert daily["worst_pain"] == {}


def test_peg_is_per_entry_mean_of_three_items_then_daily_mean() -> None:
    entries = [
        entry(at(0, "08:00:00"), 6, enjoyment=3, activity=3),  # peg 4
        entry(at(0, "12:00:00"), 9, enjoyment=9),  # no activity: no peg, but pain counts
        entry(at(0, "20:00:00"), 3, enjoyment=6, activity=9),  # peg 6
    ]
    daily = analysis.daily_values(entries)
    assert daily["peg"] == {day(0): 5}
    assert daily["pain"] == {day(0): 6}
    assert daily["enjoyment"][day(0)] == 6


def test_the_day_of_a_record_is_its_local_date() -> None:
    daily = analysis.daily_values([entry(f"{day(0)}T23:59:59", 8), entry(f"{day(1)}T00:00:00", 2)])
    assert daily["pain"] == {day(0): 8, day(1): 2}


# --- MME --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "factor"),
    [
        ("oxycodone", "mg", 1.5),
        ("Oxycodone/APAP", "MG", 1.5),
        ("  morphine sulfate ER", "mg", 1.0),
        ("Hydromorphone", "Mg", 5.0),
        ("tramadol", "mg", 0.2),
        ("codeine", "mg", 0.15),
        ("methadone", "mg", 4.7),
        ("tapentadol", "mg", 0.4),
        ("oxymorphone", "mg", 3.0),
        ("hydrocodone", "mg", 1.0),
        ("fentanyl", "mcg/h", None),
        ("fentanyl", "mg", None),
        ("oxycodone", "tablet", None),
        ("oxycodone", "mcg", None),
        ("ibuprofen", "mg", None),
        ("oxy", "mg", None),
        ("", "mg", None),
    ],
)
def test_mme_factor(name: str, unit: str, factor: float | None) -> None:
    assert analysis.mme_factor(name, unit) == factor


def test_daily_mme_on_every_diary_day() -> None:
    entries = [entry(at(0), 5), entry(at(1), 5), entry(at(3), 5)]
    meds = [
        med(at(0, "08:00:00"), "oxycodone", 10),
        med(at(0, "20:00:00"), "Oxycodone/APAP", 5),
        med(at(0, "13:00:00"), "ibuprofen", 400),
        med(at(1, "08:00:00"), "fentanyl", 25, "mcg/h"),
        med(at(2, "08:00:00"), "tramadol", 50),  # a day with a dose but no entry
        med(day(4), "ibuprofen", 200),  # a non-opioid dose makes a diary day with MME 0
    ]
    assert analysis.daily_mme(entries, meds) == {day(0): 22.5, day(1): 0, day(2): 10, day(3): 0, day(4): 0}
    assert analysis.daily_mme([], []) == {}


def test_mme_caution_says_estimate_and_fentanyl() -> None:
    text = analysis.MME_CAUTION.lower()
    assert "fentanyl" in text and "estimate" in text and "never" in text and "dosing" in text


# --- courses ----------------------------------------------------------------------


def test_group_courses_by_gap_from_previous_session() -> None:
    sessions = [session(9), session(0), session(1), session(4), session(14), session(14, "15:00:00")]
    courses = analysis.group_courses(sessions, 3)
    assert [[s.started_at for s in c] for c in courses] == [
        [at(0, "09:00:00"), at(1, "09:00:00"), at(4, "09:00:00")],  # 4 is 3 days after 1: joins
        [at(9, "09:00:00")],  # 9 is 5 days after 4
        [at(14, "09:00:00"), at(14, "15:00:00")],
    ]
    assert len(analysis.group_courses(sessions, 0)) == 5  # only the same-day pair groups
    assert len(analysis.group_courses(sessions, 5)) == 1
    assert analysis.group_courses([], 3) == []
    with pytest.raises(PaindiaryError):
        analysis.group_courses(sessions, -1)


def test_course_fields_and_name() -> None:
    sessions = [session(10, name="ketamine"), session(11, name="lidocaine"), session(12, name="ketamine")]
    course = only(analyze([], sessions, []))
    assert course["first_session"] == at(10, "09:00:00")
    assert course["last_session"] == at(12, "09:00:00")
    assert course["sessions"] == 3
    assert course["name"] == "ketamine + lidocaine"
    assert course["status"] == "insufficient_data"
    assert course["relief"] is None and course["same_day_after_pain"] is None
    assert set(course["metrics"]) == {*analysis.METRICS, "mme"}
    assert course["metrics"]["pain"]["baseline_mean"] is None and course["metrics"]["pain"]["response"] is None
    assert "response" not in course["metrics"]["mood"]


def test_parameters_object() -> None:
    result = analyze([], [], [], baseline_days=14, followup_days=5, min_days=2, horizon_days=60, course_gap=0)
    assert result == {
        "parameters": {
            "baseline_days": 14,
            "followup_days": 5,
            "min_days": 2,
            "horizon_days": 60,
            "course_gap_days": 0,
            "relief_threshold_pct": 30,
        },
        "courses": [],
        "unconverted_opioid_doses": 0,
    }


@pytest.mark.parametrize("name", ["baseline_days", "followup_days", "min_days", "horizon_days", "course_gap"])
def test_bad_parameters_are_errors(name: str) -> None:
    with pytest.raises(PaindiaryError, match=name.replace("_", "-")):
        analysis.analyze([], [], [], **{name: -1})


# --- windows and metrics -----------------------------------------------------------


def test_windows_means_changes_and_missing_days() -> None:
    # baseline days 3..9, follow-up days 11..17 around a session on day 10
    values = {2: 0, 3: 8, 5: 6, 9: 7, 10: 1, 11: 4, 12: 5, 17: 3, 18: 0}
    course = only(analyze(pains(values), [session(10)], []))
    pain = course["metrics"]["pain"]
    assert pain["baseline_mean"] == 7 and pain["baseline_days"] == 3
    assert pain["followup_mean"] == 4 and pain["followup_days"] == 3
    assert pain["change"] == -3
    assert pain["pct_change"] == pytest.approx(-300 / 7)
    assert pain["response"] == "moderate"
    assert course["status"] == "ok"


def test_baseline_truncated_by_previous_course_and_followup_by_next() -> None:
    values = {n: 8.0 for n in range(0, 10)} | {n: 4.0 for n in range(10, 30)}
    values[6] = 2.0  # the day after course 1's last day: course 2's baseline starts here
    values[8] = 4.0
    sessions = [session(3), session(5), session(9), session(12)]  # courses {3, 5}, {9}, {12}
    result = analyze(pains(values), sessions, [], course_gap=2)
    first, middle, last = result["courses"]
    assert (first["sessions"], middle["sessions"], last["sessions"]) == (2, 1, 1)
    # course 1 follow-up: days 6..8 (the next course starts on day 9)
    assert first["metrics"]["pain"]["followup_days"] == 3
    assert first["metrics"]["pain"]["followup_mean"] == pytest.approx((2 + 8 + 4) / 3)
    # course 2 baseline: days 6..8 only; follow-up: days 10..11
    assert middle["metrics"]["pain"]["baseline_days"] == 3
    assert middle["metrics"]["pain"]["baseline_mean"] == pytest.approx((2 + 8 + 4) / 3)
    assert middle["metrics"]["pain"]["followup_days"] == 2
    assert middle["status"] == "insufficient_data" and middle["relief"] is None
    # course 3 baseline: days 10..11 (day 9 is course 2's last day)
    assert last["metrics"]["pain"]["baseline_days"] == 2
    assert last["metrics"]["pain"]["followup_days"] == 7


def test_course_gap_zero_leaves_empty_baseline_for_next_day_course() -> None:
    values = {n: 6.0 for n in range(0, 20)}
    result = analyze(pains(values), [session(9), session(10)], [], course_gap=0)
    first, second = result["courses"]
    assert first["metrics"]["pain"]["followup_days"] == 0
    assert second["metrics"]["pain"]["baseline_days"] == 0
    assert second["metrics"]["pain"]["baseline_mean"] is None
    assert second["metrics"]["pain"]["change"] is None and second["metrics"]["pain"]["pct_change"] is None


def test_pct_change_is_null_when_baseline_is_zero() -> None:
    values = {n: 0.0 for n in range(0, 10)} | {n: 2.0 for n in range(11, 18)}
    pain = only(analyze(pains(values), [session(10)], []))["metrics"]["pain"]
    assert pain["baseline_mean"] == 0 and pain["change"] == 2
    assert pain["pct_change"] is None and pain["response"] is None


@pytest.mark.parametrize(
    ("before", "after", "label"),
    [
        (10, 5, "substantial"),
        (10, 5.1, "moderate"),
        (6, 4.2, "moderate"),  # exactly 30 % despite floating point
        (10, 7.1, "minimal"),
        (10, 9, "minimal"),
        (10, 9.1, "none"),
        (4, 6, "none"),
    ],
)
def test_response_categories(before: float, after: float, label: str) -> None:
    values = {n: float(before) for n in range(3, 10)} | {n: float(after) for n in range(11, 18)}
    assert only(analyze(pains(values), [session(10)], []))["metrics"]["pain"]["response"] == label


def test_response_needs_min_days_in_both_windows_per_metric() -> None:
    entries = [entry(at(n), 8, enjoyment=8, activity=8) for n in range(7, 10)]  # 3 baseline days with peg
    entries += [entry(at(n), 4) for n in range(11, 14)]  # 3 follow-up days, no peg items
    entries += [entry(at(14), 4, enjoyment=4, activity=4)]  # 1 follow-up day with peg
    course = only(analyze(entries, [session(10)], []))
    assert course["metrics"]["pain"]["response"] == "substantial"
    assert course["metrics"]["peg"]["followup_days"] == 1
    assert course["metrics"]["peg"]["pct_change"] == -50
    assert course["metrics"]["peg"]["response"] is None
    tight = only(analyze(entries, [session(10)], [], min_days=4))
    assert tight["status"] == "insufficient_data" and tight["metrics"]["pain"]["response"] is None


def test_mme_metric_counts_diary_days_without_doses_as_zero() -> None:
    entries = pains({n: 6.0 for n in range(3, 18)})
    meds = [med(at(n, "08:00:00"), "oxycodone", 10) for n in range(3, 10)]  # 15 MME a day before
    meds += [med(at(11, "08:00:00"), "oxycodone", 10)]  # one dose in follow-up
    mme = only(analyze(entries, [session(10)], meds))["metrics"]["mme"]
    assert mme["baseline_mean"] == 15 and mme["baseline_days"] == 7
    assert mme["followup_mean"] == pytest.approx(15 / 7) and mme["followup_days"] == 7
    assert mme["pct_change"] == pytest.approx(-100 * 6 / 7)


def test_since_until_select_courses_by_first_day_but_windows_use_all_data() -> None:
    values = {n: 8.0 for n in range(0, 40)}
    sessions = [session(5), session(7), session(20)]
    result = analyze(pains(values), sessions, [], since=day(6), until=day(30))
    course = only(result)
    assert course["first_session"] == at(20, "09:00:00")
    assert course["metrics"]["pain"]["baseline_days"] == 7
    assert [c["first_session"] for c in analyze([], sessions, [], until=day(5))["courses"]] == [at(5, "09:00:00")]
    assert analyze([], sessions, [], since=day(21))["courses"] == []
    assert len(analyze([], sessions, [], since=day(5), until=day(20))["courses"]) == 2


# --- same-day relief ------------------------------------------------------------------


def test_same_day_after_pain_uses_timed_entries_after_first_session_that_day() -> None:
    entries = [
        entry(at(10, "08:00:00"), 9),  # before the session
        entry(at(10, "09:00:00"), 9),  # at the session start: not later
        entry(at(10, "13:00:00"), 4),
        entry(at(10, "19:00:00"), 2),  # after both sessions of day 10: counted once
        entry(day(11), 9),  # whole-day: not timed
        entry(at(11, "10:00:00"), 6),
        entry(at(12, "10:00:00"), 1),  # not a session day
        entry(at(10, "20:00:00"), None, mood=5),  # no pain
    ]
    sessions = [session(10), session(10, "15:00:00"), session(11)]
    course = only(analyze(entries, sessions, []))
    assert course["same_day_after_pain"] == 4


# --- relief ----------------------------------------------------------------------------


def relief_of(after: dict[int, float], horizon: int = 28, sessions: list[Treatment] | None = None) -> Any:
    """Relief after a session on day 10 with baseline pain 8 (threshold 5.6)."""
    values = {n: 8.0 for n in range(3, 10)} | after
    result = analyze(pains(values), sessions or [session(10)], [], horizon_days=horizon)
    return result["courses"][0]["relief"]


def test_relief_that_ends() -> None:
    # r(11..15) = 5; r(16) = (5*5 + 9) / 6 = 5.67 > 5.6
    after = {11: 5, 12: 5, 13: 5, 14: 5, 15: 5, 16: 9, 17: 5}
    assert relief_of(after) == {"onset_day": 1, "duration_days": 5, "ongoing": False}


def test_relief_rolling_mean_covers_seven_days_of_the_range_only() -> None:
    # day 10 (the session day) is outside the range; day 11 leaves the window on day 18
    after = {10: 10, 11: 2, 12: 6, 13: 6, 14: 6, 15: 6, 16: 6, 17: 6, 18: 6}
    assert relief_of(after) == {"onset_day": 1, "duration_days": 7, "ongoing": False}


def test_relief_onset_after_missing_days() -> None:
    after = {11: 7, 14: 4, 15: 4, 16: 4}  # r(14) = 5.5
    assert relief_of(after) == {"onset_day": 4, "duration_days": 3, "ongoing": True}


def test_relief_ongoing_at_end_of_data() -> None:
    after = {n: 5.0 for n in range(11, 21)}
    assert relief_of(after) == {"onset_day": 1, "duration_days": 10, "ongoing": True}


def test_relief_ongoing_cut_by_horizon() -> None:
    after = {n: 5.0 for n in range(11, 40)}
    assert relief_of(after, horizon=5) == {"onset_day": 1, "duration_days": 5, "ongoing": True}


def test_relief_ongoing_cut_by_next_course() -> None:
    after = {n: 5.0 for n in range(11, 40)}
    sessions = [session(10), session(18)]
    assert relief_of(after, sessions=sessions) == {"onset_day": 1, "duration_days": 7, "ongoing": True}


def test_relief_never() -> None:
    after = {n: 7.0 for n in range(11, 20)}
    assert relief_of(after) == {"onset_day": None, "duration_days": 0, "ongoing": False}


def test_relief_at_exact_threshold_counts() -> None:
    values = {n: 6.0 for n in range(3, 10)} | {n: 4.2 for n in range(11, 14)}
    course = only(analyze(pains(values), [session(10)], []))
    assert course["relief"] == {"onset_day": 1, "duration_days": 3, "ongoing": True}


# --- explanations ----------------------------------------------------------------------


def test_insufficient_reasons_say_which_window_and_why() -> None:
    values = {n: 8.0 for n in range(0, 30)}
    del values[11], values[12]
    sessions = [session(5), session(9), session(14)]
    result = analysis.analyze(pains(values), sessions, [], course_gap=2)  # typed: Analysis
    reasons = analysis.insufficient_reasons(result, sessions)
    assert set(reasons) == {at(9, "09:00:00"), at(14, "09:00:00")}  # days 11 and 12 are missing
    middle = reasons[at(9, "09:00:00")]
    assert "follow-up" in middle and "baseline" not in middle
    assert "2 of the 4" in middle and day(14) in middle
    last = reasons[at(14, "09:00:00")]
    assert "baseline" in last and "follow-up" not in last
    assert "2 of the 4" in last and day(9) in last


def test_course_windows() -> None:
    windows = analysis.course_windows([session(5), session(9)], baseline_days=7, followup_days=7, horizon_days=28)
    assert windows[0].baseline == (day(-2), day(4)) and windows[0].followup == (day(6), day(8))
    assert windows[1].baseline == (day(6), day(8)) and windows[1].followup == (day(10), day(16))
    assert windows[1].relief == (day(10), day(37)) and windows[1].previous_last_day == day(5)


# --- summary ----------------------------------------------------------------------------


def test_summary_by_week_lists_every_week_with_means_of_daily_values() -> None:
    # 2026-03-02 is a Monday (ISO week 10)
    entries = [
        entry("2026-03-02T08:00:00", 6, mood=4),
        entry("2026-03-02T20:00:00", 4),
        entry("2026-03-04", 2),
        entry("2026-03-20T10:00:00", 5),  # week 12; week 11 is empty
    ]
    meds = [med("2026-03-03T08:00:00", "oxycodone", 20), med("2026-03-21T08:00:00", "ibuprofen", 400)]
    rows = summarize(entries, meds, by="week")
    assert [(r["period"], r["start"], r["end"], r["days_logged"]) for r in rows] == [
        ("2026-W10", "2026-03-02", "2026-03-08", 2),
        ("2026-W11", "2026-03-09", "2026-03-15", 0),
        ("2026-W12", "2026-03-16", "2026-03-22", 1),
    ]
    assert rows[0]["pain"] == pytest.approx((5 + 2) / 2)
    assert rows[0]["mood"] == 4 and rows[0]["sleep_hours"] is None
    assert rows[0]["mme"] == pytest.approx(30 / 3)  # diary days 2, 3 and 4 March
    assert rows[1]["pain"] is None and rows[1]["mme"] is None
    assert rows[2]["mme"] == 0
    assert set(rows[0]) == {"period", "start", "end", "days_logged", *analysis.METRICS, "mme"}


def test_summary_iso_weeks_across_the_year_end_and_months() -> None:
    entries = [entry("2025-12-29", 1), entry("2026-01-04", 3), entry("2026-02-15", 5)]
    weeks = summarize(entries, [], by="week")
    assert weeks[0]["period"] == "2026-W01" and weeks[0]["start"] == "2025-12-29" and weeks[0]["pain"] == 2
    months = summarize(entries, [], by="month")
    assert [(m["period"], m["start"], m["end"], m["pain"]) for m in months] == [
        ("2025-12", "2025-12-01", "2025-12-31", 1),
        ("2026-01", "2026-01-01", "2026-01-31", 3),
        ("2026-02", "2026-02-01", "2026-02-28", 5),
    ]


def test_summary_since_until_cut_the_periods() -> None:
    entries = pains({n: float(n) for n in range(0, 40)})  # 2026-03-01 .. 2026-04-09
    rows = summarize(entries, [], by="month", since="2026-03-10", until="2026-04-02")
    assert [(r["start"], r["end"], r["days_logged"]) for r in rows] == [
        ("2026-03-10", "2026-03-31", 22),
        ("2026-04-01", "2026-04-02", 2),
    ]
    assert rows[1]["pain"] == 31.5
    assert summarize(entries, [], since="2027-01-01") == []
    with pytest.raises(PaindiaryError, match="--by"):
        summarize(entries, [], by="year")


# --- properties -----------------------------------------------------------------------------

scores = st.integers(0, 20).map(lambda n: n / 2)
clocks = st.sampled_from(["08:00:00", "12:30:00", "21:00:00", None])
diary_entries = st.dictionaries(
    st.tuples(st.integers(0, 60), clocks),
    st.tuples(scores, st.one_of(st.none(), scores), st.one_of(st.none(), scores)),
    max_size=80,
)
session_days = st.lists(st.tuples(st.integers(5, 55), st.sampled_from(["09:00:00", "14:00:00"])), max_size=6)
dose_days = st.lists(st.tuples(st.integers(0, 60), st.sampled_from([5.0, 10.0])), max_size=20)


def build(raw_entries: Any, raw_sessions: Any, raw_doses: Any, shift: int = 0) -> tuple[list, list, list]:
    entries = [
        entry(day(n + shift) if clock is None else at(n + shift, clock), pain, enjoyment=e, activity=a)
        for (n, clock), (pain, e, a) in sorted(raw_entries.items(), key=lambda item: (item[0][0], item[0][1] or ""))
    ]
    sessions = [session(n + shift, clock) for n, clock in dict.fromkeys(raw_sessions)]
    doses = [med(at(n + shift, "07:00:00"), "oxycodone", dose) for n, dose in dict(raw_doses).items()]
    return entries, sessions, doses


def shifted_stamps(result: dict[str, Any], shift: int) -> dict[str, Any]:
    for course in result["courses"]:
        for key in ("first_session", "last_session"):
            n = (date.fromisoformat(course[key][:10]) - D0).days
            course[key] = at(n + shift, course[key][11:])
    return result


@pytest.mark.slow  # a property test with many examples
@settings(max_examples=60, deadline=None)
@given(diary_entries, session_days, dose_days, st.integers(-400, 400), st.integers(0, 3))
def test_shifting_every_timestamp_by_whole_days_changes_nothing(
    raw_entries: Any, raw_sessions: Any, raw_doses: Any, shift: int, gap: int
) -> None:
    before = analyze(*build(raw_entries, raw_sessions, raw_doses), course_gap=gap)
    after = analyze(*build(raw_entries, raw_sessions, raw_doses, shift), course_gap=gap)
    assert after == shifted_stamps(before, shift)


@pytest.mark.slow  # a property test with many examples
@settings(max_examples=60, deadline=None)
@given(diary_entries, session_days, dose_days, st.sampled_from([-200, 300]), scores)
def test_adding_a_day_far_outside_all_windows_changes_nothing(
    raw_entries: Any, raw_sessions: Any, raw_doses: Any, far: int, pain: float
) -> None:
    entries, sessions, doses = build(raw_entries, raw_sessions, raw_doses)
    before = analyze(entries, sessions, doses)
    extra = [entry(at(far), pain, enjoyment=pain, activity=pain)]
    after = analyze(entries + extra, sessions, [*doses, med(at(far, "07:00:00"), "morphine", 30)])
    assert after == before


@pytest.mark.slow  # a property test with many examples
@settings(max_examples=40, deadline=None)
@given(diary_entries, session_days)
def test_course_results_are_consistent(raw_entries: Any, raw_sessions: Any) -> None:
    entries, sessions, _ = build(raw_entries, raw_sessions, [])
    result = analyze(entries, sessions, [], min_days=2)
    assert sum(course["sessions"] for course in result["courses"]) == len(sessions)
    for course in result["courses"]:
        pain = course["metrics"]["pain"]
        assert (course["status"] == "ok") == (pain["baseline_days"] >= 2 and pain["followup_days"] >= 2)
        assert pain["baseline_days"] <= 7 and pain["followup_days"] <= 7
        if course["relief"] is not None:
            relief = course["relief"]
            assert relief["duration_days"] >= 0
            assert (relief["onset_day"] is None) == (relief["duration_days"] == 0)
            if relief["onset_day"] is not None:
                assert 1 <= relief["onset_day"] <= 28


@settings(max_examples=40, deadline=None)
@given(diary_entries, session_days, dose_days)
def test_the_daily_table_computed_once_gives_what_each_function_computes_alone(
    raw_entries: Any, raw_sessions: Any, raw_doses: Any
) -> None:
    """Charts and the report compute the daily values once (daily_table) and hand them to each function."""
    entries, sessions, doses = build(raw_entries, raw_sessions, raw_doses)
    table = analysis.daily_table(entries, doses)
    given_table = analysis.analyze(entries, sessions, doses, daily=table).to_dict()
    assert given_table == analysis.analyze(entries, sessions, doses).to_dict()
    assert analysis.summarize(entries, doses, daily=table) == analysis.summarize(entries, doses)
    assert analysis.daily_values(entries, table=table) == analysis.daily_values(entries)
    assert analysis.daily_mme(entries, doses, table=table) == analysis.daily_mme(entries, doses)
    assert table == analysis.daily_table(entries, doses)  # not changed by the functions it was given to


# --- typed results ------------------------------------------------------------------------


def test_results_are_frozen_dataclasses_whose_to_dict_is_the_json() -> None:
    values = {n: 7.0 for n in range(3, 10)} | {n: 4.0 for n in range(11, 14)}
    result = analysis.analyze(pains(values), [session(10)], [])
    (course,) = result.courses
    pain = course.metrics["pain"]
    assert (pain.baseline_mean, pain.followup_mean, pain.response) == (7, 4, "moderate")
    assert course.ok and course.relief == analysis.Relief(onset_day=1, duration_days=3, ongoing=True)
    assert list(course.metrics) == [measure.name for measure in registry.measures()]
    assert result.parameters == analysis.Parameters(7, 7, 3, 28, 3, 30)
    as_json = result.to_dict()
    assert as_json["courses"] == [course.to_dict()]
    assert as_json["courses"][0]["metrics"]["pain"] == {
        "baseline_mean": 7, "baseline_days": 7, "followup_mean": 4, "followup_days": 3, "change": -3,
        "pct_change": pytest.approx(-300 / 7), "response": "moderate",
        "nap": 1.0, "ci95": [-3.0, -3.0], "baseline_slope": 0.0,
    }  # fmt: skip
    assert "response" not in as_json["courses"][0]["metrics"]["mood"]  # judged for pain and PEG only
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.status = "insufficient_data"  # type: ignore[misc]


def test_summary_rows_are_typed_with_a_mean_per_measure() -> None:
    (row,) = analysis.summarize([entry("2026-03-02", 6, mood=4)], [], by="week")
    assert (row.period, row.start, row.end, row.days_logged) == ("2026-W10", "2026-03-02", "2026-03-08", 1)
    assert list(row.means) == [measure.name for measure in registry.measures()]
    assert row.means["pain"] == 6 and row.means["mood"] == 4 and row.means["sleep_hours"] is None
    assert row.to_dict() == {"period": "2026-W10", "start": "2026-03-02", "end": "2026-03-08", "days_logged": 1,
                             **row.means}  # fmt: skip
