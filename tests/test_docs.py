"""Every command documents itself."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from reelsense.cli.app import app

COMMAND = typer.main.get_command(app)
COMMANDS = getattr(COMMAND, "commands", {})
NAMES = sorted(COMMANDS)


@pytest.mark.parametrize("name", NAMES)
def test_command_has_help_text(name: str) -> None:
    command = COMMANDS[name]
    assert command.help, f"reelsense {name} has no help text"
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output


@pytest.mark.parametrize("name", NAMES)
def test_every_option_has_help(name: str) -> None:
    command = COMMANDS[name]
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"reelsense {name} {param.opts[0]} has no help"


def test_the_first_commands_exist() -> None:
    assert {"ingest", "movies", "show", "search", "problems"} <= set(NAMES)
