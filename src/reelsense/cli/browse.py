"""``reelsense movies``, ``show`` and ``search``: looking at what is stored."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reelsense.cli.common import (
    DbOption,
    PersonalOption,
    cli_errors,
    highlighted,
    opened_store,
    stdout,
)
from reelsense.cli.insight_views import insight_renderables
from reelsense.errors import QueryError
from reelsense.insight.movie import movie_insight
from reelsense.store.base import (
    MovieSentiment,
    MovieStats,
    MovieSummary,
    SearchHit,
    SearchQuery,
    Store,
)

app = typer.Typer()


class Sentiment(StrEnum):
    """Polarity values accepted by ``--sentiment``."""

    positive = "positive"
    negative = "negative"


SinceOption = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Reviews on or after this date.")
]
UntilOption = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Reviews on or before this date.")
]
RATING_BAR_WIDTH = 40


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


@app.command()
@cli_errors
def movies(
    db: DbOption = "reviews.db",
    sort: Annotated[
        str, typer.Option(help="Sort by title, year, reviews, rating or imdb_rating.")
    ] = "title",
    desc: Annotated[bool, typer.Option("--desc", help="Largest first.")] = False,
    group: Annotated[str | None, typer.Option(help="Only movies of this crawler group.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Show at most this many.")] = None,
) -> None:
    """List stored movies with review counts and mean given rating."""
    if sort not in ("title", "year", "reviews", "rating", "imdb_rating"):
        raise QueryError(
            f"cannot sort by {sort!r}: use title, year, reviews, rating or imdb_rating"
        )
    with opened_store(db, read_only=True) as store:
        found = store.list_movies(
            sort=sort,  # type: ignore[arg-type]
            descending=desc,
            group=group,
            limit=limit,
        )
    table = Table(title=f"{len(found):,} movies", title_justify="left")
    table.add_column("id")
    table.add_column("title")
    table.add_column("year", justify="right")
    table.add_column("IMDb", justify="right")
    table.add_column("reviews", justify="right")
    table.add_column("mean given", justify="right")
    table.add_column("group")
    for movie in found:
        table.add_row(
            movie.movie_id,
            Text(movie.title or "?"),
            str(movie.year or "–"),
            _num(movie.imdb_rating),
            f"{movie.reviews:,}",
            _num(movie.mean_rating),
            ", ".join(movie.groups),
        )
    stdout().print(table)


def resolve_movie(store: Store, query: str) -> MovieSummary:
    """One movie by tt id or title words; a clear error when none or several match."""
    found = store.find_movies(query)
    if not found:
        raise QueryError(f"no movie matches {query!r}: try `reelsense movies` for the list")
    if len(found) > 1:
        exact = [m for m in found if (m.title or "").casefold() == query.casefold()]
        if len(exact) == 1:
            return exact[0]
        names = "; ".join(f"{m.movie_id} {m.title or '?'} ({m.year or '?'})" for m in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise QueryError(f"{query!r} matches {len(found)} movies: {names}{more}; give the tt id")
    return found[0]


# How each rating source is drawn in the terminal histogram.
SOURCE_BARS: dict[str, tuple[str, str]] = {
    "given": ("█", "cyan"),
    "stated": ("▓", "green"),
    "predicted": ("░", "magenta"),
}


def histogram_table(layers: dict[str, dict[int, int]]) -> Table:
    """A terminal bar chart of ratings 1..10, one stacked layer per rating source."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column("rating", justify="right")
    table.add_column("bar")
    table.add_column("count", justify="right")
    totals = {r: sum(layer.get(r, 0) for layer in layers.values()) for r in range(1, 11)}
    peak = max(totals.values(), default=0) or 1
    for rating in range(10, 0, -1):
        bar = Text()
        for source, layer in layers.items():
            char, style = SOURCE_BARS[source]
            bar.append(char * round(RATING_BAR_WIDTH * layer.get(rating, 0) / peak), style=style)
        given = layers["given"].get(rating, 0)
        filled = totals[rating] - given
        table.add_row(str(rating), bar, f"{given:,}" + (f" +{filled:,} filled" if filled else ""))
    return table


def sentiment_rows(facts: Table, sentiment: MovieSentiment) -> None:
    """Add the model's view of a movie to the facts table."""
    if not sentiment.analyzed:
        facts.add_row("model", f"{sentiment.model_version}: not run on this movie yet")
        return
    share = sentiment.positive / sentiment.analyzed
    facts.add_row(
        "text sentiment",
        f"{sentiment.positive:,} positive, {sentiment.negative:,} negative "
        f"({share:.0%} positive; model {sentiment.model_version})",
    )
    filled = sentiment.histograms
    stated, predicted = sum(filled["stated"].values()), sum(filled["predicted"].values())
    facts.add_row(
        "filled ratings", f"{stated:,} stated in the text, {predicted:,} predicted by the model"
    )


def stats_panel(stats: MovieStats, sentiment: MovieSentiment | None = None) -> Panel:
    """The body of ``reelsense show``; with a sentiment, filled ratings are drawn too."""
    movie = stats.summary
    share_unrated = stats.unrated / movie.reviews if movie.reviews else 0.0
    facts = Table(show_header=False, box=None, padding=(0, 1))
    facts.add_column("what", style="bold")
    facts.add_column("value")
    facts.add_row("IMDb id", movie.movie_id)
    facts.add_row("IMDb rating", _num(movie.imdb_rating))
    facts.add_row("reviews", f"{movie.reviews:,}")
    facts.add_row("mean given rating", _num(movie.mean_rating, 2))
    stated = f"{stats.unrated_with_stated:,} state one in the text"
    facts.add_row("no given rating", f"{stats.unrated:,} ({share_unrated:.0%}), {stated}")
    facts.add_row("spoiler warnings", f"{stats.spoilers:,}")
    first = stats.first_date.isoformat() if stats.first_date else "–"
    last = stats.last_date.isoformat() if stats.last_date else "–"
    facts.add_row("dates", f"{first} … {last}")
    if stats.group_positions:
        where = ", ".join(
            f"{group} ({'original' if pos == 0 else f'remake {pos}'})"
            for group, pos in sorted(stats.group_positions.items())
        )
        facts.add_row("groups", where)
    layers: dict[str, dict[int, int]] = {"given": stats.histogram}
    legend = Text("\nGiven ratings", style="bold")
    if sentiment is not None:
        sentiment_rows(facts, sentiment)
        if sentiment.analyzed:
            layers["stated"] = sentiment.histograms["stated"]
            layers["predicted"] = sentiment.histograms["predicted"]
            legend = Text("\nRatings: ", style="bold")
            for source, (char, style) in SOURCE_BARS.items():
                legend.append(f"{char} {source}  ", style=style)
    title = Text(f"{movie.title or '?'} ({movie.year or '?'})", style="bold")
    body = Group(facts, legend, histogram_table(layers))
    return Panel(body, title=title, title_align="left")


@app.command()
@cli_errors
def show(
    movie: Annotated[str, typer.Argument(help="An IMDb tt id or words of the title.")],
    db: DbOption = "reviews.db",
) -> None:
    """Summarise one movie: counts, ratings given and filled, what reviewers praise and criticise.

    Also shows polarity over the years, terms distinctive to this film, and
    reviews whose text disagrees with their rating (after `reelsense analyze`).
    """
    with opened_store(db, read_only=True) as store:
        found = resolve_movie(store, movie)
        stats = store.movie_stats(found.movie_id)
        version = store.current_model()
        sentiment = store.movie_sentiment(found.movie_id, version) if version else None
        insight = movie_insight(store, found.movie_id, model_version=version)
    out = stdout()
    out.print(stats_panel(stats, sentiment))
    for renderable in insight_renderables(insight):
        out.print(renderable)


def hit_panel(hit: SearchHit, include_personal: bool) -> Panel:
    """One search result, matches highlighted."""
    who = hit.display_name or "anonymous"
    if include_personal and hit.email:
        who = f"{who} <{hit.email}>"
    meta = Text(
        f"{hit.title or hit.movie_id} · {hit.date or 'no date'} · {who} · {rating_label(hit)}",
        style="dim",
    )
    parts: list[Text] = [meta]
    if hit.headline:
        headline = highlighted(hit.headline)
        headline.stylize("bold")
        parts.append(headline)
    parts.append(highlighted(hit.snippet))
    return Panel(Group(*parts), title=f"#{hit.review_id}", title_align="left")


def rating_label(hit: SearchHit) -> str:
    """The rating of a hit, marking a filled-in one as stated or predicted."""
    parts = []
    if hit.rating is not None:
        parts.append(f"rating {_num(hit.rating)}")
    elif hit.final_rating is not None:
        parts.append(f"rating {_num(hit.final_rating)} ({hit.rating_source}, not given)")
    else:
        parts.append("no rating")
    if hit.polarity is not None and hit.p_positive is not None:
        confidence = hit.p_positive if hit.polarity == "positive" else 1 - hit.p_positive
        parts.append(f"text {hit.polarity} ({confidence:.0%})")
    return " · ".join(parts)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@app.command()
@cli_errors
def search(
    query: Annotated[
        str,
        typer.Argument(
            help='Words (all must match), "a phrase", OR, -exclude, prefix*.',
        ),
    ],
    db: DbOption = "reviews.db",
    movie: Annotated[str | None, typer.Option(help="Only this movie (tt id or title).")] = None,
    min_rating: Annotated[
        float | None, typer.Option(min=1, max=10, help="Given rating at least this (1-10).")
    ] = None,
    max_rating: Annotated[
        float | None, typer.Option(min=1, max=10, help="Given rating at most this (1-10).")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Show at most this many.")] = 10,
    sentiment: Annotated[
        Sentiment | None,
        typer.Option(help="Only reviews whose text the current model reads this way."),
    ] = None,
    filled: Annotated[
        bool,
        typer.Option(
            "--filled",
            help="Apply rating bounds to filled-in ratings too (stated in the text or predicted).",
        ),
    ] = False,
    include_personal: PersonalOption = False,
) -> None:
    """Full-text search over review headlines and texts, best matches first."""
    with opened_store(db, read_only=True) as store:
        movie_id = resolve_movie(store, movie).movie_id if movie else None
        hits = store.search(
            SearchQuery(
                text=query,
                movie=movie_id,
                min_rating=min_rating,
                max_rating=max_rating,
                since=_day(since),
                until=_day(until),
                limit=limit,
                sentiment=sentiment.value if sentiment is not None else None,
                filled=filled,
            ),
            include_personal=include_personal,
        )
    out = stdout()
    for hit in hits:
        out.print(hit_panel(hit, include_personal))
    out.print(Text(f"{len(hits)} result{'s' if len(hits) != 1 else ''}", style="dim"))
