"""The JSON API under ``/api/``: movies, one movie's insight and reviews, search, compare, predict.

Every route is read-only against the store. Page sizes, offsets, query
lengths, compare lists and posted texts are capped by the parameter
declarations, so an oversized request is refused with 422 before any work is
done; a URL or body too large to parse is refused earlier still (414/413, see
:mod:`reelsense.web.limits`). Dates are ``YYYY-MM-DD`` only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BeforeValidator

from reelsense.errors import ConfigError
from reelsense.insight.compare import compare_group, compare_movies
from reelsense.store.base import MovieSort, MovieSummary, Polarity, ReviewInsight, SearchQuery
from reelsense.web.queries import (
    MAX_PAGE,
    MovieFilter,
    ReviewFilter,
    marked_spans,
    movie_page,
    require_movie,
    review_page,
)
from reelsense.web.schemas import (
    ComparisonOut,
    ErrorOut,
    HitOut,
    MovieDetailOut,
    MovieInsightOut,
    MovieListOut,
    MovieOut,
    PredictIn,
    PredictionOut,
    PredictOut,
    ProblemListOut,
    ProblemOut,
    ReviewListOut,
    ReviewOut,
    SearchOut,
)
from reelsense.web.state import StateDep, StoreDep

__all__ = [
    "COMPARE_RESAMPLES",
    "MAX_COMPARE",
    "MAX_COMPARE_GROUP",
    "MAX_OFFSET",
    "MAX_QUERY",
    "MAX_SEARCH_PAGE",
    "movie_out",
    "review_out",
    "router",
]

MAX_OFFSET = 100_000
MAX_QUERY = 500
MAX_SEARCH_PAGE = 100
MAX_COMPARE = 8
MAX_COMPARE_GROUP = 20
"""Most movies of one crawler group compared in one request (each costs a bootstrap)."""
COMPARE_RESAMPLES = 2000
"""Bootstrap resamples per pair in ``/api/compare`` (the CLI uses more)."""

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorOut, "description": "A malformed query or contradictory filters."},
    404: {"model": ErrorOut, "description": "No such movie."},
    413: {"model": ErrorOut, "description": "The request body is too large."},
    414: {"model": ErrorOut, "description": "The URL is too long."},
    422: {"model": ErrorOut, "description": "A parameter is out of range or too long."},
    503: {"model": ErrorOut, "description": "The database cannot be read."},
}

router = APIRouter(prefix="/api", responses=_ERRORS)

MovieId = Annotated[str, Path(min_length=1, max_length=64, description="The movie's tt id.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
MinRating = Annotated[float | None, Query(ge=0, le=10, description="Lowest rating (1-10).")]
MaxRating = Annotated[float | None, Query(ge=0, le=10, description="Highest rating (1-10).")]
Filled = Annotated[
    bool, Query(description="Rating bounds apply to the final rating (given, else filled).")
]
SentimentQ = Annotated[Polarity | None, Query(description="Keep reviews the model scored so.")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Let only ``YYYY-MM-DD`` through: pydantic would read ``0`` as 1970-01-01 (Unix time)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Since = Annotated[IsoDate | None, Query(description="Reviews on or after this date (YYYY-MM-DD).")]
Until = Annotated[IsoDate | None, Query(description="Reviews on or before this date (YYYY-MM-DD).")]


def movie_out(summary: MovieSummary) -> MovieOut:
    """The API form of a movie summary."""
    return MovieOut(
        movie_id=summary.movie_id,
        title=summary.title,
        year=summary.year,
        imdb_rating=summary.imdb_rating,
        reviews=summary.reviews,
        rated=summary.rated,
        mean_rating=summary.mean_rating,
        groups=list(summary.groups),
    )


def review_out(item: ReviewInsight) -> ReviewOut:
    """The API form of a stored review with its analysis (no e-mail, ever)."""
    review, analysis = item.review, item.analysis
    return ReviewOut(
        review_id=item.review_id,
        movie_id=review.movie_id,
        date=review.date,
        display_name=review.display_name,
        rating=review.rating,
        stated_rating=review.stated.value if review.stated is not None else None,
        headline=review.headline,
        text=review.text,
        spoiler=review.spoiler,
        polarity=analysis.polarity if analysis else None,
        p_positive=analysis.p_positive if analysis else None,
        final_rating=analysis.final_rating if analysis else None,
        rating_source=analysis.rating_source if analysis else None,
    )


@router.get("/movies", response_model=MovieListOut, summary="List movies")
def list_movies(
    state: StateDep,
    sort: Annotated[MovieSort, Query(description="Sort key.")] = "title",
    desc: Annotated[bool, Query(description="Largest first.")] = False,
    group: Annotated[str | None, Query(max_length=64, description="A crawler group.")] = None,
    min_reviews: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    q: Annotated[str | None, Query(max_length=200, description="Title words or a tt id.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> MovieListOut:
    """Stored movies with review counts and mean given rating, sorted and filtered."""
    where = MovieFilter(sort, desc, group, min_reviews, q)
    page = movie_page(state, where, limit=limit, offset=offset)
    return MovieListOut(
        total=page.total, limit=limit, offset=offset, items=[movie_out(m) for m in page.items]
    )


@router.get("/movies/{movie_id}", response_model=MovieDetailOut, summary="One movie's insight")
def get_movie(movie_id: MovieId, state: StateDep) -> MovieDetailOut:
    """The movie and what its reviews say: ratings given and filled, polarity by year,
    aspects with quotes, distinctive terms and reviews whose rating and text disagree."""
    summary = require_movie(state.store, movie_id)
    insight = state.insight(movie_id)
    return MovieDetailOut(
        movie=movie_out(summary), insight=MovieInsightOut.model_validate(insight.to_dict())
    )


@router.get(
    "/movies/{movie_id}/reviews", response_model=ReviewListOut, summary="One movie's reviews"
)
def get_reviews(
    movie_id: MovieId,
    store: StoreDep,
    min_rating: MinRating = None,
    max_rating: MaxRating = None,
    filled: Filled = False,
    sentiment: SentimentQ = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> ReviewListOut:
    """A page of the movie's reviews in stored order, with the current model's scores."""
    where = ReviewFilter(min_rating, max_rating, filled, sentiment, since, until)
    page = review_page(store, movie_id, where, limit=limit, offset=offset)
    return ReviewListOut(
        movie_id=movie_id,
        model_version=page.model_version,
        total=page.total,
        limit=limit,
        offset=offset,
        items=[review_out(item) for item in page.items],
    )


@router.get("/search", response_model=SearchOut, summary="Full-text search")
def search(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY,
            description='Words, "a phrase", OR, -exclude, prefix*.',
        ),
    ],
    movie: Annotated[str | None, Query(max_length=64, description="A tt id.")] = None,
    min_rating: MinRating = None,
    max_rating: MaxRating = None,
    filled: Filled = False,
    sentiment: SentimentQ = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchOut:
    """Reviews matching ``q``, best first, with the matched terms located in each snippet."""
    ReviewFilter(min_rating, max_rating, filled, sentiment, since, until).check()
    query = SearchQuery(
        text=q,
        movie=movie,
        min_rating=min_rating,
        max_rating=max_rating,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
        sentiment=sentiment,
        filled=filled,
    )
    items: list[HitOut] = []
    for hit in store.search(query):
        headline, headline_spans = marked_spans(hit.headline)
        snippet, snippet_spans = marked_spans(hit.snippet)
        items.append(
            HitOut(
                review_id=hit.review_id,
                movie_id=hit.movie_id,
                title=hit.title,
                date=hit.date,
                display_name=hit.display_name,
                rating=hit.rating,
                headline=headline,
                headline_matches=headline_spans,
                snippet=snippet or "",
                snippet_matches=snippet_spans,
                rank=hit.rank,
                polarity=hit.polarity,
                p_positive=hit.p_positive,
                final_rating=hit.final_rating,
                rating_source=hit.rating_source,
            )
        )
    return SearchOut(query=q, limit=limit, offset=offset, items=items)


@router.get("/compare", response_model=ComparisonOut, summary="Compare movies")
def compare(
    store: StoreDep,
    movies: Annotated[
        list[Annotated[str, Query(max_length=64)]] | None,
        Query(
            max_length=MAX_COMPARE, description="Two or more tt ids; the first is the reference."
        ),
    ] = None,
    group: Annotated[
        str | None, Query(max_length=64, description="A crawler group: original vs remakes.")
    ] = None,
) -> ComparisonOut:
    """Movies side by side: ratings, aspect balance, distinctive terms, and for each movie
    after the first a Mann-Whitney test, effect size and bootstrap interval, in words."""
    if (movies is None) == (group is None):
        raise ConfigError("give either movies (two or more) or a group, not both or neither")
    if group is not None:
        result = compare_group(
            store, group, resamples=COMPARE_RESAMPLES, max_movies=MAX_COMPARE_GROUP
        )
    else:
        assert movies is not None
        for movie_id in movies:
            require_movie(store, movie_id)
        result = compare_movies(store, movies, resamples=COMPARE_RESAMPLES)
    return ComparisonOut.model_validate(result.to_dict())


@router.post("/predict", response_model=PredictOut, summary="Score posted texts")
def predict(body: PredictIn, state: StateDep) -> PredictOut:
    """Polarity, P(positive), a 1-10 rating and its confidence for each posted text."""
    model = state.model()
    items = [
        PredictionOut(
            polarity=p.polarity,
            p_positive=p.p_positive,
            rating=p.rating,
            confidence=p.rating_confidence,
        )
        for p in model.predict(body.texts)
    ]
    return PredictOut(model_version=model.version_, items=items)


@router.get("/problems", response_model=ProblemListOut, summary="Input problems")
def problems(store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> ProblemListOut:
    """Problems found in input files by earlier ingests, oldest first."""
    found = store.problems(limit=limit)
    return ProblemListOut(
        limit=limit,
        items=[
            ProblemOut(source_file=p.source_file, line=p.line, message=p.message) for p in found
        ],
    )
