"""XSS payloads in titles, usernames, headlines, review text, quotes and group names are inert
in the HTML report (opened in Chromium) and in its inline SVG charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelsense.export.charts import aspect_bars_svg
from reelsense.export.report import render_report, write_report
from reelsense.insight.results import AspectSummary
from reelsense.store import SQLiteStore
from tests.browser import PageWatch
from tests.payloads import XSS, XSS_GROUP, write_xss_corpus


@pytest.fixture
def xss_store() -> SQLiteStore:
    store = SQLiteStore(":memory:")
    write_xss_corpus(store)
    return store


@pytest.mark.parametrize("payload", XSS)
def test_svg_chart_labels_are_escaped(payload: str) -> None:
    svg = str(aspect_bars_svg([AspectSummary(payload, positive=3, negative=1, neutral=0)]))
    assert payload not in svg or "<" not in payload
    assert "<script" not in svg and "<img" not in svg and "<iframe" not in svg
    assert svg.count("<svg") == 1 and svg.endswith("</svg>")


def test_report_forbids_scripts_and_requests(xss_store: SQLiteStore) -> None:
    html = render_report(xss_store, ["tt0900000"], resamples=100)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<script" not in html.split("</head>")[1].lower().replace("&lt;script", "")


@pytest.mark.browser
def test_no_payload_runs_in_the_report(
    browser_page: PageWatch, xss_store: SQLiteStore, tmp_path: Path
) -> None:
    report = write_report(xss_store, tmp_path / "report.html", group=XSS_GROUP, resamples=200)
    page = browser_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report.as_uri(), wait_until="load")
    page.hover("h1")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.locator("script, iframe, img").count() == 0
    assert browser_page.remote_requests() == []
    text = page.inner_text("body")
    for payload in XSS:
        assert payload in text, payload  # shown as text, not dropped
    assert page.title().startswith(f"Reviews of {XSS_GROUP}")
