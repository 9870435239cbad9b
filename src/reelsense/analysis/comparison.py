"""Score labelled reviews with a model and the lexicon tools, side by side.

Reviews stream through in batches; only the numbers are kept, so memory stays
flat however many reviews are evaluated. As in aclImdb, a rating of 7 or more
is positive, 4 or less negative, and reviews rated 5–6 are left out.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from reelsense.analysis.evaluate import EvaluationReport, evaluate_predictions
from reelsense.analysis.lexicons import Lexicon
from reelsense.analysis.model import SentimentModel
from reelsense.errors import ConfigError

BATCH = 2000


@dataclass(frozen=True)
class SystemResult:
    """One system's figures on the evaluated reviews, and its speed."""

    name: str
    report: EvaluationReport
    seconds: float

    @property
    def per_second(self) -> float:
        """Reviews scored per second (single process)."""
        return self.report.n / self.seconds if self.seconds > 0 else 0.0


def is_polar(rating: float) -> bool:
    """True for ratings that carry a binary label (<= 4 or >= 7)."""
    return rating <= 4 or rating >= 7


def compare_systems(
    labelled: Iterable[tuple[str, float]],
    model: SentimentModel,
    lexicons: Iterable[Lexicon] = (),
    *,
    on_batch: Callable[[int], None] | None = None,
) -> list[SystemResult]:
    """Evaluate ``model`` and each lexicon on the same (text, rating) pairs.

    Returns one :class:`SystemResult` per system, the model first; the model
    also gets rating figures and per-length buckets.
    """
    lexicons = list(lexicons)
    ratings: list[float] = []
    words: list[int] = []
    p_model: list[float] = []
    r_model: list[int] = []
    p_lex: dict[str, list[float]] = {lex.name: [] for lex in lexicons}
    seconds = dict.fromkeys(["model", *p_lex], 0.0)
    polar = (pair for pair in labelled if is_polar(pair[1]))
    while batch := list(itertools.islice(polar, BATCH)):
        texts = [text for text, _ in batch]
        ratings.extend(rating for _, rating in batch)
        words.extend(len(text.split()) for text in texts)
        start = time.perf_counter()
        scored = model.predict_batch(texts)
        seconds["model"] += time.perf_counter() - start
        p_model.extend(scored.p_positive.tolist())
        r_model.extend(scored.rating.tolist())
        for lex in lexicons:
            start = time.perf_counter()
            p_lex[lex.name].extend(lex.score(texts).tolist())
            seconds[lex.name] += time.perf_counter() - start
        if on_batch is not None:
            on_batch(len(batch))
    if not ratings:
        raise ConfigError("no reviews rated 1-4 or 7-10 to evaluate on")
    true = np.asarray(ratings, dtype=np.float64)
    labels = (true >= 7).astype(np.int64)
    results = [
        SystemResult(
            f"reelsense {model.version_}",
            evaluate_predictions(
                labels,
                np.asarray(p_model),
                true_ratings=true,
                predicted_ratings=np.asarray(r_model),
                word_counts=np.asarray(words),
            ),
            seconds["model"],
        )
    ]
    for name, p in p_lex.items():
        results.append(
            SystemResult(name, evaluate_predictions(labels, np.asarray(p)), seconds[name])
        )
    return results
