"""The in-process engine: batches scored on every core of this machine."""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from reelsense.analysis.scoring import Analyzer, ScoredBatch
from reelsense.errors import ConfigError
from reelsense.lifeline import exit_with_parent
from reelsense.store.base import StoredReview

# The one analyzer a worker process holds, loaded once by its initializer:
# worker processes are this engine's private state, never the importing program's.
_worker_analyzer: Analyzer | None = None


def _init_worker(model_dir: str) -> None:
    global _worker_analyzer
    exit_with_parent()  # a killed analyze must not leave workers holding the model
    _worker_analyzer = Analyzer.load(Path(model_dir))


def _score_in_worker(batch: list[StoredReview]) -> ScoredBatch:
    assert _worker_analyzer is not None, "worker initializer did not run"
    return _worker_analyzer.score(batch)


class LocalEngine:
    """Scores batches in ``workers`` processes (default: every core).

    With one worker, batches are scored in this process, which is also best
    for small jobs (no process start-up).

    Parameters
    ----------
    model_dir:
        The model directory to load.
    workers:
        Worker processes; ``None`` means ``os.cpu_count()``.
    in_flight:
        Batches submitted ahead per worker; bounds memory.

    Example
    -------
    >>> engine = LocalEngine(default_model_dir(), workers=2)  # doctest: +SKIP
    >>> for rows in engine.score(store.iter_unscored(version)): ...  # doctest: +SKIP
    """

    def __init__(self, model_dir: Path, *, workers: int | None = None, in_flight: int = 2) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"workers must be 1 or more, not {workers}")
        if in_flight < 1:
            raise ConfigError(f"in_flight must be 1 or more, not {in_flight}")
        self.model_dir = model_dir
        self.workers = workers
        self.in_flight = in_flight

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
            analyzer = Analyzer.load(self.model_dir)
            for batch in itertools.chain(head, stream):
                yield analyzer.score(batch)
            return
        yield from self._score_in_pool(itertools.chain(head, stream))

    def _score_in_pool(self, batches: Iterable[list[StoredReview]]) -> Iterator[ScoredBatch]:
        pending: deque[Future[ScoredBatch]] = deque()
        limit = self.n_workers * self.in_flight
        with ProcessPoolExecutor(
            self.n_workers,
            mp_context=get_context("spawn"),
            initializer=_init_worker,
            initargs=(str(self.model_dir),),
        ) as pool:
            try:
                for batch in batches:
                    pending.append(pool.submit(_score_in_worker, batch))
                    if len(pending) >= limit:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()
