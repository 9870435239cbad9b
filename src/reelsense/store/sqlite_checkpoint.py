"""Background checkpoints: fold the write-ahead log into the database file off the writer's path.

In WAL mode SQLite appends every committed page to ``<db>-wal`` and copies
it into the database file at a *checkpoint*. By default the committing
connection runs that checkpoint itself, after any commit that leaves the log
over 1,000 pages, so a bulk ingest stops after each batch to copy and sync
the pages it has just written. During a bulk load
(:meth:`reelsense.store.sqlite.SQLiteStore.bulk_load`) :class:`Checkpointer`
moves that copy to a thread with its own connection: the writer switches its automatic
checkpoints off and nudges the thread after each commit, and the thread runs
a ``PASSIVE`` checkpoint, which never blocks the writer or readers. Python's
``sqlite3`` releases the GIL while SQLite works, so the copy overlaps the
next batch's parsing and indexing (on aclImdb, about 5% of the ingest's wall
time; see ``benchmarks/ingest.py``). Small, frequent commits are better off
without it: the thread would sync the file after each of them.

A passive checkpoint that races the next commit cannot reset the log, so the
writer still bounds it: :meth:`Checkpointer.before_write` runs a blocking
``TRUNCATE`` checkpoint once the log passes :data:`MAX_WAL_BYTES` (unless a
long-running reader still needs the log). Nothing
here changes durability: a commit is in the log before it returns, whether
or not it has been checkpointed yet.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from pathlib import Path

__all__ = ["MAX_WAL_BYTES", "READER_WAIT_MS", "Checkpointer"]

log = logging.getLogger(__name__)

# The log may grow to this size before the writer waits for a checkpoint to
# reset it: large enough that the thread, not the writer, does nearly every
# copy, small enough to bound the disk the log takes next to the database.
MAX_WAL_BYTES = 256 * 1024 * 1024
# How long the writer waits for readers to leave the log before it gives up emptying it.
READER_WAIT_MS = 200


class Checkpointer:
    """A thread that checkpoints ``path``'s write-ahead log when nudged.

    Parameters
    ----------
    path:
        The database file (already in WAL mode).
    writer:
        The connection that commits; its automatic checkpoints are switched
        off while the thread runs and restored by :meth:`close`.
    max_wal_bytes:
        Log size above which :meth:`before_write` checkpoints synchronously.

    Raises
    ------
    sqlite3.Error
        The thread's own connection cannot be opened.
    """

    def __init__(
        self, path: Path, writer: sqlite3.Connection, *, max_wal_bytes: int = MAX_WAL_BYTES
    ) -> None:
        self._wal = Path(f"{path}-wal")
        self._writer = writer
        self._max_wal_bytes = max_wal_bytes
        self._limit = max_wal_bytes
        self._conn = sqlite3.connect(str(path), timeout=30.0, check_same_thread=False)
        self._wake = threading.Event()
        self._stopping = False
        self._writer_default = int(writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        self._thread = threading.Thread(target=self._run, name="reelsense-checkpoint", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Ask for a checkpoint soon (call after a commit); never blocks."""
        self._wake.set()

    def before_write(self) -> None:
        """Fold in and empty the log first when it has grown past the limit.

        Blocks while it copies, and at most :data:`READER_WAIT_MS` for
        readers still using the log; when one holds on (a long query), the
        log is left to grow and the next try waits until it has grown by
        another ``max_wal_bytes``, so a reader never stalls the writer for long.
        """
        try:
            size = self._wal.stat().st_size
        except OSError:
            return
        if size <= self._limit:
            return
        busy = self._truncate()
        self._limit = size + self._max_wal_bytes if busy else self._max_wal_bytes

    def _truncate(self) -> bool:
        """A blocking ``TRUNCATE`` checkpoint; ``True`` when a reader kept it from finishing."""
        writer = self._writer
        wait = int(writer.execute("PRAGMA busy_timeout").fetchone()[0])
        writer.execute(f"PRAGMA busy_timeout = {READER_WAIT_MS}")
        try:
            row = writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            writer.execute(f"PRAGMA busy_timeout = {wait}")
        return bool(row[0])

    def close(self) -> None:
        """Stop the thread, close its connection, give the writer its automatic checkpoints back."""
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._conn.close()
        with contextlib.suppress(sqlite3.Error):
            self._writer.execute(f"PRAGMA wal_autocheckpoint = {self._writer_default}")

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as exc:  # the writer's TRUNCATE or close() will fold it in
                log.debug("background checkpoint failed: %s", exc)
