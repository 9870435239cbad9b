"""Reproduce the shipped default model from the aclImdb train split.

``train_default`` is what ``reelsense train`` runs for the default model: it
reads the 25,000 labelled train reviews (folder or ``aclImdb_v1.tar.gz``), fits
:class:`SentimentModel` with fixed seeds and writes ``model.json`` +
``arrays.npz``. The test split is never read here.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from reelsense.analysis.evaluate import evaluate_predictions
from reelsense.analysis.features import FeatureConfig
from reelsense.analysis.model import SentimentModel
from reelsense.analysis.persist import save
from reelsense.errors import ConfigError
from reelsense.records import Review

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_MODEL_DIR", "DEFAULT_VERSION", "default_model", "train_default", "train_on"]

DEFAULT_VERSION = "nblrn-w123s-1"
DEFAULT_FEATURES = FeatureConfig(ngram_max=3, min_df=2, skip_bigrams=True)
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "default"


def review_text(review: Review) -> str:
    """The text a model reads: headline and body joined (aclImdb has no headline)."""
    if review.headline:
        return f"{review.headline}\n\n{review.text}"
    return review.text


def read_rated_reviews(aclimdb_path: Path, split: str) -> tuple[list[str], list[float]]:
    """Return (texts, ratings) of the labelled reviews of one aclImdb split."""
    from reelsense.sources.aclimdb import read_aclimdb

    texts: list[str] = []
    ratings: list[float] = []
    for record in read_aclimdb(Path(aclimdb_path), splits=(split,)):
        if isinstance(record, Review) and record.rating is not None:
            texts.append(review_text(record))
            ratings.append(float(record.rating))
    if not texts:
        raise ConfigError(f"{aclimdb_path}: no rated reviews in split {split!r}")
    return texts, ratings


def train_on(
    texts: list[str],
    ratings: list[float],
    *,
    holdout: float = 0.2,
    random_state: int = 0,
    model: SentimentModel | None = None,
) -> tuple[SentimentModel, dict[str, Any]]:
    """Measure ``model`` on a seeded holdout of the data, then refit it on all of it.

    Returns the model fitted on all ``texts`` and the holdout metrics
    (``holdout=0`` skips the measurement).
    """
    template = model or SentimentModel(feature_config=DEFAULT_FEATURES, random_state=random_state)
    metrics: dict[str, Any] = {}
    y_rating = np.asarray(ratings, dtype=np.float64)
    if holdout > 0:
        order = np.random.RandomState(random_state).permutation(len(texts))
        cut = round(len(texts) * (1 - holdout))
        fit_idx, test_idx = order[:cut], order[cut:]
        probe = SentimentModel(**_params(template)).fit(
            [texts[i] for i in fit_idx], y_rating[fit_idx].tolist()
        )
        batch = probe.predict_batch([texts[i] for i in test_idx])
        held = y_rating[test_idx]
        polar = (held >= 7) | (held <= 4)
        report = evaluate_predictions(
            (held[polar] >= 7).astype(np.int64),
            batch.p_positive[polar],
            true_ratings=held[polar],
            predicted_ratings=batch.rating[polar],
        )
        metrics = {"holdout_fraction": holdout, "holdout_n": int(test_idx.size)}
        metrics.update({k: v for k, v in report.to_json().items() if k != "length_buckets"})
        logger.info("holdout accuracy %.4f, rating MAE %.3f", report.accuracy, report.rating_mae)
    final = SentimentModel(**_params(template)).fit(texts, ratings)
    return final, metrics


def _params(model: SentimentModel) -> dict[str, Any]:
    params = model.get_params()
    params["feature_config"] = FeatureConfig.from_json(params["feature_config"])
    return params


def train_default(
    aclimdb_path: str | Path,
    output_dir: str | Path = DEFAULT_MODEL_DIR,
    *,
    version: str = DEFAULT_VERSION,
    holdout: float = 0.2,
    random_state: int = 0,
) -> Path:
    """Train the default model on aclImdb train (25k) and save it to ``output_dir``.

    Parameters
    ----------
    aclimdb_path:
        The ``aclImdb`` folder or ``aclImdb_v1.tar.gz``.
    output_dir:
        Where ``model.json`` and ``arrays.npz`` are written.
    version:
        Model version string stored in ``model.json``.
    holdout:
        Fraction of train held out (seeded) to measure the recorded metrics
        before the final fit on all of train; 0 skips it.
    random_state:
        Seed for every random choice.

    Returns
    -------
    Path
        ``output_dir``.

    Example
    -------
    >>> train_default("../shared/data/aclImdb_v1.tar.gz", "models/default")  # doctest: +SKIP
    """
    started = time.perf_counter()
    texts, ratings = read_rated_reviews(Path(aclimdb_path), "train")
    digest = hashlib.sha256()
    for text, rating in zip(texts, ratings, strict=True):
        digest.update(f"{rating:g}\t{text}\n".encode())
    model, metrics = train_on(texts, ratings, holdout=holdout, random_state=random_state)
    training_data = {
        "source": "aclImdb v1.0 (Maas et al., 2011), train split, labelled reviews",
        "path_name": Path(aclimdb_path).name,
        "n_reviews": len(texts),
        "n_positive": int(sum(r >= 7 for r in ratings)),
        "ratings_sha256": digest.hexdigest(),
        "random_state": random_state,
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    return save(model, output_dir, version=version, training_data=training_data, metrics=metrics)


def default_model() -> SentimentModel:
    """Load the model shipped in ``reelsense/models/default``."""
    from reelsense.analysis.persist import load

    return load(DEFAULT_MODEL_DIR)
