"""Bounded load on the JSON API over loopback: a 100,000-review database (aclImdb v1).

Ingests the aclImdb archive into a fresh SQLite file (or reuses ``--db``),
starts a real ``reelsense serve`` on a free 127.0.0.1 port, and runs
``--clients`` concurrent clients for ``--seconds`` (at most ``--max-requests``
in all). Each client alternates ``GET /api/movies/{id}`` (one of the
``--movies`` most reviewed movies: summary + insight, cached per movie after
its first request) and ``GET /api/search`` (a query from a fixed list).
Prints requests/s, p50/p99 latency per endpoint and overall, and the error
count (must be 0). Nothing leaves 127.0.0.1.

    python benchmarks/api_load.py [--archive ../shared/data/aclImdb_v1.tar.gz] [--db FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from reelsense.ingest import discover, ingest
from reelsense.store import open_store

DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aclImdb_v1.tar.gz"
SEARCHES = [
    "great acting",
    "boring",
    '"plot twist"',
    "ending",
    "music score",
    '"special effects"',
    "remake OR sequel",
    "worst -funny",
    "masterpiece",
    "cinematograph*",
]
SERVE = "from reelsense.cli.serve import app; app(prog_name='reelsense')"


def build_db(archive: Path, db: Path) -> None:
    """Ingest the archive into ``db`` (100,000 reviews)."""
    started = time.perf_counter()
    sources, errors = discover([archive])
    with open_store(db) as store:
        report = ingest(sources, store, unreadable=errors, parallel=True)
        reviews = store.counts().reviews
    print(
        f"ingested {reviews:,} reviews ({report.stored.reviews_new:,} new) "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    out = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--db", str(db), "--port", str(port), "--no-access-log"],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{origin}/api/problems?limit=1", timeout=5).status_code == 200:
                return process, origin
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"server did not start; see {log}")


async def client(
    http: httpx.AsyncClient,
    paths: itertools.cycle[str],
    stop_at: float,
    budget: list[int],
    timings: dict[str, list[float]],
    errors: list[str],
) -> None:
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        path = next(paths)
        kind = "search" if path.startswith("/api/search") else "movie"
        started = time.perf_counter()
        try:
            response = await http.get(path)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {path}")
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {path}")
        timings[kind].append(time.perf_counter() - started)


async def load(
    origin: str, movie_ids: list[str], clients: int, seconds: float, max_requests: int
) -> tuple[dict[str, list[float]], list[str], float]:
    timings: dict[str, list[float]] = {"movie": [], "search": []}
    errors: list[str] = []
    budget = [max_requests]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=origin, timeout=60, limits=limits) as http:
        started = time.monotonic()
        stop_at = started + seconds
        tasks = []
        for i in range(clients):
            mine = [
                f"/api/movies/{movie_ids[(i + k) % len(movie_ids)]}"
                if k % 2 == 0
                else "/api/search?" + str(httpx.QueryParams(q=SEARCHES[(i + k) % len(SEARCHES)]))
                for k in range(2 * len(SEARCHES))
            ]
            tasks.append(client(http, itertools.cycle(mine), stop_at, budget, timings, errors))
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    return timings, errors, elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--db", type=Path, help="Use this database instead of ingesting.")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--movies", type=int, default=20, help="Most reviewed movies to ask for.")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 300:
        raise SystemExit("keep the load bounded: 1-200 clients, at most 300 seconds")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            if not args.archive.is_file():
                raise SystemExit(f"aclImdb archive not found at {args.archive}")
            db = Path(tmp) / "reviews.db"
            build_db(args.archive, db)
        with open_store(db, read_only=True) as store:
            counts = store.counts()
            top = store.list_movies(sort="reviews", descending=True, limit=args.movies)
        movie_ids = [m.movie_id for m in top]
        print(
            f"database: {counts.reviews:,} reviews, {counts.movies:,} movies; "
            f"asking for the {len(movie_ids)} most reviewed "
            f"({top[-1].reviews}-{top[0].reviews} reviews each)",
            flush=True,
        )
        process, origin = start_server(db, Path(tmp) / "serve.log")
        try:
            timings, errors, elapsed = asyncio.run(
                load(origin, movie_ids, args.clients, args.seconds, args.max_requests)
            )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    total = sum(len(v) for v in timings.values())
    print(f"{args.clients} clients, {elapsed:.1f} s, {total:,} requests, {len(errors)} errors")
    print(f"throughput: {total / elapsed:,.0f} requests/s")
    rows = [*timings.items(), ("all", [t for v in timings.values() for t in v])]
    for name, values in rows:
        print(
            f"  {name:<7} n={len(values):>7,}  p50 {percentile(values, 0.5) * 1000:7.1f} ms"
            f"  p99 {percentile(values, 0.99) * 1000:7.1f} ms"
            f"  mean {statistics.fmean(values) * 1000 if values else float('nan'):7.1f} ms"
        )
    if errors:
        print("first errors:", *errors[:5], sep="\n  ")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
