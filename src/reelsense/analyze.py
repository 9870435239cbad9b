"""Analyze: score every stored review not yet scored by the current model.

Batches stream from the store, are scored by an engine and written back one
transaction per batch, so an interrupted run keeps what it wrote and the next
run scores only the rest.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reelsense.analysis.scoring import bundle_metadata
from reelsense.engines.base import Engine
from reelsense.store.base import Store

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True, slots=True)
class AnalyzeReport:
    """What one analyze run did."""

    model_version: str
    scored: int
    already_scored: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Reviews scored per second."""
        return self.scored / self.seconds if self.seconds > 0 else 0.0


def model_version_of(model_dir: Path, *, aspects: bool = True) -> tuple[str, str]:
    """The version string and JSON metadata of a model bundle (``aspects``: with its
    aspect model, when it has one)."""
    version, metadata = bundle_metadata(model_dir, aspects=aspects)
    return version, json.dumps(metadata, sort_keys=True)


def analyze(
    store: Store,
    engine: Engine,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_start: Callable[[int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> AnalyzeReport:
    """Score every review the engine's model has not scored yet.

    Parameters
    ----------
    store:
        Reviews are read from it and analysis rows written back.
    engine:
        Where scoring runs (:class:`reelsense.engines.LocalEngine`, ...).
    batch_size:
        Reviews per batch and per write transaction.
    on_start, on_batch:
        Progress callbacks: the number of reviews to score, then each
        batch's size once it is stored.

    Returns
    -------
    AnalyzeReport
        Counts and timing.

    Example
    -------
    >>> engine = LocalEngine(default_model_dir())  # doctest: +SKIP
    >>> analyze(open_store("reviews.db"), engine).scored  # doctest: +SKIP
    """
    version, metadata_json = model_version_of(engine.model_dir, aspects=engine.aspects)
    store.register_model(version, metadata_json)
    todo = store.count_unscored(version)
    total = store.counts().reviews
    if on_start is not None:
        on_start(todo)
    start = time.perf_counter()
    scored = 0
    for scored_batch in engine.score(store.iter_unscored(version, batch_size=batch_size)):
        store.write_analysis(scored_batch.rows, scored_batch.aspects)
        scored += len(scored_batch.rows)
        if on_batch is not None:
            on_batch(len(scored_batch.rows))
    seconds = time.perf_counter() - start
    logger.info("scored %d reviews with %s in %.1f s", scored, version, seconds)
    return AnalyzeReport(version, scored, total - todo, seconds)
