"""The dashboard pages render, escape what reviewers wrote, and embed charts safely."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from reelsense.records import Movie, Review
from reelsense.store import SQLiteStore
from reelsense.web.pages import highlight
from tests.insight.corpus import ORIGINAL, OTHER, REMAKE, SCRIPT

EXTERNAL = re.compile(r"""(?:src|href|action)=["']?(?:https?:)?//""")


def _page(client: TestClient, url: str, **params: Any) -> str:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert not EXTERNAL.search(response.text), "a page must load nothing from the network"
    return response.text


def _specs(html: str) -> dict[str, Any]:
    found = re.findall(
        r'<script type="application/json" id="([^"]+)">(.*?)</script>', html, flags=re.S
    )
    return {name: json.loads(body) for name, body in found}


def test_movie_list_shows_movies_sorted_and_filtered(client: TestClient) -> None:
    html = _page(client, "/")
    assert html.count("/movies/tt01000") >= 3
    grouped = _page(client, "/", group="Group7")
    assert f"/movies/{OTHER}" not in grouped
    found = _page(client, "/", q="desert")
    assert f"/movies/{OTHER}" in found and f"/movies/{ORIGINAL}" not in found
    by_title = _page(client, "/", sort="title", desc="false")
    assert by_title.index("Desert Road") < by_title.index("Harbour Lights")


def test_movie_page_has_charts_quotes_terms_and_disagreements(client: TestClient) -> None:
    html = _page(client, f"/movies/{ORIGINAL}")
    specs = _specs(html)
    assert set(specs) == {"chart-ratings-spec", "chart-years-spec", "chart-aspects-spec"}
    ratings = specs["chart-ratings-spec"]
    assert ratings["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    stated = [r for r in ratings["data"]["values"] if r["source"] == "stated" and r["reviews"]]
    assert stated == [{"rating": 9, "source": "stated", "reviews": 1}]
    assert "Marta Vell gives a haunting performance" in html  # praise quote
    assert "Clicked the wrong star" in html  # disagreement
    assert "fog" in html  # distinctive term
    assert '<script src="/static/vendor/vega/vega-embed.min.js">' in html


def test_review_with_script_is_escaped_everywhere(client: TestClient) -> None:
    html = _page(client, f"/movies/{ORIGINAL}", page=2)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Inside the chart JSON too, "</" can never close the script block.
    for body in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        assert "</" not in body
    search = _page(client, "/search", q="wonderful")
    assert SCRIPT not in search
    assert "&lt;script&gt;" in search


def test_title_with_markup_is_escaped(store: SQLiteStore, client: TestClient) -> None:
    store.write(
        [
            Movie("tt0100009", title="<b>Bold</b> & Brave", year=1999),
            Review("tt0100009", 0, "A plain review of a bold film.", rating=7.0),
        ]
    )
    listing = _page(client, "/")
    assert "<b>Bold</b>" not in listing
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Brave" in listing
    movie = _page(client, "/movies/tt0100009")
    assert "<b>Bold</b>" not in movie
    assert "&lt;b&gt;Bold&lt;/b&gt;" in movie


def test_search_page_highlights_hits_after_escaping(client: TestClient) -> None:
    html = _page(client, "/search", q="casino")
    assert "<mark>casino</mark>" in html.lower()
    assert f"/movies/{REMAKE}" in html
    empty = _page(client, "/search")
    assert "<mark>" not in empty


def test_highlight_escapes_text_then_marks() -> None:
    marked = "<i>x</i> \x02<b>\x03 done"
    assert str(highlight(marked)) == "&lt;i&gt;x&lt;/i&gt; <mark>&lt;b&gt;</mark> done"


def test_compare_page_shows_original_and_remake(client: TestClient) -> None:
    html = _page(client, "/compare", group="Group7")
    assert "original" in html and "remake 1" in html
    assert set(_specs(html)) == {"chart-compare-ratings-spec", "chart-compare-aspects-spec"}
    assert "Mann–Whitney" in html
    chooser = _page(client, "/compare")
    assert 'value="Group7"' in chooser


def test_page_errors_are_html_pages(client: TestClient) -> None:
    response = client.get("/movies/tt0000000")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no movie with id" in response.text
    bad = client.get("/compare", params={"group": "Group99"})
    assert bad.status_code == 400
    assert "Group99" in bad.text


def test_pages_declare_a_phone_viewport(client: TestClient) -> None:
    html = _page(client, "/")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    css = client.get("/static/css/site.css")
    assert css.status_code == 200
    assert "@media (max-width: 600px)" in css.text
