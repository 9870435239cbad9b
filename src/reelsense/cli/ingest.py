"""``reelsense ingest`` and ``reelsense problems``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from reelsense.cli.analysis import EngineName
from reelsense.cli.common import (
    DbOption,
    VerboseOption,
    cli_errors,
    opened_store,
    setup_logging,
    stderr,
    stdout,
)
from reelsense.errors import ConfigError
from reelsense.ingest import (
    DEFAULT_BATCH_SIZE,
    PARALLEL_FROM_BYTES,
    ChunkReader,
    IngestProgress,
    IngestReport,
    discover,
)
from reelsense.ingest import (
    ingest as run_ingest,
)
from reelsense.records import Problem
from reelsense.sources import IngestLimits, parse_mapping
from reelsense.sources.limits import format_size, parse_size

_DEFAULTS = IngestLimits()
_LIMITS = "Limits (against hostile or broken input)"
_DASK = "Reading on Dask"

app = typer.Typer()


@app.command()
@cli_errors
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Review files, folders and archives (.zip, .tar.gz), mixed."),
    ],
    db: DbOption = "reviews.db",
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Column mapping for CSV/JSONL/Parquet input, FIELD=COLUMN "
            "(fields: text, movie, title, year, date, user, rating, headline, review_id).",
        ),
    ] = None,
    rating_scale: Annotated[
        float | None,
        typer.Option(help="Best rating in tabular input (e.g. 5 for stars); rescaled to 1-10."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Records per transaction.")
    ] = DEFAULT_BATCH_SIZE,
    parallel: Annotated[
        bool | None,
        typer.Option(
            "--parallel/--serial",
            help="Parse in a second process while writing (default: for inputs over 20 MB).",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        EngineName | None,
        typer.Option(
            "--engine",
            help="Where inputs are parsed: local (this machine) or dask (a local Dask "
            "cluster, or --scheduler); the database is always written from here. Default: local.",
            show_default=False,
            rich_help_panel=_DASK,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); implies --engine dask. Every input "
            "path must exist on the workers under the same name (a shared file system); one "
            "a worker cannot see is reported as a problem.",
            rich_help_panel=_DASK,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes of the local Dask cluster (default: every core).",
            rich_help_panel=_DASK,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    verbose: VerboseOption = False,
    max_file_bytes: Annotated[
        str,
        typer.Option(
            help="Largest crawler file or archive member read (e.g. 64M, 1G).",
            metavar="SIZE",
            rich_help_panel=_LIMITS,
        ),
    ] = format_size(_DEFAULTS.max_file_bytes),
    max_archive_bytes: Annotated[
        str,
        typer.Option(
            help="Most uncompressed bytes read from one archive.",
            metavar="SIZE",
            rich_help_panel=_LIMITS,
        ),
    ] = format_size(_DEFAULTS.max_archive_bytes),
    max_ratio: Annotated[
        float,
        typer.Option(
            min=1,
            help="Highest compression ratio of an archive or member (a decompression bomb).",
            rich_help_panel=_LIMITS,
        ),
    ] = _DEFAULTS.max_ratio,
    max_files: Annotated[
        int,
        typer.Option(
            min=1, help="Most members per archive, or files per folder.", rich_help_panel=_LIMITS
        ),
    ] = _DEFAULTS.max_files,
    max_depth: Annotated[
        int,
        typer.Option(min=1, help="Deepest folder level walked.", rich_help_panel=_LIMITS),
    ] = _DEFAULTS.max_depth,
    max_line_bytes: Annotated[
        str,
        typer.Option(
            help="Longest line of a CSV/JSONL table.", metavar="SIZE", rich_help_panel=_LIMITS
        ),
    ] = format_size(_DEFAULTS.max_line_bytes),
    max_problems: Annotated[
        int,
        typer.Option(
            min=1,
            help="Most problems reported for one input before it is abandoned.",
            rich_help_panel=_LIMITS,
        ),
    ] = _DEFAULTS.max_problems,
) -> None:
    """Read review files, folders and archives into the database.

    Crawler XML files (also GroupN/MovieK.txt trees), the aclImdb layout
    (folder or .tar.gz) and CSV/JSONL/Parquet with --map are recognised.
    Reviews already stored are skipped, so an interrupted ingest can simply
    be run again. Every problem is printed as file:line: message and kept in
    the database (see `reelsense problems`).

    Inputs over a limit (a huge file, a decompression bomb, millions of
    members, a symlink loop or a link leading out of the folder, a FIFO)
    are reported with the option that raises the limit; the rest is read.

    With --engine dask the inputs are parsed on Dask workers and the records
    sent back here to be written; with --scheduler the workers must see the
    input paths (a shared file system).

    Exit status: 0 when everything was read cleanly, 1 when some input had
    problems or could not be read (the rest is still stored).
    """
    setup_logging(verbose)
    reader = _reader(engine, scheduler, workers, parallel)
    items = list(mapping or [])
    if rating_scale is not None:
        items.append(f"rating_scale={rating_scale}")
    column_mapping = parse_mapping(items) if mapping else None
    err = stderr()
    limits = IngestLimits(
        max_file_bytes=parse_size(max_file_bytes),
        max_archive_bytes=parse_size(max_archive_bytes),
        max_ratio=max_ratio,
        max_files=max_files,
        max_depth=max_depth,
        max_line_bytes=parse_size(max_line_bytes),
        max_problems=max_problems,
    )
    sources, unreadable = discover(paths, mapping=column_mapping, limits=limits)
    total = sum(source.size for source in sources)
    if parallel is None:
        parallel = total >= PARALLEL_FROM_BYTES and (os.cpu_count() or 1) > 1

    def show_problem(problem: Problem) -> None:
        err.print(Text(str(problem), style="yellow"), soft_wrap=True)

    with opened_store(db) as store:
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[reviews]:,} reviews"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=quiet,
            transient=True,
        )
        with progress:
            task = progress.add_task("ingest", total=total or None, reviews=0)

            def show_progress(update: IngestProgress) -> None:
                progress.update(
                    task,
                    completed=update.bytes_done,
                    reviews=update.reviews_read,
                    description=update.source.path.name[:30],
                )

            try:
                report = run_ingest(
                    sources,
                    store,
                    unreadable=unreadable,
                    batch_size=batch_size,
                    parallel=parallel,
                    on_progress=show_progress,
                    on_problem=show_problem,
                    reader=reader,
                )
            except KeyboardInterrupt:
                progress.stop()
                err.print(
                    "interrupted: every batch stored so far is kept; "
                    "run the same command again to finish."
                )
                raise typer.Exit(130) from None

    stdout().print(summary_table(report))
    if not report.clean:
        raise typer.Exit(1)


def _reader(
    name: EngineName | None, scheduler: str | None, workers: int | None, parallel: bool | None
) -> ChunkReader | None:
    """The Dask reader the options ask for, or ``None`` to read here."""
    if scheduler is not None and name is EngineName.LOCAL:
        raise ConfigError("--scheduler needs --engine dask (or no --engine)")
    if name is EngineName.DASK or scheduler is not None:
        if parallel is not None:
            raise ConfigError("--parallel/--serial choose how to read locally; not with Dask")
        from reelsense.engines.dask_ingest import DaskReader  # dask is an optional extra

        return DaskReader(scheduler=scheduler, workers=workers)
    if workers is not None:
        raise ConfigError("--workers sizes a local Dask cluster: add --engine dask")
    return None


def summary_table(report: IngestReport) -> Table:
    """The table printed at the end of an ingest."""
    table = Table(title="Ingest summary", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("inputs", f"{report.inputs:,}")
    table.add_row("files read", f"{report.files_read:,}")
    table.add_row("movies", f"{report.movies:,}")
    table.add_row("reviews read", f"{report.reviews_read:,}")
    table.add_row("reviews new", f"{report.stored.reviews_new:,}")
    table.add_row("reviews already stored", f"{report.stored.reviews_existing:,}")
    style = "yellow" if report.problems else ""
    table.add_row(Text("problems", style=style), Text(f"{report.problems:,}", style=style))
    if report.failed:
        table.add_row(Text("inputs not read", style="red"), f"{len(report.failed):,}")
    return table


@app.command()
@cli_errors
def problems(
    db: DbOption = "reviews.db",
    limit: Annotated[int | None, typer.Option(min=1, help="Show at most this many.")] = None,
) -> None:
    """List problems found in the input files by earlier ingests."""
    with opened_store(db, read_only=True) as store:
        found = store.problems(limit=limit)
    out = stdout()
    for problem in found:
        out.print(Text(str(problem)), soft_wrap=True)
    if not found:
        stderr().print("no problems recorded")
