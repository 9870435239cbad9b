"""Every engine scores the same reviews to the same rows (one shared suite)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze, model_version_of
from reelsense.engines import Engine, LocalEngine
from reelsense.store import SQLiteStore
from reelsense.store.base import AnalysisRow

ENGINES: dict[str, Callable[[], Engine]] = {
    "in-process": lambda: LocalEngine(default_model_dir(), workers=1),
    "two-processes": lambda: LocalEngine(default_model_dir(), workers=2),
}


def rows_of(store: SQLiteStore, batch_size: int, engine: Engine) -> list[AnalysisRow]:
    version, _ = model_version_of(engine.model_dir)
    batches = store.iter_unscored(version, batch_size=batch_size)
    return sorted(
        (row for rows in engine.score(batches) for row in rows), key=lambda r: r.review_id
    )


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest) -> Engine:
    return ENGINES[request.param]()


def test_engine_scores_every_review_once(store: SQLiteStore, engine: Engine) -> None:
    rows = rows_of(store, 25, engine)
    assert [r.review_id for r in rows] == list(range(1, 121))


def test_engine_results_equal_the_in_process_reference(store: SQLiteStore, engine: Engine) -> None:
    reference = rows_of(store, 120, ENGINES["in-process"]())
    assert rows_of(store, 25, engine) == reference


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
    store.write_analysis(first)  # as if the run had been killed after one batch
    report = analyze(store, engine, batch_size=30)
    assert (report.scored, report.already_scored) == (90, 30)
    assert store.count_unscored(version) == 0
    again = analyze(store, engine, batch_size=30)
    assert (again.scored, again.already_scored) == (0, 120)
