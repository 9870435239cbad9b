"""open_store: what users pass to --db."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import reelsense.store as store_package
from reelsense.errors import ConfigError, StoreError
from reelsense.store import SQLiteStore, open_store
from tests.store.samples import corpus


def test_open_store_takes_a_path(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as store:  # type: ignore[attr-defined]
        store.write(corpus())
    assert (tmp_path / "a.db").is_file()


def test_open_store_takes_a_string_path(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "b.db"))
    assert isinstance(store, SQLiteStore)
    assert store.path == tmp_path / "b.db"
    store.close()


def test_open_store_takes_a_relative_sqlite_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    open_store("sqlite:///relative.db").close()
    assert (tmp_path / "relative.db").is_file()


def test_open_store_takes_an_absolute_sqlite_url(tmp_path: Path) -> None:
    target = tmp_path / "abs.db"
    open_store(f"sqlite:///{target}").close()  # target starts with "/": four slashes
    assert target.is_file()


@pytest.mark.parametrize("db", [":memory:", "sqlite://", "sqlite:///:memory:"])
def test_open_store_in_memory(db: str) -> None:
    store = open_store(db)
    assert isinstance(store, SQLiteStore)
    assert store.path is None
    store.write(corpus())
    assert store.counts().reviews == 6
    store.close()


def test_open_store_read_only(tmp_path: Path) -> None:
    open_store(tmp_path / "c.db").close()
    store = open_store(tmp_path / "c.db", read_only=True)
    assert isinstance(store, SQLiteStore) and store.read_only
    store.close()


@pytest.mark.parametrize(
    "url", ["postgresql://user:secret@127.0.0.1:1/reviews", "postgres://user:secret@127.0.0.1:1/r"]
)
def test_unreachable_postgres_names_the_database_without_its_password(url: str) -> None:
    with pytest.raises(
        StoreError, match=r"postgresql://user@127\.0\.0\.1:1/\w+: cannot connect"
    ) as caught:
        open_store(url)
    assert "secret" not in str(caught.value)


def test_postgres_url_without_psycopg_asks_for_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.delitem(sys.modules, "reelsense.store.postgres", raising=False)
    monkeypatch.delitem(sys.modules, "reelsense.store.postgres_connection", raising=False)
    with pytest.raises(ConfigError, match=r"install reelsense\[postgres\]") as caught:
        open_store("postgresql://user:secret@localhost/reviews")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("", "no database given"),
        ("   ", "no database given"),
        ("mysql://localhost/db", "unsupported database URL scheme 'mysql'"),
        ("sqlite:///", "no database given"),
    ],
)
def test_open_store_rejects_what_it_cannot_open(db: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_store(db)


def test_store_package_exports_what_it_lists() -> None:
    for name in store_package.__all__:
        assert hasattr(store_package, name), name
    assert "open_store" in store_package.__all__
    assert "SQLiteStore" in store_package.__all__
