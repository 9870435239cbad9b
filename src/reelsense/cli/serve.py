"""``reelsense serve``: the JSON API and the dashboard over a database, on loopback by default.

The database is opened read-only (SQLite ``mode=ro``): the server can never
change it. SQLite reads a WAL-mode file read-only as long as it can use the
``-shm`` index beside it, which it creates when the folder is writable, so
``reelsense analyze`` may keep writing in another process while the server
shows each commit on the next request. A file in a folder the server cannot
write to, with no ``-shm`` there, cannot be opened: the error says so rather
than falling back to a writable connection or to ``immutable=1`` (which would
show stale or torn data while another process writes).
"""

from __future__ import annotations

import contextlib
import ipaddress
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from reelsense.cli.common import DbOption, VerboseOption, cli_errors, opened_store, setup_logging
from reelsense.cli.common import stderr as stderr_console
from reelsense.cli.common import stdout as stdout_console
from reelsense.errors import ConfigError
from reelsense.store import sqlite_path

app = typer.Typer()

LOOPBACK = "127.0.0.1"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_database(db: str) -> None:
    """Refuse a database that does not exist yet (read-only cannot create one)."""
    if db.strip().lower().startswith(("postgresql://", "postgres://")):
        return
    path = sqlite_path(db)
    if path == ":memory:":
        raise ConfigError("serve needs a database file: an in-memory database would be empty")
    if isinstance(path, Path) and not path.is_file():
        raise ConfigError(
            f"{path}: no database here; create one with `reelsense ingest` "
            "(serve opens it read-only)"
        )


@app.command()
@cli_errors
def serve(
    db: DbOption = "reviews.db",
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback by default: only this machine).")
    ] = LOOPBACK,
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8000,
    model: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            file_okay=False,
            help="Model bundle for /api/predict (default: the one shipped).",
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = True,
    verbose: VerboseOption = False,
) -> None:
    """Serve the JSON API (/api, docs at /docs) and the dashboard; Ctrl-C stops it.

    The database is opened read-only. Requests are logged to standard output.
    """
    from reelsense.web import create_app  # the web stack loads only for this command

    setup_logging(verbose)
    _check_database(db)
    err = stderr_console()
    if not _is_loopback(host):
        err.print(
            f"warning: listening on {host}: anyone who can reach this address can read the "
            "reviews (there is no authentication)",
            style="yellow",
        )
    with opened_store(db, read_only=True) as store:
        web_app = create_app(store, model_dir=model)
        config = uvicorn.Config(
            web_app,
            host=host,
            port=port,
            access_log=access_log,
            log_level="info",
            timeout_graceful_shutdown=5,
        )
        server = uvicorn.Server(config)
        shown = f"[{host}]" if ":" in host else host
        stdout_console().print(
            f"reelsense: serving {db} at http://{shown}:{port}/ "
            f"(API docs at http://{shown}:{port}/docs); press Ctrl-C to stop",
            soft_wrap=True,
        )
        sys.stdout.flush()
        # uvicorn shuts down gracefully on Ctrl-C, then re-raises it: that is a clean stop.
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
    err.print("reelsense: server stopped")
