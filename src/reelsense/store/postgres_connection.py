"""Opening a PostgreSQL connection for the store, and naming what went wrong.

Every ``psycopg`` error becomes a :class:`~reelsense.errors.StoreError` whose
message names the database by its URL *without the password*
(``postgresql://reel@127.0.0.1:5433/reviews: cannot connect: ...``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import DictRow, dict_row

from reelsense.errors import QueryError, StoreError

__all__ = ["PgConnection", "connect", "normalise_url", "redacted", "scalar", "store_error"]

PgConnection = psycopg.Connection[DictRow]
"""A connection whose rows are dicts keyed by column name."""

_SCHEMES = ("postgresql+psycopg://", "postgres://")


def normalise_url(url: str) -> str:
    """The URL with a scheme libpq accepts (``postgres://`` and ``+psycopg`` are aliases)."""
    text = url.strip()
    for alias in _SCHEMES:
        if text.lower().startswith(alias):
            return "postgresql://" + text[len(alias) :]
    return text


def redacted(url: str) -> str:
    """``url`` without its password (and without query-string secrets).

    Example
    -------
    >>> redacted("postgresql://reel:secret@127.0.0.1:5433/reviews?password=x")
    'postgresql://reel@127.0.0.1:5433/reviews'
    """
    try:
        parts = urlsplit(normalise_url(url))
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = host if parts.port is None else f"{host}:{parts.port}"
    except ValueError:
        return "postgresql://…"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


# (substring of the server's message, lower case) -> what to tell the user
_PLAIN_MESSAGES: tuple[tuple[str, str], ...] = (
    ("read-only transaction", "the store was opened read-only; cannot write"),
    ("0x00", "cannot store text containing a NUL character"),
    ("deadlock detected", "deadlock with another writer; try again"),
    ("canceling statement due to lock timeout", "database is locked by another writer"),
)


def store_error(label: str, exc: psycopg.Error) -> StoreError:
    """A :class:`StoreError` naming the database (without password) and the problem.

    Parameters
    ----------
    label:
        The redacted URL.
    exc:
        The ``psycopg`` error; the caller chains it with ``from``.

    Returns
    -------
    StoreError
        A :class:`QueryError` for a malformed text-search query.
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    lowered = text.lower()
    if isinstance(exc, psycopg.OperationalError) and "connect" in lowered:
        return StoreError(f"{label}: cannot connect: {text}")
    if "tsquery" in lowered and "syntax" in lowered:
        return QueryError(f"{label}: search query is not valid: {text}")
    for needle, plain in _PLAIN_MESSAGES:
        if needle in lowered:
            return StoreError(f"{label}: {plain}")
    if isinstance(exc, psycopg.errors.IntegrityError):
        return StoreError(f"{label}: a record breaks a database constraint: {text}")
    return StoreError(f"{label}: database error: {text}")


def connect(url: str, *, label: str, read_only: bool, connect_timeout: int = 10) -> PgConnection:
    """Open one connection: autocommit off, UTF-8, read-only sessions when asked.

    Raises
    ------
    StoreError
        The server cannot be reached or refuses the login (the message
        names the database without its password).
    """
    try:
        conn = psycopg.connect(
            normalise_url(url),
            autocommit=False,
            connect_timeout=connect_timeout,
            client_encoding="utf8",
            application_name="reelsense",
            row_factory=dict_row,
        )
    except psycopg.Error as exc:
        text = " ".join(str(exc).split())
        raise StoreError(f"{label}: cannot connect: {text}") from exc
    try:
        if read_only:
            conn.read_only = True
    except psycopg.Error as exc:
        conn.close()
        raise store_error(label, exc) from exc
    return conn


def scalar(conn: PgConnection, sql: str, params: Sequence[object] = ()) -> Any:
    """The first column of the first row of a query (``None`` when there is no row)."""
    row = conn.execute(sql, params).fetchone()
    return None if row is None else next(iter(row.values()))
