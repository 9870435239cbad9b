"""Store fixtures: every contract test runs once per backend.

Only SQLite exists today; a PostgreSQL backend adds a parameter to
``BACKENDS`` and a branch to ``_open``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reelsense.store import SQLiteStore, Store

BACKENDS = ["sqlite"]

StoreFactory = Callable[[], Store]


def _open(backend: str, tmp_path: Path) -> Store:
    if backend == "sqlite":
        return SQLiteStore(tmp_path / "reviews.db")
    raise AssertionError(f"unknown backend {backend}")


@pytest.fixture(params=BACKENDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens the same (initially empty) database each time it is called."""
    opened: list[Store] = []
    backend = str(request.param)

    def open_store() -> Store:
        store = _open(backend, tmp_path)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    """A fresh, empty store."""
    return store_factory()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a SQLite-specific test keeps its database file."""
    return tmp_path / "reviews.db"
