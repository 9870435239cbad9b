"""Numbered schema migrations for the PostgreSQL store.

The ``NNNN_name.sql`` files in ``postgres_migrations/`` carry the same
version numbers and meaning as the SQLite ones in ``migrations/`` (so
``reelsense db copy`` can compare versions). Each runs whole in one
transaction under an advisory lock, so two processes opening a fresh
database never apply a migration twice. ``schema_version`` records them.
"""

from __future__ import annotations

import logging
import re
from importlib import resources

import psycopg

from reelsense.errors import SchemaOutdatedError, StoreError
from reelsense.store.migrations import Migration
from reelsense.store.postgres_connection import PgConnection, scalar

__all__ = ["apply_postgres_migrations", "postgres_migrations", "postgres_schema_version"]

log = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_ID = 0x7265656C  # "reel": one advisory lock for every reelsense migration

_CREATE_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)"
)


def postgres_migrations() -> list[Migration]:
    """The PostgreSQL migrations shipped with this package, oldest first.

    Raises
    ------
    StoreError
        Misnumbered files (a gap or a duplicate).
    """
    folder = resources.files("reelsense.store").joinpath("postgres_migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is not None and entry.is_file():
            found.append(
                Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8"))
            )
    found.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StoreError(
                f"PostgreSQL migration files are misnumbered: expected version {expected}, "
                f"found {migration.version:04d}_{migration.name}.sql"
            )
    return found


def postgres_schema_version(conn: PgConnection) -> int:
    """The highest version applied (0 for a database without ``schema_version``)."""
    if not scalar(conn, "SELECT to_regclass('schema_version') IS NOT NULL"):
        return 0
    return int(scalar(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_version"))


def _user_tables(conn: PgConnection) -> int:
    return int(
        scalar(
            conn,
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
    )


def apply_postgres_migrations(
    conn: PgConnection, *, label: str, read_only: bool = False
) -> list[int]:
    """Bring the database up to the latest version; return the versions applied now.

    Raises
    ------
    StoreError
        The database is newer than this code, is not a reelsense database,
        or a migration failed (its transaction is rolled back).
    SchemaOutdatedError
        Opened read-only but older than this code.
    """
    migrations = postgres_migrations()
    latest = migrations[-1].version if migrations else 0
    with conn.transaction():
        current = postgres_schema_version(conn)
        foreign = current == 0 and _user_tables(conn) > 0
    if current > latest:
        raise StoreError(
            f"{label}: database schema version {current} is newer than this reelsense "
            f"supports (version {latest}); upgrade reelsense to open it"
        )
    if foreign:
        raise StoreError(
            f"{label}: is a PostgreSQL database but not a reelsense one (it has tables "
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
        if migration.version > current and _apply_one(conn, migration, label=label):
            applied.append(migration.version)
    return applied


def _apply_one(conn: PgConnection, migration: Migration, *, label: str) -> bool:
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            conn.execute(_CREATE_VERSION_TABLE)
            if postgres_schema_version(conn) >= migration.version:
                return False
            conn.execute(migration.sql.encode("utf-8"))
            conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, now())",
                (migration.version, migration.name),
            )
    except psycopg.Error as exc:
        text = " ".join(str(exc).split())
        raise StoreError(
            f"{label}: migration {migration.version:04d}_{migration.name} failed: {text}"
        ) from exc
    log.info("%s: applied migration %04d_%s", label, migration.version, migration.name)
    return True
