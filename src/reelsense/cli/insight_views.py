"""Rich renderables for per-movie insight (``show``) and comparisons (``compare``).

Review-derived text is always wrapped in :class:`rich.text.Text`, never
parsed as markup, so ``[bold]`` or ``<script>`` in a review prints as is.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reelsense.insight.compare import Comparison, MovieSide
from reelsense.insight.results import AspectSummary, MovieInsight, Quote, YearPolarity
from reelsense.insight.terms import DistinctiveTerm

__all__ = ["comparison_renderables", "insight_renderables", "sparkline"]

_BLOCKS = "▁▂▃▄▅▆▇█"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def sparkline(values: list[float | None], low: float = 0.0, high: float = 1.0) -> str:
    """One block character per value scaled between ``low`` and ``high``; a space for ``None``."""
    span = (high - low) or 1.0
    out = []
    for value in values:
        if value is None:
            out.append(" ")
            continue
        share = min(1.0, max(0.0, (value - low) / span))
        out.append(_BLOCKS[round(share * (len(_BLOCKS) - 1))])
    return "".join(out)


def _quote_lines(quotes: tuple[Quote, ...], style: str) -> list[Text]:
    lines = []
    for quote in quotes:
        line = Text("  “", style="dim")
        line.append(quote.text, style=style)
        line.append("” — ", style="dim")
        line.append(quote.author, style="italic")
        lines.append(line)
    return lines


def _aspect_block(title: str, aspects: tuple[AspectSummary, ...], praise: bool) -> Panel:
    parts: list[RenderableType] = []
    for aspect in aspects:
        head = Text(aspect.aspect, style="bold")
        head.append(
            f"  +{aspect.positive} −{aspect.negative} ·{aspect.neutral}"
            f"  ({_pct(aspect.share_positive)} positive)",
            style="dim",
        )
        parts.append(head)
        quotes = aspect.praise if praise else aspect.criticism
        parts.extend(_quote_lines(quotes, "green" if praise else "red"))
    if not parts:
        parts.append(Text("none yet", style="dim"))
    return Panel(Group(*parts), title=title, title_align="left")


def _years_table(years: tuple[YearPolarity, ...]) -> RenderableType:
    table = Table(title="Polarity by review year", title_justify="left", box=None)
    table.add_column("year", justify="right")
    table.add_column("reviews", justify="right")
    table.add_column("positive", justify="right")
    table.add_column("mean rating", justify="right")
    for row in years:
        table.add_row(
            str(row.year), f"{row.reviews:,}", _pct(row.share_positive), _num(row.mean_rating)
        )
    shares = [y.share_positive for y in years]
    ratings = [y.mean_rating for y in years]
    spark = Text("positive share ", style="dim")
    spark.append(sparkline(shares), style="green")
    spark.append("   mean rating ", style="dim")
    spark.append(sparkline(ratings, 1.0, 10.0), style="cyan")
    return Group(table, spark)


def _terms_text(terms: tuple[DistinctiveTerm, ...]) -> Text:
    text = Text("Distinctive terms: ", style="bold")
    if not terms:
        text.append("none", style="dim")
    for i, term in enumerate(terms):
        if i:
            text.append(", ", style="dim")
        text.append(term.term)
        text.append(f" ({term.occurrences})", style="dim")
    return text


def _disagreements(insight: MovieInsight) -> RenderableType:
    table = Table(
        title=f"Text disagrees with rating ({insight.disagreement_count:,} "
        f"review{'' if insight.disagreement_count == 1 else 's'})",
        title_justify="left",
        box=None,
    )
    for column in ("id", "reviewer", "rating", "P(positive)", "what", "headline"):
        table.add_column(column)
    for item in insight.disagreements:
        table.add_row(
            str(item.review_id),
            Text(item.author),
            _num(item.rating, 0),
            f"{item.p_positive:.2f}",
            item.kind,
            Text(item.headline or ""),
        )
    return table


def insight_renderables(insight: MovieInsight) -> list[RenderableType]:
    """What ``reelsense show`` adds below the stats panel, in order.

    Aspects praised and criticised (counts and quotes), polarity by year,
    distinctive terms, reviews whose text disagrees with their rating, and
    any notes (e.g. "no analysis yet").
    """
    out: list[RenderableType] = [Text(note, style="yellow") for note in insight.notes]
    if insight.aspects:
        out.append(_aspect_block("Most praised", insight.praised, praise=True))
        out.append(_aspect_block("Most criticised", insight.criticised, praise=False))
    if insight.years:
        out.append(_years_table(insight.years))
    out.append(_terms_text(insight.terms))
    if insight.disagreements:
        out.append(_disagreements(insight))
    return out


def _side_column(side: MovieSide) -> Text:
    return Text(side.label, style="bold")


def comparison_renderables(comparison: Comparison) -> list[RenderableType]:
    """What ``reelsense compare`` prints: ratings and aspects side by side, then the tests."""
    sides = comparison.movies
    table = Table(title="Side by side", title_justify="left")
    table.add_column("")
    for side in sides:
        header = _side_column(side)
        if side.position is not None:
            header.append(" original" if side.position == 0 else f" remake {side.position}")
        table.add_column(header, justify="right")
    table.add_row("reviews", *[f"{s.reviews:,}" for s in sides])
    table.add_row("rated (given)", *[f"{s.rated:,} ({s.given:,})" for s in sides])
    table.add_row("mean rating", *[_num(s.mean, 2) for s in sides])
    table.add_row("median rating", *[_num(s.median) for s in sides])
    table.add_row("positive text", *[_pct(s.share_positive) for s in sides])
    aspects = sorted({a.aspect for s in sides for a in s.aspects})
    for aspect in aspects:
        cells = []
        for side in sides:
            found = next((a for a in side.aspects if a.aspect == aspect), None)
            if found is None:
                cells.append("–")
            else:
                mentions = found.positive + found.negative + found.neutral
                cells.append(f"{_pct(found.share_positive)} of {mentions:,}")
        table.add_row(Text(f"{aspect} (positive)", style="dim"), *cells)
    out: list[RenderableType] = [Text(note, style="yellow") for note in comparison.notes]
    out.append(table)
    for side in sides:
        line = Text(f"{side.label}: ", style="bold")
        line.append_text(_terms_text(side.terms)[len("Distinctive terms: ") :])
        out.append(line)
    for test in comparison.tests:
        out.append(Panel(Text(test.explanation), title="Is the difference real?"))
        if test.result is not None:
            r = test.result
            out.append(
                Text(
                    f"Mann–Whitney U = {r.u_statistic:,.1f}, p = {r.p_value:.3g}, "
                    f"Cliff's delta = {r.cliffs_delta:+.2f}, "
                    f"difference in means {r.mean_difference:+.2f} "
                    f"({r.confidence:.0%} CI {r.ci_low:+.2f} to {r.ci_high:+.2f})",
                    style="dim",
                )
            )
    return out
