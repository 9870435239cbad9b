"""Evaluation metrics over arrays."""

from __future__ import annotations

import numpy as np
import pytest

from reelsense.analysis.evaluate import (
    evaluate_predictions,
    expected_calibration_error,
    f1_score,
    roc_auc,
)
from reelsense.errors import ConfigError


def test_perfect_predictions_score_perfectly() -> None:
    y = np.array([0, 1, 1, 0])
    report = evaluate_predictions(
        y, np.array([0.1, 0.9, 0.8, 0.3]), true_ratings=[2, 9, 8, 3], predicted_ratings=[2, 9, 8, 3]
    )
    assert report.accuracy == 1.0 and report.f1 == 1.0 and report.roc_auc == 1.0
    assert report.rating_mae == 0.0 and report.rating_exact == 1.0
    assert report.confusion == [[2, 0], [0, 2]]


def test_roc_auc_handles_ties_as_half() -> None:
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([0, 1, 1, 0], [0.2, 0.4, 0.35, 0.8]) == 0.5


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    # all predicted 0.75 positive; 3 of 4 are positive
    assert expected_calibration_error([1, 1, 1, 0], [0.75] * 4) == pytest.approx(0.0)
    assert expected_calibration_error([0, 0, 0, 0], [0.95] * 4) == pytest.approx(0.95)


def test_f1_and_within_one_accuracy() -> None:
    assert f1_score([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.5)
    report = evaluate_predictions(
        [1, 0], [0.9, 0.1], true_ratings=[10, 1], predicted_ratings=[9, 4]
    )
    assert report.rating_within_1 == 0.5 and report.rating_mae == 2.0


def test_length_buckets_split_by_word_count() -> None:
    report = evaluate_predictions(
        [1, 0, 1], [0.9, 0.8, 0.7], word_counts=[50, 120, 2000], length_buckets=(0, 100)
    )
    assert [(b.min_words, b.count) for b in report.length_buckets] == [(0, 1), (100, 2)]
    assert report.length_buckets[1].accuracy == 0.5


def test_mismatched_lengths_and_bad_labels_are_rejected() -> None:
    with pytest.raises(ConfigError):
        evaluate_predictions([1, 0], [0.5])
    with pytest.raises(ConfigError, match="labels"):
        evaluate_predictions([2, 0], [0.5, 0.5])
