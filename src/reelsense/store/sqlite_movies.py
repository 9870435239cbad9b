"""Movie queries for the SQLite store: summaries, title search, per-movie statistics.

Each function takes an open connection; :class:`reelsense.store.sqlite.SQLiteStore`
holds the lock and translates ``sqlite3`` errors around the call.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Sequence
from datetime import date

from reelsense.errors import QueryError
from reelsense.store.base import MovieSort, MovieStats, MovieSummary
from reelsense.store.queries import GROUP_FILTER, movie_order

__all__ = ["find_movies", "list_movies", "movie_stats", "parse_date", "resolve_movie"]

log = logging.getLogger(__name__)

_TT_ID = re.compile(r"tt\d+", re.IGNORECASE)

SORT_COLUMNS: dict[str, str] = {
    "title": "m.title COLLATE NOCASE",
    "year": "m.year",
    "reviews": "reviews",
    "rating": "mean_rating",
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

_DEFAULT_ORDER = "m.title COLLATE NOCASE, m.movie_id"


def parse_date(text: str | None) -> date | None:
    """A stored ISO date, or ``None`` (with a warning) when it is not one."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        log.warning("ignoring a stored date that is not ISO: %r", text)
        return None


def _summaries(
    conn: sqlite3.Connection,
    *,
    where: str = "",
    params: Sequence[object] = (),
    order: str = _DEFAULT_ORDER,
    limit: int | None = None,
    movie_id: str | None = None,
) -> list[MovieSummary]:
    """Run the summary query; ``movie_id`` limits the review aggregation to one movie."""
    sql = _SUMMARY_SQL.format(
        review_filter="WHERE movie_id = ?" if movie_id is not None else "",
        where=where,
        order=order,
        limit="LIMIT ?" if limit is not None else "",
    )
    values: list[object] = [movie_id] if movie_id is not None else []
    values.extend(params)
    if limit is not None:
        values.append(limit)
    rows = conn.execute(sql, values).fetchall()
    groups = _groups(conn, [str(row["movie_id"]) for row in rows])
    return [
        MovieSummary(
            movie_id=row["movie_id"],
            title=row["title"],
            year=row["year"],
            imdb_rating=row["imdb_rating"],
            reviews=row["reviews"],
            rated=row["rated"],
            mean_rating=row["mean_rating"],
            groups=groups.get(row["movie_id"], ()),
        )
        for row in rows
    ]


def _groups(conn: sqlite3.Connection, movie_ids: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for start in range(0, len(movie_ids), 500):
        chunk = movie_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT movie_id, group_name FROM movie_groups WHERE movie_id IN ({marks}) "
            "ORDER BY group_name",
            chunk,
        ):
            found.setdefault(row["movie_id"], []).append(row["group_name"])
    return {movie_id: tuple(names) for movie_id, names in found.items()}


def list_movies(
    conn: sqlite3.Connection,
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
        where = GROUP_FILTER.format(mark="?")
        params = [group]
    return _summaries(conn, where=where, params=params, order=order, limit=limit)


def find_movies(conn: sqlite3.Connection, query: str) -> list[MovieSummary]:
    """Movies whose ``tt`` id is ``query`` (any case), else whose title has all its words."""
    text = query.strip()
    if not text:
        return []
    if _TT_ID.fullmatch(text):
        found = _summaries(conn, where="WHERE m.movie_id = ? COLLATE NOCASE", params=[text])
        if found:
            return found
    words = [word.casefold() for word in text.split()]
    where = "WHERE " + " AND ".join("instr(reelsense_casefold(m.title), ?) > 0" for _ in words)
    return _summaries(conn, where=where, params=words)


def resolve_movie(conn: sqlite3.Connection, movie_id: str) -> str | None:
    """The stored id for ``movie_id`` (exact, else ignoring case), or ``None``."""
    row = conn.execute("SELECT movie_id FROM movies WHERE movie_id = ?", (movie_id,)).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT movie_id FROM movies WHERE movie_id = ? COLLATE NOCASE LIMIT 1",
            (movie_id.strip(),),
        ).fetchone()
    return None if row is None else str(row[0])


def movie_stats(conn: sqlite3.Connection, movie_id: str, *, label: str) -> MovieStats:
    """Counts, histogram (given ratings rounded half up, keys 1..10) and dates of one movie.

    Raises
    ------
    QueryError
        No such movie.
    """
    found = resolve_movie(conn, movie_id)
    if found is None:
        raise QueryError(f"{label}: no movie {movie_id!r} in the store")
    summary = _summaries(conn, where="WHERE m.movie_id = ?", params=[found], movie_id=found)[0]
    histogram = dict.fromkeys(range(1, 11), 0)
    for row in conn.execute(
        "SELECT CAST(ROUND(rating, 6) + 0.5 AS INTEGER) AS point, COUNT(*) AS n "
        "FROM reviews WHERE movie_id = ? AND rating IS NOT NULL GROUP BY point",
        (found,),
    ):
        histogram[min(10, max(1, int(row["point"])))] += int(row["n"])
    row = conn.execute(
        "SELECT COALESCE(SUM(rating IS NULL), 0) AS unrated, "
        "COALESCE(SUM(rating IS NULL AND stated_rating IS NOT NULL), 0) AS with_stated, "
        "COALESCE(SUM(spoiler), 0) AS spoilers, "
        "MIN(review_date) AS first_date, MAX(review_date) AS last_date "
        "FROM reviews WHERE movie_id = ?",
        (found,),
    ).fetchone()
    positions = {
        str(g["group_name"]): int(g["position"])
        for g in conn.execute(
            "SELECT group_name, position FROM movie_groups "
            "WHERE movie_id = ? AND position IS NOT NULL ORDER BY group_name",
            (found,),
        )
    }
    return MovieStats(
        summary=summary,
        histogram=histogram,
        unrated=int(row["unrated"]),
        unrated_with_stated=int(row["with_stated"]),
        spoilers=int(row["spoilers"]),
        first_date=parse_date(row["first_date"]),
        last_date=parse_date(row["last_date"]),
        group_positions=positions,
    )
