"""paindiary.stats: hand-computed values, published t tables and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paindiary import stats

# Student's t quantiles as printed in standard tables (9 significant digits).
PUBLISHED_T = [
    (0.975, 1, 12.7062047),
    (0.975, 2, 4.30265273),
    (0.975, 3, 3.18244631),
    (0.975, 4, 2.77644511),
    (0.975, 5, 2.57058184),
    (0.975, 10, 2.22813885),
    (0.975, 20, 2.08596345),
    (0.975, 30, 2.04227246),
    (0.975, 100, 1.98397152),
    (0.95, 5, 2.01504837),
    (0.995, 10, 3.16927267),
    (0.9, 1, 3.07768354),
    (0.975, 1e9, 1.95996398),
]


@pytest.mark.parametrize(("p", "df", "expected"), PUBLISHED_T)
def test_t_quantile_matches_published_tables(p: float, df: float, expected: float) -> None:
    assert stats.t_quantile(p, df) == pytest.approx(expected, abs=1e-6)
    assert stats.t_quantile(1 - p, df) == pytest.approx(-expected, abs=1e-6)


def test_t_quantile_fractional_degrees_of_freedom_lie_between_their_neighbours() -> None:
    assert stats.t_quantile(0.975, 4) > stats.t_quantile(0.975, 4.5) > stats.t_quantile(0.975, 5)
    assert stats.t_cdf(stats.t_quantile(0.975, 4.5), 4.5) == pytest.approx(0.975, abs=1e-12)


@pytest.mark.parametrize("df", [1, 1.5, 2, 3.7, 7, 12.25, 40, 250, 5_000, 200_000])
@pytest.mark.parametrize("p", [0.55, 0.9, 0.975, 0.995, 0.9995])
def test_t_quantile_newton_steps_agree_with_bisection(p: float, df: float) -> None:
    by_bisection = stats._bisect(lambda t: stats.t_cdf(t, df), p)
    assert stats.t_quantile(p, df) == pytest.approx(by_bisection, rel=1e-9, abs=1e-9)
    assert stats.t_cdf(stats.t_quantile(p, df), df) == pytest.approx(p, abs=1e-12)


def test_t_pdf_is_the_derivative_of_the_cdf() -> None:
    for df in (1, 2.5, 30):
        for t in (0.0, 0.7, 3.0):
            slope = (stats.t_cdf(t + 1e-6, df) - stats.t_cdf(t - 1e-6, df)) / 2e-6
            assert stats.t_pdf(t, df) == pytest.approx(slope, rel=1e-6)


def test_t_quantile_refuses_impossible_arguments() -> None:
    for p, df in [(0, 3), (1, 3), (0.5, 0), (0.9, -1)]:
        with pytest.raises(ValueError):
            stats.t_quantile(p, df)


def test_nap_counts_ties_as_half() -> None:
    # pairs (b, f): (5,4) better, (5,5) tie, (6,4) better, (6,5) better -> (3 + 0.5) / 4
    assert stats.nap([5, 6], [4, 5], lower_is_better=True) == 0.875
    assert stats.nap([5, 6], [4, 5], lower_is_better=False) == 0.125
    assert stats.nap([3, 3], [3], lower_is_better=True) == 0.5
    assert stats.nap([], [1], lower_is_better=True) is None
    assert stats.nap([1], [], lower_is_better=True) is None


def test_welch_interval_by_hand_with_unequal_variances() -> None:
    baseline, followup = [6.0, 7.0, 8.0], [3.0, 5.0, 7.0, 9.0]
    # means 7 and 6; variances 1 and 20/3; se = sqrt(1/3 + 5/3) = sqrt(2);
    # Welch-Satterthwaite df = 2**2 / ((1/3)**2/2 + (5/3)**2/3) = 216/53; t(0.975, 216/53) = 2.769...
    # Reference (scipy.stats.ttest_ind(..., equal_var=False)): -4.897975451, 2.897975451
    low, high = stats.welch_interval(baseline, followup) or (0, 0)
    assert low == pytest.approx(-4.897975451, abs=1e-6)
    assert high == pytest.approx(2.897975451, abs=1e-6)


def test_welch_interval_edges() -> None:
    assert stats.welch_interval([5.0, 5.0], [3.0, 3.0, 3.0]) == (-2.0, -2.0)  # no spread: se 0
    assert stats.welch_interval([5.0], [3.0, 4.0]) is None
    assert stats.welch_interval([5.0, 6.0], [3.0]) is None


def test_slope_by_hand_and_with_missing_days() -> None:
    assert stats.slope([(0, 7.0), (1, 6.0), (2, 5.0)]) == pytest.approx(-1.0)
    # days 0, 1 and 4 (2 and 3 not logged): mean x 5/3, mean y 6
    points = [(0, 7.0), (1, 6.5), (4, 4.5)]
    sxy = sum((x - 5 / 3) * (y - 6) for x, y in points)
    sxx = sum((x - 5 / 3) ** 2 for x, _ in points)
    assert stats.slope(points) == pytest.approx(sxy / sxx)
    assert stats.slope([(0, 1.0), (1, 2.0)]) is None


scores = st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), min_size=1, max_size=15)


@given(scores, scores, st.booleans())
def test_nap_is_a_share_and_swapping_windows_gives_its_complement(
    baseline: list[float], followup: list[float], lower: bool
) -> None:
    forward = stats.nap(baseline, followup, lower_is_better=lower)
    backward = stats.nap(followup, baseline, lower_is_better=lower)
    assert forward is not None and backward is not None
    assert 0 <= forward <= 1
    assert forward + backward == pytest.approx(1.0)


@given(scores, scores)
def test_the_interval_contains_the_change(baseline: list[float], followup: list[float]) -> None:
    interval = stats.welch_interval(baseline, followup)
    if len(baseline) < 2 or len(followup) < 2:
        assert interval is None
        return
    assert interval is not None
    change = math.fsum(followup) / len(followup) - math.fsum(baseline) / len(baseline)
    assert interval[0] <= change + 1e-9 and change - 1e-9 <= interval[1]
