"""Per-movie insight: ratings given and filled, polarity by year, aspects, terms, disagreements."""

from __future__ import annotations

import logging

from reelsense.insight.collect import MovieCollector
from reelsense.insight.results import AspectSummary, MovieInsight
from reelsense.insight.terms import TermCounts, weighted_log_odds
from reelsense.store.base import Store

__all__ = ["BACKGROUND_SIZE", "collect_movie", "movie_insight"]

logger = logging.getLogger(__name__)

BACKGROUND_SIZE = 5000
"""Reviews of other movies sampled as the background for distinctive terms."""
TOP_ASPECTS = 5


def collect_movie(store: Store, movie_id: str, model_version: str | None) -> MovieCollector:
    """Stream one movie's reviews (with ``model_version``'s scores) into a collector.

    Raises
    ------
    QueryError
        The movie is unknown.
    """
    collector = MovieCollector()
    for item in store.iter_movie_insight(movie_id, model_version):
        collector.add(item)
    return collector


def _notes(model_version: str | None, collector: MovieCollector) -> list[str]:
    notes: list[str] = []
    if model_version is None:
        notes.append(
            "No model has scored any review yet: run `reelsense analyze` for polarity, "
            "filled ratings, aspects and disagreements."
        )
    elif collector.reviews and not collector.analyzed:
        notes.append(
            f"Model {model_version} has not scored this movie's reviews yet: "
            "run `reelsense analyze`."
        )
    elif collector.analyzed and not collector.aspect_counts:
        notes.append(f"Model {model_version} found no aspect mentions in these reviews.")
    if not collector.reviews:
        notes.append("This movie has no reviews.")
    return notes


def movie_insight(
    store: Store,
    movie_id: str,
    *,
    model_version: str | None = None,
    background_size: int = BACKGROUND_SIZE,
    terms: int = 15,
    background: TermCounts | None = None,
) -> MovieInsight:
    """What the reviews of one movie say, in one streaming pass over them.

    Parameters
    ----------
    store:
        Where the reviews and their analysis live.
    movie_id:
        The movie's ``tt`` id.
    model_version:
        Whose scores to use; default the store's current model. With no model
        at all, the sections that need one are empty and ``notes`` says so.
    background_size:
        Reviews of other movies sampled (``store.sample_texts``) as the
        background for distinctive terms.
    terms:
        How many distinctive terms to keep.
    background:
        Term counts of a background corpus computed once by the caller (a
        server answering many movies); default: sample one for this movie.

    Returns
    -------
    MovieInsight
        Frozen, JSON-ready via ``to_dict()``.

    Raises
    ------
    QueryError
        The movie is unknown.

    Example
    -------
    >>> from reelsense.store import SQLiteStore
    >>> movie_insight(SQLiteStore(":memory:"), "tt0000001")  # doctest: +SKIP
    """
    stats = store.movie_stats(movie_id)
    version = model_version if model_version is not None else store.current_model()
    collector = collect_movie(store, movie_id, version)
    notes = _notes(version, collector)
    if background is None:
        background = corpus_background(store, background_size, exclude_movie=movie_id)
    if not background.texts and collector.reviews:
        notes.append("No other movies are stored, so no terms can be called distinctive.")
        found = []
    else:
        found = weighted_log_odds(collector.terms, background, n=terms)
    aspects = collector.aspect_summaries()
    praised = sorted(
        (a for a in aspects if a.positive),
        key=lambda a: (-a.positive, -(a.share_positive or 0.0), a.aspect),
    )
    criticised = sorted(
        (a for a in aspects if a.negative),
        key=lambda a: (-a.negative, a.share_positive or 0.0, a.aspect),
    )
    summary = stats.summary
    logger.debug(
        "insight for %s: %d reviews, %d analyzed", movie_id, collector.reviews, collector.analyzed
    )
    return MovieInsight(
        movie_id=movie_id,
        title=summary.title,
        year=summary.year,
        model_version=version,
        stats=stats,
        reviews=collector.reviews,
        analyzed=collector.analyzed,
        positive=collector.positive,
        mean_rating=collector.mean_rating,
        ratings=collector.rating_distribution(),
        years=collector.year_polarity(),
        undated=collector.undated,
        aspects=aspects,
        praised=_top(praised),
        criticised=_top(criticised),
        terms=tuple(found),
        disagreements=collector.disagreements(),
        disagreement_count=collector.disagreement_count,
        notes=tuple(notes),
    )


def corpus_background(
    store: Store, size: int = BACKGROUND_SIZE, *, exclude_movie: str | None = None
) -> TermCounts:
    """Term counts of up to ``size`` reviews spread over the store (for distinctive terms)."""
    return TermCounts().update(store.sample_texts(size, exclude_movie=exclude_movie))


def _top(aspects: list[AspectSummary]) -> tuple[AspectSummary, ...]:
    return tuple(aspects[:TOP_ASPECTS])
