"""Tests for reelsense.analysis.aspect_detector: word vectors and the learned aspect detector.

All texts are written for these tests: small made-up corpora whose regularities
the models must pick up.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from reelsense.analysis import aspect_train
from reelsense.analysis.aspect_detector import (
    AspectDetector,
    WordVectors,
    fit_detector,
    train_word_vectors,
)
from reelsense.analysis.aspect_eval import GoldRow
from reelsense.analysis.aspect_model import AspectModel
from reelsense.analysis.aspect_train import fit_aspect_model
from reelsense.errors import ConfigError
from reelsense.text.sentences import split_sentences

# Two families of words used in the same contexts: the vectors must tell them apart.
# "palette", "hues", "refrains" and "harmonies" are on no term list.
_PICTURE = ["photography", "camerawork", "lighting", "palette", "hues"]
_SOUND = ["soundtrack", "score", "songs", "refrains", "harmonies"]


def _corpus() -> list[str]:
    texts = []
    for i in range(400):
        a, b = _PICTURE[i % 5], _PICTURE[(i + 2) % 5]
        c, d = _SOUND[i % 5], _SOUND[(i + 3) % 5]
        texts.append(f"the {a} and the {b} look gorgeous on the big screen")
        texts.append(f"the {c} and the {d} sound lovely through the speakers")
    return texts


@pytest.fixture(scope="module")
def vectors() -> WordVectors:
    return train_word_vectors(_corpus(), dim=8, max_words=100)


def _cosine(v: WordVectors, a: str, b: str) -> float:
    index = {w: i + 1 for i, w in enumerate(v.featurizer.vocabulary)}
    x, y = v.matrix[index[a]], v.matrix[index[b]]
    return float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))


def test_words_used_alike_get_close_vectors(vectors: WordVectors) -> None:
    assert _cosine(vectors, "photography", "lighting") > _cosine(vectors, "photography", "score")
    assert _cosine(vectors, "songs", "harmonies") > _cosine(vectors, "songs", "hues")


def test_sentence_vector_is_the_mean_and_zero_for_unknown_words(vectors: WordVectors) -> None:
    pooled = vectors.pooled(["lighting", "lighting lighting zzz", "lighting score", "zzz", ""])
    assert pooled.shape == (5, vectors.dim)
    assert np.allclose(pooled[0], pooled[1])  # repeats and unknown words change nothing
    both = vectors.pooled(["score"])[0]
    assert np.allclose(pooled[2], (pooled[0] + both) / 2)
    assert not pooled[3].any() and not pooled[4].any()


def test_word_vectors_round_trip_through_plain_arrays(vectors: WordVectors) -> None:
    arrays = vectors.to_arrays("v_")
    assert all(a.dtype != object for a in arrays.values())
    again = WordVectors.from_arrays(arrays, "v_")
    text = ["the lighting and the score"]
    assert np.allclose(again.pooled(text), vectors.pooled(text), atol=1e-3)


# Every aspect needs examples to fit its regression: one sentence each for the rest.
_OTHER_ASPECTS = {
    "acting": "The acting was wooden.",
    "story": "The plot made no sense.",
    "characters": "The characters were thin.",
    "direction": "The director lost control.",
    "script": "The dialogue was clumsy.",
    "pacing": "It dragged for an hour.",
    "ending": "The ending fell flat.",
    "humour": "The jokes were funny.",
    "violence": "The gore was extreme.",
    "effects": "The effects looked cheap.",
    "comparison": "The remake is worse.",
    "visuals": "The sets were drab.",
}


def _labelled() -> tuple[list[str], list[set[str]], list[set[str]], list[set[str]]]:
    sentences: list[str] = list(_OTHER_ASPECTS.values())
    labels: list[set[str]] = [{a} for a in _OTHER_ASPECTS]
    for i in range(60):
        sentences.append(f"the {_PICTURE[i % 5]} was striking in every frame")
        labels.append({"visuals"})
        sentences.append(f"the {_SOUND[i % 5]} stayed with me for days")
        labels.append({"music"})
        sentences.append(f"we drove home in the rain after show {i}")
        labels.append(set())
    empty: list[set[str]] = [set() for _ in sentences]
    return sentences, empty, empty, labels


@pytest.fixture(scope="module")
def detector(vectors: WordVectors) -> AspectDetector:
    sentences, found, before, labels = _labelled()
    return fit_detector(sentences, found, before, labels, vectors, C=1.0, threshold=0.5)


def _detect(d: AspectDetector, sentences: list[str]) -> list[set[str]]:
    empty: list[set[str]] = [set() for _ in sentences]
    p = d.probabilities(sentences, empty, empty)
    names = ("visuals", "music")
    return [{n for n in names if p[i, _index(n)] >= d.threshold} for i in range(len(sentences))]


def _index(aspect: str) -> int:
    from reelsense.analysis.aspects import ASPECTS

    return ASPECTS.index(aspect)


def test_detector_learns_aspects_the_term_lists_do_not_name(detector: AspectDetector) -> None:
    # the term lists know neither word; the labels taught them
    found = _detect(detector, ["the palette was striking", "the refrains stayed with me"])
    assert found == [{"visuals"}, {"music"}]
    assert _detect(detector, ["we drove home in the rain"]) == [set()]


def test_detector_round_trips_through_plain_arrays(detector: AspectDetector) -> None:
    arrays = detector.to_arrays()
    assert all(a.dtype != object for a in arrays.values())
    again = AspectDetector.from_arrays(arrays)
    sentences = ["the lighting was striking", "rain again"]
    empty: list[set[str]] = [set(), set()]
    assert np.allclose(
        again.probabilities(sentences, empty, empty),
        detector.probabilities(sentences, empty, empty),
        atol=1e-3,
    )
    assert again.describe() == detector.describe()


def test_fitting_needs_every_aspect_labelled(vectors: WordVectors) -> None:
    with pytest.raises(ConfigError, match="acting"):
        fit_detector(["a", "b"], [set(), set()], [set(), set()], [{"music"}, set()], vectors)


def _polarity_model() -> AspectModel:
    texts = [f"the {w} is {g}" for w in ("lighting", "score") for g in ("great", "fine")] * 10
    texts += [f"the {w} is {b}" for w in ("lighting", "score") for b in ("awful", "poor")] * 10
    labels = [1] * 40 + [0] * 40
    model, _ = fit_aspect_model(texts, labels, C=1.0)
    return model


def test_model_with_a_detector_reports_what_it_detects(
    detector: AspectDetector, tmp_path: Path
) -> None:
    model = _polarity_model()
    text = "We saw it on Friday. The palette was striking. The refrains stayed with me."
    assert model.analyze_review(text) == []  # the term lists know neither word
    model.detector = detector
    rows = model.analyze_review(text)
    assert [(r[0], r[2]) for r in rows] == [(1, "visuals"), (2, "music")]
    model.save(tmp_path)
    assert AspectModel.load(tmp_path).analyze_review(text) == rows
    meta = json.loads((tmp_path / "aspects.json").read_text())
    assert meta["detector"]["threshold"] == 0.5


def test_detector_can_overrule_the_term_matcher(vectors: WordVectors) -> None:
    # Trained on sentences where the word "score" never means the music.
    sentences = [f"the final score was {i} to {i + 1}" for i in range(40)]
    sentences += [f"the {w} was lovely" for w in _SOUND] * 8
    labels = [set() for _ in range(40)] + [{"music"}] * 40
    found = [{"music"} for _ in sentences]  # the matcher always says music
    sentences += list(_OTHER_ASPECTS.values())
    labels += [{a} for a in _OTHER_ASPECTS]
    found += [{a} for a in _OTHER_ASPECTS]
    model = _polarity_model()
    model.detector = fit_detector(
        sentences, found, [set() for _ in sentences], labels, vectors, C=1.0, threshold=0.5
    )
    assert [r[2] for r in model.analyze_review("The score was lovely.")] == ["music"]
    assert model.analyze_review("The final score was 3 to 4.") == []


def test_train_detector_uses_the_labelled_sentences(tmp_path: Path) -> None:
    reviews = {
        f"aclImdb/train/pos/{i}_9": f"The {_PICTURE[i % 5]} was striking. "
        f"The {_SOUND[i % 5]} stayed with me. We drove home after show {i}."
        for i in range(30)
    }
    rows = []
    for review, text in reviews.items():
        for k, (sentence, label) in enumerate(
            zip(
                split_sentences(text),
                ({"visuals": "positive"}, {"music": "positive"}, {}),
                strict=True,
            )
        ):
            sha1 = hashlib.sha1(sentence.encode()).hexdigest()[:12]
            rows.append({"review": review, "sentence": k, "sha1": sha1, "aspects": label})
    rows[0]["sha1"] = "000000000000"  # a sentence that changed: skipped, not trained on
    labelled = tmp_path / "train.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows))
    for j, (aspect, sentence) in enumerate(_OTHER_ASPECTS.items()):
        review = f"aclImdb/train/neg/{100 + j}_2"
        reviews[review] = sentence
        sha1 = hashlib.sha1(sentence.encode()).hexdigest()[:12]
        label = {aspect: "negative"}
        rows.append({"review": review, "sentence": 0, "sha1": sha1, "aspects": label})
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows))

    corpus = aspect_train.AspectCorpus([], [], [], [], _corpus(), dict(reviews))
    detector, info = aspect_train.train_detector(
        _polarity_model(), labelled, corpus, settings=(0.5, 0.1)
    )
    assert info["labelled_sentences"] == len(rows) - 1 and info["skipped_rows"] == 1
    assert _detect(detector, ["the hues were striking"]) == [{"visuals"}]


def test_detector_rows_pair_labels_with_sentences_and_matcher_output() -> None:
    texts = {
        "aclImdb/train/pos/1_9": "The soundtrack soared. We went home. Great plot too.",
        "aclImdb/train/neg/2_1": "Nothing here.",
    }
    sentences = split_sentences(texts["aclImdb/train/pos/1_9"])

    def row(review: str, k: int, text: str, aspects: dict[str, str]) -> GoldRow:
        return GoldRow(review, k, hashlib.sha1(text.encode()).hexdigest()[:12], aspects)

    rows = [
        row("aclImdb/train/pos/1_9", 2, sentences[2], {"story": "positive"}),
        row("aclImdb/train/pos/1_9", 0, sentences[0], {"music": "positive"}),
        row("aclImdb/train/pos/1_9", 1, "a sentence that has changed since", {}),
        row("aclImdb/train/neg/9_1", 0, "a review that is not in the texts", {}),
        row("aclImdb/train/pos/1_9", 7, "past the last sentence", {}),
    ]
    data = aspect_train.detector_rows(_polarity_model(), rows, texts)
    assert data.reviews == ["aclImdb/train/pos/1_9"] * 2
    assert data.indices == [2, 0]
    assert data.sentences == [sentences[2], sentences[0]]
    assert data.labels == [{"story"}, {"music"}]
    assert data.found == [{"story"}, {"music"}]  # the term matcher's aspects
    assert data.before == [set(), set()]  # "We went home." and the review's start
