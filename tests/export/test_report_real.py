"""A report on real data: the crawler seed file plus the aclImdb movies with the most reviews,
opened in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze
from reelsense.engines import LocalEngine
from reelsense.export.report import write_report
from reelsense.ingest import ingest
from reelsense.sources import open_sources
from reelsense.sources.aclimdb import AclImdbSource
from reelsense.store import SQLiteStore
from tests.browser import PageWatch

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def build_real_report(seed: Path, archive: Path, db: Path, out: Path, top: int = 2) -> Path:
    """Ingest the seed and the aclImdb test split, analyze, report seed + top movies."""
    with SQLiteStore(db) as store:
        sources = [*open_sources([seed]), AclImdbSource(archive, splits=("test",))]
        ingest(sources, store)
        analyze(store, LocalEngine(default_model_dir()))
        busiest = [
            m.movie_id
            for m in store.list_movies(sort="reviews", descending=True, limit=top + 1)
            if m.movie_id != "tt0117407"
        ][:top]
        return write_report(store, out, ["tt0117407", *busiest], resamples=2000)


def test_real_report_renders_charts_without_errors_or_requests(
    browser_page: PageWatch, seed_file: Path, aclimdb_archive: Path, tmp_path: Path
) -> None:
    report = build_real_report(seed_file, aclimdb_archive, tmp_path / "r.db", tmp_path / "r.html")
    html = report.read_text(encoding="utf-8")
    assert "Pusher" in html and "@hotmail" not in html and "<script" not in html
    browser_page.page.goto(report.as_uri())
    browser_page.page.wait_for_load_state("load")
    # aclImdb reviews carry no dates, so their movies have no polarity-over-time chart.
    assert browser_page.page.locator("svg").count() >= 7
    assert browser_page.page.locator("svg rect").count() > 30
    assert browser_page.console_errors == []
    assert browser_page.remote_requests() == []
