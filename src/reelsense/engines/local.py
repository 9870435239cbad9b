"""The in-process engine: batches scored on every core of this machine.

Worker processes are forked from this one after it has loaded the model and
built its lookup tables, so they share them (copy-on-write) instead of each
importing reelsense and loading the model again: about 0.8 s of CPU saved per
worker, which on a 2-core machine is a quarter of scoring 25,000 reviews.
Forking is only safe in a single-threaded process (a lock held by another
thread at the fork stays locked in the child), so with other threads running,
or where fork does not exist, workers are spawned and load the model themselves.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from reelsense.analysis.scoring import Analyzer, ReviewBatch, ScoredBatch
from reelsense.errors import ConfigError
from reelsense.lifeline import exit_with_parent
from reelsense.store.base import StoredReview

# The one analyzer a worker process holds, loaded once by its initializer:
# worker processes are this engine's private state, never the importing program's.
_worker_analyzer: Analyzer | None = None


START_METHODS = ("fork", "spawn")


def _init_worker(model_dir: str, aspects: bool) -> None:
    """Initializer of a spawned worker: load the bundle."""
    global _worker_analyzer
    exit_with_parent()  # a killed analyze must not leave workers holding the model
    _worker_analyzer = Analyzer.load(Path(model_dir), aspects=aspects)


def _adopt_analyzer(analyzer: Analyzer) -> None:
    """Initializer of a forked worker: the analyzer is the parent's, inherited, not pickled."""
    global _worker_analyzer
    exit_with_parent()
    _worker_analyzer = analyzer


def default_start_method() -> str:
    """``"fork"`` when it exists and this process runs a single thread, else ``"spawn"``."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _score_in_worker(batch: ReviewBatch) -> ScoredBatch:
    assert _worker_analyzer is not None, "worker initializer did not run"
    return _worker_analyzer.score_batch(batch)


class LocalEngine:
    """Scores batches in ``workers`` processes (default: every core).

    With one worker, batches are scored in this process, which is also best
    for small jobs (no process start-up).

    Parameters
    ----------
    model_dir:
        The model directory to load.
    aspects:
        Score aspect sentiment too, when the bundle has an aspect model.
    workers:
        Worker processes; ``None`` means ``os.cpu_count()``.
    in_flight:
        Batches submitted ahead per worker; bounds memory.
    start_method:
        ``"fork"`` or ``"spawn"``; ``None`` picks fork when this process is
        single-threaded at :meth:`score` time (see :func:`default_start_method`).

    Example
    -------
    >>> engine = LocalEngine(default_model_dir(), workers=2)  # doctest: +SKIP
    >>> for rows in engine.score(store.iter_unscored(version)): ...  # doctest: +SKIP
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        aspects: bool = True,
        workers: int | None = None,
        in_flight: int = 2,
        start_method: str | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"workers must be 1 or more, not {workers}")
        if in_flight < 1:
            raise ConfigError(f"in_flight must be 1 or more, not {in_flight}")
        if start_method is not None and start_method not in START_METHODS:
            raise ConfigError(f"start_method must be one of {START_METHODS}, not {start_method!r}")
        self.model_dir = model_dir
        self.aspects = aspects
        self.workers = workers
        self.in_flight = in_flight
        self.start_method = start_method

    @property
    def n_workers(self) -> int:
        """Worker processes this engine uses."""
        return self.workers if self.workers is not None else (os.cpu_count() or 1)

    def score(self, batches: Iterable[list[StoredReview]]) -> Iterator[ScoredBatch]:
        """Score every batch; yield rows per batch in input order.

        A job of fewer batches than workers is scored in this process:
        starting worker processes would cost more than it saves.
        """
        stream = iter(batches)
        head = list(itertools.islice(stream, self.n_workers))
        if self.n_workers == 1 or len(head) < self.n_workers:
            analyzer = Analyzer.load(self.model_dir, aspects=self.aspects)
            for batch in itertools.chain(head, stream):
                yield analyzer.score(batch)
            return
        yield from self._score_in_pool(itertools.chain(head, stream))

    def _score_in_pool(self, batches: Iterable[list[StoredReview]]) -> Iterator[ScoredBatch]:
        pending: deque[Future[ScoredBatch]] = deque()
        limit = self.n_workers * self.in_flight
        method = self.start_method or default_start_method()
        initializer: Callable[..., None] = _init_worker
        initargs: tuple[object, ...] = (str(self.model_dir), self.aspects)
        if method == "fork":
            # loaded and tables built once, here: the forked workers share them
            analyzer = Analyzer.load(self.model_dir, aspects=self.aspects).prepare()
            initializer, initargs = _adopt_analyzer, (analyzer,)
        with ProcessPoolExecutor(
            self.n_workers,
            mp_context=get_context(method),
            initializer=initializer,
            initargs=initargs,
        ) as pool:
            try:
                for batch in batches:
                    # only what scoring reads crosses the process boundary
                    pending.append(pool.submit(_score_in_worker, ReviewBatch.of(batch)))
                    if len(pending) >= limit:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()
