"""The source interface: one readable input (a file, a folder, an archive)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from reelsense.errors import SourceError
from reelsense.records import Record


class Source(Protocol):
    """One input given on the command line, read as a stream of records.

    A :class:`reelsense.records.Movie` is yielded before its reviews.
    Problems inside the input are yielded as
    :class:`reelsense.records.Problem`; an input that cannot be read at all
    raises :class:`reelsense.errors.SourceError` from :meth:`records`.
    """

    path: Path
    """The path as the user gave it."""

    @property
    def size(self) -> int:
        """Bytes on disk, the total for a progress bar."""
        ...

    @property
    def position(self) -> int:
        """Bytes of :attr:`size` consumed so far."""
        ...

    @property
    def files_read(self) -> int:
        """Review files (or archive members) read so far."""
        ...

    def records(self) -> Iterator[Record]:
        """Stream the input's records; call once."""
        ...


class RefusedSource:
    """An input that discovery found but will not read: a symlink loop, a FIFO, ...

    Its :meth:`records` raises :class:`~reelsense.errors.SourceError` with
    the reason, so ingest reports it with the other unreadable inputs and
    goes on with the batch.

    Example
    -------
    >>> source = RefusedSource(Path("corpus/loop"), "symbolic link loop; skipped")
    >>> source.size, source.files_read
    (0, 0)
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason

    @property
    def size(self) -> int:
        """Nothing is read: 0."""
        return 0

    @property
    def position(self) -> int:
        """Nothing is read: 0."""
        return 0

    @property
    def files_read(self) -> int:
        """Nothing is read: 0."""
        return 0

    def records(self) -> Iterator[Record]:
        """Raise the reason the input is refused.

        Raises
        ------
        SourceError
            Always.
        """
        raise SourceError(str(self.path), None, self.reason)
        yield  # pragma: no cover - makes this a generator, like every source
