"""XSS payloads in titles, usernames, headlines, review text, quotes and group names, and
reflected in query strings, are shown as text on every dashboard page: checked in Chromium.

A payload that ran would set ``window.__pwned``, open an ``alert`` (a dialog), or
load ``x`` / a remote stylesheet; none of that may happen, and the payload text
must be visible on the page (shown inert, not dropped). The browser talks to the
app in-process: Playwright hands each request to the test client and returns its
answer, headers (the Content-Security-Policy too) included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fastapi.testclient import TestClient

from reelsense.store import SQLiteStore
from reelsense.web import create_app
from tests.browser import PageWatch
from tests.payloads import XSS, XSS_GROUP, write_xss_corpus

pytestmark = pytest.mark.browser

ORIGIN = "http://reelsense.test"


@pytest.fixture(scope="module")
def xss_client() -> Iterator[TestClient]:
    store = SQLiteStore(":memory:")
    write_xss_corpus(store)
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        yield client
    store.close()


@pytest.fixture
def xss_page(
    browser_page: PageWatch, xss_client: TestClient
) -> Iterator[tuple[PageWatch, list[str]]]:
    """A page whose requests to :data:`ORIGIN` are answered by the app; dialogs are recorded."""
    dialogs: list[str] = []

    def answer(route: Any) -> None:
        parts = urlsplit(route.request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = xss_client.get(path)
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "content-encoding")
        }
        route.fulfill(status=response.status_code, headers=headers, body=response.content)

    page = browser_page.page
    page.route(f"{ORIGIN}/**", answer)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield browser_page, dialogs


def _chunks(size: int) -> list[str]:
    """The payloads joined by spaces into strings of at most ``size`` characters."""
    chunks = [""]
    for payload in XSS:
        if len(chunks[-1]) + len(payload) + 1 > size:
            chunks.append("")
        chunks[-1] = f"{chunks[-1]} {payload}".strip()
    return chunks


def _pages() -> list[str]:
    """Every dashboard page that shows stored text, plus queries reflecting the payloads."""
    ids = [f"tt09{i:05d}" for i in range(len(XSS))]
    paths = ["/", "/?sort=title", "/search?q=harbour", "/search?q=harbour&page=2"]
    # Each movie page shows its own title (h1, <title>) and its reviews, which carry
    # every payload between them: the pages of the payloads that break out of a title,
    # a script block or an attribute cover the rest.
    breakers = ("</title>", "</script>", '"><img', "' onmouseover", "<script>")
    paths += [f"/movies/{ids[i]}" for i, p in enumerate(XSS) if p.startswith(breakers)]
    paths += [f"/compare?group={quote(XSS_GROUP)}"]
    paths += ["/compare?" + "&".join(f"movies={m}" for m in ids[:8])]
    # Reflected: the payloads (several per request, to keep the page count down) in the
    # title filter, search box, hidden movie field, compare group and error messages.
    for chunk in _chunks(200):
        paths.append(f"/?q={quote(chunk, safe='')}")
    for chunk in _chunks(500):
        paths.append(f"/search?q={quote(chunk, safe='')}&movie={quote(chunk[:64], safe='')}")
    paths += [f"/compare?group={quote(p[:64], safe='')}" for p in XSS[:3]]
    paths += [f"/movies/{quote(XSS[0][:60], safe='')}"]  # a 404 page naming the id
    return paths


def test_no_payload_runs_on_any_dashboard_page(xss_page: tuple[PageWatch, list[str]]) -> None:
    watch, dialogs = xss_page
    page = watch.page
    shown = ""
    for path in _pages():
        page.goto(ORIGIN + path, wait_until="load")
        charts = page.locator("div.chart[data-spec]").count()
        if charts and path.startswith("/compare"):  # titles label these charts: wait for vega
            page.wait_for_selector(
                f"div.chart[data-rendered='true'] >> nth={charts - 1}", timeout=15_000
            )
        page.focus("body")
        page.hover("h1")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("iframe").count() == 0, path
        shown += page.inner_text("body")
    assert dialogs == []
    stray = [
        url for url in watch.requests if not url.startswith(f"{ORIGIN}/") or url.endswith("/x")
    ]
    assert stray == []
    # Shown as text, not dropped: every payload is readable somewhere.
    for payload in XSS:
        assert payload in shown, payload


def test_movie_page_shows_the_title_and_reviews_as_text(
    xss_page: tuple[PageWatch, list[str]],
) -> None:
    watch, dialogs = xss_page
    page = watch.page
    page.goto(f"{ORIGIN}/movies/tt0900000", wait_until="load")
    assert page.locator("#movie-title").inner_text() == f"{XSS[0]} (1990)"
    assert page.title().startswith(XSS[0])
    assert (
        page.locator("main script, main img, main svg script, main a[href^='javascript']").count()
        == 0
    )
    headline = page.locator("li.review h3").first.inner_text()
    assert headline == XSS[0]
    assert dialogs == []
