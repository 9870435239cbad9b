"""Ingest throughput and memory on the aclImdb v1 archive (100,000 reviews).

Prints, side by side and in one run:
- the I/O floor: seconds Python's ``tarfile`` needs just to read every member;
- reelsense ingest of the whole archive into a fresh SQLite database with FTS,
  as ``reelsense ingest`` runs it (parsing in a second process): seconds,
  reviews/s and the ratio to the floor (target: within 3x);
- peak RSS of an ingest stopped after 25,000 reviews and of the full one
  (target: under 300 MB, and the 100k figure within 20% of the 25k one).

Each ingest runs in a fresh process so its peak RSS is its own.

    python benchmarks/ingest.py [--archive ../shared/data/aclImdb_v1.tar.gz]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from reelsense.ingest import ingest
from reelsense.records import Record, Review
from reelsense.sources import open_sources
from reelsense.sources.base import Source
from reelsense.store import open_store

DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aclImdb_v1.tar.gz"


class FirstReviews:
    """A source that stops after ``limit`` reviews (for the 25k memory point)."""

    def __init__(self, source: Source, limit: int | None) -> None:
        self.source, self.limit = source, limit
        self.path = source.path

    @property
    def size(self) -> int:
        return self.source.size

    @property
    def position(self) -> int:
        return self.source.position

    @property
    def files_read(self) -> int:
        return self.source.files_read

    def records(self) -> Iterator[Record]:
        seen = 0
        for record in self.source.records():
            if isinstance(record, Review):
                if self.limit is not None and seen >= self.limit:
                    return
                seen += 1
            yield record


def peak_rss_mb() -> float:
    """Peak RSS of this process plus that of its reader process (an upper bound)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def worker(archive: Path, db: Path, limit: int | None) -> None:
    """Ingest in this process and print JSON figures."""
    store = open_store(db)
    start = time.perf_counter()
    sources = [FirstReviews(s, limit) for s in open_sources([archive])]
    report = ingest(sources, store, parallel=True)
    store.close()  # closing folds the write-ahead log into the file: part of the job
    seconds = time.perf_counter() - start
    json.dump(
        {"seconds": seconds, "reviews": report.stored.reviews_new, "peak_rss_mb": peak_rss_mb()},
        sys.stdout,
    )


def tar_floor(archive: Path) -> tuple[float, int]:
    """Seconds to stream every member's bytes, and the number of members read."""
    start = time.perf_counter()
    members = 0
    with tarfile.open(archive, "r|gz") as tar:
        for member in tar:
            if member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    handle.read()
                    members += 1
    return time.perf_counter() - start, members


def run_worker(archive: Path, db: Path, limit: int | None) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", "--archive", str(archive), "--db", str(db)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.archive, args.db, args.limit)
        return
    if not args.archive.is_file():
        sys.exit(f"aclImdb archive not found: {args.archive} (pass --archive)")

    floor_s, members = tar_floor(args.archive)
    with tempfile.TemporaryDirectory() as tmp:
        small = run_worker(args.archive, Path(tmp) / "25k.db", 25_000)
        full = run_worker(args.archive, Path(tmp) / "100k.db", None)
        db_mb = (Path(tmp) / "100k.db").stat().st_size / 1e6

    ratio = full["seconds"] / floor_s
    growth = full["peak_rss_mb"] / small["peak_rss_mb"] - 1
    rows = [
        ("tarfile read floor", f"{floor_s:.1f} s", f"{members:,} members", ""),
        (
            "reelsense ingest (FTS)",
            f"{full['seconds']:.1f} s",
            f"{full['reviews'] / full['seconds']:,.0f} reviews/s",
            f"{ratio:.2f}x floor (target <= 3x): {'PASS' if ratio <= 3 else 'FAIL'}",
        ),
        (
            "peak RSS at 25k reviews (writer + reader processes)",
            f"{small['peak_rss_mb']:.0f} MB",
            "",
            "",
        ),
        (
            "peak RSS at 100k reviews (writer + reader processes)",
            f"{full['peak_rss_mb']:.0f} MB",
            f"{growth:+.0%} vs 25k",
            "target < 300 MB and within +20%: "
            + ("PASS" if full["peak_rss_mb"] < 300 and growth <= 0.20 else "FAIL"),
        ),
        ("database size", f"{db_mb:.0f} MB", f"{full['reviews']:,.0f} reviews", ""),
    ]
    print(f"archive: {args.archive}")
    for name, *cols in rows:
        print(f"{name:<52} " + "  ".join(f"{c:<18}" for c in cols).rstrip())


if __name__ == "__main__":
    main()
