"""Ingest on Dask: sources read on the workers, records written by the client.

Inputs are discovered on the client (:func:`reelsense.ingest.discover`, with
the limits); each source is read on a Dask worker into chunks of about
``batch_size`` records, exactly as the local reader cuts them, and the chunks
come back to the client, which writes them with :func:`reelsense.ingest.ingest`'s
own write path (same transactions, counts, problems and progress).

How the reading is spread
-------------------------
A source (a file, an archive, an aclImdb folder) is a stream that cannot be
split or resumed, and an archive can hold gigabytes, so a task that returns a
whole source would hold it all in memory. Instead one :class:`_SourceReader`
*actor* lives on every worker and keeps the open record stream of each source
it was given: ``start`` opens a source and returns its first chunk, ``next``
the following one. The client keeps at most ``in_flight`` sources per worker
open, asks for one chunk at a time per source (the next one is requested as
soon as a chunk arrives, so a worker parses while the client writes) and hands
chunks to the writer in source order, so the store gets the same rows, ids and
transactions as a local ingest. Memory is bounded by one chunk per open source
on each side, whatever the corpus size.

Paths on the workers
--------------------
Workers open the paths the client discovered. A ``LocalCluster`` (the
default) shares this machine's file system; with ``--scheduler`` every input
must be on a file system the workers see under the same path (NFS, a cluster
file system). An input a worker cannot see becomes a problem naming the
worker, and the batch goes on.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import cast

from reelsense.engines.dask import check_cluster_options, connect
from reelsense.errors import ConfigError, SourceError
from reelsense.ingest import Chunk, read_chunks
from reelsense.sources.base import Source

# reelsense.engines.dask raises ConfigError above when dask is missing.
import distributed  # isort: skip

__all__ = ["DaskReader"]

logger = logging.getLogger(__name__)


class _SourceReader:
    """Worker-side actor: the open record streams of the sources it reads."""

    def __init__(self) -> None:
        self.streams: dict[int, Iterator[Chunk]] = {}

    def start(self, index: int, source: Source, batch_size: int) -> Chunk:
        """Open ``source`` (number ``index`` on the client) and return its first chunk."""
        if not os.path.lexists(source.path):
            # The client saw this path during discovery; the worker does not.
            worker = distributed.get_worker().address
            error = SourceError(
                str(source.path),
                None,
                f"not found on Dask worker {worker}; inputs must be on a file system "
                "every worker sees under the same path",
            )
            return Chunk(index, [], 0, 0, True, error)
        self.streams[index] = read_chunks([source], batch_size)
        return self.next(index)

    def next(self, index: int) -> Chunk:
        """The next chunk of source ``index``; its last one closes the stream."""
        chunk = next(self.streams[index])
        if chunk.last:
            del self.streams[index]
        return dataclasses.replace(chunk, source=index)


@dataclass(slots=True)
class _Open:
    """A source being read on a worker, and its chunk requested from there."""

    index: int
    slot: int
    reader: distributed.Actor
    pending: distributed.BaseActorFuture[Chunk]


class DaskReader:
    """Reads sources on the workers of a Dask cluster; pass as ``reader=`` to ``ingest``.

    Parameters
    ----------
    scheduler:
        ``None`` starts a ``LocalCluster`` for each call and closes it
        afterwards; ``"tcp://host:port"`` uses a running cluster, whose
        workers must see every input path (a shared file system).
    workers:
        Worker processes of the ``LocalCluster`` (default: every core);
        must be ``None`` with ``scheduler``.
    in_flight:
        Sources open per worker at a time; with one chunk per open source
        held on each side, this bounds memory.
    connect_timeout:
        Seconds to wait for ``scheduler``.

    Raises
    ------
    ConfigError
        Invalid or contradictory options, an unreachable scheduler, or a
        cluster without workers; dask is not installed (on import).

    Example
    -------
    >>> sources, errors = discover([Path("corpus")])  # doctest: +SKIP
    >>> ingest(sources, store, unreadable=errors, reader=DaskReader(workers=2))  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        in_flight: int = 2,
        connect_timeout: float = 10.0,
    ) -> None:
        check_cluster_options(scheduler, workers, in_flight)
        self.scheduler = scheduler
        self.workers = workers
        self.in_flight = in_flight
        self.connect_timeout = connect_timeout

    def __call__(self, sources: Sequence[Source], batch_size: int) -> Iterator[Chunk]:
        """Yield every source's chunks, in source order, read on the workers.

        Nothing to read means no cluster is started or contacted.
        """
        if not sources:
            return
        with ExitStack() as stack:
            client = connect(
                stack,
                scheduler=self.scheduler,
                workers=self.workers,
                connect_timeout=self.connect_timeout,
            )
            info = client.scheduler_info()
            addresses = sorted(info["workers"])
            if not addresses:
                raise ConfigError(f"the Dask cluster at {info.get('address', '?')} has no workers")
            # One actor per worker, pinned there, so every worker reads.
            actors = [
                cast(
                    distributed.Actor,
                    client.submit(
                        _SourceReader, actor=True, workers=[address], pure=False
                    ).result(),
                )
                for address in addresses
            ]
            logger.info("reading %d inputs on %d Dask workers", len(sources), len(actors))
            yield from self._read_window(sources, batch_size, actors)

    def _read_window(
        self, sources: Sequence[Source], batch_size: int, actors: list[distributed.Actor]
    ) -> Iterator[Chunk]:
        """Keep ``in_flight`` sources open per worker; yield chunks in source order."""
        limit = self.in_flight * len(actors)
        load = dict.fromkeys(range(len(actors)), 0)
        window: deque[_Open] = deque()
        following = 0

        def fill() -> None:
            nonlocal following
            while len(window) < limit and following < len(sources):
                slot = min(load, key=load.__getitem__)  # the least busy worker
                load[slot] += 1
                reader = actors[slot]
                pending = reader.start(following, sources[following], batch_size)
                window.append(_Open(following, slot, reader, pending))
                following += 1

        fill()
        while window:
            head = window[0]
            chunk = head.pending.result()
            if chunk.last:
                window.popleft()
                load[head.slot] -= 1
                fill()
            else:
                head.pending = head.reader.next(head.index)  # parse while we write
            yield chunk
