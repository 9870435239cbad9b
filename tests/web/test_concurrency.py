"""``reelsense analyze`` and ``reelsense ingest`` write while the web app answers many readers.

A real ``analyze`` (and an ``ingest`` of more crawler files) runs in its own
process on a few-thousand-review SQLite file while threads hammer every kind
of API and dashboard request of an app over a read-only store of the same
file. No reader may see a 5xx or a "database is locked" message, and both
writers must finish their work.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning

from reelsense.export.crawler_xml import write_movie_file
from reelsense.records import Movie, Record, Review
from reelsense.store import SQLiteStore
from reelsense.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

MOVIES = 32
REVIEWS_PER_MOVIE = 100
LATE_MOVIES = 4
READERS = 4
CLI = "from reelsense.cli.app import app; app(prog_name='reelsense')"

# Hand-written phrases (no third-party review text), combined at random.
GOOD = ["a moving story", "superb acting", "gorgeous photography", "a clever script", "great fun"]
BAD = ["a dull plot", "wooden acting", "a tedious ending", "a silly twist", "badly edited scenes"]
FILLER = ["the harbour", "the old lighthouse", "the night train", "the long winter", "the city"]


def _review(rng: random.Random, movie_id: str, position: int) -> Review:
    liked = rng.random() < 0.6
    words = GOOD if liked else BAD
    text = (
        f"I watched it for {rng.choice(FILLER)} and found {rng.choice(words)} "
        f"and {rng.choice(words)}. Then {rng.choice(FILLER)} again, {rng.choice(words)}."
    )
    return Review(
        movie_id,
        position,
        text,
        date=date(2000 + position % 20, 1 + position % 12, 1 + position % 28),
        display_name=f"viewer{rng.randrange(500)}",
        rating=float(rng.randint(7, 10) if liked else rng.randint(1, 4)) if position % 3 else None,
        headline=f"Review {position} of {movie_id}",
    )


def _movie(index: int) -> Movie:
    movie_id = f"tt{index:07d}"
    return Movie(
        movie_id,
        title=f"Film number {index}",
        year=1950 + index,
        url=f"https://www.imdb.com/title/{movie_id}/",
        group=f"Group{index // 3}",
        position=index % 3,
    )


def _records(first: int, count: int, rng: random.Random) -> list[Record]:
    records: list[Record] = []
    for index in range(first, first + count):
        movie = _movie(index)
        records.append(movie)
        records.extend(_review(rng, movie.movie_id, i) for i in range(REVIEWS_PER_MOVIE))
    return records


def _write_late_files(folder: Path, rng: random.Random) -> None:
    """Crawler files for movies that are not in the database yet (for a concurrent ingest)."""
    for index in range(MOVIES, MOVIES + LATE_MOVIES):
        movie = _movie(index)
        reviews = [_review(rng, movie.movie_id, i) for i in range(REVIEWS_PER_MOVIE)]
        target = folder / f"Late{index}" / "Movie0.txt"
        target.parent.mkdir(parents=True)
        with target.open("w", encoding="utf-8", newline="\n") as out:
            write_movie_file(out, movie, reviews)


def _run(args: list[str], log: Path) -> subprocess.Popen[str]:
    out = log.open("w")
    try:
        return subprocess.Popen(
            [sys.executable, "-c", CLI, *args], stdout=out, stderr=subprocess.STDOUT, text=True
        )
    finally:
        out.close()


def _requests(rng: random.Random) -> list[str]:
    movie = f"tt{rng.randrange(MOVIES):07d}"
    other = f"tt{(int(movie[2:]) + 1) % MOVIES:07d}"  # compare needs two distinct movies
    word = rng.choice(["acting", "plot", "harbour", "lighthouse", '"night train"', "twist*"])
    return [
        "/api/movies?sort=rating&desc=true",
        f"/api/movies/{movie}",
        f"/api/movies/{movie}/reviews?sentiment=positive&filled=true",
        f"/api/search?q={word}&sentiment=negative",
        f"/api/compare?movies={movie}&movies={other}",
        "/api/problems",
        "/",
        f"/movies/{movie}",
        f"/search?q={word}",
        f"/compare?group=Group{rng.randrange(MOVIES // 3)}",
    ]


def test_readers_never_see_errors_while_analyze_and_ingest_write(tmp_path: Path) -> None:
    rng = random.Random(0)
    db = tmp_path / "reviews.db"
    with SQLiteStore(db) as store:
        store.write(_records(0, MOVIES, rng))
    late = tmp_path / "late"
    _write_late_files(late, rng)

    analyze = _run(
        ["analyze", "--db", str(db), "--workers", "1", "--batch-size", "20", "--quiet"],
        tmp_path / "analyze.log",
    )
    ingest: subprocess.Popen[str] | None = None
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def reader(client: TestClient, seed: int) -> None:
        local = random.Random(seed)
        while not stop.is_set():
            for url in _requests(local):
                response = client.get(url)
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code != 200 or "locked" in response.text:
                        failures.append(f"{url}: {response.status_code} {response.text[:200]}")

    progress: set[int] = set()  # analysis rows seen while the readers ran
    with (
        SQLiteStore(db, read_only=True) as served,
        TestClient(create_app(served), raise_server_exceptions=False) as client,
        ThreadPoolExecutor(READERS) as pool,
    ):
        started = time.monotonic()
        readers = [pool.submit(reader, client, seed) for seed in range(READERS)]
        try:
            while analyze.poll() is None and time.monotonic() - started < 240:
                progress.add(served.analysis_counts().analyses)
                if ingest is None and len(progress) > 2:
                    # analyze is committing batches now: a second writer joins it.
                    ingest = _run(["ingest", "--db", str(db), str(late)], tmp_path / "ingest.log")
                time.sleep(0.05)
            analyze_code = analyze.wait(timeout=5)
            ingest_code = None if ingest is None else ingest.wait(timeout=60)
        finally:
            stop.set()
            for process in (analyze, ingest):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
        for future in readers:
            future.result()
        elapsed = time.monotonic() - started
        counts = served.counts()
        unscored = served.count_unscored(served.current_model() or "")

    analyze_log = (tmp_path / "analyze.log").read_text()
    assert analyze_code == 0, analyze_log
    assert ingest_code == 0, "analyze finished before ingest could start"
    ingest_log = (tmp_path / "ingest.log").read_text()
    assert "locked" not in analyze_log + ingest_log
    assert failures == []
    total = sum(statuses.values())
    # The readers saw analyze's work land batch by batch, not just before or after it.
    assert len(progress) >= 5, sorted(progress)
    # Every request was answered 200 (checked above), and there were enough to overlap the writers.
    assert total >= 25 * READERS, f"only {total} requests in {elapsed:.1f} s"
    assert counts.reviews == (MOVIES + LATE_MOVIES) * REVIEWS_PER_MOVIE
    # Reviews ingested after analyze had listed its work may be left for the next run.
    assert unscored <= LATE_MOVIES * REVIEWS_PER_MOVIE
    print(f"{total} reader requests in {elapsed:.1f} s during analyze + ingest: {dict(statuses)}")


def test_readers_and_a_second_writer_wait_out_a_held_write_lock(tmp_path: Path) -> None:
    """While another process holds the write lock, readers are answered at once (WAL) and a
    second writer waits for the lock (busy timeout) instead of failing with "locked"."""
    db = tmp_path / "reviews.db"
    with SQLiteStore(db) as store:
        store.write(_records(0, 3, random.Random(1)))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    written = threading.Event()

    def second_writer() -> None:
        with SQLiteStore(db) as writer:
            writer.write([_movie(99)])
        written.set()

    thread = threading.Thread(target=second_writer)
    try:
        thread.start()
        with (
            SQLiteStore(db, read_only=True) as served,
            TestClient(create_app(served), raise_server_exceptions=False) as client,
        ):
            for url in [
                "/api/movies",
                "/api/movies/tt0000001",
                "/api/movies/tt0000001/reviews",
                "/api/search?q=acting",
                "/api/compare?movies=tt0000001&movies=tt0000002",
                "/movies/tt0000001",
            ]:
                started = time.monotonic()
                response = client.get(url)
                assert response.status_code == 200, response.text
                assert "locked" not in response.text
                assert time.monotonic() - started < 5, f"{url} waited for the writer"
        assert not written.is_set(), "the second writer did not wait for the lock"
    finally:
        holder.execute("COMMIT")
        holder.close()
        thread.join(timeout=30)
    assert written.is_set()
    with SQLiteStore(db, read_only=True) as check:
        assert check.counts().movies == 4
