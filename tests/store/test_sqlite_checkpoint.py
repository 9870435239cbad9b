"""Background checkpoints of the SQLite store: the log is folded in, bounded, nothing lost."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from reelsense.records import Movie
from reelsense.store import SQLiteStore
from reelsense.store.sqlite_checkpoint import Checkpointer
from tests.store.samples import LIGHTHOUSE, review


def _wal_bytes(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def _write_many(store: SQLiteStore, batches: int, per_batch: int = 50, first: int = 0) -> None:
    for b in range(first, first + batches):
        store.write(
            [LIGHTHOUSE]
            + [
                review(position=b * per_batch + i, text=f"Batch {b} review {i}. " + "word " * 200)
                for i in range(per_batch)
            ]
        )


def test_a_bulk_load_is_checkpointed_while_the_store_stays_open(db_path: Path) -> None:
    with SQLiteStore(db_path) as store, store.bulk_load():
        store.write([LIGHTHOUSE])
        empty = db_path.stat().st_size
        _write_many(store, 4)  # about 200 KB of text, under the writer's own 1,000-page trigger
        deadline = time.monotonic() + 10
        while db_path.stat().st_size < empty + 150_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        # The pages reached the database file itself, not only the log.
        assert db_path.stat().st_size >= empty + 150_000
        assert store.counts().reviews == 200


def test_closing_folds_the_log_into_the_file(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        with store.bulk_load():
            _write_many(store, 2)
        _write_many(store, 1, first=2)
    assert _wal_bytes(db_path) == 0
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 150
    finally:
        conn.close()


def test_the_writer_resets_a_log_past_its_limit(db_path: Path) -> None:
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("CREATE TABLE t (x TEXT)")
    checkpointer = Checkpointer(db_path, writer, max_wal_bytes=64 * 1024)
    try:
        sizes = []
        for _ in range(20):
            checkpointer.before_write()
            writer.execute("INSERT INTO t VALUES (?)", ("x" * 50_000,))
            sizes.append(_wal_bytes(db_path))
        # Without the limit the log would hold all 20 rows (over 1 MB).
        assert max(sizes) < 400 * 1024
        assert writer.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 20
    finally:
        checkpointer.close()
        writer.close()


def test_a_long_reader_lets_the_log_grow_but_never_stalls_the_writer(db_path: Path) -> None:
    writer = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("CREATE TABLE t (x TEXT)")
    writer.execute("INSERT INTO t VALUES ('first')")
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM t").fetchone()  # holds a snapshot: the log must stay
    checkpointer = Checkpointer(db_path, writer, max_wal_bytes=64 * 1024)
    try:
        slowest = 0.0
        for _ in range(20):
            started = time.monotonic()
            checkpointer.before_write()
            writer.execute("INSERT INTO t VALUES (?)", ("x" * 50_000,))
            slowest = max(slowest, time.monotonic() - started)
        # the writer waited at most a moment for the reader, not its 30 s timeout, each time
        assert slowest < 2.0
        assert _wal_bytes(db_path) > 1_000_000  # the reader's snapshot kept the log
        reader.execute("COMMIT")  # the reader is gone: within a few writes the log is emptied
        sizes = []
        for _ in range(3):
            checkpointer.before_write()
            sizes.append(_wal_bytes(db_path))
            writer.execute("INSERT INTO t VALUES (?)", ("x" * 50_000,))
        assert 0 in sizes
        assert writer.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 24
    finally:
        reader.close()
        checkpointer.close()
        writer.close()


def test_close_gives_the_writer_its_automatic_checkpoints_back(db_path: Path) -> None:
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    before = writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    checkpointer = Checkpointer(db_path, writer)
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    checkpointer.close()
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before
    writer.close()


def test_in_memory_store_needs_no_checkpointer() -> None:
    with SQLiteStore(":memory:") as store, store.bulk_load():
        store.write([Movie("tt0000009")])
        assert store.counts().movies == 1


def test_only_a_bulk_load_runs_the_checkpoint_thread(db_path: Path) -> None:
    def threads() -> set[str]:
        return {t.name for t in threading.enumerate()}

    with SQLiteStore(db_path) as store:
        store.write([LIGHTHOUSE])  # small writes: the writer checkpoints as SQLite does
        assert "reelsense-checkpoint" not in threads()
        with store.bulk_load(), store.bulk_load():  # nested blocks share one thread
            assert "reelsense-checkpoint" in threads()
            _write_many(store, 1)
        assert "reelsense-checkpoint" not in threads()
        assert store.counts().reviews == 50
