"""Terminal renderables for insight and comparison."""

from __future__ import annotations

from rich.console import Console

from reelsense.cli.insight_views import comparison_renderables, insight_renderables, sparkline
from reelsense.insight.compare import compare_group
from reelsense.insight.movie import movie_insight
from reelsense.records import Review
from tests.insight.corpus import ORIGINAL, SCRIPT, build_store
from tests.insight.corpus import VERSION as MODEL


def render(parts: list[object]) -> str:
    console = Console(width=120, record=True, color_system=None)
    for part in parts:
        console.print(part)
    return console.export_text()


def test_insight_view_shows_aspects_quotes_years_terms_and_disagreements() -> None:
    text = render(insight_renderables(movie_insight(build_store(), ORIGINAL)))
    assert "Most praised" in text and "acting" in text
    assert "Marta Vell gives a haunting performance" in text
    assert "Polarity by review year" in text and "1998" in text
    assert "Distinctive terms:" in text and "fog" in text
    assert "Grump" in text and "high rating, negative text" in text


def test_review_text_is_printed_literally_not_as_markup() -> None:
    store = build_store()
    store.write(
        [
            Review(
                ORIGINAL,
                99,
                "[bold red]Loud[/bold red] but the acting is fine.",
                display_name="[blink]Zed[/blink]",
                rating=9.0,
            )
        ]
    )
    item = next(i for i in store.iter_reviews(movie_id=ORIGINAL) if i.review.position == 99)
    from reelsense.store.base import AspectMention

    store.write_analysis(
        [],
        [
            AspectMention(
                item.review_id,
                MODEL,
                0,
                "acting",
                "positive",
                0.99,
                "[bold red]Loud[/bold red] acting, truly fine.",
            )
        ],
    )
    text = render(insight_renderables(movie_insight(store, ORIGINAL)))
    assert "[bold red]Loud[/bold red] acting, truly fine." in text
    assert "[blink]Zed[/blink]" in text
    assert SCRIPT in text  # shown as typed, nothing interprets it


def test_comparison_view_shows_sides_and_the_verdict_in_words() -> None:
    text = render(comparison_renderables(compare_group(build_store(), "Group7", resamples=1000)))
    assert "original" in text and "remake 1" in text
    assert "Reviewers rate Harbour Lights (1990) higher" in text
    assert "Mann–Whitney U" in text


def test_sparkline_scales_values_and_marks_gaps() -> None:
    assert sparkline([0.0, 0.5, 1.0, None]) == "▁▅█ "
