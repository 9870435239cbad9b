"""Saving and loading models as model.json + arrays.npz (never pickle)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reelsense.analysis.model import SentimentModel
from reelsense.analysis.persist import ModelFormatError, load, save
from reelsense.errors import NotFittedError

PROBES = ["A superb, moving film.", "Dull and painful.", "", "the cast"]


def test_save_load_round_trip_gives_identical_predictions(
    tiny_model: SentimentModel, tmp_path: Path
) -> None:
    save(tiny_model, tmp_path / "m", version="test-1", metrics={"accuracy": 1.0})
    loaded = load(tmp_path / "m")
    before, after = tiny_model.predict_batch(PROBES), loaded.predict_batch(PROBES)
    assert np.array_equal(before.p_positive, after.p_positive)
    assert np.array_equal(before.rating, after.rating)
    assert loaded.version_ == "test-1"
    assert loaded.metadata_["metrics"] == {"accuracy": 1.0}


def test_saved_directory_holds_no_pickle(tiny_model: SentimentModel, tmp_path: Path) -> None:
    save(tiny_model, tmp_path, version="test-1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arrays.npz", "model.json"]
    with np.load(tmp_path / "arrays.npz", allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)


def test_load_refuses_directory_with_a_pickle(tiny_model: SentimentModel, tmp_path: Path) -> None:
    save(tiny_model, tmp_path, version="test-1")
    (tmp_path / "extra.pkl").write_bytes(b"\x80\x04N.")
    with pytest.raises(ModelFormatError, match="pickle"):
        load(tmp_path)


def test_load_refuses_other_format_version(tiny_model: SentimentModel, tmp_path: Path) -> None:
    save(tiny_model, tmp_path, version="test-1")
    meta = json.loads((tmp_path / "model.json").read_text())
    meta["format_version"] = 99
    (tmp_path / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="format version 99"):
        load(tmp_path)


def test_load_refuses_missing_directory_and_object_arrays(tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError, match="not a model directory"):
        load(tmp_path / "nope")


def test_load_refuses_npz_holding_pickled_objects(
    tiny_model: SentimentModel, tmp_path: Path
) -> None:
    save(tiny_model, tmp_path, version="test-1")
    with np.load(tmp_path / "arrays.npz") as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["weights"] = np.array([{"evil": 1}], dtype=object)
    np.savez(tmp_path / "arrays.npz", **arrays)
    with pytest.raises(ModelFormatError, match=r"arrays\.npz"):
        load(tmp_path)


def test_save_of_unfitted_model_raises(tmp_path: Path) -> None:
    with pytest.raises(NotFittedError, match="SentimentModel"):
        save(SentimentModel(), tmp_path, version="x")
