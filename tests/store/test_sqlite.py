"""Behaviour only the SQLite backend has: the file, WAL, FTS5, migrations, locking."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelsense.errors import ConfigError, QueryError, StoreError
from reelsense.store import SearchQuery, SQLiteStore, migrations
from reelsense.store.migrations import (
    Migration,
    apply_migrations,
    available_migrations,
    latest_version,
    schema_version,
)
from reelsense.store.sqlite_connection import store_error
from tests.store.samples import LIGHTHOUSE, corpus, review

REPO = Path(__file__).resolve().parents[2]


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def test_new_file_uses_wal_journaling(db_path: Path) -> None:
    with SQLiteStore(db_path):
        pass
    conn = _raw(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_connection_has_foreign_keys_and_normal_sync(db_path: Path) -> None:
    store = SQLiteStore(db_path)
    conn = store._conn
    assert conn is not None
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    store.close()


def test_reopened_file_keeps_its_data(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.write(corpus())
    with SQLiteStore(db_path) as store:
        assert store.counts().reviews == 6
        assert store.write(corpus()).reviews_existing == 6


def test_killed_process_keeps_committed_batches(db_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from reelsense.store import SQLiteStore\n"
        "from tests.store.samples import corpus\n"
        "store = SQLiteStore(sys.argv[1])\n"
        "store.write(corpus()[:4])\n"
        "os._exit(3)  # dies without closing, before a second batch\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], env=env, cwd=REPO, check=False, timeout=60
    )
    assert done.returncode == 3
    with SQLiteStore(db_path) as store:
        assert store.counts().reviews == 3


def test_memory_store_works_and_is_private() -> None:
    with SQLiteStore(":memory:") as first, SQLiteStore(":memory:") as second:
        first.write(corpus())
        assert first.counts().reviews == 6
        assert second.counts().reviews == 0


def test_memory_store_cannot_be_read_only() -> None:
    with pytest.raises(ConfigError, match="in-memory"):
        SQLiteStore(":memory:", read_only=True)


def test_file_that_is_not_sqlite_raises_store_error(db_path: Path) -> None:
    db_path.write_bytes(b"this is a text file, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"reviews\.db: file is not a SQLite database"):
        SQLiteStore(db_path)
    with pytest.raises(StoreError, match="file is not a SQLite database"):
        SQLiteStore(db_path, read_only=True)


def test_sqlite_database_of_another_program_is_refused(db_path: Path) -> None:
    conn = _raw(db_path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a reelsense one"):
        SQLiteStore(db_path)


def test_missing_folder_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the database file"):
        SQLiteStore(tmp_path / "no" / "such" / "folder" / "reviews.db")


def test_read_only_store_reads_but_never_writes(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.write(corpus())
    with SQLiteStore(db_path, read_only=True) as store:
        assert store.counts().reviews == 6
        assert store.search(SearchQuery("storm"))
        with pytest.raises(StoreError, match="read-only"):
            store.write([LIGHTHOUSE])
    with SQLiteStore(db_path) as store:
        assert store.counts().reviews == 6


def test_read_only_store_needs_an_existing_file(db_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database file"):
        SQLiteStore(db_path, read_only=True)
    assert not db_path.exists()


def test_locked_database_raises_a_clear_error(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteStore(db_path, timeout=0.05) as store:
            with pytest.raises(StoreError, match="database is locked by another process"):
                store.write([LIGHTHOUSE])
            assert store.counts().movies == 0  # reading still works under WAL
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_negative_timeout_is_a_config_error(db_path: Path) -> None:
    with pytest.raises(ConfigError, match="timeout"):
        SQLiteStore(db_path, timeout=-1)


def test_schema_version_records_every_migration(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    conn = _raw(db_path)
    rows = conn.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
    conn.close()
    assert rows == [(m.version, m.name) for m in available_migrations()]
    assert rows[0] == (1, "initial")


def test_full_text_index_merges_segments_sixteen_at_a_time(db_path: Path) -> None:
    # Cheaper batch indexing during ingest; search and the index stay correct.
    with SQLiteStore(db_path) as store:
        store.write(corpus())
        hits = store.search(SearchQuery("lighthouse"))
    conn = _raw(db_path)
    setting = conn.execute("SELECT v FROM reviews_fts_config WHERE k = 'automerge'").fetchone()
    check = "INSERT INTO reviews_fts (reviews_fts, rank) VALUES ('integrity-check', 1)"
    conn.execute(check)
    conn.close()
    assert setting == (16,)
    assert hits


def test_migrations_are_idempotent(db_path: Path) -> None:
    for _ in range(3):
        SQLiteStore(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    assert apply_migrations(conn, label="reviews.db") == []
    assert schema_version(conn) == latest_version()
    assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == latest_version()
    conn.close()


def test_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    conn = _raw(db_path)
    conn.execute("INSERT INTO schema_version VALUES (999, 'future', '2099-01-01T00:00:00')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 999 is newer than this reelsense"):
        SQLiteStore(db_path)


def test_failed_migration_rolls_back_and_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = Migration(1, "broken", "CREATE TABLE ok (x);\nCREATE TABLE ok (x);\n")
    monkeypatch.setattr(migrations, "available_migrations", lambda: [broken])
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(StoreError, match=r"test\.db: migration 0001_broken failed"):
        apply_migrations(conn, label="test.db")
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    conn.close()


def test_migration_splits_trigger_bodies_whole() -> None:
    sql = (
        "-- a comment\n"
        "CREATE TABLE t (x);\n"
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n"
        "    SELECT 1;\n"
        "    SELECT 2;\n"
        "END;\n"
    )
    statements = Migration(1, "x", sql).statements()
    assert len(statements) == 2
    assert statements[1].endswith("END;")


def test_migration_files_are_numbered_from_one() -> None:
    versions = [m.version for m in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_fts5_index_exists_and_follows_the_reviews(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.write(corpus())
    conn = _raw(db_path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'reviews_fts'").fetchone()[0]
    assert "fts5" in sql.lower()
    assert "remove_diacritics 2" in sql
    match = "SELECT COUNT(*) FROM reviews_fts WHERE reviews_fts MATCH ?"
    assert conn.execute(match, ("storm",)).fetchone()[0] == 2
    conn.execute("UPDATE reviews SET body = 'calm seas' WHERE author = 'Dee'")
    conn.execute("DELETE FROM reviews WHERE author = 'Ann'")
    conn.commit()
    assert conn.execute(match, ("storm",)).fetchone()[0] == 0
    assert conn.execute(match, ("calm",)).fetchone()[0] == 1
    conn.execute(
        "INSERT INTO reviews_fts (reviews_fts) VALUES ('integrity-check')"
    )  # raises if out of sync
    conn.close()


def test_emails_live_apart_from_reviews(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.write(corpus())
    conn = _raw(db_path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(reviews)")]
    assert "email" not in columns
    dumped = "\n".join(conn.iterdump())
    reviews_rows = [line for line in dumped.splitlines() if 'INSERT INTO "reviews"' in line]
    assert not any("@example" in line for line in reviews_rows)
    assert conn.execute("SELECT COUNT(*) FROM reviewer_emails").fetchone()[0] == 2
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM reviews")
    assert conn.execute("SELECT COUNT(*) FROM reviewer_emails").fetchone()[0] == 0
    conn.close()


def test_problem_without_a_line_keeps_null_in_the_file(db_path: Path) -> None:
    from reelsense.records import Problem

    with SQLiteStore(db_path) as store:
        store.write([Problem("a.txt", None, "empty file")] * 2)
    conn = _raw(db_path)
    assert conn.execute("SELECT line FROM problems").fetchall() == [(None,)]
    conn.close()


def test_sqlite_errors_never_escape_a_closed_store(db_path: Path) -> None:
    store = SQLiteStore(db_path)
    store.close()
    for call in (
        store.counts,
        store.list_movies,
        lambda: store.search(SearchQuery("storm")),
        lambda: list(store.iter_reviews()),
        store.problems,
        lambda: store.movie_stats("tt0000001"),
    ):
        with pytest.raises(StoreError, match="closed"):
            call()


def test_store_error_names_file_and_problem() -> None:
    locked = store_error("reviews.db", sqlite3.OperationalError("database is locked"))
    assert str(locked) == "reviews.db: database is locked by another process"
    fts = store_error("r.db", sqlite3.OperationalError('fts5: syntax error near "("'))
    assert isinstance(fts, QueryError)
    other = store_error("r.db", sqlite3.OperationalError("something odd"))
    assert str(other) == "r.db: database error: something odd"


def test_review_ids_grow_after_the_last_one(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.write([LIGHTHOUSE, review(text="one"), review(text="two")])
        store.write([review(text="three")])
        ids = [s.review_id for s in store.iter_reviews()]
    assert ids == [1, 2, 3]


def test_bulk_write_is_fast(db_path: Path) -> None:
    # 10,000 reviews of ~1.3 KB in 5 batches: ingest must stay far from row-by-row speed
    # (100,000 aclImdb reviews take about 18 s on a 2-core machine).
    words = [f"word{i}" for i in range(5000)]
    batches = [
        [
            review(
                f"tt{(b * 2000 + i) % 300:07d}",
                i,
                " ".join(words[(b * 7919 + i * 31 + k * 17) % 5000] for k in range(180)),
                external_id=f"bulk/{b}/{i}",
                rating=float(1 + i % 10),
            )
            for i in range(2000)
        ]
        for b in range(5)
    ]
    started = time.perf_counter()
    with SQLiteStore(db_path) as store:
        new = sum(store.write(batch).reviews_new for batch in batches)
        elapsed = time.perf_counter() - started
        assert new == 10_000
        assert store.counts().movies == 300
    assert elapsed < 15, f"writing 10,000 reviews took {elapsed:.1f} s"
