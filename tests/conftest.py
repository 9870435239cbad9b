"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelsense.store import SQLiteStore

pytest_plugins = ["tests.browser"]

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SEED_FILE = SHARED_DATA / "seed" / "000_02b5297a58df6d9a.txt"
ACLIMDB = SHARED_DATA / "aclImdb_v1.tar.gz"
EXAMPLE_CORPUS = REPO / "examples" / "corpus"


@pytest.fixture
def seed_file() -> Path:
    """The real crawler seed file from ../shared/data (skips when absent)."""
    if not SEED_FILE.is_file():
        pytest.skip(f"real crawler seed file not found at {SEED_FILE}")
    return SEED_FILE


@pytest.fixture
def aclimdb_archive() -> Path:
    """The aclImdb v1 archive from ../shared/data (skips when absent)."""
    if not ACLIMDB.is_file():
        pytest.skip(f"aclImdb archive not found at {ACLIMDB}")
    return ACLIMDB


@pytest.fixture
def example_corpus() -> Path:
    """The example corpus the project ships (written by its authors)."""
    return EXAMPLE_CORPUS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh SQLite database file."""
    return tmp_path / "reviews.db"


@pytest.fixture
def fresh_db() -> Iterator[SQLiteStore]:
    """An empty in-memory store."""
    store = SQLiteStore(":memory:")
    yield store
    store.close()
