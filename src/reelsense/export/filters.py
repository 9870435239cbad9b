"""Which movies and reviews an export keeps: movie, group, rating, date and sentiment filters.

The filters are plain values; :func:`resolve_movies` turns the user's movie
queries (``tt`` ids or title words) into ids, and :meth:`ExportFilters.keeps`
decides for one review (with its analysis row, when there is one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reelsense.errors import ConfigError, QueryError
from reelsense.records import Review
from reelsense.store.base import AnalysisRow, Polarity, Store

__all__ = ["ExportFilters", "resolve_movies"]


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """What to keep.

    ``movies`` are queries (``tt`` ids or title words) resolved with
    :func:`resolve_movies`; ``group`` keeps the movies of one crawler group.
    Rating bounds apply to the rating the reviewer gave, or with ``filled``
    to the final rating of the current model (given, else stated, else
    predicted). Dates are inclusive. ``sentiment`` keeps reviews the current
    model scored that way. A review lacking the value a filter needs is left out.
    """

    movies: tuple[str, ...] = ()
    group: str | None = None
    min_rating: float | None = None
    max_rating: float | None = None
    filled: bool = False
    since: date | None = None
    until: date | None = None
    sentiment: Polarity | None = None

    def __post_init__(self) -> None:
        for name in ("min_rating", "max_rating"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 10.0:
                raise ConfigError(f"--{name.replace('_', '-')} {value} is not a rating 0-10")
        if (
            self.min_rating is not None
            and self.max_rating is not None
            and self.min_rating > self.max_rating
        ):
            raise ConfigError(
                f"--min-rating {self.min_rating} is above --max-rating {self.max_rating}"
            )
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ConfigError(f"--since {self.since} is after --until {self.until}")

    @property
    def selects_reviews(self) -> bool:
        """Whether any filter looks at reviews (not only at which movies)."""
        return (
            self.min_rating is not None
            or self.max_rating is not None
            or self.since is not None
            or self.until is not None
            or self.sentiment is not None
        )

    @property
    def needs_analysis(self) -> bool:
        """Whether a filter needs the current model's analysis rows."""
        rated = self.min_rating is not None or self.max_rating is not None
        return self.sentiment is not None or (self.filled and rated)

    def keeps(self, review: Review, analysis: AnalysisRow | None = None) -> bool:
        """Whether ``review`` (scored as ``analysis``, if at all) passes the review filters."""
        if self.since is not None or self.until is not None:
            if review.date is None:
                return False
            if self.since is not None and review.date < self.since:
                return False
            if self.until is not None and review.date > self.until:
                return False
        if self.min_rating is not None or self.max_rating is not None:
            rating = (
                review.rating
                if not self.filled
                else (analysis.final_rating if analysis is not None else None)
            )
            if rating is None:
                return False
            if self.min_rating is not None and rating < self.min_rating:
                return False
            if self.max_rating is not None and rating > self.max_rating:
                return False
        return self.sentiment is None or (
            analysis is not None and analysis.polarity == self.sentiment
        )


def resolve_movies(store: Store, queries: Sequence[str]) -> tuple[str, ...]:
    """Turn ``--movie`` queries into movie ids (each query must name exactly one movie).

    Parameters
    ----------
    store:
        Where the movies are.
    queries:
        ``tt`` ids or title words.

    Returns
    -------
    tuple[str, ...]
        The ids, in the order given, without repeats.

    Raises
    ------
    QueryError
        A query matches no movie, or several and none by its exact title.

    Example
    -------
    >>> resolve_movies(store, ["tt0117407", "pusher ii"])  # doctest: +SKIP
    ('tt0117407', 'tt0396184')
    """
    found: list[str] = []
    for query in queries:
        matches = store.find_movies(query)
        if len(matches) > 1:
            exact = [m for m in matches if (m.title or "").casefold() == query.casefold()]
            if len(exact) == 1:
                matches = exact
        if not matches:
            raise QueryError(f"no movie matches {query!r}: try `reelsense movies` for the list")
        if len(matches) > 1:
            names = "; ".join(f"{m.movie_id} {m.title or '?'}" for m in matches[:8])
            raise QueryError(f"{query!r} matches {len(matches)} movies: {names}; give the tt id")
        if matches[0].movie_id not in found:
            found.append(matches[0].movie_id)
    return tuple(found)
