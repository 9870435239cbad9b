"""Movie queries for the PostgreSQL store: summaries, title search, per-movie statistics.

Same results as :mod:`reelsense.store.sqlite_movies`; each function takes an
open connection inside a transaction held by
:class:`reelsense.store.postgres.PostgresStore`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reelsense.errors import QueryError
from reelsense.store.base import MovieSort, MovieStats, MovieSummary
from reelsense.store.postgres_connection import PgConnection, scalar
from reelsense.store.queries import GROUP_FILTER, movie_order

__all__ = ["find_movies", "list_movies", "movie_stats", "resolve_movie"]

_TT_ID = re.compile(r"tt\d+", re.IGNORECASE)

SORT_COLUMNS: dict[str, str] = {
    "title": 'lower(m.title) COLLATE "C"',
    "year": "m.year",
    "reviews": "COALESCE(s.reviews, 0)",
    "rating": "s.mean_rating",
    "imdb_rating": "m.imdb_rating",
}

_SUMMARY_SQL = """
SELECT m.movie_id, m.title, m.year, m.imdb_rating,
       COALESCE(s.reviews, 0) AS reviews, COALESCE(s.rated, 0) AS rated, s.mean_rating
FROM movies AS m
LEFT JOIN (
    SELECT movie_id, COUNT(*) AS reviews, COUNT(rating) AS rated, AVG(rating) AS mean_rating
    FROM reviews {review_filter} GROUP BY movie_id
) AS s ON s.movie_id = m.movie_id
{where}
ORDER BY {order}
{limit}
"""

# SQLite's "title COLLATE NOCASE" puts missing titles first.
_DEFAULT_ORDER = 'lower(m.title) COLLATE "C" NULLS FIRST, m.movie_id'


def _summaries(
    conn: PgConnection,
    *,
    where: str = "",
    params: Sequence[object] = (),
    order: str = _DEFAULT_ORDER,
    limit: int | None = None,
    movie_id: str | None = None,
) -> list[MovieSummary]:
    sql = _SUMMARY_SQL.format(
        review_filter="WHERE movie_id = %s" if movie_id is not None else "",
        where=where,
        order=order,
        limit="LIMIT %s" if limit is not None else "",
    )
    values: list[object] = [movie_id] if movie_id is not None else []
    values.extend(params)
    if limit is not None:
        values.append(limit)
    rows = conn.execute(sql, values).fetchall()
    groups = movie_groups(conn, [str(row["movie_id"]) for row in rows])
    return [
        MovieSummary(
            movie_id=row["movie_id"],
            title=row["title"],
            year=row["year"],
            imdb_rating=row["imdb_rating"],
            reviews=int(row["reviews"]),
            rated=int(row["rated"]),
            mean_rating=None if row["mean_rating"] is None else float(row["mean_rating"]),
            groups=groups.get(row["movie_id"], ()),
        )
        for row in rows
    ]


def movie_groups(conn: PgConnection, movie_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Each movie's group names, sorted."""
    found: dict[str, list[str]] = {}
    for row in conn.execute(
        "SELECT movie_id, group_name FROM movie_groups WHERE movie_id = ANY(%s) "
        'ORDER BY group_name COLLATE "C"',
        (movie_ids,),
    ):
        found.setdefault(row["movie_id"], []).append(row["group_name"])
    return {movie_id: tuple(names) for movie_id, names in found.items()}


def list_movies(
    conn: PgConnection,
    *,
    sort: MovieSort,
    descending: bool,
    group: str | None,
    limit: int | None,
) -> list[MovieSummary]:
    """Movies with counts, sorted with missing values last (see ``Store.list_movies``).

    Raises
    ------
    QueryError
        An unknown sort key or a negative limit.
    """
    order = movie_order(sort, descending, limit, SORT_COLUMNS)
    where, params = "", []
    if group is not None:
        where = GROUP_FILTER.format(mark="%s")
        params = [group]
    return _summaries(conn, where=where, params=params, order=order, limit=limit)


def find_movies(conn: PgConnection, query: str) -> list[MovieSummary]:
    """Movies whose ``tt`` id is ``query`` (any case), else whose title has all its words."""
    text = query.strip()
    if not text:
        return []
    if _TT_ID.fullmatch(text):
        found = _summaries(conn, where="WHERE lower(m.movie_id) = lower(%s)", params=[text])
        if found:
            return found
    words = [word.lower() for word in text.split()]
    where = "WHERE " + " AND ".join("strpos(lower(m.title), %s) > 0" for _ in words)
    return _summaries(conn, where=where, params=words)


def resolve_movie(conn: PgConnection, movie_id: str) -> str | None:
    """The stored id for ``movie_id`` (exact, else ignoring case), or ``None``."""
    found = scalar(conn, "SELECT movie_id FROM movies WHERE movie_id = %s", (movie_id,))
    if found is None:
        found = scalar(
            conn,
            "SELECT movie_id FROM movies WHERE lower(movie_id) = lower(%s) "
            "ORDER BY movie_id LIMIT 1",
            (movie_id.strip(),),
        )
    return None if found is None else str(found)


def movie_stats(conn: PgConnection, movie_id: str, *, label: str) -> MovieStats:
    """Counts, histogram (given ratings rounded half up, keys 1..10) and dates of one movie.

    Raises
    ------
    QueryError
        No such movie.
    """
    found = resolve_movie(conn, movie_id)
    if found is None:
        raise QueryError(f"{label}: no movie {movie_id!r} in the store")
    summary = _summaries(conn, where="WHERE m.movie_id = %s", params=[found], movie_id=found)[0]
    histogram = dict.fromkeys(range(1, 11), 0)
    for row in conn.execute(
        "SELECT floor(round(rating::numeric, 6) + 0.5)::integer AS point, COUNT(*) AS n "
        "FROM reviews WHERE movie_id = %s AND rating IS NOT NULL GROUP BY point",
        (found,),
    ):
        histogram[min(10, max(1, int(row["point"])))] += int(row["n"])
    totals = conn.execute(
        "SELECT COUNT(*) FILTER (WHERE rating IS NULL) AS unrated, "
        "COUNT(*) FILTER (WHERE rating IS NULL AND stated_rating IS NOT NULL) AS with_stated, "
        "COUNT(*) FILTER (WHERE spoiler) AS spoilers, "
        "MIN(review_date) AS first_date, MAX(review_date) AS last_date "
        "FROM reviews WHERE movie_id = %s",
        (found,),
    ).fetchone()
    assert totals is not None  # an aggregate always returns a row
    positions = {
        str(g["group_name"]): int(g["position"])
        for g in conn.execute(
            "SELECT group_name, position FROM movie_groups "
            'WHERE movie_id = %s AND position IS NOT NULL ORDER BY group_name COLLATE "C"',
            (found,),
        )
    }
    return MovieStats(
        summary=summary,
        histogram=histogram,
        unrated=int(totals["unrated"]),
        unrated_with_stated=int(totals["with_stated"]),
        spoilers=int(totals["spoilers"]),
        first_date=totals["first_date"],
        last_date=totals["last_date"],
        group_positions=positions,
    )
