"""``reelsense train`` and ``reelsense evaluate``: building and measuring models."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich import box
from rich.table import Table
from rich.text import Text

from reelsense.analysis.aspect_eval import evaluate_aspects
from reelsense.analysis.aspect_model import AspectModel
from reelsense.analysis.aspect_train import (
    ASPECTS_VERSION,
    DEFAULT_TRAIN_PATH,
    train_aspect_model,
)
from reelsense.analysis.comparison import SystemResult, compare_systems
from reelsense.analysis.lexicons import available_lexicons
from reelsense.analysis.persist import save
from reelsense.analysis.scoring import default_model_dir, load_model
from reelsense.analysis.train import read_rated_reviews, review_text, train_on
from reelsense.cli.analysis import ModelOption
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
from reelsense.store.base import Store

app = typer.Typer()

GOLD_PATH = Path(str(resources.files("reelsense") / "analysis" / "data" / "aspect_gold.jsonl"))
TEST_GOLD_PATH = Path(str(resources.files("reelsense") / "analysis" / "data" / "aspect_test.jsonl"))


class AspectGold(StrEnum):
    """The hand-labelled aspect files: dev (used for tuning) and the held-out test file."""

    dev = "dev"
    test = "test"


ASPECT_GOLD_PATHS = {AspectGold.dev: GOLD_PATH, AspectGold.test: TEST_GOLD_PATH}

AclImdbArgument = Annotated[
    Path | None,
    typer.Argument(
        exists=True,
        help="The aclImdb folder or aclImdb_v1.tar.gz (omit to use --db only).",
    ),
]


class Split(StrEnum):
    """aclImdb splits with labels."""

    train = "train"
    test = "test"


def rated_in_store(store: Store) -> Iterator[tuple[str, float]]:
    """(model text, given rating) of every stored review that has a given rating."""
    for item in store.iter_reviews():
        if item.review.rating is not None:
            yield review_text(item.review), item.review.rating


@app.command()
@cli_errors
def train(
    data: AclImdbArgument = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", file_okay=False, help="Model directory to write.")
    ] = Path("model"),
    from_db: Annotated[
        bool, typer.Option("--from-db", help="Also train on reviews with a given rating in --db.")
    ] = False,
    db: DbOption = "reviews.db",
    holdout: Annotated[
        float,
        typer.Option(min=0.0, max=0.5, help="Share held out (seeded) to measure before refitting."),
    ] = 0.2,
    version: Annotated[
        str | None, typer.Option(help="Model version to record (default: from the data).")
    ] = None,
    aspects: Annotated[
        bool,
        typer.Option(
            "--aspects",
            help="Train the aspect sentiment model (aspects.json + aspects.npz) instead, "
            "from aclImdb train (needs the aclImdb path).",
        ),
    ] = False,
    aspect_labels: Annotated[
        Path,
        typer.Option(
            "--aspect-labels",
            dir_okay=False,
            help="With --aspects: sentences labelled with their aspects (JSONL references "
            "into aclImdb train) to train the aspect detector on.",
        ),
    ] = DEFAULT_TRAIN_PATH,
    detector: Annotated[
        bool,
        typer.Option(
            "--detector/--no-detector",
            help="With --aspects: train the learned aspect detector (--no-detector: the "
            "term matcher alone decides which aspects a sentence is about).",
        ),
    ] = True,
    verbose: VerboseOption = False,
) -> None:
    """Train a polarity and 1-10 rating model and save it as arrays + JSON.

    Uses the aclImdb train split (the test split is never read) and/or the
    reviews in --db that have a given rating. Seeds are fixed: the same data
    gives the same model. `reelsense train ../shared/data/aclImdb_v1.tar.gz
    -o src/reelsense/models/default` rebuilds the shipped model; add
    `--aspects` to rebuild the shipped aspect model the same way.
    """
    setup_logging(verbose)
    if aspects:
        if data is None:
            raise ConfigError("--aspects needs the aclImdb path (it trains on aclImdb train)")
        with stderr().status("training the aspect model on aclImdb train…"):
            train_aspect_model(data, output, train_path=aspect_labels if detector else None)
        stdout().print(f"saved aspect model {ASPECTS_VERSION} to {output}")
        return
    if data is None and not from_db:
        raise ConfigError("nothing to train on: give an aclImdb path and/or --from-db")
    err = stderr()
    texts: list[str] = []
    ratings: list[float] = []
    sources: list[str] = []
    started = time.perf_counter()
    with err.status("reading training reviews…"):
        if data is not None:
            more_texts, more_ratings = read_rated_reviews(data, "train")
            texts += more_texts
            ratings += more_ratings
            sources.append(f"aclImdb train split ({data.name}): {len(more_texts):,} reviews")
        if from_db:
            with opened_store(db, read_only=True) as store:
                pairs = list(rated_in_store(store))
            texts += [text for text, _ in pairs]
            ratings += [rating for _, rating in pairs]
            sources.append(f"database {db}: {len(pairs):,} rated reviews")
    if len(texts) < 20:
        raise ConfigError(f"only {len(texts)} rated reviews: too few to train on")
    digest = hashlib.sha256()
    for text, rating in zip(texts, ratings, strict=True):
        digest.update(f"{rating:g}\t{text}\n".encode())
    err.print(f"training on {len(texts):,} reviews: " + "; ".join(sources))
    with err.status("fitting (holdout measurement, then the final fit)…"):
        model, metrics = train_on(texts, ratings, holdout=holdout)
    name = version or f"nblr-{digest.hexdigest()[:10]}"
    save(
        model,
        output,
        version=name,
        training_data={
            "sources": sources,
            "n_reviews": len(texts),
            "ratings_sha256": digest.hexdigest(),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "train_seconds": round(time.perf_counter() - started, 1),
        },
        metrics=metrics,
    )
    summary = ", ".join(
        f"{key} {metrics[key]:.4f}" for key in ("accuracy", "rating_mae", "ece") if key in metrics
    )
    stdout().print(
        f"saved model {name} to {output}" + (f" (holdout: {summary})" if summary else "")
    )


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def results_table(results: list[SystemResult]) -> Table:
    """Side-by-side figures of every system (MAE, exact and ±1 are on the 1-10 rating)."""
    table = Table(
        title="Evaluation (MAE, exact, ±1: the 1-10 rating)",
        title_justify="left",
        caption=results[0].name,
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        show_edge=False,
    )
    columns = ["system", "reviews", "acc", "F1", "AUC", "ECE", "MAE", "exact", "±1", "per s"]
    for column in columns:
        table.add_column(column, justify="left" if column == "system" else "right", no_wrap=True)
    for result in results:
        r = result.report
        table.add_row(
            result.name.split()[0],
            f"{r.n:,}",
            _fmt(r.accuracy, 4),
            _fmt(r.f1),
            _fmt(r.roc_auc),
            _fmt(r.ece),
            _fmt(r.rating_mae, 2),
            _fmt(r.rating_exact, 2),
            _fmt(r.rating_within_1, 2),
            f"{result.per_second:,.0f}",
        )
    return table


def detail_table(result: SystemResult) -> Table:
    """Confusion matrix and per-length buckets of the model."""
    r = result.report
    table = Table(title=f"{result.name}: by review length", title_justify="left")
    for column in ("words", "reviews", "accuracy", "rating MAE"):
        table.add_column(column, justify="right")
    for bucket in r.length_buckets:
        upper = "" if bucket.max_words is None else f"{bucket.max_words - 1}"
        mae = "–" if bucket.rating_mae is None else f"{bucket.rating_mae:.2f}"
        table.add_row(
            f"{bucket.min_words}–{upper}", f"{bucket.count:,}", f"{bucket.accuracy:.4f}", mae
        )
    (tn, fp), (fn, tp) = r.confusion
    table.caption = (
        f"confusion: true negative {tn:,}, false positive {fp:,}, "
        f"false negative {fn:,}, true positive {tp:,}"
    )
    return table


def evaluate_aspect_model(
    data: Path, model: Path | None, gold: AspectGold = AspectGold.dev
) -> None:
    """Print per-aspect precision/recall/F1 and polarity accuracy on the gold sentences."""
    aspect_model = AspectModel.load(model or default_model_dir())
    with stderr().status("reading the labelled sentences and scoring them…"):
        report = evaluate_aspects(ASPECT_GOLD_PATHS[gold], data, aspect_model)
    table = Table(
        title=f"Aspects ({gold.value} set): {report.rows:,} hand-labelled aclImdb train "
        f"sentences ({report.skipped} skipped), model {aspect_model.version}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for column in ("aspect", "gold", "precision", "recall", "F1", "polarity acc."):
        table.add_column(column, justify="left" if column == "aspect" else "right")
    rows = [*sorted(report.per_aspect.items()), ("micro (all)", report.overall)]
    for name, counts in rows:
        table.add_row(
            name,
            f"{counts.gold:,}",
            _fmt(counts.precision),
            _fmt(counts.recall),
            _fmt(counts.f1),
            _fmt(counts.polarity_accuracy),
        )
    table.caption = (
        f"polarity accuracy is over detected gold mentions labelled positive or negative; "
        f"ignoring the neutral band it is {_fmt(report.sign_accuracy)}. Targets: micro-F1 >= 0.80, "
        "polarity >= 0.85."
    )
    stdout().print(table)


@app.command()
@cli_errors
def evaluate(
    data: AclImdbArgument = None,
    split: Annotated[Split, typer.Option(help="aclImdb split to evaluate on.")] = Split.test,
    db: DbOption = "reviews.db",
    model: ModelOption = None,
    lexicons: Annotated[
        bool,
        typer.Option("--lexicons/--no-lexicons", help="Also score with VADER and TextBlob."),
    ] = True,
    aspects: Annotated[
        bool,
        typer.Option(
            "--aspects",
            help="Measure aspect detection and polarity on the hand-labelled aclImdb train "
            "sentences instead (needs the aclImdb path).",
        ),
    ] = False,
    gold: Annotated[
        AspectGold,
        typer.Option(
            help="With --aspects: the dev file (used for tuning) or the held-out test file."
        ),
    ] = AspectGold.dev,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Evaluate on N reviews only (aclImdb: a seeded random sample; --db: the first N).",
        ),
    ] = None,
) -> None:
    """Measure a model on labelled reviews, beside VADER and TextBlob when installed.

    On an aclImdb split (give its path) or, without a path, on the reviews in
    --db that have a given rating. Reviews rated 7-10 are positive and 1-4
    negative; 5-6 are left out. Prints accuracy, F1, ROC AUC, calibration
    error (ECE), rating MAE, exact and within-1 rating accuracy, the confusion
    matrix and figures by review length.
    """
    if aspects:
        if data is None:
            raise ConfigError(
                "--aspects needs the aclImdb path (the labelled sentences are from it)"
            )
        evaluate_aspect_model(data, model, gold)
        return
    loaded = load_model(model)
    scorers = available_lexicons() if lexicons else []
    err = stderr()
    with err.status("scoring…") as status:
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            status.update(f"scoring… {done:,} reviews")

        if data is not None:
            texts, ratings = read_rated_reviews(data, split.value)
            order = np.random.RandomState(0).permutation(len(texts))[:limit]
            pairs: Iterator[tuple[str, float]] = ((texts[i], ratings[i]) for i in order)
            results = compare_systems(pairs, loaded, scorers, on_batch=advance)
        else:
            with opened_store(db, read_only=True) as store:
                pairs = rated_in_store(store)
                if limit is not None:
                    pairs = (pair for i, pair in enumerate(pairs) if i < limit)
                results = compare_systems(pairs, loaded, scorers, on_batch=advance)
    out = stdout()
    out.print(results_table(results))
    out.print(detail_table(results[0]))
    if lexicons and len(scorers) < 2:
        out.print(Text("VADER/TextBlob not installed: pip install 'reelsense[compare]'", "dim"))
