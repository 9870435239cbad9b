"""Options and helpers shared by every command: the database, errors, consoles."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from reelsense.errors import ReelsenseError, SchemaOutdatedError
from reelsense.store import open_store
from reelsense.store.base import HIGHLIGHT_END, HIGHLIGHT_START, Store

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_DB = "reviews.db"

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="REELSENSE_DB",
        help="Database: a SQLite path, sqlite:/// or postgresql:// URL (default: reviews.db here).",
        show_default=True,
    ),
]
PersonalOption = Annotated[
    bool,
    typer.Option(
        "--include-personal",
        help="Also show e-mail addresses found in usernames (personal data).",
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")]


def stdout() -> Console:
    """Console for results."""
    return Console(highlight=False)


def stderr() -> Console:
    """Console for progress and messages."""
    return Console(stderr=True, highlight=False)


def setup_logging(verbose: bool) -> None:
    """Send library logs to stderr when ``--verbose`` is given."""
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


def cli_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a library error into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ReelsenseError as exc:
            stderr().print(Text(f"error: {exc}", style="bold red"))
            raise typer.Exit(1) from None

    return wrapper


@contextmanager
def opened_store(db: str, *, read_only: bool = False) -> Iterator[Store]:
    """Open the store named by ``--db`` and close it afterwards.

    A read-only command on a database from an older reelsense upgrades its
    schema first (a write the user would otherwise have to ask for).
    """
    try:
        store = open_store(db, read_only=read_only)
    except SchemaOutdatedError:
        open_store(db).close()
        store = open_store(db, read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def highlighted(marked: str, style: str = "bold yellow") -> Text:
    """Rich text from a string with highlight markers; the text itself is never markup."""
    text = Text()
    for i, part in enumerate(marked.split(HIGHLIGHT_START)):
        if i == 0:
            text.append(part)
            continue
        hit, _, rest = part.partition(HIGHLIGHT_END)
        text.append(hit, style=style)
        text.append(rest)
    return text
