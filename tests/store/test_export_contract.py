"""Streaming reads that export a whole store (used by ``reelsense db copy``), on every backend."""

from __future__ import annotations

import pytest

from reelsense.errors import QueryError
from reelsense.records import Movie, Problem
from reelsense.store import Store
from reelsense.store.base import AnalysisCounts, AnalysisRow, AspectMention, RegisteredModel
from tests.store.samples import CAFE, LIGHTHOUSE, LIGHTHOUSE_REMAKE, corpus


@pytest.fixture
def filled(store: Store) -> Store:
    store.write(corpus())
    return store


def test_iter_movies_gives_one_record_per_group_membership(store: Store) -> None:
    second_group = Movie(LIGHTHOUSE.movie_id, group="Group7", position=3)
    store.write([LIGHTHOUSE, second_group, LIGHTHOUSE_REMAKE, CAFE])
    movies = list(store.iter_movies())
    assert [(m.movie_id, m.group, m.position) for m in movies] == [
        ("tt0000001", "Group1", 0),
        ("tt0000001", "Group7", 3),
        ("tt0000002", "Group1", 1),
        ("tt0000003", None, None),
    ]
    assert movies[0] == LIGHTHOUSE
    assert movies[3] == CAFE


def test_iter_movies_pages_through_small_batches(store: Store) -> None:
    store.write([Movie(f"tt{i:07d}", group=f"G{i % 3}", position=i) for i in range(7)])
    store.write([Movie("tt0000003", group="G9")])
    everything = list(store.iter_movies())
    assert list(store.iter_movies(batch_size=2)) == everything
    assert len(everything) == 8


def test_iter_movies_gives_records_equal_to_those_written(filled: Store) -> None:
    records = list(filled.iter_movies())
    assert {m.movie_id for m in records} == {"tt0000001", "tt0000002", "tt0000003"}
    assert [m for m in records if m.movie_id == "tt0000002"] == [LIGHTHOUSE_REMAKE]


def test_iter_problems_streams_oldest_first(store: Store) -> None:
    problems = [Problem("a.txt", i if i % 2 else None, f"problem {i}") for i in range(5)]
    store.write(problems)
    assert list(store.iter_problems(batch_size=2)) == problems
    with pytest.raises(QueryError, match="batch_size"):
        store.iter_problems(batch_size=0)


def test_models_are_listed_in_registration_order(store: Store) -> None:
    assert store.models() == []
    store.register_model("b-model", '{"n": 2}')
    store.register_model("a-model", '{"n": 1}')
    assert store.models() == [
        RegisteredModel("b-model", '{"n": 2}'),
        RegisteredModel("a-model", '{"n": 1}'),
    ]


def test_review_ids_finds_stored_keys_only(filled: Store) -> None:
    stored = list(filled.iter_reviews())
    keys = [s.review.key for s in stored]
    assert filled.review_ids([*keys, "no-such-key"]) == {s.review.key: s.review_id for s in stored}
    assert filled.review_ids([]) == {}


def test_analysis_for_returns_every_model_version(filled: Store) -> None:
    first, second = (s.review_id for s in list(filled.iter_reviews())[:2])
    filled.register_model("m1", "{}")
    filled.register_model("m2", "{}")
    rows = [
        AnalysisRow(first, version, "positive", 0.8, 8, 0.5, 8.0, "predicted", 0.5)
        for version in ("m1", "m2")
    ]
    mention = AspectMention(first, "m1", 0, "acting", "positive", 0.9, "Great acting.")
    filled.write_analysis(rows, [mention])
    assert filled.analysis_for([first, second]) == (rows, [mention])
    assert filled.analysis_for([second]) == ([], [])
    assert filled.analysis_counts() == AnalysisCounts(models=2, analyses=2, aspects=1)
