"""Paging and filtering shared by the JSON API and the dashboard pages.

The store lists movies and streams one movie's reviews; the filters the web
offers on top of that (title words, minimum reviews, rating range, dates,
sentiment) are applied here, in one pass, keeping only the page asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reelsense.errors import QueryError
from reelsense.store.base import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MovieSort,
    MovieSummary,
    Polarity,
    ReviewInsight,
    Store,
)
from reelsense.web.state import AppState

__all__ = [
    "MAX_PAGE",
    "MovieFilter",
    "MoviePage",
    "ReviewFilter",
    "ReviewPage",
    "UnknownMovieError",
    "marked_spans",
    "movie_page",
    "require_movie",
    "review_page",
]

MAX_PAGE = 200
"""Most items one page of movies or reviews may hold."""


class UnknownMovieError(QueryError):
    """No movie has the id asked for (the web answers 404)."""


def require_movie(store: Store, movie_id: str) -> MovieSummary:
    """The summary of ``movie_id``, or :class:`UnknownMovieError`."""
    try:
        return store.movie_stats(movie_id).summary
    except QueryError as exc:
        raise UnknownMovieError(f"no movie with id {movie_id!r}") from exc


@dataclass(frozen=True, slots=True)
class MovieFilter:
    """Which movies to list and in what order; ``query`` holds title words or a ``tt`` id."""

    sort: MovieSort = "title"
    descending: bool = False
    group: str | None = None
    min_reviews: int = 0
    query: str | None = None


@dataclass(frozen=True, slots=True)
class MoviePage:
    """One page of movies and how many matched in all."""

    total: int
    items: list[MovieSummary]


def movie_page(state: AppState, where: MovieFilter, *, limit: int, offset: int) -> MoviePage:
    """Movies matching ``where``, sorted, from ``offset`` (at most ``limit``)."""
    found = state.movies(where.sort, where.descending, where.group)
    if where.query and where.query.strip():
        wanted = {m.movie_id for m in state.store.find_movies(where.query.strip())}
        found = [m for m in found if m.movie_id in wanted]
    if where.min_reviews:
        found = [m for m in found if m.reviews >= where.min_reviews]
    return MoviePage(len(found), found[offset : offset + limit])


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """Filters on one movie's reviews, as :class:`~reelsense.store.base.SearchQuery` has them.

    With ``filled`` the rating bounds apply to the final rating (given, else
    stated, else predicted) instead of the given one.
    """

    min_rating: float | None = None
    max_rating: float | None = None
    filled: bool = False
    sentiment: Polarity | None = None
    since: date | None = None
    until: date | None = None

    def check(self) -> None:
        """Raise :class:`QueryError` when the bounds contradict each other."""
        if (
            self.min_rating is not None
            and self.max_rating is not None
            and self.min_rating > self.max_rating
        ):
            raise QueryError(f"min_rating {self.min_rating} is above max_rating {self.max_rating}")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise QueryError(f"since {self.since} is after until {self.until}")

    def keeps(self, item: ReviewInsight) -> bool:
        """Whether one review passes every filter."""
        review, analysis = item.review, item.analysis
        if self.sentiment is not None and (analysis is None or analysis.polarity != self.sentiment):
            return False
        if self.since is not None and (review.date is None or review.date < self.since):
            return False
        if self.until is not None and (review.date is None or review.date > self.until):
            return False
        if self.min_rating is None and self.max_rating is None:
            return True
        rating = review.rating
        if self.filled:
            if analysis is not None:
                rating = analysis.final_rating
            elif rating is None and review.stated is not None:
                rating = review.stated.value
        if rating is None:
            return False
        low = self.min_rating if self.min_rating is not None else float("-inf")
        high = self.max_rating if self.max_rating is not None else float("inf")
        return low <= rating <= high


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One page of a movie's reviews, how many matched, and whose scores they carry."""

    total: int
    model_version: str | None
    items: list[ReviewInsight]


def review_page(
    store: Store, movie_id: str, where: ReviewFilter, *, limit: int, offset: int
) -> ReviewPage:
    """One movie's reviews passing ``where``, in stored order, from ``offset`` (at most ``limit``).

    Streams the movie's reviews once; only the page is kept in memory.

    Raises
    ------
    UnknownMovieError
        No such movie.
    QueryError
        Contradictory filters.
    """
    where.check()
    require_movie(store, movie_id)
    version = store.current_model()
    total = 0
    items: list[ReviewInsight] = []
    for item in store.iter_movie_insight(movie_id, version):
        if not where.keeps(item):
            continue
        if offset <= total < offset + limit:
            items.append(item)
        total += 1
    return ReviewPage(total, version, items)


def marked_spans(marked: str | None) -> tuple[str | None, list[tuple[int, int]]]:
    """Text with highlight markers → the plain text and ``[start, end)`` of each marked part.

    Example
    -------
    >>> marked_spans("a \\x02b\\x03 c")
    ('a b c', [(2, 3)])
    """
    if marked is None:
        return None, []
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for i, part in enumerate(marked.split(HIGHLIGHT_START)):
        if i == 0:
            plain.append(part)
            length += len(part)
            continue
        hit, _, rest = part.partition(HIGHLIGHT_END)
        spans.append((length, length + len(hit)))
        plain.append(hit + rest)
        length += len(hit) + len(rest)
    return "".join(plain), spans
