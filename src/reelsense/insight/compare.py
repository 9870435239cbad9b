"""Side-by-side comparison of movies, e.g. an original (group position 0) and its remakes."""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reelsense.errors import QueryError
from reelsense.insight.collect import MovieCollector
from reelsense.insight.movie import collect_movie
from reelsense.insight.results import jsonable
from reelsense.insight.stats import RatingComparison, compare_ratings, explain
from reelsense.insight.terms import DistinctiveTerm, TermCounts, weighted_log_odds
from reelsense.store.base import Store

__all__ = [
    "AspectBalance",
    "Comparison",
    "MovieSide",
    "PairTest",
    "compare_group",
    "compare_movies",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AspectBalance:
    """Mentions of one aspect in one movie's reviews; ``share_positive`` of the judged ones."""

    aspect: str
    positive: int
    negative: int
    neutral: int
    share_positive: float | None


@dataclass(frozen=True, slots=True)
class MovieSide:
    """One movie's column in a comparison.

    ``rated``/``mean``/``median`` use each review's final rating (given,
    else stated, else predicted); ``given`` counts the given ones.
    ``terms`` are distinctive against the other movies compared.
    """

    movie_id: str
    title: str | None
    year: int | None
    position: int | None
    reviews: int
    rated: int
    given: int
    mean: float | None
    median: float | None
    analyzed: int
    share_positive: float | None
    aspects: tuple[AspectBalance, ...]
    terms: tuple[DistinctiveTerm, ...]

    @property
    def label(self) -> str:
        """``Title (year)``, or the id when the title is unknown."""
        name = self.title or self.movie_id
        return f"{name} ({self.year})" if self.year else name


@dataclass(frozen=True, slots=True)
class PairTest:
    """Is ``movie_id`` rated differently from ``reference_id`` (the first movie)?

    ``result`` is ``None`` when either has no ratings; ``explanation`` says
    so in that case, and otherwise puts ``result`` into words.
    """

    movie_id: str
    reference_id: str
    result: RatingComparison | None
    explanation: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Movies side by side; ``tests`` compare each later movie with the first."""

    movies: tuple[MovieSide, ...]
    tests: tuple[PairTest, ...]
    group: str | None = None
    model_version: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; each test's result carries its ``explanation`` and ``rank_biserial``."""
        data: dict[str, Any] = jsonable(self)
        for entry, test in zip(data["tests"], self.tests, strict=True):
            entry["result"] = test.result.to_dict() if test.result else None
        for entry, side in zip(data["movies"], self.movies, strict=True):
            entry["label"] = side.label
        return data


def _side(
    movie_id: str,
    collector: MovieCollector,
    store: Store,
    group: str | None,
    terms: list[DistinctiveTerm],
) -> MovieSide:
    stats = store.movie_stats(movie_id)
    ratings = collector.ratings
    aspects = tuple(
        AspectBalance(a.aspect, a.positive, a.negative, a.neutral, a.share_positive)
        for a in collector.aspect_summaries()
    )
    return MovieSide(
        movie_id=movie_id,
        title=stats.summary.title,
        year=stats.summary.year,
        position=stats.group_positions.get(group) if group else None,
        reviews=collector.reviews,
        rated=len(ratings),
        given=sum(collector.histograms["given"].values()),
        mean=statistics.fmean(ratings) if ratings else None,
        median=statistics.median(ratings) if ratings else None,
        analyzed=collector.analyzed,
        share_positive=collector.positive / collector.analyzed if collector.analyzed else None,
        aspects=aspects,
        terms=tuple(terms),
    )


def _pair(
    side: MovieSide,
    ratings: list[float],
    reference: MovieSide,
    reference_ratings: list[float],
    *,
    resamples: int,
    random_state: int,
) -> PairTest:
    if not ratings or not reference_ratings:
        missing = side if not ratings else reference
        text = f"{missing.label} has no ratings yet, so the two cannot be compared."
        return PairTest(side.movie_id, reference.movie_id, None, text)
    result = compare_ratings(
        ratings,
        reference_ratings,
        label_a=side.label,
        label_b=reference.label,
        resamples=resamples,
        random_state=random_state,
    )
    return PairTest(side.movie_id, reference.movie_id, result, explain(result))


def compare_movies(
    store: Store,
    movie_ids: Sequence[str],
    *,
    model_version: str | None = None,
    group: str | None = None,
    terms: int = 10,
    resamples: int = 10_000,
    random_state: int = 0,
) -> Comparison:
    """Compare movies side by side; the first is the reference the others are tested against.

    Parameters
    ----------
    store:
        Where the reviews and their analysis live.
    movie_ids:
        Two or more ``tt`` ids; the first is the reference (the original).
    model_version:
        Whose scores to use; default the store's current model.
    group:
        The crawler group the movies come from (fills ``MovieSide.position``).
    terms:
        Distinctive terms per movie (against the others compared).
    resamples, random_state:
        For the bootstrap interval of each difference in mean rating.

    Returns
    -------
    Comparison
        Ratings, aspect balance and terms per movie, and for each movie after
        the first: Mann–Whitney U, p, effect size, bootstrap interval and the
        explanation in words.

    Raises
    ------
    QueryError
        Fewer than two distinct movies, or an unknown one.

    Example
    -------
    >>> compare_movies(store, ["tt0000001", "tt0000002"])  # doctest: +SKIP
    """
    ids = list(dict.fromkeys(movie_ids))
    if len(ids) < 2:
        raise QueryError(f"a comparison needs at least two different movies, got {len(ids)}")
    version = model_version if model_version is not None else store.current_model()
    collectors = {movie_id: collect_movie(store, movie_id, version) for movie_id in ids}
    sides: list[MovieSide] = []
    for movie_id in ids:
        others = TermCounts()
        for other_id, other in collectors.items():
            if other_id != movie_id:
                others = others.merged(other.terms)
        found = weighted_log_odds(collectors[movie_id].terms, others, n=terms)
        sides.append(_side(movie_id, collectors[movie_id], store, group, found))
    reference = sides[0]
    tests = tuple(
        _pair(
            side,
            collectors[side.movie_id].ratings,
            reference,
            collectors[reference.movie_id].ratings,
            resamples=resamples,
            random_state=random_state,
        )
        for side in sides[1:]
    )
    notes: list[str] = []
    if version is None:
        notes.append(
            "No model has scored any review yet: ratings are the given and stated ones only, "
            "and there is no aspect balance. Run `reelsense analyze`."
        )
    logger.debug("compared %d movies (group %s)", len(ids), group)
    return Comparison(tuple(sides), tests, group, version, tuple(notes))


def compare_group(
    store: Store,
    group_name: str,
    *,
    model_version: str | None = None,
    terms: int = 10,
    resamples: int = 10_000,
    random_state: int = 0,
    max_movies: int | None = None,
) -> Comparison:
    """Compare the movies of one crawler group (``Group3``): the original first, then remakes.

    Members are ordered by their position in the group (0 is the original).
    ``max_movies`` refuses larger groups (the web app bounds a request's work
    with it). Other parameters as :func:`compare_movies`.

    Raises
    ------
    QueryError
        The group has fewer than two movies (or does not exist), or more than
        ``max_movies``.

    Example
    -------
    >>> compare_group(store, "Group3")  # doctest: +SKIP
    """
    members = store.list_movies(group=group_name)
    if len(members) < 2:
        raise QueryError(
            f"group {group_name!r} has {len(members)} movie(s); a comparison needs at least two"
        )
    if max_movies is not None and len(members) > max_movies:
        raise QueryError(
            f"group {group_name!r} has {len(members)} movies; compare at most {max_movies} "
            "at a time (pick them with movies=...)"
        )
    positions = {
        m.movie_id: store.movie_stats(m.movie_id).group_positions.get(group_name, 1 << 30)
        for m in members
    }
    ordered = sorted(positions, key=lambda movie_id: (positions[movie_id], movie_id))
    return compare_movies(
        store,
        ordered,
        model_version=model_version,
        group=group_name,
        terms=terms,
        resamples=resamples,
        random_state=random_state,
    )
