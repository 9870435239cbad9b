"""Turn stored reviews into analysis rows with a loaded model (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from reelsense.analysis.fill import resolve_rating
from reelsense.analysis.model import SentimentModel
from reelsense.analysis.persist import load
from reelsense.records import Review
from reelsense.store.base import AnalysisRow, StoredReview


def default_model_dir() -> Path:
    """The model that ships inside the package (rebuilt by ``reelsense train``)."""
    return Path(str(resources.files("reelsense") / "models" / "default"))


def load_model(directory: Path | None = None) -> SentimentModel:
    """Load a model directory, or the shipped default one.

    Raises
    ------
    ReelsenseError
        The directory is missing, holds a pickle, or is of another format.
    """
    return load(directory if directory is not None else default_model_dir())


def model_text(review: Review) -> str:
    """What the model reads: the headline, then the text."""
    if review.headline:
        return f"{review.headline}.\n\n{review.text}"
    return review.text


def score_reviews(model: SentimentModel, reviews: Sequence[StoredReview]) -> list[AnalysisRow]:
    """Score a batch: polarity, predicted rating, and the final rating with its source."""
    if not reviews:
        return []
    batch = model.predict_batch([model_text(item.review) for item in reviews])
    rows: list[AnalysisRow] = []
    for item, p, rating, confidence in zip(
        reviews,
        batch.p_positive.tolist(),
        batch.rating.tolist(),
        batch.rating_confidence.tolist(),
        strict=True,
    ):
        review = item.review
        stated = review.stated.value if review.stated is not None else None
        final = resolve_rating(review.rating, stated, rating, confidence)
        rows.append(
            AnalysisRow(
                review_id=item.review_id,
                model_version=model.version_,
                polarity="positive" if p >= 0.5 else "negative",
                p_positive=p,
                predicted_rating=rating,
                predicted_confidence=confidence,
                final_rating=final.value,
                rating_source=final.source,
                rating_confidence=final.confidence,
            )
        )
    return rows
