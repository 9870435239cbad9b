"""Numbered schema migrations for the SQLite store.

Migrations are the ``NNNN_name.sql`` files in the ``migrations/`` folder that
ships with this package. The ``schema_version`` table records each version
applied, so opening a database applies only the ones it lacks, each in its
own transaction. A database written by a newer reelsense is refused rather
than misread.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from reelsense.errors import SchemaOutdatedError, StoreError

__all__ = [
    "Migration",
    "apply_migrations",
    "available_migrations",
    "latest_version",
    "schema_version",
]

log = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered SQL file: ``0001_initial.sql`` is version 1, name ``initial``."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """Split the file into single statements (a trigger body stays whole).

        Returns
        -------
        list[str]
            Each complete statement, in file order.
        """
        statements: list[str] = []
        buffer = ""
        for line in self.sql.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                statements.append(buffer.strip())
                buffer = ""
        if _strip_comments(buffer):
            raise StoreError(
                f"migration {self.version:04d}_{self.name}.sql ends with an incomplete statement"
            )
        return statements


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines()).strip()


def available_migrations() -> list[Migration]:
    """The migrations shipped with this package, oldest first.

    Returns
    -------
    list[Migration]
        Versions 1, 2, … without gaps.

    Raises
    ------
    StoreError
        If the files are misnumbered (a gap or a duplicate version).

    Example
    -------
    >>> available_migrations()[0].name
    'initial'
    """
    folder = resources.files("reelsense.store").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        found.append(
            Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8"))
        )
    found.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StoreError(
                f"migration files are misnumbered: expected version {expected}, "
                f"found {migration.version:04d}_{migration.name}.sql"
            )
    return found


def latest_version() -> int:
    """The schema version this code writes (the highest migration number)."""
    migrations = available_migrations()
    return migrations[-1].version if migrations else 0


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest schema version applied to a database; 0 for a fresh one.

    Parameters
    ----------
    conn:
        An open connection.

    Returns
    -------
    int
        ``0`` when there is no ``schema_version`` table.
    """
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(row[0])


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [str(row[0]) for row in rows]


def apply_migrations(conn: sqlite3.Connection, *, label: str, read_only: bool = False) -> list[int]:
    """Bring a database up to :func:`latest_version`, one transaction per migration.

    The connection must be in autocommit mode (``isolation_level=None``).
    Concurrent openers are safe: each migration re-reads the version after
    taking the write lock, so a migration is never applied twice.

    Parameters
    ----------
    conn:
        An open connection in autocommit mode.
    label:
        How to name the database in messages (its path).
    read_only:
        Only check the version; never write.

    Returns
    -------
    list[int]
        The versions applied now (empty when the database was up to date).

    Raises
    ------
    StoreError
        The database is newer than this code, is not a reelsense database,
        needs an upgrade but was opened read-only, or a migration failed.
        ``sqlite3`` errors from reading the version are left to the caller.

    Example
    -------
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> apply_migrations(conn, label=":memory:")
    [1, 2, 3]
    >>> apply_migrations(conn, label=":memory:")
    []
    """
    migrations = available_migrations()
    latest = migrations[-1].version if migrations else 0
    current = schema_version(conn)
    if current > latest:
        raise StoreError(
            f"{label}: database schema version {current} is newer than this reelsense "
            f"supports (version {latest}); upgrade reelsense to open it"
        )
    if current == 0 and _user_tables(conn):
        raise StoreError(
            f"{label}: is a SQLite database but not a reelsense one (it has tables "
            "but no schema_version table)"
        )
    if read_only:
        if current < latest:
            raise SchemaOutdatedError(
                f"{label}: database schema is at version {current} but this reelsense needs "
                f"version {latest}; open it once without read-only to upgrade it"
            )
        return []
    applied: list[int] = []
    for migration in migrations:
        if migration.version <= current:
            continue
        if _apply_one(conn, migration, label=label):
            applied.append(migration.version)
    return applied


def _apply_one(conn: sqlite3.Connection, migration: Migration, *, label: str) -> bool:
    """Apply one migration in a transaction; False if another process already had."""
    statements = migration.statements()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(_CREATE_VERSION_TABLE)
        if schema_version(conn) >= migration.version:
            conn.execute("COMMIT")
            return False
        for statement in statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(
            f"{label}: migration {migration.version:04d}_{migration.name} failed: {exc}"
        ) from exc
    log.info("%s: applied migration %04d_%s", label, migration.version, migration.name)
    return True
