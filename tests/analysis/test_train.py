"""Training the default model from an aclImdb-shaped folder (tiny, invented)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelsense.analysis.persist import load, read_metadata
from reelsense.analysis.train import train_default
from tests.aclimdb_folder import write_aclimdb


def _write_aclimdb(root: Path, texts: list[str], ratings: list[float]) -> Path:
    counters = {"pos": 0, "neg": 0}
    reviews = {}
    for text, rating in zip(texts, ratings, strict=True):
        label = "pos" if rating >= 7 else "neg"
        reviews[f"train/{label}/{counters[label]}_{int(rating)}"] = text
        counters[label] += 1
    return write_aclimdb(root, reviews)


def test_train_default_writes_a_loadable_described_model(
    tmp_path: Path, tiny_corpus: tuple[list[str], list[float]]
) -> None:
    texts, ratings = tiny_corpus
    data = _write_aclimdb(tmp_path, texts, ratings)
    out = train_default(data, tmp_path / "model", version="tiny-1", holdout=0.25)
    metadata = read_metadata(out)
    assert metadata["version"] == "tiny-1"
    assert metadata["training_data"]["n_reviews"] == len(texts)
    assert metadata["metrics"]["holdout_n"] == len(texts) // 4
    model = load(out)
    batch = model.predict_batch(["The story was wonderful. I loved it.", "Dreadful. I hated it."])
    assert batch.p_positive[0] > 0.5 > batch.p_positive[1]


def test_train_default_is_deterministic(
    tmp_path: Path, tiny_corpus: tuple[list[str], list[float]]
) -> None:
    texts, ratings = tiny_corpus
    data = _write_aclimdb(tmp_path, texts, ratings)
    a = load(train_default(data, tmp_path / "a", holdout=0))
    b = load(train_default(data, tmp_path / "b", holdout=0))
    assert np.array_equal(a.weights_, b.weights_)
    assert a.calibration_ == b.calibration_
