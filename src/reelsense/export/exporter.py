"""``export()``: pick the rows, pick the writer, write to a file, folder or stream."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO, get_args

from reelsense.errors import ConfigError
from reelsense.export.crawler_tree import write_crawler_tree
from reelsense.export.delimited import write_csv
from reelsense.export.excel import write_xlsx
from reelsense.export.filters import ExportFilters
from reelsense.export.jsonlines import write_jsonl
from reelsense.export.parquet import write_parquet
from reelsense.export.rows import WHATS, ExportTable, What, build_table
from reelsense.store.base import Store

__all__ = ["FORMATS", "ExportReport", "Format", "export"]

log = logging.getLogger(__name__)

Format = Literal["csv", "jsonl", "parquet", "xlsx", "xml"]
FORMATS: tuple[Format, ...] = get_args(Format)
_TEXT_FORMATS = ("csv", "jsonl")


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What one export wrote.

    ``rows`` counts table rows (for ``xml``: reviews); ``files`` is 1 for a
    file, 0 for a stream, the number of movie files for ``xml``; ``movies``
    is set for ``xml`` only. ``destination`` is the path, or ``-`` for a stream.
    """

    format: Format
    what: What
    rows: int
    files: int
    destination: str
    movies: int | None = None


def _check_destination(path: Path, fmt: Format, force: bool) -> None:
    if fmt == "xml":
        if path.exists() and not path.is_dir():
            raise ConfigError(f"{path} is a file: xml writes a folder of movie files")
        if path.is_dir() and any(path.iterdir()) and not force:
            raise ConfigError(
                f"{path} already exists and is not empty; pass --force to write into it"
            )
        return
    if path.is_dir():
        raise ConfigError(f"{path} is a folder: give a file name for {fmt}")
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        raise ConfigError(f"{path}: folder {path.parent} does not exist")


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` that replaces it only when writing succeeds."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _write_file(table: ExportTable, fmt: Format, path: Path) -> int:
    with _replacing(path) as temp:
        if fmt == "parquet":
            return write_parquet(table, temp)
        if fmt == "xlsx":
            return write_xlsx(table, temp)
        with temp.open("w", encoding="utf-8", newline="") as out:
            return write_csv(table, out) if fmt == "csv" else write_jsonl(table, out)


def export(
    store: Store,
    fmt: Format,
    what: What = "reviews",
    destination: Path | TextIO | None = None,
    filters: ExportFilters | None = None,
    include_personal: bool = False,
    *,
    force: bool = False,
    batch_size: int = 1000,
) -> ExportReport:
    """Export reviews, movies, analysis rows or aspect mentions.

    Parameters
    ----------
    store:
        Where the data is.
    fmt:
        ``csv``, ``jsonl``, ``parquet``, ``xlsx`` or ``xml`` (the crawler's
        format: a folder with one file per movie, reviews only).
    what:
        ``reviews``, ``movies``, ``analysis`` or ``aspects``.
    destination:
        A file path (a folder for ``xml``), or a text stream for ``csv``
        and ``jsonl``.
    filters:
        Movies, group, rating, date and sentiment filters.
    include_personal:
        Add e-mail addresses (an ``email`` column, or inside xml usernames).
        Without it no e-mail appears anywhere in the output.
    force:
        Replace an existing file (write into a non-empty folder for xml).
    batch_size:
        Rows per store query.

    Returns
    -------
    ExportReport
        Rows and files written.

    Raises
    ------
    ConfigError
        An unknown format or ``what``, a binary format without a path, a
        destination that exists without ``force``, filters that do not fit.
    QueryError
        A ``--movie`` query names no movie or several.

    Example
    -------
    >>> from pathlib import Path
    >>> export(store, "parquet", "reviews", Path("reviews.parquet"),
    ...        ExportFilters(min_rating=8))  # doctest: +SKIP
    ExportReport(format='parquet', what='reviews', rows=1204, files=1, ...)
    """
    filters = filters or ExportFilters()
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if what not in WHATS:
        raise ConfigError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")
    if destination is None:
        raise ConfigError(f"{fmt} export needs a destination (-o PATH)")
    if not isinstance(destination, Path):
        if fmt not in _TEXT_FORMATS:
            raise ConfigError(f"{fmt} cannot be written to a stream: give -o PATH")
        table = build_table(
            store, what, filters, include_personal=include_personal, batch_size=batch_size
        )
        write = write_csv if fmt == "csv" else write_jsonl
        rows = write(table, destination)
        return ExportReport(fmt, what, rows, 0, "-")
    _check_destination(destination, fmt, force)
    if fmt == "xml":
        if what != "reviews":
            raise ConfigError("xml writes movies with their reviews: use --what reviews")
        tree = write_crawler_tree(
            store, destination, filters, include_personal=include_personal, batch_size=batch_size
        )
        log.info("wrote %d movie files to %s", tree.files, destination)
        return ExportReport(fmt, what, tree.reviews, tree.files, str(destination), tree.movies)
    table = build_table(
        store, what, filters, include_personal=include_personal, batch_size=batch_size
    )
    rows = _write_file(table, fmt, destination)
    log.info("wrote %d %s rows to %s", rows, what, destination)
    return ExportReport(fmt, what, rows, 1, str(destination))
