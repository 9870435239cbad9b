"""A throwaway PostgreSQL 15 cluster for tests and benchmarks.

``initdb`` into a fresh temporary folder, ``pg_ctl start`` on a free loopback
port (unix sockets stay inside that folder), trust authentication and
``fsync=off`` because the data is thrown away. When the tests run as root
the server runs as the ``postgres`` user, which ``initdb`` requires.

Example
-------
>>> server = PgServer.start()          # doctest: +SKIP
>>> url = server.create_database("t1")  # doctest: +SKIP
>>> server.stop()                       # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["PgServer", "find_bindir", "missing_reason", "pg_server", "pg_url"]

_CANDIDATES = (Path("/usr/lib/postgresql/15/bin"),)
_SUPERUSER = "postgres"


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (``PG_BINDIR`` overrides), or ``None``."""
    override = os.environ.get("PG_BINDIR")
    candidates = (Path(override),) if override else _CANDIDATES
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def missing_reason() -> str:
    """Why the server cannot start here (for a skip message)."""
    return (
        "PostgreSQL 15 server binaries not found in /usr/lib/postgresql/15/bin "
        "(install the Debian package postgresql-15, or set PG_BINDIR)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """A running throwaway cluster; :meth:`stop` removes it and its folder."""

    def __init__(self, bindir: Path, root: Path, port: int, run_as: str | None) -> None:
        self.bindir = bindir
        self.root = root
        self.port = port
        self.run_as = run_as
        self._names = itertools.count(1)

    @property
    def data(self) -> Path:
        """The cluster's data folder."""
        return self.root / "data"

    @classmethod
    def start(cls, bindir: Path | None = None) -> PgServer:
        """Create and start a cluster; raises ``RuntimeError`` when it cannot."""
        bindir = bindir or find_bindir()
        if bindir is None:
            raise RuntimeError(missing_reason())
        root = Path(tempfile.mkdtemp(prefix="reelsense-pg-"))
        run_as = _SUPERUSER if os.geteuid() == 0 else None
        if run_as is not None:
            entry = pwd.getpwnam(run_as)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        server = cls(bindir, root, _free_port(), run_as)
        try:
            server._run(
                "initdb",
                "-D",
                str(server.data),
                "-U",
                _SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
            options = (
                f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=50"
            )
            server._run(
                "pg_ctl", "start", "-w", "-D", str(server.data), "-l", str(root / "log"),
                "-o", options,
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return server

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            log = self.root / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr.strip()} {tail}")

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL for one database of this cluster."""
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None, *, template: str = "template0") -> str:
        """Create an empty database (a fresh name unless given); return its URL."""
        import psycopg

        name = name or f"test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        try:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway cluster per test session (import this fixture where it is needed).

    Skips when the server binaries are absent, but fails when ``CI=true``:
    CI must run the PostgreSQL tests.
    """
    if find_bindir() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {missing_reason()}")
        pytest.skip(missing_reason())
    server = PgServer.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh, empty database on the session's cluster."""
    return pg_server.create_database()
