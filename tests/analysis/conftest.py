"""Tiny invented training data for the analysis tests (no third-party text)."""

from __future__ import annotations

import pytest

from reelsense.analysis.features import FeatureConfig
from reelsense.analysis.model import SentimentModel

_GOOD = ["wonderful", "brilliant", "superb", "moving", "delightful", "excellent", "beautiful"]
_BAD = ["awful", "boring", "dreadful", "terrible", "dull", "stupid", "painful"]
_THINGS = ["film", "acting", "story", "script", "ending", "cast"]


def _corpus() -> tuple[list[str], list[float]]:
    texts: list[str] = []
    ratings: list[float] = []
    for i in range(24):
        thing = _THINGS[i % len(_THINGS)]
        good = _GOOD[i % len(_GOOD)]
        bad = _BAD[i % len(_BAD)]
        texts.append(f"The {thing} was {good}, truly {_GOOD[(i + 3) % 7]}. I loved it.")
        ratings.append(float(7 + i % 4))
        texts.append(f"The {thing} was {bad}, really {_BAD[(i + 3) % 7]}. I hated it.")
        ratings.append(float(1 + i % 4))
    return texts, ratings


@pytest.fixture(scope="session")
def tiny_corpus() -> tuple[list[str], list[float]]:
    """48 invented one-line reviews with ratings 1-4 (negative) and 7-10 (positive)."""
    return _corpus()


@pytest.fixture(scope="session")
def tiny_model() -> SentimentModel:
    """A model fitted on :func:`tiny_corpus`."""
    texts, ratings = _corpus()
    config = FeatureConfig(ngram_max=2, min_df=1)
    return SentimentModel(feature_config=config, C=10.0, calibration_folds=3).fit(texts, ratings)
