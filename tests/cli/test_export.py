"""``reelsense export``: formats, destinations, stdout, filters and overwriting."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from reelsense.cli.export import app
from tests.export.test_formats import EMAIL, FIRST, build_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.db"
    build_store(path).close()
    return path


def run(db: Path, *args: str | Path) -> Result:
    result = CliRunner().invoke(app, ["--db", str(db), *(str(a) for a in args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def test_csv_goes_to_stdout_without_output(db: Path) -> None:
    result = run(db, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5 and rows[0]["review_id"] == "1"
    assert "wrote" not in result.stdout  # no progress mixed into the data


def test_jsonl_to_stdout_with_dash_and_filters(db: Path) -> None:
    result = run(db, "-f", "jsonl", "-o", "-", "--movie", FIRST, "--min-rating", "5", "--filled")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["position"] for r in rows] == [0, 2]


@pytest.mark.parametrize(("what", "count"), [("movies", 3), ("analysis", 5), ("aspects", 5)])
def test_what_chooses_the_rows(db: Path, what: str, count: int) -> None:
    result = run(db, "--format", "jsonl", "--what", what)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == count


def test_emails_only_with_include_personal(db: Path) -> None:
    assert EMAIL not in run(db, "--format", "csv").stdout
    assert EMAIL in run(db, "--format", "csv", "--include-personal").stdout


def test_parquet_to_a_file_reports_on_stderr(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    result = run(db, "--format", "parquet", "-o", out, "--sentiment", "negative")
    assert result.exit_code == 0
    assert pq.read_table(out).num_rows == 2
    assert "wrote 2 reviews rows" in result.stderr


def test_refuses_to_overwrite_without_force(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"precious")
    result = run(db, "--format", "xlsx", "-o", out)
    assert result.exit_code == 1
    assert "--force" in result.stderr and out.read_bytes() == b"precious"
    assert run(db, "--format", "xlsx", "-o", out, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_binary_format_needs_an_output(db: Path) -> None:
    result = run(db, "--format", "parquet")
    assert result.exit_code == 1
    assert "-o PATH" in result.stderr and result.stdout == ""


def test_xml_writes_crawler_files(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "crawl"
    result = run(db, "--format", "xml", "-o", out, "--group", "Group4")
    assert result.exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == [
        "Group4/Movie0.txt",
        "Group4/Movie1.txt",
    ]
    assert "4 reviews" in result.stderr


def test_unknown_movie_is_one_line_error(db: Path) -> None:
    result = run(db, "--format", "csv", "--movie", "no such film")
    assert result.exit_code == 1
    assert "no movie matches" in result.stderr and result.stdout == ""


def test_bad_choice_is_rejected_by_the_parser(db: Path) -> None:
    assert run(db, "--format", "docx").exit_code == 2
    assert run(db, "--format", "csv", "--what", "people").exit_code == 2
