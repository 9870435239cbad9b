"""``reelsense db``: database chores, e.g. ``reelsense db copy --from reviews.db --to postgresql://…``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reelsense.cli.common import (
    DEFAULT_DB,
    DbOption,
    VerboseOption,
    cli_errors,
    opened_store,
    setup_logging,
    stderr,
    stdout,
)
from reelsense.errors import ConfigError
from reelsense.store.copy import copy_store

app = typer.Typer(
    name="db",
    help="Database chores: copy a store between SQLite and PostgreSQL.",
    no_args_is_help=True,
)


@app.command("copy")
@cli_errors
def copy_command(
    to: Annotated[
        str,
        typer.Option(
            "--to", help="Destination: a SQLite path, sqlite:/// URL or postgresql:// URL."
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option("--from", help="Source database (default: the --db database)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    append: Annotated[
        bool, typer.Option("--append", help="Merge into a destination that already has data.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows per read and per transaction.")
    ] = 1000,
    verbose: VerboseOption = False,
) -> None:
    """Copy every movie, review, e-mail, problem, model and analysis into another database.

    Streams in batches and checks the counts at the end. The destination is
    created and migrated when needed and must be empty unless --append.
    """
    setup_logging(verbose)
    origin = source if source is not None else db
    if origin.strip() == to.strip():
        raise ConfigError(f"--from and --to name the same database: {to}")
    with opened_store(origin, read_only=True) as src, opened_store(to) as dst:
        total = src.counts().reviews
        with Progress(
            TextColumn("copying reviews"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=stderr(),
            transient=True,
        ) as progress:
            task = progress.add_task("copy", total=total)
            report = copy_store(
                src,
                dst,
                batch_size=batch_size,
                append=append,
                on_progress=lambda done: progress.update(task, completed=done),
            )
    table = Table(title=f"copied into {dst!r}", show_header=True)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name in (
        "movies",
        "groups",
        "reviews",
        "emails",
        "problems",
        "models",
        "analyses",
        "aspects",
    ):
        table.add_row(name, str(getattr(report, name)))
    stdout().print(table)
    stdout().print(
        f"counts checked: destination matches the source ({report.reviews_new} new reviews)"
    )
