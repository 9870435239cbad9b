"""Peak memory of ``reelsense export`` on 100,000 aclImdb reviews: it must stay flat.

Ingests all 100,000 aclImdb v1 reviews (train, test, unsup) into a fresh SQLite
database (or reuses ``--db``), then exports every review to Parquet and to CSV,
each in a fresh process, and prints the process's resident memory (current and
peak) after 25,000, 50,000, 75,000 and 100,000 rows. Flat means the peak at
100k is within a few MB of the peak at 25k.

    PYTHONPATH=src .venv/bin/python benchmarks/export_memory.py \
        [--archive ../shared/data/aclImdb_v1.tar.gz] [--db existing.db]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from reelsense.export.delimited import write_csv
from reelsense.export.filters import ExportFilters
from reelsense.export.parquet import write_parquet
from reelsense.export.rows import ExportTable, Value, build_table
from reelsense.ingest import ingest
from reelsense.sources.aclimdb import AclImdbSource
from reelsense.store import SQLiteStore

CHECKPOINTS = (25_000, 50_000, 75_000, 100_000)
DEFAULT_ARCHIVE = Path(__file__).resolve().parents[1].parent / "shared/data/aclImdb_v1.tar.gz"


def _mb(value: float) -> str:
    return f"{value / 2**20:7.1f} MB"


def _watched(rows: Iterator[tuple[Value, ...]]) -> Iterator[tuple[Value, ...]]:
    """Pass rows through, printing RSS (current and peak) at each checkpoint."""
    process = psutil.Process()
    for count, row in enumerate(rows, start=1):
        yield row
        if count in CHECKPOINTS:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
            print(
                f"  {count:>7,} rows: rss {_mb(process.memory_info().rss)}, peak {_mb(peak)}",
                flush=True,
            )


def measure(fmt: str, db: Path, out: Path) -> None:
    """Export every review of ``db`` to ``out`` in this process, printing memory."""
    store = SQLiteStore(db, read_only=True)
    table = build_table(store, "reviews", ExportFilters())
    watched = ExportTable(table.what, table.columns, _watched(table.rows))
    start = time.perf_counter()
    if fmt == "parquet":
        rows = write_parquet(watched, out)
    else:
        with out.open("w", encoding="utf-8", newline="") as fh:
            rows = write_csv(watched, fh)
    seconds = time.perf_counter() - start
    size = out.stat().st_size
    print(f"  {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s), {_mb(size)} file")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--db", type=Path, help="an existing database with the reviews")
    parser.add_argument(
        "--measure", nargs=3, metavar=("FORMAT", "DB", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        fmt, db, out = args.measure
        measure(fmt, Path(db), Path(out))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "reviews.db"
            print(f"ingesting {args.archive} into {db} …", flush=True)
            start = time.perf_counter()
            with SQLiteStore(db) as store:
                report = ingest([AclImdbSource(args.archive)], store, parallel=True)
            print(f"  {report.stored.reviews_new:,} reviews in {time.perf_counter() - start:.0f} s")
        for fmt in ("parquet", "csv"):
            print(f"export reviews → {fmt}", flush=True)
            out = Path(tmp) / f"reviews.{fmt}"
            subprocess.run(
                [sys.executable, __file__, "--measure", fmt, str(db), str(out)], check=True
            )


if __name__ == "__main__":
    main()
