"""Every engine scores the same reviews to the same rows (one shared suite)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze, model_version_of
from reelsense.engines import Engine, LocalEngine
from reelsense.store import SQLiteStore
from reelsense.store.base import AnalysisRow, AspectMention


def _dask(request: pytest.FixtureRequest) -> Engine:
    from reelsense.engines.dask import DaskEngine

    address = request.getfixturevalue("dask_scheduler")
    # ship_model=True: the workers load their own copy, as on a remote cluster.
    return DaskEngine(default_model_dir(), scheduler=address, in_flight=2, ship_model=True)


ENGINES: dict[str, Callable[[pytest.FixtureRequest], Engine]] = {
    "in-process": lambda _: LocalEngine(default_model_dir(), workers=1),
    "two-processes": lambda _: LocalEngine(default_model_dir(), workers=2),
    # explicit: the default forks only in a single-threaded process
    "two-processes-spawned": lambda _: LocalEngine(
        default_model_dir(), workers=2, start_method="spawn"
    ),
    "dask": _dask,
}


def scored(
    store: SQLiteStore, batch_size: int, engine: Engine
) -> tuple[list[AnalysisRow], list[AspectMention]]:
    version, _ = model_version_of(engine.model_dir)
    batches = store.iter_unscored(version, batch_size=batch_size)
    results = list(engine.score(batches))
    rows = sorted((r for b in results for r in b.rows), key=lambda r: r.review_id)
    aspects = sorted(
        (a for b in results for a in b.aspects), key=lambda a: (a.review_id, a.sentence, a.aspect)
    )
    return rows, aspects


def rows_of(store: SQLiteStore, batch_size: int, engine: Engine) -> list[AnalysisRow]:
    return scored(store, batch_size, engine)[0]


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest) -> Engine:
    return ENGINES[request.param](request)


def test_engine_scores_every_review_once(store: SQLiteStore, engine: Engine) -> None:
    rows = rows_of(store, 25, engine)
    assert [r.review_id for r in rows] == list(range(1, 121))


def test_engine_results_equal_the_in_process_reference(
    store: SQLiteStore, engine: Engine, request: pytest.FixtureRequest
) -> None:
    reference = scored(store, 120, ENGINES["in-process"](request))
    result = scored(store, 25, engine)
    assert result[1], "the corpus should produce aspect mentions"
    assert result == reference


def test_engine_final_rating_follows_the_evidence(store: SQLiteStore, engine: Engine) -> None:
    by_id = {r.review_id: r for r in rows_of(store, 40, engine)}
    for item in store.iter_reviews():
        row = by_id[item.review_id]
        review = item.review
        if review.rating is not None:
            assert (row.final_rating, row.rating_source) == (review.rating, "given")
        elif review.stated is not None:
            assert (row.final_rating, row.rating_source) == (review.stated.value, "stated")
        else:
            assert row.rating_source == "predicted"
            assert row.final_rating == row.predicted_rating
        assert 1 <= row.predicted_rating <= 10
        assert 0.0 <= row.p_positive <= 1.0
        assert row.polarity == ("positive" if row.p_positive >= 0.5 else "negative")


def test_analyze_is_resumable_and_scores_only_the_rest(store: SQLiteStore, engine: Engine) -> None:
    version, _ = model_version_of(engine.model_dir)
    first = next(iter(engine.score(store.iter_unscored(version, batch_size=30))))
    store.register_model(version, "{}")
    store.write_analysis(first.rows, first.aspects)  # as if the run had been killed after one batch
    report = analyze(store, engine, batch_size=30)
    assert (report.scored, report.already_scored) == (90, 30)
    assert store.count_unscored(version) == 0
    again = analyze(store, engine, batch_size=30)
    assert (again.scored, again.already_scored) == (0, 120)
