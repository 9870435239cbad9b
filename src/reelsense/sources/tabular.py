"""Reviews from tables: CSV, JSON Lines and Parquet, with a column mapping.

The user says which column holds what (``--map text=body --map rating=stars``);
rows are streamed (``csv`` row by row, JSONL line by line, Parquet in record
batches). A bad value in a row is a :class:`~reelsense.records.Problem`
naming the line (the physical line for CSV and JSONL, the 1-based row for
Parquet); a mapped column missing from the header is a
:class:`~reelsense.errors.SourceError`.
"""

from __future__ import annotations

import csv
import json
import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reelsense.errors import ConfigError, LimitError, SourceError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources.limits import IngestLimits, cap_problems, describe_bytes
from reelsense.text.normalize import normalize_text
from reelsense.text.people import split_username
from reelsense.text.ratings import extract_stated_rating

logger = logging.getLogger(__name__)

TABULAR_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
"""File name endings read by :func:`read_tabular`."""

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d.%m.%Y", "%m/%d/%Y")
_PARQUET_BATCH = 4096
_MIN_YEAR, _MAX_YEAR = 1870, 2100


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column of a table holds which field of a review.

    Only ``text`` is required. Without ``movie`` every row belongs to one
    movie named after the file (``reviews.csv`` → ``reviews``).
    ``rating_scale`` is the top of the table's rating scale: with 5, a
    rating of 4 becomes 8.0 on reelsense's 1–10 scale.

    Example
    -------
    >>> ColumnMapping(text="body", rating="stars", rating_scale=5.0).rating
    'stars'
    """

    text: str
    movie: str | None = None
    title: str | None = None
    year: str | None = None
    date: str | None = None
    user: str | None = None
    rating: str | None = None
    headline: str | None = None
    review_id: str | None = None
    rating_scale: float = 10.0

    def columns(self) -> dict[str, str]:
        """The mapped fields and their column names (``{"text": "body", ...}``)."""
        result: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name != "rating_scale" and value is not None:
                result[item.name] = value
        return result


_FIELD_NAMES = tuple(item.name for item in fields(ColumnMapping))


def parse_mapping(items: Iterable[str]) -> ColumnMapping:
    """Build a :class:`ColumnMapping` from ``field=column`` strings.

    Parameters
    ----------
    items:
        Strings such as ``"text=body"``, ``"rating=stars"``,
        ``"rating_scale=5"``.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    ConfigError
        An item is not ``field=column``, names an unknown field, repeats a
        field, gives no ``text`` column, or a scale that is not a positive
        number.

    Example
    -------
    >>> parse_mapping(["text=body", "rating=stars", "rating_scale=5"]).rating_scale
    5.0
    """
    values: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not name or not column:
            raise ConfigError(f"column mapping {item!r} is not field=column")
        if name not in _FIELD_NAMES:
            known = ", ".join(_FIELD_NAMES)
            raise ConfigError(f"unknown field {name!r} in column mapping (known: {known})")
        if name in values:
            raise ConfigError(f"field {name!r} is mapped twice")
        values[name] = column
    if "text" not in values:
        raise ConfigError("column mapping needs text=COLUMN")
    scale = 10.0
    if "rating_scale" in values:
        raw = values.pop("rating_scale")
        try:
            scale = float(raw)
        except ValueError:
            scale = math.nan
        if not math.isfinite(scale) or scale <= 0:
            raise ConfigError(f"rating_scale {raw!r} is not a positive number")
    return ColumnMapping(rating_scale=scale, **values)


def read_tabular(
    path: Path, mapping: ColumnMapping, limits: IngestLimits | None = None
) -> Iterator[Record]:
    """Stream reviews (and their movies) from a CSV, TSV, JSONL or Parquet file.

    Parameters
    ----------
    path:
        The table; its suffix picks the format.
    mapping:
        Which column holds which field.
    limits:
        A CSV/JSONL line longer than ``limits.max_line_bytes`` stops the
        table with :class:`LimitError` (default :class:`IngestLimits`).

    Returns
    -------
    Iterator[Record]
        A :class:`Movie` the first time each movie appears, then its
        reviews; :class:`Problem` for each bad row or value.

    Raises
    ------
    SourceError
        The file cannot be opened, its format is unknown, or a mapped
        column is missing from its header.
    LimitError
        A line is too long.

    Example
    -------
    >>> rows = read_tabular(Path("reviews.csv"), parse_mapping(["text=body"]))  # doctest: +SKIP
    """
    suffix = path.suffix.lower()
    chosen = limits if limits is not None else IngestLimits()
    if suffix in (".csv", ".tsv"):
        rows = _csv_rows(path, "\t" if suffix == ".tsv" else ",", mapping, chosen)
    elif suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(path, mapping, chosen)
    elif suffix == ".parquet":
        rows = _parquet_rows(path, mapping)
    else:
        raise SourceError(str(path), None, f"unknown table format {suffix!r}")
    return _records(path, mapping, rows)


_Row = tuple[int, Mapping[str, Any] | Problem]


def _missing(path: Path, line: int | None, header: Iterable[str], mapping: ColumnMapping) -> None:
    present = set(header)
    for name, column in mapping.columns().items():
        if column not in present:
            raise SourceError(
                str(path), line, f"no column {column!r} (mapped to {name}) in the header"
            )


def _open_text(path: Path, newline: str | None) -> Any:
    try:
        return path.open("r", encoding="utf-8-sig", errors="replace", newline=newline)
    except OSError as exc:
        raise SourceError(str(path), None, exc.strerror or "cannot open") from exc


def _bounded_lines(handle: Any, path: Path, limits: IngestLimits) -> Iterator[str]:
    """The lines of a text file, refusing one longer than ``max_line_bytes``.

    Iterating a file reads a whole line first: a 2 GB file without a newline
    would become one 2 GB string.
    """
    longest = limits.max_line_bytes
    number = 0
    while line := handle.readline(longest + 1):
        number += 1
        if len(line) > longest and not line.endswith(("\n", "\r")):
            raise LimitError(
                str(path),
                f"line {number} is longer than {describe_bytes(longest)}, the limit per line; "
                "stopped",
                "--max-line-bytes",
            )
        yield line


def _csv_rows(
    path: Path, delimiter: str, mapping: ColumnMapping, limits: IngestLimits
) -> Iterator[_Row]:
    # csv refuses fields over 128 KiB by default: a 20,000-word review is longer. The
    # file size limit already bounds any field. (The setting is process-wide; it only grows.)
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_file_bytes))
    with _open_text(path, "") as handle:
        reader = csv.reader(_bounded_lines(handle, path, limits), delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(str(path), 1, f"not a readable CSV file: {exc}") from exc
        _missing(path, 1, header, mapping)
        line = reader.line_num
        while True:
            start = line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, Problem(str(path), start, f"unreadable CSV: {exc}; stopped")
                return
            line = reader.line_num
            if not values:
                continue
            if len(values) != len(header):
                yield (
                    start,
                    Problem(
                        str(path),
                        start,
                        f"row has {len(values)} fields, the header has {len(header)}",
                    ),
                )
                continue
            yield start, dict(zip(header, values, strict=True))


def _jsonl_rows(path: Path, mapping: ColumnMapping, limits: IngestLimits) -> Iterator[_Row]:
    with _open_text(path, None) as handle:
        checked = False
        for number, line in enumerate(_bounded_lines(handle, path, limits), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, Problem(str(path), number, f"not valid JSON: {exc.msg}")
                continue
            except (ValueError, RecursionError) as exc:
                # A number too long to convert, or nesting too deep for the parser.
                reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                yield number, Problem(str(path), number, f"not valid JSON: {reason}")
                continue
            if not isinstance(value, dict):
                yield number, Problem(str(path), number, "not a JSON object")
                continue
            if not checked:
                checked = True
                if mapping.text not in value:
                    raise SourceError(
                        str(path), number, f"no column {mapping.text!r} (mapped to text)"
                    )
            yield number, value


def _parquet_rows(path: Path, mapping: ColumnMapping) -> Iterator[_Row]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # pyarrow raises its own family (ArrowException) besides OSError/ValueError.
    arrow_errors = (OSError, ValueError, pa.ArrowException)
    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
    except arrow_errors as exc:
        raise SourceError(str(path), None, f"not a readable Parquet file: {exc}") from exc
    _missing(path, None, names, mapping)
    columns = sorted(set(mapping.columns().values()))
    number = 0
    batches = parquet.iter_batches(batch_size=_PARQUET_BATCH, columns=columns)
    while True:
        try:
            batch = next(batches, None)
            rows = batch.to_pylist() if batch is not None else []
        except arrow_errors as exc:
            # A damaged page: the rows before it are kept, the rest is named here.
            reason = " ".join(str(exc).split())
            message = f"unreadable Parquet from row {number + 1}: {reason}; stopped"
            yield number + 1, Problem(str(path), number + 1, message)
            return
        if batch is None:
            break
        for row in rows:
            number += 1
            yield number, row
    total = parquet.metadata.num_rows
    if number < total:
        # pyarrow can end a damaged file's batches early without an error.
        yield (
            number + 1,
            Problem(
                str(path),
                number + 1,
                f"rows {number + 1}-{total} unreadable (damaged file); stopped",
            ),
        )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    # PostgreSQL refuses NUL in text; ids and names are not normalised elsewhere.
    text = str(value).replace("\x00", "").strip()
    return text or None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _records(path: Path, mapping: ColumnMapping, rows: Iterator[_Row]) -> Iterator[Record]:
    source = str(path)
    seen: set[str] = set()
    index = 0
    for line, row in rows:
        if isinstance(row, Problem):
            yield row
            continue
        position = index
        index += 1
        yield from _row_records(source, path.stem, mapping, line, position, row, seen)


def _rating(raw: Any, scale: float, source: str, line: int) -> tuple[float | None, Problem | None]:
    text = _text(raw)
    if text is None:
        return None, None
    top = f"{scale:g}"
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= scale:
        return None, Problem(source, line, f"rating {text!r} is not a number 0-{top}")
    return max(1.0, round(value * 10.0 / scale, 1)), None


def _row_records(
    source: str,
    stem: str,
    mapping: ColumnMapping,
    line: int,
    position: int,
    row: Mapping[str, Any],
    seen: set[str],
) -> Iterator[Record]:
    def get(column: str | None) -> str | None:
        return _text(row.get(column)) if column is not None else None

    raw_text = get(mapping.text)
    if raw_text is None:
        yield Problem(source, line, f"no text in column {mapping.text!r}; row skipped")
        return
    movie_id = get(mapping.movie) or stem
    if movie_id not in seen:
        seen.add(movie_id)
        year: int | None = None
        year_raw = get(mapping.year)
        if year_raw is not None:
            try:
                number = float(year_raw)
            except ValueError:
                number = math.nan
            # Same bounds as the crawler's; also keeps ``inf`` away from ``int``.
            if _MIN_YEAR <= number <= _MAX_YEAR:
                year = int(number)
            else:
                yield Problem(source, line, f"year {year_raw!r} is not a year")
        title = get(mapping.title)
        yield Movie(
            movie_id=movie_id,
            title=normalize_text(title) if title else None,
            year=year,
            source_file=source,
        )
    rating, problem = _rating(
        row.get(mapping.rating) if mapping.rating else None, mapping.rating_scale, source, line
    )
    if problem is not None:
        yield problem
    review_date: date | None = None
    if mapping.date is not None and _text(row.get(mapping.date)) is not None:
        review_date = _parse_date(row.get(mapping.date))
        if review_date is None:
            yield Problem(source, line, f"date {row.get(mapping.date)!r} not understood")
    display_name, email = split_username(get(mapping.user))
    headline_raw = get(mapping.headline)
    headline = normalize_text(headline_raw) or None if headline_raw else None
    text = normalize_text(raw_text)
    stated = extract_stated_rating(text)
    if stated is None and headline:
        stated = extract_stated_rating(headline, field="headline")
    yield Review(
        movie_id=movie_id,
        position=position,
        text=text,
        date=review_date,
        display_name=display_name,
        email=email,
        rating=rating,
        headline=headline,
        stated=stated,
        source_file=source,
        source_line=line,
        external_id=get(mapping.review_id),
    )


class TabularSource:
    """One CSV / TSV / JSONL / Parquet file as a :class:`~reelsense.sources.base.Source`.

    Example
    -------
    >>> source = TabularSource(Path("r.csv"), parse_mapping(["text=body"]))  # doctest: +SKIP
    """

    def __init__(
        self, path: Path, mapping: ColumnMapping, limits: IngestLimits | None = None
    ) -> None:
        self.path = path
        self.mapping = mapping
        self.limits = limits if limits is not None else IngestLimits()
        self._done = False

    @property
    def size(self) -> int:
        """Bytes of the file on disk."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def position(self) -> int:
        """Bytes read so far: the whole file once done (rows are not sized)."""
        return self.size if self._done else 0

    @property
    def files_read(self) -> int:
        """1 once the table has been read."""
        return 1 if self._done else 0

    def records(self) -> Iterator[Record]:
        """Stream the table's records (see :func:`read_tabular`)."""
        records = read_tabular(self.path, self.mapping, self.limits)
        yield from cap_problems(records, str(self.path), self.limits)
        self._done = True
