"""Ingest: stream records from sources into a store in batched transactions.

Each batch is one transaction, so an interrupted ingest keeps every batch
already committed, and running it again stores only what is missing (the
store de-duplicates by :attr:`reelsense.records.Review.key`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reelsense.errors import SourceError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources import ColumnMapping, open_sources
from reelsense.sources.base import Source
from reelsense.store.base import Store, WriteResult

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000


@dataclass(slots=True)
class IngestReport:
    """What an ingest read and stored.

    ``problems`` counts problems found in this run (stored or already known);
    ``failed`` lists inputs that could not be read at all.
    """

    inputs: int = 0
    files_read: int = 0
    movie_ids: set[str] = field(default_factory=set)
    reviews_read: int = 0
    stored: WriteResult = field(default_factory=WriteResult)
    problems: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def movies(self) -> int:
        """Distinct movies seen in this run."""
        return len(self.movie_ids)

    @property
    def clean(self) -> bool:
        """True when every input was read without a problem."""
        return self.problems == 0 and not self.failed


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """A snapshot passed to the progress callback after each batch.

    ``bytes_done`` counts input bytes over all sources so far, comparable to
    the sum of :attr:`Source.size`.
    """

    source: Source
    bytes_done: int
    reviews_read: int


ProgressCallback = Callable[[IngestProgress], None]
ProblemCallback = Callable[[Problem], None]


def discover(
    paths: Iterable[Path], *, mapping: ColumnMapping | None = None
) -> tuple[list[Source], list[SourceError]]:
    """Open every path as sources without reading them; collect the ones that fail.

    A missing path or a folder without review files is returned as an error
    rather than raised, so one bad path never stops a batch.
    """
    sources: list[Source] = []
    errors: list[SourceError] = []
    for path in paths:
        try:
            sources.extend(open_sources([path], mapping=mapping))
        except SourceError as exc:
            errors.append(exc)
    return sources, errors


def ingest(
    sources: Iterable[Source],
    store: Store,
    *,
    unreadable: Sequence[SourceError] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
    on_problem: ProblemCallback | None = None,
) -> IngestReport:
    """Read every source and store its movies, reviews and problems.

    Parameters
    ----------
    sources:
        Inputs, typically from :func:`reelsense.sources.open_sources`.
    store:
        Where records are written; each batch is one transaction.
    batch_size:
        Records per transaction.
    unreadable:
        Inputs that could not even be opened (from :func:`discover`); they
        are reported and stored as problems.
    on_progress, on_problem:
        Optional callbacks for a progress bar and for reporting problems as
        they are found.

    Returns
    -------
    IngestReport
        Counts of what was read and stored.

    Example
    -------
    >>> from reelsense.store import open_store
    >>> from reelsense.sources import open_sources
    >>> sources, errors = discover([Path("Group1")])  # doctest: +SKIP
    >>> report = ingest(sources, open_store(":memory:"), unreadable=errors)  # doctest: +SKIP
    """
    report = IngestReport()
    batch: list[Record] = []

    def flush() -> None:
        if batch:
            report.stored = report.stored + store.write(batch)
            batch.clear()

    def note(problem: Problem) -> None:
        report.problems += 1
        batch.append(problem)
        if on_problem is not None:
            on_problem(problem)

    for error in unreadable:
        report.inputs += 1
        report.failed.append(str(error))
        note(Problem(error.path, error.line, error.problem))

    bytes_before = 0
    for source in sources:
        report.inputs += 1
        try:
            for record in source.records():
                if isinstance(record, Review):
                    report.reviews_read += 1
                    report.movie_ids.add(record.movie_id)
                    batch.append(record)
                elif isinstance(record, Movie):
                    report.movie_ids.add(record.movie_id)
                    batch.append(record)
                else:
                    note(record)
                if len(batch) >= batch_size:
                    flush()
                    if on_progress is not None:
                        on_progress(
                            IngestProgress(
                                source, bytes_before + source.position, report.reviews_read
                            )
                        )
        except SourceError as exc:
            logger.warning("cannot read %s", exc)
            report.failed.append(str(exc))
            note(Problem(exc.path, exc.line, exc.problem))
        flush()
        report.files_read += source.files_read
        bytes_before += source.size
        if on_progress is not None:
            on_progress(IngestProgress(source, bytes_before, report.reviews_read))
    return report
