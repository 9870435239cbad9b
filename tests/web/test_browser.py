"""The dashboard in headless Chromium against a live ``reelsense serve`` on a free loopback port."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pytest

from reelsense.records import Movie, Review
from reelsense.store import SQLiteStore
from tests.browser import PageWatch
from tests.insight import corpus
from tests.insight.corpus import ORIGINAL, SCRIPT

pytestmark = pytest.mark.browser

BOLD_ID = "tt0100009"
PAGES = [
    "/",
    f"/movies/{ORIGINAL}",
    f"/movies/{BOLD_ID}",
    "/compare",
    "/compare?group=Group7",
    "/search?q=harbour",
]
SERVE = "from reelsense.cli.serve import app; app(prog_name='reelsense')"


@dataclass
class Served:
    """A running server: its address and process."""

    origin: str
    process: subprocess.Popen[str]


def _fill(path: Path) -> None:
    """The insight corpus (scored by its hand-written 'model') plus a title with markup."""
    with SQLiteStore(path) as store:
        store.write(corpus.records())
        store.write(
            [
                Movie(BOLD_ID, title="<b>Bold</b> & Brave", year=1999),
                Review(BOLD_ID, 0, "A plain review of a bold film.", rating=7.0),
            ]
        )
        store.register_model(corpus.VERSION, '{"version": "test-insight-1"}')
        items = list(store.iter_reviews())
        store.write_analysis(
            [corpus._analysis(i.review_id, i.review) for i in items],
            [m for i in items for m in corpus._aspects(i.review_id, i.review)],
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``reelsense serve`` over a filled database; stopped with Ctrl-C (SIGINT) afterwards."""
    db = tmp_path_factory.mktemp("serve") / "reviews.db"
    _fill(db)
    log = db.parent / "serve.log"
    with log.open("w") as out:
        process, origin = _start(db, out)
        try:
            yield Served(origin, process)
        finally:
            _stop(process)


def _start(db: Path, out: IO[str]) -> tuple[subprocess.Popen[str], str]:
    """Start ``reelsense serve`` (output to ``out``) and wait until it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--db", str(db), "--port", str(port)],
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{origin}/api/movies", timeout=2).status_code == 200:
                return process, origin
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            pytest.fail(f"reelsense serve did not start; see {out.name}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[str]) -> None:
    """Ctrl-C (SIGINT), then kill if it does not stop within 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _open(watch: PageWatch, url: str) -> None:
    response = watch.page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url


def _wait_for_charts(watch: PageWatch) -> int:
    page = watch.page
    expected = page.locator("div.chart[data-spec]").count()
    if expected:
        page.wait_for_selector(
            f"div.chart[data-rendered='true'] >> nth={expected - 1}", timeout=15_000
        )
    return int(expected)


def test_every_page_loads_offline_without_console_errors(
    served: Served, browser_page: PageWatch
) -> None:
    for path in PAGES:
        _open(browser_page, served.origin + path)
        _wait_for_charts(browser_page)
    assert browser_page.console_errors == []
    assert browser_page.remote_from(served.origin) == []
    assert any("/static/vendor/vega/vega.min.js" in url for url in browser_page.requests)


@pytest.mark.parametrize("path", [f"/movies/{ORIGINAL}", "/compare?group=Group7"])
def test_charts_render_as_svg_with_marks(
    served: Served, browser_page: PageWatch, path: str
) -> None:
    _open(browser_page, served.origin + path)
    charts = _wait_for_charts(browser_page)
    assert charts >= 2
    page = browser_page.page
    for index in range(charts):
        chart = page.locator("div.chart[data-spec]").nth(index)
        assert chart.locator("svg").count() == 1
        marks = chart.locator("svg g.role-mark path, svg g.role-mark line, svg g.role-mark rect")
        assert marks.count() > 0, f"chart {index} of {path} drew no marks"
    assert browser_page.console_errors == []


def test_search_by_typing_and_pressing_enter(served: Served, browser_page: PageWatch) -> None:
    page = browser_page.page
    _open(browser_page, served.origin + "/search")
    page.fill("#search-q", "casino")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-hits li.review")
    assert "q=casino" in page.url
    marks = page.locator("#search-hits mark")
    assert marks.count() > 0
    assert marks.first.inner_text().lower() == "casino"
    page.select_option("#search-sentiment", "positive")
    page.click("#search-go")
    page.wait_for_selector("#search-count")
    assert "sentiment=positive" in page.url
    assert page.locator("#search-hits li.review").count() == 0  # the remake reviews are negative
    assert browser_page.console_errors == []


def test_group_filter_and_sort_by_clicking(served: Served, browser_page: PageWatch) -> None:
    page = browser_page.page
    _open(browser_page, served.origin + "/")
    assert page.locator("#movie-table tbody tr").count() == 4
    page.select_option("#movie-group", "Group7")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**group=Group7**")
    assert page.locator("#movie-table tbody tr").count() == 2
    page.click("#movie-table thead a:has-text('Year')")
    page.wait_for_url("**sort=year**")
    years = page.locator("#movie-table tbody td:nth-child(2)").all_inner_texts()
    assert years == sorted(years, reverse=True) and len(years) == 2
    page.fill("#movie-q", "harbour")
    page.press("#movie-q", "Enter")
    page.wait_for_url("**q=harbour**")
    assert page.locator("#movie-table tbody tr").count() == 2


def test_script_in_a_review_is_shown_as_text(served: Served, browser_page: PageWatch) -> None:
    page = browser_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _open(browser_page, f"{served.origin}/movies/{ORIGINAL}?page=2")
    review = page.locator("li.review", has_text="Wonderful fog and harbour mood")
    assert SCRIPT in review.inner_text()
    assert page.locator("li.review script").count() == 0
    _open(browser_page, f"{served.origin}/movies/{BOLD_ID}")
    assert "<b>Bold</b> & Brave" in page.locator("#movie-title").inner_text()
    assert page.locator("#movie-title b").count() == 0
    assert dialogs == []


def test_api_docs_render_offline(served: Served, browser_page: PageWatch) -> None:
    page = browser_page.page
    _open(browser_page, served.origin + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.locator(".swagger-ui .opblock").count() >= 7
    assert browser_page.console_errors == []
    assert browser_page.remote_from(served.origin) == []


def test_pages_fit_a_phone_screen(served: Served, browser_page: PageWatch) -> None:
    page = browser_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    for path in PAGES:
        _open(browser_page, served.origin + path)
        _wait_for_charts(browser_page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways at 390px ({width}px wide)"


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "reviews.db"
    _fill(db)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process, origin = _start(db, out)
        assert httpx.get(f"{origin}/", timeout=5).status_code == 200
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    output = log.read_text()
    assert process.returncode == 0, output
    assert f"serving {db} at {origin}/" in output
    assert '"GET / HTTP/1.1" 200' in output  # the access log
    assert "server stopped" in output
    assert "Traceback" not in output
