"""The analysis's exact words and numbers (issue 15): messages a person reads, hand-computed values at the edges.

Each test holds one promise of ``paindiary/analysis.py`` that a small planted bug (mutation
testing, ``python tests/mutation.py analysis``) would otherwise break unnoticed: the full text of
the errors and explanations, the windows' edges, and daily values and MME computed by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from paindiary import analysis
from paindiary.errors import PaindiaryError
from tests.test_analysis import analyze, at, day, entry, med, only, pains, session, summarize

# --- messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "note"),
    [
        (0, None),
        (
            1,
            "1 dose looks like an opioid but is not counted in MME (a unit other than mg, "
            "or a name within two letters of an opioid's); check them with 'paindiary med list'.",
        ),
        (
            2,
            "2 doses look like an opioid but are not counted in MME (a unit other than mg, "
            "or a name within two letters of an opioid's); check them with 'paindiary med list'.",
        ),
    ],
)
def test_unconverted_note_says_how_many_doses_and_where_to_check(count: int, note: str | None) -> None:
    assert analysis.unconverted_note(count) == note


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"baseline_days": 0}, "--baseline-days: 0 is not valid; expected a whole number of at least 1."),
        ({"followup_days": 0}, "--followup-days: 0 is not valid; expected a whole number of at least 1."),
        ({"min_days": 0}, "--min-days: 0 is not valid; expected a whole number of at least 1."),
        ({"horizon_days": 0}, "--horizon-days: 0 is not valid; expected a whole number of at least 1."),
        ({"course_gap": -1}, "--course-gap: -1 is not valid; expected a whole number of at least 0."),
        ({"baseline_days": True}, "--baseline-days: True is not valid; expected a whole number of at least 1."),
        ({"min_days": 2.5}, "--min-days: 2.5 is not valid; expected a whole number of at least 1."),
        ({"course_gap": "3"}, "--course-gap: '3' is not valid; expected a whole number of at least 0."),
    ],
)
def test_bad_parameters_name_the_option_and_the_smallest_value(options: dict[str, Any], message: str) -> None:
    with pytest.raises(PaindiaryError) as raised:
        analysis.analyze([], [], [], **options)
    assert str(raised.value) == message


def test_smallest_parameters_are_accepted() -> None:
    values = {n: 6.0 for n in range(0, 20)}
    result = analyze(pains(values), [session(10)], [], baseline_days=1, followup_days=1, min_days=1,
                     horizon_days=1, course_gap=0)  # fmt: skip
    pain = only(result)["metrics"]["pain"]
    assert (pain["baseline_days"], pain["followup_days"]) == (1, 1)
    assert only(result)["relief"] == {"onset_day": None, "duration_days": 0, "ongoing": False}


def test_negative_course_gap_is_an_error_that_says_what_is_expected() -> None:
    with pytest.raises(PaindiaryError) as raised:
        analysis.group_courses([session(1)], -1)
    assert str(raised.value) == "course gap: -1 is not valid; expected 0 or more days."
    assert len(analysis.group_courses([session(1), session(1, "15:00:00")], 0)) == 1


def test_summary_by_anything_but_week_or_month_is_an_error() -> None:
    with pytest.raises(PaindiaryError) as raised:
        summarize([entry(day(0), 5)], [], by="year")
    assert str(raised.value) == "--by: 'year' is not valid; expected week or month."


# --- explanations of insufficient data ------------------------------------------------------


def reasons(values: dict[int, float], sessions: list[Any], **options: Any) -> dict[str, str]:
    result = analysis.analyze(pains(values), sessions, [], **options)
    return analysis.insufficient_reasons(result, sessions)


def test_reasons_give_the_window_counts_and_the_neighbouring_course_that_cut_it() -> None:
    values = {n: 8.0 for n in range(0, 30)}
    del values[11], values[12]
    # courses {5}, {9}, {14}: course 9 follows on days 10..13, course 14 has baseline days 10..13
    assert reasons(values, [session(5), session(9), session(14)], course_gap=2) == {
        at(9, "09:00:00"): f"pain on 2 of the 4 follow-up days (needs 3); the next course started on {day(14)}.",
        at(14, "09:00:00"): f"pain on 2 of the 4 baseline days (needs 3); the previous course ended on {day(9)}.",
    }


def test_reasons_for_empty_and_one_day_windows() -> None:
    values = {n: 8.0 for n in range(0, 30)}
    assert reasons(values, [session(9), session(10)], course_gap=0) == {
        at(9, "09:00:00"): f"pain on 0 of the 0 follow-up days (needs 3); the next course started on {day(10)}.",
        at(10, "09:00:00"): f"pain on 0 of the 0 baseline days (needs 3); the previous course ended on {day(9)}.",
    }
    assert reasons(values, [session(9), session(11)], course_gap=0) == {
        at(9, "09:00:00"): f"pain on 1 of the 1 follow-up day (needs 3); the next course started on {day(11)}.",
        at(11, "09:00:00"): f"pain on 1 of the 1 baseline day (needs 3); the previous course ended on {day(9)}.",
    }


def test_reasons_name_no_neighbour_when_the_windows_were_not_cut() -> None:
    # courses on days 8 and 16 (gap 3): the windows 1..7, 9..15 and 9..15, 17..23 touch but are whole
    values = {n: 8.0 for n in (1, 2, 9, 10, 17)}
    assert reasons(values, [session(8), session(16)]) == {
        at(8, "09:00:00"): "pain on 2 of the 7 baseline days (needs 3); pain on 2 of the 7 follow-up days (needs 3).",
        at(16, "09:00:00"): "pain on 2 of the 7 baseline days (needs 3); pain on 1 of the 7 follow-up days (needs 3).",
    }
    assert reasons({}, [session(8)], min_days=1) == {
        at(8, "09:00:00"): "pain on 0 of the 7 baseline days (needs 1); pain on 0 of the 7 follow-up days (needs 1)."
    }


def test_reasons_leave_out_courses_with_enough_data() -> None:
    values = {n: 8.0 for n in range(0, 30)}
    assert reasons(values, [session(10)]) == {}
    only_follow = {n: 8.0 for n in range(11, 18)}
    assert reasons(only_follow, [session(10)], min_days=2) == {
        at(10, "09:00:00"): "pain on 0 of the 7 baseline days (needs 2)."
    }


# --- MME by hand ----------------------------------------------------------------------------


def test_mme_factor_is_looked_up_per_name_and_unit() -> None:
    # the same name in mcg (not converted) and in mg (1.5 MME per mg), in both orders
    meds = [
        med(at(0, "08:00:00"), "oxycodone", 10, "mcg"),
        med(at(0, "20:00:00"), "oxycodone", 10),
        med(at(1, "08:00:00"), "oxycodone", 20),
        med(at(1, "20:00:00"), "oxycodone", 20, "mcg"),
        med(at(1, "21:00:00"), "morphine", 4),
    ]
    assert analysis.daily_mme([], meds) == {day(0): 15.0, day(1): 34.0}
    assert analysis.unconverted_opioid_doses(meds) == 2


# --- summaries by hand -------------------------------------------------------------------------


def test_summary_weeks_start_on_monday_whatever_the_first_diary_day() -> None:
    # 2026-03-04 is a Wednesday of ISO week 10 (Monday 2 March); 2026-03-15 is a Sunday
    entries = [entry("2026-03-04", 6), entry("2026-03-07T10:00:00", 2), entry("2026-03-15", 5)]
    rows = summarize(entries, [med("2026-03-10T08:00:00", "morphine", 30)], by="week")
    assert [(r["period"], r["start"], r["end"], r["days_logged"], r["pain"], r["mme"]) for r in rows] == [
        ("2026-W10", "2026-03-02", "2026-03-08", 2, 4.0, 0.0),
        ("2026-W11", "2026-03-09", "2026-03-15", 1, 5.0, 15.0),  # MME: 30 on the 10th, 0 on the 15th
    ]


def test_summary_since_and_until_inside_a_week_cut_it_to_those_days() -> None:
    entries = pains({n: float(n) for n in range(0, 21)})  # 2026-03-01 (a Sunday) .. 2026-03-21
    rows = summarize(entries, [], by="week", since="2026-03-04", until="2026-03-10")
    assert [(r["period"], r["start"], r["end"], r["days_logged"], r["pain"]) for r in rows] == [
        ("2026-W10", "2026-03-04", "2026-03-08", 5, 5.0),  # days 3..7
        ("2026-W11", "2026-03-09", "2026-03-10", 2, 8.5),  # days 8, 9
    ]


def test_summary_lists_a_last_diary_day_that_opens_a_new_period() -> None:
    # the last diary day is the first day of the next week, and of the next month
    weeks = summarize([entry("2026-03-08", 4), entry("2026-03-09", 6)], [], by="week")
    assert [(r["period"], r["pain"]) for r in weeks] == [("2026-W10", 4.0), ("2026-W11", 6.0)]
    months = summarize([entry("2026-03-31", 4), entry("2026-04-01", 6)], [], by="month")
    assert [(r["period"], r["pain"]) for r in months] == [("2026-03", 4.0), ("2026-04", 6.0)]


def test_summary_since_and_until_include_their_own_day() -> None:
    entries = pains({n: float(n) for n in range(0, 10)})
    one_day = [("2026-W10", "2026-03-05", "2026-03-05", 1, 4.0)]
    for since, until in [(day(4), day(4)), (f"{day(4)}T23:00:00", f"{day(4)}T01:00:00")]:  # a stamp counts as its day
        rows = summarize(entries, [], since=since, until=until)
        assert [(r["period"], r["start"], r["end"], r["days_logged"], r["pain"]) for r in rows] == one_day
    assert [r["start"] for r in summarize(entries, [], since=day(9))] == [day(9)]
    assert [r["end"] for r in summarize(entries, [], until=day(0))] == [day(0)]


# --- daily values and windows by hand ----------------------------------------------------------


def test_peg_score_of_one_entry_is_the_mean_of_its_three_items() -> None:
    daily = analysis.daily_values([entry(at(0), 6, enjoyment=3, activity=0), entry(at(1), 1, enjoyment=2, activity=6)])
    assert daily["peg"] == {day(0): 3.0, day(1): 3.0}


def test_response_bounds_are_inclusive_within_the_rounding_tolerance() -> None:
    assert analysis.response(-50.0 + analysis.EPSILON) == "substantial"
    assert analysis.response(-30.0 + analysis.EPSILON) == "moderate"
    assert analysis.response(-10.0 + analysis.EPSILON) == "minimal"
    assert analysis.response(-10.0 + 2 * analysis.EPSILON) == "none"
    assert analysis.response(None) is None


def test_course_windows_defaults_are_seven_days_either_side_and_a_28_day_horizon() -> None:
    (window,) = analysis.course_windows([session(10), session(12)])
    assert window == analysis.CourseWindows(
        first_session=at(10, "09:00:00"), first_day=day(10), last_day=day(12),
        baseline=(day(3), day(9)), followup=(day(13), day(19)), relief=(day(13), day(40)),
        previous_last_day=None, next_first_day=None,
    )  # fmt: skip


def test_course_windows_of_back_to_back_courses_are_empty_or_one_day() -> None:
    first, second = analysis.course_windows([session(9), session(10)], course_gap=0)
    assert (first.followup, second.baseline) == (None, None)
    assert (first.next_first_day, second.previous_last_day) == (day(10), day(9))
    assert first.relief == (day(10), day(9))  # no day to look for relief in
    first, second = analysis.course_windows([session(9), session(11)], course_gap=0)
    assert (first.followup, second.baseline) == ((day(10), day(10)), (day(10), day(10)))


def test_reasons_use_the_analysis_windows_not_the_defaults() -> None:
    values = {n: 8.0 for n in (5, 8, 12, 13)}
    assert reasons(values, [session(10)], baseline_days=5, followup_days=3) == {
        at(10, "09:00:00"): "pain on 2 of the 5 baseline days (needs 3); pain on 2 of the 3 follow-up days (needs 3)."
    }


def test_analyze_since_and_until_as_stamps_select_courses_by_their_day() -> None:
    sessions = [session(5), session(20)]
    firsts = [c["first_session"] for c in analyze([], sessions, [], since=f"{day(5)}T23:00:00")["courses"]]
    assert firsts == [at(5, "09:00:00"), at(20, "09:00:00")]
    firsts = [c["first_session"] for c in analyze([], sessions, [], until=f"{day(20)}T01:00:00")["courses"]]
    assert firsts == [at(5, "09:00:00"), at(20, "09:00:00")]


# --- relief at the threshold ------------------------------------------------------------------


def test_relief_starts_and_lasts_while_the_rolling_mean_is_within_the_tolerance_of_the_threshold() -> None:
    # baseline 10: threshold 7; a day whose 7-day mean is 7 + EPSILON is still relief
    edge = (100 - analysis.RELIEF_THRESHOLD_PCT) / 100 * 10 + analysis.EPSILON
    pain = {11: edge, 20: edge, 30: 9.0}  # days 20 and 30 each have their 7-day window to themselves
    assert analysis.relief(pain, 10, 10, 40) == analysis.Relief(onset_day=1, duration_days=19, ongoing=False)
    assert analysis.relief({11: edge + 1e-6}, 10, 10, 40) == analysis.Relief(None, 0, False)


# --- courses ------------------------------------------------------------------------------------


def test_sessions_up_to_three_days_apart_form_one_course_by_default() -> None:
    courses = analysis.group_courses([session(0), session(3), session(7)])
    assert [[s.started_at for s in c] for c in courses] == [[at(0, "09:00:00"), at(3, "09:00:00")], [at(7, "09:00:00")]]


def test_a_course_ends_its_windows_the_day_before_the_next_course_starts() -> None:
    # courses {5} and {12, 14}: course 5's follow-up and relief stop on day 11, before day 12
    first, second = analysis.course_windows([session(5), session(12), session(14)])
    assert (first.followup, first.relief, first.next_first_day) == ((day(6), day(11)), (day(6), day(11)), day(12))
    assert (second.baseline, second.previous_last_day) == ((day(6), day(11)), day(5))
    values = {n: 8.0 for n in range(0, 5)} | {n: 2.0 for n in range(6, 20)}
    course = analyze(pains(values), [session(5), session(12), session(14)], [])["courses"][0]
    assert course["metrics"]["pain"]["followup_days"] == 6
    assert course["relief"] == {"onset_day": 1, "duration_days": 6, "ongoing": True}
