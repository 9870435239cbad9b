"""The JSON API through FastAPI's test client, over a store filled by the test."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelsense.errors import StoreError
from reelsense.records import Problem
from reelsense.store import SQLiteStore
from reelsense.web import create_app
from reelsense.web.schemas import MAX_PREDICT_TEXT, MAX_PREDICT_TEXTS
from tests.insight.corpus import ORIGINAL, OTHER, REMAKE, SCRIPT, VERSION


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["message"]
    assert "Traceback" not in response.text
    return body


def test_movies_lists_every_movie_with_counts(client: TestClient) -> None:
    body = client.get("/api/movies").json()
    assert body["total"] == 3
    by_id = {m["movie_id"]: m for m in body["items"]}
    assert by_id[ORIGINAL]["reviews"] == 32
    assert by_id[ORIGINAL]["groups"] == ["Group7"]
    assert by_id[OTHER]["mean_rating"] == pytest.approx(6.0)


def test_movies_sort_filter_and_page(client: TestClient) -> None:
    by_reviews = client.get("/api/movies", params={"sort": "reviews", "desc": True}).json()
    assert [m["movie_id"] for m in by_reviews["items"]] == [ORIGINAL, REMAKE, OTHER]
    grouped = client.get("/api/movies", params={"group": "Group7"}).json()
    assert {m["movie_id"] for m in grouped["items"]} == {ORIGINAL, REMAKE}
    many = client.get("/api/movies", params={"min_reviews": 21}).json()
    assert {m["movie_id"] for m in many["items"]} == {ORIGINAL, REMAKE}
    titled = client.get("/api/movies", params={"q": "desert"}).json()
    assert [m["movie_id"] for m in titled["items"]] == [OTHER]
    page = client.get(
        "/api/movies", params={"sort": "reviews", "desc": True, "limit": 1, "offset": 1}
    ).json()
    assert page["total"] == 3
    assert [m["movie_id"] for m in page["items"]] == [REMAKE]


@pytest.mark.parametrize(
    "params",
    [{"limit": 201}, {"limit": 0}, {"offset": -1}, {"sort": "popularity"}, {"q": "x" * 201}],
)
def test_movies_refuses_out_of_range_parameters(client: TestClient, params: dict[str, Any]) -> None:
    body = _error(client.get("/api/movies", params=params), 422)
    assert body["errors"]


def test_movie_gives_summary_and_insight(client: TestClient) -> None:
    body = client.get(f"/api/movies/{ORIGINAL}").json()
    assert body["movie"]["title"] == "Harbour Lights"
    insight = body["insight"]
    assert insight["model_version"] == VERSION
    assert insight["reviews"] == 32
    assert sum(insight["ratings"]["histograms"]["stated"].values()) == 1
    assert insight["praised"][0]["aspect"] == "acting"
    assert insight["disagreements"][0]["author"] == "Grump"
    assert {t["term"] for t in insight["terms"]} & {"fog", "harbour lighthouse"}


def test_unknown_movie_is_404_json(client: TestClient) -> None:
    for url in ("/api/movies/tt0000000", "/api/movies/tt0000000/reviews"):
        assert "tt0000000" in _error(client.get(url), 404)["message"]


def test_reviews_are_paged_and_never_carry_emails(client: TestClient) -> None:
    first = client.get(f"/api/movies/{ORIGINAL}/reviews", params={"limit": 10}).json()
    assert first["total"] == 32
    assert len(first["items"]) == 10
    rest = client.get(f"/api/movies/{ORIGINAL}/reviews", params={"limit": 200, "offset": 10}).json()
    ids = [r["review_id"] for r in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 32
    everything = json.dumps(first) + json.dumps(rest)
    assert "mika@example.org" not in everything
    assert "email" not in everything
    script = next(r for r in rest["items"] if r["display_name"] == "Mika Vale")
    assert SCRIPT in script["text"]
    assert script["stated_rating"] == 9.0
    assert script["rating_source"] == "stated"


def test_reviews_filter_by_rating_sentiment_and_dates(client: TestClient) -> None:
    url = f"/api/movies/{ORIGINAL}/reviews"

    def ids(**params: Any) -> set[str]:
        items = client.get(url, params={"limit": 200, **params}).json()["items"]
        return {r["display_name"] for r in items}

    assert ids(sentiment="negative") == {"Grump"}
    assert "Mika Vale" not in ids(min_rating=9)  # gave no rating
    assert "Mika Vale" in ids(min_rating=9, filled=True)  # stated 9/10
    low = client.get(url, params={"max_rating": 7}).json()
    assert low["total"] == 6 and all(r["rating"] <= 7 for r in low["items"])
    dated = client.get(url, params={"since": "2001-01-01", "until": "2001-12-31"}).json()
    assert dated["total"] > 0
    assert all(r["date"].startswith("2001") for r in dated["items"])


def test_reviews_refuse_contradictory_or_oversized_filters(client: TestClient) -> None:
    url = f"/api/movies/{ORIGINAL}/reviews"
    _error(client.get(url, params={"min_rating": 8, "max_rating": 3}), 400)
    _error(client.get(url, params={"since": "2005-01-01", "until": "2001-01-01"}), 400)
    _error(client.get(url, params={"limit": 500}), 422)
    _error(client.get(url, params={"min_rating": 11}), 422)
    _error(client.get(url, params={"sentiment": "meh"}), 422)


def test_search_returns_hits_with_match_offsets(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "casino", "limit": 5}).json()
    assert body["items"]
    for hit in body["items"]:
        assert hit["movie_id"] == REMAKE
        assert "\x02" not in hit["snippet"]
        assert hit["snippet_matches"]
        start, end = hit["snippet_matches"][0]
        assert hit["snippet"][start:end].lower() == "casino"


def test_search_applies_filters_like_the_cli(client: TestClient) -> None:
    negative = client.get("/api/search", params={"q": "harbour", "sentiment": "negative"}).json()
    assert {h["movie_id"] for h in negative["items"]} <= {ORIGINAL, REMAKE}
    assert all(h["polarity"] == "negative" for h in negative["items"])
    only = client.get("/api/search", params={"q": "harbour", "movie": OTHER}).json()
    assert only["items"] == []
    rated = client.get("/api/search", params={"q": "harbour", "min_rating": 9, "limit": 100})
    assert all(h["rating"] >= 9 for h in rated.json()["items"])


def test_search_never_shows_emails(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "wonderful"}).json()
    assert body["items"][0]["display_name"] == "Mika Vale"
    assert "mika@example.org" not in json.dumps(body)


def test_search_refuses_empty_long_or_malformed_queries(client: TestClient) -> None:
    _error(client.get("/api/search"), 422)
    _error(client.get("/api/search", params={"q": ""}), 422)
    _error(client.get("/api/search", params={"q": "a" * 501}), 422)
    _error(client.get("/api/search", params={"q": "x", "limit": 101}), 422)


def test_compare_group_puts_the_original_first(client: TestClient) -> None:
    body = client.get("/api/compare", params={"group": "Group7"}).json()
    assert [m["movie_id"] for m in body["movies"]] == [ORIGINAL, REMAKE]
    assert body["movies"][0]["position"] == 0
    test = body["tests"][0]
    assert test["result"]["p_value"] < 0.001
    assert "higher" in test["explanation"]


def test_compare_movies_by_id(client: TestClient) -> None:
    body = client.get("/api/compare", params=[("movies", OTHER), ("movies", ORIGINAL)]).json()
    assert [m["movie_id"] for m in body["movies"]] == [OTHER, ORIGINAL]
    assert body["tests"][0]["reference_id"] == OTHER


def test_compare_errors(client: TestClient) -> None:
    _error(client.get("/api/compare"), 400)
    _error(client.get("/api/compare", params={"group": "Group7", "movies": ORIGINAL}), 400)
    _error(client.get("/api/compare", params={"movies": ORIGINAL}), 400)
    _error(client.get("/api/compare", params={"group": "Group99"}), 400)
    _error(client.get("/api/compare", params=[("movies", ORIGINAL), ("movies", "tt0")]), 404)
    _error(client.get("/api/compare", params=[("movies", f"tt{i}") for i in range(9)]), 422)


def test_predict_scores_texts_in_order(client: TestClient) -> None:
    body = client.post(
        "/api/predict",
        json={"texts": ["A moving, beautifully acted film. 10/10", "Awful, boring, a waste."]},
    ).json()
    assert [p["polarity"] for p in body["items"]] == ["positive", "negative"]
    assert 1 <= body["items"][1]["rating"] <= 10
    assert body["model_version"]


def test_predict_loads_the_model_once(client: TestClient) -> None:
    client.post("/api/predict", json={"texts": ["good"]})
    state = client.app.state.reelsense  # type: ignore[attr-defined]
    first = state.model()
    client.post("/api/predict", json={"texts": ["bad"]})
    assert state.model() is first


@pytest.mark.parametrize(
    "payload",
    [
        {"texts": []},
        {"texts": ["x"] * (MAX_PREDICT_TEXTS + 1)},
        {"texts": ["x" * (MAX_PREDICT_TEXT + 1)]},
        {"texts": "not a list"},
        {"text": ["wrong field"]},
    ],
)
def test_predict_refuses_bad_payloads(client: TestClient, payload: dict[str, Any]) -> None:
    _error(client.post("/api/predict", json=payload), 422)


def test_problems_lists_ingest_problems(store: SQLiteStore, client: TestClient) -> None:
    store.write([Problem("Group1/Movie2.txt", 14, "unclosed <review> element")])
    body = client.get("/api/problems").json()
    assert body["items"] == [
        {"source_file": "Group1/Movie2.txt", "line": 14, "message": "unclosed <review> element"}
    ]
    _error(client.get("/api/problems", params={"limit": 5000}), 422)


def test_store_errors_are_503_and_crashes_are_500_without_details(
    store: SQLiteStore, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(**_: Any) -> None:
        raise StoreError("reviews.db: database is locked by another process")

    monkeypatch.setattr(store, "list_movies", locked)
    assert "locked" in _error(client.get("/api/movies"), 503)["message"]

    def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("secret internal detail /home/x/reviews.db")

    monkeypatch.setattr(store, "search", crash)
    response = client.get("/api/search", params={"q": "fog"})
    body = _error(response, 500)
    assert body["message"] == "internal server error"
    assert "secret" not in response.text


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    _error(client.get("/api/nothing-here"), 404)


def test_openapi_describes_every_endpoint_and_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/movies",
        "/api/movies/{movie_id}",
        "/api/movies/{movie_id}/reviews",
        "/api/search",
        "/api/compare",
        "/api/predict",
        "/api/problems",
    ):
        assert path in paths
    assert not any(not p.startswith("/api/") for p in paths)
    schemas = spec["components"]["schemas"]
    for name in ("MovieListOut", "MovieInsightOut", "ReviewOut", "ComparisonOut", "ErrorOut"):
        assert name in schemas
    assert "email" not in schemas["ReviewOut"]["properties"]
    get_movie = paths["/api/movies/{movie_id}"]["get"]
    assert get_movie["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MovieDetailOut"
    }
    assert get_movie["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


def test_docs_page_uses_only_local_assets(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "SwaggerUIBundle" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "cdn." not in html
    for asset in re.findall(r"""(?:src|href)=["']([^"']+)["']""", html):
        assert client.get(asset).status_code == 200, asset


def test_app_keeps_the_store_it_was_given() -> None:
    store = SQLiteStore(":memory:")
    app = create_app(store)
    assert app.state.reelsense.store is store
    store.close()
