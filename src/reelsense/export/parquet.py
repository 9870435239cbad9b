"""Parquet: typed columns, written in record batches of ~10,000 rows."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from reelsense.export.rows import Column, ExportTable

__all__ = ["BATCH_ROWS", "arrow_schema", "write_parquet"]

BATCH_ROWS = 10_000
"""Rows held in memory and written per record batch."""

_ARROW_TYPES: dict[str, pa.DataType] = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of the columns: strings, int64, float64, bool, date32; all nullable.

    Example
    -------
    >>> from reelsense.export.rows import columns_for
    >>> arrow_schema(columns_for("movies")).field("year").type
    DataType(int64)
    """
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.type], nullable=True) for c in columns])


def write_parquet(table: ExportTable, path: Path, *, batch_rows: int = BATCH_ROWS) -> int:
    """Write ``table`` to a Parquet file, one record batch at a time.

    Parameters
    ----------
    table:
        Columns and streamed rows.
    path:
        The file to write (created or replaced).
    batch_rows:
        Rows per record batch; memory holds one batch.

    Returns
    -------
    int
        The number of rows written.

    Example
    -------
    >>> from reelsense.export.rows import Column, ExportTable
    >>> write_parquet(ExportTable("movies", (Column("year", "int"),), iter([(1996,)])),
    ...               Path("movies.parquet"))  # doctest: +SKIP
    1
    """
    schema = arrow_schema(table.columns)
    count = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        while True:
            chunk = list(islice(table.rows, batch_rows))
            if not chunk:
                break
            arrays = [
                pa.array([row[i] for row in chunk], type=field.type)
                for i, field in enumerate(schema)
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            count += len(chunk)
    return count
