"""``reelsense compare`` and ``reelsense report``: films side by side, and HTML reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reelsense.cli.browse import resolve_movie
from reelsense.cli.common import DbOption, cli_errors, opened_store, stderr, stdout
from reelsense.cli.insight_views import comparison_renderables
from reelsense.errors import ConfigError
from reelsense.export.report import write_report
from reelsense.insight.compare import compare_group, compare_movies

app = typer.Typer()

MoviesArgument = Annotated[
    list[str] | None,
    typer.Argument(help="Movies by tt id or title words; the first is the reference."),
]
GroupOption = Annotated[
    str | None,
    typer.Option(help="A crawler group (e.g. Group3): its original and remakes, in order."),
]


@app.command()
@cli_errors
def compare(
    movies: MoviesArgument = None,
    group: GroupOption = None,
    db: DbOption = "reviews.db",
) -> None:
    """Compare movies side by side: ratings, aspects, distinctive terms.

    Tests whether the difference in ratings against the first movie (the
    original, with --group) is real: Mann-Whitney U with its p-value and
    effect size, and a bootstrap 95% interval for the difference in mean
    rating, explained in plain words.
    """
    if (group is None) == (not movies):
        raise ConfigError("give two or more MOVIES, or --group NAME (one of them)")
    with opened_store(db, read_only=True) as store:
        if group is not None:
            comparison = compare_group(store, group)
        else:
            assert movies is not None
            if len(movies) < 2:
                raise ConfigError("compare needs at least two movies")
            ids = [resolve_movie(store, movie).movie_id for movie in movies]
            comparison = compare_movies(store, ids)
    out = stdout()
    for renderable in comparison_renderables(comparison):
        out.print(renderable)


@app.command()
@cli_errors
def report(
    movies: MoviesArgument = None,
    group: GroupOption = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="HTML file to write.")
    ] = Path("report.html"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    db: DbOption = "reviews.db",
) -> None:
    """Write a self-contained HTML report (charts inside, nothing loaded from the network).

    One section per movie (ratings given and filled, polarity over time,
    aspects praised and criticised with quotes, distinctive terms, reviews
    whose text disagrees with their rating) and, for several movies, their
    comparison.
    """
    if group is None and not movies:
        raise ConfigError("give MOVIES and/or --group NAME")
    if output.exists() and not force:
        raise ConfigError(f"{output} exists: pass --force to overwrite it")
    with opened_store(db, read_only=True) as store, stderr().status("writing the report…"):
        ids = [resolve_movie(store, movie).movie_id for movie in movies or []]
        written = write_report(store, output, ids, group=group)
    stdout().print(f"wrote {written}")
