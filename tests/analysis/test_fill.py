"""The final rating takes the strongest evidence: given > stated > predicted."""

from __future__ import annotations

from reelsense.analysis.fill import STATED_CONFIDENCE, resolve_rating


def test_given_rating_wins_with_full_confidence() -> None:
    final = resolve_rating(3.0, 9.0, 8, 0.9)
    assert (final.value, final.source, final.confidence) == (3.0, "given", 1.0)


def test_stated_rating_fills_a_missing_given_one() -> None:
    final = resolve_rating(None, 9.0, 4, 0.9)
    assert (final.value, final.source, final.confidence) == (9.0, "stated", STATED_CONFIDENCE)


def test_prediction_is_the_last_resort_with_its_own_confidence() -> None:
    final = resolve_rating(None, None, 4, 0.61)
    assert (final.value, final.source, final.confidence) == (4.0, "predicted", 0.61)
