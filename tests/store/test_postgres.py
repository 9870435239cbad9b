"""PostgreSQL-only behaviour: schema, COPY path, errors, crash safety (skips without a server)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from reelsense.errors import QueryError, SchemaOutdatedError, StoreError
from reelsense.store import SearchQuery, open_store
from reelsense.store.migrations import available_migrations
from reelsense.store.postgres import PostgresStore
from reelsense.store.postgres_connection import redacted
from reelsense.store.postgres_migrations import postgres_migrations
from reelsense.store.postgres_search import tsquery_sql
from reelsense.store.search_syntax import parse_search
from tests.pg_server import PgServer, pg_server, pg_url
from tests.store.samples import LIGHTHOUSE, corpus, review

__all__ = ["pg_server", "pg_url"]

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]


def _sql(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query)
        return list(cursor.fetchall()) if cursor.description is not None else []


def test_migrations_match_sqlite_versions_and_names() -> None:
    assert [(m.version, m.name) for m in postgres_migrations()] == [
        (m.version, m.name) for m in available_migrations()
    ]


def test_open_store_takes_a_postgres_url(pg_url: str) -> None:
    with open_store(pg_url) as store:  # type: ignore[attr-defined]
        assert isinstance(store, PostgresStore)
        store.write(corpus())
    with open_store(pg_url.replace("postgresql://", "postgres://")) as store:  # type: ignore[attr-defined]
        assert store.counts().reviews == 6


def test_schema_version_records_every_migration_once(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    PostgresStore(pg_url).close()
    rows = _sql(pg_url, "SELECT version, name FROM schema_version ORDER BY version")
    assert rows == [(m.version, m.name) for m in postgres_migrations()]


def test_database_newer_than_the_code_is_refused(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    _sql(pg_url, "INSERT INTO schema_version VALUES (99, 'future', now())")
    with pytest.raises(StoreError, match="newer than this reelsense"):
        PostgresStore(pg_url)


def test_database_of_another_program_is_refused(pg_url: str) -> None:
    _sql(pg_url, "CREATE TABLE invoices (id integer)")
    with pytest.raises(StoreError, match="not a reelsense one"):
        PostgresStore(pg_url)


def test_read_only_store_reads_but_never_writes(pg_url: str) -> None:
    with pytest.raises(SchemaOutdatedError):
        PostgresStore(pg_url, read_only=True)
    with PostgresStore(pg_url) as store:
        store.write(corpus())
    with PostgresStore(pg_url, read_only=True) as store:
        assert store.counts().reviews == 6
        with pytest.raises(StoreError, match="read-only"):
            store.write([LIGHTHOUSE])
        with pytest.raises(StoreError, match="read-only"):
            store.register_model("m", "{}")


def test_emails_live_apart_from_reviews(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.write(corpus())
    columns = _sql(
        pg_url,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'reviews'",
    )
    assert "email" not in {c[0] for c in columns}
    assert sorted(_sql(pg_url, "SELECT email FROM reviewer_emails")) == [
        ("ann@example.org",),
        ("eve@example.net",),
    ]


def test_search_uses_a_gin_indexed_tsvector(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    indexes = _sql(pg_url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'reviews'")
    assert any("gin (search_vector)" in str(row[0]) for row in indexes)


def test_user_text_becomes_bound_parameters_only() -> None:
    params: dict[str, object] = {}
    sql = tsquery_sql(parse_search('\'); DROP TABLE reviews;-- surpris* -"a b"'), params)
    assert "DROP" not in sql and "surpris" not in sql
    assert "'surpris':*" in params.values()
    assert {"DROP", "TABLE", "reviews;--"} <= set(params.values())


def test_hostile_search_never_reaches_tsquery_syntax(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.write(corpus())
        for text in ["a & b | !c", "storm:*", "'storm'", "storm <-> keeper", "\\", "sto'rm*"]:
            try:
                hits = store.search(SearchQuery(text))
            except QueryError:
                hits = []
            assert isinstance(hits, list)
        assert store.counts().reviews == 6


def test_errors_name_the_database_without_password(pg_server: PgServer) -> None:
    url = pg_server.url("no_such_db").replace("postgres@", "postgres:hunter2@")
    with pytest.raises(StoreError) as caught:
        PostgresStore(url)
    message = str(caught.value)
    assert message.startswith(redacted(url) + ": cannot connect")
    assert "hunter2" not in message


def test_redacted_drops_password_and_query() -> None:
    assert (
        redacted("postgres://reel:s3cret@db.example:5433/reviews?sslmode=require")
        == "postgresql://reel@db.example:5433/reviews"
    )


def test_nul_character_is_a_clear_store_error(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        with pytest.raises(StoreError, match="NUL"):
            store.write([LIGHTHOUSE, review(text="nul \x00 inside")])
        assert store.counts().movies == 0


def test_killed_process_keeps_committed_batches(pg_url: str) -> None:
    script = (
        "import os, sys\n"
        "from reelsense.store.postgres import PostgresStore\n"
        "from tests.store.samples import corpus, review\n"
        "store = PostgresStore(sys.argv[1])\n"
        "store.write(corpus()[:4])\n"
        "conn = store._conn\n"
        "conn.execute('BEGIN')\n"  # a second batch half-written, never committed
        "conn.execute(\"INSERT INTO movies (movie_id) VALUES ('tt7777777')\")\n"
        "os._exit(3)  # dies mid-ingest without closing\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-c", script, pg_url], env=env, cwd=REPO, check=False, timeout=60
    )
    assert done.returncode == 3
    with PostgresStore(pg_url) as store:
        assert store.counts().reviews == 3
        assert [m.movie_id for m in store.list_movies()] == ["tt0000001"]
        assert store.write(corpus()).reviews_existing == 3
