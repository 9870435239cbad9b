"""The lexicon tools people use today (VADER, TextBlob), scored like our model.

Both are optional (``pip install reelsense[compare]``); :func:`available_lexicons`
returns the ones installed. Each maps its polarity score in [-1, 1] to a
pseudo-probability ``(score + 1) / 2`` so accuracy (score >= 0 is positive),
ROC AUC and calibration can be computed the same way for every system.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Lexicon:
    """A lexicon scorer: ``score(texts)`` gives P(positive)-like values in [0, 1]."""

    name: str
    score: Callable[[Sequence[str]], FloatArray]


def _to_probability(polarity: FloatArray) -> FloatArray:
    # Scores of exactly 0 count as positive, as both tools' users usually do.
    p: FloatArray = (polarity + 1.0) / 2.0
    return np.where(polarity >= 0, np.maximum(p, 0.5), np.minimum(p, 0.4999))


def _vader(texts: Sequence[str]) -> FloatArray:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    compound = np.array([analyzer.polarity_scores(t)["compound"] for t in texts], dtype=float)
    return _to_probability(compound)


def _textblob(texts: Sequence[str]) -> FloatArray:
    from textblob import TextBlob

    polarity = np.array([TextBlob(t).sentiment.polarity for t in texts], dtype=float)
    return _to_probability(polarity)


def available_lexicons() -> list[Lexicon]:
    """VADER and TextBlob, each only when its package is installed."""
    found: list[Lexicon] = []
    if importlib.util.find_spec("vaderSentiment") is not None:
        found.append(Lexicon("VADER", _vader))
    if importlib.util.find_spec("textblob") is not None:
        found.append(Lexicon("TextBlob", _textblob))
    return found
