"""Readers for every input format, and :func:`open_sources` to pick the right one.

>>> from pathlib import Path
>>> from reelsense.sources import open_sources
>>> for source in open_sources([Path("examples/corpus")]):  # doctest: +SKIP
...     for record in source.records():
...         ...
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from reelsense.errors import LimitError, SourceError
from reelsense.sources.aclimdb import AclImdbSource, find_aclimdb_root, read_aclimdb
from reelsense.sources.archives import ArchiveMember, ArchiveReader, is_archive, iter_members
from reelsense.sources.base import RefusedSource, Source
from reelsense.sources.crawler import read_crawler
from reelsense.sources.crawler_source import (
    CrawlerArchiveSource,
    CrawlerFileSource,
    group_and_position,
    looks_like_crawler,
)
from reelsense.sources.limits import IngestLimits
from reelsense.sources.links import link_refusal, special_kind
from reelsense.sources.tabular import (
    TABULAR_SUFFIXES,
    ColumnMapping,
    TabularSource,
    parse_mapping,
    read_tabular,
)

__all__ = [
    "AclImdbSource",
    "ArchiveMember",
    "ArchiveReader",
    "ColumnMapping",
    "CrawlerArchiveSource",
    "CrawlerFileSource",
    "IngestLimits",
    "RefusedSource",
    "Source",
    "TabularSource",
    "group_and_position",
    "is_archive",
    "iter_members",
    "open_sources",
    "parse_mapping",
    "read_aclimdb",
    "read_crawler",
    "read_tabular",
]

logger = logging.getLogger(__name__)

_SNIFF_BYTES = 512
_ACL_MEMBER_RE = re.compile(r"(?:^|/)(?:train|test)/(?:pos|neg|unsup|urls_\w+\.txt)")
_ARCHIVE_SNIFF_MEMBERS = 64
_NUMBER_RE = re.compile(r"(\d+)")


def _natural(name: str) -> list[str | int]:
    """Sort key putting ``Group2`` before ``Group10``."""
    return [int(part) if part.isdigit() else part.lower() for part in _NUMBER_RE.split(name)]


def _sniff(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise SourceError(str(path), None, exc.strerror or "cannot read") from exc


def _archive_is_aclimdb(path: Path, limits: IngestLimits) -> bool:
    """Look at the first member names only (cheap) for the aclImdb layout.

    An archive over a limit already here is not aclImdb-like; the crawler
    reader then reports the limit.
    """
    names: list[str] = []
    try:
        for item in ArchiveReader(path, limits).members():
            if isinstance(item, ArchiveMember):
                names.append(item.name)
                if len(names) >= _ARCHIVE_SNIFF_MEMBERS:
                    break
    except LimitError:
        return False
    return any(_ACL_MEMBER_RE.search(name) for name in names)


def _is_crawler_file(path: Path) -> bool:
    if path.name.lower().endswith(".txt"):
        return True
    return looks_like_crawler(_sniff(path))


class _Walk:
    """The state of walking one folder given on the command line."""

    def __init__(self, root: Path, limits: IngestLimits) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))
        self.limits = limits
        self.files = 0

    def folders(self, directory: Path, dirnames: list[str]) -> Iterator[Source]:
        """Keep the subfolders to walk in ``dirnames``; refuse links and depth."""
        kept: list[str] = []
        for name in sorted((d for d in dirnames if not d.startswith(".")), key=_natural):
            path = directory / name
            if path.is_symlink():
                reason = link_refusal(path, self.real_root)
                if reason is not None:
                    yield RefusedSource(path, reason)
                continue  # a link inside the tree: its target is walked anyway
            kept.append(name)
        depth = len(directory.relative_to(self.root).parts)
        if kept and depth >= self.limits.max_depth:
            yield RefusedSource(
                directory,
                f"subfolders are more than {self.limits.max_depth} levels deep; "
                "not read (raise --max-depth)",
            )
            kept = []
        dirnames[:] = kept

    def file(self, path: Path) -> Source | None:
        """The source for one walked file, a refusal, or ``None`` when not a review file."""
        if path.is_symlink():
            reason = link_refusal(path, self.real_root)
            if reason is not None:
                return RefusedSource(path, reason)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            return RefusedSource(path, exc.strerror or "cannot read")
        kind = special_kind(mode)
        if kind is not None:
            return RefusedSource(path, f"{kind}, not a file; skipped")
        if not _is_crawler_file(path):
            return None
        relative = path.relative_to(self.root).as_posix()
        group, position = group_and_position(
            relative if "/" in relative else f"{self.root.name}/{relative}"
        )
        return CrawlerFileSource(path, group=group, movie_position=position, limits=self.limits)


def _walk(root: Path, limits: IngestLimits) -> Iterator[Source]:
    found = False
    walk = _Walk(root, limits)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        directory = Path(dirpath)
        if find_aclimdb_root(directory) == directory:
            dirnames[:] = []
            found = True
            yield AclImdbSource(directory, limits=limits)
            continue
        for refused in walk.folders(directory, dirnames):
            found = True
            yield refused
        for filename in sorted(filenames, key=_natural):
            if filename.startswith("."):
                continue
            walk.files += 1
            try:
                limits.check_files(str(root), walk.files)
            except LimitError as exc:
                yield RefusedSource(root, f"{exc.problem}; the rest not read")
                return
            source = walk.file(directory / filename)
            if source is not None:
                found = True
                yield source
    if not found:
        raise SourceError(str(root), None, "no review files found")


def open_sources(
    paths: Iterable[Path],
    *,
    mapping: ColumnMapping | None = None,
    limits: IngestLimits | None = None,
) -> Iterator[Source]:
    """Turn paths given by the user into sources, one per readable input.

    Only names and the first bytes of files are looked at here; reading
    happens in each source's ``records()``.

    Parameters
    ----------
    paths:
        Files, folders and archives. A folder is walked (sorted; symlinked
        folders not followed; a link loop, a link leading outside the folder
        or a FIFO/device becomes a :class:`RefusedSource`): an aclImdb tree becomes one
        :class:`AclImdbSource`, each crawler file (``*.txt`` or starting
        with ``<movie>``) one :class:`CrawlerFileSource` with its
        ``GroupN``/``MovieK`` grouping. An archive is one source (aclImdb
        or crawler members). ``.csv``/``.tsv``/``.jsonl``/``.parquet`` are
        tables and need ``mapping``.
    mapping:
        The column mapping for tables.
    limits:
        Size, ratio, count and depth limits passed to every source
        (default :class:`IngestLimits`).

    Returns
    -------
    Iterator[Source]

    Raises
    ------
    SourceError
        A path does not exist, a folder holds no review files, a table has
        no mapping, a path is a FIFO or device, or a file is of no known kind.

    Example
    -------
    >>> sources = list(open_sources([Path("examples/corpus")]))  # doctest: +SKIP
    """
    chosen = limits if limits is not None else IngestLimits()
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            reason = {errno.ENOENT: "no such file or directory", errno.ELOOP: "symbolic link loop"}
            problem = reason.get(exc.errno or 0, exc.strerror or "cannot read")
            raise SourceError(str(path), None, problem) from exc
        kind = special_kind(mode)
        if kind is not None:
            # opening a FIFO blocks until someone writes; /dev/zero never ends
            raise SourceError(str(path), None, f"{kind}, not a file; skipped")
        if stat.S_ISDIR(mode):
            yield from _walk(path, chosen)
        elif is_archive(path):
            if _archive_is_aclimdb(path, chosen):
                yield AclImdbSource(path, limits=chosen)
            else:
                yield CrawlerArchiveSource(path, limits=chosen)
        elif path.suffix.lower() in TABULAR_SUFFIXES:
            if mapping is None:
                raise SourceError(
                    str(path), None, "a table needs --map text=COLUMN (and field=column ...)"
                )
            yield TabularSource(path, mapping, limits=chosen)
        elif _is_crawler_file(path):
            yield CrawlerFileSource(path, limits=chosen)
        else:
            raise SourceError(
                str(path),
                None,
                "not a review file (expected crawler XML, an aclImdb folder, "
                "an archive, or a .csv/.jsonl/.parquet table)",
            )
