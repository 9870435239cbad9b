"""What per-movie insight is made of: frozen records, each JSON-ready via ``to_dict``."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Any

from reelsense.insight.terms import DistinctiveTerm
from reelsense.store.base import MovieStats, RatingSource

__all__ = [
    "AspectSummary",
    "Disagreement",
    "MovieInsight",
    "Quote",
    "RatingDistribution",
    "YearPolarity",
    "jsonable",
]

RATING_POINTS = tuple(range(1, 11))
SOURCES: tuple[RatingSource, ...] = ("given", "stated", "predicted")


def jsonable(value: object) -> Any:
    """``value`` as plain JSON types: dataclasses and named tuples become dicts.

    Dates become ISO text, tuples lists, dict keys strings, NaN ``None``.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, DistinctiveTerm):
        return {"term": value.term, "z_score": value.z_score, "count": value.occurrences}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class RatingDistribution:
    """Ratings of one movie's reviews over 1..10 by where they came from.

    ``histograms["given"]`` counts the ratings reviewers gave; ``stated`` and
    ``predicted`` count the *filled* ratings of reviews that gave none (found
    in the text, or the model's guess). ``unrated`` reviews have none of the
    three (no analysis yet and no rating in the text).
    """

    histograms: dict[RatingSource, dict[int, int]]
    unrated: int

    def count(self, source: RatingSource) -> int:
        """How many reviews got their rating from ``source``."""
        return sum(self.histograms[source].values())

    @property
    def filled(self) -> int:
        """Reviews with no given rating whose rating was filled in."""
        return self.count("stated") + self.count("predicted")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        data: dict[str, Any] = jsonable(self)
        return data


@dataclasses.dataclass(frozen=True, slots=True)
class YearPolarity:
    """Reviews written in one year: how many, how many positive, their mean rating.

    ``share_positive`` is over the ``analyzed`` reviews (``None`` when none
    were); ``mean_rating`` is the mean final rating (given, else filled).
    """

    year: int
    reviews: int
    analyzed: int
    share_positive: float | None
    mean_rating: float | None


@dataclasses.dataclass(frozen=True, slots=True)
class Quote:
    """A short sentence from a review, attributed by display name only (never e-mail)."""

    text: str
    author: str
    review_id: int
    rating: float | None
    polarity: str
    score: float


@dataclasses.dataclass(frozen=True, slots=True)
class AspectSummary:
    """How reviews judge one aspect of the film (acting, story, ...).

    ``share_positive`` = positive / (positive + negative), ``None`` when
    every mention was neutral. ``praise`` and ``criticism`` hold up to two
    representative quotes each.
    """

    aspect: str
    positive: int
    negative: int
    neutral: int
    praise: tuple[Quote, ...] = ()
    criticism: tuple[Quote, ...] = ()

    @property
    def mentions(self) -> int:
        """All mentions of the aspect."""
        return self.positive + self.negative + self.neutral

    @property
    def share_positive(self) -> float | None:
        """Positive share of the judged (non-neutral) mentions."""
        judged = self.positive + self.negative
        return self.positive / judged if judged else None


@dataclasses.dataclass(frozen=True, slots=True)
class Disagreement:
    """A review whose text and rating disagree: a high rating on a negative text, or the reverse."""

    review_id: int
    author: str
    rating: float
    p_positive: float
    headline: str | None
    kind: str


@dataclasses.dataclass(frozen=True, slots=True)
class MovieInsight:
    """Everything ``reelsense show`` and the report say about one movie.

    ``model_version`` is the model whose scores were used (``None`` when no
    model has run). Sections that need an analysis are empty until one
    exists; ``notes`` then says why. ``mean_rating`` and ``years`` use the
    final rating of each review (given, else stated, else predicted).
    """

    movie_id: str
    title: str | None
    year: int | None
    model_version: str | None
    stats: MovieStats
    reviews: int
    analyzed: int
    positive: int
    mean_rating: float | None
    ratings: RatingDistribution
    years: tuple[YearPolarity, ...]
    undated: int
    aspects: tuple[AspectSummary, ...]
    praised: tuple[AspectSummary, ...]
    criticised: tuple[AspectSummary, ...]
    terms: tuple[DistinctiveTerm, ...]
    disagreements: tuple[Disagreement, ...]
    disagreement_count: int
    notes: tuple[str, ...] = ()

    @property
    def share_positive(self) -> float | None:
        """Share of analyzed reviews the model scored positive."""
        return self.positive / self.analyzed if self.analyzed else None

    @property
    def label(self) -> str:
        """``Title (year)``, or the id when the title is unknown."""
        name = self.title or self.movie_id
        return f"{name} ({self.year})" if self.year else name

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field (plus ``share_positive`` and per-aspect shares)."""
        data: dict[str, Any] = jsonable(self)
        data["share_positive"] = self.share_positive
        for key in ("aspects", "praised", "criticised"):
            for entry, aspect in zip(data[key], getattr(self, key), strict=True):
                entry["mentions"] = aspect.mentions
                entry["share_positive"] = aspect.share_positive
        return data
