"""The final rating of a review and where it came from.

Evidence is ranked: the rating the user *gave* (the score field) beats a rating
*stated* in the text, which beats the model's *prediction*. Each comes with a
confidence: 1.0 for a given rating; for a stated one, how often a stated rating
agrees with the true rating (measured on aclImdb train, see
docs/BENCHMARKS.md); for a prediction, the model's own probability that the true
rating is within ±1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RatingSource = Literal["given", "stated", "predicted"]

STATED_CONFIDENCE = 0.83
"""Share of stated ratings equal to the true rating after rounding (aclImdb train)."""


@dataclass(frozen=True, slots=True)
class FinalRating:
    """A review's best available 1–10 rating."""

    value: float
    source: RatingSource
    confidence: float


def resolve_rating(
    given: float | None,
    stated: float | None,
    predicted: float,
    predicted_confidence: float,
) -> FinalRating:
    """Pick the strongest evidence: given > stated > predicted.

    >>> resolve_rating(None, 9.0, 6.0, 0.7)
    FinalRating(value=9.0, source='stated', confidence=0.83)
    """
    if given is not None:
        return FinalRating(given, "given", 1.0)
    if stated is not None:
        return FinalRating(stated, "stated", STATED_CONFIDENCE)
    return FinalRating(float(predicted), "predicted", predicted_confidence)
