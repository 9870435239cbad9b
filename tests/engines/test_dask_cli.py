"""``reelsense analyze --engine dask`` and ``--scheduler``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelsense.cli.analysis import app
from reelsense.store import SQLiteStore
from tests.engines.conftest import corpus

pytest.importorskip("distributed", reason="dask[distributed] is not installed")


def filled_db(path: Path) -> Path:
    with SQLiteStore(path) as store:
        store.write(corpus(60))
    return path


def analysis_of(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT review_id, polarity, p_positive, final_rating, rating_source"
            " FROM analyses ORDER BY review_id"
        ).fetchall()


def test_analyze_on_a_dask_scheduler_stores_what_the_local_engine_stores(
    tmp_path: Path, dask_scheduler: str
) -> None:
    runner = CliRunner()
    local, dask = filled_db(tmp_path / "local.db"), filled_db(tmp_path / "dask.db")
    assert runner.invoke(app, ["analyze", "--db", str(local), "-q"]).exit_code == 0
    result = runner.invoke(
        app,
        ["analyze", "--db", str(dask), "-q", "--scheduler", dask_scheduler, "--batch-size", "7"],
    )
    assert result.exit_code == 0, result.output
    assert "scored 60 reviews" in result.stdout
    assert "distributed" not in result.output  # no Dask log lines without --verbose
    assert len(analysis_of(dask)) == 60
    assert analysis_of(dask) == analysis_of(local)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--engine", "local", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs"),
        (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "with --scheduler"),
    ],
)
def test_analyze_rejects_contradictory_engine_options(
    tmp_path: Path, args: list[str], problem: str
) -> None:
    db = filled_db(tmp_path / "r.db")
    result = CliRunner().invoke(app, ["analyze", "--db", str(db), "-q", *args])
    assert result.exit_code == 1
    assert problem in result.output
    assert analysis_of(db) == []


def test_analyze_rejects_an_unknown_engine(tmp_path: Path) -> None:
    db = filled_db(tmp_path / "r.db")
    result = CliRunner().invoke(app, ["analyze", "--db", str(db), "--engine", "spark"])
    assert result.exit_code == 2
    assert "spark" in result.output
