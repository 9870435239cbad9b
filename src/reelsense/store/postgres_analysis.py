"""Model scores in the PostgreSQL store: models, unscored reviews, analysis rows.

Analysis rows and aspect mentions are bulk-loaded with ``COPY`` into
temporary staging tables, then upserted (the same key is replaced, as
SQLite's ``INSERT OR REPLACE``). Each function takes a connection inside a
transaction held by :class:`reelsense.store.postgres.PostgresStore`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reelsense.errors import QueryError
from reelsense.store.base import AnalysisRow, AspectMention, MovieSentiment
from reelsense.store.postgres_connection import PgConnection, scalar
from reelsense.store.postgres_movies import resolve_movie
from reelsense.store.queries import sentiment_from_rows

__all__ = [
    "ANALYSIS_COLUMNS",
    "ASPECT_COLUMNS",
    "STAGING_DDL",
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

ANALYSIS_COLUMNS = (
    "review_id, model_version, polarity, p_positive, predicted_rating, predicted_confidence, "
    "final_rating, rating_source, rating_confidence"
)
ASPECT_COLUMNS = "review_id, model_version, sentence, aspect, polarity, score, sentence_text"

STAGING_DDL = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS staging_analyses ON COMMIT DELETE ROWS AS "
    f"SELECT {ANALYSIS_COLUMNS} FROM analyses WITH NO DATA",
    "CREATE TEMPORARY TABLE IF NOT EXISTS staging_aspects ON COMMIT DELETE ROWS AS "
    f"SELECT {ASPECT_COLUMNS} FROM aspect_mentions WITH NO DATA",
)

UNSCORED_SQL = """
SELECT r.*, NULL AS email
FROM reviews AS r
WHERE r.review_id > %s
  AND NOT EXISTS (
      SELECT 1 FROM analyses AS a WHERE a.review_id = r.review_id AND a.model_version = %s
  )
ORDER BY r.review_id
LIMIT %s
"""

_UPSERT_ANALYSES = f"""
INSERT INTO analyses ({ANALYSIS_COLUMNS}, analyzed_at)
SELECT {ANALYSIS_COLUMNS}, now() FROM staging_analyses
ON CONFLICT (review_id, model_version) DO UPDATE SET
    polarity = excluded.polarity, p_positive = excluded.p_positive,
    predicted_rating = excluded.predicted_rating,
    predicted_confidence = excluded.predicted_confidence,
    final_rating = excluded.final_rating, rating_source = excluded.rating_source,
    rating_confidence = excluded.rating_confidence, analyzed_at = excluded.analyzed_at
"""

_UPSERT_ASPECTS = f"""
INSERT INTO aspect_mentions ({ASPECT_COLUMNS})
SELECT {ASPECT_COLUMNS} FROM staging_aspects
ON CONFLICT (review_id, model_version, sentence, aspect) DO UPDATE SET
    polarity = excluded.polarity, score = excluded.score, sentence_text = excluded.sentence_text
"""


def register_model(conn: PgConnection, version: str, metadata_json: str) -> None:
    """Insert the model row unless it exists; its ``registered_at`` marks it current."""
    conn.execute(
        "INSERT INTO models (model_version, metadata, registered_at) "
        "VALUES (%s, %s, clock_timestamp()) "
        "ON CONFLICT (model_version) DO UPDATE SET registered_at = excluded.registered_at",
        (version, metadata_json),
    )


def current_model(conn: PgConnection) -> str | None:
    """The most recently registered model version."""
    found = scalar(
        conn,
        "SELECT model_version FROM models ORDER BY registered_at DESC, model_version DESC LIMIT 1",
    )
    return None if found is None else str(found)


def count_unscored(conn: PgConnection, model_version: str) -> int:
    """Reviews with no analysis row for ``model_version``."""
    return int(
        scalar(
            conn,
            "SELECT (SELECT COUNT(*) FROM reviews) - "
            "(SELECT COUNT(*) FROM analyses WHERE model_version = %s)",
            (model_version,),
        )
    )


def write_analysis(conn: PgConnection, rows: Sequence[AnalysisRow]) -> int:
    """Upsert analysis rows (the last of repeated keys wins); the caller holds the transaction."""
    latest = {(r.review_id, r.model_version): r for r in rows}
    if latest:
        with conn.cursor() as cur:
            with cur.copy(f"COPY staging_analyses ({ANALYSIS_COLUMNS}) FROM STDIN") as copy:
                for r in latest.values():
                    copy.write_row(
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
                        )
                    )
            cur.execute(_UPSERT_ANALYSES)
    return len(rows)


def write_aspects(conn: PgConnection, rows: Sequence[AspectMention]) -> int:
    """Upsert aspect mentions (the last of repeated keys wins); the caller holds the transaction."""
    latest = {(m.review_id, m.model_version, m.sentence, m.aspect): m for m in rows}
    if latest:
        with conn.cursor() as cur:
            with cur.copy(f"COPY staging_aspects ({ASPECT_COLUMNS}) FROM STDIN") as copy:
                for m in latest.values():
                    copy.write_row(
                        (
                            m.review_id,
                            m.model_version,
                            m.sentence,
                            m.aspect,
                            m.polarity,
                            m.score,
                            m.text,
                        )
                    )
            cur.execute(_UPSERT_ASPECTS)
    return len(rows)


def movie_sentiment(
    conn: PgConnection, movie_id: str, model_version: str, *, label: str
) -> MovieSentiment:
    """Polarity counts and per-source histograms of final ratings for one movie."""
    found = resolve_movie(conn, movie_id)
    if found is None:
        raise QueryError(f"{label}: no movie {movie_id!r} in the store")
    points = conn.execute(
        "SELECT a.rating_source AS source, "
        "floor(round(a.final_rating::numeric, 6) + 0.5)::integer AS point, COUNT(*) AS n "
        "FROM analyses AS a JOIN reviews AS r ON r.review_id = a.review_id "
        "WHERE r.movie_id = %s AND a.model_version = %s GROUP BY source, point",
        (found, model_version),
    ).fetchall()
    totals = conn.execute(
        "SELECT COUNT(*) AS analyzed, COUNT(*) FILTER (WHERE a.polarity = 'positive') AS positive, "
        "AVG(a.p_positive) AS mean_p "
        "FROM analyses AS a JOIN reviews AS r ON r.review_id = a.review_id "
        "WHERE r.movie_id = %s AND a.model_version = %s",
        (found, model_version),
    ).fetchone()
    assert totals is not None  # an aggregate always returns a row
    return sentiment_from_rows(model_version, points, totals)


def analysis_rows(
    conn: PgConnection, review_ids: Sequence[int], model_version: str | None
) -> list[AnalysisRow]:
    """The analysis rows of some reviews (under one model version, or all when ``None``)."""
    if not review_ids:
        return []
    sql = f"SELECT {ANALYSIS_COLUMNS} FROM analyses WHERE review_id = ANY(%s)"
    params: list[object] = [list(review_ids)]
    if model_version is not None:
        sql += " AND model_version = %s"
        params.append(model_version)
    sql += " ORDER BY review_id, model_version"
    return [
        AnalysisRow(
            review_id=int(row["review_id"]),
            model_version=row["model_version"],
            polarity=row["polarity"],
            p_positive=row["p_positive"],
            predicted_rating=row["predicted_rating"],
            predicted_confidence=row["predicted_confidence"],
            final_rating=row["final_rating"],
            rating_source=row["rating_source"],
            rating_confidence=row["rating_confidence"],
        )
        for row in conn.execute(sql, params)
    ]


def aspect_rows(
    conn: PgConnection, review_ids: Sequence[int], model_version: str | None
) -> list[AspectMention]:
    """The aspect mentions of some reviews, in review, sentence and aspect order."""
    if not review_ids:
        return []
    sql = f"SELECT {ASPECT_COLUMNS} FROM aspect_mentions WHERE review_id = ANY(%s)"
    params: list[object] = [list(review_ids)]
    if model_version is not None:
        sql += " AND model_version = %s"
        params.append(model_version)
    sql += ' ORDER BY review_id, model_version, sentence, aspect COLLATE "C"'
    return [
        AspectMention(
            int(row["review_id"]),
            row["model_version"],
            row["sentence"],
            row["aspect"],
            row["polarity"],
            row["score"],
            row["sentence_text"],
        )
        for row in conn.execute(sql, params)
    ]


def sample_texts(conn: PgConnection, limit: int, exclude_movie: str | None) -> list[str]:
    """Up to ``limit`` texts at evenly spaced review ids (deterministic)."""
    if limit < 1:
        return []
    total = int(scalar(conn, "SELECT COUNT(*) FROM reviews"))
    step = max(1, total // limit)
    rows = conn.execute(
        "SELECT body FROM reviews WHERE review_id %% %s = 0 AND movie_id IS DISTINCT FROM %s "
        "ORDER BY review_id LIMIT %s",
        (step, exclude_movie, limit),
    )
    return [str(row["body"]) for row in rows]
