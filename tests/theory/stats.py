"""Statistics for the theory spec suite: means with standard errors, proportions with Wilson
intervals, rank correlation, and assertions that state their margin.

Each experiment asserts a direction with a margin: a difference larger than `k` standard errors
(`k = 3` unless a test says otherwise; under the null a normal statistic exceeds 3 with probability
0.13%), or a proportion whose Wilson interval lies where the literature says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

K = 3.0
"""Default margin, in standard errors."""
Z99 = 2.576
"""Two-sided 99% normal quantile, for Wilson intervals."""


@dataclass(frozen=True)
class Estimate:
    """A mean (or difference of means) and its standard error."""

    mean: float
    se: float
    n: int

    @property
    def z(self) -> float:
        return self.mean / self.se if self.se > 0 else (math.inf if self.mean > 0 else -math.inf)

    def __str__(self) -> str:
        return f"{self.mean:.4f} (SE {self.se:.4f}, n={self.n})"


def mean(xs: Sequence[float]) -> Estimate:
    n = len(xs)
    if n < 2:
        raise ValueError("need at least two observations")
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return Estimate(m, math.sqrt(var / n), n)


def paired(a: Sequence[float], b: Sequence[float]) -> Estimate:
    """Mean of a - b over matched observations (the same world under two treatments)."""
    if len(a) != len(b):
        raise ValueError("paired samples differ in length")
    return mean([x - y for x, y in zip(a, b, strict=True)])


def difference(a: Sequence[float], b: Sequence[float]) -> Estimate:
    """Difference of two independent means, with Welch's standard error."""
    ea, eb = mean(a), mean(b)
    return Estimate(ea.mean - eb.mean, math.sqrt(ea.se**2 + eb.se**2), ea.n + eb.n)


def proportion(k: int, n: int) -> Estimate:
    p = k / n
    return Estimate(p, math.sqrt(max(p * (1 - p), 1e-12) / n), n)


def proportion_difference(k1: int, n1: int, k2: int, n2: int) -> Estimate:
    """p1 - p2 with the unpooled standard error."""
    p1, p2 = k1 / n1, k2 / n2
    se = math.sqrt(max(p1 * (1 - p1), 1e-12) / n1 + max(p2 * (1 - p2), 1e-12) / n2)
    return Estimate(p1 - p2, se, n1 + n2)


def wilson(k: int, n: int, z: float = Z99) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (99% by default)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def ranks(xs: Sequence[float]) -> list[float]:
    """Ranks from 1, ties given their mean rank."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (Pearson's on ranks); 0 when either side is constant."""
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0


def assert_positive(est: Estimate, what: str, k: float = K) -> None:
    """Assert est.mean > k * est.se: the effect has the predicted sign with a margin of k SE."""
    assert est.mean > k * est.se, f"{what}: expected > {k:g} SE above 0, got {est} (z = {est.z:.2f})"


def assert_within(k_hits: int, n: int, low: float, high: float, what: str, z: float = Z99) -> tuple[float, float]:
    """Assert the Wilson interval of k_hits / n lies inside [low, high]."""
    lo, hi = wilson(k_hits, n, z)
    why = f"{what}: {k_hits}/{n} = {k_hits / n:.3f}, Wilson interval (z={z:g}) [{lo:.3f}, {hi:.3f}]"
    assert low <= lo, f"{why} reaches below {low}"
    assert hi <= high, f"{why} reaches above {high}"
    return lo, hi


def report(proposition: str, **figures: object) -> None:
    """Print an experiment's figures (shown with `pytest -s`), for the record."""
    print(f"\n[{proposition}] " + "; ".join(f"{k} = {v}" for k, v in figures.items()))


def ratio(hits: Sequence[float], totals: Sequence[float]) -> Estimate:
    """Pooled rate sum(hits) / sum(totals) over clusters (e.g. games), with the cluster-robust
    (linearised) standard error, so correlated answers within a game do not overstate precision."""
    g = len(totals)
    if g < 2 or sum(totals) <= 0:
        raise ValueError("need at least two clusters with observations")
    p = sum(hits) / sum(totals)
    mean_total = sum(totals) / g
    var = sum((h - p * n) ** 2 for h, n in zip(hits, totals, strict=True)) / (g * (g - 1) * mean_total**2)
    return Estimate(p, math.sqrt(var), int(sum(totals)))


def assert_vanishes(est: Estimate, what: str, z: float = Z99) -> None:
    """Assert an ablated effect is gone: no longer significant in the predicted direction at the 99% level
    (mean <= z * se; a reversal also counts as gone). Used with `assert_positive` on the paired drop
    (effect with the mechanism - effect without), so a vanishing effect is also a significantly smaller one."""
    assert est.mean <= z * est.se, f"{what}: expected the effect gone (z <= {z:g}), got {est} (z = {est.z:.2f})"
