"""The parallel ingest: a reader process, a receiver thread and the writer."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelsense.errors import SourceError
from reelsense.ingest import _read_in_child, ingest
from reelsense.records import Movie, Record, Review
from reelsense.store import open_store


class CountingSource:
    """``count`` reviews of one movie; picklable, so it can run in the reader process."""

    def __init__(self, count: int, *, die_after: int | None = None) -> None:
        self.path = Path(f"counting-{count}")
        self.count, self.die_after = count, die_after

    size = 100
    position = 0
    files_read = 1

    def records(self) -> Iterator[Record]:
        yield Movie("tt0000001", "One")
        for index in range(self.count):
            if self.die_after is not None and index == self.die_after:
                os._exit(3)  # a reader process killed mid-way
            yield Review("tt0000001", index, f"Review number {index}.")


def test_parallel_ingest_stores_every_chunk_in_order(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    report = ingest([CountingSource(2_345)], store, batch_size=100, parallel=True)
    assert report.stored.reviews_new == 2_345
    positions = [r.review.position for r in store.iter_reviews()]
    assert positions == list(range(2_345))
    store.close()


def test_reader_process_that_dies_is_a_source_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    with pytest.raises(SourceError, match=r"stopped unexpectedly \(3\)"):
        ingest([CountingSource(1_000, die_after=250)], store, batch_size=100, parallel=True)
    # What the writer got before the reader died is stored in whole chunks of
    # 100 records (the first holds the movie and 99 reviews).
    assert store.counts().reviews in (0, 99, 199)
    store.close()


def test_stopping_early_ends_the_reader_and_the_receiver_thread() -> None:
    chunks = _read_in_child([CountingSource(50_000)], 100)
    first = next(chunks)
    assert len(first.records) == 100
    chunks.close()  # runs the generator's cleanup
    assert not [t for t in threading.enumerate() if t.name == "reelsense-ingest-receiver"]
