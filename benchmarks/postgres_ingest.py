"""Bulk load into PostgreSQL: the store's COPY path beside a row-by-row executemany baseline.

In one run, on a throwaway PostgreSQL 15 cluster started by this script
(``tests/pg_server.py``: Debian's ``postgresql-15`` binaries, fsync off):

- reads 100,000 aclImdb reviews (train + test + unsup, with their movies)
  from ``../shared/data/aclImdb_v1.tar.gz`` once into memory (timed apart);
- **COPY**: ``PostgresStore.write`` in batches of 5,000 records, as
  ``reelsense ingest`` does: ``COPY`` into a temporary staging table, then
  one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` per batch;
- **executemany**: the same records into a second database with the same
  schema and indexes (tsvector + GIN included), one transaction per batch,
  movies upserted and every review inserted by ``executemany`` of a plain
  ``INSERT ... ON CONFLICT (review_key) DO NOTHING``;
- checks both databases hold the same reviews, prints seconds, reviews/s
  and the speed-up. Target (issue 6): COPY >= 5x the baseline.

    .venv/bin/python benchmarks/postgres_ingest.py [--archive PATH] [--limit 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from itertools import islice
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.pg_server

from tests.pg_server import PgServer  # noqa: E402

from reelsense.ingest import DEFAULT_BATCH_SIZE  # noqa: E402
from reelsense.records import Movie, Record, Review  # noqa: E402
from reelsense.sources.aclimdb import AclImdbSource  # noqa: E402
from reelsense.store.postgres import PostgresStore  # noqa: E402
from reelsense.store.postgres_write import REVIEW_COLUMNS, review_values  # noqa: E402

_MARKS = ", ".join(["%s"] * len(REVIEW_COLUMNS.split(",")))
_INSERT_REVIEW = (
    f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES ({_MARKS}) ON CONFLICT (review_key) DO NOTHING"
)
_UPSERT_MOVIE = (
    "INSERT INTO movies AS m (movie_id, url) VALUES (%s, %s) "
    "ON CONFLICT (movie_id) DO UPDATE SET url = COALESCE(m.url, excluded.url)"
)


def read_records(archive: Path, limit: int) -> list[Record]:
    """Up to ``limit`` reviews (and the movies before them), in source order."""
    records: list[Record] = []
    reviews = 0
    for record in AclImdbSource(archive).records():
        if isinstance(record, Review):
            if reviews >= limit:
                break
            reviews += 1
        records.append(record)
    return records


def batches(records: Sequence[Record], size: int) -> list[list[Record]]:
    """The records cut into write batches."""
    iterator = iter(records)
    return list(iter(lambda: list(islice(iterator, size)), []))


def prepare(url: str, *, search_index: bool) -> None:
    """Create the store's schema; without ``search_index``, drop the tsvector column and its GIN."""
    PostgresStore(url).close()
    if not search_index:
        with psycopg.connect(url) as conn:
            conn.execute("ALTER TABLE reviews DROP COLUMN search_vector")


def load_with_copy(url: str, chunks: list[list[Record]]) -> float:
    """Seconds to write every batch through the store (COPY path)."""
    with PostgresStore(url) as store:
        start = time.perf_counter()
        for chunk in chunks:
            store.write(chunk)
        return time.perf_counter() - start


def load_row_by_row(url: str, chunks: list[list[Record]], *, pipeline: bool = True) -> float:
    """Seconds to write the same batches with one INSERT per review.

    ``pipeline=True`` is psycopg 3's ``executemany`` (statements pipelined);
    ``False`` runs ``execute`` per row and waits for each answer, like
    psycopg 2's ``executemany``.
    """
    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        for chunk in chunks:
            with conn.transaction(), conn.cursor() as cur:
                movies = [r for r in chunk if isinstance(r, Movie)]
                reviews = [r for r in chunk if isinstance(r, Review)]
                if movies:
                    cur.executemany(_UPSERT_MOVIE, [(m.movie_id, m.url) for m in movies])
                if reviews:
                    cur.executemany(
                        "INSERT INTO movies (movie_id) VALUES (%s) ON CONFLICT DO NOTHING",
                        [(movie_id,) for movie_id in dict.fromkeys(r.movie_id for r in reviews)],
                    )
                    if pipeline:
                        cur.executemany(_INSERT_REVIEW, [review_values(r) for r in reviews])
                    else:
                        for review in reviews:
                            cur.execute(_INSERT_REVIEW, review_values(review))
        return time.perf_counter() - start


def review_count(url: str) -> int:
    """Reviews stored in one database."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()
        return 0 if row is None else int(row[0])


def main() -> None:
    """Run both loads and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--archive", type=Path, default=REPO.parent / "shared/data/aclImdb_v1.tar.gz"
    )
    parser.add_argument("--limit", type=int, default=100_000)
    args = parser.parse_args()
    if not args.archive.is_file():
        sys.exit(f"no aclImdb archive at {args.archive}")

    start = time.perf_counter()
    records = read_records(args.archive, args.limit)
    reviews = sum(isinstance(r, Review) for r in records)
    print(
        f"read {reviews:,} reviews ({len(records) - reviews:,} movies) "
        f"in {time.perf_counter() - start:.1f} s (not counted below)"
    )
    chunks = batches(records, DEFAULT_BATCH_SIZE)

    server = PgServer.start()
    results: list[tuple[str, float, float, float]] = []
    try:
        for search_index in (True, False):
            copy_url = server.create_database(f"copy_{int(search_index)}")
            rows_url = server.create_database(f"rows_{int(search_index)}")
            each_url = server.create_database(f"each_{int(search_index)}")
            for url in (copy_url, rows_url, each_url):
                prepare(url, search_index=search_index)
            copy_seconds = load_with_copy(copy_url, chunks)
            rows_seconds = load_row_by_row(rows_url, chunks)
            each_seconds = load_row_by_row(each_url, chunks, pipeline=False)
            stored = tuple(review_count(url) for url in (copy_url, rows_url, each_url))
            if stored != (reviews,) * 3:
                sys.exit(f"the loads stored {stored} reviews, expected {reviews}")
            label = "full schema (tsvector + GIN)" if search_index else "without the search index"
            results.append((label, copy_seconds, rows_seconds, each_seconds))
    finally:
        server.stop()
    print(f"PostgreSQL 15, batches of {DEFAULT_BATCH_SIZE:,} records, {reviews:,} reviews each")
    print(f"{'schema':<30}{'path':<22}{'seconds':>9}{'reviews/s':>11}")
    for label, copy_seconds, rows_seconds, each_seconds in results:
        copy_rate = reviews / copy_seconds
        print(f"{label:<30}{'COPY (store)':<22}{copy_seconds:>9.1f}{copy_rate:>11,.0f}")
        for name, seconds in (("executemany", rows_seconds), ("execute per row", each_seconds)):
            print(
                f"{'':<30}{name:<22}{seconds:>9.1f}{reviews / seconds:>11,.0f}"
                f"   COPY is {seconds / copy_seconds:.1f}x faster"
            )
    print("target (issue 6): COPY >= 5x executemany")


if __name__ == "__main__":
    main()
