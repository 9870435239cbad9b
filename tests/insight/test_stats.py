"""Rating statistics and distinctive terms, checked against independently computed values."""

from __future__ import annotations

import math
import random
import time
from collections import Counter

import numpy as np
import pytest
from scipy.stats import bootstrap, mannwhitneyu

from reelsense.errors import ConfigError
from reelsense.insight.stats import (
    bootstrap_mean_difference,
    compare_ratings,
    explain,
    pairwise_shares,
)
from reelsense.insight.terms import TermCounts, distinctive_terms, weighted_log_odds

A = [8.0, 9.0, 10.0, 7.0, 9.0, 8.0, 6.0, 9.0, 10.0, 8.0, 7.0, 9.0]
B = [5.0, 6.0, 7.0, 4.0, 8.0, 6.0, 5.0, 3.0, 7.0, 6.0, 9.0]


def brute_force_shares(a: list[float], b: list[float]) -> tuple[float, float, float]:
    pairs = [(x, y) for x in a for y in b]
    higher = sum(x > y for x, y in pairs) / len(pairs)
    lower = sum(x < y for x, y in pairs) / len(pairs)
    return higher, lower, 1.0 - higher - lower


def test_u_statistic_and_p_value_match_scipy() -> None:
    result = compare_ratings(A, B)
    expected = mannwhitneyu(A, B, alternative="two-sided")
    assert result.u_statistic == pytest.approx(float(expected.statistic))
    assert result.p_value == pytest.approx(float(expected.pvalue))
    assert result.p_value < 0.01


def test_probability_of_superiority_matches_a_pairwise_count() -> None:
    result = compare_ratings(A, B)
    higher, lower, equal = brute_force_shares(A, B)
    assert (result.share_higher, result.share_lower, result.share_equal) == pytest.approx(
        (higher, lower, equal)
    )
    assert result.prob_superiority == pytest.approx(higher + equal / 2)
    assert result.prob_superiority == pytest.approx(result.u_statistic / (len(A) * len(B)))


def test_cliffs_delta_equals_the_rank_biserial_correlation() -> None:
    result = compare_ratings(A, B)
    higher, lower, _ = brute_force_shares(A, B)
    assert result.cliffs_delta == pytest.approx(higher - lower)
    assert result.rank_biserial == pytest.approx(result.cliffs_delta)


def test_pairwise_shares_on_random_ratings_match_brute_force() -> None:
    rng = random.Random(0)
    a = [float(rng.randint(1, 10)) for _ in range(57)]
    b = [float(rng.randint(1, 10)) for _ in range(43)]
    assert pairwise_shares(a, b) == pytest.approx(brute_force_shares(a, b))


def test_bootstrap_interval_contains_the_true_difference() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(7.0, 1.5, size=400)
    b = rng.normal(6.0, 1.5, size=300)
    low, high = bootstrap_mean_difference(a, b)
    assert low < 1.0 < high
    assert 0.2 < high - low < 1.0
    assert low < a.mean() - b.mean() < high


def test_bootstrap_is_seeded_and_agrees_with_scipy_percentile_bootstrap() -> None:
    first = bootstrap_mean_difference(A, B)
    assert bootstrap_mean_difference(A, B) == first
    theirs = bootstrap(
        (np.array(A), np.array(B)),
        lambda x, y, axis: np.mean(x, axis=axis) - np.mean(y, axis=axis),
        n_resamples=10_000,
        method="percentile",
        random_state=0,
    ).confidence_interval
    assert first[0] == pytest.approx(theirs.low, abs=0.15)
    assert first[1] == pytest.approx(theirs.high, abs=0.15)


def test_empty_sample_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="at least one rating"):
        compare_ratings([], B)


def test_explain_states_a_clear_difference_in_plain_words() -> None:
    result = compare_ratings(
        [9.0, 8.0, 9.0, 10.0] * 10, [5.0, 6.0, 4.0, 7.0] * 10, label_a="Harbour", label_b="Remake"
    )
    words = explain(result)
    assert words.startswith("Reviewers rate Harbour higher than Remake: on average by 3.5 points")
    assert "very unlikely by chance (p < 0.001)" in words
    assert "Harbour's is higher 100% of the time" in words
    assert "too few" not in words


def test_explain_names_the_higher_film_first_when_the_second_wins() -> None:
    result = compare_ratings(B * 3, A * 3, label_a="Remake", label_b="Original")
    assert explain(result).startswith("Reviewers rate Original higher than Remake")


def test_explain_does_not_claim_a_difference_that_could_be_chance() -> None:
    rng = np.random.default_rng(0)
    same = rng.integers(1, 11, size=200).astype(float)
    other = rng.integers(1, 11, size=200).astype(float)
    result = compare_ratings(same, other, label_a="X", label_b="Y")
    assert result.p_value > 0.05
    words = explain(result)
    assert "could easily be chance" in words
    assert "Reviewers rate" not in words


def test_explain_warns_about_small_samples() -> None:
    words = explain(compare_ratings([9.0, 8.0, 10.0], [4.0, 5.0], label_a="X", label_b="Y"))
    assert "Only 3 and 2 ratings: too few to be sure" in words


def test_log_odds_matches_a_hand_computed_example() -> None:
    target = TermCounts(counts=Counter({"fog": 3, "sea": 1}))
    background = TermCounts(counts=Counter({"fog": 1, "sea": 3}))
    found = weighted_log_odds(target, background, min_count=1)
    # prior = pooled counts: alpha_fog = 4, alpha_0 = 8; n_a = n_b = 4
    delta = math.log((3 + 4) / (4 + 8 - 3 - 4)) - math.log((1 + 4) / (4 + 8 - 1 - 4))
    z = delta / math.sqrt(1 / (3 + 4) + 1 / (1 + 4))
    assert [t.term for t in found] == ["fog"]  # "sea" is typical of the background
    assert found[0].z_score == pytest.approx(z)
    assert found[0].occurrences == 3


def test_distinctive_terms_finds_the_target_vocabulary_and_skips_stop_words() -> None:
    target = [f"The lighthouse keeper was not funny at all, review {i}." for i in range(8)]
    target += ["A lonely lighthouse in the fog."] * 3
    background = [f"A city of cars and noise, and the keeper of a shop {i}." for i in range(30)]
    found = distinctive_terms(target, background, n=10)
    terms = [t.term for t in found]
    assert terms[0] == "lighthouse"
    assert "not funny" in terms
    assert not {"the", "was", "at", "not", "all"} & set(terms)
    assert all(z > 0 for _, z, _ in found)


def test_min_count_and_min_documents_drop_rare_terms() -> None:
    target = ["zeppelin zeppelin zeppelin harbour", "harbour", "harbour"]
    found = distinctive_terms(target, ["desert"] * 5, n=10, min_count=3, min_documents=2)
    assert [t.term for t in found] == ["harbour"]


def test_distinctive_terms_is_fast_on_five_thousand_reviews() -> None:
    rng = random.Random(0)
    vocab = [f"w{i}x" for i in range(6000)] + ["the", "and", "of", "is", "it"] * 400

    def review() -> str:
        return " ".join(rng.choice(vocab) for _ in range(200))

    target = [review() for _ in range(5000)]
    background = [review() for _ in range(5000)]
    start = time.perf_counter()
    found = distinctive_terms(target, background)
    elapsed = time.perf_counter() - start
    assert len(found) <= 15
    assert elapsed < 4.0, f"took {elapsed:.2f}s (target < 2 s on a developer laptop)"
