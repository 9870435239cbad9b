"""Model scores in the SQLite store: models, unscored reviews, analysis rows.

Each function takes an open connection; :class:`reelsense.store.sqlite.SQLiteStore`
holds the lock, runs writes in a transaction and translates ``sqlite3`` errors.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from reelsense.errors import QueryError
from reelsense.store.base import AnalysisRow, AspectMention, MovieSentiment
from reelsense.store.queries import sentiment_from_rows
from reelsense.store.sqlite_movies import resolve_movie

__all__ = [
    "UNSCORED_SQL",
    "analysis_rows",
    "aspect_rows",
    "count_unscored",
    "current_model",
    "movie_sentiment",
    "register_model",
    "sample_texts",
    "write_analysis",
    "write_aspects",
]

UNSCORED_SQL = """
SELECT r.*, NULL AS email
FROM reviews AS r
WHERE r.review_id > ?
  AND NOT EXISTS (
      SELECT 1 FROM analyses AS a WHERE a.review_id = r.review_id AND a.model_version = ?
  )
ORDER BY r.review_id
LIMIT ?
"""

_INSERT_SQL = """
INSERT OR REPLACE INTO analyses (
    review_id, model_version, polarity, p_positive, predicted_rating, predicted_confidence,
    final_rating, rating_source, rating_confidence, analyzed_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def register_model(conn: sqlite3.Connection, version: str, metadata_json: str) -> None:
    """Insert the model row unless it exists; its ``registered_at`` marks it current."""
    conn.execute(
        "INSERT INTO models (model_version, metadata, registered_at) VALUES (?, ?, ?) "
        "ON CONFLICT (model_version) DO UPDATE SET registered_at = excluded.registered_at",
        (version, metadata_json, _now()),
    )


def current_model(conn: sqlite3.Connection) -> str | None:
    """The most recently registered model version."""
    row = conn.execute(
        "SELECT model_version FROM models ORDER BY registered_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def count_unscored(conn: sqlite3.Connection, model_version: str) -> int:
    """Reviews with no analysis row for ``model_version``."""
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM reviews) - "
        "(SELECT COUNT(*) FROM analyses WHERE model_version = ?)",
        (model_version,),
    ).fetchone()
    return int(row[0])


def write_analysis(conn: sqlite3.Connection, rows: Sequence[AnalysisRow]) -> int:
    """Insert (or replace) analysis rows; the caller holds the transaction."""
    stamp = _now()
    conn.executemany(
        _INSERT_SQL,
        [
            (
                r.review_id,
                r.model_version,
                r.polarity,
                r.p_positive,
                r.predicted_rating,
                r.predicted_confidence,
                r.final_rating,
                r.rating_source,
                r.rating_confidence,
                stamp,
            )
            for r in rows
        ],
    )
    return len(rows)


def movie_sentiment(
    conn: sqlite3.Connection, movie_id: str, model_version: str, *, label: str
) -> MovieSentiment:
    """Polarity counts and per-source histograms of final ratings for one movie."""
    found = resolve_movie(conn, movie_id)
    if found is None:
        raise QueryError(f"{label}: no movie {movie_id!r} in the store")
    points = conn.execute(
        "SELECT a.rating_source AS source, "
        "CAST(ROUND(a.final_rating, 6) + 0.5 AS INTEGER) AS point, COUNT(*) AS n "
        "FROM analyses AS a JOIN reviews AS r ON r.review_id = a.review_id "
        "WHERE r.movie_id = ? AND a.model_version = ? GROUP BY source, point",
        (found, model_version),
    ).fetchall()
    totals = conn.execute(
        "SELECT COUNT(*) AS analyzed, COALESCE(SUM(a.polarity = 'positive'), 0) AS positive, "
        "AVG(a.p_positive) AS mean_p "
        "FROM analyses AS a JOIN reviews AS r ON r.review_id = a.review_id "
        "WHERE r.movie_id = ? AND a.model_version = ?",
        (found, model_version),
    ).fetchone()
    return sentiment_from_rows(model_version, points, totals)


_INSERT_ASPECT = """
INSERT OR REPLACE INTO aspect_mentions (
    review_id, model_version, sentence, aspect, polarity, score, sentence_text
) VALUES (?, ?, ?, ?, ?, ?, ?)
"""


def write_aspects(conn: sqlite3.Connection, rows: Sequence[AspectMention]) -> int:
    """Insert (or replace) aspect mentions; the caller holds the transaction."""
    conn.executemany(
        _INSERT_ASPECT,
        [
            (m.review_id, m.model_version, m.sentence, m.aspect, m.polarity, m.score, m.text)
            for m in rows
        ],
    )
    return len(rows)


def analysis_rows(
    conn: sqlite3.Connection, review_ids: Sequence[int], model_version: str
) -> dict[int, AnalysisRow]:
    """The analysis rows of some reviews under one model version."""
    if not review_ids:
        return {}
    marks = ", ".join("?" * len(review_ids))
    rows = conn.execute(
        "SELECT review_id, model_version, polarity, p_positive, predicted_rating, "
        "predicted_confidence, final_rating, rating_source, rating_confidence "
        f"FROM analyses WHERE model_version = ? AND review_id IN ({marks})",
        (model_version, *review_ids),
    )
    return {int(row[0]): AnalysisRow(*row) for row in rows}


def aspect_rows(
    conn: sqlite3.Connection, review_ids: Sequence[int], model_version: str
) -> dict[int, list[AspectMention]]:
    """The aspect mentions of some reviews under one model version, in sentence order."""
    found: dict[int, list[AspectMention]] = {}
    if not review_ids:
        return found
    marks = ", ".join("?" * len(review_ids))
    for row in conn.execute(
        "SELECT review_id, model_version, sentence, aspect, polarity, score, sentence_text "
        f"FROM aspect_mentions WHERE model_version = ? AND review_id IN ({marks}) "
        "ORDER BY review_id, sentence, aspect",
        (model_version, *review_ids),
    ):
        found.setdefault(int(row[0]), []).append(AspectMention(*row))
    return found


def sample_texts(conn: sqlite3.Connection, limit: int, exclude_movie: str | None) -> list[str]:
    """Up to ``limit`` texts at evenly spaced review ids (deterministic)."""
    if limit < 1:
        return []
    total = int(conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    step = max(1, total // limit)
    rows = conn.execute(
        "SELECT body FROM reviews WHERE review_id % ? = 0 AND movie_id IS NOT ? "
        "ORDER BY review_id LIMIT ?",
        (step, exclude_movie, limit),
    )
    return [str(row[0]) for row in rows]
