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
