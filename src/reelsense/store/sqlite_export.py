"""Reading whole tables of the SQLite store in batches (for ``reelsense db copy``).

Each streaming function takes ``read``, which runs one query under the
store's lock, so no cursor stays open between batches.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from reelsense.records import Movie, Problem, RatingField, Review, StatedRating
from reelsense.store.base import AnalysisCounts, AnalysisRow, AspectMention, RegisteredModel
from reelsense.store.sqlite_movies import parse_date

__all__ = [
    "analysis_counts",
    "analysis_for",
    "iter_movies",
    "iter_problems",
    "models",
    "review_from_row",
    "review_ids",
]

T = TypeVar("T")


def fetch_all(sql: str, params: Sequence[object], conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """All rows of one query (bound with :func:`functools.partial` for a reader)."""
    return conn.execute(sql, params).fetchall()


Reader = Callable[[Callable[[sqlite3.Connection], T]], T]

_CHUNK = 500

_MOVIES_SQL = """
SELECT m.movie_id, m.title, m.year, m.imdb_rating, m.url, m.source_file,
       g.group_name, g.position, COALESCE(g.group_name, '') AS group_key
FROM movies AS m LEFT JOIN movie_groups AS g ON g.movie_id = m.movie_id
WHERE (m.movie_id, COALESCE(g.group_name, '')) > (?, ?)
ORDER BY m.movie_id, group_key
LIMIT ?
"""


def iter_movies(read: Reader[list[sqlite3.Row]], batch_size: int) -> Iterator[Movie]:
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
        last_movie, last_group = rows[-1]["movie_id"], rows[-1]["group_key"]


def iter_problems(read: Reader[list[sqlite3.Row]], batch_size: int) -> Iterator[Problem]:
    """Problems oldest first."""
    last_id = 0
    while True:
        params = (last_id, batch_size)
        rows = read(
            functools.partial(
                fetch_all,
                "SELECT problem_id, source_file, line, message FROM problems "
                "WHERE problem_id > ? ORDER BY problem_id LIMIT ?",
                params,
            )
        )
        for row in rows:
            yield Problem(row["source_file"], row["line"], row["message"])
        if len(rows) < batch_size:
            return
        last_id = int(rows[-1]["problem_id"])


def models(conn: sqlite3.Connection) -> list[RegisteredModel]:
    """Registered models, oldest registration first."""
    return [
        RegisteredModel(row["model_version"], row["metadata"])
        for row in conn.execute(
            "SELECT model_version, metadata FROM models ORDER BY registered_at, rowid"
        )
    ]


def review_ids(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, int]:
    """Stored review ids by key, for the keys that are stored."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = list(keys[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT review_key, review_id FROM reviews WHERE review_key IN ({marks})", chunk
        ):
            found[str(row[0])] = int(row[1])
    return found


def analysis_for(
    conn: sqlite3.Connection, review_ids: Sequence[int]
) -> tuple[list[AnalysisRow], list[AspectMention]]:
    """Every analysis row and aspect mention of these reviews, all model versions."""
    analyses: list[AnalysisRow] = []
    aspects: list[AspectMention] = []
    for start in range(0, len(review_ids), _CHUNK):
        chunk = list(review_ids[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        analyses.extend(
            AnalysisRow(*row)
            for row in conn.execute(
                "SELECT review_id, model_version, polarity, p_positive, predicted_rating, "
                "predicted_confidence, final_rating, rating_source, rating_confidence "
                f"FROM analyses WHERE review_id IN ({marks}) ORDER BY review_id, model_version",
                chunk,
            )
        )
        aspects.extend(
            AspectMention(*row)
            for row in conn.execute(
                "SELECT review_id, model_version, sentence, aspect, polarity, score, "
                f"sentence_text FROM aspect_mentions WHERE review_id IN ({marks}) "
                "ORDER BY review_id, model_version, sentence, aspect",
                chunk,
            )
        )
    return analyses, aspects


def analysis_counts(conn: sqlite3.Connection) -> AnalysisCounts:
    """Rows in ``models``, ``analyses`` and ``aspect_mentions``."""
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM models), (SELECT COUNT(*) FROM analyses), "
        "(SELECT COUNT(*) FROM aspect_mentions)"
    ).fetchone()
    return AnalysisCounts(int(row[0]), int(row[1]), int(row[2]))


def review_from_row(row: sqlite3.Row) -> Review:
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
        date=parse_date(row["review_date"]),
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
