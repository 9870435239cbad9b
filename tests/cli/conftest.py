"""Helpers for driving the CLI in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reelsense.cli.app import app


class Cli:
    """Runs ``reelsense`` commands against one database file."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str | Path) -> Result:
        command, *rest = (str(a) for a in args)
        result = self.runner.invoke(app, [command, "--db", str(self.db), *rest])
        # A library error must never escape as a traceback.
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert "Traceback" not in result.output
        return result


@pytest.fixture
def cli(db_path: Path) -> Cli:
    return Cli(db_path)
