"""The hand-labelled aspect files (dev and held-out test): well-formed, disjoint, aligned."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import reelsense.analysis
from reelsense.analysis.aspects import ASPECTS as MODEL_ASPECTS
from reelsense.records import Review
from reelsense.sources.aclimdb import read_aclimdb
from reelsense.text.sentences import split_sentences

DATA = Path(reelsense.analysis.__file__).parent / "data"
GOLD = DATA / "aspect_gold.jsonl"
TEST = DATA / "aspect_test.jsonl"
FILES = pytest.mark.parametrize("path", [GOLD, TEST], ids=["dev", "test"])
ACLIMDB = Path(__file__).parents[2].parent / "shared" / "data" / "aclImdb_v1.tar.gz"
ASPECTS = set(MODEL_ASPECTS)  # gold labels are the aspects the detector knows
POLARITIES = {"positive", "negative", "neutral"}


def _rows(path: Path = GOLD) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@FILES
def test_gold_rows_have_the_documented_fields(path: Path) -> None:
    for row in _rows(path):
        assert set(row) == {"review", "sentence", "sha1", "aspects"}, row
        assert row["review"].startswith("aclImdb/train/pos/") or row["review"].startswith(
            "aclImdb/train/neg/"
        ), row
        assert isinstance(row["sentence"], int) and row["sentence"] >= 0, row
        assert len(row["sha1"]) == 12 and int(row["sha1"], 16) >= 0, row
        assert isinstance(row["aspects"], dict), row


@FILES
def test_gold_uses_only_taxonomy_aspects_and_polarities(path: Path) -> None:
    for row in _rows(path):
        assert set(row["aspects"]) <= ASPECTS, row
        assert set(row["aspects"].values()) <= POLARITIES, row


@FILES
def test_gold_sentences_are_unique_and_sorted(path: Path) -> None:
    keys = [(row["review"], row["sentence"]) for row in _rows(path)]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys)


@FILES
def test_gold_is_large_and_varied_enough_to_evaluate(path: Path) -> None:
    rows = _rows(path)
    present = {aspect for row in rows for aspect in row["aspects"]}
    assert len(rows) >= 400
    assert len(present) >= 8, sorted(present)
    assert any(not row["aspects"] for row in rows), "no aspect-free sentences to measure precision"


@FILES
def test_gold_labels_whole_reviews(path: Path) -> None:
    by_review: dict[str, list[int]] = {}
    for row in _rows(path):
        by_review.setdefault(row["review"], []).append(row["sentence"])
    for review, indices in by_review.items():
        assert sorted(indices) == list(range(len(indices))), review


@FILES
def test_gold_holds_no_review_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert all(len(line) < 300 for line in text.splitlines())


def test_test_file_shares_no_review_with_the_dev_file() -> None:
    dev = {row["review"] for row in _rows(GOLD)}
    test = {row["review"] for row in _rows(TEST)}
    assert len(test) >= 40
    assert not dev & test


def test_training_leaves_out_the_reviews_of_both_files() -> None:
    from reelsense.analysis.aspect_train import (
        DEFAULT_GOLD_PATH,
        DEFAULT_TEST_PATH,
        gold_review_ids,
    )

    assert DEFAULT_GOLD_PATH == GOLD and DEFAULT_TEST_PATH == TEST
    assert gold_review_ids(TEST) == {row["review"] for row in _rows(TEST)}


@pytest.mark.slow
@FILES
def test_gold_hashes_match_the_current_splitter(path: Path) -> None:
    if not ACLIMDB.is_file():
        pytest.skip(f"aclImdb archive not found at {ACLIMDB}")
    rows = _rows(path)
    wanted = {row["review"] for row in rows}
    sentences: dict[str, list[str]] = {}
    for record in read_aclimdb(ACLIMDB, splits=("train",)):
        if isinstance(record, Review) and record.external_id in wanted:
            assert record.external_id is not None
            sentences[record.external_id] = split_sentences(record.text)
    assert set(sentences) == wanted
    matched = 0
    for row in rows:
        found = sentences[row["review"]]
        if row["sentence"] < len(found):
            digest = hashlib.sha1(found[row["sentence"]].encode("utf-8")).hexdigest()[:12]
            matched += digest == row["sha1"]
    assert matched >= 0.95 * len(rows), f"only {matched}/{len(rows)} sentences still match"


SECOND_LABELLINGS = pytest.mark.parametrize(
    ("second", "first"),
    [
        (DATA / "aspect_test_second.jsonl", TEST),
        (DATA / "aspect_train_second.jsonl", DATA / "aspect_train.jsonl"),
    ],
    ids=["test", "train"],
)


@SECOND_LABELLINGS
def test_second_labellings_relabel_whole_reviews_of_their_file(second: Path, first: Path) -> None:
    original = {(row["review"], row["sentence"]): row["sha1"] for row in _rows(first)}
    rows = _rows(second)
    assert len(rows) >= 400
    for row in rows:
        assert set(row) == {"review", "sentence", "sha1", "aspects"}, row
        assert original[(row["review"], row["sentence"])] == row["sha1"], row
        assert set(row["aspects"]) <= ASPECTS and set(row["aspects"].values()) <= POLARITIES
    reviews = {row["review"] for row in rows}
    whole = {key for key in original if key[0] in reviews}
    assert whole == {(row["review"], row["sentence"]) for row in rows}
