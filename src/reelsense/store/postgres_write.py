"""Writing one batch of records into the PostgreSQL schema (inside a transaction).

The same rules as :mod:`reelsense.store.sqlite_write`: reviews are
de-duplicated by :attr:`Review.key`, movies are upserted (stored values win,
nulls are filled), a review of an unwritten movie creates a bare movie.

Reviews go in with ``COPY`` into a temporary staging table, then one
``INSERT ... SELECT ... ON CONFLICT DO NOTHING``; writers take a lock on
``reviews`` so review ids follow the order records were written.
"""

from __future__ import annotations

from collections.abc import Sequence

from reelsense.records import Movie, Problem, Record, Review
from reelsense.store.base import WriteResult
from reelsense.store.postgres_connection import PgConnection, scalar
from reelsense.store.sqlite_write import split_records

__all__ = ["REVIEW_COLUMNS", "STAGING_DDL", "review_values", "write_batch"]

REVIEW_COLUMNS = (
    "review_key, movie_id, position, review_date, author, rating, headline, spoiler, body, "
    "stated_rating, stated_rating_text, stated_rating_field, stated_rating_start, "
    "stated_rating_end, source_file, source_line, external_id, split, label"
)

# Created once per connection; ON COMMIT DELETE ROWS empties it after every write.
STAGING_DDL = """
CREATE TEMPORARY TABLE IF NOT EXISTS staging_reviews (
    seq bigint NOT NULL, email text,
    review_key text, movie_id text, position integer, review_date date, author text,
    rating double precision, headline text, spoiler boolean, body text,
    stated_rating double precision, stated_rating_text text, stated_rating_field text,
    stated_rating_start integer, stated_rating_end integer, source_file text,
    source_line integer, external_id text, split text, label text
) ON COMMIT DELETE ROWS
"""

_COPY = f"COPY staging_reviews (seq, email, {REVIEW_COLUMNS}) FROM STDIN"

_LOCK = "LOCK TABLE reviews IN SHARE ROW EXCLUSIVE MODE"

# Later copies of a key in the batch, then keys already stored, are "existing".
_DROP_REPEATS = """
DELETE FROM staging_reviews AS s USING staging_reviews AS t
WHERE s.review_key = t.review_key AND s.seq > t.seq
"""
_DROP_STORED = """
DELETE FROM staging_reviews AS s USING reviews AS r WHERE r.review_key = s.review_key
"""
_BARE_MOVIES = """
INSERT INTO movies (movie_id) SELECT DISTINCT movie_id FROM staging_reviews
ON CONFLICT (movie_id) DO NOTHING
"""
_INSERT_REVIEWS = f"""
WITH fresh AS (
    INSERT INTO reviews ({REVIEW_COLUMNS})
    SELECT {REVIEW_COLUMNS} FROM staging_reviews ORDER BY seq
    ON CONFLICT DO NOTHING
    RETURNING review_id, review_key
)
INSERT INTO reviewer_emails (review_id, email)
SELECT f.review_id, s.email FROM fresh AS f
JOIN staging_reviews AS s ON s.review_key = f.review_key
WHERE s.email IS NOT NULL
"""

_UPSERT_MOVIE = """
INSERT INTO movies AS m (movie_id, title, year, imdb_rating, url, source_file)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (movie_id) DO UPDATE SET
    title = COALESCE(m.title, excluded.title),
    year = COALESCE(m.year, excluded.year),
    imdb_rating = COALESCE(m.imdb_rating, excluded.imdb_rating),
    url = COALESCE(m.url, excluded.url),
    source_file = COALESCE(m.source_file, excluded.source_file)
"""

_UPSERT_GROUP = """
INSERT INTO movie_groups AS g (group_name, movie_id, position) VALUES (%s, %s, %s)
ON CONFLICT (group_name, movie_id) DO UPDATE SET position = COALESCE(g.position, excluded.position)
"""

_INSERT_PROBLEMS = """
INSERT INTO problems (source_file, line, message)
SELECT f, l, m FROM unnest(%s::text[], %s::integer[], %s::text[]) WITH ORDINALITY AS p (f, l, m, n)
ORDER BY n
ON CONFLICT DO NOTHING
"""


def review_values(review: Review) -> tuple[object, ...]:
    """A review's column values in :data:`REVIEW_COLUMNS` order."""
    stated = review.stated
    return (
        review.key,
        review.movie_id,
        review.position,
        review.date,
        review.display_name,
        review.rating,
        review.headline,
        bool(review.spoiler),
        review.text,
        stated.value if stated is not None else None,
        stated.matched if stated is not None else None,
        stated.field if stated is not None else None,
        stated.start if stated is not None else None,
        stated.end if stated is not None else None,
        review.source_file,
        review.source_line,
        review.external_id,
        review.split,
        review.label,
    )


def write_batch(conn: PgConnection, records: Sequence[Record]) -> WriteResult:
    """Write a batch; the caller holds the transaction (and rolls it back on error).

    Returns
    -------
    WriteResult
        New movies (bare ones included), new and existing reviews, new problems.
    """
    movies, reviews, problems = split_records(records)
    if reviews:
        conn.execute(_LOCK)
    movies_new = _write_movies(conn, movies, reviews)
    reviews_new = _write_reviews(conn, reviews)
    problems_new = _write_problems(conn, problems)
    return WriteResult(movies_new, reviews_new, len(reviews) - reviews_new, problems_new)


def _write_movies(conn: PgConnection, movies: list[Movie], reviews: list[Review]) -> int:
    wanted = list(dict.fromkeys([m.movie_id for m in movies] + [r.movie_id for r in reviews]))
    if not wanted:
        return 0
    already = int(
        scalar(
            conn,
            "SELECT COUNT(*) FROM movies WHERE movie_id = ANY(%s)",
            ([w for w in wanted if w is not None],),
        )
    )
    with conn.cursor() as cur:
        if movies:
            cur.executemany(
                _UPSERT_MOVIE,
                [
                    (m.movie_id, m.title, m.year, m.imdb_rating, m.url, m.source_file)
                    for m in movies
                ],
            )
        grouped = [(m.group, m.movie_id, m.position) for m in movies if m.group is not None]
        if grouped:
            cur.executemany(_UPSERT_GROUP, grouped)
    return len(wanted) - already


def _write_reviews(conn: PgConnection, reviews: list[Review]) -> int:
    if not reviews:
        return 0
    with conn.cursor() as cur:
        with cur.copy(_COPY) as copy:
            for seq, review in enumerate(reviews):
                copy.write_row((seq, review.email or None, *review_values(review)))
        cur.execute(_DROP_REPEATS)
        cur.execute(_DROP_STORED)
        fresh = int(scalar(conn, "SELECT COUNT(*) FROM staging_reviews"))
        if fresh:
            cur.execute(_BARE_MOVIES)
            cur.execute(_INSERT_REVIEWS)
    return fresh


def _write_problems(conn: PgConnection, problems: list[Problem]) -> int:
    if not problems:
        return 0
    cursor = conn.execute(
        _INSERT_PROBLEMS,
        (
            [p.source_file for p in problems],
            [p.line for p in problems],
            [p.message for p in problems],
        ),
    )
    return max(0, cursor.rowcount)
