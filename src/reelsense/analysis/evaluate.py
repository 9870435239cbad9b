"""Evaluation metrics for polarity and rating predictions (plain functions over arrays).

Example
-------
>>> import numpy as np
>>> m = evaluate_predictions(np.array([1, 0]), np.array([0.9, 0.2]))
>>> m.accuracy
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from reelsense.errors import ConfigError

__all__ = [
    "DEFAULT_LENGTH_BUCKETS",
    "EvaluationReport",
    "LengthBucket",
    "accuracy",
    "evaluate_predictions",
    "expected_calibration_error",
    "f1_score",
    "rating_mae",
    "roc_auc",
]

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike
DEFAULT_LENGTH_BUCKETS: tuple[int, ...] = (0, 100, 250, 500, 1000)


@dataclass(frozen=True)
class LengthBucket:
    """Accuracy (and rating MAE when ratings are given) of reviews in a word-count range."""

    min_words: int
    max_words: int | None
    count: int
    accuracy: float
    rating_mae: float | None


@dataclass(frozen=True)
class EvaluationReport:
    """All figures of one evaluation run.

    ``confusion`` is ``[[true_neg, false_pos], [false_neg, true_pos]]``.
    Rating figures are ``None`` when no ratings were given.
    """

    n: int
    accuracy: float
    f1: float
    roc_auc: float
    ece: float
    confusion: list[list[int]]
    rating_mae: float | None = None
    rating_exact: float | None = None
    rating_within_1: float | None = None
    length_buckets: list[LengthBucket] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return asdict(self)


def _as_labels(y: ArrayLike) -> npt.NDArray[np.int64]:
    arr = np.asarray(y).astype(np.int64).ravel()
    if arr.size and not np.isin(arr, (0, 1)).all():
        raise ConfigError("labels must be 0 (negative) or 1 (positive)")
    return arr


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Fraction of equal labels (0.0 for empty input)."""
    t, p = _as_labels(y_true), _as_labels(y_pred)
    return float(np.mean(t == p)) if t.size else 0.0


def f1_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """F1 of the positive class (0.0 when there are no positives at all)."""
    t, p = _as_labels(y_true), _as_labels(y_pred)
    tp = int(np.sum((t == 1) & (p == 1)))
    denom = int(np.sum(t == 1) + np.sum(p == 1))
    return 2.0 * tp / denom if denom else 0.0


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve (Mann-Whitney statistic with tie correction).

    Returns ``nan`` when only one class is present.
    """
    t = _as_labels(y_true)
    s = np.asarray(scores, dtype=np.float64).ravel()
    n_pos, n_neg = int(t.sum()), int(t.size - t.sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(s.size, dtype=np.float64)
    # average ranks over ties
    boundaries = np.flatnonzero(np.diff(sorted_s)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [s.size]))
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return float((ranks[t == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def expected_calibration_error(y_true: ArrayLike, p_positive: ArrayLike, bins: int = 15) -> float:
    """ECE of P(positive) over ``bins`` equal-width bins of the predicted probability.

    Uses the confidence of the predicted class (max(p, 1-p)) against its
    accuracy, the usual definition (Guo et al., 2017).
    """
    t = _as_labels(y_true)
    p = np.asarray(p_positive, dtype=np.float64).ravel()
    if not t.size:
        return 0.0
    pred = (p >= 0.5).astype(np.int64)
    conf = np.where(pred == 1, p, 1.0 - p)
    correct = (pred == t).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            total += in_bin.mean() * abs(correct[in_bin].mean() - conf[in_bin].mean())
    return float(total)


def rating_mae(true_ratings: ArrayLike, predicted: ArrayLike) -> float:
    """Mean absolute error on the 1–10 scale."""
    t = np.asarray(true_ratings, dtype=np.float64).ravel()
    p = np.asarray(predicted, dtype=np.float64).ravel()
    return float(np.mean(np.abs(t - p))) if t.size else 0.0


def evaluate_predictions(
    y_true: ArrayLike,
    p_positive: ArrayLike,
    *,
    true_ratings: ArrayLike | None = None,
    predicted_ratings: ArrayLike | None = None,
    word_counts: ArrayLike | None = None,
    length_buckets: Sequence[int] = DEFAULT_LENGTH_BUCKETS,
    ece_bins: int = 15,
) -> EvaluationReport:
    """Compute every figure for one set of predictions.

    Parameters
    ----------
    y_true:
        1 for positive, 0 for negative.
    p_positive:
        Predicted probability of positive; the label is ``p >= 0.5``.
    true_ratings, predicted_ratings:
        Optional 1–10 ratings for the rating figures.
    word_counts:
        Optional words per review, for the per-length buckets.
    length_buckets:
        Lower bounds of the word-count buckets.

    Returns
    -------
    EvaluationReport

    Raises
    ------
    ConfigError
        When arrays differ in length or labels are not 0/1.
    """
    t = _as_labels(y_true)
    p = np.asarray(p_positive, dtype=np.float64).ravel()
    if p.size != t.size:
        raise ConfigError(f"{t.size} labels but {p.size} probabilities")
    pred = (p >= 0.5).astype(np.int64)
    confusion = [
        [int(np.sum((t == 0) & (pred == 0))), int(np.sum((t == 0) & (pred == 1)))],
        [int(np.sum((t == 1) & (pred == 0))), int(np.sum((t == 1) & (pred == 1)))],
    ]
    tr: FloatArray | None = None
    pr: FloatArray | None = None
    mae = exact = within = None
    if true_ratings is not None and predicted_ratings is not None:
        tr = np.asarray(true_ratings, dtype=np.float64).ravel()
        pr = np.asarray(predicted_ratings, dtype=np.float64).ravel()
        if tr.size != t.size or pr.size != t.size:
            raise ConfigError("ratings must have one value per review")
        mae = rating_mae(tr, pr)
        diff = np.abs(tr - np.rint(pr))
        exact = float(np.mean(diff == 0)) if diff.size else 0.0
        within = float(np.mean(diff <= 1)) if diff.size else 0.0
    buckets: list[LengthBucket] = []
    if word_counts is not None:
        wc = np.asarray(word_counts, dtype=np.int64).ravel()
        if wc.size != t.size:
            raise ConfigError("word_counts must have one value per review")
        bounds = list(length_buckets)
        for i, lo in enumerate(bounds):
            hi = bounds[i + 1] if i + 1 < len(bounds) else None
            sel = (wc >= lo) & (wc < hi) if hi is not None else wc >= lo
            if not sel.any():
                continue
            buckets.append(
                LengthBucket(
                    min_words=lo,
                    max_words=hi,
                    count=int(sel.sum()),
                    accuracy=accuracy(t[sel], pred[sel]),
                    rating_mae=rating_mae(tr[sel], pr[sel])
                    if tr is not None and pr is not None
                    else None,
                )
            )
    return EvaluationReport(
        n=int(t.size),
        accuracy=accuracy(t, pred),
        f1=f1_score(t, pred),
        roc_auc=roc_auc(t, p),
        ece=expected_calibration_error(t, p, ece_bins),
        confusion=confusion,
        rating_mae=mae,
        rating_exact=exact,
        rating_within_1=within,
        length_buckets=buckets,
    )
