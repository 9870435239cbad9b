"""XLSX: typed cells (numbers as numbers, dates as dates), a bold frozen header row.

Written with openpyxl's write-only workbook, which streams rows to disk. A
sheet holds at most 1,048,576 rows; past that the rows go on in another sheet
(``reviews (2)``, …) with the same header.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped,unused-ignore]

from reelsense.export.rows import ExportTable, Value

__all__ = ["MAX_CELL_CHARS", "SHEET_ROWS", "write_xlsx"]

log = logging.getLogger(__name__)

SHEET_ROWS = 1_048_575
"""Data rows per sheet: Excel's 1,048,576 rows less the header."""
MAX_CELL_CHARS = 32_767
"""Excel's limit on the text of one cell; longer text is cut (and logged)."""


def _cell(value: Value) -> Value:
    if not isinstance(value, str):
        return value
    text: str = value
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        log.warning("a text of %d characters was cut to Excel's cell limit", len(text))
        text = text[:MAX_CELL_CHARS]
    return text


def _new_sheet(book: Workbook, table: ExportTable, number: int) -> WriteOnlyWorksheet:
    title = table.what if number == 1 else f"{table.what} ({number})"
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in table.names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    return sheet


def write_xlsx(table: ExportTable, path: Path, *, sheet_rows: int = SHEET_ROWS) -> int:
    """Write ``table`` to an Excel workbook, streaming rows.

    Numbers stay numbers, dates are Excel dates (``yyyy-mm-dd``), booleans
    are TRUE/FALSE, missing values are empty cells. Characters Excel cannot
    hold (control characters) are dropped.

    Parameters
    ----------
    table:
        Columns and streamed rows.
    path:
        The ``.xlsx`` file to write.
    sheet_rows:
        Data rows per sheet before another sheet is started.

    Returns
    -------
    int
        The number of rows written, over all sheets.

    Example
    -------
    >>> from reelsense.export.rows import Column, ExportTable
    >>> write_xlsx(ExportTable("movies", (Column("year", "int"),), iter([(1996,)])),
    ...            Path("movies.xlsx"))  # doctest: +SKIP
    1
    """
    book = Workbook(write_only=True)
    sheets = 1
    sheet = _new_sheet(book, table, sheets)
    date_columns = [i for i, c in enumerate(table.columns) if c.type == "date"]
    count = 0
    in_sheet = 0
    for row in table.rows:
        if in_sheet == sheet_rows:
            sheets += 1
            log.info("sheet full at %d rows; starting sheet %d", sheet_rows, sheets)
            sheet = _new_sheet(book, table, sheets)
            in_sheet = 0
        values: list[object] = [_cell(v) for v in row]
        for i in date_columns:
            if isinstance(row[i], date):
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "yyyy-mm-dd"
                values[i] = cell
        sheet.append(values)
        count += 1
        in_sheet += 1
    book.save(str(path))
    return count
