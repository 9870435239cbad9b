"""Throughput of ``reelsense analyze`` beside VADER, on the aclImdb test reviews.

In one run:
- ingests the 25,000 aclImdb **test** reviews into a fresh SQLite database
  (and, for the memory check, all 50,000 labelled train + test reviews into
  another);
- runs ``analyze --no-aspects`` (polarity and 1-10 ratings; the in-process
  engine on every core, as the CLI does) on each database in a
  fresh process: reviews/s, and peak RSS of the run
  (parent + workers), which must stay flat as the corpus doubles;
- scores a seeded sample of the same texts with VADER in one process:
  reviews/s (VADER is single-threaded; one process is how people run it);
- the machine may be shared, so analyze (review model, fresh copy of the
  25k database) and VADER run back to back ``--repeat`` times, each pair with
  the load average beside it; the ratio is taken per pair and the median pair
  is reported (analyze uses both cores, so load from other work hurts it
  more than single-threaded VADER);
- runs ``analyze`` with the whole shipped bundle (aspect sentiment too) on the
  25k database: reviews/s;
- prints the model's load time and size on disk.

Targets (issue 4): analyze >= 5,000 reviews/s and >= 20x VADER on this
2-core machine; peak RSS flat (the 50k run within 20% of the 25k run).

    .venv/bin/python benchmarks/throughput.py [--archive PATH] [--vader-sample 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from reelsense.analysis.scoring import default_model_dir, load_model
from reelsense.analysis.train import review_text
from reelsense.analyze import analyze
from reelsense.engines import LocalEngine
from reelsense.ingest import ingest
from reelsense.sources.aclimdb import AclImdbSource
from reelsense.store import SQLiteStore

DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aclImdb_v1.tar.gz"


def peak_rss_mb() -> float:
    """Peak RSS of this process plus the largest of its children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def worker(db: Path, workers: int | None, aspects: bool) -> None:
    """Run analyze on ``db`` in this process; print JSON figures."""
    before = os.times()
    with SQLiteStore(db) as store:
        engine = LocalEngine(default_model_dir(), aspects=aspects, workers=workers)
        report = analyze(store, engine)
    after = os.times()
    # CPU seconds of this process and its (finished) workers: a load-independent figure
    cpu = sum(after[:4]) - sum(before[:4])
    json.dump(
        {
            "scored": report.scored,
            "seconds": report.seconds,
            "cpu_seconds": cpu,
            "peak_rss_mb": peak_rss_mb(),
        },
        sys.stdout,
    )


def build_db(archive: Path, db: Path, splits: tuple[str, ...]) -> int:
    with SQLiteStore(db) as store:
        report = ingest([AclImdbSource(archive, splits=splits)], store, parallel=True)
    return report.stored.reviews_new


def run_analyze(db: Path, workers: int | None, aspects: bool) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", "--db", str(db)]
    if not aspects:
        cmd.append("--no-aspects")
    if workers is not None:
        cmd += ["--workers", str(workers)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out))


def texts_of(db: Path) -> Iterator[str]:
    with SQLiteStore(db, read_only=True) as store:
        for item in store.iter_reviews():
            yield review_text(item.review)


def vader_rate(texts: list[str]) -> tuple[float, float]:
    """VADER's reviews per second of wall-clock time and per CPU second."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    start, cpu_start = time.perf_counter(), time.process_time()
    for text in texts:
        analyzer.polarity_scores(text)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return len(texts) / wall, len(texts) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--vader-sample", type=int, default=5000)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--repeat", type=int, default=3, help="analyze + VADER pairs")
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-aspects", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.db, args.workers, not args.no_aspects)
        return
    if not args.archive.is_file():
        sys.exit(f"aclImdb archive not found: {args.archive} (pass --archive)")

    model_dir = default_model_dir()
    start = time.perf_counter()
    model = load_model(model_dir)
    load_s = time.perf_counter() - start
    size_mb = sum(p.stat().st_size for p in model_dir.iterdir()) / 1e6
    print(f"model {model.version_}: {size_mb:.1f} MB on disk, loads in {load_s:.2f} s")

    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "25k.db", Path(tmp) / "50k.db"
        n_small = build_db(args.archive, small, ("test",))
        n_large = build_db(args.archive, large, ("train", "test"))
        # `analyze --no-aspects` (polarity and ratings: the issue-4 figure) ...
        small_copy = Path(tmp) / "25k-full.db"
        shutil.copy(small, small_copy)
        texts = list(texts_of(small))
        sample = random.Random(0).sample(texts, min(args.vader_sample, len(texts)))
        pairs = []
        for i in range(args.repeat):
            fresh = Path(tmp) / f"25k-run{i}.db"
            shutil.copy(small, fresh)  # unscored: every run does the whole job
            load_before = os.getloadavg()[0]
            run = run_analyze(fresh, args.workers, aspects=False)
            vader_i, vader_cpu = vader_rate(sample)
            fresh.unlink()
            rate_i = run["scored"] / run["seconds"]
            pairs.append((rate_i / vader_i, rate_i, vader_i, load_before, run))
            print(
                f"run {i + 1}: analyze {rate_i:,.0f} reviews/s, VADER {vader_i:,.0f} reviews/s, "
                f"{rate_i / vader_i:.1f}x (load average {load_before:.2f} -> "
                f"{os.getloadavg()[0]:.2f}); per CPU second: analyze "
                f"{run['scored'] / run['cpu_seconds']:,.0f}, VADER {vader_cpu:,.0f}"
            )
        pairs.sort(key=lambda pair: pair[0])
        _, rate, vader, _, ours = pairs[len(pairs) // 2]
        ours_large = run_analyze(large, args.workers, aspects=False)
        # ... and the whole bundle, aspects included, as `reelsense analyze` runs by default.
        full = run_analyze(small_copy, args.workers, aspects=True)

    growth = ours_large["peak_rss_mb"] / ours["peak_rss_mb"] - 1
    print(f"data: aclImdb test split, {n_small:,} reviews (memory check: {n_large:,})")
    print(f"median of {len(pairs)} back-to-back pairs (by speed-up):")
    print(f"{'system':<34}{'reviews/s':>12}")
    print(f"{'reelsense analyze --no-aspects':<34}{rate:>12,.0f}")
    full_rate = full["scored"] / full["seconds"]
    print(f"{'reelsense analyze (with aspects)':<34}{full_rate:>12,.0f}")
    vader_name = f"VADER (one process, {len(sample)} texts)"
    print(f"{vader_name:<34}{vader:>12,.0f}")
    print(f"speed-up over VADER: {rate / vader:.1f}x")
    print(
        f"peak RSS: {ours['peak_rss_mb']:.0f} MB at {n_small:,} reviews, "
        f"{ours_large['peak_rss_mb']:.0f} MB at {n_large:,} ({growth:+.0%})"
    )
    checks = [
        (f"analyze {rate:,.0f} reviews/s >= 5,000", rate >= 5000),
        (f"analyze {rate / vader:.1f}x VADER >= 20x", rate / vader >= 20),
        (f"peak RSS growth {growth:+.0%} <= +20% as the corpus doubles", growth <= 0.20),
    ]
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
