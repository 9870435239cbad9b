"""Training the default model from an aclImdb-shaped folder (tiny, invented)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelsense.analysis.persist import load, read_metadata
from reelsense.analysis.train import train_default


def _write_aclimdb(root: Path, texts: list[str], ratings: list[float]) -> Path:
    base = root / "aclImdb" / "train"
    counters = {"pos": 0, "neg": 0}
    for text, rating in zip(texts, ratings, strict=True):
        label = "pos" if rating >= 7 else "neg"
        folder = base / label
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{counters[label]}_{int(rating)}.txt").write_text(text, encoding="utf-8")
        counters[label] += 1
    for label, n in counters.items():
        urls = [f"http://www.imdb.com/title/tt{1000000 + i}/usercomments" for i in range(n)]
        (base / f"urls_{label}.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    return root / "aclImdb"


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
