"""The fast scoring path gives exactly what the straightforward featuriser gave.

Two proofs: the shipped model reproduces, bit for bit, predictions stored by
the featuriser before the fast path (``data/reference_predictions.json``,
computed at commit 603135c); and on generated texts the fast featuriser's
matrix equals one built the straightforward way (a ``dict`` per token, a
binary search per n-gram, SciPy's COO-to-CSR conversion).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from reelsense.analysis import tables
from reelsense.analysis.features import (
    FeatureConfig,
    Featurizer,
    _byte_tokens,
    build_featurizer,
    ngram_keys,
)
from reelsense.analysis.persist import load
from reelsense.analysis.tables import ByteVocabulary, KeyTable
from reelsense.analysis.train import DEFAULT_MODEL_DIR

REFERENCE = Path(__file__).parent / "data" / "reference_predictions.json"


def reference_token_ids(vocabulary: list[str], texts: list[str], cap: int) -> tuple[Any, Any]:
    """Token ids the pre-fast-path way: split each text, one ``dict`` lookup per token."""
    index = {token.encode("utf-8"): i + 1 for i, token in enumerate(vocabulary)}
    per_text = [[index.get(t, 0) for t in _byte_tokens([text])][:cap] for text in texts]
    ids = np.array([i for chunk in per_text for i in chunk], dtype=np.int64)
    return ids, np.array([len(chunk) for chunk in per_text], dtype=np.int64)


def reference_matrix(featurizer: Featurizer, texts: list[str]) -> sp.csr_matrix:
    """The binary n-gram matrix the pre-fast-path way (binary search, COO -> CSR)."""
    config = featurizer.config
    ids, lengths = reference_token_ids(featurizer.vocabulary, texts, config.max_tokens)
    rows, keys = ngram_keys(ids, lengths, config.ngram_max, config.skip_bigrams)
    pos = np.searchsorted(featurizer.keys, keys)
    pos = np.minimum(pos, max(featurizer.keys.size - 1, 0))
    hit = featurizer.keys[pos] == keys if featurizer.keys.size else np.zeros(keys.size, bool)
    data = np.ones(int(hit.sum()), dtype=np.float32)
    shape = (len(texts), max(featurizer.keys.size, 1))
    matrix = sp.csr_matrix((data, (rows[hit], pos[hit])), shape=shape, dtype=np.float32)
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def assert_same_matrix(fast: sp.csr_matrix, slow: sp.csr_matrix) -> None:
    assert fast.shape == slow.shape
    assert fast.indptr.tolist() == slow.indptr.tolist()
    assert fast.indices.tolist() == slow.indices.tolist()
    assert set(fast.data.tolist()) <= {1.0}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


def test_shipped_model_reproduces_reference_predictions_exactly(
    reference: dict[str, Any],
) -> None:
    model = load(DEFAULT_MODEL_DIR)
    assert model.version_ == reference["model_version"]
    texts = reference["texts"]
    batch = model.predict_batch(texts)
    # exact equality: the same features and the same float32 sums, in the same order
    np.testing.assert_array_equal(model.decision_scores(texts), reference["decision_scores"])
    np.testing.assert_array_equal(batch.p_positive, reference["p_positive"])
    np.testing.assert_array_equal(batch.rating, reference["rating"])
    np.testing.assert_array_equal(batch.rating_confidence, reference["rating_confidence"])


def test_shipped_featuriser_matches_reference_matrix(reference: dict[str, Any]) -> None:
    featurizer = load(DEFAULT_MODEL_DIR).featurizer_
    texts = reference["texts"]
    assert_same_matrix(featurizer.transform(texts), reference_matrix(featurizer, texts))


# words with 1..12 bytes, non-ASCII letters, marks, separators, zero bytes
_PIECES = st.sampled_from(
    [
        "a",
        "b",
        "ab",
        "abcdefg",
        "abcdefgh",
        "abcdefghi",
        "abcdefghijkl",
        "ÉTÉ",
        "été",
        "ﬁlm",
        "İ",
        "日本語",
        "😀",
        "!",
        "?",
        "!?",
        " ",
        "  ",
        "\n",
        "'",
        "-",
        "\x00",
        "\x01",
        "\udc80",
        "x1",
        "9",
        "_",
    ]
)
_TEXTS = st.lists(st.lists(_PIECES, max_size=40).map("".join), max_size=8)


@settings(max_examples=200, deadline=None)
@given(train=_TEXTS, texts=_TEXTS, ngram_max=st.integers(1, 3), skip=st.booleans())
def test_fast_featuriser_matches_reference_on_generated_text(
    train: list[str], texts: list[str], ngram_max: int, skip: bool
) -> None:
    config = FeatureConfig(ngram_max=ngram_max, min_df=1, skip_bigrams=skip, max_tokens=30)
    featurizer = build_featurizer([*train, "abcdefghi abcdefgh a b"], config)
    ids, lengths = featurizer.token_ids(texts)
    ref_ids, ref_lengths = reference_token_ids(featurizer.vocabulary, texts, 30)
    assert ids.tolist() == ref_ids.tolist()
    assert lengths.tolist() == ref_lengths.tolist()
    assert_same_matrix(featurizer.transform(texts), reference_matrix(featurizer, texts))


def test_byte_vocabulary_ids_long_short_and_eight_byte_tokens() -> None:
    vocabulary = ["abcdefgh", "abcdefghi", "a", "!", "été", "abcdefgh"]
    ids, lengths = ByteVocabulary(vocabulary).token_ids(
        ["ABCDEFGH abcdefghi abcdefghij", "a!été?", "", "abcdefgh\x00a"]
    )
    # the later duplicate "abcdefgh" wins, as in a dict; "abcdefghij" is unknown
    assert ids.tolist() == [6, 2, 0, 3, 4, 5, 0, 6, 3]
    assert lengths.tolist() == [3, 4, 0, 2]


def test_key_table_handles_crowded_slots_negative_keys_and_duplicates() -> None:
    rng = np.random.RandomState(0)
    keys = np.unique(rng.randint(-(2**62), 2**62, size=3000, dtype=np.int64))
    keys = keys[keys != -1]
    table = KeyTable(keys)
    assert table.lookup(keys).tolist() == list(range(keys.size))
    absent = rng.randint(-(2**62), 2**62, size=3000, dtype=np.int64)
    absent = absent[np.isin(absent, keys, invert=True) & (absent != -1)]
    assert (table.lookup(absent) == -1).all()
    # keys differing only in low bits share home slots: long probe runs
    crowded = np.arange(5000, dtype=np.int64) << 40
    assert KeyTable(crowded).lookup(crowded[::-1]).tolist() == list(range(4999, -1, -1))
    assert KeyTable(np.array([5, 5, 7])).lookup(np.array([5, 7, 6])).tolist() in (
        [0, 2, -1],
        [1, 2, -1],
    )
    with_zero = np.array([0, -1, 2**63 - 1, -(2**63)], dtype=np.int64)
    assert KeyTable(with_zero).lookup(with_zero).tolist() == [0, 1, 2, 3]
    assert KeyTable(with_zero[1:]).lookup(with_zero[:1]).tolist() == [-1]
    assert KeyTable(np.zeros(0, dtype=np.int64)).lookup(np.array([1, 2])).tolist() == [-1, -1]


@pytest.mark.parametrize("colliding", [False, True])
def test_byte_vocabulary_finds_nine_to_sixteen_byte_tokens_exactly(
    colliding: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if colliding:
        # every 9..16-byte token shares one mix: only the word-for-word check
        # and the dict can tell them apart
        monkeypatch.setattr(tables, "_mix", lambda first, second: np.zeros_like(first))
    vocabulary = ["abcdefghi", "abcdefghij", "abcdefghijklmnop", "abcdefghijklmnopq", "x"]
    text = (
        "abcdefghi abcdefghij abcdefghijk abcdefghijklmnop abcdefghijklmnopq "
        "abcdefghijklmnopqr x ABCDEFGHIJ"
    )
    ids, _ = ByteVocabulary(vocabulary).token_ids([text])
    assert ids.tolist() == [1, 2, 0, 3, 4, 0, 5, 2]
