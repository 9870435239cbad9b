"""Pydantic models of every JSON response and request body of the API.

They are what ``/openapi.json`` describes. Insight and comparison payloads are
validated from the library's own ``to_dict()`` output, so the schema and the
data cannot drift apart unnoticed (the API tests would fail).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "MAX_PREDICT_TEXT",
    "MAX_PREDICT_TEXTS",
    "AspectBalanceOut",
    "AspectOut",
    "ComparisonOut",
    "DisagreementOut",
    "ErrorOut",
    "HitOut",
    "MovieDetailOut",
    "MovieInsightOut",
    "MovieListOut",
    "MovieOut",
    "MovieSideOut",
    "PairTestOut",
    "PredictIn",
    "PredictOut",
    "PredictionOut",
    "ProblemListOut",
    "ProblemOut",
    "QuoteOut",
    "RatingComparisonOut",
    "RatingsOut",
    "ReviewListOut",
    "ReviewOut",
    "SearchOut",
    "StatsOut",
    "TermOut",
    "YearOut",
]

MAX_PREDICT_TEXTS = 50
"""Texts one ``POST /api/predict`` may score."""
MAX_PREDICT_TEXT = 20_000
"""Characters per text given to ``POST /api/predict``."""

Polarity = Literal["positive", "negative"]
Source = Literal["given", "stated", "predicted"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(_Out):
    """Every error: the HTTP status and a one-line message (never a stack trace)."""

    status: int = Field(examples=[404])
    message: str = Field(examples=["no movie with id 'tt0000000'"])
    errors: list[dict[str, object]] | None = Field(
        default=None, description="Which request fields were invalid (422 only)."
    )


class MovieOut(_Out):
    """One movie with its review counts and mean given rating."""

    movie_id: str
    title: str | None
    year: int | None
    imdb_rating: float | None
    reviews: int
    rated: int
    mean_rating: float | None
    groups: list[str]


class MovieListOut(_Out):
    """A page of movies; ``total`` counts every match before ``limit``/``offset``."""

    total: int
    limit: int
    offset: int
    items: list[MovieOut]


class StatsOut(_Out):
    """Counts, given-rating histogram (keys "1".."10") and date range of one movie."""

    summary: MovieOut
    histogram: dict[str, int]
    unrated: int
    unrated_with_stated: int
    spoilers: int
    first_date: date | None
    last_date: date | None
    group_positions: dict[str, int]


class RatingsOut(_Out):
    """Histograms over 1..10 of final ratings by source: given, stated in the text, predicted."""

    histograms: dict[Source, dict[str, int]]
    unrated: int


class YearOut(_Out):
    """Reviews written in one year and how the model scored them."""

    year: int
    reviews: int
    analyzed: int
    share_positive: float | None
    mean_rating: float | None


class QuoteOut(_Out):
    """A representative sentence, attributed by display name only."""

    text: str
    author: str
    review_id: int
    rating: float | None
    polarity: str
    score: float


class AspectOut(_Out):
    """How reviews judge one aspect (acting, story, ...), with quotes."""

    aspect: str
    positive: int
    negative: int
    neutral: int
    mentions: int
    share_positive: float | None
    praise: list[QuoteOut]
    criticism: list[QuoteOut]


class TermOut(_Out):
    """A word or phrase used unusually often (weighted log-odds ``z_score``)."""

    term: str
    z_score: float
    count: int


class DisagreementOut(_Out):
    """A review whose rating and text disagree."""

    review_id: int
    author: str
    rating: float
    p_positive: float
    headline: str | None
    kind: str


class MovieInsightOut(_Out):
    """What the reviews of one movie say (``reelsense.insight.movie_insight``)."""

    movie_id: str
    title: str | None
    year: int | None
    model_version: str | None
    stats: StatsOut
    reviews: int
    analyzed: int
    positive: int
    share_positive: float | None
    mean_rating: float | None
    ratings: RatingsOut
    years: list[YearOut]
    undated: int
    aspects: list[AspectOut]
    praised: list[AspectOut]
    criticised: list[AspectOut]
    terms: list[TermOut]
    disagreements: list[DisagreementOut]
    disagreement_count: int
    notes: list[str]


class MovieDetailOut(_Out):
    """``GET /api/movies/{movie_id}``: the movie and its insight."""

    movie: MovieOut
    insight: MovieInsightOut


class ReviewOut(_Out):
    """One review. E-mail addresses are never part of it."""

    review_id: int
    movie_id: str
    date: date | None
    display_name: str | None
    rating: float | None = Field(description="The rating the reviewer gave (1-10), if any.")
    stated_rating: float | None = Field(description="A rating written in the text, if any.")
    headline: str | None
    text: str
    spoiler: bool
    polarity: Polarity | None
    p_positive: float | None
    final_rating: float | None = Field(description="Given, else stated, else predicted.")
    rating_source: Source | None


class ReviewListOut(_Out):
    """A page of one movie's reviews; ``total`` counts every match."""

    movie_id: str
    model_version: str | None
    total: int
    limit: int
    offset: int
    items: list[ReviewOut]


class HitOut(_Out):
    """One search hit. ``*_matches`` are ``[start, end)`` offsets of matched terms."""

    review_id: int
    movie_id: str
    title: str | None
    date: date | None
    display_name: str | None
    rating: float | None
    headline: str | None
    headline_matches: list[tuple[int, int]]
    snippet: str
    snippet_matches: list[tuple[int, int]]
    rank: float
    polarity: Polarity | None
    p_positive: float | None
    final_rating: float | None
    rating_source: Source | None


class SearchOut(_Out):
    """``GET /api/search``: hits, best first."""

    query: str
    limit: int
    offset: int
    items: list[HitOut]


class AspectBalanceOut(_Out):
    """Mentions of one aspect in one movie's reviews."""

    aspect: str
    positive: int
    negative: int
    neutral: int
    share_positive: float | None


class MovieSideOut(_Out):
    """One movie's column in a comparison."""

    movie_id: str
    label: str
    title: str | None
    year: int | None
    position: int | None
    reviews: int
    rated: int
    given: int
    mean: float | None
    median: float | None
    analyzed: int
    share_positive: float | None
    aspects: list[AspectBalanceOut]
    terms: list[TermOut]


class RatingComparisonOut(_Out):
    """Mann-Whitney U, effect sizes and bootstrap interval of a difference in ratings."""

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
    rank_biserial: float
    explanation: str


class PairTestOut(_Out):
    """A later movie against the first (the reference, e.g. the original)."""

    movie_id: str
    reference_id: str
    result: RatingComparisonOut | None
    explanation: str


class ComparisonOut(_Out):
    """``GET /api/compare``: movies side by side and the tests between them."""

    movies: list[MovieSideOut]
    tests: list[PairTestOut]
    group: str | None
    model_version: str | None
    notes: list[str]


class PredictIn(BaseModel):
    """Texts to score with the shipped model."""

    model_config = ConfigDict(extra="forbid")

    texts: list[Annotated[str, StringConstraints(max_length=MAX_PREDICT_TEXT)]] = Field(
        min_length=1,
        max_length=MAX_PREDICT_TEXTS,
        description=f"1 to {MAX_PREDICT_TEXTS} texts of up to {MAX_PREDICT_TEXT} characters.",
        examples=[["A moving, beautifully shot film. 9/10"]],
    )


class PredictionOut(_Out):
    """The model's reading of one text."""

    polarity: Polarity
    p_positive: float
    rating: int = Field(description="Predicted rating 1-10.")
    confidence: float = Field(description="P(the true rating is within 1 of ``rating``).")


class PredictOut(_Out):
    """Predictions in the order of the texts posted."""

    model_version: str
    items: list[PredictionOut]


class ProblemOut(_Out):
    """Something wrong in an input file that did not stop it being read."""

    source_file: str
    line: int | None
    message: str


class ProblemListOut(_Out):
    """Problems recorded by earlier ingests, oldest first."""

    limit: int
    items: list[ProblemOut]
