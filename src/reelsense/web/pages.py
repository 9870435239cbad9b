"""The dashboard: server-rendered pages (Jinja2, autoescaped) over the same store as the API.

Movie list (search, sort, group filter), movie page (charts, quotes, terms,
disagreeing reviews, reviews), compare page (original vs remakes) and search
with highlighted hits. Review text is always escaped; highlight markers become
``<mark>`` only after the text around them has been escaped.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from reelsense.errors import ConfigError, QueryError
from reelsense.insight.compare import compare_group, compare_movies
from reelsense.store.base import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MovieSort,
    Polarity,
    SearchQuery,
)
from reelsense.web import charts
from reelsense.web.api import COMPARE_RESAMPLES, MAX_COMPARE, MAX_COMPARE_GROUP, MAX_QUERY
from reelsense.web.queries import (
    MovieFilter,
    ReviewFilter,
    movie_page,
    require_movie,
    review_page,
)
from reelsense.web.state import AppState, StateDep, StoreDep

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "MOVIES_PER_PAGE",
    "REVIEWS_PER_PAGE",
    "SEARCH_PER_PAGE",
    "highlight",
    "make_templates",
    "router",
]

MOVIES_PER_PAGE = 50
REVIEWS_PER_PAGE = 20
SEARCH_PER_PAGE = 25
MAX_PAGE_NUMBER = 2000
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
"""Pages may load nothing from anywhere but the app (vega compiles expressions: unsafe-eval)."""

SORTS: tuple[MovieSort, ...] = ("title", "year", "reviews", "rating", "imdb_rating")

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

Page = Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER)]
FormText = Annotated[str, Query(max_length=32)]


def highlight(marked: str | None) -> Markup:
    """Escape text and wrap the parts between highlight markers in ``<mark>``.

    Example
    -------
    >>> str(highlight("a <b> \\x02hit\\x03"))
    'a &lt;b&gt; <mark>hit</mark>'
    """
    if not marked:
        return Markup("")
    out: list[str] = []
    for i, part in enumerate(marked.split(HIGHLIGHT_START)):
        if i == 0:
            out.append(str(escape(part)))
            continue
        hit, _, rest = part.partition(HIGHLIGHT_END)
        out.append(f"<mark>{escape(hit)}</mark>{escape(rest)}")
    return Markup("".join(out))


def _optional_float(text: str, name: str) -> float | None:
    """A number from a form field that may be left empty (browsers send ``name=``)."""
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise QueryError(f"{name}: {text!r} is not a number") from None
    if not 0 <= value <= 10:
        raise QueryError(f"{name}: {value:g} is not a rating between 0 and 10")
    return value


def _optional_date(text: str, name: str) -> date | None:
    """A date (YYYY-MM-DD) from a form field that may be left empty."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise QueryError(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from None


def _polarity(text: str) -> Polarity | None:
    if text == "positive":
        return "positive"
    if text == "negative":
        return "negative"
    return None


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def make_templates() -> Jinja2Templates:
    """The page templates from the package, autoescaped, with the dashboard's filters."""
    env = Environment(
        loader=PackageLoader("reelsense.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["number"] = _number
    env.filters["percent"] = _percent
    return Jinja2Templates(env=env)


def _render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, context)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def _groups(state: AppState) -> list[tuple[str, int]]:
    """Every crawler group with its number of movies, by name."""
    counts = Counter(g for m in state.movies("title", False, None) for g in m.groups)
    return sorted(counts.items(), key=lambda item: (len(item[0]), item[0]))


@router.get("/", name="movies_page")
def movies_page(
    request: Request,
    state: StateDep,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: MovieSort = "reviews",
    desc: bool = True,
    group: Annotated[str, Query(max_length=64)] = "",
    min_reviews: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    page: Page = 1,
) -> HTMLResponse:
    """The movie list with a title search, sort and group filter."""
    store = state.store
    where = MovieFilter(sort, desc, group or None, min_reviews, q or None)
    offset = (page - 1) * MOVIES_PER_PAGE
    found = movie_page(state, where, limit=MOVIES_PER_PAGE, offset=offset)
    counts = store.counts()
    return _render(
        request,
        "movies.html",
        {
            "title": "Movies",
            "movies": found.items,
            "total": found.total,
            "page": page,
            "pages": max(1, -(-found.total // MOVIES_PER_PAGE)),
            "q": q,
            "sort": sort,
            "desc": desc,
            "group": group,
            "min_reviews": min_reviews,
            "sorts": SORTS,
            "groups": _groups(state),
            "counts": counts,
        },
    )


@router.get("/movies/{movie_id}", name="movie_page")
def movie_detail_page(
    request: Request,
    movie_id: Annotated[str, Path(min_length=1, max_length=64)],
    state: StateDep,
    page: Page = 1,
    min_rating: FormText = "",
    max_rating: FormText = "",
    sentiment: Annotated[str, Query(pattern="^(|positive|negative)$")] = "",
) -> HTMLResponse:
    """One movie: charts, aspects with quotes, distinctive terms, disagreements and reviews."""
    summary = require_movie(state.store, movie_id)
    where = ReviewFilter(
        _optional_float(min_rating, "min_rating"),
        _optional_float(max_rating, "max_rating"),
        True,
        _polarity(sentiment),
    )
    insight = state.insight(movie_id)
    offset = (page - 1) * REVIEWS_PER_PAGE
    reviews = review_page(state.store, movie_id, where, limit=REVIEWS_PER_PAGE, offset=offset)
    specs = {"chart-ratings": charts.rating_chart(insight)}
    if insight.years and any(y.share_positive is not None for y in insight.years):
        specs["chart-years"] = charts.years_chart(insight)
    if insight.aspects:
        specs["chart-aspects"] = charts.aspect_chart(insight)
    return _render(
        request,
        "movie.html",
        {
            "title": insight.label,
            "movie": summary,
            "insight": insight,
            "specs": specs,
            "reviews": reviews,
            "page": page,
            "pages": max(1, -(-reviews.total // REVIEWS_PER_PAGE)),
            "min_rating": where.min_rating,
            "max_rating": where.max_rating,
            "sentiment": sentiment,
        },
    )


@router.get("/compare", name="compare_page")
def compare_page(
    request: Request,
    state: StateDep,
    group: Annotated[str, Query(max_length=64)] = "",
    movies: Annotated[
        list[Annotated[str, Query(max_length=64)]] | None, Query(max_length=MAX_COMPARE)
    ] = None,
) -> HTMLResponse:
    """Movies side by side: an original and its remakes (``?group=``) or any ``?movies=``."""
    store = state.store
    chosen = [m for m in (movies or []) if m.strip()]
    comparison = None
    if group and chosen:
        raise ConfigError("give either a group or movies to compare, not both")
    if group:
        comparison = compare_group(
            store, group, resamples=COMPARE_RESAMPLES, max_movies=MAX_COMPARE_GROUP
        )
    elif chosen:
        for movie_id in chosen:
            require_movie(store, movie_id)
        comparison = compare_movies(store, chosen, resamples=COMPARE_RESAMPLES)
    specs = {}
    if comparison is not None:
        specs["chart-compare-ratings"] = charts.compare_ratings_chart(comparison)
        if any(a.share_positive is not None for s in comparison.movies for a in s.aspects):
            specs["chart-compare-aspects"] = charts.compare_aspects_chart(comparison)
    groups = [(name, n) for name, n in _groups(state) if n >= 2]
    return _render(
        request,
        "compare.html",
        {
            "title": "Compare" if comparison is None else "Compare " + (group or "movies"),
            "comparison": comparison,
            "specs": specs,
            "group": group,
            "groups": groups,
        },
    )


@router.get("/search", name="search_page")
def search_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    movie: Annotated[str, Query(max_length=64)] = "",
    min_rating: FormText = "",
    max_rating: FormText = "",
    sentiment: Annotated[str, Query(pattern="^(|positive|negative)$")] = "",
    since: FormText = "",
    until: FormText = "",
    page: Page = 1,
) -> HTMLResponse:
    """Full-text search with filters; matched terms are highlighted."""
    where = ReviewFilter(
        _optional_float(min_rating, "min_rating"),
        _optional_float(max_rating, "max_rating"),
        True,
        _polarity(sentiment),
        _optional_date(since, "since"),
        _optional_date(until, "until"),
    )
    where.check()
    hits = []
    if q.strip():
        hits = store.search(
            SearchQuery(
                text=q,
                movie=movie or None,
                min_rating=where.min_rating,
                max_rating=where.max_rating,
                since=where.since,
                until=where.until,
                limit=SEARCH_PER_PAGE + 1,
                offset=(page - 1) * SEARCH_PER_PAGE,
                sentiment=where.sentiment,
                filled=True,
            )
        )
    return _render(
        request,
        "search.html",
        {
            "title": f"Search: {q}" if q else "Search",
            "q": q,
            "movie": movie,
            "min_rating": where.min_rating,
            "max_rating": where.max_rating,
            "sentiment": sentiment,
            "since": where.since,
            "until": where.until,
            "hits": hits[:SEARCH_PER_PAGE],
            "more": len(hits) > SEARCH_PER_PAGE,
            "page": page,
        },
    )
