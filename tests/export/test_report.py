"""The self-contained HTML report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reelsense.errors import ConfigError, QueryError
from reelsense.export.report import write_report
from tests.insight.corpus import ORIGINAL, OTHER, REMAKE, SCRIPT, build_store

SECTIONS = ("ratings", "years", "aspects", "quotes", "terms", "disagreements")


@pytest.fixture
def group_report(tmp_path: Path) -> str:
    path = write_report(build_store(), tmp_path / "group7.html", group="Group7", resamples=1000)
    assert path == tmp_path / "group7.html"
    return path.read_text(encoding="utf-8")


def test_report_is_self_contained(group_report: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", group_report)
    assert "http://" not in group_report and "https://" not in group_report
    assert "<script" not in group_report.lower()
    assert "<link" not in group_report.lower()
    assert "<style>" in group_report
    assert group_report.count("<svg") >= 6  # 3 charts per movie


def test_review_text_is_escaped(group_report: str) -> None:
    assert SCRIPT not in group_report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in group_report


def test_email_addresses_never_appear(group_report: str) -> None:
    assert "mika@example.org" not in group_report
    assert "Mika Vale" in group_report


def test_every_section_is_present_for_every_movie(group_report: str) -> None:
    for movie_id in (ORIGINAL, REMAKE):
        assert f'id="movie-{movie_id}"' in group_report
        for section in SECTIONS:
            assert f'id="{section}-{movie_id}"' in group_report
    assert 'id="comparison"' in group_report
    assert 'id="statistics"' in group_report


def test_report_states_the_statistics_in_words(group_report: str) -> None:
    assert "Reviewers rate Harbour Lights (1990) higher than Harbour Lights (2012)" in group_report
    assert "Mann–Whitney U" in group_report
    assert "Marta Vell gives a haunting performance" in group_report  # a quote
    assert "Clicked the wrong star" in group_report  # a disagreement


def test_report_is_readable_at_phone_width(group_report: str) -> None:
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in group_report
    assert 'class="scroll"' in group_report  # wide tables scroll instead of overflowing


def test_a_single_movie_report_has_no_comparison(tmp_path: Path) -> None:
    html = write_report(build_store(), tmp_path / "one.html", [OTHER]).read_text()
    assert f'id="movie-{OTHER}"' in html
    assert 'id="comparison"' not in html


def test_report_before_any_analysis_says_what_is_missing(tmp_path: Path) -> None:
    store = build_store(analysis=False)
    html = write_report(store, tmp_path / "raw.html", [ORIGINAL, REMAKE], resamples=1000)
    html = html.read_text()
    assert "reelsense analyze" in html
    assert 'id="statistics"' in html


def test_report_needs_movies_or_a_group(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        write_report(build_store(), tmp_path / "none.html")
    with pytest.raises(QueryError):
        write_report(build_store(), tmp_path / "none.html", group="NoSuchGroup")
