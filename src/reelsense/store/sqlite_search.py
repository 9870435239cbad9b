"""Full-text search for the SQLite store: FTS5 ``MATCH``, BM25 ranking, highlights.

The user's text is parsed by :mod:`reelsense.store.search_syntax` and every
term is quoted, so nothing typed can become FTS5 syntax. Filters are bound
parameters.
"""

from __future__ import annotations

import sqlite3

from reelsense.errors import QueryError
from reelsense.store.base import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, SearchQuery
from reelsense.store.queries import search_filters
from reelsense.store.search_syntax import parse_search, to_fts5
from reelsense.store.sqlite_movies import parse_date, resolve_movie

__all__ = ["MAX_SEARCH_LIMIT", "SNIPPET_TOKENS", "fts5_match", "search_reviews"]

MAX_SEARCH_LIMIT = 1000
SNIPPET_TOKENS = 24
HEADLINE_WEIGHT = 2.0
"""BM25 weight of a match in the headline relative to one in the text."""

EMAIL_JOIN = "LEFT JOIN reviewer_emails AS e ON e.review_id = r.review_id"

_SEARCH_SQL = """
SELECT r.review_id, r.movie_id, m.title, r.review_date, r.author, {email} AS email, r.rating,
       r.headline IS NULL AS no_headline,
       highlight(reviews_fts, 0, :start, :end) AS headline,
       snippet(reviews_fts, 1, :start, :end, '…', {tokens}) AS snippet,
       bm25(reviews_fts, {headline_weight}, 1.0) AS score,
       a.polarity, a.p_positive, a.final_rating, a.rating_source
FROM reviews_fts
JOIN reviews AS r ON r.review_id = reviews_fts.rowid
JOIN movies AS m ON m.movie_id = r.movie_id
LEFT JOIN analyses AS a ON a.review_id = r.review_id AND a.model_version = :model
{email_join}
WHERE reviews_fts MATCH :match {filters}
ORDER BY score, r.review_id
LIMIT :limit OFFSET :offset
"""


def fts5_match(query: SearchQuery) -> str:
    """Check a query's text and filters; return its FTS5 ``MATCH`` expression.

    Raises
    ------
    QueryError
        A malformed text, a limit outside 1..1000, a negative offset, or a
        minimum above its maximum.
    """
    match = to_fts5(parse_search(query.text))
    if not 1 <= query.limit <= MAX_SEARCH_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_SEARCH_LIMIT}, not {query.limit}")
    if query.offset < 0:
        raise QueryError(f"offset must be 0 or more, not {query.offset}")
    if query.sentiment not in (None, "positive", "negative"):
        raise QueryError(f"sentiment must be positive or negative, not {query.sentiment!r}")
    low, high = query.min_rating, query.max_rating
    if low is not None and high is not None and low > high:
        raise QueryError(f"search rating range is empty: minimum {low} is above maximum {high}")
    if query.since is not None and query.until is not None and query.since > query.until:
        raise QueryError(
            f"search date range is empty: since {query.since} is after until {query.until}"
        )
    return match


def search_reviews(
    conn: sqlite3.Connection, query: SearchQuery, *, include_personal: bool
) -> list[SearchHit]:
    """Run a search (see ``Store.search``); ``rank`` is ``-bm25``, higher is better."""
    model = conn.execute(
        "SELECT model_version FROM models ORDER BY registered_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    params: dict[str, object] = {
        "model": None if model is None else model[0],
        "match": fts5_match(query),
        "start": HIGHLIGHT_START,
        "end": HIGHLIGHT_END,
        "limit": query.limit,
        "offset": query.offset,
    }
    filters = ""
    if query.movie is not None:
        movie = resolve_movie(conn, query.movie)
        if movie is None:
            return []
        params["movie"] = movie
        filters += " AND r.movie_id = :movie"
    more, values = search_filters(query, lambda name: f":{name}", dates_as_text=True)
    filters += more
    params.update(values)
    sql = _SEARCH_SQL.format(
        email="e.email" if include_personal else "NULL",
        email_join=EMAIL_JOIN if include_personal else "",
        filters=filters,
        tokens=SNIPPET_TOKENS,
        headline_weight=HEADLINE_WEIGHT,
    )
    return [
        SearchHit(
            review_id=row["review_id"],
            movie_id=row["movie_id"],
            title=row["title"],
            date=parse_date(row["review_date"]),
            display_name=row["author"],
            email=row["email"],
            rating=row["rating"],
            headline=None if row["no_headline"] else row["headline"],
            snippet=row["snippet"] or "",
            rank=-float(row["score"]),
            polarity=row["polarity"],
            p_positive=row["p_positive"],
            final_rating=row["final_rating"],
            rating_source=row["rating_source"],
        )
        for row in conn.execute(sql, params)
    ]
