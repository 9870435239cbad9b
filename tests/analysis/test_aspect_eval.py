"""Scoring aspect predictions against gold labels (invented sentences and a tiny aclImdb)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from reelsense.analysis.aspect_eval import evaluate_aspects, read_gold, score_rows
from reelsense.analysis.aspect_train import fit_aspect_model
from reelsense.errors import ConfigError
from reelsense.text.sentences import split_sentences
from tests.aclimdb_folder import write_aclimdb

REVIEW = "I rented it. The acting is wonderful. The plot is awful but the music is lovely."


def test_score_rows_counts_precision_recall_and_polarity() -> None:
    report = score_rows(
        [
            ({"acting": "positive"}, {"acting": ("positive", 0.9), "story": ("negative", 0.2)}),
            ({"story": "negative", "music": "neutral"}, {"music": ("neutral", 0.5)}),
            ({}, {}),
        ]
    )
    assert report.rows == 3
    assert report.per_aspect["acting"].precision == 1.0
    assert report.per_aspect["story"].precision == 0.0
    assert report.per_aspect["story"].recall == 0.0
    assert report.overall.true_positive == 2 and report.overall.predicted == 3
    assert report.micro_f1 == pytest.approx(2 * (2 / 3) * (2 / 3) / (4 / 3))
    assert report.polarity_accuracy == 1.0
    assert (report.neutral_gold_detected, report.neutral_gold_predicted_neutral) == (1, 1)


def test_neutral_answer_to_a_polar_gold_mention_is_wrong_but_sign_may_be_right() -> None:
    report = score_rows([({"ending": "positive"}, {"ending": ("neutral", 0.52)})])
    assert report.polarity_accuracy == 0.0
    assert report.sign_accuracy == 1.0


def test_read_gold_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"review": "r", "sentence": 0, "sha1": "x", "aspects": {}}\n{oops\n')
    with pytest.raises(ConfigError, match=r"gold\.jsonl:2"):
        read_gold(path)


def test_read_gold_rejects_unknown_aspects(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"review": "r", "sentence": 0, "sha1": "x", "aspects": {"smell": "positive"}}\n'
    )
    with pytest.raises(ConfigError, match="smell"):
        read_gold(path)


def test_evaluate_reads_sentences_back_and_skips_stale_rows(tmp_path: Path) -> None:
    good = ["wonderful", "lovely", "great", "superb"]
    bad = ["awful", "dull", "terrible", "weak"]
    texts, labels = [], []
    for i in range(40):
        texts += [f"the thing is {good[i % 4]}", f"the thing is {bad[i % 4]}"]
        labels += [1, 0]
    model, _ = fit_aspect_model(texts, labels, C=1.0)
    sentences = split_sentences(REVIEW)

    def sha(s: str) -> str:
        return hashlib.sha1(s.encode()).hexdigest()[:12]

    rid = "aclImdb/train/pos/0_9"
    rows = [
        {"review": rid, "sentence": 0, "sha1": sha(sentences[0]), "aspects": {}},
        {"review": "aclImdb/train/pos/0_9", "sentence": 1, "sha1": sha(sentences[1]),
         "aspects": {"acting": "positive"}},
        {"review": "aclImdb/train/pos/0_9", "sentence": 2, "sha1": "000000000000",
         "aspects": {"story": "negative"}},
        {"review": "aclImdb/train/pos/9_9", "sentence": 0, "sha1": "000000000000", "aspects": {}},
    ]  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = evaluate_aspects(gold, write_aclimdb(tmp_path, {"train/pos/0_9": REVIEW}), model)
    assert report.skipped == 2
    assert report.rows == 2
    assert report.per_aspect["acting"].true_positive == 1
    assert report.polarity_accuracy == 1.0
    assert report.micro_f1 == 1.0
