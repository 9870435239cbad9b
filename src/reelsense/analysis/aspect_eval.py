"""Measure aspect detection and polarity against a labelled gold file.

The gold file (``analysis/data/aspect_gold.jsonl``) holds references only:
``{"review": "aclImdb/train/pos/123_9", "sentence": 4, "sha1": "…", "aspects": {…}}``.
The sentence text is read back from aclImdb train with the project's reader
and splitter; a row whose ``sha1`` no longer matches (the splitter changed) is
skipped and counted, never scored against a different sentence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelsense.analysis.aspect_model import AspectModel
from reelsense.analysis.aspects import ASPECTS
from reelsense.errors import ConfigError
from reelsense.records import Review
from reelsense.text.sentences import split_sentences

__all__ = [
    "AspectCounts",
    "AspectReport",
    "GoldRow",
    "evaluate_aspects",
    "read_gold",
    "read_review_texts",
    "score_rows",
]

_POLARITIES = ("positive", "negative", "neutral")


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One labelled sentence of a gold file."""

    review: str
    sentence: int
    sha1: str
    aspects: dict[str, str]


@dataclass
class AspectCounts:
    """Detection and polarity counts of one aspect (or of all of them)."""

    gold: int = 0
    predicted: int = 0
    true_positive: int = 0
    polar_detected: int = 0
    polar_correct: int = 0

    @property
    def precision(self) -> float:
        """TP / predicted (0 when nothing was predicted)."""
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """TP / gold (0 when the gold has none)."""
        return self.true_positive / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def polarity_accuracy(self) -> float | None:
        """Share of detected positive/negative gold mentions given the same polarity."""
        return self.polar_correct / self.polar_detected if self.polar_detected else None

    def to_json(self) -> dict[str, Any]:
        """The counts and scores as a JSON-ready dict."""
        accuracy = self.polarity_accuracy
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "true_positive": self.true_positive,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "polar_detected": self.polar_detected,
            "polarity_accuracy": None if accuracy is None else round(accuracy, 4),
        }


@dataclass
class AspectReport:
    """What :func:`evaluate_aspects` measured.

    ``per_aspect`` maps each aspect to its counts; ``overall`` sums them (its
    F1 is the micro-F1). ``polarity_accuracy`` is over gold mentions labelled
    positive or negative that the system detected (a ``neutral`` answer counts
    as wrong); ``sign_accuracy`` is the same with the neutral band ignored
    (P(positive) >= 0.5 is positive). Gold ``neutral`` mentions are reported
    apart: how many were detected and how many of those the system also
    called neutral. ``confusion[gold][predicted]`` counts detected mentions.
    """

    rows: int = 0
    skipped: int = 0
    model_version: str = ""
    per_aspect: dict[str, AspectCounts] = field(default_factory=dict)
    overall: AspectCounts = field(default_factory=AspectCounts)
    sign_correct: int = 0
    neutral_gold_detected: int = 0
    neutral_gold_predicted_neutral: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def micro_f1(self) -> float:
        """Micro-averaged detection F1 over all aspects."""
        return self.overall.f1

    @property
    def polarity_accuracy(self) -> float | None:
        """Polarity accuracy over detected positive/negative gold mentions."""
        return self.overall.polarity_accuracy

    @property
    def sign_accuracy(self) -> float | None:
        """Like :attr:`polarity_accuracy`, with the neutral band ignored."""
        n = self.overall.polar_detected
        return self.sign_correct / n if n else None

    def to_json(self) -> dict[str, Any]:
        """The whole report as a JSON-ready dict."""
        sign = self.sign_accuracy
        return {
            "rows": self.rows,
            "skipped": self.skipped,
            "model_version": self.model_version,
            "micro": self.overall.to_json(),
            "micro_f1": round(self.micro_f1, 4),
            "polarity_accuracy": self.overall.to_json()["polarity_accuracy"],
            "sign_accuracy": None if sign is None else round(sign, 4),
            "neutral_gold_detected": self.neutral_gold_detected,
            "neutral_gold_predicted_neutral": self.neutral_gold_predicted_neutral,
            "confusion": self.confusion,
            "per_aspect": {a: c.to_json() for a, c in self.per_aspect.items()},
        }


def read_gold(gold_path: str | Path) -> list[GoldRow]:
    """Read a gold file (one JSON object per line).

    Raises
    ------
    ConfigError
        When the file is missing, a line is not valid JSON, a field is missing
        or an aspect / polarity is unknown (the message names file and line).
    """
    path = Path(gold_path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the gold file ({exc})") from exc
    rows: list[GoldRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            row = GoldRow(
                str(data["review"]), int(data["sentence"]), str(data["sha1"]), dict(data["aspects"])
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}:{number}: not a gold row ({exc})") from exc
        for aspect, polarity in row.aspects.items():
            if aspect not in ASPECTS or polarity not in _POLARITIES:
                raise ConfigError(f"{path}:{number}: unknown label {aspect!r}: {polarity!r}")
        rows.append(row)
    return rows


def sentence_sha1(sentence: str) -> str:
    """First 12 hex digits of the SHA-1 of ``sentence`` (UTF-8), as in the gold file."""
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:12]


def score_rows(
    rows: Iterable[tuple[dict[str, str], dict[str, tuple[str, float]]]],
) -> AspectReport:
    """Score (gold labels, predictions) pairs, one per sentence.

    Each prediction maps an aspect to ``(polarity, p_positive)``.

    Example
    -------
    >>> r = score_rows([({"acting": "positive"}, {"acting": ("positive", 0.9)})])
    >>> r.micro_f1, r.polarity_accuracy
    (1.0, 1.0)
    """
    report = AspectReport(per_aspect={a: AspectCounts() for a in ASPECTS})
    report.confusion = {g: dict.fromkeys(_POLARITIES, 0) for g in _POLARITIES}
    for gold, predicted in rows:
        report.rows += 1
        for aspect in ASPECTS:
            counts = report.per_aspect[aspect]
            in_gold, in_pred = aspect in gold, aspect in predicted
            counts.gold += in_gold
            counts.predicted += in_pred
            if not (in_gold and in_pred):
                continue
            counts.true_positive += 1
            want = gold[aspect]
            got, p = predicted[aspect]
            report.confusion[want][got] += 1
            if want == "neutral":
                report.neutral_gold_detected += 1
                report.neutral_gold_predicted_neutral += got == "neutral"
                continue
            counts.polar_detected += 1
            counts.polar_correct += got == want
            report.sign_correct += ("positive" if p >= 0.5 else "negative") == want
    total = report.overall
    for counts in report.per_aspect.values():
        total.gold += counts.gold
        total.predicted += counts.predicted
        total.true_positive += counts.true_positive
        total.polar_detected += counts.polar_detected
        total.polar_correct += counts.polar_correct
    return report


def read_review_texts(aclimdb_path: Path, wanted: set[str]) -> dict[str, str]:
    """The texts of the aclImdb train reviews whose ``external_id`` is in ``wanted``."""
    from reelsense.sources.aclimdb import read_aclimdb

    texts: dict[str, str] = {}
    for record in read_aclimdb(aclimdb_path, splits=("train",)):
        if isinstance(record, Review) and record.external_id in wanted:
            texts[str(record.external_id)] = record.text
            if len(texts) == len(wanted):
                break
    return texts


def evaluate_aspects(
    gold_path: str | Path, aclimdb_path: str | Path, model: AspectModel
) -> AspectReport:
    """Score ``model`` against a gold file whose sentences come from aclImdb train.

    Parameters
    ----------
    gold_path:
        ``aspect_gold.jsonl`` (references only, see :func:`read_gold`).
    aclimdb_path:
        The ``aclImdb`` folder or ``aclImdb_v1.tar.gz``; only ``train`` is read.
    model:
        The aspect model to measure.

    Returns
    -------
    AspectReport
        Per-aspect precision / recall / F1, micro-F1, polarity accuracy, and
        the number of rows skipped because the sentence no longer matches its
        ``sha1`` (or the review is missing).

    Raises
    ------
    ConfigError
        When the gold file cannot be read.

    Example
    -------
    >>> report = evaluate_aspects(gold, "../shared/data/aclImdb_v1.tar.gz", model)  # doctest: +SKIP
    >>> round(report.micro_f1, 2)  # doctest: +SKIP
    0.81
    """
    gold_rows = read_gold(gold_path)
    texts = read_review_texts(Path(aclimdb_path), {row.review for row in gold_rows})
    by_review: dict[str, list[GoldRow]] = {}
    for row in gold_rows:
        by_review.setdefault(row.review, []).append(row)
    ids = sorted(by_review)
    found = [i for i in ids if i in texts]
    analyses = dict(zip(found, model.analyze_reviews([texts[i] for i in found]), strict=True))
    pairs: list[tuple[dict[str, str], dict[str, tuple[str, float]]]] = []
    skipped = 0
    for review in ids:
        if review not in texts:
            skipped += len(by_review[review])
            continue
        sentences = split_sentences(texts[review])
        predicted: dict[int, dict[str, tuple[str, float]]] = {}
        for index, _, aspect, polarity, p in analyses[review]:
            predicted.setdefault(index, {})[aspect] = (polarity, p)
        for row in by_review[review]:
            if row.sentence >= len(sentences) or sentence_sha1(sentences[row.sentence]) != row.sha1:
                skipped += 1
                continue
            pairs.append((row.aspects, predicted.get(row.sentence, {})))
    report = score_rows(pairs)
    report.skipped = skipped
    report.model_version = model.version
    return report
