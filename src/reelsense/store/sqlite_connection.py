"""Opening a SQLite database for the store, and naming what went wrong.

Every ``sqlite3`` error is turned into a :class:`~reelsense.errors.StoreError`
whose message names the database file and says the problem in plain words
(``reviews.db: database is locked by another process``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reelsense.errors import QueryError, StoreError

__all__ = ["connect", "store_error"]

MEMORY = ":memory:"

# (substring of the sqlite3 message, lower case) -> what to tell the user
_PLAIN_MESSAGES: tuple[tuple[str, str], ...] = (
    ("file is not a database", "file is not a SQLite database"),
    ("file is encrypted", "file is not a SQLite database"),
    ("database is locked", "database is locked by another process"),
    ("database is busy", "database is locked by another process"),
    ("database table is locked", "database is locked by another process"),
    (
        "unable to open database file",
        "cannot open the database file (check the path and that its folder exists and is writable)",
    ),
    ("readonly database", "database is read-only (opened read-only, or the file is not writable)"),
    ("malformed", "database file is corrupt (database disk image is malformed)"),
    ("disk i/o error", "disk I/O error while using the database file"),
    ("database or disk is full", "the disk is full"),
    ("closed database", "the store is closed"),
)


def store_error(label: str, exc: sqlite3.Error) -> StoreError:
    """A :class:`StoreError` naming the database and the problem in plain words.

    Parameters
    ----------
    label:
        How to name the database (its path as the user gave it).
    exc:
        The ``sqlite3`` error to translate; the caller chains it with ``from``.

    Returns
    -------
    StoreError
        A :class:`QueryError` when the error came from a malformed full-text
        query, otherwise a :class:`StoreError`.

    Example
    -------
    >>> str(store_error("reviews.db", sqlite3.DatabaseError("file is not a database")))
    'reviews.db: file is not a SQLite database'
    """
    text = str(exc)
    lowered = text.lower()
    if "fts5" in lowered and "syntax" in lowered:
        return QueryError(f"{label}: search query is not valid: {text}")
    for needle, plain in _PLAIN_MESSAGES:
        if needle in lowered:
            return StoreError(f"{label}: {plain}")
    return StoreError(f"{label}: database error: {text}")


def connect(path: Path | None, *, read_only: bool, timeout: float) -> sqlite3.Connection:
    """Open and configure a connection (``path=None`` means in memory).

    The connection is in autocommit mode (transactions are explicit), has
    foreign keys on, a busy timeout, and, when writable, WAL journaling with
    ``synchronous=NORMAL``.

    Parameters
    ----------
    path:
        The database file, or ``None`` for a private in-memory database.
    read_only:
        Open with ``mode=ro``; the file must exist.
    timeout:
        Seconds to wait for another process's lock before giving up.

    Returns
    -------
    sqlite3.Connection
        Ready to use; rows are :class:`sqlite3.Row`.

    Raises
    ------
    sqlite3.Error
        Left to the caller, which knows the label to report.
    """
    if path is None:
        conn = sqlite3.connect(
            MEMORY, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    elif read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(
            str(path), timeout=timeout, isolation_level=None, check_same_thread=False
        )
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {max(0, int(timeout * 1000))}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32768")
        conn.create_function("reelsense_casefold", 1, _casefold, deterministic=True)
    except BaseException:
        conn.close()
        raise
    return conn


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None
