"""Bulk load into PostgreSQL: the store's COPY path beside a row-by-row executemany baseline.

In one run, on a throwaway PostgreSQL 15 cluster started by this script
(``tests/pg_server.py``: Debian's ``postgresql-15`` binaries, fsync and
synchronous_commit off for every path alike):

- reads up to 100,000 aclImdb reviews (train + test + unsup, with their
  movies) from the archive once into memory (timed apart), cut into
  batches of ``DEFAULT_BATCH_SIZE`` records as ``reelsense ingest`` does;
- loads the same batches into a fresh database per path, one transaction
  per batch, every database created by ``PostgresStore`` (same schema,
  same indexes: review_key UNIQUE, movie/rating/date b-trees, the
  generated ``search_vector`` tsvector and its GIN index):

  * **COPY (store)**: ``PostgresStore.write``: ``COPY`` into a temporary
    staging table, de-duplicate there, one ``INSERT ... SELECT ... ON
    CONFLICT DO NOTHING``; the server computes each tsvector and adds it
    to the GIN index (its fast-update pending list) as rows arrive;
  * **COPY, GIN deferred**: the same store writes into a database whose
    GIN index was dropped first, then ``CREATE INDEX`` once at the end
    (inside the timing): the "defer the search index" lead, measured;
  * **executemany** (the baseline of issue 6): movies upserted, then every
    review by psycopg 3 ``executemany`` of a plain ``INSERT ... ON CONFLICT
    (review_key) DO NOTHING`` (psycopg 3 pipelines these statements);
  * **execute per row**: the same INSERT, one ``execute`` per review that
    waits for its answer (what psycopg 2's ``executemany`` does);

  and the three plain paths once more with the ``search_vector`` column
  (hence its GIN index) dropped, to show what the search index costs;
- checks every database holds every review and that the full-schema ones
  answer a few searches identically (the same searchable end state);
- prints, per path, wall seconds, reviews/s, this process's CPU seconds,
  the server backend's CPU seconds (from ``/proc``: the cluster is local)
  and the speed-up of COPY over each other path, by wall clock and by
  total CPU. CPU seconds are the figure to trust on a loaded machine:
  wall clock there mostly measures waiting for a core.

Target (issue 6): COPY >= 5x the executemany baseline.

    .venv/bin/python benchmarks/postgres_ingest.py [--archive PATH] [--limit 100000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
_GIN = "CREATE INDEX reviews_search_vector ON reviews USING gin (search_vector)"
# Searches every full-schema database must answer alike (words, a phrase, OR, NOT).
_PROBES = ("great acting", '"special effects"', "funny OR scary", "horror -comedy")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Timing:
    """One load: wall seconds, this process's CPU seconds, the server backend's CPU seconds."""

    wall: float
    client_cpu: float
    server_cpu: float

    @property
    def cpu(self) -> float:
        """Client and server CPU seconds together."""
        return self.client_cpu + self.server_cpu


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) a local server backend has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


@contextmanager
def measured(pid: int, out: list[Timing]) -> Iterator[None]:
    """Time the block: wall clock, this process's CPU and backend ``pid``'s CPU."""
    wall, client, server = time.perf_counter(), time.process_time(), backend_cpu(pid)
    yield
    out.append(
        Timing(
            time.perf_counter() - wall,
            time.process_time() - client,
            backend_cpu(pid) - server,
        )
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


def prepare(url: str, *, search_index: bool, gin: bool = True) -> None:
    """Create the store's schema; drop the tsvector column (and GIN), or only the GIN."""
    PostgresStore(url).close()
    with psycopg.connect(url) as conn:
        if not search_index:
            conn.execute("ALTER TABLE reviews DROP COLUMN search_vector")
        elif not gin:
            conn.execute("DROP INDEX reviews_search_vector")


def load_with_copy(url: str, chunks: list[list[Record]], *, build_gin: bool = False) -> Timing:
    """Write every batch through the store (COPY path); optionally build the GIN at the end."""
    timings: list[Timing] = []
    with PostgresStore(url) as store:
        conn = store._conn  # the store's own session, to read its backend's CPU time
        assert conn is not None
        with measured(conn.info.backend_pid, timings):
            for chunk in chunks:
                store.write(chunk)
            if build_gin:
                with conn.transaction():
                    conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    conn.execute(_GIN)
    return timings[0]


def load_row_by_row(url: str, chunks: list[list[Record]], *, pipeline: bool = True) -> Timing:
    """Write the same batches with one INSERT per review.

    ``pipeline=True`` is psycopg 3's ``executemany`` (statements pipelined);
    ``False`` runs ``execute`` per row and waits for each answer, like
    psycopg 2's ``executemany``.
    """
    timings: list[Timing] = []
    with psycopg.connect(url) as conn, measured(conn.info.backend_pid, timings):
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
    return timings[0]


Load = Callable[[str, list[list[Record]]], Timing]
_PATHS: tuple[tuple[str, Load, bool], ...] = (
    ("COPY (store)", load_with_copy, True),
    ("COPY, GIN deferred", lambda url, chunks: load_with_copy(url, chunks, build_gin=True), False),
    ("executemany", load_row_by_row, True),
    ("execute per row", lambda url, chunks: load_row_by_row(url, chunks, pipeline=False), True),
)


def run_once(
    server: PgServer, chunks: list[list[Record]], reviews: int, run: int
) -> list[tuple[str, Timing]]:
    """Every path into its own fresh database; checks counts and search answers."""
    rows: list[tuple[str, Timing]] = []
    urls: list[str] = []
    for search_index in (True, False):
        for name, load, gin in _PATHS:
            if not search_index and name == "COPY, GIN deferred":
                continue
            url = server.create_database(f"r{run}_{len(rows)}")
            prepare(url, search_index=search_index, gin=gin)
            timing = load(url, chunks)
            stored = review_count(url)
            if stored != reviews:
                sys.exit(f"{name}: stored {stored} reviews, expected {reviews}")
            label = name if search_index else f"{name}, no search index"
            rows.append((label, timing))
            if search_index:
                urls.append(url)
    for probe in _PROBES:
        found = [search_ids(url, probe) for url in urls]
        if not found[0] or any(answer != found[0] for answer in found):
            sys.exit(f"the loads answer {probe!r} differently (or not at all)")
    return rows


def print_run(rows: list[tuple[str, Timing]], reviews: int, run: int) -> None:
    """One run's table: each path, and COPY (store)'s speed-up over it."""
    copy = rows[0][1]
    print(
        f"run {run}: PostgreSQL 15, batches of {DEFAULT_BATCH_SIZE:,} records, {reviews:,} reviews"
    )
    print(
        f"{'path':<36}{'wall s':>8}{'reviews/s':>11}{'client CPU s':>14}{'server CPU s':>14}"
        f"{'COPY faster (wall / CPU)':>27}"
    )
    for label, timing in rows:
        speedup = f"{timing.wall / copy.wall:.2f}x / {timing.cpu / copy.cpu:.2f}x"
        print(
            f"{label:<36}{timing.wall:>8.1f}{reviews / timing.wall:>11,.0f}"
            f"{timing.client_cpu:>14.1f}{timing.server_cpu:>14.1f}{speedup:>27}"
        )
    bare = next(t for label, t in rows if label == "COPY (store), no search index")
    search_cpu = copy.cpu - bare.cpu
    many = next(t for label, t in rows if label == "executemany")
    print(
        f"search vectors + GIN cost {search_cpu:.1f} of COPY's {copy.cpu:.1f} CPU s "
        f"({search_cpu / copy.cpu:.0%}); even free row loading would make COPY at most "
        f"{many.cpu / search_cpu:.1f}x executemany by CPU"
    )


def review_count(url: str) -> int:
    """Reviews stored in one database."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()
        return 0 if row is None else int(row[0])


def search_ids(url: str, text: str) -> list[tuple[object, ...]]:
    """Every match for ``text``: checks the loads are equally searchable.

    ``source_file`` and ``position`` (not ``review_id``) identify a review
    alike in every database.
    """
    sql = (
        "SELECT source_file, position FROM reviews "
        "WHERE search_vector @@ websearch_to_tsquery('reelsense_search', %s) "
        "ORDER BY source_file, position"
    )
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(sql, (text,))]


def main() -> None:
    """Run every load (``--repeat`` times) and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--archive", type=Path, default=REPO.parent / "shared/data/aclImdb_v1.tar.gz"
    )
    parser.add_argument("--limit", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="whole runs, for the spread")
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
    ratios: list[tuple[float, float]] = []
    try:
        for run in range(1, args.repeat + 1):
            rows = run_once(server, chunks, reviews, run)
            print_run(rows, reviews, run)
            timings = dict(rows)
            copy, many = timings["COPY (store)"], timings["executemany"]
            ratios.append((many.wall / copy.wall, many.cpu / copy.cpu))
    finally:
        server.stop()
    walls = sorted(r[0] for r in ratios)
    cpus = sorted(r[1] for r in ratios)
    print(
        f"COPY (store) vs executemany over {len(ratios)} run(s): "
        f"{walls[0]:.2f}x-{walls[-1]:.2f}x wall, {cpus[0]:.2f}x-{cpus[-1]:.2f}x CPU; "
        f"target (issue 6) >= 5x: {'met' if walls[0] >= 5 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
