"""Train the sentence polarity model of :class:`AspectModel` from aclImdb train.

Weak supervision: every sentence of a rated train review (1-4 negative,
7-10 positive) gets its review's label. Reviews named in the aspect dev and
test files are left out, so the evaluation never sees its own reviews' labels. A seeded
10% of the reviews is held out to fit the Platt calibration and measure the
(weak) sentence accuracy. The test split is never read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reelsense.analysis.aspect_detector import (
    DEFAULT_THRESHOLD,
    DEFAULT_VETO,
    AspectDetector,
    fit_detector,
    train_word_vectors,
)
from reelsense.analysis.aspect_eval import GoldRow, read_gold, sentence_sha1
from reelsense.analysis.aspect_model import (
    DEFAULT_ASPECTS_DIR,
    AspectModel,
    mark_negation,
    matcher_inputs,
)
from reelsense.analysis.aspects import split_clauses
from reelsense.analysis.features import FeatureConfig, build_featurizer
from reelsense.errors import ConfigError
from reelsense.records import Review
from reelsense.text.sentences import split_sentences

logger = logging.getLogger(__name__)

__all__ = [
    "ASPECTS_VERSION",
    "DEFAULT_GOLD_PATH",
    "DEFAULT_TEST_PATH",
    "DEFAULT_TRAIN_PATH",
    "AspectCorpus",
    "DetectorRows",
    "detector_rows",
    "fit_aspect_model",
    "gold_review_ids",
    "read_aspect_corpus",
    "train_aspect_model",
    "training_clauses",
]

ASPECTS_VERSION = "asp-nblr-3"
ASPECT_FEATURES = FeatureConfig(ngram_max=3, min_df=2, skip_bigrams=True)
DEFAULT_GOLD_PATH = Path(__file__).resolve().parent / "data" / "aspect_gold.jsonl"
DEFAULT_TEST_PATH = Path(__file__).resolve().parent / "data" / "aspect_test.jsonl"
DEFAULT_TRAIN_PATH = Path(__file__).resolve().parent / "data" / "aspect_train.jsonl"
# (weight, scale, cap) of the whole-review prior; chosen on the dev file (aspect_gold.jsonl)
# by polarity accuracy, never on the held-out test file.
DEFAULT_REVIEW_PRIOR = (1.0, 10.0, 3.0)
# Chosen on the dev file (aspect_gold.jsonl): any band around 0.5 lowered both the
# polarity accuracy and the three-way accuracy (gold neutral mentions included),
# because the clause model cannot tell "neutral" from a weak judgement. So a
# mention is called neutral only when P(positive) is exactly 0.5.
DEFAULT_NEUTRAL_BAND = (0.5, 0.5)
# Every rated train review (5 and 6 do not occur in aclImdb). On the dev file this
# beat the extreme ratings alone (1-2, 9-10): 0.845 vs 0.820 sign accuracy.
TRAIN_RATINGS = (1, 2, 3, 4, 7, 8, 9, 10)
EXTREME_RATINGS = (1, 2, 9, 10)


def gold_review_ids(gold_path: str | Path) -> set[str]:
    """The review ids named in an aspect gold file (empty when there is no file)."""
    path = Path(gold_path)
    if not path.exists():
        return set()
    ids: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.add(str(json.loads(line)["review"]))
    return ids


def _nb_lr(
    X: sp.csr_matrix, y: npt.NDArray[np.int64], C: float, nb_alpha: float
) -> tuple[npt.NDArray[np.float32], float]:
    """NB-weighted logistic regression; returns weights with the NB ratios folded in."""
    from sklearn.linear_model import LogisticRegression

    p = np.asarray(X[y == 1].sum(axis=0)).ravel() + nb_alpha
    q = np.asarray(X[y == 0].sum(axis=0)).ravel() + nb_alpha
    r = (np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
    clf.fit(X @ sp.diags(r), y)
    return (r * clf.coef_.ravel()).astype(np.float32), float(clf.intercept_[0])


def _platt(scores: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    lr.fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def fit_aspect_model(
    sentences: Sequence[str],
    labels: Sequence[int],
    groups: Sequence[int] | None = None,
    *,
    feature_config: FeatureConfig = ASPECT_FEATURES,
    C: float = 0.5,
    nb_alpha: float = 1.0,
    negation: bool = True,
    neutral_band: tuple[float, float] = DEFAULT_NEUTRAL_BAND,
    review_prior: tuple[float, float, float] = DEFAULT_REVIEW_PRIOR,
    holdout: float = 0.1,
    version: str = ASPECTS_VERSION,
    random_state: int = 0,
) -> tuple[AspectModel, dict[str, Any]]:
    """Fit the clause polarity model on labelled sentences (1 = positive, 0 = negative).

    ``groups`` (e.g. the review each sentence comes from) keeps a group's
    sentences on one side of the seeded holdout, which calibrates the
    probabilities and gives the returned metrics.

    Raises
    ------
    ConfigError
        When there are no sentences, a single class, or lengths differ.

    Example
    -------
    >>> model, metrics = fit_aspect_model(["so good", "so bad"] * 20, [1, 0] * 20)  # doctest: +SKIP
    """
    if len(sentences) != len(labels) or not sentences:
        raise ConfigError("need as many labels as sentences, and at least one sentence")
    y = np.asarray(labels, dtype=np.int64)
    if np.unique(y).size != 2:
        raise ConfigError("labels must hold both classes 0 and 1")
    group = np.asarray(groups if groups is not None else range(len(y)), dtype=np.int64)
    unique = np.unique(group)
    rng = np.random.RandomState(random_state)
    held_groups = rng.permutation(unique)[: max(1, round(unique.size * holdout))]
    held = np.isin(group, held_groups)
    if held.all() or np.unique(y[~held]).size < 2 or np.unique(y[held]).size < 2:
        held = np.arange(len(y)) % 5 == 0  # tiny data: a fixed fifth
    texts = [mark_negation(s) for s in sentences] if negation else list(sentences)
    fit_texts = [t for t, h in zip(texts, held.tolist(), strict=True) if not h]
    featurizer = build_featurizer(fit_texts, feature_config)
    X = featurizer.transform(texts)
    weights, intercept = _nb_lr(X[~held], y[~held], C, nb_alpha)
    scores = np.asarray(X[held] @ weights, dtype=np.float64) + intercept
    calibration = _platt(scores, y[held])
    model = AspectModel(
        featurizer,
        weights,
        intercept,
        calibration,
        neutral_band,
        version,
        negation=negation,
        review_prior=review_prior,
    )
    p = model.p_positive([t for t, h in zip(sentences, held.tolist(), strict=True) if h])
    metrics = {
        "weak_holdout_sentences": int(held.sum()),
        "weak_holdout_accuracy": round(float(np.mean((p >= 0.5) == (y[held] == 1))), 4),
        "weak_holdout_neutral_fraction": round(
            float(np.mean((p >= neutral_band[0]) & (p <= neutral_band[1]))), 4
        ),
    }
    return model, metrics


_CONCESSIVE_RE = re.compile(r"\s*(?:although|though|even though|despite|while|whereas)\b", re.I)
_CONTRAST_NEXT_RE = re.compile(r"\s*(?:but|yet|however)\b", re.I)


def training_clauses(sentence: str) -> list[str]:
    """The parts of a sentence that carry its review's label, for weak supervision.

    A sentence without contrast is kept whole. Otherwise it is cut with
    :func:`reelsense.analysis.aspects.split_clauses` and the concessive
    clauses are dropped (one opened by ``although``/``though``/``while``...,
    or followed by ``but``/``yet``/``however``), because they usually say
    the opposite of the review ("Although the cast tries hard, ...").

    Example
    -------
    >>> training_clauses("Nice sets, but the plot is dull.")
    ['but the plot is dull.']
    """
    spans = split_clauses(sentence)
    if len(spans) == 1:
        return [sentence]
    kept: list[str] = []
    for k, (a, b) in enumerate(spans):
        clause = sentence[a:b]
        if _CONCESSIVE_RE.match(clause):
            continue
        if k + 1 < len(spans) and _CONTRAST_NEXT_RE.match(sentence, spans[k + 1][0]):
            continue
        kept.append(clause.strip())
    return kept


@dataclass(frozen=True)
class AspectCorpus:
    """What aspect training reads of aclImdb, in one pass (see :func:`read_aspect_corpus`)."""

    clauses: list[str]
    """Training clauses of the rated train reviews, in archive order."""
    labels: list[int]
    """Each clause's review label: 1 (rated 7-10) or 0 (rated 1-4)."""
    groups: list[int]
    """Each clause's review, as an index into ``review_ids``."""
    review_ids: list[str]
    """The rated train reviews that gave clauses."""
    vector_sentences: list[str]
    """Every sentence of the train and unsup reviews, to learn word vectors from."""
    texts: dict[str, str]
    """The text of each review asked for by id."""


def read_aspect_corpus(
    aclimdb_path: str | Path,
    *,
    exclude: Collection[str] = (),
    wanted: Collection[str] = (),
    ratings: Collection[int] = TRAIN_RATINGS,
    vectors: bool = True,
) -> AspectCorpus:
    """Read everything aspect training needs from aclImdb in one pass.

    - Every train review with a rating in ``ratings`` and not in ``exclude``
      gives the :func:`training_clauses` of its sentences, labelled with its
      review's label (weak supervision).
    - With ``vectors``, every sentence of every train and unsup review not in
      ``exclude`` is kept to learn word vectors from (otherwise unsup is not read).
    - The text of each review in ``wanted`` is kept, excluded or not.

    The test split is never read.

    Raises
    ------
    ConfigError
        When no train review has a rating in ``ratings``.
    """
    from reelsense.sources.aclimdb import read_aclimdb

    corpus = AspectCorpus([], [], [], [], [], {})
    splits = ("train", "unsup") if vectors else ("train",)
    for record in read_aclimdb(Path(aclimdb_path), splits=splits):
        if not isinstance(record, Review) or record.external_id is None:
            continue
        review_id = record.external_id
        if review_id in wanted:
            corpus.texts[review_id] = record.text
        if review_id in exclude:
            continue
        rated = record.rating is not None and int(record.rating) in ratings
        if not rated and not vectors:
            continue
        sentences = split_sentences(record.text)
        if vectors:
            corpus.vector_sentences.extend(sentences)
        if rated:
            assert record.rating is not None
            label = 1 if record.rating >= 7 else 0
            group = len(corpus.review_ids)
            for sentence in sentences:
                for clause in training_clauses(sentence):
                    corpus.clauses.append(clause)
                    corpus.labels.append(label)
                    corpus.groups.append(group)
            corpus.review_ids.append(review_id)
    if not corpus.clauses:
        raise ConfigError(f"{aclimdb_path}: no train reviews with ratings {sorted(ratings)}")
    return corpus


@dataclass(frozen=True)
class DetectorRows:
    """Labelled sentences as the detector sees them: one entry per usable labelled row."""

    reviews: list[str]
    """The review each sentence is from (for grouping folds by review)."""
    indices: list[int]
    """The sentence's index in its review."""
    sentences: list[str]
    found: list[set[str]]
    """The term matcher's aspects of each sentence."""
    before: list[set[str]]
    """The term matcher's aspects of the sentence before it."""
    labels: list[set[str]]
    """The aspects the labeller gave."""


def detector_rows(
    model: AspectModel, rows: Sequence[GoldRow], texts: Mapping[str, str]
) -> DetectorRows:
    """Pair labelled rows with their sentences and the matcher's output for them.

    The matcher features come from ``model`` (its term matcher), exactly as
    :meth:`AspectModel.analyze_reviews` computes them. A row whose review is
    not in ``texts``, or whose sentence no longer matches its ``sha1``, is left out.
    """
    by_review: dict[str, list[GoldRow]] = {}
    for row in rows:
        by_review.setdefault(row.review, []).append(row)
    ids = sorted(i for i in by_review if i in texts)
    matched = model.matched_sentences([texts[i] for i in ids])
    sentences, found, before = matcher_inputs(matched)
    out = DetectorRows([], [], [], [], [], [])
    offset = 0
    for review, review_sentences in zip(ids, matched, strict=True):
        for row in by_review[review]:
            k = offset + row.sentence
            if row.sentence < len(review_sentences) and sentence_sha1(sentences[k]) == row.sha1:
                out.reviews.append(review)
                out.indices.append(row.sentence)
                out.sentences.append(sentences[k])
                out.found.append(found[k])
                out.before.append(before[k])
                out.labels.append(set(row.aspects))
        offset += len(review_sentences)
    return out


def train_detector(
    model: AspectModel,
    train_path: str | Path,
    corpus: AspectCorpus,
    *,
    settings: tuple[float, float] = (DEFAULT_THRESHOLD, DEFAULT_VETO),
    random_state: int = 0,
) -> tuple[AspectDetector, dict[str, Any]]:
    """Learn word vectors and fit the aspect detector on the labelled training file.

    ``corpus`` must hold the texts of the labelled reviews and the sentences to
    learn word vectors from (:func:`read_aspect_corpus`). Rows are paired with
    their sentences by :func:`detector_rows`; a labelled row whose sentence no
    longer matches its ``sha1`` is skipped and counted.

    Raises
    ------
    ConfigError
        When the training file cannot be read or holds no usable row.
    """
    rows = read_gold(train_path)
    data = detector_rows(model, rows, corpus.texts)
    if not data.labels:
        raise ConfigError(f"{train_path}: no labelled sentence matches aclImdb train")
    vectors = train_word_vectors(corpus.vector_sentences, random_state=random_state)
    threshold, veto = settings
    detector = fit_detector(
        data.sentences,
        data.found,
        data.before,
        data.labels,
        vectors,
        threshold=threshold,
        veto=veto,
    )
    info = {
        "labelled_file": Path(train_path).name,
        "labelled_sentences": len(data.labels),
        "labelled_reviews": len(set(data.reviews)),
        "skipped_rows": len(rows) - len(data.labels),
        "vector_sentences": len(corpus.vector_sentences),
        "threshold_and_veto_tuned_on": "aspect_gold.jsonl (dev), micro-F1",
    }
    return detector, info


def train_aspect_model(
    aclimdb_path: str | Path,
    output_dir: str | Path = DEFAULT_ASPECTS_DIR,
    *,
    gold_path: str | Path = DEFAULT_GOLD_PATH,
    test_path: str | Path = DEFAULT_TEST_PATH,
    train_path: str | Path | None = DEFAULT_TRAIN_PATH,
    version: str = ASPECTS_VERSION,
    random_state: int = 0,
) -> Path:
    """Train the aspect model on aclImdb train and save it to ``output_dir``.

    The sentence polarity model learns from the reviews' labels (weak
    supervision); the aspect detector from ``train_path``, sentences
    labelled with their aspects, plus word vectors learned from aclImdb train
    and unsup.

    Parameters
    ----------
    aclimdb_path:
        The ``aclImdb`` folder or ``aclImdb_v1.tar.gz`` (only ``train`` is read).
    output_dir:
        Where ``aspects.json`` + ``aspects.npz`` are written (other files stay).
    gold_path:
        The aspect dev file: its reviews are left out of training.
    test_path:
        The held-out aspect test file: its reviews are left out of training too.
    train_path:
        The labelled training file of the detector; ``None`` trains none (the
        term matcher alone then decides which aspects a sentence is about).
    version:
        The ``aspects_version`` string.
    random_state:
        Seed of the holdout split (fitting is otherwise deterministic).

    Returns
    -------
    Path
        ``output_dir``.

    Example
    -------
    >>> train_aspect_model("../shared/data/aclImdb_v1.tar.gz")  # doctest: +SKIP
    """
    started = time.perf_counter()
    excluded = gold_review_ids(gold_path) | gold_review_ids(test_path)
    corpus = read_aspect_corpus(
        aclimdb_path,
        exclude=excluded,
        wanted={row.review for row in read_gold(train_path)} if train_path is not None else (),
        vectors=train_path is not None,
    )
    ids = corpus.review_ids
    logger.info("%d sentences from %d reviews", len(corpus.clauses), len(ids))
    model, metrics = fit_aspect_model(
        corpus.clauses, corpus.labels, corpus.groups, version=version, random_state=random_state
    )
    detector_info: dict[str, Any] | None = None
    if train_path is not None:
        model.detector, detector_info = train_detector(
            model, train_path, corpus, random_state=random_state
        )
    digest = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()
    model.metadata = {
        "training_data": {
            "source": "aclImdb v1.0 (Maas et al., 2011), train split",
            "path_name": Path(aclimdb_path).name,
            "selection": "sentences (concessive clauses dropped) of reviews rated 1-4 "
            "(negative) or 7-10 (positive), reviews of the dev and test gold files excluded",
            "neutral_band_tuned_on": "aspect_gold.jsonl (dev)",
            "review_prior_tuned_on": "aspect_gold.jsonl (dev), polarity accuracy",
            "excluded_gold_reviews": len(excluded),
            "n_reviews": len(ids),
            "n_sentences": len(corpus.clauses),
            "review_ids_sha256": digest,
            "random_state": random_state,
            "train_seconds": round(time.perf_counter() - started, 1),
        },
        "detector_training": detector_info,
        "metrics": metrics,
    }
    return model.save(output_dir)
