"""``analyze`` with the in-process engine beside Dask at 1 and 2 workers.

In one run:
- ingests the 50,000 labelled aclImdb reviews (train + test) into a fresh
  SQLite database;
- copies it once per run (each starts from a database with nothing scored)
  and runs ``analyze`` with default batches (2,000 reviews) on:
  the in-process engine (``LocalEngine``, every core), ``DaskEngine`` on a
  ``LocalCluster`` of 1 worker, and of 2 workers (1 thread each);
- prints wall seconds (cluster start-up included), reviews/s, the steady
  rate (from the first batch stored to the last, start-up excluded), the
  Dask overhead against the in-process engine on this machine, and the
  steady throughput per Dask worker, which a cluster of N worker machines
  multiplies (reads and writes stay on the client: see the note printed).

    .venv/bin/python benchmarks/dask_scaling.py [--archive PATH] [--batch-size 2000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze
from reelsense.engines import DaskEngine, Engine, LocalEngine
from reelsense.ingest import ingest
from reelsense.sources.aclimdb import AclImdbSource
from reelsense.store import SQLiteStore

DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aclImdb_v1.tar.gz"


@dataclass
class Run:
    name: str
    workers: int
    scored: int
    wall_s: float
    steady_rate: float

    @property
    def rate(self) -> float:
        return self.scored / self.wall_s


def build_db(archive: Path, db: Path) -> int:
    with SQLiteStore(db) as store:
        report = ingest([AclImdbSource(archive, splits=("train", "test"))], store, parallel=True)
    return report.stored.reviews_new


def run(name: str, workers: int, engine: Engine, source_db: Path, batch_size: int) -> Run:
    """Analyze a fresh copy of ``source_db``; time it end to end and in steady state."""
    db = source_db.with_name(f"{name.replace(' ', '_')}.db")
    shutil.copyfile(source_db, db)
    stamps: list[tuple[float, int]] = []
    start = time.perf_counter()
    with SQLiteStore(db) as store:
        report = analyze(
            store,
            engine,
            batch_size=batch_size,
            on_batch=lambda n: stamps.append((time.perf_counter(), n)),
        )
    wall = time.perf_counter() - start
    steady_n = sum(n for _, n in stamps[1:])
    steady_s = stamps[-1][0] - stamps[0][0] if len(stamps) > 1 else 0.0
    return Run(name, workers, report.scored, wall, steady_n / steady_s if steady_s else 0.0)


def same_results(a: Path, b: Path) -> bool:
    query = "SELECT review_id, polarity, p_positive, final_rating FROM analyses ORDER BY 1"
    with sqlite3.connect(a) as ca, sqlite3.connect(b) as cb:
        return ca.execute(query).fetchall() == cb.execute(query).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    if not args.archive.is_file():
        sys.exit(f"aclImdb archive not found: {args.archive} (pass --archive)")
    cores = os.cpu_count() or 1
    model = default_model_dir()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.db"
        start = time.perf_counter()
        n = build_db(args.archive, source)
        print(f"ingested {n:,} aclImdb reviews in {time.perf_counter() - start:.0f} s")
        runs = [
            run("in-process", cores, LocalEngine(model), source, args.batch_size),
            run("dask 1 worker", 1, DaskEngine(model, workers=1), source, args.batch_size),
            run("dask 2 workers", 2, DaskEngine(model, workers=2), source, args.batch_size),
        ]
        identical = same_results(Path(tmp) / "in-process.db", Path(tmp) / "dask_2_workers.db")
    print(f"machine: {cores} cores; batches of {args.batch_size:,} reviews")
    header = f"{'engine':<22}{'workers':>8}{'wall s':>9}{'reviews/s':>11}{'steady/s':>10}"
    print(header + f"{'steady/s/worker':>17}")
    for r in runs:
        print(
            f"{r.name:<22}{r.workers:>8}{r.wall_s:>9.1f}{r.rate:>11,.0f}{r.steady_rate:>10,.0f}"
            f"{r.steady_rate / r.workers:>17,.0f}"
        )
    local, one, two = runs
    wall_overhead = two.wall_s / local.wall_s - 1
    steady_overhead = local.steady_rate / two.steady_rate - 1
    print(
        f"Dask overhead on this machine (2 workers vs in-process, {cores} cores): "
        f"wall {wall_overhead:+.0%}, steady {steady_overhead:+.0%}"
    )
    scaling = two.steady_rate / one.steady_rate
    print(f"Dask 1 -> 2 workers on {cores} cores: x{scaling:.2f} steady")
    print(
        f"per-worker steady throughput ~{one.steady_rate:,.0f} reviews/s (1 worker, 1 thread); "
        "a cluster multiplies it by its workers until the client's store reads and writes "
        "become the limit"
    )
    print(f"identical results (in-process vs dask 2 workers): {identical}")


if __name__ == "__main__":
    main()
