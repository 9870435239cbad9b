"""``reelsense analyze`` and ``reelsense predict``: scoring reviews with a model."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from reelsense.analysis.model import SentimentModel
from reelsense.analysis.scoring import default_model_dir, load_model
from reelsense.analyze import analyze as run_analyze
from reelsense.cli.common import (
    DbOption,
    VerboseOption,
    cli_errors,
    opened_store,
    setup_logging,
    stderr,
    stdout,
)
from reelsense.engines.base import Engine
from reelsense.engines.local import LocalEngine
from reelsense.errors import ConfigError, SourceError

app = typer.Typer()

ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        exists=True,
        file_okay=False,
        help="Model directory (default: the model shipped with reelsense).",
    ),
]
PREDICT_BATCH = 1000


class EngineName(StrEnum):
    """Where ``analyze`` scores reviews."""

    LOCAL = "local"
    DASK = "dask"


def _engine(
    name: EngineName | None,
    scheduler: str | None,
    model_dir: Path,
    workers: int | None,
    aspects: bool,
) -> Engine:
    """The engine the options ask for; ``--scheduler`` implies dask."""
    if scheduler is not None and name is EngineName.LOCAL:
        raise ConfigError("--scheduler needs --engine dask (or no --engine)")
    if name is EngineName.DASK or scheduler is not None:
        from reelsense.engines.dask import DaskEngine  # dask is an optional extra

        return DaskEngine(model_dir, aspects=aspects, scheduler=scheduler, workers=workers)
    return LocalEngine(model_dir, aspects=aspects, workers=workers)


@app.command()
@cli_errors
def analyze(
    db: DbOption = "reviews.db",
    model: ModelOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Worker processes, local or on a local Dask cluster (default: every core)."
        ),
    ] = None,
    engine: Annotated[
        EngineName | None,
        typer.Option(
            "--engine",
            help="Where scoring runs: local (this machine's processes) or dask "
            "(a local Dask cluster, or --scheduler). Default: local.",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786): score on that cluster; implies "
            "--engine dask. Workers need reelsense installed; the model is sent to them.",
        ),
    ] = None,
    aspects: Annotated[
        bool,
        typer.Option(
            "--aspects/--no-aspects",
            help="Aspect sentiment too (what audiences say about acting, story, music...). "
            "--no-aspects scores polarity and ratings only, about ten times faster; the "
            "results are kept under their own model version.",
        ),
    ] = True,
    batch_size: Annotated[int, typer.Option(min=1, help="Reviews per batch.")] = 2000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Score every review not yet scored by the current model.

    Writes polarity, its probability, the predicted 1-10 rating and the final
    rating with its source (given > stated in the text > predicted), and the
    aspects each sentence talks about with their polarity. Batches are
    committed as they finish: an interrupted run keeps its work, and running it
    again scores only the rest.
    """
    setup_logging(verbose)
    scorer = _engine(engine, scheduler, model or default_model_dir(), workers, aspects)
    err = stderr()
    progress = Progress(
        TextColumn("[bold]analyze"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
        transient=True,
        # Redrawn per batch, not by Rich's refresh thread: a single-threaded process
        # may fork its scoring workers (sharing the loaded model) instead of spawning.
        auto_refresh=False,
    )
    with opened_store(db) as store, progress:
        task = progress.add_task("analyze", total=None, rate="")

        def started(todo: int) -> None:
            progress.update(task, total=todo, refresh=True)

        def batch_done(n: int) -> None:
            progress.advance(task, n)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:,.0f} reviews/s" if speed else "", refresh=True)

        try:
            report = run_analyze(
                store, scorer, batch_size=batch_size, on_start=started, on_batch=batch_done
            )
        except KeyboardInterrupt:
            progress.stop()
            err.print("interrupted: scored batches are kept; run again to finish.")
            raise typer.Exit(130) from None
    stdout().print(
        f"scored {report.scored:,} reviews with {report.model_version} "
        f"({report.per_second:,.0f} reviews/s); {report.already_scored:,} were already scored"
    )


def _texts_from(handle: TextIO, name: str) -> Iterator[str]:
    """Texts from JSON Lines: one ``{"text": ...}`` object per line."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(name, number, f"not valid JSON: {exc.msg}") from exc
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise SourceError(name, number, 'expected an object with a "text" string')
        yield item["text"]


def _batches(texts: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@app.command()
@cli_errors
def predict(
    text: Annotated[str | None, typer.Argument(help="A review text to score.")] = None,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            allow_dash=True,
            help='JSON Lines file with one {"text": ...} per line; - reads standard input.',
        ),
    ] = None,
    model: ModelOption = None,
    db: DbOption = "reviews.db",
) -> None:
    """Score texts and print one JSON object per text, in input order.

    Each object has polarity, p_positive, rating (1-10), confidence (the
    model's probability that the true rating is within 1 of it) and
    model_version. The database is not used.
    """
    if (text is None) == (input_file is None):
        raise ConfigError("give either a TEXT or --input FILE (one of them)")
    loaded = load_model(model)
    out = sys.stdout
    with ExitStack() as stack:
        if text is not None:
            texts: Iterator[str] = iter([text])
        elif str(input_file) == "-":
            texts = _texts_from(sys.stdin, "<stdin>")
        else:
            assert input_file is not None
            if not input_file.is_file():
                raise SourceError(str(input_file), None, "no such file")
            handle = stack.enter_context(input_file.open(encoding="utf-8", errors="replace"))
            texts = _texts_from(handle, str(input_file))
        _write_predictions(loaded, texts, out)


def _write_predictions(model: SentimentModel, texts: Iterator[str], out: TextIO) -> None:
    for batch in _batches(texts, PREDICT_BATCH):
        for prediction in model.predict(batch):
            out.write(
                json.dumps(
                    {
                        "polarity": prediction.polarity,
                        "p_positive": round(prediction.p_positive, 4),
                        "rating": prediction.rating,
                        "confidence": round(prediction.rating_confidence, 4),
                        "model_version": model.version_,
                    }
                )
                + "\n"
            )
    out.flush()
