"""Turn stored reviews into analysis rows and aspect mentions (pure, no I/O beyond loading).

A model directory is a bundle: ``model.json`` + ``arrays.npz`` (review polarity
and rating) and, optionally, ``aspects.json`` + ``aspects.npz`` (sentence-level
aspect sentiment). Its version, recorded with every row, names both parts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from reelsense.analysis.aspect_model import AspectModel
from reelsense.analysis.fill import resolve_rating
from reelsense.analysis.model import SentimentModel
from reelsense.analysis.persist import load, read_metadata
from reelsense.analysis.train import review_text
from reelsense.store.base import AnalysisRow, AspectMention, StoredReview

ASPECTS_FILE = "aspects.json"


def default_model_dir() -> Path:
    """The model bundle that ships inside the package (rebuilt by ``reelsense train``)."""
    return Path(str(resources.files("reelsense") / "models" / "default"))


def load_model(directory: Path | None = None) -> SentimentModel:
    """Load the review model of a bundle, or of the shipped default one.

    Raises
    ------
    ReelsenseError
        The directory is missing, holds a pickle, or is of another format.
    """
    return load(directory if directory is not None else default_model_dir())


def bundle_metadata(directory: Path, *, aspects: bool = True) -> tuple[str, dict[str, Any]]:
    """The version of a bundle (``review+aspects``) and its combined metadata.

    With ``aspects=False`` the bundle is the review model alone, whatever the
    directory holds: its version then has no aspect part.
    """
    metadata = read_metadata(directory)
    version = str(metadata["version"])
    aspects_path = directory / ASPECTS_FILE
    if aspects and aspects_path.is_file():
        aspect_meta = json.loads(aspects_path.read_text(encoding="utf-8"))
        version = f"{version}+{aspect_meta['aspects_version']}"
        metadata = {
            **metadata,
            "aspects": {k: aspect_meta.get(k) for k in ("aspects_version", "metrics")},
        }
    return version, metadata


@dataclass(frozen=True)
class ScoredBatch:
    """One batch's results: an analysis row per review and its aspect mentions."""

    rows: list[AnalysisRow]
    aspects: list[AspectMention] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewBatch:
    """What scoring reads of a batch of stored reviews, as plain lists.

    Sent to worker processes instead of the :class:`StoredReview` objects:
    pickling a few lists of strings and numbers costs a fraction of pickling
    a dataclass per review with every stored field (source file, dates, ...).
    ``texts`` is what the review model reads (headline and body); ``bodies``
    what the aspect model reads (often the very same string objects, which
    pickle once).
    """

    review_ids: list[int]
    texts: list[str]
    bodies: list[str]
    given: list[float | None]
    stated: list[float | None]

    @classmethod
    def of(cls, reviews: Sequence[StoredReview]) -> ReviewBatch:
        """Extract the scoring inputs of ``reviews``, in order."""
        return cls(
            review_ids=[item.review_id for item in reviews],
            texts=[review_text(item.review) for item in reviews],
            bodies=[item.review.text for item in reviews],
            given=[item.review.rating for item in reviews],
            stated=[
                item.review.stated.value if item.review.stated is not None else None
                for item in reviews
            ],
        )


class Analyzer:
    """Scores reviews with a bundle: polarity, ratings and (if present) aspects.

    Example
    -------
    >>> analyzer = Analyzer.load(default_model_dir())  # doctest: +SKIP
    >>> analyzer.score(batch_of_stored_reviews).rows[0].polarity  # doctest: +SKIP
    'positive'
    """

    def __init__(
        self, sentiment: SentimentModel, aspects: AspectModel | None, version: str
    ) -> None:
        self.sentiment = sentiment
        self.aspects = aspects
        self.version = version

    @classmethod
    def load(cls, directory: Path | None = None, *, aspects: bool = True) -> Analyzer:
        """Load a bundle (default: the shipped one); ``aspects=False`` leaves out
        its aspect model (polarity and ratings only, several times faster)."""
        directory = directory if directory is not None else default_model_dir()
        version, _ = bundle_metadata(directory, aspects=aspects)
        with_aspects = aspects and (directory / ASPECTS_FILE).is_file()
        aspect_model = AspectModel.load(directory) if with_aspects else None
        return cls(load(directory), aspect_model, version)

    def prepare(self) -> Analyzer:
        """Build every lookup table now rather than on first use; return ``self``."""
        self.sentiment.featurizer_.prepare()
        if self.aspects is not None:
            self.aspects.featurizer.prepare()
        return self

    def score(self, reviews: Sequence[StoredReview]) -> ScoredBatch:
        """Score a batch of stored reviews."""
        return self.score_batch(ReviewBatch.of(reviews))

    def score_batch(self, batch: ReviewBatch) -> ScoredBatch:
        """Score a batch given as :class:`ReviewBatch` (what worker processes receive)."""
        if not batch.review_ids:
            return ScoredBatch([])
        rows = score_review_batch(self.sentiment, batch, self.version)
        mentions: list[AspectMention] = []
        if self.aspects is not None:
            found = self.aspects.analyze_reviews(batch.bodies)
            for review_id, review_rows in zip(batch.review_ids, found, strict=True):
                mentions.extend(
                    AspectMention(review_id, self.version, index, aspect, polarity, p, text)
                    for index, text, aspect, polarity, p in review_rows
                )
        return ScoredBatch(rows, mentions)


def score_reviews(
    model: SentimentModel, reviews: Sequence[StoredReview], version: str | None = None
) -> list[AnalysisRow]:
    """Polarity, predicted rating, and the final rating with its source, per review."""
    return score_review_batch(model, ReviewBatch.of(reviews), version)


def score_review_batch(
    model: SentimentModel, batch: ReviewBatch, version: str | None = None
) -> list[AnalysisRow]:
    """:func:`score_reviews` for a :class:`ReviewBatch`."""
    if not batch.review_ids:
        return []
    scores = model.predict_batch(batch.texts)
    model_version = version or model.version_
    rows: list[AnalysisRow] = []
    for review_id, given, stated, p, rating, confidence in zip(
        batch.review_ids,
        batch.given,
        batch.stated,
        scores.p_positive.tolist(),
        scores.rating.tolist(),
        scores.rating_confidence.tolist(),
        strict=True,
    ):
        final = resolve_rating(given, stated, rating, confidence)
        rows.append(
            AnalysisRow(
                review_id=review_id,
                model_version=model_version,
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
