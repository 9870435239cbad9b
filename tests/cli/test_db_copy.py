"""``reelsense db copy``: SQLite → PostgreSQL → SQLite keeps every table's content."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from reelsense.cli import db
from reelsense.errors import StoreError
from reelsense.records import Problem
from reelsense.store import SQLiteStore
from reelsense.store.base import AnalysisRow, AspectMention
from reelsense.store.copy import copy_store
from tests.pg_server import pg_server, pg_url
from tests.store.samples import corpus

__all__ = ["pg_server", "pg_url"]

app = typer.Typer()
app.add_typer(db.app)  # as cli/app.py registers it: ``reelsense db copy``

# Each table's columns to compare; review ids become review keys, other ids and
# the timestamps of the copy itself are left out.
TABLES = {
    "movies": "SELECT movie_id, title, year, imdb_rating, url, source_file FROM movies",
    "movie_groups": "SELECT group_name, movie_id, position FROM movie_groups",
    "reviews": "SELECT * FROM reviews",
    "reviewer_emails": (
        "SELECT r.review_key, e.email FROM reviewer_emails AS e JOIN reviews AS r USING (review_id)"
    ),
    "problems": "SELECT source_file, line, message FROM problems",
    "models": "SELECT model_version, metadata FROM models ORDER BY registered_at, rowid",
    "analyses": (
        "SELECT r.review_key, a.model_version, a.polarity, a.p_positive, a.predicted_rating, "
        "a.predicted_confidence, a.final_rating, a.rating_source, a.rating_confidence "
        "FROM analyses AS a JOIN reviews AS r USING (review_id)"
    ),
    "aspect_mentions": (
        "SELECT r.review_key, m.model_version, m.sentence, m.aspect, m.polarity, m.score, "
        "m.sentence_text FROM aspect_mentions AS m JOIN reviews AS r USING (review_id)"
    ),
}


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        found: dict[str, list[tuple[object, ...]]] = {}
        for table, sql in TABLES.items():
            rows = [tuple(row) for row in conn.execute(sql)]
            if table == "reviews":
                rows = [row[1:] for row in rows]  # drop review_id
            found[table] = rows if table == "models" else sorted(rows, key=repr)
        return found
    finally:
        conn.close()


def _fill(path: Path) -> None:
    with SQLiteStore(path) as store:
        store.write(corpus())
        store.write([Problem("b.txt", None, "file is truncated")])
        store.register_model("old-model", '{"v": 1}')
        store.register_model("new-model", '{"v": 2}')
        ids = [item.review_id for item in store.iter_reviews()]
        for version in ("old-model", "new-model"):
            store.write_analysis(
                [
                    AnalysisRow(i, version, "positive", 0.75, 8, 0.5, 7.5, "predicted", 0.5)
                    for i in ids
                ],
                [AspectMention(ids[0], version, 0, "story", "negative", 0.2, "Weak story.")],
            )


@pytest.mark.postgres
def test_sqlite_to_postgres_and_back_keeps_every_table(tmp_path: Path, pg_url: str) -> None:
    original, back = tmp_path / "original.db", tmp_path / "back.db"
    _fill(original)
    runner = CliRunner()
    there = runner.invoke(app, ["db", "copy", "--from", str(original), "--to", pg_url])
    assert there.exit_code == 0, there.output
    assert "counts checked" in there.stdout
    again = runner.invoke(
        app, ["db", "copy", "--db", pg_url, "--to", str(back), "--batch-size", "2"]
    )
    assert again.exit_code == 0, again.output
    expected = _content(original)
    assert expected["analyses"] and expected["aspect_mentions"] and expected["reviewer_emails"]
    assert _content(back) == expected
    with SQLiteStore(back) as store:
        assert store.current_model() == "new-model"


@pytest.mark.postgres
def test_copy_refuses_a_destination_with_data_unless_appending(tmp_path: Path, pg_url: str) -> None:
    original = tmp_path / "original.db"
    _fill(original)
    runner = CliRunner()
    assert (
        runner.invoke(app, ["db", "copy", "--from", str(original), "--to", pg_url]).exit_code == 0
    )
    refused = runner.invoke(app, ["db", "copy", "--from", str(original), "--to", pg_url])
    assert refused.exit_code == 1
    assert "not empty" in refused.output and "--append" in refused.output
    appended = runner.invoke(
        app, ["db", "copy", "--from", str(original), "--to", pg_url, "--append"]
    )
    assert appended.exit_code == 0, appended.output
    assert "0 new reviews" in appended.stdout


def test_sqlite_to_sqlite_copy_keeps_every_table(tmp_path: Path) -> None:
    original, copied = tmp_path / "original.db", tmp_path / "copied.db"
    _fill(original)
    with SQLiteStore(original) as source, SQLiteStore(copied) as destination:
        report = copy_store(source, destination, batch_size=3)
    assert (report.reviews, report.analyses, report.aspects, report.models) == (6, 12, 2, 2)
    assert _content(copied) == _content(original)


def test_copy_from_and_to_the_same_database_is_refused(tmp_path: Path) -> None:
    original = tmp_path / "original.db"
    _fill(original)
    result = CliRunner().invoke(app, ["db", "copy", "--from", str(original), "--to", str(original)])
    assert result.exit_code == 1
    assert "same database" in result.output


def test_copy_from_a_missing_file_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["db", "copy", "--from", str(tmp_path / "none.db"), "--to", str(tmp_path / "to.db")]
    )
    assert result.exit_code == 1
    assert "no such database file" in result.output


def test_count_mismatch_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original, copied = tmp_path / "original.db", tmp_path / "copied.db"
    _fill(original)
    with SQLiteStore(original) as source, SQLiteStore(copied) as destination:
        real_write = destination.write
        monkeypatch.setattr(
            destination,
            "write",
            lambda records: real_write([r for r in records if not isinstance(r, Problem)]),
        )
        with pytest.raises(StoreError, match="counts differ"):
            copy_store(source, destination)


def test_db_help_lists_copy() -> None:
    result = CliRunner().invoke(app, ["db", "--help"])
    assert result.exit_code == 0
    assert "copy" in result.stdout
