"""The default model shipped inside the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelsense.analysis.persist import load, read_metadata
from reelsense.analysis.train import DEFAULT_MODEL_DIR

PICKLE_SUFFIXES = {".pkl", ".pickle", ".joblib", ".pck", ".p"}


@pytest.fixture(scope="module")
def model_dir() -> Path:
    if not (DEFAULT_MODEL_DIR / "model.json").is_file():
        pytest.fail(f"the shipped default model is missing from {DEFAULT_MODEL_DIR}")
    return DEFAULT_MODEL_DIR


def test_default_model_classifies_obvious_sentences(model_dir: Path) -> None:
    model = load(model_dir)
    predictions = model.predict(
        [
            "One of the best films I have ever seen. Brilliant acting, a moving story. 10/10",
            "A total waste of time. Awful script, wooden acting, I walked out.",
            "I loved every minute of it, wonderful and beautifully shot.",
            "Boring, stupid and far too long. The worst movie of the year.",
        ]
    )
    assert [p.polarity for p in predictions] == ["positive", "negative"] * 2
    assert predictions[0].rating >= 7 and predictions[1].rating <= 4


def test_default_model_directory_is_safe_and_described(model_dir: Path) -> None:
    assert not [p for p in model_dir.rglob("*") if p.suffix.lower() in PICKLE_SUFFIXES]
    metadata = read_metadata(model_dir)
    assert metadata["training_data"]["n_reviews"] == 25_000
    assert metadata["version"]
    assert metadata["metrics"]["accuracy"] > 0.9


def test_default_model_survives_hard_inputs(model_dir: Path) -> None:
    model = load(model_dir)
    texts = ["", "ok", "bad " * 20_000, "Très beau film ?? S?erne", "<p>GREAT</p>&amp;"]
    predictions = model.predict(texts)
    assert len(predictions) == len(texts)
    assert all(1 <= p.rating <= 10 for p in predictions)
