"""CSV: a header line, then one line per row, written as the rows stream in."""

from __future__ import annotations

import csv
from datetime import date
from typing import TextIO

from reelsense.export.rows import ExportTable, Value

__all__ = ["write_csv"]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(table: ExportTable, out: TextIO) -> int:
    """Write ``table`` as CSV (RFC 4180 quoting, ``\\n`` line ends, UTF-8 text).

    Missing values are empty fields, booleans ``true``/``false``, dates ISO.

    Parameters
    ----------
    table:
        Columns and streamed rows.
    out:
        A text stream (a file opened with ``newline=""``, or stdout).

    Returns
    -------
    int
        The number of rows written (the header not counted).

    Example
    -------
    >>> import io
    >>> from reelsense.export.rows import Column, ExportTable
    >>> buf = io.StringIO()
    >>> write_csv(ExportTable("movies", (Column("movie_id", "str"),), iter([("tt1",)])), buf)
    1
    >>> buf.getvalue()
    'movie_id\\ntt1\\n'
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.names)
    count = 0
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
    return count
