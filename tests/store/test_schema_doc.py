"""docs/SCHEMA.md stays true: every table is documented and every example runs."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from reelsense.store import SQLiteStore
from tests.store.samples import corpus

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "SCHEMA.md"


@pytest.fixture
def doc() -> str:
    return SCHEMA_DOC.read_text(encoding="utf-8")


@pytest.fixture
def conn(db_path: Path) -> sqlite3.Connection:
    with SQLiteStore(db_path) as store:
        store.write(corpus())
    return sqlite3.connect(db_path)


def test_every_table_and_column_is_documented(doc: str, conn: sqlite3.Connection) -> None:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'reviews_fts_%'"
        )
    ]
    assert "reviews" in tables and "schema_version" in tables
    for table in tables:
        assert f"## `{table}`" in doc, table
        if table == "reviews_fts":
            continue
        for column in (row[1] for row in conn.execute(f"PRAGMA table_info({table})")):
            assert f"`{column}`" in doc, f"{table}.{column}"
    conn.close()


def test_example_queries_run(doc: str, conn: sqlite3.Connection) -> None:
    queries = re.findall(r"```sql\n(.*?)```", doc, re.DOTALL)
    assert len(queries) >= 3
    for query in queries:
        assert conn.execute(query).fetchall(), query
    conn.close()
