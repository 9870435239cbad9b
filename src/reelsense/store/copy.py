"""Copying one store into another: SQLite ↔ PostgreSQL, or SQLite → SQLite.

Everything is streamed in batches (movies with their groups, reviews with
their e-mails, problems, models, analysis rows and aspect mentions), so
memory stays flat however large the database. Review ids are assigned by
the destination; analysis rows follow their review by its key. At the end
the destination's counts are compared with the source's, and a mismatch is
a :class:`~reelsense.errors.StoreError`.

Timestamps (``registered_at``, ``analyzed_at``, ``recorded_at``) are those of
the copy; the order of model registrations, hence the current model, is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from itertools import islice
from typing import TypeVar

from reelsense.errors import ConfigError, StoreError
from reelsense.records import Review
from reelsense.store.base import Store, StoredReview

__all__ = ["CopyReport", "copy_store"]

log = logging.getLogger(__name__)

T = TypeVar("T")
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What the destination holds after a copy (all checked against the source)."""

    movies: int
    reviews: int
    rated: int
    emails: int
    problems: int
    groups: int
    models: int
    analyses: int
    aspects: int
    reviews_new: int


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _totals(store: Store) -> dict[str, int]:
    return {**asdict(store.counts()), **asdict(store.analysis_counts())}


def copy_store(
    source: Store,
    destination: Store,
    *,
    batch_size: int = 1000,
    append: bool = False,
    on_progress: ProgressCallback | None = None,
) -> CopyReport:
    """Copy every movie, review, problem, model and analysis from ``source`` to ``destination``.

    Parameters
    ----------
    source, destination:
        Open stores of any backend (they must be different databases).
    batch_size:
        Rows read and written per transaction.
    append:
        Allow a destination that already holds data: reviews it has (same
        key) are kept, their analysis rows from the source replace its own.
        Without it, a non-empty destination is refused.
    on_progress:
        Called with the number of reviews copied after each batch.

    Returns
    -------
    CopyReport
        The destination's totals after the copy.

    Raises
    ------
    ConfigError
        ``batch_size`` below 1.
    StoreError
        A non-empty destination without ``append``, or counts that do not
        match at the end (the copy is incomplete).

    Example
    -------
    >>> from reelsense.store import SQLiteStore
    >>> copy_store(SQLiteStore(":memory:"), SQLiteStore(":memory:")).reviews
    0
    """
    if batch_size < 1:
        raise ConfigError(f"batch_size must be 1 or more, not {batch_size}")
    expected = _totals(source)
    before = _totals(destination)
    if not append and any(before.values()):
        raise StoreError(
            f"{destination!r}: the destination is not empty "
            f"({before['reviews']} reviews, {before['movies']} movies); "
            "copy into an empty database or pass --append to merge"
        )
    for model in source.models():
        destination.register_model(model.version, model.metadata_json)
    for movies in _batches(source.iter_movies(batch_size=batch_size), batch_size):
        destination.write(movies)
    reviews_new = 0
    done = 0
    for batch in _batches(
        source.iter_reviews(include_personal=True, batch_size=batch_size), batch_size
    ):
        reviews_new += destination.write([item.review for item in batch]).reviews_new
        _copy_analysis(source, destination, batch)
        done += len(batch)
        if on_progress is not None:
            on_progress(done)
    for problems in _batches(source.iter_problems(batch_size=batch_size), batch_size):
        destination.write(problems)
    after = _totals(destination)
    _check(expected, before, after, append=append, label=repr(destination))
    log.info("copied %d reviews (%d new) into %r", done, reviews_new, destination)
    return CopyReport(**after, reviews_new=reviews_new)


def _copy_analysis(source: Store, destination: Store, batch: list[StoredReview]) -> None:
    analyses, aspects = source.analysis_for([item.review_id for item in batch])
    if not analyses and not aspects:
        return
    keys = {item.review_id: _key(item.review) for item in batch}
    ids = destination.review_ids(list(keys.values()))
    lost = [key for key in keys.values() if key not in ids]
    if lost:
        raise StoreError(
            f"{destination!r}: copy is incomplete: {len(lost)} reviews are missing after writing"
        )
    destination.write_analysis(
        [replace(row, review_id=ids[keys[row.review_id]]) for row in analyses],
        [replace(mention, review_id=ids[keys[mention.review_id]]) for mention in aspects],
    )


def _key(review: Review) -> str:
    return review.key


def _check(
    expected: dict[str, int],
    before: dict[str, int],
    after: dict[str, int],
    *,
    append: bool,
    label: str,
) -> None:
    """Raise when the destination lacks anything the source holds."""
    wrong = [
        f"{name}: source {count}, destination {after[name]}"
        for name, count in expected.items()
        if (after[name] < max(count, before[name]) if append else after[name] != count)
    ]
    if wrong:
        raise StoreError(f"{label}: copy is incomplete, counts differ: " + "; ".join(wrong))
