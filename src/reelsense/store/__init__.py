"""Where reviews are kept: the :class:`Store` interface and its backends.

Open one with :func:`open_store`, which takes what a user passes to ``--db``.
"""

from __future__ import annotations

from pathlib import Path

from reelsense.errors import ConfigError
from reelsense.store.base import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MovieSort,
    MovieStats,
    MovieSummary,
    SearchHit,
    SearchQuery,
    Store,
    StoreCounts,
    StoredReview,
    WriteResult,
)
from reelsense.store.sqlite import SQLiteStore

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "MovieSort",
    "MovieStats",
    "MovieSummary",
    "SQLiteStore",
    "SearchHit",
    "SearchQuery",
    "Store",
    "StoreCounts",
    "StoredReview",
    "WriteResult",
    "open_store",
    "sqlite_path",
]

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def sqlite_path(db: str | Path) -> str | Path:
    """The SQLite file (or ``":memory:"``) that ``db`` names.

    Parameters
    ----------
    db:
        A path, ``":memory:"``, ``sqlite:///relative.db``, ``sqlite:////abs/path.db``,
        ``sqlite:///:memory:`` or ``sqlite://`` (in memory).

    Returns
    -------
    str | Path
        ``":memory:"`` or a :class:`Path`.

    Raises
    ------
    ConfigError
        An empty value, a URL of another kind, or a ``sqlite://`` URL with a host.

    Example
    -------
    >>> sqlite_path("sqlite:////data/reviews.db")
    PosixPath('/data/reviews.db')
    """
    if isinstance(db, Path):
        return db
    text = db.strip()
    if text in ("", _SQLITE_PREFIX):
        raise ConfigError("no database given: pass a file path, sqlite:///file.db or :memory:")
    if text in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    if text.startswith(_SQLITE_PREFIX):
        return Path(text[len(_SQLITE_PREFIX) :])
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise ConfigError(
            f"unsupported database URL scheme {scheme!r}: use a file path, "
            "sqlite:///relative.db, sqlite:////absolute/path.db or postgresql://…"
        )
    return Path(text)


def open_store(db: str | Path, *, read_only: bool = False) -> Store:
    """Open the store that ``db`` names, creating and migrating it when needed.

    Parameters
    ----------
    db:
        A SQLite file path, ``":memory:"``, a ``sqlite:///`` URL, or a
        ``postgresql://`` URL.
    read_only:
        Refuse writes (a SQLite file is opened with ``mode=ro``).

    Returns
    -------
    Store
        Close it with ``close()`` or use it as a context manager.

    Raises
    ------
    ConfigError
        An unsupported or empty ``db``, ``read_only`` with ``:memory:``, or a
        PostgreSQL URL when psycopg is not installed.
    StoreError
        The database cannot be opened.

    Example
    -------
    >>> store = open_store(":memory:")
    >>> store.counts().reviews
    0
    >>> store.close()
    """
    if isinstance(db, str) and db.strip().lower().startswith(_POSTGRES_SCHEMES):
        return _open_postgres(db.strip(), read_only=read_only)
    return SQLiteStore(sqlite_path(db), read_only=read_only)


def _open_postgres(url: str, *, read_only: bool) -> Store:
    """A :class:`PostgresStore`; psycopg is imported only when a URL asks for it."""
    try:
        from reelsense.store.postgres import PostgresStore
    except ImportError as exc:
        raise ConfigError(
            "PostgreSQL needs psycopg: install reelsense[postgres] "
            f"(pip install 'reelsense[postgres]'): {exc}"
        ) from exc
    return PostgresStore(url, read_only=read_only)
