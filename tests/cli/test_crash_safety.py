"""``reelsense ingest`` and ``reelsense analyze`` survive SIGKILL at random points.

Each test generates a corpus of 2,000 reviews (with known problems), runs
the real CLI as a subprocess, kills it several times with SIGKILL at seeded
random points (some while a write transaction is open), checks the store
after every kill, then runs the command to the end and compares the store
with what the corpus says it must hold: nothing lost, nothing doubled.
The harness is :mod:`tests.crash_harness`; ``benchmarks/crash_safety.py``
runs it longer.
"""

from __future__ import annotations

import random
import sys
from contextlib import closing
from pathlib import Path

import pytest

from reelsense.store import open_store
from tests.crash_corpus import Corpus, write_corpus
from tests.crash_harness import (
    KillReport,
    PostgresProbe,
    Probe,
    SQLiteProbe,
    kill_repeatedly,
    reelsense_command,
    run_to_completion,
    verify_store,
)
from tests.pg_server import pg_server, pg_url

__all__ = ["pg_server", "pg_url"]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds leftover processes through /proc"
)

KILLS = 2  # per command and backend: mid-run kills each test must survive (4 per test)
BATCH = 50  # small batches: many commits, so kills land inside and between them
# One attempt each way: ingest parses in this process or in a reader process,
# analyze scores here or in a pool of two workers; a kill must leave no helper
# behind. (A pool costs three process start-ups: PostgreSQL skips it.)
INGEST_VARIANTS = (("--serial",), ("--parallel",))
ANALYZE_VARIANTS = (("--workers", "1"), ("--workers", "2"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus", movies=40, seed=8)


def _assert_survived(report: KillReport) -> None:
    assert report.failures == [], report.failures
    assert report.mid_run == KILLS, report


def _kill_ingest_then_analyze(
    db: str,
    probe: Probe,
    corpus: Corpus,
    *,
    seed: int,
    log: Path,
    analyze_variants: tuple[tuple[str, ...], ...] = ANALYZE_VARIANTS,
) -> None:
    rng = random.Random(seed)
    ingest = [*reelsense_command(), "ingest", str(corpus.root), "--db", db, "-q"]
    ingest += ["--batch-size", str(BATCH)]
    report = kill_repeatedly(
        ingest, probe, stage="ingest", total=corpus.reviews, kills=KILLS, rng=rng, step=BATCH,
        variants=INGEST_VARIANTS, log=log,
    )  # fmt: skip
    _assert_survived(report)
    # Exit status 1: the corpus has problems (reported and stored, not fatal).
    run_to_completion(ingest, expect=(1,), log=log)
    with closing(open_store(db)) as store:
        assert verify_store(store, corpus, analyzed=False) == []

    analyze = [*reelsense_command(), "analyze", "--db", db, "-q", "--batch-size", str(BATCH)]
    report = kill_repeatedly(
        analyze, probe, stage="analyze", total=corpus.reviews, kills=KILLS, rng=rng, step=BATCH,
        variants=analyze_variants, log=log,
    )  # fmt: skip
    _assert_survived(report)
    run_to_completion(analyze, log=log)
    with closing(open_store(db)) as store:
        assert verify_store(store, corpus, analyzed=True) == []


def test_sqlite_store_survives_sigkill_of_ingest_and_analyze(
    corpus: Corpus, tmp_path: Path
) -> None:
    db = tmp_path / "reviews.db"
    _kill_ingest_then_analyze(str(db), SQLiteProbe(db), corpus, seed=8, log=tmp_path / "stderr.log")


@pytest.mark.postgres
def test_postgres_store_survives_sigkill_of_ingest_and_analyze(
    corpus: Corpus, pg_url: str, tmp_path: Path
) -> None:
    probe = PostgresProbe(pg_url)
    try:
        _kill_ingest_then_analyze(
            pg_url, probe, corpus, seed=9, log=tmp_path / "stderr.log",
            analyze_variants=(("--workers", "1"),),
        )  # fmt: skip
    finally:
        probe.close()
