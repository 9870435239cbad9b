"""What the app computes once: sorted movie listings follow the store, not each request."""

from __future__ import annotations

from typing import Any

from reelsense.records import Movie, Review
from reelsense.store import SQLiteStore
from reelsense.web.state import LISTING_CACHE_SIZE, AppState


class CountingStore:
    """A store that counts how often the movie listing is aggregated."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.listings = 0

    def list_movies(self, **kwargs: Any) -> Any:
        self.listings += 1
        return self.store.list_movies(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_listing_is_aggregated_once_per_store_state(store: SQLiteStore) -> None:
    counting = CountingStore(store)
    state = AppState(counting)  # type: ignore[arg-type]
    first = state.movies("reviews", True, None)
    again = state.movies("reviews", True, None)
    assert again == first
    assert counting.listings == 1


def test_new_reviews_renew_the_listing(store: SQLiteStore) -> None:
    counting = CountingStore(store)
    state = AppState(counting)  # type: ignore[arg-type]
    before = {m.movie_id: m.reviews for m in state.movies("title", False, None)}
    store.write(
        [
            Movie("tt7777777", title="Late Arrival", year=2020),
            Review(movie_id="tt7777777", position=0, text="Arrived after the first listing."),
        ]
    )
    after = {m.movie_id: m.reviews for m in state.movies("title", False, None)}
    assert "tt7777777" not in before
    assert after["tt7777777"] == 1
    assert counting.listings == 2


def test_each_sort_is_its_own_listing_and_old_ones_are_dropped(store: SQLiteStore) -> None:
    counting = CountingStore(store)
    state = AppState(counting)  # type: ignore[arg-type]
    by_title = state.movies("title", False, None)
    by_title_desc = state.movies("title", True, None)
    assert {m.movie_id for m in by_title_desc} == {m.movie_id for m in by_title}
    for group in range(LISTING_CACHE_SIZE):
        state.movies("title", False, f"Group{group}")
    state.movies("title", False, None)
    assert counting.listings == 2 + LISTING_CACHE_SIZE + 1
