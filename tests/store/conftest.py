"""Store fixtures: every contract test runs once per backend.

``BACKENDS`` lists SQLite and PostgreSQL. The PostgreSQL parameter starts one
throwaway cluster per test session (:mod:`tests.pg_server`) and gives each
test a fresh database. It skips, with the reason, only when the server
binaries are absent, and fails instead when ``CI=true`` (CI must run it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reelsense.store import SQLiteStore, Store
from tests.pg_server import pg_server, pg_url

__all__ = ["BACKENDS", "StoreFactory", "pg_server", "pg_url"]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

StoreFactory = Callable[[], Store]


def _open(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], Store]:
    if backend == "sqlite":
        return lambda: SQLiteStore(tmp_path / "reviews.db")
    if backend == "postgres":
        from reelsense.store.postgres import PostgresStore

        url = str(request.getfixturevalue("pg_url"))
        return lambda: PostgresStore(url)
    raise AssertionError(f"unknown backend {backend}")


@pytest.fixture(params=BACKENDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens the same (initially empty) database each time it is called."""
    opened: list[Store] = []
    make = _open(str(request.param), tmp_path, request)

    def open_store() -> Store:
        store = make()
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
