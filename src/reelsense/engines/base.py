"""The engine contract: score batches of stored reviews, yield analysis rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from reelsense.analysis.scoring import ScoredBatch
from reelsense.store.base import StoredReview


class Engine(Protocol):
    """Scores batches of reviews with the model in ``model_dir`` (its aspect model too
    when ``aspects`` is true and the bundle has one).

    ``score`` consumes ``batches`` lazily (only a bounded number are in flight,
    so memory stays flat) and yields one :class:`ScoredBatch` per batch, not
    necessarily in input order.
    """

    model_dir: Path
    aspects: bool

    def score(self, batches: Iterable[list[StoredReview]]) -> Iterator[ScoredBatch]:
        """Score every batch; yield its rows as soon as they are ready."""
        ...
