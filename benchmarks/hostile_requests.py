"""Schemathesis against the app's own OpenAPI, at length: requests sent and 5xx found (must be 0).

Builds a database from the crawler seed file (``../shared/data/seed``, one
movie and its reviews), scores it with the shipped model, and serves it
in-process (ASGI, nothing leaves the process). Then every operation of
``/openapi.json`` gets ``--examples`` schema-valid requests (half of them with
the ids of stored movies, so the deep code runs) and ``--examples``
schema-breaking ones. Each response is checked for: no 5xx, a documented
status code, the documented content type and body schema, and (for the
breaking requests) a refusal. Prints per operation and in all: requests, status
codes, 5xx and other check failures.

    .venv/bin/python benchmarks/hostile_requests.py [--db FILE] [--examples 500]

``--db`` fuzzes an existing (analysed) database instead of building one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze
from reelsense.engines import LocalEngine
from reelsense.ingest import discover, ingest
from reelsense.store import SQLiteStore, Store, open_store
from reelsense.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the suite's checks
from tests.web.schema_checks import CHECKS, negative_data_refused

DEFAULT_SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed"


def build_db(seed: Path, db: Path) -> None:
    """Ingest the seed crawler files into ``db`` and score them with the shipped model."""
    sources, errors = discover([seed])
    with open_store(db) as store:
        ingest(sources, store, unreadable=errors)
        analyze(store, LocalEngine(default_model_dir(), workers=1))
        counts = store.counts()
    print(f"built {db.name}: {counts.movies} movies, {counts.reviews:,} reviews (analysed)")


def real_values(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Fixed parameters naming stored movies, groups and words, per operation."""
    movies = [m.movie_id for m in store.list_movies(sort="reviews", descending=True, limit=3)]
    groups = sorted({g for m in store.list_movies() for g in m.groups})
    real: dict[str, list[dict[str, Any]]] = {
        "GET /api/search": [{"query": {"q": "acting"}}, {"query": {"q": '"the film" OR story'}}],
    }
    if movies:
        by_id = [{"path_parameters": {"movie_id": movies[0]}}]
        real["GET /api/movies/{movie_id}"] = by_id
        real["GET /api/movies/{movie_id}/reviews"] = by_id
        real["GET /api/search"].append({"query": {"q": "story", "movie": movies[0]}})
    compare: list[dict[str, Any]] = []
    if len(movies) >= 2:
        compare.append({"query": {"movies": movies[:2]}})
    if groups:
        compare.append({"query": {"group": groups[0]}})
    if compare:
        real["GET /api/compare"] = compare
    return real


def _fuzz_one(
    cases: st.SearchStrategy[Any],
    checks: list[Any],
    examples: int,
    statuses: Counter[int],
    failures: Counter[str],
) -> None:
    """Send ``examples`` generated cases; count status codes and failed checks."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # count every failure, do not shrink
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def run(case: Any) -> None:
        response = case.call()
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks)
        except BaseExceptionGroup as group:  # schemathesis' FailureGroup
            for failure in group.exceptions:
                failures[f"{case.operation.label}: {type(failure).__name__}"] += 1

    run()


def fuzz(store: Store, examples: int) -> int:
    """Fuzz every operation; print what was sent and found; return the number of 5xx."""
    app = create_app(store)
    app.state.reelsense.model()  # loaded on the first prediction: do it before the clock runs
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    real = real_values(store)
    total: Counter[int] = Counter()
    failures: Counter[str] = Counter()
    operations = 0
    started = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        statuses: Counter[int] = Counter()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies = [operation.as_strategy(generation_mode=mode)]
            if mode is GenerationMode.POSITIVE:
                strategies += [
                    operation.as_strategy(generation_mode=mode, **fixed)
                    for fixed in real.get(operation.label, [])
                ]
            case_checks = CHECKS
            if mode is GenerationMode.NEGATIVE:
                case_checks = [*CHECKS, negative_data_refused]

            _fuzz_one(st.one_of(strategies), case_checks, examples, statuses, failures)
        total.update(statuses)
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        print(f"{operation.label:<38} {sum(statuses.values()):>6} requests  ({codes})", flush=True)
    elapsed = time.perf_counter() - started
    server_errors = sum(n for code, n in total.items() if code >= 500)
    print(
        f"\n{operations} operations, {sum(total.values()):,} requests in {elapsed:.0f} s; "
        f"5xx: {server_errors}; other check failures: {sum(failures.values())}"
    )
    for name, n in failures.most_common():
        print(f"  {n:>5}  {name}")
    return server_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="An existing analysed database to fuzz.")
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="Crawler files to ingest.")
    parser.add_argument(
        "--examples", type=int, default=500, help="Requests per operation and mode."
    )
    args = parser.parse_args()
    # Starlette's test client (used by from_asgi) warns that it would prefer httpx2.
    warnings.simplefilter("ignore", DeprecationWarning)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "reviews.db"
            build_db(args.seed, db)
        with SQLiteStore(db, read_only=True) as store:
            server_errors = fuzz(store, args.examples)
    raise SystemExit(1 if server_errors else 0)


if __name__ == "__main__":
    main()
