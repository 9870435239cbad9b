"""``reelsense train --aspects`` and ``reelsense evaluate --aspects --gold dev|test``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelsense.analysis.aspect_model import AspectModel
from reelsense.cli.app import app
from tests.aclimdb_folder import write_aclimdb


def _tiny_aclimdb(root: Path) -> Path:
    """An aclImdb folder whose train reviews are none of the gold files' reviews."""
    reviews = {}
    for label, words in (("pos", "wonderful superb acting"), ("neg", "awful dull plot")):
        rating = 9 if label == "pos" else 2
        for i in range(30):
            reviews[f"train/{label}/{i}_{rating}"] = f"The {words} {i}. Really {words}."
    return write_aclimdb(root, reviews)


def test_train_aspects_needs_the_aclimdb_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "--aspects", "-o", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "--aspects needs the aclImdb path" in result.output


def test_train_aspects_writes_a_loadable_aspect_model(tmp_path: Path) -> None:
    data = _tiny_aclimdb(tmp_path)
    out = tmp_path / "model"
    args = ["train", str(data), "--aspects", "--no-detector", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "saved aspect model asp-nblr-3" in result.stdout
    model = AspectModel.load(out)
    assert not (out / "model.json").exists()  # the review model is not trained
    assert model.p_positive(["wonderful superb acting"])[0] > 0.5
    assert model.detector is None


def test_train_aspects_names_a_labels_file_that_matches_nothing(tmp_path: Path) -> None:
    data = _tiny_aclimdb(tmp_path)
    result = CliRunner().invoke(app, ["train", str(data), "--aspects", "-o", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "aspect_train.jsonl: no labelled sentence matches aclImdb train" in " ".join(
        result.output.split()
    )


@pytest.mark.parametrize(("gold", "rows"), [("dev", 505), ("test", 413)])
def test_evaluate_aspects_reads_the_chosen_gold_file(tmp_path: Path, gold: str, rows: int) -> None:
    data = _tiny_aclimdb(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", str(data), "--aspects", "--gold", gold])
    assert result.exit_code == 0, result.output
    # none of the gold reviews is in the tiny folder, so every row is skipped and counted
    out = " ".join(result.stdout.split())  # the table wraps its title
    assert f"({gold} set): 0 hand-labelled" in out
    assert f"({rows} skipped)" in out
