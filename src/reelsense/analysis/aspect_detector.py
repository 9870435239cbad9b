"""Learned aspect detection: which aspects a sentence is about, learned from labelled sentences.

The curated term matcher (:mod:`reelsense.analysis.aspects`) only sees the
words on its lists. :class:`AspectDetector` adds what a model learns from
labelled sentences (``analysis/data/aspect_train.jsonl``): one
logistic regression per aspect over

- the sentence's word uni- and bigrams (binary);
- the matcher's aspects for this sentence and for the one before it (so
  "It wasn't." after a sentence about the plot can still be ``story``);
- the mean of the sentence's word vectors (:class:`WordVectors`), which
  carries what the labelled sentences taught about ``photography`` over to
  ``camerawork``.

Word vectors are learned by the project from aclImdb train itself (PPMI of
words co-occurring in a sentence, reduced by a truncated SVD); nothing is
downloaded. Everything is saved as plain arrays; inference needs NumPy and
SciPy only, fitting needs scikit-learn.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reelsense.analysis.aspects import ASPECTS
from reelsense.analysis.features import (
    MAX_VOCABULARY,
    FeatureConfig,
    Featurizer,
    build_featurizer,
)
from reelsense.errors import ConfigError

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_C",
    "DEFAULT_THRESHOLD",
    "DEFAULT_VETO",
    "DETECTOR_FEATURES",
    "VECTOR_FEATURES",
    "AspectDetector",
    "WordVectors",
    "fit_detector",
    "train_word_vectors",
]

FloatArray = npt.NDArray[np.float32]

DETECTOR_FEATURES = FeatureConfig(ngram_max=2, min_df=2)
# The regressions' C and the (threshold, veto) of the shipped detector, chosen on the
# dev file (aspect_gold.jsonl) by micro-F1, trained on the 18,948 labelled sentences:
#   C = 0.3: (0.35, 0.1) 0.760  (0.40, 0.1) 0.765  (0.45, 0.1) 0.762  (0.40, 0.2) 0.762
#   C = 0.6: (0.35, 0.1) 0.755  (0.40, 0.1) 0.755  (0.45, 0.1) 0.759  (0.40, 0.2) 0.754
#   C = 1.0: (0.35, 0.1) 0.754  (0.40, 0.1) 0.753  (0.45, 0.1) 0.756  (0.40, 0.2) 0.751
# (the term matcher alone: 0.752). Never tuned on the test file.
DEFAULT_C = 0.3
DEFAULT_THRESHOLD = 0.4
DEFAULT_VETO = 0.1
VECTOR_FEATURES = FeatureConfig(ngram_max=1, min_df=1)
_VECTOR_MIN_DF = 5
_ASPECT_INDEX = {aspect: i for i, aspect in enumerate(ASPECTS)}


class WordVectors:
    """A vector per word, and sentence vectors averaged from them.

    Parameters
    ----------
    featurizer:
        A unigram featuriser whose vocabulary is the words that have vectors.
    matrix:
        One row per vocabulary word, in vocabulary order.
    """

    def __init__(self, featurizer: Featurizer, matrix: npt.NDArray[Any]) -> None:
        if matrix.ndim != 2 or matrix.shape[0] != len(featurizer.vocabulary):
            raise ConfigError(
                f"word vectors: {matrix.shape} rows for {len(featurizer.vocabulary)} words"
            )
        self.featurizer = featurizer
        # row 0 stands for unknown words; they are dropped before pooling
        self.matrix = np.vstack([np.zeros((1, matrix.shape[1])), matrix]).astype(np.float32)

    @property
    def dim(self) -> int:
        """Length of one word vector."""
        return int(self.matrix.shape[1])

    def pooled(self, texts: Sequence[str]) -> FloatArray:
        """The mean of each text's known word vectors: shape ``(len(texts), dim)``.

        A text with no known word gets zeros. (Adding the element-wise maximum
        moved the dev micro-F1 by 0.002 and cost a fifth of the analysis time.)
        """
        n = len(texts)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        ids, lengths = self.featurizer.token_ids(texts)
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
        known = ids > 0
        ids, doc = ids[known], doc[known]
        counts = np.bincount(doc, minlength=n)
        ones = np.ones(ids.size, dtype=np.float32)
        bag = sp.csr_matrix((ones, (doc, ids)), shape=(n, self.matrix.shape[0]))
        out: FloatArray = np.asarray(bag @ self.matrix, dtype=np.float32)
        out /= np.maximum(counts, 1)[:, None]
        return out

    def to_arrays(self, prefix: str) -> dict[str, npt.NDArray[Any]]:
        """The vocabulary and the vectors (float16) as plain arrays, names starting ``prefix``."""
        arrays = {prefix + k: v for k, v in self.featurizer.to_arrays().items()}
        arrays[prefix + "matrix"] = self.matrix[1:].astype(np.float16)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], prefix: str) -> WordVectors:
        """Rebuild from :meth:`to_arrays` output."""
        featurizer = Featurizer.from_arrays(
            VECTOR_FEATURES,
            {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)},
        )
        return cls(featurizer, np.asarray(arrays[prefix + "matrix"], dtype=np.float32))


def train_word_vectors(
    texts: Sequence[str], *, dim: int = 64, max_words: int = 30_000, random_state: int = 0
) -> WordVectors:
    """Learn word vectors from ``texts`` (sentences): PPMI of co-occurrence, truncated SVD.

    Two words co-occur when they are in one text. The ``max_words`` words in
    most texts (and in at least 5) get a vector; context counts are smoothed
    with the usual 0.75 power, and each vector is scaled to unit length.
    """
    from sklearn.utils.extmath import randomized_svd

    full = build_featurizer(texts, dataclasses.replace(VECTOR_FEATURES, min_df=_VECTOR_MIN_DF))
    X = full.transform(texts)
    df = np.asarray(X.sum(axis=0)).ravel()
    token = full.keys & MAX_VOCABULARY  # each column's token id; 0 is "unknown word"
    known = np.flatnonzero(token > 0)
    # the most frequent words' columns, kept in column (= vocabulary) order
    columns = np.sort(known[np.argsort(-df[known], kind="stable")[:max_words]])
    vocabulary = [full.vocabulary[i - 1] for i in token[columns].tolist()]
    X = X[:, columns].astype(np.float64)
    counts = (X.T @ X).tocoo()
    off = counts.row != counts.col
    rows, cols, data = counts.row[off], counts.col[off], counts.data[off]
    total = data.sum()
    word = np.bincount(rows, weights=data, minlength=X.shape[1])
    context = np.bincount(cols, weights=data, minlength=X.shape[1]) ** 0.75
    context /= context.sum()
    pmi = np.log(data / total) - np.log(word[rows] / total) - np.log(context[cols])
    positive = pmi > 0
    ppmi = sp.csr_matrix(
        (pmi[positive], (rows[positive], cols[positive])), shape=(X.shape[1], X.shape[1])
    )
    # a tiny corpus has fewer words than dimensions asked for
    dim = max(1, min(dim, len(vocabulary) - 1))
    u, s, _ = randomized_svd(ppmi, n_components=dim, random_state=random_state)
    vectors = u * np.sqrt(s)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    logger.info("word vectors: %d words x %d dimensions", len(vocabulary), dim)
    return WordVectors(build_featurizer(vocabulary, VECTOR_FEATURES), vectors)


def _aspect_columns(sets: Sequence[Collection[str]], weight: float) -> sp.csr_matrix:
    rows = [r for r, aspects in enumerate(sets) for a in aspects if a in _ASPECT_INDEX]
    cols = [_ASPECT_INDEX[a] for aspects in sets for a in aspects if a in _ASPECT_INDEX]
    data = np.full(len(rows), weight, dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(sets), len(ASPECTS)))


class AspectDetector:
    """Per-aspect logistic regressions over n-grams, matcher output and word vectors.

    Parameters
    ----------
    featurizer:
        The sentence n-gram featuriser.
    vectors:
        Word vectors for the pooled sentence vector.
    weights:
        ``(n_columns, len(ASPECTS))``: n-gram columns, then 13 matcher
        columns for the sentence and 13 for the sentence before, then the
        mean word vector.
    intercepts:
        One per aspect.
    threshold:
        An aspect is detected when its probability reaches this.
    veto:
        An aspect the term matcher found stays unless its probability is
        below this (the matcher is usually right; the detector overrules it
        only when sure).
    matcher_weight:
        The value of a matcher column of this sentence when the matcher found
        the aspect (1 for the sentence before).
    """

    def __init__(
        self,
        featurizer: Featurizer,
        vectors: WordVectors,
        weights: npt.NDArray[Any],
        intercepts: npt.NDArray[Any],
        *,
        threshold: float,
        veto: float = 0.0,
        matcher_weight: float = 3.0,
    ) -> None:
        expected = (featurizer.n_features + 2 * len(ASPECTS) + vectors.dim, len(ASPECTS))
        if weights.shape != expected or intercepts.shape != (len(ASPECTS),):
            raise ConfigError(f"detector weights {weights.shape}; expected {expected}")
        if not 0.0 < threshold < 1.0 or not 0.0 <= veto <= threshold:
            raise ConfigError(
                f"need 0 <= veto <= threshold < 1 and threshold > 0, not {veto}, {threshold}"
            )
        self.featurizer = featurizer
        self.vectors = vectors
        self.weights = np.asarray(weights, dtype=np.float32)
        self.intercepts = np.asarray(intercepts, dtype=np.float32)
        self.threshold = float(threshold)
        self.veto = float(veto)
        self.matcher_weight = float(matcher_weight)

    def features(
        self,
        sentences: Sequence[str],
        matched: Sequence[Collection[str]],
        previous: Sequence[Collection[str]],
    ) -> sp.csr_matrix:
        """The detector's feature matrix (one row per sentence)."""
        return _features(
            self.featurizer, self.vectors, sentences, matched, previous, self.matcher_weight
        )

    def probabilities(
        self,
        sentences: Sequence[str],
        matched: Sequence[Collection[str]],
        previous: Sequence[Collection[str]],
    ) -> FloatArray:
        """P(the sentence is about each aspect): shape ``(len(sentences), len(ASPECTS))``.

        ``matched`` holds the matcher's aspects of each sentence and
        ``previous`` those of the sentence before it in its review.
        """
        if not sentences:
            return np.zeros((0, len(ASPECTS)), dtype=np.float32)
        z = self.features(sentences, matched, previous) @ self.weights + self.intercepts
        out: FloatArray = (0.5 * (1.0 + np.tanh(0.5 * np.asarray(z)))).astype(np.float32)
        return out

    def detect(
        self,
        sentences: Sequence[str],
        matched: Sequence[Collection[str]],
        previous: Sequence[Collection[str]],
    ) -> list[set[str]]:
        """The aspects each sentence is about: the matcher's unless vetoed, plus confident ones.

        Arguments as for :meth:`probabilities`.
        """
        p = self.probabilities(sentences, matched, previous)
        out: list[set[str]] = []
        for row, found in zip(p, matched, strict=True):
            kept = {a for a in found if a in _ASPECT_INDEX and row[_ASPECT_INDEX[a]] >= self.veto}
            out.append(kept | {ASPECTS[j] for j in np.flatnonzero(row >= self.threshold)})
        return out

    def describe(self) -> dict[str, Any]:
        """The detector's settings and sizes, for a model's ``aspects.json``."""
        return {
            "threshold": self.threshold,
            "veto": self.veto,
            "matcher_weight": self.matcher_weight,
            "ngram_features": self.featurizer.n_features,
            "ngram_config": self.featurizer.config.to_json(),
            "vector_words": len(self.vectors.featurizer.vocabulary),
            "vector_dim": self.vectors.dim,
        }

    def to_arrays(self, prefix: str = "detector_") -> dict[str, npt.NDArray[Any]]:
        """All learned state as plain arrays whose names start with ``prefix``."""
        arrays = {prefix + "ngrams_" + k: v for k, v in self.featurizer.to_arrays().items()}
        arrays.update(self.vectors.to_arrays(prefix + "vectors_"))
        arrays[prefix + "weights"] = self.weights
        arrays[prefix + "intercepts"] = self.intercepts
        arrays[prefix + "settings"] = np.asarray(
            [self.threshold, self.veto, self.matcher_weight], dtype=np.float64
        )
        return arrays

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, npt.NDArray[Any]], prefix: str = "detector_"
    ) -> AspectDetector:
        """Rebuild from :meth:`to_arrays` output."""
        ngrams = prefix + "ngrams_"
        featurizer = Featurizer.from_arrays(
            DETECTOR_FEATURES,
            {k[len(ngrams) :]: v for k, v in arrays.items() if k.startswith(ngrams)},
        )
        threshold, veto, matcher_weight = (float(v) for v in arrays[prefix + "settings"])
        return cls(
            featurizer,
            WordVectors.from_arrays(arrays, prefix + "vectors_"),
            np.asarray(arrays[prefix + "weights"]),
            np.asarray(arrays[prefix + "intercepts"]),
            threshold=threshold,
            veto=veto,
            matcher_weight=matcher_weight,
        )


def _features(
    featurizer: Featurizer,
    vectors: WordVectors,
    sentences: Sequence[str],
    matched: Sequence[Collection[str]],
    previous: Sequence[Collection[str]],
    matcher_weight: float,
) -> sp.csr_matrix:
    return sp.hstack(
        [
            featurizer.transform(sentences),
            _aspect_columns(matched, matcher_weight),
            _aspect_columns(previous, 1.0),
            sp.csr_matrix(vectors.pooled(sentences)),
        ],
        format="csr",
    )


def fit_detector(
    sentences: Sequence[str],
    matched: Sequence[Collection[str]],
    previous: Sequence[Collection[str]],
    labels: Sequence[Collection[str]],
    vectors: WordVectors,
    *,
    C: float = DEFAULT_C,
    threshold: float = DEFAULT_THRESHOLD,
    veto: float = DEFAULT_VETO,
    matcher_weight: float = 3.0,
) -> AspectDetector:
    """Fit one logistic regression per aspect on labelled sentences.

    ``labels`` holds each sentence's gold aspects; the other sequences are as
    for :meth:`AspectDetector.probabilities`.

    Raises
    ------
    ConfigError
        When the lengths differ or an aspect never occurs in the labels.
    """
    from sklearn.linear_model import LogisticRegression

    if not len(sentences) == len(matched) == len(previous) == len(labels):
        raise ConfigError("need matcher output, previous-sentence output and labels per sentence")
    featurizer = build_featurizer(sentences, DETECTOR_FEATURES)
    X = _features(featurizer, vectors, sentences, matched, previous, matcher_weight)
    weights = np.zeros((X.shape[1], len(ASPECTS)), dtype=np.float32)
    intercepts = np.zeros(len(ASPECTS), dtype=np.float32)
    for j, aspect in enumerate(ASPECTS):
        y = np.fromiter((aspect in gold for gold in labels), dtype=np.int64, count=len(labels))
        if y.min() == y.max():
            raise ConfigError(f"the labels need sentences with and without {aspect!r}")
        model = LogisticRegression(C=C, solver="liblinear", max_iter=2000).fit(X, y)
        weights[:, j] = model.coef_.ravel()
        intercepts[j] = model.intercept_[0]
    return AspectDetector(
        featurizer,
        vectors,
        weights,
        intercepts,
        threshold=threshold,
        veto=veto,
        matcher_weight=matcher_weight,
    )
