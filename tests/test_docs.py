"""Every command documents itself and takes --db; every docstring example runs as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import reelsense
from reelsense.cli.app import app


def leaf_commands(command: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every runnable command, by its words (``("db", "copy")``)."""
    children = getattr(command, "commands", None)
    if not children:
        return {path: command}
    found: dict[tuple[str, ...], Any] = {}
    for name, child in children.items():
        found.update(leaf_commands(child, (*path, name)))
    return found


COMMANDS = leaf_commands(typer.main.get_command(app))
NAMES = sorted(COMMANDS)


@pytest.mark.parametrize("words", NAMES, ids=" ".join)
def test_command_has_help_text_and_db_option(words: tuple[str, ...]) -> None:
    command = COMMANDS[words]
    assert command.help, f"reelsense {' '.join(words)} has no help text"
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output


@pytest.mark.parametrize("words", NAMES, ids=" ".join)
def test_every_option_has_help(words: tuple[str, ...]) -> None:
    for param in COMMANDS[words].params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"reelsense {' '.join(words)} {param.opts[0]} has no help"


def test_the_documented_commands_exist() -> None:
    expected = {"ingest", "movies", "show", "search", "problems", "analyze", "train", "evaluate",
                "predict", "compare", "report", "export", "serve"}  # fmt: skip
    assert {(name,) for name in expected} <= set(NAMES)
    assert ("db", "copy") in NAMES


MODULES = [
    "reelsense",
    *sorted(m.name for m in pkgutil.walk_packages(reelsense.__path__, "reelsense.")),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run_as_written(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} are stale"
