"""Schemathesis against the app's own OpenAPI: no operation answers 5xx, whatever it is sent.

Each operation is fuzzed with schema-valid requests (with random ids, and with
the ids of movies that exist so the deep code runs) and with schema-breaking
ones. Besides "no 5xx", every response must match its documented status codes,
content type and body schema, and breaking requests must be refused.
``benchmarks/hostile_requests.py`` runs the same checks for much longer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from reelsense.store import SQLiteStore
from reelsense.web import create_app
from tests.insight.corpus import ORIGINAL, REMAKE, build_store
from tests.web.schema_checks import CHECKS, negative_data_refused

EXAMPLES = 12
"""Requests per operation and mode in the suite (the benchmark sends many more)."""

OPERATIONS = [
    "GET /api/movies",
    "GET /api/movies/{movie_id}",
    "GET /api/movies/{movie_id}/reviews",
    "GET /api/search",
    "GET /api/compare",
    "POST /api/predict",
    "GET /api/problems",
]


# Values that exist in the corpus, so that valid requests reach past "no such movie".
REAL: dict[str, list[dict[str, Any]]] = {
    "GET /api/movies/{movie_id}": [{"path_parameters": {"movie_id": ORIGINAL}}],
    "GET /api/movies/{movie_id}/reviews": [{"path_parameters": {"movie_id": ORIGINAL}}],
    "GET /api/search": [{"query": {"q": "harbour"}}, {"query": {"q": "acting OR story"}}],
    "GET /api/compare": [{"query": {"movies": [ORIGINAL, REMAKE]}}, {"query": {"group": "Group7"}}],
}


@pytest.fixture(scope="module")
def api_schema() -> Iterator[schemathesis.BaseSchema]:
    """The app's OpenAPI, called in-process, over the insight corpus."""
    store: SQLiteStore = build_store()
    try:
        app = create_app(store)
        # The model loads on the first prediction; on a busy machine that could outlast
        # schemathesis' 10 s read timeout, which is not what these tests are about.
        app.state.reelsense.model()
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        store.close()


def test_every_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    labels = [result.ok().label for result in api_schema.get_all_operations()]
    assert sorted(labels) == sorted(OPERATIONS)


def _cases(operation: Any, mode: GenerationMode) -> st.SearchStrategy[Any]:
    strategies = [operation.as_strategy(generation_mode=mode)]
    if mode is GenerationMode.POSITIVE:
        strategies += [
            operation.as_strategy(generation_mode=mode, **fixed)
            for fixed in REAL.get(operation.label, [])
        ]
    return st.one_of(strategies)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_never_answers_a_server_error(
    api_schema: schemathesis.BaseSchema, label: str, mode: GenerationMode
) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None
    checks = CHECKS
    if mode is GenerationMode.NEGATIVE:
        checks = [*CHECKS, negative_data_refused]
    sent: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=_cases(operation, mode))
    def fuzz(case: Any) -> None:
        response = case.call()
        sent.append(response.status_code)
        case.validate_response(response, checks=checks)

    fuzz()
    assert sent, f"no request was generated for {label}"
    assert max(sent) < 500
