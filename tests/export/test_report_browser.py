"""The HTML report opened in headless Chromium: charts drawn, no errors, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelsense.export.report import write_report
from tests.browser import PageWatch
from tests.insight.corpus import build_store

pytestmark = pytest.mark.browser


def open_report(watch: PageWatch, report: Path) -> None:
    watch.page.goto(report.as_uri())
    watch.page.wait_for_load_state("load")


def test_report_renders_charts_without_errors_or_requests(
    browser_page: PageWatch, tmp_path: Path
) -> None:
    report = write_report(build_store(), tmp_path / "report.html", group="Group7", resamples=1000)
    open_report(browser_page, report)
    marks = browser_page.page.locator("svg rect, svg path, svg line, svg circle").count()
    assert browser_page.page.locator("svg").count() >= 3
    assert marks > 20
    assert browser_page.console_errors == []
    assert browser_page.remote_requests() == []


def test_report_shows_script_in_review_text_as_text(
    browser_page: PageWatch, tmp_path: Path
) -> None:
    report = write_report(build_store(), tmp_path / "report.html", group="Group7", resamples=1000)
    open_report(browser_page, report)
    assert "<script>alert(1)</script>" in browser_page.page.inner_text("body")
    assert browser_page.page.locator("script").count() == 0


def test_report_fits_a_phone_screen(browser_page: PageWatch, tmp_path: Path) -> None:
    report = write_report(build_store(), tmp_path / "report.html", group="Group7", resamples=1000)
    browser_page.page.set_viewport_size({"width": 390, "height": 844})
    open_report(browser_page, report)
    width = browser_page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
