"""SQL and full-text injection, and oversized requests, through the API, the pages and the CLI.

Every payload of :data:`tests.payloads.INJECTION` goes into the search text and
every filter, title query, group, movie id and compare list. Each answer must
be a 2xx with results or a clear 4xx (never 5xx), and the data must be
unchanged afterwards. Requests beyond the declared limits are refused with a
4xx whose message names the limit.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from reelsense.store import SQLiteStore, StoreCounts
from reelsense.web.api import MAX_COMPARE, MAX_OFFSET, MAX_QUERY, MAX_SEARCH_PAGE
from reelsense.web.app import MAX_BODY_BYTES, MAX_URL_BYTES
from reelsense.web.queries import MAX_PAGE
from tests.cli.conftest import Cli
from tests.insight import corpus
from tests.insight.corpus import ORIGINAL, REMAKE
from tests.payloads import INJECTION

# Payloads short enough for every parameter (ids and groups are capped at 64 characters).
SHORT = [p for p in INJECTION if len(p) <= 64]


def _urls(payload: str) -> list[str]:
    """Every place a user's text reaches the store, with ``payload`` in it."""
    p = quote(payload, safe="")
    return [
        f"/api/search?q={p}",
        f'/api/search?q="{p}"',
        f"/api/movies?q={p}",
        f"/api/movies?group={p}",
        f"/api/movies/{p}",
        f"/api/movies/{p}/reviews",
        f"/api/movies/{ORIGINAL}/reviews?min_rating={p}&since={p}&sentiment={p}",
        f"/api/search?q=harbour&movie={p}",
        f"/api/search?q=harbour&min_rating={p}&max_rating={p}&until={p}&sentiment={p}",
        f"/api/compare?movies={ORIGINAL}&movies={p}",
        f"/api/compare?group={p}",
        f"/api/movies?sort={p}&limit={p}&offset={p}",
        f"/?q={p}&group={p}",
        f"/search?q=harbour&movie={p}&min_rating={p}&since={p}",
        f"/movies/{p}",
        f"/movies/{ORIGINAL}?min_rating={p}&sentiment={p}",
        f"/compare?group={p}",
        f"/compare?movies={p}&movies={REMAKE}",
    ]


def test_injection_payloads_are_answered_without_server_errors(
    client: TestClient, store: SQLiteStore
) -> None:
    before: StoreCounts = store.counts()
    harbour = len(client.get("/api/search?q=harbour&limit=100").json()["items"])
    wrong: list[str] = []
    sent = 0
    for payload in SHORT:
        for url in _urls(payload):
            response = client.get(url)
            sent += 1
            if response.status_code not in (200, 400, 404, 422):
                wrong.append(f"{url}: {response.status_code} {response.text[:120]}")
            elif response.status_code != 200 and url.startswith("/api/"):
                assert response.json()["message"], url  # a reason, not just a code
    assert wrong == []
    assert sent == len(SHORT) * len(_urls(""))
    assert store.counts() == before
    assert len(client.get("/api/search?q=harbour&limit=100").json()["items"]) == harbour


def test_always_true_conditions_do_not_widen_a_search(client: TestClient) -> None:
    """``OR 1=1`` is searched for as words (and finds nothing), not evaluated."""
    for payload in ["' OR 1=1 --", "zzz' OR 'yyy'='yyy", 'zzz" OR ""="']:
        response = client.get("/api/search", params={"q": payload})
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200:
            assert response.json()["items"] == []


def test_malformed_search_syntax_is_a_clear_400(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": '"unbalanced'})
    assert response.status_code == 400
    assert "unbalanced quote" in response.json()["message"]
    page = client.get("/search", params={"q": "OR"})
    assert page.status_code == 400
    assert "OR with nothing" in page.text


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        (f"/api/search?q={'a' * (MAX_QUERY + 1)}", f"{MAX_QUERY} characters"),
        (f"/search?q={'a' * (MAX_QUERY + 1)}", f"{MAX_QUERY} characters"),
        (f"/api/movies?q={'a' * 201}", "200 characters"),
        (f"/api/movies/{'t' * 65}", "64 characters"),
        (f"/api/movies?limit={MAX_PAGE + 1}", f"less than or equal to {MAX_PAGE}"),
        ("/api/movies?limit=0", "greater than or equal to 1"),
        (f"/api/movies?offset={MAX_OFFSET + 1}", f"less than or equal to {MAX_OFFSET}"),
        ("/api/movies?offset=-1", "greater than or equal to 0"),
        (f"/api/movies?offset={10**30}", f"less than or equal to {MAX_OFFSET}"),
        ("/api/movies?offset=1e3", "valid integer"),
        (
            f"/api/movies/{ORIGINAL}/reviews?limit={MAX_PAGE + 1}",
            f"less than or equal to {MAX_PAGE}",
        ),
        (
            f"/api/search?q=harbour&limit={MAX_SEARCH_PAGE + 1}",
            f"less than or equal to {MAX_SEARCH_PAGE}",
        ),
        ("/api/search?q=harbour&offset=10001", "less than or equal to 10000"),
        ("/api/problems?limit=1001", "less than or equal to 1000"),
        (
            "/api/compare?" + "&".join(f"movies=tt{i:07d}" for i in range(MAX_COMPARE + 1)),
            f"at most {MAX_COMPARE} items",
        ),
        (
            "/compare?" + "&".join(f"movies=tt{i:07d}" for i in range(MAX_COMPARE + 1)),
            f"at most {MAX_COMPARE} items",
        ),
        (f"/compare?movies={'t' * 65}&movies={REMAKE}", "at most 64 characters"),
        ("/?page=2001", "less than or equal to 2000"),
        (f"/movies/{ORIGINAL}?page=0", "greater than or equal to 1"),
        ("/api/search?q=harbour&min_rating=11", "less than or equal to 10"),
        ("/api/search?q=harbour&since=0", "YYYY-MM-DD"),
    ],
)
def test_oversized_requests_are_refused_with_a_clear_4xx(
    client: TestClient, url: str, limit: str
) -> None:
    response = client.get(url)
    assert response.status_code == 422, response.text[:300]
    assert limit in response.text


def test_an_oversized_url_is_refused_before_routing(client: TestClient) -> None:
    response = client.get("/api/movies?junk=" + "x" * MAX_URL_BYTES)
    assert response.status_code == 414
    assert str(MAX_URL_BYTES) in response.json()["message"]


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b'{"texts": ["' + b"x" * MAX_BODY_BYTES + b'"]}'
    response = client.post(
        "/api/predict", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "bytes" in response.json()["message"]


def test_an_oversized_body_without_a_length_is_refused(client: TestClient) -> None:
    def chunks() -> object:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    response = client.post(
        "/api/predict", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_too_many_or_too_long_texts_to_score_are_refused(client: TestClient) -> None:
    response = client.post("/api/predict", json={"texts": ["fine"] * 51})
    assert response.status_code == 422
    assert "at most 50 items" in response.text
    response = client.post("/api/predict", json={"texts": ["x" * 20_001]})
    assert response.status_code == 422
    assert "at most 20000 characters" in response.text


def test_cli_search_answers_injection_with_results_or_one_line(tmp_path: Path) -> None:
    db = tmp_path / "reviews.db"
    with SQLiteStore(db) as filled:
        filled.write(corpus.records())
        before = filled.counts()
    cli = Cli(db)
    # Every third payload: the store contract tests take all of them to search; here the
    # point is how the command reports what the store refuses.
    for payload in INJECTION[::3]:
        if "\x00" in payload:
            continue  # a NUL cannot be passed in a command-line argument
        # "--" ends the options, as a user must type it for a query that starts with "-".
        for args in (["search", "--", payload], ["search", "--movie", payload[:64], "harbour"]):
            result = cli(*args)  # asserts no traceback and no escaped exception
            assert result.exit_code in (0, 1), (args, result.output)
            if result.exit_code == 1:  # one message (wrapped to the terminal), no traceback
                assert result.output.startswith("error: "), (args, result.output)
    with SQLiteStore(db, read_only=True) as after:
        assert after.counts() == before
