"""Query logic both backends share: validation, ordering, filters, result assembly.

The SQL dialects differ (``?``/``:name`` against ``%s``/``%(name)s``, SQLite's
``CAST`` against PostgreSQL's ``::integer``), but what a query means must not: each
backend passes its own placeholder style and row values, and these functions
decide the rest once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, get_args

from reelsense.errors import QueryError
from reelsense.store.base import MovieSentiment, RatingSource, SearchQuery

__all__ = ["movie_order", "search_filters", "sentiment_from_rows"]

GROUP_FILTER = (
    "WHERE EXISTS (SELECT 1 FROM movie_groups AS g "
    "WHERE g.movie_id = m.movie_id AND g.group_name = {mark})"
)
"""Keeps the movies of one crawler group; ``{mark}`` is the backend's placeholder."""


def movie_order(sort: str, descending: bool, limit: int | None, columns: Mapping[str, str]) -> str:
    """The ORDER BY of ``list_movies``: missing values last, ties by id.

    Raises
    ------
    QueryError
        An unknown sort key or a negative limit.
    """
    if sort not in columns:
        allowed = ", ".join(columns)
        raise QueryError(f"cannot sort movies by {sort!r}; use one of {allowed}")
    if limit is not None and limit < 0:
        raise QueryError(f"limit must be 0 or more, not {limit}")
    column = columns[sort]
    direction = "DESC" if descending else "ASC"
    return f"({column}) IS NULL, {column} {direction}, m.movie_id {direction}"


def search_filters(
    query: SearchQuery, mark: Callable[[str], str], *, dates_as_text: bool
) -> tuple[str, dict[str, object]]:
    """The ``AND ...`` clauses and parameters of a search's rating, date and sentiment filters.

    ``mark(name)`` writes a named placeholder in the backend's style. The movie
    filter is left to the caller, which must resolve the movie first.
    """
    rating = "COALESCE(r.rating, a.final_rating)" if query.filled else "r.rating"
    clauses = ""
    params: dict[str, object] = {}
    for name, value, condition in (
        ("min_rating", query.min_rating, f"{rating} >= {mark('min_rating')}"),
        ("max_rating", query.max_rating, f"{rating} <= {mark('max_rating')}"),
        ("since", query.since, f"r.review_date >= {mark('since')}"),
        ("until", query.until, f"r.review_date <= {mark('until')}"),
        ("sentiment", query.sentiment, f"a.polarity = {mark('sentiment')}"),
    ):
        if value is not None:
            if dates_as_text and isinstance(value, date):
                params[name] = value.isoformat()
            else:
                params[name] = value
            clauses += f" AND {condition}"
    return clauses, params


def sentiment_from_rows(
    model_version: str,
    points: Iterable[Mapping[str, Any]],
    totals: Mapping[str, Any],
) -> MovieSentiment:
    """A :class:`MovieSentiment` from ``(source, point, n)`` rows and one totals row
    (``analyzed``, ``positive``, ``mean_p``)."""
    histograms: dict[RatingSource, dict[int, int]] = {
        source: dict.fromkeys(range(1, 11), 0) for source in get_args(RatingSource)
    }
    for row in points:
        source: RatingSource = row["source"]
        histograms[source][min(10, max(1, int(row["point"])))] += int(row["n"])
    analyzed = int(totals["analyzed"])
    positive = int(totals["positive"] or 0)
    return MovieSentiment(
        model_version=model_version,
        analyzed=analyzed,
        positive=positive,
        negative=analyzed - positive,
        mean_p_positive=None if totals["mean_p"] is None else float(totals["mean_p"]),
        histograms=histograms,
    )
