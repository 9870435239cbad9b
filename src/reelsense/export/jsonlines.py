"""JSON Lines: one JSON object per row, written as the rows stream in."""

from __future__ import annotations

import json
from datetime import date
from typing import TextIO

from reelsense.export.rows import ExportTable

__all__ = ["write_jsonl"]


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_jsonl(table: ExportTable, out: TextIO) -> int:
    """Write ``table`` as JSON Lines: every row an object with every column.

    Missing values are ``null``; dates are ISO strings; text is written as
    UTF-8 (not ``\\u`` escapes).

    Parameters
    ----------
    table:
        Columns and streamed rows.
    out:
        A text stream.

    Returns
    -------
    int
        The number of rows written.

    Example
    -------
    >>> import io
    >>> from reelsense.export.rows import Column, ExportTable
    >>> buf = io.StringIO()
    >>> write_jsonl(ExportTable("movies", (Column("year", "int"),), iter([(1996,)])), buf)
    1
    >>> buf.getvalue()
    '{"year": 1996}\\n'
    """
    names = table.names
    count = 0
    for row in table.rows:
        record = dict(zip(names, row, strict=True))
        out.write(json.dumps(record, ensure_ascii=False, default=_default))
        out.write("\n")
        count += 1
    return count
