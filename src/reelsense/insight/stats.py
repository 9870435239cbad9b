"""Is one film rated higher than another? Tests, effect sizes and intervals in plain words.

Two samples of ratings (one per film) are compared three ways:

- the Mann–Whitney U test (two-sided, :func:`scipy.stats.mannwhitneyu`) for
  whether the difference could be chance;
- the probability of superiority: picking one review of each at random, how
  often the first film's rating is higher, lower or equal, with Cliff's delta
  (= the rank-biserial correlation of U) as the effect size;
- a seeded percentile bootstrap 95% interval for the difference in mean rating.

:func:`explain` turns the result into sentences a non-statistician can read.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from reelsense.errors import ConfigError
from reelsense.insight.terms import distinctive_terms

__all__ = [
    "RatingComparison",
    "bootstrap_mean_difference",
    "compare_ratings",
    "distinctive_terms",
    "explain",
    "pairwise_shares",
]

logger = logging.getLogger(__name__)

SMALL_SAMPLE = 10
"""Below this many ratings on either side, results are worded as tentative."""

_BOOTSTRAP_CELLS = 2_000_000
"""Upper bound on resample-matrix cells drawn at once (memory stays flat)."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RatingComparison:
    """How ratings of ``label_a`` compare with those of ``label_b``.

    ``mean_difference`` is mean(a) − mean(b) with the bootstrap interval
    ``ci_low``..``ci_high`` (``confidence``, 0.95 by default).
    ``share_higher``/``share_lower``/``share_equal`` are over all pairs (one
    rating of each); ``prob_superiority`` = higher + equal / 2 = U / (n_a·n_b);
    ``cliffs_delta`` = higher − lower, equal to the rank-biserial correlation.
    """

    label_a: str
    label_b: str
    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    median_a: float
    median_b: float
    mean_difference: float
    ci_low: float
    ci_high: float
    confidence: float
    u_statistic: float
    p_value: float
    share_higher: float
    share_lower: float
    share_equal: float
    prob_superiority: float
    cliffs_delta: float

    @property
    def rank_biserial(self) -> float:
        """The rank-biserial correlation 2·U/(n_a·n_b) − 1 (same value as Cliff's delta)."""
        return 2.0 * self.prob_superiority - 1.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field plus ``rank_biserial`` and ``explanation``."""
        data = asdict(self)
        data["rank_biserial"] = self.rank_biserial
        data["explanation"] = explain(self)
        return data


def _as_array(values: Sequence[float] | FloatArray, name: str) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ConfigError(f"{name}: need at least one rating to compare, got {array.size}")
    if not np.all(np.isfinite(array)):
        raise ConfigError(f"{name}: ratings must be finite numbers")
    return array


def pairwise_shares(
    a: Sequence[float] | FloatArray, b: Sequence[float] | FloatArray
) -> tuple[float, float, float]:
    """Shares of pairs (one of ``a``, one of ``b``) where a's is higher, lower, equal.

    Counted exactly in O(n log n) by sorting ``b``.

    >>> pairwise_shares([3, 5], [4])
    (0.5, 0.5, 0.0)
    """
    xa, xb = _as_array(a, "a"), np.sort(_as_array(b, "b"))
    below = np.searchsorted(xb, xa, side="left").sum()
    not_above = np.searchsorted(xb, xa, side="right").sum()
    pairs = float(xa.size * xb.size)
    higher = float(below) / pairs
    equal = float(not_above - below) / pairs
    return higher, 1.0 - higher - equal, equal


def bootstrap_mean_difference(
    a: Sequence[float] | FloatArray,
    b: Sequence[float] | FloatArray,
    *,
    resamples: int = 10_000,
    confidence: float = 0.95,
    random_state: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval for mean(a) − mean(b).

    Each resample draws ``len(a)`` ratings from ``a`` and ``len(b)`` from
    ``b`` with replacement; the interval is the central ``confidence`` share
    of the resampled differences. Seeded, so the same input gives the same
    interval.

    Raises
    ------
    ConfigError
        An empty sample, fewer than 100 resamples or a confidence outside (0, 1).

    >>> low, high = bootstrap_mean_difference([8, 9, 9, 10], [4, 5, 6, 5])
    >>> 2.0 < low < high < 5.5
    True
    """
    xa, xb = _as_array(a, "a"), _as_array(b, "b")
    if resamples < 100:
        raise ConfigError(f"bootstrap needs at least 100 resamples, not {resamples}")
    if not 0.0 < confidence < 1.0:
        raise ConfigError(f"confidence must be between 0 and 1, not {confidence}")
    rng = np.random.default_rng(random_state)
    chunk = max(1, _BOOTSTRAP_CELLS // max(xa.size, xb.size))
    diffs = np.empty(resamples, dtype=np.float64)
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        mean_a = xa[rng.integers(0, xa.size, size=(size, xa.size))].mean(axis=1)
        mean_b = xb[rng.integers(0, xb.size, size=(size, xb.size))].mean(axis=1)
        diffs[start : start + size] = mean_a - mean_b
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(diffs, [tail, 100.0 - tail])
    return float(low), float(high)


def compare_ratings(
    a: Sequence[float] | FloatArray,
    b: Sequence[float] | FloatArray,
    *,
    label_a: str = "A",
    label_b: str = "B",
    resamples: int = 10_000,
    confidence: float = 0.95,
    random_state: int = 0,
) -> RatingComparison:
    """Compare two samples of ratings: Mann–Whitney U, effect sizes, bootstrap interval.

    Parameters
    ----------
    a, b:
        Ratings (1–10) of the two films; each needs at least one value.
    label_a, label_b:
        Names used by :func:`explain` (film titles).
    resamples, confidence, random_state:
        Passed to :func:`bootstrap_mean_difference`.

    Returns
    -------
    RatingComparison
        With U and its two-sided p-value for ``a`` (asymptotic with tie
        correction, or exact for small samples without ties, SciPy's choice).

    Raises
    ------
    ConfigError
        An empty sample.

    >>> result = compare_ratings([8, 9, 10, 9], [3, 4, 5, 4], label_a="X", label_b="Y")
    >>> result.share_higher
    1.0
    """
    xa, xb = _as_array(a, "a"), _as_array(b, "b")
    # Imported here: scipy.stats takes 0.4 s to import, and every CLI command would pay it.
    from scipy.stats import mannwhitneyu

    test = mannwhitneyu(xa, xb, alternative="two-sided")
    u_stat, p_value = float(test.statistic), float(test.pvalue)
    if math.isnan(p_value):  # identical constant samples: no evidence of any difference
        p_value = 1.0
    higher, lower, equal = pairwise_shares(xa, xb)
    low, high = bootstrap_mean_difference(
        xa, xb, resamples=resamples, confidence=confidence, random_state=random_state
    )
    logger.debug("compared %d vs %d ratings: U=%s p=%s", xa.size, xb.size, u_stat, p_value)
    return RatingComparison(
        label_a=label_a,
        label_b=label_b,
        n_a=int(xa.size),
        n_b=int(xb.size),
        mean_a=float(xa.mean()),
        mean_b=float(xb.mean()),
        median_a=float(np.median(xa)),
        median_b=float(np.median(xb)),
        mean_difference=float(xa.mean() - xb.mean()),
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        u_statistic=u_stat,
        p_value=p_value,
        share_higher=higher,
        share_lower=lower,
        share_equal=equal,
        prob_superiority=u_stat / (xa.size * xb.size),
        cliffs_delta=higher - lower,
    )


def _p_text(p: float) -> str:
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def _points(value: float) -> str:
    value = abs(value)
    return f"{value:.1f} point" + ("" if f"{value:.1f}" == "1.0" else "s")


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def explain(result: RatingComparison) -> str:
    """The comparison in words a non-statistician understands.

    Says which film is rated higher and by how much on average (with the
    interval), how likely such a difference is by chance, and how often one
    review of the first beats one of the second. Small samples and
    non-significant differences are worded as such: no claim of a difference
    the data do not support.

    >>> r = compare_ratings([9, 8, 9, 10] * 10, [5, 6, 4, 7] * 10, label_a="X", label_b="Y")
    >>> explain(r).startswith("Reviewers rate X higher than Y: on average by 3.5 points")
    True
    """
    a, b = result.label_a, result.label_b
    interval = (
        f"{round(result.confidence * 100)}% interval {result.ci_low:+.1f} to {result.ci_high:+.1f}"
    )
    significant = result.p_value < 0.05
    diff = result.mean_difference
    small = min(result.n_a, result.n_b) < SMALL_SAMPLE
    sentences: list[str] = []
    if abs(diff) < 0.05 and not significant:
        sentences.append(
            f"{a} and {b} get about the same ratings: mean {result.mean_a:.1f} vs "
            f"{result.mean_b:.1f} ({interval} points)."
        )
    elif significant:
        top, bottom = (a, b) if diff > 0 else (b, a)
        low, high = sorted((abs(result.ci_low), abs(result.ci_high)))
        if result.ci_low <= 0.0 <= result.ci_high:
            where = f"({interval} points, which includes no difference)"
        else:
            where = f"({round(result.confidence * 100)}% interval {low:.1f} to {high:.1f})"
        sentences.append(
            f"Reviewers rate {top} higher than {bottom}: on average by {_points(diff)} {where}."
        )
    else:
        top, bottom = (a, b) if diff > 0 else (b, a)
        sentences.append(
            f"{top}'s mean rating is {_points(diff)} higher than {bottom}'s "
            f"({result.mean_a:.1f} vs {result.mean_b:.1f}; {interval} points)."
        )
    if significant:
        strength = "very unlikely" if result.p_value < 0.001 else "unlikely"
        sentences.append(
            f"A difference this large would be {strength} by chance ({_p_text(result.p_value)})."
        )
    else:
        sentences.append(
            f"A difference like this could easily be chance ({_p_text(result.p_value)}): "
            "these reviews do not show that either film is rated higher."
        )
    first_wins = result.share_higher >= result.share_lower
    winner = a if first_wins else b
    wins, losses = (
        (result.share_higher, result.share_lower)
        if first_wins
        else (result.share_lower, result.share_higher)
    )
    tie = f", the same {_pct(result.share_equal)}" if result.share_equal >= 0.005 else ""
    sentences.append(
        f"Picking one review of each at random, {winner}'s is higher {_pct(wins)} "
        f"of the time, lower {_pct(losses)}{tie}."
    )
    if small:
        sentences.append(
            f"Only {result.n_a} and {result.n_b} ratings: too few to be sure, "
            "so treat this as a first impression."
        )
    return " ".join(sentences)
