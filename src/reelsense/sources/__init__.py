"""Readers for every input format, and :func:`open_sources` to pick the right one.

>>> from pathlib import Path
>>> from reelsense.sources import open_sources
>>> for source in open_sources([Path("examples/corpus")]):  # doctest: +SKIP
...     for record in source.records():
...         ...
"""

from __future__ import annotations

import logging
import os
import re
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from reelsense.errors import SourceError
from reelsense.sources.aclimdb import AclImdbSource, find_aclimdb_root, read_aclimdb
from reelsense.sources.archives import ArchiveMember, ArchiveReader, is_archive, iter_members
from reelsense.sources.base import Source
from reelsense.sources.crawler import read_crawler
from reelsense.sources.crawler_source import (
    CrawlerArchiveSource,
    CrawlerFileSource,
    group_and_position,
    looks_like_crawler,
)
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


def _archive_is_aclimdb(path: Path) -> bool:
    """Look at the first member names only (cheap) for the aclImdb layout."""
    try:
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()[:_ARCHIVE_SNIFF_MEMBERS]
        else:
            names = []
            with tarfile.open(path, mode="r|*") as archive:
                for info in archive:
                    names.append(info.name)
                    if len(names) >= _ARCHIVE_SNIFF_MEMBERS:
                        break
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SourceError(str(path), None, f"cannot open archive: {exc}") from exc
    return any(_ACL_MEMBER_RE.search(name) for name in names)


def _is_crawler_file(path: Path) -> bool:
    if path.name.lower().endswith(".txt"):
        return True
    return looks_like_crawler(_sniff(path))


def _walk(root: Path) -> Iterator[Source]:
    found = False
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        directory = Path(dirpath)
        if find_aclimdb_root(directory) == directory:
            dirnames[:] = []
            found = True
            yield AclImdbSource(directory)
            continue
        dirnames[:] = sorted((d for d in dirnames if not d.startswith(".")), key=_natural)
        for filename in sorted(filenames, key=_natural):
            path = directory / filename
            if filename.startswith(".") or not path.is_file():
                continue
            if _is_crawler_file(path):
                found = True
                relative = path.relative_to(root).as_posix()
                group, position = group_and_position(
                    relative if "/" in relative else f"{root.name}/{relative}"
                )
                yield CrawlerFileSource(path, group=group, movie_position=position)
    if not found:
        raise SourceError(str(root), None, "no review files found")


def open_sources(
    paths: Iterable[Path], *, mapping: ColumnMapping | None = None
) -> Iterator[Source]:
    """Turn paths given by the user into sources, one per readable input.

    Only names and the first bytes of files are looked at here; reading
    happens in each source's ``records()``.

    Parameters
    ----------
    paths:
        Files, folders and archives. A folder is walked (sorted, symlinked
        folders not followed): an aclImdb tree becomes one
        :class:`AclImdbSource`, each crawler file (``*.txt`` or starting
        with ``<movie>``) one :class:`CrawlerFileSource` with its
        ``GroupN``/``MovieK`` grouping. An archive is one source (aclImdb
        or crawler members). ``.csv``/``.tsv``/``.jsonl``/``.parquet`` are
        tables and need ``mapping``.
    mapping:
        The column mapping for tables.

    Returns
    -------
    Iterator[Source]

    Raises
    ------
    SourceError
        A path does not exist, a folder holds no review files, a table has
        no mapping, or a file is of no known kind.

    Example
    -------
    >>> sources = list(open_sources([Path("examples/corpus")]))  # doctest: +SKIP
    """
    for path in paths:
        if not path.exists():
            raise SourceError(str(path), None, "no such file or directory")
        if path.is_dir():
            yield from _walk(path)
        elif is_archive(path):
            if _archive_is_aclimdb(path):
                yield AclImdbSource(path)
            else:
                yield CrawlerArchiveSource(path)
        elif path.suffix.lower() in TABULAR_SUFFIXES:
            if mapping is None:
                raise SourceError(
                    str(path), None, "a table needs --map text=COLUMN (and field=column ...)"
                )
            yield TabularSource(path, mapping)
        elif _is_crawler_file(path):
            yield CrawlerFileSource(path)
        else:
            raise SourceError(
                str(path),
                None,
                "not a review file (expected crawler XML, an aclImdb folder, "
                "an archive, or a .csv/.jsonl/.parquet table)",
            )
