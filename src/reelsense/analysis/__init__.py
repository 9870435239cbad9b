"""Review scoring: the polarity + rating model, its features, persistence and metrics.

Example
-------
>>> from reelsense.analysis import load_default_model  # doctest: +SKIP
>>> load_default_model().predict(["A wonderful film."])[0].polarity  # doctest: +SKIP
'positive'
"""

from __future__ import annotations

from reelsense.analysis.evaluate import EvaluationReport, evaluate_predictions
from reelsense.analysis.features import FeatureConfig, Featurizer, build_featurizer
from reelsense.analysis.model import Prediction, PredictionBatch, SentimentModel
from reelsense.analysis.persist import ModelFormatError, load, save
from reelsense.analysis.train import default_model as load_default_model
from reelsense.analysis.train import train_default

__all__ = [
    "EvaluationReport",
    "FeatureConfig",
    "Featurizer",
    "ModelFormatError",
    "Prediction",
    "PredictionBatch",
    "SentimentModel",
    "build_featurizer",
    "evaluate_predictions",
    "load",
    "load_default_model",
    "save",
    "train_default",
]
