"""The store interface: what every backend (SQLite, PostgreSQL) provides.

Functions take a ``store: Store`` argument instead of opening one, so tests
and surfaces inject whichever backend they need.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from reelsense.records import Movie, Problem, Record, Review

MovieSort = Literal["title", "year", "reviews", "rating", "imdb_rating"]
Polarity = Literal["positive", "negative"]
AspectPolarity = Literal["positive", "negative", "neutral"]
RatingSource = Literal["given", "stated", "predicted"]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one :meth:`Store.write` call changed."""

    movies_new: int = 0
    reviews_new: int = 0
    reviews_existing: int = 0
    problems_new: int = 0

    def __add__(self, other: WriteResult) -> WriteResult:
        return WriteResult(
            self.movies_new + other.movies_new,
            self.reviews_new + other.reviews_new,
            self.reviews_existing + other.reviews_existing,
            self.problems_new + other.problems_new,
        )


@dataclass(frozen=True, slots=True)
class MovieSummary:
    """One row of ``reelsense movies``."""

    movie_id: str
    title: str | None
    year: int | None
    imdb_rating: float | None
    reviews: int
    rated: int
    mean_rating: float | None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MovieStats:
    """What ``reelsense show`` prints about one movie.

    ``histogram`` maps each whole rating 1..10 to how many reviews gave it
    (a given rating is rounded to the nearest whole point).
    """

    summary: MovieSummary
    histogram: dict[int, int]
    unrated: int
    unrated_with_stated: int
    spoilers: int
    first_date: date | None
    last_date: date | None
    group_positions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A full-text search with filters.

    ``text`` uses web-search syntax: words (all must match), ``"a phrase"``,
    ``OR`` between alternatives, ``-word`` to exclude, ``word*`` for a prefix.
    ``movie`` is a ``tt`` id. Dates are inclusive. ``sentiment`` keeps
    reviews the current model scored that way; with ``filled`` the rating
    bounds apply to the final rating (given, else stated, else predicted)
    instead of the given one.
    """

    text: str
    movie: str | None = None
    min_rating: float | None = None
    max_rating: float | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 20
    offset: int = 0
    sentiment: Polarity | None = None
    filled: bool = False


HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result.

    ``snippet`` and ``headline`` mark matched terms between
    :data:`HIGHLIGHT_START` and :data:`HIGHLIGHT_END`. ``email`` is ``None``
    unless the search asked for personal data. ``rank``: higher is better.
    The analysis fields are ``None`` until ``reelsense analyze`` has run.
    """

    review_id: int
    movie_id: str
    title: str | None
    date: date | None
    display_name: str | None
    email: str | None
    rating: float | None
    headline: str | None
    snippet: str
    rank: float
    polarity: Polarity | None = None
    p_positive: float | None = None
    final_rating: float | None = None
    rating_source: RatingSource | None = None


@dataclass(frozen=True, slots=True)
class MovieSentiment:
    """How the current model scored one movie's reviews.

    ``histograms`` maps each rating source to a histogram over 1..10 of the
    final ratings that came from it (all keys present).
    """

    model_version: str
    analyzed: int
    positive: int
    negative: int
    mean_p_positive: float | None
    histograms: dict[RatingSource, dict[int, int]]


@dataclass(frozen=True, slots=True)
class AnalysisRow:
    """One review's scores by one model version (a row of ``analyses``)."""

    review_id: int
    model_version: str
    polarity: Polarity
    p_positive: float
    predicted_rating: int
    predicted_confidence: float
    final_rating: float
    rating_source: RatingSource
    rating_confidence: float


@dataclass(frozen=True, slots=True)
class AspectMention:
    """One aspect of the film a sentence of a review talks about (a row of ``aspect_mentions``).

    ``sentence`` indexes :func:`reelsense.text.sentences.split_sentences` of
    the review text; ``text`` is that sentence (kept for quotes). ``score`` is
    the sentence model's P(positive) for this mention.
    """

    review_id: int
    model_version: str
    sentence: int
    aspect: str
    polarity: AspectPolarity
    score: float
    text: str


@dataclass(frozen=True, slots=True)
class ReviewInsight:
    """Everything known about one review under one model version."""

    review_id: int
    review: Review
    analysis: AnalysisRow | None
    aspects: tuple[AspectMention, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredReview:
    """A review as stored, with its database id."""

    review_id: int
    review: Review


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """Totals across the whole store."""

    movies: int
    reviews: int
    rated: int
    emails: int
    problems: int
    groups: int


@dataclass(frozen=True, slots=True)
class RegisteredModel:
    """A model version recorded by :meth:`Store.register_model`."""

    version: str
    metadata_json: str


@dataclass(frozen=True, slots=True)
class AnalysisCounts:
    """Rows of model output across the whole store."""

    models: int
    analyses: int
    aspects: int


class Store(Protocol):
    """A database of movies, reviews and input problems.

    Writes are idempotent: a review already stored (same :attr:`Review.key`)
    is counted as existing and left alone. Each :meth:`write` call is one
    transaction, so an interrupted ingest loses nothing committed.
    """

    def write(self, records: Sequence[Record]) -> WriteResult:
        """Store movies, reviews and problems in one transaction."""
        ...

    def bulk_load(self) -> AbstractContextManager[None]:
        """Tune the store for a run of large writes (an ingest) while the block runs.

        Nothing about what is stored or how durably changes, only how fast.
        """
        ...

    def list_movies(
        self,
        *,
        sort: MovieSort = "title",
        descending: bool = False,
        group: str | None = None,
        limit: int | None = None,
    ) -> list[MovieSummary]:
        """Movies with review counts and mean given rating."""
        ...

    def find_movies(self, query: str) -> list[MovieSummary]:
        """Movies matching a ``tt`` id exactly, or else all the title words."""
        ...

    def movie_stats(self, movie_id: str) -> MovieStats:
        """Counts, histogram and date range of one movie (``QueryError`` if unknown)."""
        ...

    def search(self, query: SearchQuery, *, include_personal: bool = False) -> list[SearchHit]:
        """Full-text search over headline and text, best matches first."""
        ...

    def iter_reviews(
        self,
        *,
        movie_id: str | None = None,
        include_personal: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[StoredReview]:
        """Stream stored reviews in id order without loading them all."""
        ...

    def register_model(self, version: str, metadata_json: str) -> None:
        """Record a model version (once); it becomes the current one."""
        ...

    def current_model(self) -> str | None:
        """The most recently registered model version, or ``None``."""
        ...

    def count_unscored(self, model_version: str) -> int:
        """Reviews with no analysis row for this model version."""
        ...

    def iter_unscored(
        self, model_version: str, *, batch_size: int = 1000
    ) -> Iterator[list[StoredReview]]:
        """Batches of reviews not yet scored by ``model_version``, in id order.

        No cursor stays open between batches, so results may be written
        while iterating; a batch written before the next is asked for is not
        returned again.
        """
        ...

    def write_analysis(
        self, rows: Sequence[AnalysisRow], aspects: Sequence[AspectMention] = ()
    ) -> int:
        """Store analysis rows and their aspect mentions in one transaction.

        Rows with the same key are replaced. Returns the number of analysis rows.
        """
        ...

    def movie_sentiment(self, movie_id: str, model_version: str) -> MovieSentiment:
        """Polarity counts and final-rating histograms of one movie's reviews."""
        ...

    def iter_movie_insight(
        self, movie_id: str, model_version: str | None, *, batch_size: int = 1000
    ) -> Iterator[ReviewInsight]:
        """Stream one movie's reviews with their analysis row and aspect mentions.

        ``model_version=None`` gives the reviews with no analysis. E-mails are
        never included. An unknown movie raises ``QueryError``.
        """
        ...

    def sample_texts(self, limit: int, *, exclude_movie: str | None = None) -> list[str]:
        """Up to ``limit`` review texts spread evenly over the store (a background corpus)."""
        ...

    def iter_movies(self, *, batch_size: int = 1000) -> Iterator[Movie]:
        """Every movie as records that rebuild it when written to an empty store.

        One record per group the movie is in (or one with ``group=None``),
        in movie id order, ``batch_size`` rows per query.
        """
        ...

    def iter_problems(self, *, batch_size: int = 1000) -> Iterator[Problem]:
        """Every recorded problem, oldest first, ``batch_size`` rows per query."""
        ...

    def models(self) -> list[RegisteredModel]:
        """Every registered model, oldest registration first (the last is current)."""
        ...

    def review_ids(self, keys: Sequence[str]) -> dict[str, int]:
        """The ids of stored reviews, by :attr:`Review.key`, among ``keys``."""
        ...

    def analysis_for(
        self, review_ids: Sequence[int]
    ) -> tuple[list[AnalysisRow], list[AspectMention]]:
        """Every analysis row and aspect mention of these reviews, under all model versions."""
        ...

    def analysis_counts(self) -> AnalysisCounts:
        """How many models, analysis rows and aspect mentions are stored."""
        ...

    def problems(self, *, limit: int | None = None) -> list[Problem]:
        """Input problems recorded by earlier ingests, oldest first."""
        ...

    def counts(self) -> StoreCounts:
        """Totals across the store."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...
