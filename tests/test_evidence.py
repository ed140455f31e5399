"""Issue 11: nap, ci95 and baseline_slope on every metric of ``analyze``, computed by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_analysis import analyze, at, entry, med, only, pains, session

T_975_DF4 = 2.776445  # Student's t, 0.975 quantile, 4 degrees of freedom (published tables)
T_975_DF1 = 12.706205


def test_missing_days_ties_and_unequal_windows_by_hand() -> None:
    # session on day 10: baseline days 3..9, follow-up days 11..17
    records = [
        entry(at(3), 6), entry(at(5, "08:00:00"), 6), entry(at(5), 8), entry(at(9), 5),  # day 5: mean 7
        entry(at(11), 5), entry(at(13), 4), entry(at(17), 3), entry(at(18), 0),  # day 18: outside
    ]  # fmt: skip
    pain = only(analyze(records, [session(10)], []))["metrics"]["pain"]
    # pairs: 6 -> (5, 4, 3) all better; 7 -> all better; 5 -> 5 a tie, 4 and 3 better
    assert pain["nap"] == pytest.approx(8.5 / 9)
    # baseline (3, 6), (5, 7), (9, 5): mean x 17/3, Sxx 168/9, Sxy -4
    assert pain["baseline_slope"] == pytest.approx(-3 / 14)
    # both windows: variance 1 over 3 days; se sqrt(2/3), Welch df 4
    half = T_975_DF4 * math.sqrt(2 / 3)
    assert pain["change"] == -2
    assert pain["ci95"] == pytest.approx([-2 - half, -2 + half], abs=1e-6)


def test_higher_is_better_for_mood_and_unequal_variances() -> None:
    records = [entry(at(8), 5, mood=4), entry(at(9), 5, mood=4), entry(at(11), 5, mood=6), entry(at(12), 5, mood=4)]
    metrics = only(analyze(records, [session(10)], []))["metrics"]
    mood = metrics["mood"]
    assert mood["nap"] == 0.75  # 4 -> 6 better twice, 4 -> 4 tied twice: (2 + 0.5 x 2) / 4
    # baseline has no spread, follow-up variance 2: se 1, df 1
    assert mood["ci95"] == pytest.approx([1 - T_975_DF1, 1 + T_975_DF1], abs=1e-6)
    assert mood["baseline_slope"] is None  # two baseline values
    pain = metrics["pain"]
    assert (pain["nap"], pain["ci95"], pain["baseline_slope"]) == (0.5, [0.0, 0.0], None)  # all ties, se 0


def test_nulls_when_a_window_is_too_small() -> None:
    records = [entry(at(7), 6), entry(at(8), 6), entry(at(9), 4), entry(at(11), 3)]
    metrics = only(analyze(records, [session(10)], []))["metrics"]
    pain = metrics["pain"]
    assert pain["nap"] == pytest.approx(1.0)
    assert pain["ci95"] is None  # one follow-up value
    assert pain["baseline_slope"] == pytest.approx(-1.0)  # (7, 6), (8, 6), (9, 4)
    assert (metrics["sleep_hours"]["nap"], metrics["sleep_hours"]["ci95"]) == (None, None)  # never logged


def test_mme_is_better_when_lower_and_keys_follow_the_old_ones() -> None:
    records = [entry(at(n), 5) for n in (7, 8, 9, 11, 12)]
    meds = [med(at(n, "10:00:00"), "oxycodone", 10) for n in (7, 8, 9)] + [med(at(11, "10:00:00"), "oxycodone", 5)]
    course = only(analyze(records, [session(10)], meds))
    mme = course["metrics"]["mme"]
    assert mme["nap"] == 1.0  # 15 before every day, 7.5 and 0 after
    assert list(mme)[-3:] == ["nap", "ci95", "baseline_slope"]
    assert list(course["metrics"]["pain"])[:7] == [
        "baseline_mean", "baseline_days", "followup_mean", "followup_days", "change", "pct_change", "response",
    ]  # fmt: skip


values = st.dictionaries(st.integers(0, 6), st.integers(0, 10), min_size=2)


@settings(max_examples=60, deadline=None)
@given(values, values)
def test_nap_is_a_share_swaps_to_its_complement_and_the_interval_holds_the_change(
    before: dict[int, int], after: dict[int, int]
) -> None:
    def pain_of(base: dict[int, int], follow: dict[int, int]) -> Any:
        records = pains({3 + n: v for n, v in base.items()} | {11 + n: v for n, v in follow.items()})
        return only(analyze(records, [session(10)], []))["metrics"]["pain"]

    forward, backward = pain_of(before, after), pain_of(after, before)
    assert 0 <= forward["nap"] <= 1
    assert forward["nap"] + backward["nap"] == pytest.approx(1)
    low, high = forward["ci95"]
    assert low <= forward["change"] <= high
