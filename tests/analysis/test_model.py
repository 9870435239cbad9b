"""SentimentModel: fit/predict contract, obvious cases, hard inputs."""

from __future__ import annotations

import numpy as np
import pytest

from reelsense.analysis.model import SentimentModel
from reelsense.errors import ConfigError, NotFittedError


def test_model_predicts_obvious_held_out_sentences(tiny_model: SentimentModel) -> None:
    predictions = tiny_model.predict(
        ["An excellent, beautiful story. Loved it.", "A boring and awful script. Hated it."]
    )
    assert [p.polarity for p in predictions] == ["positive", "negative"]
    assert predictions[0].p_positive > 0.5 > predictions[1].p_positive
    assert predictions[0].rating >= 6 and predictions[1].rating <= 5


def test_model_outputs_are_in_range(tiny_model: SentimentModel) -> None:
    batch = tiny_model.predict_batch(["superb", "dull", "the cast"])
    assert ((batch.p_positive >= 0) & (batch.p_positive <= 1)).all()
    assert ((batch.rating >= 1) & (batch.rating <= 10)).all()
    assert ((batch.rating_confidence >= 0) & (batch.rating_confidence <= 1)).all()
    assert np.allclose(batch.rating_probabilities.sum(axis=1), 1.0)


def test_fit_returns_self_and_sets_learned_attributes(
    tiny_corpus: tuple[list[str], list[float]],
) -> None:
    texts, ratings = tiny_corpus
    model = SentimentModel(calibration_folds=2)
    assert not hasattr(model, "weights_")
    assert model.fit(texts, ratings) is model
    assert model.weights_.shape[0] == model.featurizer_.n_features


def test_unfitted_model_raises_not_fitted_naming_class_and_call() -> None:
    with pytest.raises(NotFittedError, match=r"SentimentModel.*fit\(texts, ratings\)"):
        SentimentModel().predict(["good"])


def test_fit_rejects_invalid_params_and_data(tiny_corpus: tuple[list[str], list[float]]) -> None:
    texts, ratings = tiny_corpus
    with pytest.raises(ConfigError, match="C must be"):
        SentimentModel(C=0).fit(texts, ratings)
    with pytest.raises(ConfigError, match="ratings"):
        SentimentModel().fit(texts, ratings[:-1])
    with pytest.raises(ConfigError, match="both positive and negative"):
        SentimentModel().fit(texts[:4], [9.0, 8.0, 10.0, 7.0])


def test_fit_is_deterministic(tiny_corpus: tuple[list[str], list[float]]) -> None:
    texts, ratings = tiny_corpus
    a = SentimentModel(calibration_folds=2).fit(texts, ratings).predict_batch(texts)
    b = SentimentModel(calibration_folds=2).fit(texts, ratings).predict_batch(texts)
    assert np.array_equal(a.p_positive, b.p_positive)


HARD_INPUTS = [
    "",
    "good",
    "word " * 20_000,
    "Ein wunderbarer Film, ich habe jede Minute genossen. これは素晴らしい映画です。",
    "THIS WAS THE WORST MOVIE I HAVE EVER SEEN!!!",
    "<b>Great</b> <i>film</i> &amp; <a href='x'>link</a><br /><br />",
    "S?erne was great, Drasb?k ??? not so ?much?",
    "\x00\ufffd\u200b \t\n",
]


@pytest.mark.parametrize("text", HARD_INPUTS, ids=range(len(HARD_INPUTS)))
def test_hard_inputs_give_a_result(tiny_model: SentimentModel, text: str) -> None:
    (prediction,) = tiny_model.predict([text])
    assert prediction.polarity in ("positive", "negative")
    assert 1 <= prediction.rating <= 10
    assert 0.0 <= prediction.p_positive <= 1.0


def test_predict_of_no_texts_is_empty(tiny_model: SentimentModel) -> None:
    assert tiny_model.predict([]) == []
