"""The Dask engine: same results as in-process, bounded in-flight work, clear errors."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze, model_version_of
from reelsense.engines import LocalEngine
from reelsense.errors import ConfigError
from reelsense.store import SQLiteStore
from reelsense.store.base import StoredReview
from tests.engines.cluster_options import INVALID_CLUSTER_OPTIONS
from tests.engines.conftest import corpus

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")

from reelsense.engines.dask import DaskEngine  # noqa: E402

Table = list[tuple[object, ...]]


def stored_analysis(db: Path) -> tuple[Table, Table]:
    """Every analysis row (without its timestamp) and aspect mention in ``db``."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT review_id, model_version, polarity, p_positive, predicted_rating,"
            " predicted_confidence, final_rating, rating_source, rating_confidence"
            " FROM analyses ORDER BY review_id, model_version"
        ).fetchall()
        aspects = conn.execute(
            "SELECT * FROM aspect_mentions ORDER BY review_id, model_version, sentence, aspect"
        ).fetchall()
    return rows, aspects


def analyzed_db(path: Path, engine: LocalEngine | DaskEngine, batch_size: int) -> Path:
    with SQLiteStore(path) as store:
        store.write(corpus(150))
        report = analyze(store, engine, batch_size=batch_size)
        assert report.scored == 150
    return path


def test_dask_on_its_own_local_cluster_stores_what_the_local_engine_stores(
    tmp_path: Path,
) -> None:
    local = analyzed_db(tmp_path / "local.db", LocalEngine(default_model_dir(), workers=1), 150)
    dask = analyzed_db(
        tmp_path / "dask.db", DaskEngine(default_model_dir(), workers=1, in_flight=2), 20
    )
    reference_rows, reference_aspects = stored_analysis(local)
    assert len(reference_rows) == 150 and reference_aspects
    assert stored_analysis(dask) == (reference_rows, reference_aspects)


def test_dask_on_a_scheduler_with_model_path_stores_what_the_local_engine_stores(
    tmp_path: Path, dask_scheduler: str
) -> None:
    local = analyzed_db(tmp_path / "local.db", LocalEngine(default_model_dir(), workers=1), 150)
    engine = DaskEngine(default_model_dir(), scheduler=dask_scheduler, ship_model=False)
    dask = analyzed_db(tmp_path / "dask.db", engine, 25)
    assert stored_analysis(dask) == stored_analysis(local)


def test_dask_leaves_no_model_on_the_cluster_after_a_run(
    store: SQLiteStore, dask_scheduler: str
) -> None:
    engine = DaskEngine(default_model_dir(), scheduler=dask_scheduler)
    assert analyze(store, engine, batch_size=40).scored == 120
    with distributed.Client(dask_scheduler) as client:
        plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert plugins and all(
        not any(name.startswith("reelsense") for name in names) for names in plugins.values()
    )


def test_dask_keeps_a_bounded_number_of_batches_in_flight(
    store: SQLiteStore, dask_scheduler: str
) -> None:
    version, _ = model_version_of(default_model_dir())
    pulled = 0

    def counted() -> Iterator[list[StoredReview]]:
        nonlocal pulled
        for batch in store.iter_unscored(version, batch_size=5):
            pulled += 1
            yield batch

    engine = DaskEngine(default_model_dir(), scheduler=dask_scheduler, in_flight=2)
    results = engine.score(counted())
    first = next(results)
    # two workers x two batches each, plus the one submitted when the first came back
    assert pulled <= 2 * 2 + 1
    assert len(first.rows) == 5
    assert sum(len(b.rows) for b in results) == 115
    assert pulled == 24


def test_dask_with_nothing_to_score_starts_no_cluster(store: SQLiteStore) -> None:
    engine = DaskEngine(default_model_dir(), scheduler="tcp://127.0.0.1:1", connect_timeout=0.1)
    assert list(engine.score([])) == []


def test_dask_unreachable_scheduler_is_a_config_error(store: SQLiteStore) -> None:
    engine = DaskEngine(default_model_dir(), scheduler="tcp://127.0.0.1:1", connect_timeout=0.5)
    with pytest.raises(ConfigError, match=r"cannot reach the Dask scheduler tcp://127\.0\.0\.1:1"):
        analyze(store, engine)


@pytest.mark.parametrize(
    ("options", "problem"),
    [*INVALID_CLUSTER_OPTIONS, ({"threads_per_worker": 0}, "threads_per_worker must be 1 or more")],
)
def test_dask_rejects_invalid_options(options: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        DaskEngine(default_model_dir(), **options)  # type: ignore[arg-type]


def test_dask_engine_without_dask_installed_asks_for_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "reelsense.engines.dask")
    with pytest.raises(ConfigError, match=r"reelsense\[dask\]"):
        importlib.import_module("reelsense.engines.dask")
