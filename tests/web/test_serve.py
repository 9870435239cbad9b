"""``reelsense serve`` through Typer's test runner (uvicorn itself is replaced)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from reelsense.cli.serve import app
from reelsense.records import Movie, Review
from reelsense.store import SQLiteStore

runner = CliRunner()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[uvicorn.Config]:
    """Configs uvicorn was asked to run; the server itself returns at once."""
    seen: list[uvicorn.Config] = []

    def run(self: uvicorn.Server, *_: Any) -> None:
        seen.append(self.config)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    return seen


def _db(path: Path) -> Path:
    with SQLiteStore(path) as store:
        store.write([Movie("tt0200001", "Night Ferry"), Review("tt0200001", 0, "Calm and kind.")])
    return path


def test_serve_binds_to_loopback_and_prints_the_address(
    tmp_path: Path, started: list[uvicorn.Config]
) -> None:
    db = _db(tmp_path / "reviews.db")
    result = runner.invoke(app, ["--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert started[0].host == "127.0.0.1" and started[0].port == 8123
    assert started[0].access_log is True


def test_serve_opens_the_database_read_only(
    tmp_path: Path, started: list[uvicorn.Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path / "reviews.db")
    opened: list[bool] = []
    real_init = SQLiteStore.__init__

    def spy(self: SQLiteStore, path: Any, *, read_only: bool = False, **kw: Any) -> None:
        opened.append(read_only)
        real_init(self, path, read_only=read_only, **kw)

    monkeypatch.setattr(SQLiteStore, "__init__", spy)
    assert runner.invoke(app, ["--db", str(db)]).exit_code == 0
    assert opened == [True]


def test_serve_warns_when_listening_beyond_loopback(
    tmp_path: Path, started: list[uvicorn.Config]
) -> None:
    db = _db(tmp_path / "reviews.db")
    result = runner.invoke(app, ["--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert "no authentication" in result.output


def test_serve_refuses_a_missing_database(tmp_path: Path, started: list[uvicorn.Config]) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1
    assert "no database here" in result.output
    assert not (tmp_path / "absent.db").exists()
    assert started == []


def test_serve_refuses_an_in_memory_database(started: list[uvicorn.Config]) -> None:
    result = runner.invoke(app, ["--db", ":memory:"])
    assert result.exit_code == 1
    assert "database file" in result.output
