"""``reelsense movies``, ``show`` and ``search`` from the user's side."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.cli.test_ingest import GOOD_MOVIE, write_movie

SECOND_MOVIE = (
    GOOD_MOVIE.replace("tt9800001", "tt9800002")
    .replace("The Quiet Harbour", "The Loud Harbour")
    .replace("lighthouse", "submarine")
    .replace("2003-05-01", "2010-01-02")
    .replace("2004-07-09", "2011-03-04")
)


@pytest.fixture
def filled(cli: Cli, tmp_path: Path) -> Cli:
    write_movie(tmp_path / "Group1" / "Movie0.txt")
    write_movie(tmp_path / "Group1" / "Movie1.txt", SECOND_MOVIE)
    assert cli("ingest", tmp_path / "Group1").exit_code == 0
    return cli


def test_movies_lists_titles_counts_and_group(filled: Cli) -> None:
    result = filled("movies")
    assert result.exit_code == 0
    assert "The Quiet Harbour" in result.stdout
    assert "The Loud Harbour" in result.stdout
    assert "Group1" in result.stdout


def test_show_by_title_words_draws_a_histogram(filled: Cli) -> None:
    result = filled("show", "quiet harbour")
    assert result.exit_code == 0, result.output
    assert "tt9800001" in result.stdout
    assert "█" in result.stdout
    assert "spoiler" in result.stdout


def test_show_ambiguous_title_lists_the_candidates(filled: Cli) -> None:
    result = filled("show", "harbour")
    assert result.exit_code == 1
    assert "tt9800001" in result.stderr and "tt9800002" in result.stderr


def test_show_unknown_movie_is_a_clear_error(filled: Cli) -> None:
    result = filled("show", "tt0000001")
    assert result.exit_code == 1
    assert "no movie matches" in result.stderr


def test_search_finds_and_filters(filled: Cli) -> None:
    both = filled("search", "harbour OR lighthouse OR submarine", "--limit", "10")
    assert both.exit_code == 0, both.output
    assert "4 results" in both.stdout
    rated = filled("search", "lighthouse OR submarine", "--min-rating", "7")
    assert "2 results" in rated.stdout
    dated = filled("search", "lighthouse OR submarine", "--since", "2010-01-01")
    assert "2 results" in dated.stdout
    one = filled("search", "lighthouse", "--movie", "tt9800001", "--until", "2003-12-31")
    assert "1 result" in one.stdout


def test_search_hides_emails_unless_asked(filled: Cli) -> None:
    hidden = filled("search", "calm")
    assert "fan@example.com" not in hidden.output
    shown = filled("search", "calm", "--include-personal")
    assert "fan@example.com" in shown.stdout


@pytest.mark.parametrize("bad", ['"unbalanced', "-only -negative"])
def test_malformed_query_is_a_clear_error(filled: Cli, bad: str) -> None:
    result = filled("search", "--", bad)
    assert result.exit_code == 1
    assert "error:" in result.stderr
    assert "fts5" not in result.output.lower()


@pytest.mark.parametrize("hostile", ["NEAR(", "a:b", "'); DROP TABLE reviews;--", "*", "AND"])
def test_query_syntax_in_user_text_is_never_an_sql_error(filled: Cli, hostile: str) -> None:
    result = filled("search", hostile)
    assert result.exit_code in (0, 1)
    assert "fts5" not in result.output.lower()
    assert "sqlite" not in result.output.lower()
    assert filled("movies").exit_code == 0
