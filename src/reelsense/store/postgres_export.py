"""Reading whole tables of the PostgreSQL store in batches (for ``reelsense db copy``).

Also turns a ``reviews`` row back into a :class:`~reelsense.records.Review`.
Each streaming function takes ``read``, which runs one short transaction, so
no cursor stays open between batches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from reelsense.records import Movie, Problem, RatingField, Review, StatedRating
from reelsense.store.base import AnalysisCounts, RegisteredModel, StoreCounts
from reelsense.store.postgres_connection import PgConnection

__all__ = [
    "analysis_counts",
    "counts",
    "iter_movies",
    "iter_problems",
    "models",
    "problems",
    "review_from_row",
    "review_ids",
]

T = TypeVar("T")


def fetch_all(sql: str, params: Sequence[object], conn: PgConnection) -> list[dict[str, Any]]:
    """All rows of one query (bound with :func:`functools.partial` for a reader)."""
    return conn.execute(sql, params).fetchall()


Reader = Callable[[Callable[[PgConnection], T]], T]


def review_from_row(row: dict[str, Any]) -> Review:
    """The :class:`Review` a ``reviews`` row (plus an ``email`` column) stores."""
    stated = None
    if row["stated_rating"] is not None:
        field: RatingField = "headline" if row["stated_rating_field"] == "headline" else "text"
        stated = StatedRating(
            value=float(row["stated_rating"]),
            matched=row["stated_rating_text"] or "",
            start=int(row["stated_rating_start"] or 0),
            end=int(row["stated_rating_end"] or 0),
            field=field,
        )
    return Review(
        movie_id=row["movie_id"],
        position=int(row["position"] or 0),
        text=row["body"],
        date=row["review_date"],
        display_name=row["author"],
        email=row["email"],
        rating=row["rating"],
        headline=row["headline"],
        spoiler=bool(row["spoiler"]),
        stated=stated,
        source_file=row["source_file"],
        source_line=row["source_line"],
        external_id=row["external_id"],
        split=row["split"],
        label=row["label"],
    )


_MOVIES_SQL = """
SELECT m.movie_id, m.title, m.year, m.imdb_rating, m.url, m.source_file,
       g.group_name, g.position
FROM movies AS m LEFT JOIN movie_groups AS g ON g.movie_id = m.movie_id
WHERE (m.movie_id, COALESCE(g.group_name, '')) > (%s, %s)
ORDER BY m.movie_id, COALESCE(g.group_name, '')
LIMIT %s
"""


def iter_movies(read: Reader[list[dict[str, Any]]], batch_size: int) -> Iterator[Movie]:
    """Movies in id order, one record per group membership (or one without a group)."""
    last_movie, last_group = "", ""
    while True:
        params = (last_movie, last_group, batch_size)
        rows = read(functools.partial(fetch_all, _MOVIES_SQL, params))
        for row in rows:
            yield Movie(
                row["movie_id"],
                title=row["title"],
                year=row["year"],
                imdb_rating=row["imdb_rating"],
                url=row["url"],
                group=row["group_name"],
                position=row["position"],
                source_file=row["source_file"],
            )
        if len(rows) < batch_size:
            return
        last_movie, last_group = rows[-1]["movie_id"], rows[-1]["group_name"] or ""


def iter_problems(read: Reader[list[dict[str, Any]]], batch_size: int) -> Iterator[Problem]:
    """Problems oldest first."""
    last_id = 0
    while True:
        params = (last_id, batch_size)
        rows = read(
            functools.partial(
                fetch_all,
                "SELECT problem_id, source_file, line, message FROM problems "
                "WHERE problem_id > %s ORDER BY problem_id LIMIT %s",
                params,
            )
        )
        for row in rows:
            yield Problem(row["source_file"], row["line"], row["message"])
        if len(rows) < batch_size:
            return
        last_id = int(rows[-1]["problem_id"])


def problems(conn: PgConnection, limit: int | None) -> list[Problem]:
    """Problems oldest first, at most ``limit``."""
    sql = "SELECT source_file, line, message FROM problems ORDER BY problem_id"
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT %s"
        params = (limit,)
    return [
        Problem(row["source_file"], row["line"], row["message"])
        for row in conn.execute(sql, params)
    ]


def models(conn: PgConnection) -> list[RegisteredModel]:
    """Registered models, oldest registration first."""
    return [
        RegisteredModel(row["model_version"], row["metadata"])
        for row in conn.execute(
            "SELECT model_version, metadata FROM models ORDER BY registered_at, model_version"
        )
    ]


def review_ids(conn: PgConnection, keys: Sequence[str]) -> dict[str, int]:
    """Stored review ids by key, for the keys that are stored."""
    return {
        row["review_key"]: int(row["review_id"])
        for row in conn.execute(
            "SELECT review_key, review_id FROM reviews WHERE review_key = ANY(%s)", (list(keys),)
        )
    }


def analysis_counts(conn: PgConnection) -> AnalysisCounts:
    """Rows in ``models``, ``analyses`` and ``aspect_mentions``."""
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM models) AS models, "
        "(SELECT COUNT(*) FROM analyses) AS analyses, "
        "(SELECT COUNT(*) FROM aspect_mentions) AS aspects"
    ).fetchone()
    assert row is not None
    return AnalysisCounts(int(row["models"]), int(row["analyses"]), int(row["aspects"]))


def counts(conn: PgConnection) -> StoreCounts:
    """Totals across the store."""
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM movies) AS movies, "
        "(SELECT COUNT(*) FROM reviews) AS reviews, "
        "(SELECT COUNT(rating) FROM reviews) AS rated, "
        "(SELECT COUNT(*) FROM reviewer_emails) AS emails, "
        "(SELECT COUNT(*) FROM problems) AS problems, "
        "(SELECT COUNT(DISTINCT group_name) FROM movie_groups) AS groups"
    ).fetchone()
    assert row is not None
    return StoreCounts(
        int(row["movies"]),
        int(row["reviews"]),
        int(row["rated"]),
        int(row["emails"]),
        int(row["problems"]),
        int(row["groups"]),
    )
