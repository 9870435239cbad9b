"""Writing one batch of records into the SQLite schema (inside a transaction).

Reviews are de-duplicated by :attr:`Review.key`: keys already stored, or seen
earlier in the same batch, are counted as existing and left alone. Movies
are upserted: a movie written again keeps its non-null values and fills its
nulls. A review whose movie was never written gets a bare movie row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from reelsense.errors import StoreError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.store.base import WriteResult

__all__ = ["write_batch"]

_CHUNK = 500

_UPSERT_MOVIE = """
INSERT INTO movies (movie_id, title, year, imdb_rating, url, source_file)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (movie_id) DO UPDATE SET
    title = COALESCE(movies.title, excluded.title),
    year = COALESCE(movies.year, excluded.year),
    imdb_rating = COALESCE(movies.imdb_rating, excluded.imdb_rating),
    url = COALESCE(movies.url, excluded.url),
    source_file = COALESCE(movies.source_file, excluded.source_file)
"""

_INSERT_BARE_MOVIE = "INSERT INTO movies (movie_id) VALUES (?) ON CONFLICT (movie_id) DO NOTHING"

_UPSERT_GROUP = """
INSERT INTO movie_groups (group_name, movie_id, position) VALUES (?, ?, ?)
ON CONFLICT (group_name, movie_id) DO UPDATE SET
    position = COALESCE(movie_groups.position, excluded.position)
"""

_INSERT_REVIEW = """
INSERT INTO reviews (
    review_id, review_key, movie_id, position, review_date, author, rating, headline,
    spoiler, body, stated_rating, stated_rating_text, stated_rating_field,
    stated_rating_start, stated_rating_end, source_file, source_line, external_id,
    split, label
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (review_key) DO NOTHING
"""

# Index a batch of new reviews in one statement (see 0001_initial.sql).
_INDEX_REVIEWS = """
INSERT INTO reviews_fts (rowid, headline, body)
SELECT review_id, headline, body FROM reviews WHERE review_id >= ?
"""

# FTS5 merges index segments this many at a time (its default is 4). Ingesting
# 100,000 aclImdb reviews in batches of 5,000 takes about 12% less CPU with 8
# than with 4, and about 9% less wall time again with 16 (7.9 -> 7.2 s,
# benchmarks/ingest.py); search times stayed within noise (5.0 vs 5.1 ms for
# a two-word query, 137 vs 141 ms for ``act*``, best of five). A setting in
# reviews_fts_config, written once per database inside a write transaction
# (no schema change, so the SQLite and PostgreSQL schema versions stay equal).
FTS_AUTOMERGE = 16

_FTS_AUTOMERGE_NOW = "SELECT v FROM reviews_fts_config WHERE k = 'automerge'"
_SET_FTS_AUTOMERGE = "INSERT INTO reviews_fts (reviews_fts, rank) VALUES ('automerge', ?)"

_INSERT_EMAIL = "INSERT INTO reviewer_emails (review_id, email) VALUES (?, ?)"

_INSERT_PROBLEM = """
INSERT INTO problems (source_file, line, message, recorded_at) VALUES (?, ?, ?, ?)
ON CONFLICT DO NOTHING
"""


def split_records(
    records: Iterable[Record],
) -> tuple[list[Movie], list[Review], list[Problem]]:
    """Sort records by kind, keeping their order.

    Raises
    ------
    TypeError
        For anything that is not a Movie, Review or Problem.
    """
    movies: list[Movie] = []
    reviews: list[Review] = []
    problems: list[Problem] = []
    for record in records:
        if isinstance(record, Review):
            reviews.append(record)
        elif isinstance(record, Movie):
            movies.append(record)
        elif isinstance(record, Problem):
            problems.append(record)
        else:
            raise TypeError(
                f"cannot store a {type(record).__name__}; expected Movie, Review or Problem"
            )
    return movies, reviews, problems


def existing_values(
    conn: sqlite3.Connection, table: str, column: str, values: Sequence[object]
) -> set[object]:
    """Which of ``values`` are already in ``table.column`` (names come from code, not users)."""
    found: set[object] = set()
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT {column} FROM {table} WHERE {column} IN ({marks})"
        found.update(row[0] for row in conn.execute(sql, tuple(chunk)))
    return found


def write_batch(conn: sqlite3.Connection, records: Sequence[Record], *, label: str) -> WriteResult:
    """Write a batch; the caller holds the transaction.

    Parameters
    ----------
    conn:
        A connection inside ``BEGIN IMMEDIATE`` (so no other writer can
        interleave between the key check and the insert).
    records:
        Movies, reviews and problems in any order.
    label:
        The database's name for messages.

    Returns
    -------
    WriteResult
        New movies (including bare ones created for orphan reviews), new and
        existing reviews, new problems.
    """
    movies, reviews, problems = split_records(records)
    movies_new = _write_movies(conn, movies, reviews)
    reviews_new, reviews_existing = _write_reviews(conn, reviews, label=label)
    problems_new = _write_problems(conn, problems)
    return WriteResult(movies_new, reviews_new, reviews_existing, problems_new)


def _write_movies(conn: sqlite3.Connection, movies: list[Movie], reviews: list[Review]) -> int:
    wanted = list(dict.fromkeys([m.movie_id for m in movies] + [r.movie_id for r in reviews]))
    if not wanted:
        return 0
    already = existing_values(conn, "movies", "movie_id", wanted)
    conn.executemany(
        _UPSERT_MOVIE,
        [(m.movie_id, m.title, m.year, m.imdb_rating, m.url, m.source_file) for m in movies],
    )
    review_movies = dict.fromkeys(r.movie_id for r in reviews)
    conn.executemany(_INSERT_BARE_MOVIE, [(movie_id,) for movie_id in review_movies])
    conn.executemany(
        _UPSERT_GROUP,
        [(m.group, m.movie_id, m.position) for m in movies if m.group is not None],
    )
    return sum(1 for movie_id in wanted if movie_id not in already)


def _review_row(review_id: int, key: str, review: Review) -> tuple[object, ...]:
    stated = review.stated
    return (
        review_id,
        key,
        review.movie_id,
        review.position,
        review.date.isoformat() if review.date is not None else None,
        review.display_name,
        review.rating,
        review.headline,
        1 if review.spoiler else 0,
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


def _write_reviews(
    conn: sqlite3.Connection, reviews: list[Review], *, label: str
) -> tuple[int, int]:
    if not reviews:
        return 0, 0
    keys = [review.key for review in reviews]
    seen = existing_values(conn, "reviews", "review_key", list(dict.fromkeys(keys)))
    next_id = int(conn.execute("SELECT COALESCE(MAX(review_id), 0) + 1 FROM reviews").fetchone()[0])
    rows: list[tuple[object, ...]] = []
    emails: list[tuple[int, str]] = []
    existing = 0
    for review, key in zip(reviews, keys, strict=True):
        if key in seen:
            existing += 1
            continue
        seen.add(key)
        rows.append(_review_row(next_id, key, review))
        if review.email:
            emails.append((next_id, review.email))
        next_id += 1
    first_id = next_id - len(rows)
    inserted = conn.executemany(_INSERT_REVIEW, rows).rowcount
    if inserted != len(rows):
        # Cannot happen under BEGIN IMMEDIATE; refuse rather than mis-assign e-mails.
        raise StoreError(f"{label}: another writer changed the reviews during this write")
    if rows:
        _tune_fts(conn)
        conn.execute(_INDEX_REVIEWS, (first_id,))
    conn.executemany(_INSERT_EMAIL, emails)
    return len(rows), existing


def _tune_fts(conn: sqlite3.Connection) -> None:
    """Set the index's merge width once (see :data:`FTS_AUTOMERGE`); a cheap read after that."""
    row = conn.execute(_FTS_AUTOMERGE_NOW).fetchone()
    if row is None or row[0] != FTS_AUTOMERGE:
        conn.execute(_SET_FTS_AUTOMERGE, (FTS_AUTOMERGE,))


def _write_problems(conn: sqlite3.Connection, problems: list[Problem]) -> int:
    if not problems:
        return 0
    now = datetime.now(UTC).isoformat(timespec="seconds")
    cursor = conn.executemany(
        _INSERT_PROBLEM, [(p.source_file, p.line, p.message, now) for p in problems]
    )
    return cursor.rowcount
