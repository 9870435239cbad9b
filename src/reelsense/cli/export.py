"""``reelsense export``: reviews, movies, analysis or aspects as CSV, JSONL, Parquet, XLSX, XML."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from reelsense.cli.common import (
    DbOption,
    VerboseOption,
    cli_errors,
    opened_store,
    setup_logging,
    stderr,
)
from reelsense.errors import ConfigError
from reelsense.export import ExportFilters
from reelsense.export import export as run_export

app = typer.Typer()


class ExportFormat(StrEnum):
    """Values accepted by ``--format``."""

    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    xlsx = "xlsx"
    xml = "xml"


class ExportWhat(StrEnum):
    """Values accepted by ``--what``."""

    reviews = "reviews"
    movies = "movies"
    analysis = "analysis"
    aspects = "aspects"


class Sentiment(StrEnum):
    """Values accepted by ``--sentiment``."""

    positive = "positive"
    negative = "negative"


@app.command("export")
@cli_errors
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, jsonl, parquet, xlsx, or xml (crawler files)."),
    ],
    db: DbOption = "reviews.db",
    what: Annotated[
        ExportWhat, typer.Option(help="reviews, movies, analysis or aspects (one row each).")
    ] = ExportWhat.reviews,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (a folder for xml); '-' or none: stdout (csv, jsonl only).",
        ),
    ] = None,
    movie: Annotated[
        list[str] | None,
        typer.Option(help="Only this movie (tt id or title words); repeat for several."),
    ] = None,
    group: Annotated[str | None, typer.Option(help="Only movies of this crawler group.")] = None,
    min_rating: Annotated[
        float | None, typer.Option(min=0, max=10, help="Given rating at least this (1-10).")
    ] = None,
    max_rating: Annotated[
        float | None, typer.Option(min=0, max=10, help="Given rating at most this (1-10).")
    ] = None,
    filled: Annotated[
        bool,
        typer.Option(
            "--filled",
            help="Apply rating bounds to the final rating (given, else stated, else predicted).",
        ),
    ] = False,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Reviews on or after this date.")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Reviews on or before this date.")
    ] = None,
    sentiment: Annotated[
        Sentiment | None,
        typer.Option(help="Only reviews the current model reads this way."),
    ] = None,
    include_personal: Annotated[
        bool,
        typer.Option(
            "--include-personal",
            help="Include e-mail addresses found in usernames (personal data); left out otherwise.",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing file (or write into a folder).")
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Export reviews, movies, analysis rows or aspect mentions, streaming from the database.

    csv and jsonl go to stdout without -o. xml writes the crawler's own files
    (GroupN/MovieK.txt) into a folder; with --include-personal, ingesting them
    again gives the same records.
    """
    setup_logging(verbose)
    filters = ExportFilters(
        movies=tuple(movie or ()),
        group=group,
        min_rating=min_rating,
        max_rating=max_rating,
        filled=filled,
        since=since.date() if since else None,
        until=until.date() if until else None,
        sentiment=sentiment.value if sentiment is not None else None,
    )
    to_stdout = output is None or output == "-"
    if to_stdout and fmt.value not in ("csv", "jsonl"):
        raise ConfigError(f"{fmt.value} needs a file: give -o PATH")
    with opened_store(db, read_only=True) as store:
        if to_stdout:
            run_export(
                store,
                fmt.value,
                what.value,
                sys.stdout,
                filters,
                include_personal,
                force=force,
            )
            sys.stdout.flush()
            return
        assert output is not None
        with stderr().status(f"exporting {what.value} to {output}…"):
            report = run_export(
                store,
                fmt.value,
                what.value,
                Path(output),
                filters,
                include_personal,
                force=force,
            )
    where = f"{report.files:,} files in {output}" if fmt.value == "xml" else output
    noun = "reviews" if fmt.value == "xml" else f"{what.value} rows"
    stderr().print(Text(f"wrote {report.rows:,} {noun} to {where}"))
