"""Polarity + 1–10 rating model: NB-weighted logistic regression over word n-grams.

Inference is NumPy/SciPy only: one binary n-gram matrix (see
:mod:`reelsense.analysis.features`) times a (n_features x 4) weight matrix gives,
for every text, a polarity log-odds (NB-LR on the L2-normalised NB-scaled
vector, so one column holds the squared NB ratios for the norm) and two ridge
rating estimates (one fitted
on positive reviews, one on negative ones); a Platt map calibrates the log-odds,
and a small multinomial head (fitted on cross-fitted held-out scores) turns
these numbers into a distribution over the ratings 1..10. The predicted rating is that
distribution's median (the value that minimises expected absolute error) and
its ``rating_confidence`` is the probability mass within ±1 of it.

Fitting needs scikit-learn (the optional ``train`` extra), imported lazily.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reelsense.analysis.features import FeatureConfig, Featurizer, build_featurizer
from reelsense.errors import ConfigError, NotFittedError

logger = logging.getLogger(__name__)

__all__ = ["Prediction", "PredictionBatch", "SentimentModel"]

FloatArray = npt.NDArray[np.float64]
N_RATINGS = 10
POSITIVE_FROM = 7.0  # ratings >= 7 are positive (aclImdb convention)
NEGATIVE_UPTO = 4.0  # ratings <= 4 are negative; 5 and 6 train only the rating
CHUNK_SIZE = 250  # texts featurised at once: their temporaries stay in cache (2000: 10% slower)
N_SCORES = 3  # polarity log-odds, rating if positive, rating if negative
N_COLUMNS = 4  # weight columns: polarity numerator, squared NB ratio, two ridges


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's reading of one text.

    ``rating_confidence`` is the model's probability that the true rating is
    within ±1 of ``rating``.
    """

    polarity: Literal["positive", "negative"]
    p_positive: float
    rating: int
    rating_confidence: float


@dataclass(frozen=True)
class PredictionBatch:
    """Predictions for many texts as arrays (row i is text i).

    ``rating_probabilities`` has shape (n, 10): column k is P(rating = k + 1).
    """

    p_positive: FloatArray
    rating: npt.NDArray[np.int64]
    rating_confidence: FloatArray
    rating_probabilities: FloatArray

    def to_list(self) -> list[Prediction]:
        """Return one :class:`Prediction` per text, in input order."""
        return [
            Prediction(
                polarity="positive" if p >= 0.5 else "negative",
                p_positive=float(p),
                rating=int(r),
                rating_confidence=float(c),
            )
            for p, r, c in zip(
                self.p_positive.tolist(),
                self.rating.tolist(),
                self.rating_confidence.tolist(),
                strict=True,
            )
        ]


class SentimentModel:
    """Polarity and 1–10 rating from review text (scikit-learn style estimator).

    Parameters
    ----------
    feature_config:
        Featuriser settings (word 1..3-grams, ``min_df`` 2 by default).
    C:
        Inverse L2 strength of the logistic regression on NB-weighted,
        L2-normalised binary features.
    nb_alpha:
        Smoothing of the naive Bayes log-count ratios.
    ridge_alpha:
        L2 strength of the ridge rating regressions on the same features.
    calibration_folds:
        Folds of the cross-fitting that yields held-out scores for the Platt
        calibration and the rating head.
    random_state:
        Seed of the fold split (fitting is otherwise deterministic).

    Example
    -------
    >>> model = SentimentModel().fit(texts, ratings)  # doctest: +SKIP
    >>> model.predict(["A wonderful, moving film."])[0].polarity  # doctest: +SKIP
    'positive'
    """

    featurizer_: Featurizer
    weights_: npt.NDArray[np.float32]
    intercepts_: FloatArray
    calibration_: tuple[float, float]
    rating_coef_: FloatArray
    rating_intercept_: FloatArray
    n_train_: int
    version_: str
    metadata_: dict[str, Any]

    def __init__(
        self,
        feature_config: FeatureConfig | None = None,
        C: float = 100.0,
        nb_alpha: float = 1.0,
        ridge_alpha: float = 30.0,
        calibration_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.feature_config = feature_config
        self.C = C
        self.nb_alpha = nb_alpha
        self.ridge_alpha = ridge_alpha
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    # ------------------------------------------------------------------ params
    def get_params(self) -> dict[str, Any]:
        """Return the constructor parameters (JSON-ready)."""
        config = self.feature_config or FeatureConfig()
        return {
            "feature_config": config.to_json(),
            "C": self.C,
            "nb_alpha": self.nb_alpha,
            "ridge_alpha": self.ridge_alpha,
            "calibration_folds": self.calibration_folds,
            "random_state": self.random_state,
        }

    def _validate_params(self) -> None:
        if not self.C > 0:
            raise ConfigError(f"C must be > 0, not {self.C}")
        if not self.nb_alpha > 0:
            raise ConfigError(f"nb_alpha must be > 0, not {self.nb_alpha}")
        if not self.ridge_alpha > 0:
            raise ConfigError(f"ridge_alpha must be > 0, not {self.ridge_alpha}")
        if self.calibration_folds < 2:
            raise ConfigError(f"calibration_folds must be >= 2, not {self.calibration_folds}")

    # --------------------------------------------------------------------- fit
    def fit(self, texts: Sequence[str], ratings: Sequence[float]) -> SentimentModel:
        """Learn features, weights, calibration and rating head from rated texts.

        Parameters
        ----------
        texts:
            Review texts (headline and body joined, when there is a headline).
        ratings:
            The given ratings on the 1–10 scale. Ratings >= 7 are positive,
            <= 4 negative; 5 and 6 train only the rating.

        Returns
        -------
        SentimentModel
            ``self``, fitted.

        Raises
        ------
        ConfigError
            On invalid parameters, mismatched lengths, ratings outside 1–10 or
            training data with only one polarity.
        """
        self._validate_params()
        y_rating = np.asarray(ratings, dtype=np.float64)
        if y_rating.shape != (len(texts),):
            raise ConfigError(f"{len(texts)} texts but {y_rating.size} ratings")
        if y_rating.size and (y_rating.min() < 1 or y_rating.max() > N_RATINGS):
            raise ConfigError("ratings must be on the 1-10 scale")
        polar = (y_rating >= POSITIVE_FROM) | (y_rating <= NEGATIVE_UPTO)
        y_pos = (y_rating >= POSITIVE_FROM).astype(np.int64)
        if np.unique(y_pos[polar]).size < 2:
            raise ConfigError("training data needs both positive and negative ratings")

        config = self.feature_config or FeatureConfig()
        featurizer = build_featurizer(texts, config)
        X = featurizer.transform(texts)

        folds = _fold_ids(len(texts), self.calibration_folds, self.random_state)
        held_out = np.zeros((len(texts), N_SCORES), dtype=np.float64)
        for k in range(self.calibration_folds):
            train, test = folds != k, folds == k
            w, b = self._fit_linear(X[train], y_rating[train], y_pos[train], polar[train])
            held_out[test] = _combine(np.asarray(X[test] @ w, dtype=np.float64), b)
            logger.info("fold %d/%d fitted", k + 1, self.calibration_folds)
        weights, intercepts = self._fit_linear(X, y_rating, y_pos, polar)

        self.calibration_ = _fit_platt(held_out[polar, 0], y_pos[polar])
        head_x = _head_inputs(held_out, self.calibration_)
        self.rating_coef_, self.rating_intercept_ = _fit_rating_head(
            head_x, np.rint(y_rating).astype(np.int64), self.random_state
        )
        self.featurizer_ = featurizer
        self.weights_ = weights.astype(np.float32)
        self.intercepts_ = intercepts
        self.n_train_ = len(texts)
        self.version_ = "unsaved"
        self.metadata_ = {}
        return self

    def _fit_linear(
        self,
        X: sp.csr_matrix,
        y_rating: FloatArray,
        y_pos: npt.NDArray[np.int64],
        polar: npt.NDArray[np.bool_],
    ) -> tuple[npt.NDArray[np.float64], FloatArray]:
        """Fit NB-LR and two ridges; NB ratios folded into the weights.

        The classifier sees the NB-scaled binary vector ``x * r`` divided by
        its L2 norm, so its log-odds is ``x.(r w) / sqrt(x.r^2) + b``: column 0
        holds ``r w``, column 1 ``r^2``. Column 2 is a ridge rating regression
        fitted on the positive reviews only (their intensity, 7..10), column 3
        one on the negative reviews (1..4); the rating head mixes them by the
        polarity.
        """
        from sklearn.linear_model import LogisticRegression, Ridge

        Xp = X[polar]
        yp = y_pos[polar]
        p = np.asarray(Xp[yp == 1].sum(axis=0)).ravel() + self.nb_alpha
        q = np.asarray(Xp[yp == 0].sum(axis=0)).ravel() + self.nb_alpha
        r = (np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)
        scale = sp.diags(r)
        Zp = Xp @ scale
        clf = LogisticRegression(
            C=self.C, solver="liblinear", max_iter=1000, random_state=self.random_state
        )
        clf.fit(_l2_rows(Zp), yp)
        Z = X @ scale
        columns = [r * clf.coef_.ravel(), r.astype(np.float64) ** 2]
        intercepts = [float(clf.intercept_[0]), 0.0]
        for side in (y_rating >= POSITIVE_FROM, y_rating < POSITIVE_FROM):
            reg = Ridge(alpha=self.ridge_alpha, solver="auto", random_state=self.random_state)
            reg.fit(Z[side], y_rating[side])
            columns.append(r * reg.coef_.ravel())
            intercepts.append(float(reg.intercept_))
        return np.stack(columns, axis=1), np.array(intercepts)

    # ----------------------------------------------------------------- predict
    def _check_fitted(self, call: str) -> None:
        if not hasattr(self, "weights_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit(texts, ratings) "
                f"or reelsense.analysis.persist.load(directory) before {call}()."
            )

    def decision_scores(self, texts: Sequence[str]) -> FloatArray:
        """Return (n, 3) raw scores: polarity log-odds, rating if positive, rating if negative.

        Raises
        ------
        NotFittedError
            Before :meth:`fit` or :func:`reelsense.analysis.persist.load`.
        """
        self._check_fitted("decision_scores")
        parts = []
        # chunks keep the working set in cache and memory flat for big batches
        for start in range(0, max(len(texts), 1), CHUNK_SIZE):
            X = self.featurizer_.transform(texts[start : start + CHUNK_SIZE])
            parts.append(np.asarray(X @ self.weights_, dtype=np.float64))
        return _combine(np.concatenate(parts), self.intercepts_)

    def predict_batch(self, texts: Sequence[str]) -> PredictionBatch:
        """Score many texts at once and return the results as arrays.

        Raises
        ------
        NotFittedError
            Before :meth:`fit` or :func:`reelsense.analysis.persist.load`.
        """
        self._check_fitted("predict_batch")
        scores = self.decision_scores(texts)
        a, b = self.calibration_
        p_positive = _sigmoid(a * scores[:, 0] + b)
        probs = _softmax(
            _head_inputs(scores, self.calibration_) @ self.rating_coef_.T + self.rating_intercept_
        )
        cumulative = np.cumsum(probs, axis=1)
        rating = (np.argmax(cumulative >= 0.5, axis=1) + 1).astype(np.int64)
        padded = np.pad(probs, ((0, 0), (1, 1)))
        rows = np.arange(len(rating))
        confidence = padded[rows, rating - 1] + padded[rows, rating] + padded[rows, rating + 1]
        return PredictionBatch(
            p_positive=p_positive,
            rating=rating,
            rating_confidence=np.clip(confidence, 0.0, 1.0),
            rating_probabilities=probs,
        )

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Return one :class:`Prediction` per text, in input order.

        Raises
        ------
        NotFittedError
            Before :meth:`fit` or :func:`reelsense.analysis.persist.load`.
        """
        self._check_fitted("predict")
        return self.predict_batch(texts).to_list()

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        """Return calibrated P(positive) for every text."""
        self._check_fitted("predict_proba")
        return self.predict_batch(texts).p_positive


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale every row to unit L2 norm (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled: sp.csr_matrix = sp.diags(1.0 / norms) @ matrix
    return scaled


def _combine(raw: FloatArray, intercepts: FloatArray) -> FloatArray:
    """Turn the (n, 4) products ``X @ weights`` into (n, 3) scores.

    Polarity log-odds = column 0 / sqrt(column 1) + bias; then the two ridges.
    """
    norm = np.sqrt(np.maximum(raw[:, 1], 1e-24))
    polarity = raw[:, 0] / norm + intercepts[0]
    return np.stack([polarity, raw[:, 2] + intercepts[2], raw[:, 3] + intercepts[3]], axis=1)


def _fold_ids(n: int, folds: int, random_state: int) -> npt.NDArray[np.int64]:
    rng = np.random.RandomState(random_state)
    ids = np.arange(n, dtype=np.int64) % folds
    rng.shuffle(ids)
    return ids


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def _softmax(z: FloatArray) -> FloatArray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def _head_inputs(scores: FloatArray, calibration: tuple[float, float]) -> FloatArray:
    """Inputs of the rating head, all bounded (no wild extrapolation on odd texts).

    Calibrated P(positive), the two ridge estimates clipped to 1..10, and each
    weighted by the probability of its side.
    """
    a, b = calibration
    p = _sigmoid(a * scores[:, 0] + b)
    pos = np.clip(scores[:, 1], 1.0, N_RATINGS)
    neg = np.clip(scores[:, 2], 1.0, N_RATINGS)
    return np.stack([p, pos, neg, p * pos, (1.0 - p) * neg], axis=1)


def _fit_platt(scores: FloatArray, y: npt.NDArray[np.int64]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    lr.fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _fit_rating_head(
    x: FloatArray, ratings: npt.NDArray[np.int64], random_state: int
) -> tuple[FloatArray, FloatArray]:
    """Multinomial LR over the ratings seen; unseen ratings get probability ~0."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000, random_state=random_state)
    lr.fit((x - mean) / scale, ratings)
    coef = np.zeros((N_RATINGS, x.shape[1]), dtype=np.float64)
    intercept = np.full(N_RATINGS, -50.0, dtype=np.float64)
    for row, cls in enumerate(lr.classes_.tolist()):
        # fold the standardisation into the weights: w.(x - m)/s = (w/s).x - (w/s).m
        w = lr.coef_[row] / scale
        coef[int(cls) - 1] = w
        intercept[int(cls) - 1] = lr.intercept_[row] - float(w @ mean)
    return coef, intercept
