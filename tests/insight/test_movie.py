"""Per-movie insight from a hand-written scored corpus."""

from __future__ import annotations

import json

import pytest

from reelsense.errors import QueryError
from reelsense.insight.movie import movie_insight
from tests.insight.corpus import ORIGINAL, REMAKE, SCRIPT, VERSION, build_store


def test_rating_distribution_separates_given_and_filled_ratings() -> None:
    insight = movie_insight(build_store(), REMAKE)
    ratings = insight.ratings
    assert ratings.count("given") == 18
    assert ratings.count("predicted") == 6  # unrated reviews, filled by the model
    assert ratings.histograms["predicted"][3] == 6
    assert ratings.count("stated") == 0
    assert ratings.filled == 6
    assert ratings.unrated == 0


def test_a_rating_stated_in_the_text_fills_the_distribution_as_stated() -> None:
    insight = movie_insight(build_store(), ORIGINAL)
    assert insight.ratings.histograms["stated"][9] == 1
    assert insight.ratings.count("given") == 31


def test_polarity_by_year_counts_reviews_and_positive_share() -> None:
    insight = movie_insight(build_store(), REMAKE)
    years = {y.year: y for y in insight.years}
    assert sorted(years) == [2012, 2013, 2014]
    assert sum(y.reviews for y in insight.years) == 24
    assert all(y.share_positive == 0.0 for y in insight.years)
    assert all(y.mean_rating is not None and y.mean_rating < 5 for y in insight.years)
    assert insight.undated == 0


def test_most_praised_and_criticised_aspects_with_counts() -> None:
    original = movie_insight(build_store(), ORIGINAL)
    assert original.praised[0].aspect == "acting"
    assert original.praised[0].positive == 30
    music = next(a for a in original.aspects if a.aspect == "music")
    assert (music.positive, music.negative, music.neutral) == (0, 0, 5)
    assert music.share_positive is None
    remake = movie_insight(build_store(), REMAKE)
    assert remake.criticised[0].aspect == "story"
    assert remake.criticised[0].negative == 24
    assert remake.criticised[0].share_positive == 0.0


def test_quotes_are_short_confident_and_from_distinct_reviewers() -> None:
    remake = movie_insight(build_store(), REMAKE)
    story = remake.criticised[0]
    assert len(story.criticism) == 2
    assert story.criticism[0].author != story.criticism[1].author
    assert all(len(q.text) <= 200 for q in story.criticism)
    assert story.criticism[0].score == pytest.approx(0.05)  # the most confident...
    assert story.criticism[1].score > 0.05  # ...then the best from another reviewer
    assert story.praise == ()


def test_quotes_never_show_an_email_address() -> None:
    insight = movie_insight(build_store(), ORIGINAL)
    text = json.dumps(insight.to_dict())
    assert "mika@example.org" not in text
    visuals = next(a for a in insight.aspects if a.aspect == "visuals")
    assert visuals.praise[0].author == "Mika Vale"


def test_reviews_whose_text_disagrees_with_their_rating_are_listed() -> None:
    insight = movie_insight(build_store(), ORIGINAL)
    assert insight.disagreement_count == 1
    found = insight.disagreements[0]
    assert (found.author, found.rating, found.kind) == (
        "Grump",
        10.0,
        "high rating, negative text",
    )
    assert found.p_positive == pytest.approx(0.05)
    assert found.headline == "Clicked the wrong star"


def test_distinctive_terms_come_from_the_movie_not_the_background() -> None:
    terms = [t.term for t in movie_insight(build_store(), REMAKE).terms]
    assert "drone" in terms or "casino" in terms
    assert "desert" not in terms


def test_insight_without_any_analysis_has_empty_sections_and_a_note() -> None:
    insight = movie_insight(build_store(analysis=False), ORIGINAL)
    assert insight.model_version is None
    assert insight.analyzed == 0
    assert insight.aspects == () and insight.praised == () and insight.disagreements == ()
    assert any("reelsense analyze" in note for note in insight.notes)
    assert insight.ratings.count("given") == 31
    assert insight.ratings.count("stated") == 1  # read from the review itself
    assert all(y.share_positive is None for y in insight.years)
    assert insight.terms  # terms need no model


def test_insight_with_analysis_but_no_aspects_says_so() -> None:
    insight = movie_insight(build_store(aspects=False), REMAKE)
    assert insight.analyzed == 24
    assert insight.aspects == ()
    assert any("no aspect mentions" in note for note in insight.notes)


def test_to_dict_is_json_ready() -> None:
    data = movie_insight(build_store(), ORIGINAL).to_dict()
    again = json.loads(json.dumps(data))
    assert again["model_version"] == VERSION
    assert again["ratings"]["histograms"]["given"]["9"] > 0
    assert again["praised"][0]["mentions"] == 30
    assert again["stats"]["summary"]["movie_id"] == ORIGINAL
    assert set(again["terms"][0]) == {"term", "z_score", "count"}
    assert SCRIPT in json.dumps(again)  # data is raw; escaping is the renderer's job


def test_unknown_movie_is_a_query_error() -> None:
    with pytest.raises(QueryError):
        movie_insight(build_store(), "tt9999999")
