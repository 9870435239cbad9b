"""Crawler files as sources: one file on disk, or every crawler file in an archive.

The parsing itself is :func:`reelsense.sources.crawler.read_crawler`; this
module finds the crawler's grouping in paths (``Group3/Movie1.txt``),
recognises crawler files by their first bytes and counts progress.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from reelsense.errors import SourceError
from reelsense.records import Problem, Record
from reelsense.sources.archives import ArchiveMember, ArchiveReader
from reelsense.sources.crawler import read_crawler
from reelsense.sources.limits import IngestLimits, cap_problems

logger = logging.getLogger(__name__)

_MOVIE_FILE_RE = re.compile(r"movie\s*(\d+)", re.IGNORECASE)
_GROUP_DIR_RE = re.compile(r"group\s*\d+", re.IGNORECASE)
MOVIE_SNIFF = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?<movie\s*>", re.IGNORECASE)
"""Matches the first bytes of a crawler file."""


def looks_like_crawler(head: bytes) -> bool:
    """Tell whether the first bytes of a file are the crawler's ``<movie>``.

    Parameters
    ----------
    head:
        The first few hundred bytes of a file.

    Returns
    -------
    bool
        ``True`` when ``<movie>`` comes first, after whitespace, a BOM or an
        XML declaration.

    Example
    -------
    >>> looks_like_crawler(b"\\n<movie>\\n\\t<title>")
    True
    """
    return MOVIE_SNIFF.match(head) is not None


def group_and_position(member: str) -> tuple[str | None, int | None]:
    """Read the crawler's grouping from a path: ``Group3/Movie1.txt`` → ``("Group3", 1)``.

    The position comes from ``Movie(\\d+)`` in the file name; the group is
    the parent folder's name when the file is a ``MovieK`` file or the folder
    is named ``GroupN``.

    Example
    -------
    >>> group_and_position("corpus/Group2/Movie0.txt")
    ('Group2', 0)
    """
    path = PurePosixPath(member.replace("\\", "/"))
    found = _MOVIE_FILE_RE.fullmatch(path.stem)
    position = int(found.group(1)) if found else None
    parent = path.parent.name or None
    group = parent if parent and (found or _GROUP_DIR_RE.fullmatch(parent)) else None
    return group, position


class _CountingLines:
    """Iterate a binary file's lines, counting bytes consumed and stopping at a limit."""

    def __init__(self, stream: Iterable[bytes], name: str, limits: IngestLimits) -> None:
        self._stream = stream
        self._name = name
        self._limits = limits
        self.count = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self.count += len(chunk)
            # a file can grow while read, or lie about its size (/proc)
            self._limits.check_file_size(self._name, self.count)
            yield chunk


class CrawlerFileSource:
    """One crawler file on disk, as a :class:`~reelsense.sources.base.Source`.

    Parameters
    ----------
    path:
        The file.
    group, movie_position:
        The crawler's grouping; by default read from the path
        (``Group3/Movie1.txt`` → ``"Group3"``, 1).
    limits:
        A file over ``limits.max_file_bytes`` is not read
        (default :class:`IngestLimits`).

    Example
    -------
    >>> source = CrawlerFileSource(Path("corpus/Group1/Movie0.txt"))  # doctest: +SKIP
    >>> movies = [r for r in source.records() if isinstance(r, Movie)]  # doctest: +SKIP
    """

    def __init__(
        self,
        path: Path,
        *,
        group: str | None = None,
        movie_position: int | None = None,
        limits: IngestLimits | None = None,
    ) -> None:
        self.path = path
        self.limits = limits if limits is not None else IngestLimits()
        derived_group, derived_position = group_and_position(path.as_posix())
        self.group = group if group is not None else derived_group
        self.movie_position = movie_position if movie_position is not None else derived_position
        self._counter: _CountingLines | None = None
        self._files_read = 0

    @property
    def size(self) -> int:
        """Bytes of the file on disk."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def position(self) -> int:
        """Bytes read so far."""
        return self._counter.count if self._counter is not None else 0

    @property
    def files_read(self) -> int:
        """1 once the file has been read, else 0."""
        return self._files_read

    def records(self) -> Iterator[Record]:
        """Stream the file's records.

        Raises
        ------
        SourceError
            The file cannot be opened.
        LimitError
            The file is larger than ``limits.max_file_bytes``.
        """
        name = str(self.path)
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise SourceError(name, None, exc.strerror or "cannot open") from exc
        with handle:
            # checked before reading: a 2 GB file of one line would be one 2 GB string
            self.limits.check_file_size(name, os.fstat(handle.fileno()).st_size)
            self._counter = _CountingLines(handle, name, self.limits)
            records = read_crawler(
                self._counter, name, group=self.group, position=self.movie_position
            )
            yield from cap_problems(records, name, self.limits)
        self._files_read = 1


def _is_crawler_member(member: ArchiveMember) -> bool:
    return member.name.lower().endswith((".txt", ".xml"))


class CrawlerArchiveSource:
    """Every crawler file inside one ``.zip`` / ``.tar.gz`` / ``.tgz`` / ``.tar``.

    Member paths give the grouping (``Group3/Movie1.txt``); problems and
    ``source_file`` name the member as ``archive.zip/Group3/Movie1.txt``.
    Members that are not ``.txt``/``.xml`` are read only when their first
    bytes are ``<movie>``.

    ``limits`` bound member sizes, the archive's expansion and its member
    count (default :class:`IngestLimits`); see :class:`ArchiveReader`.

    Example
    -------
    >>> source = CrawlerArchiveSource(Path("corpus.zip"))  # doctest: +SKIP
    >>> reviews = [r for r in source.records() if isinstance(r, Review)]  # doctest: +SKIP
    """

    def __init__(self, path: Path, limits: IngestLimits | None = None) -> None:
        self.path = path
        self._reader = ArchiveReader(path, limits)
        self._files_read = 0

    @property
    def size(self) -> int:
        """Bytes of the archive on disk."""
        return self._reader.size

    @property
    def position(self) -> int:
        """Compressed bytes read so far."""
        return self._reader.position

    @property
    def files_read(self) -> int:
        """Crawler members read so far."""
        return self._files_read

    def records(self) -> Iterator[Record]:
        """Stream the records of every crawler member, in archive order.

        Raises
        ------
        SourceError
            The archive cannot be opened at all.
        LimitError
            The archive yields more than ``limits.max_problems`` problems.
        """
        return cap_problems(self._member_records(), str(self.path), self._reader.limits)

    def _member_records(self) -> Iterator[Record]:
        for item in self._reader.members():
            if isinstance(item, Problem):
                yield item
                continue
            name = f"{self.path}/{item.name}"
            try:
                lines: Iterable[bytes] = item.stream
                if not _is_crawler_member(item):
                    head = item.stream.read(512)
                    if not looks_like_crawler(head):
                        logger.debug("skipping non-crawler member %s", name)
                        continue
                    lines = _prepend(head, item.stream)
                group, position = group_and_position(item.name)
                yield from read_crawler(lines, name, group=group, position=position)
            except SourceError as exc:
                yield Problem(str(self.path), None, exc.problem)
                return
            self._files_read += 1


def _prepend(head: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield head
    yield from rest
