"""The movies an export covers, with their crawler group memberships and IMDb link.

The :class:`~reelsense.store.base.Store` protocol lists movies as
:class:`~reelsense.store.base.MovieSummary` rows, which carry neither the
IMDb link nor the position of a movie in its groups. Positions come from
:meth:`Store.movie_stats` (asked only for movies that are in a group). The
link comes from a store's ``iter_movies()`` when it has one (a streaming
read being added to the stores); without it a movie with a ``tt`` id gets
the canonical ``https://www.imdb.com/title/<id>/`` link.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reelsense.store.base import MovieSummary, Store

__all__ = ["MovieEntry", "canonical_url", "iter_movie_entries"]

log = logging.getLogger(__name__)

_TT_RE = re.compile(r"tt\d+")


@dataclass(frozen=True, slots=True)
class MovieEntry:
    """One movie as exported: its summary, link and ``(group, position)`` memberships."""

    summary: MovieSummary
    url: str | None
    memberships: tuple[tuple[str, int | None], ...] = ()

    @property
    def movie_id(self) -> str:
        """The movie's id."""
        return self.summary.movie_id


def canonical_url(movie_id: str) -> str | None:
    """The IMDb page of a ``tt`` id, or ``None`` for any other id.

    Example
    -------
    >>> canonical_url("tt0117407")
    'https://www.imdb.com/title/tt0117407/'
    """
    return f"https://www.imdb.com/title/{movie_id}/" if _TT_RE.fullmatch(movie_id) else None


def _stored_urls(store: Store) -> dict[str, str | None] | None:
    """Links by movie id from the store's ``iter_movies()``, or ``None`` when it has none."""
    iter_movies = getattr(store, "iter_movies", None)
    if not callable(iter_movies):
        return None
    urls: dict[str, str | None] = {}
    for item in iter_movies():
        movie_id = getattr(item, "movie_id", None)
        if isinstance(movie_id, str):
            url = getattr(item, "url", None)
            urls[movie_id] = url if isinstance(url, str) else None
    return urls


def iter_movie_entries(
    store: Store, movie_ids: Sequence[str] = (), *, group: str | None = None
) -> Iterator[MovieEntry]:
    """Stream the movies to export.

    Parameters
    ----------
    store:
        Where the movies are.
    movie_ids:
        Only these movies (resolved ids), in this order; empty means all.
    group:
        Only movies of this crawler group.

    Returns
    -------
    Iterator[MovieEntry]
        Movies sorted by title unless ``movie_ids`` gives the order.

    Example
    -------
    >>> [e.movie_id for e in iter_movie_entries(store, group="Group1")]  # doctest: +SKIP
    ['tt0117407', 'tt0396184']
    """
    summaries = store.list_movies(group=group)
    if movie_ids:
        by_id = {s.movie_id: s for s in summaries}
        summaries = [by_id[m] for m in movie_ids if m in by_id]
    urls = _stored_urls(store)
    if urls is None:
        log.info("the store gives no movie links; writing canonical IMDb links")
    for summary in summaries:
        memberships: tuple[tuple[str, int | None], ...] = ()
        if summary.groups:
            positions = store.movie_stats(summary.movie_id).group_positions
            memberships = tuple((name, positions.get(name)) for name in summary.groups)
        url = urls.get(summary.movie_id) if urls is not None else canonical_url(summary.movie_id)
        yield MovieEntry(summary, url, memberships)
