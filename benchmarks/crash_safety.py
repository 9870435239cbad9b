"""Crash safety: SIGKILL ``reelsense ingest`` and ``reelsense analyze`` many times, then check.

The long form of ``tests/cli/test_crash_safety.py`` (the harness is
``tests/crash_harness.py``). In cycles until ``--kills`` mid-run kills have
landed: write a synthetic crawler corpus with known counts
(``tests/crash_corpus.py``, 3,000 reviews by default) into a temporary
folder, start a fresh store (a SQLite file, or a database on a throwaway
PostgreSQL 15 cluster from ``tests/pg_server.py``), then

- start ``reelsense ingest`` again and again (alternately ``--serial`` and
  ``--parallel``) and SIGKILL it at seeded random points, half of them the
  moment a write transaction is seen open; after each kill check the store
  (SQLite: ``PRAGMA integrity_check``, foreign keys, the FTS5 index against
  its table, no lock left; PostgreSQL: no backend left, the store opens,
  counts and searches) and that no helper process outlived the kill;
- run ingest to the end and compare the store with the corpus: movies,
  reviews (each serial exactly once), e-mails, problems, group rows;
- the same for ``reelsense analyze`` (alternately ``--workers 1`` and
  ``--workers 2``), then compare: one analysis row per review, final
  ratings from the expected source, rows and aspect mentions equal to a
  fresh in-process scoring.

Prints kills attempted, mid-run kills survived (and how many landed inside
a write), integrity failures, count mismatches and the runtime; exits 1 if
anything failed.

    .venv/bin/python benchmarks/crash_safety.py --kills 50 --backend sqlite
    .venv/bin/python benchmarks/crash_safety.py --kills 50 --backend postgresql
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.crash_harness and tests.pg_server

from tests.crash_corpus import write_corpus  # noqa: E402
from tests.crash_harness import (  # noqa: E402
    KillReport,
    PostgresProbe,
    Probe,
    SQLiteProbe,
    Stage,
    kill_repeatedly,
    reelsense_command,
    run_to_completion,
    verify_store,
)
from tests.pg_server import PgServer  # noqa: E402

from reelsense.store import open_store  # noqa: E402

Variants = tuple[tuple[str, ...], ...]
INGEST_VARIANTS: Variants = (("--serial",), ("--parallel",))
ANALYZE_VARIANTS: Variants = (("--workers", "1"), ("--workers", "2"))


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kills", type=int, default=50, help="mid-run kills to land in all")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--reviews", type=int, default=3000, help="corpus size (50 per movie)")
    parser.add_argument("--per-cycle", type=int, default=5, help="kills per command per cycle")
    parser.add_argument("--batch-size", type=int, default=50, help="--batch-size of both")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


@contextmanager
def stores(backend: str, work: Path) -> Iterator[Iterator[tuple[str, Probe]]]:
    """Fresh (db, probe) pairs, one per cycle, on one server for PostgreSQL."""
    if backend == "sqlite":

        def sqlite_stores() -> Iterator[tuple[str, Probe]]:
            for cycle in range(1_000_000):
                path = work / f"cycle{cycle}.db"
                yield str(path), SQLiteProbe(path)

        yield sqlite_stores()
        return
    server = PgServer.start()
    probes: list[PostgresProbe] = []

    def postgres_stores() -> Iterator[tuple[str, Probe]]:
        while True:
            url = server.create_database()
            probe = PostgresProbe(url)
            probes.append(probe)
            yield url, probe

    try:
        yield postgres_stores()
    finally:
        for probe in probes:
            probe.close()
        server.stop()


def main() -> int:
    """Run the cycles, print the figures; 1 when anything failed."""
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="reelsense-crash-"))
    corpus = write_corpus(work / "corpus", movies=max(1, args.reviews // 50), seed=args.seed)
    log = work / "stderr.log"
    totals = {"ingest": KillReport("ingest"), "analyze": KillReport("analyze")}
    mismatches: list[str] = []
    started = time.perf_counter()
    print(
        f"{args.backend}: corpus of {corpus.reviews:,} reviews, {corpus.movies} movies, "
        f"{corpus.problems} problems; aiming at {args.kills} mid-run kills"
    )
    try:
        with stores(args.backend, work) as fresh:
            cycle = 0
            # (the cycle bound only stops a run whose kills never land mid-run)
            while sum(r.mid_run for r in totals.values()) < args.kills and cycle <= args.kills:
                cycle += 1
                db, probe = next(fresh)
                ingest = [*reelsense_command(), "ingest", str(corpus.root), "--db", db, "-q"]
                ingest += ["--batch-size", str(args.batch_size)]
                analyze = [*reelsense_command(), "analyze", "--db", db, "-q"]
                analyze += ["--batch-size", str(args.batch_size)]
                steps: list[tuple[Stage, list[str], Variants, tuple[int, ...]]] = [
                    ("ingest", ingest, INGEST_VARIANTS, (1,)),  # 1: the corpus has problems
                    ("analyze", analyze, ANALYZE_VARIANTS, (0,)),
                ]
                for stage, argv, variants, expect in steps:
                    survived = sum(report.mid_run for report in totals.values())
                    report = kill_repeatedly(
                        argv, probe, stage=stage, total=corpus.reviews,
                        kills=min(args.per_cycle, args.kills - survived), rng=rng,
                        step=args.batch_size, variants=variants, log=log,
                    )  # fmt: skip
                    for event in report.events:
                        print(f"  cycle {cycle}: {event}")
                    totals[stage].add(report)
                    try:
                        run_to_completion(argv, expect=expect, log=log)
                    except AssertionError as exc:  # resume failed: the worst mismatch
                        mismatches.append(f"cycle {cycle} {stage}: did not complete: {exc}")
                        break
                    with closing(open_store(db)) as store:
                        found = verify_store(store, corpus, analyzed=stage == "analyze")
                    mismatches.extend(f"cycle {cycle} {stage}: {m}" for m in found)
                    print(f"  cycle {cycle}: {stage} completed, {len(found)} mismatches")
    finally:
        seconds = time.perf_counter() - started
        shutil.rmtree(work, ignore_errors=True)
    failures = [f for report in totals.values() for f in report.failures]
    print(f"\n{args.backend} crash safety, {seconds:.0f} s:")
    for name, report in totals.items():
        print(
            f"  {name:8} attempts {report.attempted:3}  mid-run kills survived {report.mid_run:3}"
            f"  (inside a write {report.in_transaction})  ended before the kill "
            f"{report.finished_first}"
        )
    attempted = sum(report.attempted for report in totals.values())
    survived = sum(report.mid_run for report in totals.values())
    print(f"  kills attempted {attempted}, mid-run kills survived {survived}")
    print(f"  integrity failures (incl. orphaned helpers): {len(failures)}")
    print(f"  count mismatches: {len(mismatches)}")
    for line in failures + mismatches:
        print(f"    {line}")
    return 1 if failures or mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
