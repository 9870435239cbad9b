"""``reelsense analyze`` and ``predict``, and what ``show``/``search`` gain from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelsense.cli.app import app
from tests.cli.conftest import Cli
from tests.cli.test_ingest import GOOD_MOVIE, query, write_movie

UNRATED = (
    GOOD_MOVIE.replace("<score>0.8</score>", "<score>-1.0</score>")
    .replace(" 8/10", "")
    .replace(" 4 out of 10", "")
)


@pytest.fixture
def ingested(cli: Cli, tmp_path: Path) -> Cli:
    assert cli("ingest", write_movie(tmp_path / "m.txt", UNRATED)).exit_code == 0
    return cli


def test_analyze_fills_missing_ratings_and_marks_them(ingested: Cli) -> None:
    result = ingested("analyze", "--quiet")
    assert result.exit_code == 0, result.output
    assert "scored 2 reviews" in result.stdout
    rows = query(ingested.db, "select rating_source, final_rating from analyses")
    assert [source for source, _ in rows] == ["predicted", "predicted"]
    assert all(1 <= rating <= 10 for _, rating in rows)
    again = ingested("analyze", "--quiet")
    assert "scored 0 reviews" in again.stdout
    shown = ingested("show", "tt9800001")
    assert "predicted" in shown.stdout and "filled" in shown.stdout
    found = ingested("search", "lighthouse", "--filled", "--min-rating", "1")
    assert "not given" in found.stdout


def test_search_by_sentiment(ingested: Cli) -> None:
    assert ingested("analyze", "--quiet").exit_code == 0
    positive = ingested("search", "lighthouse", "--sentiment", "positive")
    negative = ingested("search", "lighthouse", "--sentiment", "negative")
    counts = [int(r.stdout.split()[-2]) for r in (positive, negative)]
    assert sum(counts) == 2
    bad = ingested("search", "lighthouse", "--sentiment", "happy")
    assert bad.exit_code == 2


def test_predict_prints_json_lines_in_input_order(cli: Cli, tmp_path: Path) -> None:
    one = cli("predict", "A wonderful, moving film with brilliant acting.")
    assert one.exit_code == 0, one.output
    item = json.loads(one.stdout)
    assert set(item) >= {"polarity", "p_positive", "rating", "confidence", "model_version"}
    assert item["polarity"] == "positive"
    texts = ["Dull, boring and far too long.", "", "Superb!", "x" * 50_000]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    many = cli("predict", "--input", path)
    assert many.exit_code == 0, many.output
    lines = [json.loads(line) for line in many.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["polarity"] == "negative" and lines[2]["polarity"] == "positive"


def test_predict_reads_standard_input(cli: Cli) -> None:
    result = cli.runner.invoke(
        app,
        ["predict", "--input", "-"],
        input='{"text": "A great film."}\n{"text": "Awful."}\n',
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_predict_bad_json_names_the_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\nnot json\n')
    result = cli("predict", "--input", path)
    assert result.exit_code == 1
    assert "bad.jsonl:2:" in result.stderr


def test_predict_needs_exactly_one_input(cli: Cli) -> None:
    assert cli("predict").exit_code == 1


def test_analyze_without_aspects_keeps_its_own_model_version(ingested: Cli) -> None:
    result = ingested("analyze", "--quiet", "--no-aspects")
    assert result.exit_code == 0, result.output
    assert "scored 2 reviews" in result.stdout
    (version,) = {v for (v,) in query(ingested.db, "select model_version from analyses")}
    assert "+asp" not in version
    assert query(ingested.db, "select count(*) from aspect_mentions") == [(0,)]
    # the whole bundle is another version: everything is scored again, aspects included
    full = ingested("analyze", "--quiet")
    assert "scored 2 reviews" in full.stdout
    versions = {v for (v,) in query(ingested.db, "select distinct model_version from analyses")}
    (bundle,) = versions - {version}
    assert bundle.startswith(f"{version}+asp")
    assert query(ingested.db, "select count(*) from aspect_mentions")[0][0] > 0
