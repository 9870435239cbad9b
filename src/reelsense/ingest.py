"""Ingest: stream records from sources into a store in batched transactions.

Each batch is one transaction, so an interrupted ingest keeps every batch
already committed, and running it again stores only what is missing (the
store de-duplicates by :attr:`reelsense.records.Review.key`).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from pathlib import Path

from reelsense.errors import SourceError
from reelsense.lifeline import exit_with_parent
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources import ColumnMapping, open_sources
from reelsense.sources.base import Source
from reelsense.sources.limits import IngestLimits
from reelsense.store.base import Store, WriteResult

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
PARALLEL_FROM_BYTES = 20_000_000
"""Inputs at least this large are parsed in a second process by default."""
# Chunks waiting between the reader process and the writer: bounds memory.
_QUEUE_CHUNKS = 1
# Chunks already unpickled by the receiver thread, waiting for the writer.
_RECEIVED_CHUNKS = 1
# How often blocked queue calls look at the reader process and the stop flag.
_POLL_SECONDS = 0.2


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
    paths: Iterable[Path],
    *,
    mapping: ColumnMapping | None = None,
    limits: IngestLimits | None = None,
) -> tuple[list[Source], list[SourceError]]:
    """Open every path as sources without reading them; collect the ones that fail.

    A missing path or a folder without review files is returned as an error
    rather than raised, so one bad path never stops a batch. ``limits``
    (default :class:`IngestLimits`) go to every source.
    """
    sources: list[Source] = []
    errors: list[SourceError] = []
    for path in paths:
        try:
            sources.extend(open_sources([path], mapping=mapping, limits=limits))
        except SourceError as exc:
            errors.append(exc)
    return sources, errors


@dataclass(frozen=True, slots=True)
class Chunk:
    """Records read from one source, passed from the reader to the writer."""

    source: int
    records: list[Record]
    position: int
    files_read: int
    last: bool = False
    error: SourceError | None = None


ChunkReader = Callable[[Sequence[Source], int], Iterable[Chunk]]
"""Reads ``sources`` in chunks of about ``batch_size`` records for :func:`ingest`.

Chunks must come in source order, each source ending with one ``last``
chunk, as :func:`read_chunks` yields them (``reader=`` of :func:`ingest`;
the Dask engine reads on its workers this way).
"""


def read_chunks(sources: Sequence[Source], batch_size: int) -> Iterator[Chunk]:
    """Read every source in order, in chunks of about ``batch_size`` records."""
    for index, source in enumerate(sources):
        records: list[Record] = []
        try:
            for record in source.records():
                records.append(record)
                if len(records) >= batch_size:
                    yield Chunk(index, records, source.position, source.files_read)
                    records = []
        except SourceError as exc:
            yield Chunk(index, records, source.size, source.files_read, True, exc)
            continue
        yield Chunk(index, records, source.size, source.files_read, True)


def _reader_main(
    sources: Sequence[Source], batch_size: int, out: multiprocessing.Queue[Chunk | None]
) -> None:
    """Body of the reader process: parse sources, hand chunks to the writer."""
    exit_with_parent()  # else a killed ingest leaves this blocked on a full queue
    for chunk in read_chunks(sources, batch_size):
        out.put(chunk)
    out.put(None)


def _read_in_child(sources: Sequence[Source], batch_size: int) -> Iterator[Chunk]:
    """Run :func:`read_chunks` in another process so parsing overlaps writing.

    A thread of this process receives (unpickles) the next chunk while the
    caller writes the current one: SQLite releases the GIL while it works,
    so the unpickling, about a tenth of the writer's time, leaves the
    critical path.
    """
    context = multiprocessing.get_context("spawn")
    chunks: multiprocessing.Queue[Chunk | None] = context.Queue(maxsize=_QUEUE_CHUNKS)
    reader: SpawnProcess = context.Process(
        target=_reader_main, args=(sources, batch_size, chunks), daemon=True
    )
    reader.start()
    received: queue.Queue[Chunk | BaseException | None] = queue.Queue()
    # Taken before a chunk is fetched, given back when the writer takes one:
    # at most this many chunks wait unpickled beside the one being written.
    slots = threading.Semaphore(_RECEIVED_CHUNKS)
    stop = threading.Event()
    receiver = threading.Thread(
        target=_receive,
        args=(reader, chunks, received, slots, stop),
        name="reelsense-ingest-receiver",
        daemon=True,
    )
    receiver.start()
    try:
        while True:
            item = received.get()
            slots.release()
            if isinstance(item, BaseException):
                raise item
            if item is None:
                break
            yield item
    finally:
        stop.set()
        receiver.join()
        if reader.is_alive():
            reader.terminate()
        reader.join()
        chunks.close()


def _receive(
    reader: SpawnProcess,
    chunks: multiprocessing.Queue[Chunk | None],
    received: queue.Queue[Chunk | BaseException | None],
    slots: threading.Semaphore,
    stop: threading.Event,
) -> None:
    """Body of the receiver thread: move chunks from the reader process to ``received``.

    Ends after passing on the final ``None`` or an exception (a reader that
    died is a :class:`SourceError`), or as soon as ``stop`` is set.
    """
    item: Chunk | BaseException | None
    while not stop.is_set():
        if not slots.acquire(timeout=_POLL_SECONDS):
            continue
        try:
            item = chunks.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if reader.is_alive():
                slots.release()
                continue
            item = SourceError(
                "<reader process>", None, f"stopped unexpectedly ({reader.exitcode})"
            )
        except BaseException as exc:  # handed to the writer, which raises it
            item = exc
        received.put(item)
        if not isinstance(item, Chunk):
            return


def ingest(
    sources: Iterable[Source],
    store: Store,
    *,
    unreadable: Sequence[SourceError] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    parallel: bool = False,
    on_progress: ProgressCallback | None = None,
    on_problem: ProblemCallback | None = None,
    reader: ChunkReader | None = None,
) -> IngestReport:
    """Read every source and store its movies, reviews and problems.

    Parameters
    ----------
    sources:
        Inputs, typically from :func:`discover`.
    store:
        Where records are written; each batch is one transaction.
    unreadable:
        Inputs that could not even be opened (from :func:`discover`); they
        are reported and stored as problems.
    batch_size:
        Records per transaction.
    parallel:
        Parse in a second process while this one writes (faster on two or
        more cores for large inputs; the sources must be picklable).
    on_progress, on_problem:
        Optional callbacks for a progress bar and for reporting problems as
        they are found.
    reader:
        Reads the sources elsewhere, e.g. on Dask workers
        (:class:`reelsense.engines.dask_ingest.DaskReader`); overrides
        ``parallel``. Writing stays here, unchanged.

    Returns
    -------
    IngestReport
        Counts of what was read and stored.

    Example
    -------
    >>> from reelsense.store import open_store
    >>> sources, errors = discover([Path("Group1")])  # doctest: +SKIP
    >>> report = ingest(sources, open_store(":memory:"), unreadable=errors)  # doctest: +SKIP
    """
    sources = list(sources)
    report = IngestReport(inputs=len(sources) + len(unreadable))
    failures: list[Record] = [Problem(e.path, e.line, e.problem) for e in unreadable]
    report.failed.extend(str(e) for e in unreadable)
    if reader is not None:
        chunks: Iterable[Chunk] = reader(sources, batch_size)
    elif parallel:
        chunks = _read_in_child(sources, batch_size)
    else:
        chunks = read_chunks(sources, batch_size)
    with store.bulk_load():
        _store_all(chunks, sources, store, report, failures, on_progress, on_problem)
    return report


def _store_all(
    chunks: Iterable[Chunk],
    sources: Sequence[Source],
    store: Store,
    report: IngestReport,
    failures: list[Record],
    on_progress: ProgressCallback | None,
    on_problem: ProblemCallback | None,
) -> None:
    """Write every chunk as it arrives, counting into ``report``."""
    bytes_before = 0
    if failures:
        _store_chunk(Chunk(-1, list(failures), 0, 0), store, report, on_problem)
    for chunk in chunks:
        if chunk.error is not None:
            logger.warning("cannot read %s", chunk.error)
            report.failed.append(str(chunk.error))
            error = chunk.error
            chunk.records.append(Problem(error.path, error.line, error.problem))
        _store_chunk(chunk, store, report, on_problem)
        source = sources[chunk.source]
        if chunk.last:
            report.files_read += chunk.files_read
            bytes_before += source.size
        if on_progress is not None:
            done = bytes_before if chunk.last else bytes_before + chunk.position
            on_progress(IngestProgress(source, done, report.reviews_read))


def _store_chunk(
    chunk: Chunk, store: Store, report: IngestReport, on_problem: ProblemCallback | None
) -> None:
    """Write one chunk in one transaction and count what it held."""
    for record in chunk.records:
        if isinstance(record, Review):
            report.reviews_read += 1
            report.movie_ids.add(record.movie_id)
        elif isinstance(record, Movie):
            report.movie_ids.add(record.movie_id)
        else:
            report.problems += 1
            if on_problem is not None:
                on_problem(record)
    if chunk.records:
        report.stored = report.stored + store.write(chunk.records)
