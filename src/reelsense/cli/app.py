"""The root ``reelsense`` command: joins one sub-app per command module."""

from __future__ import annotations

import typer

from reelsense.cli import analysis, browse, db, export, ingest, insight, model, serve

app = typer.Typer(
    name="reelsense",
    help="Load, search and understand movie review corpora.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(ingest.app)
app.add_typer(browse.app)
app.add_typer(analysis.app)
app.add_typer(model.app)
app.add_typer(insight.app)
app.add_typer(export.app)
app.add_typer(serve.app)
app.add_typer(db.app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="reelsense")
