"""Stream the reviews an export keeps, with their analysis when it is needed.

Everything goes through the :class:`~reelsense.store.base.Store` protocol,
so it works on every backend: :meth:`Store.iter_reviews` when no analysis is
needed, else :meth:`Store.iter_movie_insight` movie by movie (joined with the
e-mails from ``iter_reviews`` when personal data is asked for). Filters are
applied here, in Python, one review at a time: memory does not grow with the
number of reviews.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reelsense.errors import ConfigError
from reelsense.export.filters import ExportFilters, resolve_movies
from reelsense.records import Review
from reelsense.store.base import AnalysisRow, AspectMention, Store

__all__ = ["SelectedReview", "iter_selected", "movie_scope", "require_model"]


@dataclass(frozen=True, slots=True)
class SelectedReview:
    """One review kept by the filters, with its analysis by the current model (if asked)."""

    review_id: int
    review: Review
    analysis: AnalysisRow | None = None
    aspects: tuple[AspectMention, ...] = ()


def movie_scope(store: Store, filters: ExportFilters) -> tuple[str, ...] | None:
    """The movie ids ``--movie``/``--group`` allow, or ``None`` for every movie.

    Both filters together keep the movies that pass both.

    Example
    -------
    >>> movie_scope(store, ExportFilters(group="Group1"))  # doctest: +SKIP
    ('tt0117407', 'tt0396184')
    """
    if not filters.movies and filters.group is None:
        return None
    ids = resolve_movies(store, filters.movies) if filters.movies else None
    if filters.group is not None:
        members = [s.movie_id for s in store.list_movies(group=filters.group)]
        if ids is None:
            return tuple(members)
        allowed = set(members)
        return tuple(m for m in ids if m in allowed)
    return ids


def require_model(store: Store) -> str:
    """The current model version; ``ConfigError`` when nothing has been scored yet."""
    model = store.current_model()
    if model is None:
        raise ConfigError(
            "no review has been scored yet: run `reelsense analyze` before exporting "
            "analysis, aspects, --sentiment or --filled ratings"
        )
    return model


def iter_selected(
    store: Store,
    filters: ExportFilters,
    *,
    include_personal: bool = False,
    with_analysis: bool = False,
    scope: Sequence[str] | None = None,
    batch_size: int = 1000,
) -> Iterator[SelectedReview]:
    """Stream the reviews that pass ``filters``.

    Parameters
    ----------
    store:
        Where the reviews are.
    filters:
        Review filters (``filters.movies``/``group`` are not looked at here:
        pass the movies in ``scope``, e.g. from :func:`movie_scope`).
    include_personal:
        Fill :attr:`Review.email`; otherwise it is always ``None``.
    with_analysis:
        Attach the current model's analysis row and aspect mentions.
    scope:
        Only these movies, in this order; ``None`` means every review, in id order.
    batch_size:
        Rows per store query.

    Returns
    -------
    Iterator[SelectedReview]
        The kept reviews, one at a time.

    Raises
    ------
    ConfigError
        Analysis is needed and no model has scored reviews yet.

    Example
    -------
    >>> kept = iter_selected(store, ExportFilters(min_rating=8))  # doctest: +SKIP
    """
    if not (with_analysis or filters.needs_analysis):
        if scope is None:
            for item in store.iter_reviews(
                include_personal=include_personal, batch_size=batch_size
            ):
                if filters.keeps(item.review):
                    yield SelectedReview(item.review_id, item.review)
            return
        for movie_id in scope:
            for item in store.iter_reviews(
                movie_id=movie_id, include_personal=include_personal, batch_size=batch_size
            ):
                if filters.keeps(item.review):
                    yield SelectedReview(item.review_id, item.review)
        return
    model = require_model(store)
    movie_ids = scope if scope is not None else [s.movie_id for s in store.list_movies()]
    for movie_id in movie_ids:
        yield from _movie_insights(store, movie_id, model, filters, include_personal, batch_size)


def _movie_insights(
    store: Store,
    movie_id: str,
    model: str,
    filters: ExportFilters,
    include_personal: bool,
    batch_size: int,
) -> Iterator[SelectedReview]:
    emails = (
        store.iter_reviews(movie_id=movie_id, include_personal=True, batch_size=batch_size)
        if include_personal
        else None
    )
    pending = None
    for insight in store.iter_movie_insight(movie_id, model, batch_size=batch_size):
        review = insight.review
        if emails is not None:
            # Both streams are in review id order: advance the e-mail stream to this review.
            while pending is None or pending.review_id < insight.review_id:
                pending = next(emails, None)
                if pending is None:
                    break
            if pending is not None and pending.review_id == insight.review_id:
                review = dataclasses.replace(review, email=pending.review.email)
        if filters.keeps(review, insight.analysis):
            yield SelectedReview(insight.review_id, review, insight.analysis, insight.aspects)
