"""SQL and full-text syntax injection through every store read that takes user text.

Runs on every backend (see ``conftest.BACKENDS``). Each payload must come back
as results or a :class:`QueryError` (never another error), and the data must
be unchanged afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from reelsense.errors import QueryError
from reelsense.store import SearchQuery, Store
from tests.payloads import INJECTION
from tests.store.samples import corpus


@pytest.fixture
def filled(store: Store) -> Store:
    store.write(corpus())
    return store


def _reads(store: Store, text: str) -> list[tuple[str, Callable[[], object]]]:
    """Every store read that takes text a user typed, with ``text`` in that place."""
    return [
        ("search", lambda: store.search(SearchQuery(text))),
        ("search phrase", lambda: store.search(SearchQuery(f'storm "{text}"'))),
        ("search movie", lambda: store.search(SearchQuery("storm", movie=text))),
        (
            "search filters",
            lambda: store.search(
                SearchQuery(
                    f"storm OR {text}",
                    min_rating=1,
                    max_rating=10,
                    since=date(1990, 1, 1),
                    sentiment="positive",
                    filled=True,
                ),
                include_personal=True,
            ),
        ),
        ("find_movies", lambda: store.find_movies(text)),
        ("list_movies group", lambda: store.list_movies(group=text)),
        ("movie_stats", lambda: store.movie_stats(text)),
        ("iter_reviews movie", lambda: list(store.iter_reviews(movie_id=text))),
        ("iter_movie_insight", lambda: list(store.iter_movie_insight(text, text))),
        ("movie_sentiment", lambda: store.movie_sentiment(text, text)),
        ("count_unscored", lambda: store.count_unscored(text)),
    ]


def test_injected_text_is_only_ever_data(filled: Store) -> None:
    """Every payload in every place (one database for all: a fresh one each is slow on
    PostgreSQL)."""
    before = filled.counts()
    movies = [m.movie_id for m in filled.list_movies()]
    wrong = []
    for text in INJECTION:
        for name, read in _reads(filled, text):
            try:
                read()
            except QueryError:
                pass  # a clear refusal ("no such movie", "no words to search for") is fine
            except Exception as exc:
                wrong.append(f"{name} with {text[:30]!r}: {type(exc).__name__}: {exc}")
    assert wrong == []
    assert filled.counts() == before
    assert [m.movie_id for m in filled.list_movies()] == movies
    assert len(filled.search(SearchQuery("storm"))) == 2


def test_injected_text_matches_nothing_it_does_not_contain(filled: Store) -> None:
    """Wildcards and always-true conditions do not widen a lookup to every row."""
    for text in ["' OR 1=1 --", "%", "_", "*", "storm' OR '1'='1"]:
        assert filled.find_movies(text) == [], text
        assert filled.list_movies(group=text) == [], text
        with pytest.raises(QueryError):
            filled.movie_stats(text)
