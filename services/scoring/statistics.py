"""Pure statistics for curators: the Wilson interval of a pass rate and Moodle's classical item analysis.

Item analysis follows Moodle's quiz statistics report (docs.moodle.org/en/Quiz_statistics_calculations).
For item i over n results, x = the item's marks, X = the test total, R = X − x (the rest of the test):

* facility index F = 100 · mean(x) / max(x)                     (how easy: % of the item's marks earned)
* standard deviation SD = 100 · sqrt(Σ(x − x̄)² / (n − 1)) / max(x)
* discrimination index D = 100 · r(x, R), the Pearson correlation of the item with the rest of the test
  (the item is taken out of the total so it does not correlate with itself)
* discriminative efficiency DE = 100 · cov(x, R) / cov_max(x, R), where cov_max is the covariance the same
  marks would have if x and R were sorted in the same order (the best D the item's distribution allows)
* Cronbach's alpha (= KR-20 when every item is 0/1) α = 100 · k/(k − 1) · (1 − Σ var(x_i) / var(X))
* error ratio ER = 100 · sqrt(1 − α/100); standard error SE = ER/100 · SD(X) (in % of the test maximum)

All of these are functions of per-item sums (n, Σx, Σx², ΣR, ΣR², ΣxR and the sorted-pairs sum Σx₍ⱼ₎R₍ⱼ₎),
and those follow from the joint counts of (mark, rest) that the read model keeps per item (`item_cells`):
a few thousand rows per exam rather than every result. `item_statistics` goes the same way from a matrix.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson_interval(passed: int, attempts: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for passed/attempts (0..1).

    centre = (p + z²/2n) / (1 + z²/n); half-width = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n).
    Unlike p ± z·sqrt(p(1−p)/n) it stays inside [0, 1] and is wide for small groups, so a region with
    3 of 3 passed is not shown as certainly better than one with 900 of 1000.
    """
    if attempts <= 0:
        return 0.0, 0.0
    n = float(attempts)
    p = passed / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ItemSums:
    """Sufficient statistics of one item over the results that drew it."""

    n: int
    max_mark: float
    sx: float
    sxx: float
    sr: float
    srr: float
    sxr: float
    sorted_sxr: float  # Σ x₍ⱼ₎·R₍ⱼ₎ with x and R each sorted ascending


@dataclass(frozen=True)
class ItemStats:
    attempts: int
    facility_index: float
    standard_deviation: float
    discrimination_index: float
    discriminative_efficiency: float
    flags: tuple[str, ...]


@dataclass(frozen=True)
class TestStats:
    results: int
    mean_percent: float
    score_sd_percent: float
    cronbach_alpha: float
    error_ratio: float
    standard_error: float


def _variance(n: int, s: float, ss: float) -> float:
    """Sample variance (n − 1 in the denominator, as Moodle) from Σ and Σ²."""
    if n < 2:
        return 0.0
    return max(0.0, (ss - s * s / n) / (n - 1))


def flags_for(facility: float, discrimination: float) -> tuple[str, ...]:
    """Moodle's rules of thumb: facility outside 10–90 %, discrimination below 0.2 (20 %) or negative."""
    flags = []
    if facility > 90:
        flags.append("too_easy")
    if facility < 10:
        flags.append("too_hard")
    if discrimination < 0:
        flags.append("negative_discrimination")
    elif discrimination < 20:
        flags.append("low_discrimination")
    return tuple(flags)


def item_stats(s: ItemSums) -> ItemStats:
    if s.n == 0 or s.max_mark <= 0:
        return ItemStats(s.n, 0.0, 0.0, 0.0, 0.0, ())
    facility = 100.0 * (s.sx / s.n) / s.max_mark
    var_x = _variance(s.n, s.sx, s.sxx)
    var_r = _variance(s.n, s.sr, s.srr)
    sd = 100.0 * math.sqrt(var_x) / s.max_mark
    cov = (s.sxr - s.sx * s.sr / s.n) / (s.n - 1) if s.n > 1 else 0.0
    discrimination = 100.0 * cov / math.sqrt(var_x * var_r) if var_x > 0 and var_r > 0 else 0.0
    cov_max = (s.sorted_sxr - s.sx * s.sr / s.n) / (s.n - 1) if s.n > 1 else 0.0
    efficiency = 100.0 * cov / cov_max if cov_max > 1e-12 else 0.0
    return ItemStats(s.n, facility, sd, discrimination, efficiency, flags_for(facility, discrimination))


def test_stats(n: int, max_total: float, sum_total: float, sum_total_sq: float, item_variances: list[float]) -> TestStats:
    """Test-level figures from the totals' sums and the items' variances (marks, not percent)."""
    if n == 0 or max_total <= 0:
        return TestStats(n, 0.0, 0.0, 0.0, 0.0, 0.0)
    var_total = _variance(n, sum_total, sum_total_sq)
    k = len(item_variances)
    alpha = 0.0
    if k > 1 and var_total > 0:
        alpha = 100.0 * k / (k - 1) * (1 - sum(item_variances) / var_total)
    sd_percent = 100.0 * math.sqrt(var_total) / max_total
    error_ratio = 100.0 * math.sqrt(max(0.0, 1 - alpha / 100.0))
    return TestStats(n, 100.0 * sum_total / n / max_total, sd_percent, alpha, error_ratio, error_ratio / 100.0 * sd_percent)


def item_variance(s: ItemSums) -> float:
    return _variance(s.n, s.sx, s.sxx)


def sums_from_cells(cells: list[tuple[float, float, int]], max_mark: float) -> ItemSums:
    """ItemSums from the joint counts (mark, rest, results) of one item.

    The sorted pairing pairs the j-th smallest mark with the j-th smallest rest: walking both marginal
    distributions in ascending order and pairing off counts gives Σ x₍ⱼ₎R₍ⱼ₎ without listing the results.
    """
    n = sum(c for _, _, c in cells)
    marks: dict[float, int] = {}
    rests: dict[float, int] = {}
    for x, r, c in cells:
        marks[x] = marks.get(x, 0) + c
        rests[r] = rests.get(r, 0) + c
    xs, rs = sorted(marks.items()), sorted(rests.items())
    sorted_sxr, i, j = 0.0, 0, 0
    x_left, r_left = (xs[0][1] if xs else 0), (rs[0][1] if rs else 0)
    while i < len(xs) and j < len(rs):
        take = min(x_left, r_left)
        sorted_sxr += xs[i][0] * rs[j][0] * take
        x_left -= take
        r_left -= take
        if x_left == 0:
            i += 1
            x_left = xs[i][1] if i < len(xs) else 0
        if r_left == 0:
            j += 1
            r_left = rs[j][1] if j < len(rs) else 0
    return ItemSums(
        n=n, max_mark=max_mark, sx=sum(x * c for x, _, c in cells), sxx=sum(x * x * c for x, _, c in cells),
        sr=sum(r * c for _, r, c in cells), srr=sum(r * r * c for _, r, c in cells),
        sxr=sum(x * r * c for x, r, c in cells), sorted_sxr=sorted_sxr,
    )


def item_statistics(marks: list[list[float]], max_marks: list[float]) -> tuple[list[ItemStats], TestStats]:
    """The whole analysis from a results × items matrix of marks (every result drew every item), through
    the same joint counts the read model keeps."""
    totals = [sum(row) for row in marks]
    sums: list[ItemSums] = []
    for i, max_mark in enumerate(max_marks):
        counts: dict[tuple[float, float], int] = {}
        for row, total in zip(marks, totals, strict=True):
            cell = (row[i], total - row[i])
            counts[cell] = counts.get(cell, 0) + 1
        sums.append(sums_from_cells([(x, r, c) for (x, r), c in counts.items()], max_mark))
    test = test_stats(len(marks), sum(max_marks), sum(totals), sum(t * t for t in totals),
                      [item_variance(s) for s in sums])
    return [item_stats(s) for s in sums], test
