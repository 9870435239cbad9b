"""Hostile tables for :func:`reelsense.sources.tabular.read_tabular`, and its invariants.

Tables are built from cells that hurt (quotes, line breaks, NULs, huge
numbers, ``NaN``, deep JSON nesting, invalid UTF-8) and then damaged at the
byte level. The invariant beyond "no crash": every data row is accounted
for. A CSV/TSV row (a record as the ``csv`` module reads it, named by the
physical line it starts on), a non-blank JSONL line and a Parquet row (named
by its 1-based number) each give a review or a problem naming that line,
unless a problem has said the rest of the file could not be read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from reelsense.errors import ReelsenseError
from reelsense.records import Problem, Record, Review
from reelsense.sources.tabular import parse_mapping, read_tabular
from tests.sources.fuzzing import check_record_values, damaged

MAPPING = parse_mapping(
    [
        "text=body",
        "rating=stars",
        "movie=film",
        "year=year",
        "date=day",
        "user=user",
        "headline=title",
        "review_id=id",
        "title=name",
    ]
)
COLUMNS = ["body", "stars", "film", "year", "day", "user", "title", "id", "name"]

CELLS = [
    "",
    "Good film. 9/10",
    "multi\nline\r\nreview",
    'quote " inside',
    '"',
    ",",
    "\t",
    "\x00",
    "null",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "-1",
    "-1.0",
    "7",
    "10.5",
    "0",
    "2",
    "²",
    "1999",
    "99999999999999999999",
    "2020-01-02",
    "someday",
    "9999-12-31T25:00",
    "tt9900401",
    "Ann (ann@example.com)",
    "S?erne ½",
    "x" * 300,
]


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(CELLS), st.text(max_size=12))


@st.composite
def csv_bytes(draw: st.DrawFn, delimiter: str = ",") -> bytes:
    """A CSV (or TSV) table with the mapped columns, hostile cells, then byte damage."""
    header = draw(st.permutations(COLUMNS))
    if draw(st.integers(0, 9)) == 0:
        header = header[: draw(st.integers(0, len(header)))]  # a mapped column is missing
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for _ in range(draw(st.integers(0, 6))):
        width = len(header) + draw(st.sampled_from([0, 0, 0, -1, 1]))
        writer.writerow([draw(_cell()) for _ in range(max(width, 0))])
    data: bytes = draw(damaged(out.getvalue().encode("utf-8")))
    return data


def _json_value() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(CELLS),
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


JSON_LINES = [
    "{not json",
    "[1, 2]",
    '"a string"',
    "null",
    "[" * 5000 + "]" * 5000,
    '{"body": ' + "1" * 5000 + "}",
    '{"body": NaN, "stars": Infinity}',
    '{"body": "\\ud800"}',
    "\x00",
]


@st.composite
def jsonl_bytes(draw: st.DrawFn) -> bytes:
    """JSON Lines with hostile values and hostile lines, then byte damage."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(JSON_LINES)))
            continue
        keys = draw(st.lists(st.sampled_from(COLUMNS), unique=True))
        row = {key: draw(_json_value()) for key in ["body", *keys]}
        lines.append(json.dumps(row))
    data: bytes = draw(damaged("\n".join(lines).encode("utf-8")))
    return data


@st.composite
def parquet_bytes(draw: st.DrawFn) -> bytes:
    """A small Parquet file with odd values, sometimes with bytes cut or changed."""
    rows = draw(st.integers(0, 5))
    table = pa.table(
        {
            "body": [draw(st.one_of(st.none(), _cell())) for _ in range(rows)],
            "stars": [draw(st.one_of(st.none(), st.floats())) for _ in range(rows)],
            "film": [draw(st.sampled_from(["tt1", "tt2", "\x00", ""])) for _ in range(rows)],
            "year": [draw(st.one_of(st.none(), st.integers(-(2**62), 2**62))) for _ in range(rows)],
            "day": [draw(st.sampled_from(CELLS)) for _ in range(rows)],
            "user": [draw(_cell()) for _ in range(rows)],
            "title": [draw(_cell()) for _ in range(rows)],
            "id": [draw(_cell()) for _ in range(rows)],
            "name": [draw(_cell()) for _ in range(rows)],
        }
    )
    out = io.BytesIO()
    pq.write_table(table, out)
    data = bytearray(out.getvalue())
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


def _expected_csv_rows(data: bytes, delimiter: str) -> tuple[list[int], bool]:
    """Start lines of the CSV's data rows (per the csv module), and whether it stops early."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[int] = []
    line = 0
    header = True
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return rows, False
        except csv.Error:
            return rows, True
        line = reader.line_num
        if header:
            header = False
        elif values:
            rows.append(start)


def _expected_jsonl_rows(data: bytes) -> list[int]:
    text = data.decode("utf-8-sig", errors="replace")
    with io.StringIO(text, newline=None) as handle:
        return [number for number, line in enumerate(handle, start=1) if line.strip()]


def _expected_parquet_rows(data: bytes) -> list[int] | None:
    try:
        count = pq.ParquetFile(io.BytesIO(data)).metadata.num_rows
    except Exception:  # an unreadable file: only the reader's own error is checked
        return None
    return list(range(1, count + 1))


def check_tabular(data: bytes, suffix: str, folder: Path) -> list[Record]:
    """Write ``data`` as a table, read it, assert every invariant of :func:`read_tabular`."""
    path = folder / f"reviews{suffix}"
    path.write_bytes(data)
    try:
        records = list(read_tabular(path, MAPPING))
    except ReelsenseError:
        return []
    check_record_values(records, str(path))
    lines_seen: dict[int, list[Record]] = {}
    for record in records:
        line = record.line if isinstance(record, Problem) else record.source_line
        if line is not None:
            lines_seen.setdefault(line, []).append(record)
    stopped = any(isinstance(r, Problem) and "stopped" in r.message for r in records)
    expected: Sequence[int] | None
    if suffix in (".csv", ".tsv"):
        expected, stops = _expected_csv_rows(data, "\t" if suffix == ".tsv" else ",")
        assert stopped or not stops, "an unreadable CSV must say where it stopped"
    elif suffix == ".jsonl":
        expected = _expected_jsonl_rows(data)
    else:
        expected = _expected_parquet_rows(data)
    if expected is not None:
        last_problem = max((r.line or 0 for r in records if isinstance(r, Problem)), default=0)
        for line in expected:
            if stopped and line >= last_problem:
                break
            assert line in lines_seen, f"row at line {line} left no review or problem"
            assert sum(isinstance(r, Review) for r in lines_seen[line]) <= 1
    return records
