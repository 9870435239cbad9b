"""Kill ``reelsense ingest`` and ``reelsense analyze`` with SIGKILL, then check and resume.

The real CLI runs as a subprocess. Each attempt picks (from a seeded
``random.Random``) a point to die at: a number of stored rows to wait for,
then either a random delay of up to ``jitter`` seconds or, in
"transaction" mode, the first moment a write transaction is seen open
(SQLite: the write lock is held; PostgreSQL: the command's server backend
holds a transaction id), so kills land inside batches, not only between
them. After each kill the probe checks the store (``PRAGMA
integrity_check``, full-text index, no lock left behind; for PostgreSQL: no
backend left, the store opens and searches) and that no helper process of
the killed command survived it.

A kill only counts as *mid-run* when the process was still running when
the signal was sent, died of it, and the store was incomplete afterwards:
a kill that lands after the work was done proves nothing.

Used by ``tests/cli/test_crash_safety.py`` and ``benchmarks/crash_safety.py``.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from reelsense.analysis.scoring import Analyzer
from reelsense.errors import SchemaOutdatedError
from reelsense.store import SQLiteStore, Store, open_store
from reelsense.store.base import SearchQuery, StoredReview
from tests.crash_corpus import Corpus

__all__ = [
    "KillReport",
    "PostgresProbe",
    "Probe",
    "SQLiteProbe",
    "Stage",
    "kill_repeatedly",
    "reelsense_command",
    "run_to_completion",
    "verify_store",
]

Stage = Literal["ingest", "analyze"]

# Every process a run starts inherits this variable (with a value unique to
# the run), so helpers left behind by a killed command can be found.
MARKER = "REELSENSE_CRASH_RUN"
_POLL = 0.003
_ORPHAN_GRACE = 20.0


def reelsense_command() -> list[str]:
    """How to run the installed CLI: the ``reelsense`` script beside this Python."""
    script = Path(sys.executable).with_name("reelsense")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from reelsense.cli.app import app; app()"]


class Probe(Protocol):
    """Looks into the store a command is writing, from another connection."""

    def progress(self, stage: Stage) -> int:
        """Reviews stored (ingest) or analysis rows stored (analyze); 0 before the schema."""
        ...

    def writing(self) -> bool:
        """Whether a write transaction is open right now."""
        ...

    def check(self) -> list[str]:
        """What is wrong with the store after a kill (empty when nothing is)."""
        ...


class SQLiteProbe:
    """Probe for a SQLite file. Connections are opened per call and closed at once,
    so the probe never holds the file while the command switches it to WAL."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _connect(self, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()

    def progress(self, stage: Stage) -> int:
        """Rows stored so far (see :class:`Probe`)."""
        if not self.path.exists():
            return 0
        table = "reviews" if stage == "ingest" else "analyses"
        try:
            with self._connect() as conn:
                return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        except sqlite3.OperationalError:  # no such table yet: the schema is being created
            return 0

    def writing(self) -> bool:
        """True when another connection holds the write lock (``BEGIN IMMEDIATE`` fails)."""
        if not self.path.exists():
            return False
        with self._connect(timeout=0) as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            conn.execute("ROLLBACK")
        return False

    def check(self) -> list[str]:
        """Opens read-only and searches; integrity, foreign keys, FTS index, no lock left."""
        if not self.path.exists():
            return []
        # First, as a user's next command would find it: read-only, before
        # any writable connection has recovered the WAL the kill left.
        found = _opens_and_searches(lambda: SQLiteStore(self.path, read_only=True))
        with self._connect() as conn:
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                found.append(f"integrity_check: {result[:5]}")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                found.append(f"foreign_key_check: {len(broken)} rows")
            tables = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master")}
            if "reviews_fts" in tables:
                try:
                    # rank 1: compare the index with the reviews table, row by row.
                    conn.execute(
                        "INSERT INTO reviews_fts (reviews_fts, rank) VALUES ('integrity-check', 1)"
                    )
                except sqlite3.DatabaseError as exc:
                    found.append(f"full-text index: {exc}")
        if self.writing():
            found.append("the write lock is still held after the kill")
        return found


class PostgresProbe:
    """Probe for a PostgreSQL database (the command's backends are named ``reelsense``)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self._conn = psycopg.connect(url, autocommit=True, application_name="crash-probe")

    def close(self) -> None:
        """Close the probe's connection."""
        self._conn.close()

    def _scalar(self, sql: str) -> int:
        row = self._conn.execute(sql).fetchone()
        return int(row[0]) if row is not None and row[0] is not None else 0

    def progress(self, stage: Stage) -> int:
        """Rows stored so far (see :class:`Probe`)."""
        table = "reviews" if stage == "ingest" else "analyses"
        if not self._scalar(f"SELECT (to_regclass('{table}') IS NOT NULL)::int"):
            return 0
        return self._scalar(f"SELECT COUNT(*) FROM {table}")

    def _backends(self, condition: str = "TRUE") -> int:
        return self._scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            f"AND application_name = 'reelsense' AND {condition}"
        )

    def writing(self) -> bool:
        """True when a ``reelsense`` backend has a transaction id (it has written)."""
        return self._backends("backend_xid IS NOT NULL") > 0

    def check(self) -> list[str]:
        """No backend of the killed command stays; the store opens, counts and searches."""
        found: list[str] = []
        deadline = time.monotonic() + 30
        while self._backends() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._backends():
            found.append("a backend of the killed command is still running after 30 s")
        return found + _opens_and_searches(lambda: open_store(self.url, read_only=True))


def _opens_and_searches(open_it: Callable[[], Store]) -> list[str]:
    """What goes wrong opening a store read-only, counting and searching it."""
    try:
        with contextlib.closing(open_it()) as store:
            reviews = store.counts().reviews
            if reviews and not store.search(SearchQuery("film", limit=5)):
                return [f"search finds nothing among {reviews} reviews"]
    except SchemaOutdatedError:
        return []  # killed before the first migrations committed: the next run applies them
    except Exception as exc:  # any other failure to open is the finding
        return [f"store does not open read-only after the kill: {exc}"]
    return []


@dataclass(slots=True)
class KillReport:
    """What a series of kills of one command did."""

    stage: Stage
    attempted: int = 0
    mid_run: int = 0
    """Killed while running, with work left: the kills that count."""
    in_transaction: int = 0
    """Mid-run kills sent while a write transaction was seen open."""
    finished_first: int = 0
    """The command ended before the kill was sent (not a survived kill)."""
    failures: list[str] = field(default_factory=list)
    """Integrity problems and orphaned processes, one line each (must stay empty)."""
    events: list[str] = field(default_factory=list)
    """One line per attempt: where it was aimed and where it landed."""
    seconds: float = 0.0

    def add(self, other: KillReport) -> None:
        """Add another report's figures to this one."""
        self.attempted += other.attempted
        self.mid_run += other.mid_run
        self.in_transaction += other.in_transaction
        self.finished_first += other.finished_first
        self.failures.extend(other.failures)
        self.events.extend(other.events)
        self.seconds += other.seconds


def _marked_processes(token: str) -> list[int]:
    """Live processes whose environment carries ``MARKER=token`` (Linux ``/proc``)."""
    needle = f"{MARKER}={token}".encode()
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _orphans_after(token: str) -> list[str]:
    """Processes of a killed command still alive after a grace period (then ended)."""
    deadline = time.monotonic() + _ORPHAN_GRACE
    left = _marked_processes(token)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _marked_processes(token)
    for pid in left:  # started by this run: end them so they do not pile up
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return [f"{len(left)} helper process(es) outlived the killed command"] if left else []


def _environment(token: str) -> dict[str, str]:
    env = dict(os.environ)
    env[MARKER] = token
    env["COLUMNS"] = "120"
    return env


def kill_repeatedly(
    argv: Sequence[str],
    probe: Probe,
    *,
    stage: Stage,
    total: int,
    kills: int,
    rng: random.Random,
    step: int,
    variants: Sequence[Sequence[str]] = ((),),
    jitter: float = 0.05,
    max_attempts: int | None = None,
    log: Path | None = None,
    timeout: float = 120.0,
) -> KillReport:
    """Start the command again and again and SIGKILL it at random points.

    Stops after ``kills`` mid-run kills, after ``max_attempts`` attempts, or
    when at most one commit's worth of work is left.

    Parameters
    ----------
    argv:
        The command (``reelsense ingest ...``, see :func:`reelsense_command`).
    probe:
        Watches progress and checks the store after each kill.
    stage, total:
        What the command does and how many rows it stores when complete.
    kills:
        Mid-run kills wanted.
    rng:
        Chooses each kill point (seed it for a reproducible run).
    step:
        Rows per commit (the command's ``--batch-size``): every kill point
        leaves at least one commit to do, else the run would end first.
    variants:
        Extra arguments for each attempt in turn (``--parallel``, ``--workers 2``).
    jitter:
        Longest random delay after the target row count is reached.
    max_attempts:
        Attempts allowed (default ``kills + 3``).
    log:
        File to append the commands' stderr to.
    timeout:
        Longest wait for one attempt to reach its kill point.
    """
    report = KillReport(stage)
    started = time.perf_counter()
    attempts = max_attempts if max_attempts is not None else kills + 3
    while report.mid_run < kills and report.attempted < attempts:
        done = probe.progress(stage)
        if total - done <= step:
            break
        in_tx_mode = rng.random() < 0.5
        # Aim at most three quarters of the way through what is left, so that
        # several kills fit in one run. A delay-mode kill waits for at least one new commit
        # (else most would land while Python is still importing); a
        # transaction-mode kill may land in the first write (the migrations).
        low = done if in_tx_mode else min(done + 1, total - 1)
        target = rng.randint(low, max(low, min(done + (total - done) * 3 // 4, total - step)))
        delay = rng.uniform(0, jitter)
        extra = list(variants[report.attempted % len(variants)])
        token = f"{os.getpid()}-{stage}-{report.attempted}-{rng.getrandbits(32)}"
        with contextlib.ExitStack() as stack:
            err = stack.enter_context(log.open("ab")) if log is not None else subprocess.DEVNULL
            proc = subprocess.Popen(
                [*argv, *extra], stdout=subprocess.DEVNULL, stderr=err, env=_environment(token)
            )
            report.attempted += 1
            began = time.perf_counter()
            in_tx = _wait_for_kill_point(proc, probe, stage, target, in_tx_mode, delay, timeout)
            running = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        after = probe.progress(stage)
        if running and proc.returncode == -signal.SIGKILL and after < total:
            report.mid_run += 1
            report.in_transaction += in_tx
        else:
            report.finished_first += 1
        report.events.append(
            f"{stage} {' '.join(extra)} {'transaction' if in_tx_mode else 'delay'} mode: "
            f"rows {done} -> aim {target} -> {after} of {total} after "
            f"{time.perf_counter() - began:.1f} s, "
            + ("killed mid-run" if running and after < total else f"exit {proc.returncode}")
            + (" inside a write" if in_tx else "")
        )
        failures = probe.check() + _orphans_after(token)
        report.failures.extend(
            f"{stage} attempt {report.attempted}: {failure}" for failure in failures
        )
    report.seconds = time.perf_counter() - started
    return report


def _wait_for_kill_point(
    proc: subprocess.Popen[bytes],
    probe: Probe,
    stage: Stage,
    target: int,
    in_tx_mode: bool,
    delay: float,
    timeout: float,
) -> bool:
    """Wait until the kill should land; return whether a write transaction was seen open."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and probe.progress(stage) < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{stage} did not reach {target} rows in {timeout} s")
        time.sleep(_POLL)
    if not in_tx_mode:
        time.sleep(delay)
        return False
    # Spin until the command is inside a write: the kill then lands mid-batch.
    # Writes are short, so poll as often as a probe allows.
    while proc.poll() is None and time.monotonic() < deadline:
        if probe.writing():
            return True
    return False


def run_to_completion(
    argv: Sequence[str], *, expect: Sequence[int] = (0,), log: Path | None = None
) -> float:
    """Run the command once more, undisturbed; return its seconds.

    Raises
    ------
    AssertionError
        Its exit status is not in ``expect`` (the stderr tail is in the message).
    """
    started = time.perf_counter()
    done = subprocess.run(
        list(argv), capture_output=True, env=_environment("final"), timeout=600, check=False
    )
    if log is not None:
        with log.open("ab") as handle:
            handle.write(done.stderr)
    if done.returncode not in expect:
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise AssertionError(f"{' '.join(argv)} exited {done.returncode}: {tail}")
    return time.perf_counter() - started


def verify_store(store: Store, corpus: Corpus, *, analyzed: bool) -> list[str]:
    """Every difference between the store and the corpus truth (empty when none).

    Reviews are checked one by one: the ``Viewing note N`` serial in each
    text must appear exactly once for every N. With ``analyzed``, each
    review must have one analysis row of the current model with a final
    rating from the expected source, and the stored rows and aspect mentions
    must equal a fresh in-process scoring of the stored reviews.
    """
    found: list[str] = []
    counts = store.counts()
    serials: list[int] = []
    stored = list(store.iter_reviews(batch_size=1000))
    for item in stored:
        note = item.review.text.rsplit("Viewing note ", 1)[-1].split(".", 1)[0]
        serials.append(int(note))
    expected = {
        "movies": (counts.movies, corpus.movies),
        "reviews": (counts.reviews, corpus.reviews),
        "distinct reviews": (len(set(serials)), corpus.reviews),
        "e-mails": (counts.emails, corpus.emails),
        "problems": (counts.problems, corpus.problems),
        "problems listed": (len(store.problems()), corpus.problems),
    }
    if sorted(serials) != list(range(1, corpus.reviews + 1)):
        found.append("reviews: serials are not exactly 1..N (lost or doubled reviews)")
    group_rows = sum(1 for movie in store.iter_movies() if movie.group is not None)
    expected["group rows"] = (group_rows, corpus.group_rows)
    if analyzed:
        found.extend(_verify_analysis(store, corpus, stored, expected))
    found.extend(f"{name}: {got} stored, {want} expected" for name, (got, want) in
                 expected.items() if got != want)  # fmt: skip
    return found


def _verify_analysis(
    store: Store,
    corpus: Corpus,
    stored: list[StoredReview],
    expected: dict[str, tuple[int, int]],
) -> list[str]:
    found: list[str] = []
    version = store.current_model()
    if version is None:
        return ["no model registered"]
    rows, aspects = store.analysis_for([item.review_id for item in stored])
    mine = [row for row in rows if row.model_version == version]
    expected["analysis rows"] = (len(mine), corpus.reviews)
    expected["analysed reviews"] = (len({row.review_id for row in mine}), corpus.reviews)
    sources = {"given": 0, "stated": 0, "predicted": 0}
    for row in mine:
        sources[row.rating_source] += 1
    for source, want in (
        ("given", corpus.given),
        ("stated", corpus.stated),
        ("predicted", corpus.predicted),
    ):
        expected[f"final ratings from {source}"] = (sources[source], want)
    if any(not 1.0 <= row.final_rating <= 10.0 for row in mine):
        found.append("a final rating is outside 1-10")
    # The truth for model output: score the stored reviews again, in this process.
    fresh = Analyzer.load().score(stored) if stored else None
    if fresh is not None:
        want_rows = {
            (r.review_id, r.polarity, r.rating_source, r.predicted_rating) for r in fresh.rows
        }
        got_rows = {(r.review_id, r.polarity, r.rating_source, r.predicted_rating) for r in mine}
        if want_rows != got_rows:
            found.append(f"analysis rows differ from a fresh scoring: {len(want_rows ^ got_rows)}")
        want_aspects = {(m.review_id, m.sentence, m.aspect, m.polarity) for m in fresh.aspects}
        got = [(m.review_id, m.sentence, m.aspect, m.polarity) for m in aspects
               if m.model_version == version]  # fmt: skip
        expected["aspect mentions"] = (len(got), len(want_aspects))
        if set(got) != want_aspects:
            found.append(
                f"aspect mentions differ from a fresh scoring: {len(set(got) ^ want_aspects)}"
            )
    return found
