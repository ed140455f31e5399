"""Small, exact statistics for one patient's before/after evidence (pure, no numpy).

* :func:`nap`: Non-overlap of All Pairs (Parker and Vannest, Behavior Therapy 2009).
* :func:`welch_interval`: a 95% interval for a difference of means with unequal
  variances (Welch, Biometrika 1947), using :func:`t_quantile`.
* :func:`slope`: the least-squares slope of values against their day numbers.
* :func:`t_quantile`: Student's t quantile for any (also fractional) degrees of
  freedom, from the regularized incomplete beta function; accurate to well under
  1e-6 (checked against published tables in the tests).

These are small enough to write out exactly, and a statistics library would be a
large dependency for three formulas.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

_EPS = 1e-15
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz's method)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def incomplete_beta(a: float, b: float, x: float, y: float | None = None) -> float:
    """The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1.

    ``y`` is ``1 - x`` when the caller knows it more precisely than the subtraction.
    """
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, y) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` > 0 degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t), t * t / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` > 0 degrees of freedom (0 < p < 1)."""
    if not 0.0 < p < 1.0 or not df > 0.0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if df > 1e6:  # the beta function loses precision here; Cornish-Fisher is exact to ~1e-12
        return _cornish_fisher(p, df)
    found = _newton(p, df)
    return found if found is not None else _bisect(lambda t: t_cdf(t, df), p)


@lru_cache(maxsize=64)
def _normal_quantile(p: float) -> float:
    """The ``p`` >= 0.5 quantile of the standard normal distribution (``analyze`` asks for one p only)."""
    return _bisect(lambda x: 0.5 * math.erfc(-x / math.sqrt(2.0)), p)


def _cornish_fisher(p: float, df: float) -> float:
    """The t quantile's expansion in 1/df around the normal one (Cornish and Fisher), to 1/df²."""
    z = _normal_quantile(p)
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def t_pdf(t: float, df: float) -> float:
    """The density of Student's t with ``df`` > 0 degrees of freedom at ``t``."""
    log_norm = math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
    return math.exp(log_norm - (df + 1.0) / 2.0 * math.log1p(t * t / df))


def _newton(p: float, df: float) -> float | None:
    """The ``p`` >= 0.5 quantile by Newton's method; ``None`` if it does not settle.

    It starts from the Cornish-Fisher expansion; the t distribution function is concave
    for t > 0, so from any start the steps reach the root from below, rising: a few
    steps instead of the bisection's forty or more (``analyze`` asks for one per metric
    and course). A step that leaves t > 0 gives up, and the caller bisects.
    """
    x = _cornish_fisher(p, df)  # close for large df, below the root for small ones
    for _ in range(100):
        step = (t_cdf(x, df) - p) / t_pdf(x, df)
        x -= step
        if not math.isfinite(x) or x < 0.0:
            return None
        if abs(step) <= 1e-12 * max(1.0, x):
            return x
    return None


def _bisect(cdf: Callable[[float], float], p: float) -> float:
    """The x >= 0 with ``cdf(x) == p`` for an increasing ``cdf`` and p >= 0.5."""
    low, high = 0.0, 1.0
    while cdf(high) < p:  # the quantile lies in [low, high]
        low, high = high, high * 2.0
    for _ in range(200):  # bisection: each step halves the bracket
        mid = (low + high) / 2.0
        if cdf(mid) < p:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    """Sample variance (divisor n - 1)."""
    mean = _mean(values)
    return math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1)


def nap(baseline: Sequence[float], followup: Sequence[float], *, lower_is_better: bool) -> float | None:
    """Non-overlap of All Pairs: the share of (baseline, follow-up) pairs that improved, ties half.

    0.5 is what chance gives; 1 means every follow-up value is better than every
    baseline value. ``None`` when either window has no value.
    """
    if not baseline or not followup:
        return None
    better = ties = 0
    for before in baseline:
        for after in followup:
            if after == before:
                ties += 1
            elif (after < before) == lower_is_better:
                better += 1
    return (better + 0.5 * ties) / (len(baseline) * len(followup))


def welch_interval(
    baseline: Sequence[float], followup: Sequence[float], level: float = 0.95
) -> tuple[float, float] | None:
    """A ``level`` interval for mean(follow-up) - mean(baseline) by Welch's t.

    ``None`` when either window has fewer than 2 values; ``(change, change)``
    when both windows have no spread (the standard error is 0).
    """
    nb, nf = len(baseline), len(followup)
    if nb < 2 or nf < 2:
        return None
    change = _mean(followup) - _mean(baseline)
    vb, vf = _variance(baseline) / nb, _variance(followup) / nf
    se = math.sqrt(vb + vf)
    if se == 0.0:
        return (change, change)
    df = (vb + vf) ** 2 / (vb**2 / (nb - 1) + vf**2 / (nf - 1))
    half = t_quantile(0.5 + level / 2.0, df) * se
    return (change - half, change + half)


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of ``(x, y)`` points (units of y per unit of x); ``None`` below 3 points."""
    if len(points) < 3:
        return None
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mx, my = _mean(xs), _mean(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    if sxx == 0.0:
        return None
    return math.fsum((x - mx) * (y - my) for x, y in points) / sxx
