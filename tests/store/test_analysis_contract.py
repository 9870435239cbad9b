"""Model scores in the store: unscored batches, analysis rows, sentiment filters."""

from __future__ import annotations

import pytest

from reelsense.errors import QueryError
from reelsense.store import Store
from reelsense.store.base import (
    AnalysisRow,
    AspectMention,
    AspectPolarity,
    Polarity,
    RatingSource,
    SearchQuery,
)
from tests.store.samples import corpus

VERSION = "test-model-1"


def row(
    review_id: int,
    polarity: Polarity = "positive",
    final: float = 7.0,
    source: RatingSource = "predicted",
) -> AnalysisRow:
    return AnalysisRow(
        review_id=review_id,
        model_version=VERSION,
        polarity=polarity,
        p_positive=0.9 if polarity == "positive" else 0.1,
        predicted_rating=int(final),
        predicted_confidence=0.6,
        final_rating=final,
        rating_source=source,
        rating_confidence=0.6,
    )


@pytest.fixture
def filled(store: Store) -> Store:
    store.write(corpus())
    store.register_model(VERSION, '{"version": "test-model-1"}')
    return store


def test_no_model_means_no_current_model(store: Store) -> None:
    assert store.current_model() is None


def test_the_last_registered_model_is_current(filled: Store) -> None:
    assert filled.current_model() == VERSION
    filled.register_model("test-model-2", "{}")
    assert filled.current_model() == "test-model-2"


def test_unscored_batches_shrink_as_rows_are_written(filled: Store) -> None:
    total = filled.counts().reviews
    assert filled.count_unscored(VERSION) == total
    batches = filled.iter_unscored(VERSION, batch_size=2)
    first = next(batches)
    assert len(first) == 2
    filled.write_analysis([row(item.review_id) for item in first])
    rest = [item.review_id for batch in batches for item in batch]
    assert len(rest) == total - 2
    assert not {item.review_id for item in first} & set(rest)
    assert filled.count_unscored(VERSION) == total - 2
    assert filled.count_unscored("another-model") == total


def test_writing_the_same_rows_twice_keeps_one_each(filled: Store) -> None:
    ids = [item.review_id for item in filled.iter_reviews()]
    filled.write_analysis([row(i) for i in ids])
    filled.write_analysis([row(i, "negative", 2.0) for i in ids])
    assert filled.count_unscored(VERSION) == 0
    hits = filled.search(SearchQuery("storm OR lighthouse OR keeper", limit=50))
    assert {hit.polarity for hit in hits} == {"negative"}


def test_search_filters_by_sentiment_and_filled_rating(filled: Store) -> None:
    items = list(filled.iter_reviews())
    unrated = next(i for i in items if i.review.rating is None)
    rows = [
        row(i.review_id, "positive" if i.review_id % 2 else "negative", i.review.rating or 8.0)
        for i in items
    ]
    filled.write_analysis(rows)
    anything = "storm OR lighthouse OR keeper OR slow OR score"
    everything = filled.search(SearchQuery(anything, limit=50))
    positive = filled.search(SearchQuery(anything, sentiment="positive", limit=50))
    assert positive and all(hit.polarity == "positive" for hit in positive)
    assert len(positive) < len(everything)
    given_only = filled.search(SearchQuery(anything, min_rating=8, limit=50))
    with_filled = filled.search(SearchQuery(anything, min_rating=8, filled=True, limit=50))
    assert unrated.review_id not in {h.review_id for h in given_only}
    assert unrated.review_id in {h.review_id for h in with_filled}
    hit = next(h for h in with_filled if h.review_id == unrated.review_id)
    assert (hit.final_rating, hit.rating_source, hit.rating) == (8.0, "predicted", None)


def test_bad_sentiment_is_a_query_error(filled: Store) -> None:
    with pytest.raises(QueryError):
        filled.search(SearchQuery("storm", sentiment="happy"))  # type: ignore[arg-type]


def test_movie_sentiment_counts_and_histograms(filled: Store) -> None:
    items = [i for i in filled.iter_reviews(movie_id="tt0000001")]
    filled.write_analysis(
        [
            row(
                i.review_id,
                "positive",
                i.review.rating or 8.0,
                "given" if i.review.rating else "stated",
            )
            for i in items
        ]
    )
    sentiment = filled.movie_sentiment("tt0000001", VERSION)
    assert sentiment.analyzed == len(items) == sentiment.positive
    assert sentiment.negative == 0
    assert sum(sentiment.histograms["stated"].values()) == sum(
        1 for i in items if i.review.rating is None
    )
    assert set(sentiment.histograms["predicted"]) == set(range(1, 11))
    with pytest.raises(QueryError):
        filled.movie_sentiment("tt9999999", VERSION)


def mention(review_id: int, sentence: int, aspect: str, polarity: AspectPolarity) -> AspectMention:
    return AspectMention(review_id, VERSION, sentence, aspect, polarity, 0.5, f"s{sentence}")


def test_movie_insight_joins_reviews_analyses_and_aspects(filled: Store) -> None:
    items = list(filled.iter_reviews(movie_id="tt0000001"))
    first = items[0].review_id
    filled.write_analysis([row(first)])
    filled.write_analysis(
        [], [mention(first, 0, "acting", "positive"), mention(first, 2, "story", "negative")]
    )
    filled.write_analysis([], [mention(first, 0, "acting", "negative")])  # replaces, not adds
    insights = list(filled.iter_movie_insight("tt0000001", VERSION, batch_size=2))
    assert [i.review_id for i in insights] == [i.review_id for i in items]
    got = insights[0]
    assert got.analysis == row(first)
    assert [(m.sentence, m.aspect, m.polarity) for m in got.aspects] == [
        (0, "acting", "negative"),
        (2, "story", "negative"),
    ]
    assert all(i.analysis is None and not i.aspects for i in insights[1:])
    assert all(i.review.email is None for i in insights)
    bare = list(filled.iter_movie_insight("tt0000001", None))
    assert len(bare) == len(items) and all(i.analysis is None for i in bare)
    with pytest.raises(QueryError):
        list(filled.iter_movie_insight("tt9999999", VERSION))


def test_sample_texts_spreads_over_the_store_and_can_exclude_a_movie(filled: Store) -> None:
    everything = filled.sample_texts(100)
    assert len(everything) == filled.counts().reviews
    others = filled.sample_texts(100, exclude_movie="tt0000001")
    own = {i.review.text for i in filled.iter_reviews(movie_id="tt0000001")}
    assert others and not own & set(others)
    assert len(filled.sample_texts(2)) == 2
