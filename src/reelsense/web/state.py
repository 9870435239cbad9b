"""What one web app holds: the store, the model (loaded once, on first use) and an insight cache.

Kept on ``app.state.reelsense``; routes reach it through the dependencies
:func:`get_state` and :func:`get_store`, so nothing lives at module level.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from reelsense.analysis.model import SentimentModel
from reelsense.analysis.scoring import load_model
from reelsense.insight.movie import corpus_background, movie_insight
from reelsense.insight.results import MovieInsight
from reelsense.insight.terms import TermCounts
from reelsense.store.base import MovieSort, MovieSummary, Store

__all__ = [
    "INSIGHT_CACHE_SIZE",
    "LISTING_CACHE_SIZE",
    "AppState",
    "StateDep",
    "StoreDep",
    "get_state",
    "get_store",
]

logger = logging.getLogger(__name__)

INSIGHT_CACHE_SIZE = 64
"""Movie insights kept in memory (each is a few kilobytes)."""

LISTING_CACHE_SIZE = 16
"""Sorted movie listings kept in memory (one per sort, direction and group asked for)."""

_ListingKey = tuple[MovieSort, bool, str | None, int, int]


@dataclass
class AppState:
    """The store an app serves, its model directory, and what it computed once.

    ``insight`` caches :func:`movie_insight` per movie, keyed also by the
    current model version and the movie's review count, so a new analysis or
    ingest (by another process) is picked up on the next request. ``movies``
    caches sorted listings the same way, keyed by the store's movie and review
    counts.
    """

    store: Store
    model_dir: Path | None = None
    cache_size: int = INSIGHT_CACHE_SIZE
    _model: SentimentModel | None = None
    _model_lock: threading.Lock = field(default_factory=threading.Lock)
    _insights: OrderedDict[tuple[str, str | None, int], MovieInsight] = field(
        default_factory=OrderedDict
    )
    _insight_lock: threading.Lock = field(default_factory=threading.Lock)
    _listings: OrderedDict[_ListingKey, list[MovieSummary]] = field(default_factory=OrderedDict)
    _listing_lock: threading.Lock = field(default_factory=threading.Lock)
    _background: tuple[int, TermCounts] | None = None
    _background_lock: threading.Lock = field(default_factory=threading.Lock)

    def model(self) -> SentimentModel:
        """The sentiment model, loaded on first use and then kept."""
        with self._model_lock:
            if self._model is None:
                logger.info("loading model from %s", self.model_dir or "the package")
                self._model = load_model(self.model_dir)
            return self._model

    def background(self) -> TermCounts:
        """One background corpus for every movie's distinctive terms, renewed when the
        store's review count changes (sampling it per movie dominated response times)."""
        total = self.store.counts().reviews
        with self._background_lock:
            if self._background is None or self._background[0] != total:
                self._background = (total, corpus_background(self.store))
            return self._background[1]

    def movies(self, sort: MovieSort, descending: bool, group: str | None) -> list[MovieSummary]:
        """Every movie's summary, sorted; computed once per store state.

        A listing aggregates every stored review (over a second on 100k reviews),
        so paging through it must not recompute it. The key holds the movie and
        review counts, which change whenever an ingest adds anything; listings
        read only ingested data, never analysis, so nothing else can stale them.
        """
        counts = self.store.counts()
        key: _ListingKey = (sort, descending, group, counts.movies, counts.reviews)
        with self._listing_lock:
            found = self._listings.get(key)
            if found is not None:
                self._listings.move_to_end(key)
                return found
        listing = self.store.list_movies(sort=sort, descending=descending, group=group)
        with self._listing_lock:
            self._listings[key] = listing
            while len(self._listings) > LISTING_CACHE_SIZE:
                self._listings.popitem(last=False)
        return listing

    def insight(self, movie_id: str) -> MovieInsight:
        """The insight of one movie, computed once per model version and review count.

        Raises
        ------
        QueryError
            The movie is unknown.
        """
        reviews = self.store.movie_stats(movie_id).summary.reviews
        key = (movie_id, self.store.current_model(), reviews)
        with self._insight_lock:
            found = self._insights.get(key)
            if found is not None:
                self._insights.move_to_end(key)
                return found
        computed = movie_insight(
            self.store, movie_id, model_version=key[1], background=self.background()
        )
        with self._insight_lock:
            self._insights[key] = computed
            while len(self._insights) > self.cache_size:
                self._insights.popitem(last=False)
        return computed


def get_state(request: Request) -> AppState:
    """The :class:`AppState` of the app serving ``request``."""
    state: AppState = request.app.state.reelsense
    return state


def get_store(state: Annotated[AppState, Depends(get_state)]) -> Store:
    """The store of the app serving the request."""
    return state.store


StateDep = Annotated[AppState, Depends(get_state)]
StoreDep = Annotated[Store, Depends(get_store)]
