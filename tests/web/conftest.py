"""Fixtures for the web tests: an app over the hand-written insight corpus and a test client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from reelsense.store import SQLiteStore
from reelsense.web import create_app
from tests.insight.corpus import build_store

with warnings.catch_warnings():
    # Starlette asks for httpx2 when its test client is imported; httpx is what is installed.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    """The insight corpus (two Group7 movies and a third) with analysis and aspects."""
    built = build_store()
    yield built
    built.close()


@pytest.fixture
def client(store: SQLiteStore) -> Iterator[TestClient]:
    """A test client over :func:`store`; server errors come back as responses."""
    with TestClient(create_app(store), raise_server_exceptions=False) as test_client:
        yield test_client
