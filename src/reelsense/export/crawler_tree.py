"""Write the selected movies as a crawler folder tree: ``GroupN/MovieK.txt`` or ``<id>.txt``."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from reelsense.errors import ConfigError
from reelsense.export.catalog import MovieEntry, iter_movie_entries
from reelsense.export.crawler_xml import write_movie_file
from reelsense.export.filters import ExportFilters
from reelsense.export.selection import iter_selected, movie_scope
from reelsense.records import Movie
from reelsense.store.base import Store

__all__ = ["TreeReport", "file_paths", "write_crawler_tree"]

log = logging.getLogger(__name__)

_UNSAFE_RE = re.compile(r"[^\w.\-]+")
_MAX_NAME_BYTES = 120
"""Longest file or folder name written (file systems allow 255 bytes; names come from data)."""


@dataclass(frozen=True, slots=True)
class TreeReport:
    """What :func:`write_crawler_tree` wrote."""

    files: int
    movies: int
    reviews: int


def _safe(name: str) -> str:
    """A single path component for ``name``: no separators, never ``.``/``..``, and short
    enough for any file system (a long name is cut and keeps a hash of the whole)."""
    safe = _UNSAFE_RE.sub("_", name).strip(".") or "_"
    if len(safe.encode()) > _MAX_NAME_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        cut = safe.encode()[: _MAX_NAME_BYTES - 13].decode("utf-8", "ignore")
        safe = f"{cut}-{digest}"
    return safe


def _no_links(folder: Path, relative: Path) -> Path:
    """``folder / relative``, refusing a symbolic link at any step below ``folder``: the
    export must not be led outside the folder it was given (or onto another file)."""
    place = folder
    for part in relative.parts:
        place = place / part
        if place.is_symlink():
            raise ConfigError(
                f"{place} is a symbolic link; export writes only inside {folder} "
                "and does not follow links (remove it or choose another folder)"
            )
    return place


def _create(target: Path) -> TextIO:
    """Open ``target`` for writing without following a link put there in the meantime."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(target, flags, 0o666)
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return open(handle, "w", encoding="utf-8", newline="\n")


def file_paths(entry: MovieEntry, group: str | None = None) -> list[Path]:
    """Where a movie goes: ``Group/MovieK.txt`` per membership, else ``<id>.txt``.

    ``group`` keeps only that membership. A membership without a position is
    written ``Group/<id>.txt``.

    Example
    -------
    >>> from reelsense.store.base import MovieSummary
    >>> s = MovieSummary("tt1", "A", 1999, None, 0, 0, None, ("Group2",))
    >>> file_paths(MovieEntry(s, None, (("Group2", 1),)))
    [PosixPath('Group2/Movie1.txt')]
    """
    memberships = [m for m in entry.memberships if group is None or m[0] == group]
    if not memberships:
        return [Path(f"{_safe(entry.movie_id)}.txt")]
    return [
        Path(_safe(name))
        / (f"Movie{pos}.txt" if pos is not None else f"{_safe(entry.movie_id)}.txt")
        for name, pos in memberships
    ]


def write_crawler_tree(
    store: Store,
    folder: Path,
    filters: ExportFilters,
    *,
    include_personal: bool = False,
    batch_size: int = 1000,
) -> TreeReport:
    """Write each selected movie in the crawler's format under ``folder``.

    One movie's reviews are held in memory at a time, to write them in
    their original order (:attr:`Review.position`). With review filters, a
    movie none of whose reviews pass is not written.

    Parameters
    ----------
    store:
        Where the movies and reviews are.
    folder:
        The output folder (created when missing; existing files of the same
        name are replaced).
    filters:
        What to keep.
    include_personal:
        Write e-mails back into usernames, for a lossless round trip.
    batch_size:
        Rows per store query.

    Returns
    -------
    TreeReport
        Files, movies and reviews written.

    Example
    -------
    >>> write_crawler_tree(store, Path("out"), ExportFilters(group="Group1"))  # doctest: +SKIP
    TreeReport(files=3, movies=3, reviews=120)
    """
    scope = movie_scope(store, filters)
    files = movies = reviews = 0
    if scope is not None and not scope:
        return TreeReport(0, 0, 0)
    folder.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    for entry in iter_movie_entries(store, scope or (), group=filters.group):
        selected = [
            item.review
            for item in iter_selected(
                store,
                filters,
                include_personal=include_personal,
                scope=[entry.movie_id],
                batch_size=batch_size,
            )
        ]
        if filters.selects_reviews and not selected:
            continue
        selected.sort(key=lambda r: r.position)
        s = entry.summary
        movie = Movie(s.movie_id, s.title, s.year, s.imdb_rating, entry.url)
        first: Path | None = None
        for relative in file_paths(entry, filters.group):
            if relative in written:
                log.warning(
                    "%s is taken by another movie; writing %s beside it", relative, s.movie_id
                )
                relative = relative.with_name(f"{_safe(s.movie_id)}.txt")
            written.add(relative)
            target = _no_links(folder, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            with _create(target) as out:
                if first is None:
                    write_movie_file(out, movie, selected, include_personal=include_personal)
                    first = target
                else:
                    out.write(first.read_text(encoding="utf-8"))
            files += 1
        movies += 1
        reviews += len(selected)
    return TreeReport(files, movies, reviews)
