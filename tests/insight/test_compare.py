"""Comparing movies side by side: an original and its remake."""

from __future__ import annotations

import json

import pytest
from scipy.stats import mannwhitneyu

from reelsense.errors import QueryError
from reelsense.insight.compare import compare_group, compare_movies
from reelsense.records import Movie
from tests.insight.corpus import ORIGINAL, OTHER, REMAKE, build_store


def test_group_comparison_puts_the_original_first() -> None:
    comparison = compare_group(build_store(), "Group7")
    assert [m.movie_id for m in comparison.movies] == [ORIGINAL, REMAKE]
    assert [m.position for m in comparison.movies] == [0, 1]
    assert comparison.group == "Group7"
    assert [t.reference_id for t in comparison.tests] == [ORIGINAL]


def test_side_by_side_ratings_use_the_final_rating() -> None:
    original, remake = compare_group(build_store(), "Group7").movies
    assert (original.reviews, original.rated, original.given) == (32, 32, 31)
    assert (remake.reviews, remake.rated, remake.given) == (24, 24, 18)
    assert original.mean is not None and remake.mean is not None
    assert original.mean > 8 > 4 > remake.mean
    assert remake.share_positive == 0.0


def test_remake_vs_original_test_matches_scipy_and_is_explained() -> None:
    store = build_store()
    comparison = compare_movies(store, [ORIGINAL, REMAKE])
    test = comparison.tests[0]
    assert test.result is not None
    remake = [
        (i.review.rating or (i.analysis.final_rating if i.analysis else 0.0))
        for i in store.iter_movie_insight(REMAKE, store.current_model())
    ]
    original = [
        (i.review.rating or (i.analysis.final_rating if i.analysis else 0.0))
        for i in store.iter_movie_insight(ORIGINAL, store.current_model())
    ]
    expected = mannwhitneyu(remake, original, alternative="two-sided")
    assert test.result.p_value == pytest.approx(float(expected.pvalue))
    assert test.result.mean_difference < 0
    assert test.result.ci_high < 0
    assert test.explanation.startswith(
        "Reviewers rate Harbour Lights (1990) higher than Harbour Lights (2012)"
    )


def test_aspect_balance_per_movie() -> None:
    original, remake = compare_group(build_store(), "Group7").movies
    balance = {a.aspect: a for a in remake.aspects}
    assert balance["story"].share_positive == 0.0
    assert balance["acting"].share_positive == 1.0
    assert {a.aspect: a.share_positive for a in original.aspects}["acting"] == 1.0


def test_distinctive_terms_are_against_the_other_movies() -> None:
    original, remake = compare_group(build_store(), "Group7").movies
    assert {"fog", "lighthouse"} & {t.term for t in original.terms}
    assert {"drone", "casino"} & {t.term for t in remake.terms}
    assert not {t.term for t in original.terms} & {t.term for t in remake.terms}


def test_a_movie_without_ratings_is_explained_not_tested() -> None:
    store = build_store(analysis=False)
    store.write([Movie("tt0100009", title="Unrated Cut", year=2020)])
    comparison = compare_movies(store, [ORIGINAL, "tt0100009"])
    assert comparison.tests[0].result is None
    assert "Unrated Cut (2020) has no ratings yet" in comparison.tests[0].explanation
    assert any("reelsense analyze" in note for note in comparison.notes)


def test_group_with_fewer_than_two_movies_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="at least two"):
        compare_group(build_store(), "NoSuchGroup")


def test_group_larger_than_asked_for_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="compare at most 1"):
        compare_group(build_store(), "Group7", max_movies=1)
    assert len(compare_group(build_store(), "Group7", max_movies=2).movies) == 2


def test_comparing_one_movie_is_a_query_error() -> None:
    with pytest.raises(QueryError):
        compare_movies(build_store(), [OTHER, OTHER])


def test_comparison_to_dict_is_json_ready() -> None:
    data = json.loads(json.dumps(compare_group(build_store(), "Group7").to_dict()))
    assert data["movies"][0]["label"] == "Harbour Lights (1990)"
    result = data["tests"][0]["result"]
    assert result["explanation"].startswith("Reviewers rate")
    assert -1.0 <= result["rank_biserial"] <= 1.0
