"""The fast featuriser: tokens, exact n-gram keys, binary matrix."""

from __future__ import annotations

import numpy as np
import pytest

from reelsense.analysis.features import (
    FeatureConfig,
    Featurizer,
    KeyTable,
    build_featurizer,
    tokenize,
)
from reelsense.errors import ConfigError


def test_tokenize_lowercases_and_keeps_exclamation_marks() -> None:
    assert tokenize("Great FILM, isn't it!") == ["great", "film", "isn", "t", "it", "!"]
    assert tokenize("Très bien?") == ["très", "bien", "?"]


def test_featurizer_counts_unigrams_bigrams_and_trigrams_once_each() -> None:
    featurizer = build_featurizer(["a good film", "a bad film"], FeatureConfig(min_df=1))
    matrix = featurizer.transform(["a good film a good film"])
    # binary: 3 unigrams + 2 distinct bigrams seen in training + 1 trigram
    assert matrix.shape == (1, featurizer.n_features)
    assert set(matrix.data.tolist()) == {1.0}
    assert matrix.nnz == 3 + 2 + 1


def test_featurizer_ngrams_do_not_cross_documents() -> None:
    featurizer = build_featurizer(["good film", "film good"], FeatureConfig(min_df=1))
    matrix = featurizer.transform(["good", "film"])
    assert matrix.getnnz(axis=1).tolist() == [1, 1]


def test_featurizer_min_df_drops_rare_tokens() -> None:
    featurizer = build_featurizer(["good film", "bad film"], FeatureConfig(min_df=2))
    assert featurizer.vocabulary == ["film"]


def test_featurizer_handles_empty_and_unknown_texts() -> None:
    featurizer = build_featurizer(["good film", "bad film"], FeatureConfig(min_df=1))
    matrix = featurizer.transform(["", "zzz qqq", "!!!"])
    assert matrix.shape[0] == 3
    assert matrix.getnnz(axis=1)[0] == 0


def test_featurizer_round_trips_through_arrays() -> None:
    texts = ["a good film", "a bad film", "ça été très bien"]
    featurizer = build_featurizer(texts, FeatureConfig(min_df=1))
    rebuilt = Featurizer.from_arrays(featurizer.config, featurizer.to_arrays())
    assert rebuilt.vocabulary == featurizer.vocabulary
    assert (rebuilt.transform(texts) != featurizer.transform(texts)).nnz == 0


def test_key_table_finds_every_key_and_misses_others() -> None:
    keys = np.unique(np.random.RandomState(0).randint(0, 2**62, size=5000, dtype=np.int64))
    table = KeyTable(keys)
    assert table.lookup(keys).tolist() == list(range(keys.size))
    assert (table.lookup(keys + 1)[np.isin(keys + 1, keys, invert=True)] == -1).all()


def test_feature_config_round_trips_json_and_rejects_bad_values() -> None:
    config = FeatureConfig(ngram_max=2, min_df=3)
    assert FeatureConfig.from_json(config.to_json()) == config
    with pytest.raises(ConfigError, match="ngram_max"):
        FeatureConfig(ngram_max=5)
    with pytest.raises(ConfigError, match="unknown"):
        FeatureConfig.from_json({"colour": "blue"})


def test_featurizer_cuts_texts_at_max_tokens() -> None:
    config = FeatureConfig(ngram_max=1, min_df=1, max_tokens=2)
    featurizer = build_featurizer(["a b c d"], config)
    assert featurizer.vocabulary == ["a", "b"]
    matrix = featurizer.transform(["a b a b c d", "a"])
    assert matrix.getnnz(axis=1).tolist() == [2, 1]


def test_regex_and_bytes_tokenizers_agree_on_plain_words() -> None:
    regex = FeatureConfig(tokenizer="regex")
    assert tokenize("Plain words here!", regex) == tokenize("Plain words here!")


def test_skip_bigrams_add_pairs_one_word_apart() -> None:
    plain = build_featurizer(["not very good"], FeatureConfig(ngram_max=2, min_df=1))
    skip = build_featurizer(
        ["not very good"], FeatureConfig(ngram_max=2, min_df=1, skip_bigrams=True)
    )
    assert skip.n_features == plain.n_features + 1
    # unigrams "not", "good" ("really" is unknown) + the skip-bigram "not _ good"
    assert skip.transform(["not really good"]).nnz == 2 + 1


def test_config_saved_without_tokenizer_key_means_regex() -> None:
    old = {"ngram_max": 3, "min_df": 2, "token_pattern": r"\w+", "max_tokens": 100}
    assert FeatureConfig.from_json(old).tokenizer == "regex"
    assert FeatureConfig.from_json(FeatureConfig().to_json()).tokenizer == "bytes"
