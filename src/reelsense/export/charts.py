"""Charts for the HTML report as inline SVG, drawn in Python (no script, no network).

Every chart scales to its container (``viewBox`` + ``width: 100%``), carries a
``<title>`` per mark for hover text, and escapes every label it draws.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from reelsense.insight.results import RATING_POINTS, AspectSummary, RatingDistribution, YearPolarity
from reelsense.store.base import RatingSource

__all__ = ["SOURCE_COLOURS", "aspect_bars_svg", "rating_histogram_svg", "years_svg"]

SOURCE_COLOURS: dict[RatingSource, str] = {
    "given": "#4c78a8",
    "stated": "#f58518",
    "predicted": "#9c9c9c",
}
POSITIVE, NEGATIVE, AXIS = "#2e7d32", "#c62828", "#666"
POSITIVE_LIGHT, NEGATIVE_LIGHT, RATING_LINE = "#81c784", "#ef9a9a", "#1a3d6d"
WIDTH = 360
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _svg(height: int, label: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(label)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'fill="{fill}"><title>{escape(tip)}</title></rect>'
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", fill: str = AXIS) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" {FONT}>'
        f"{escape(text)}</text>"
    )


def rating_histogram_svg(distribution: RatingDistribution) -> Markup:
    """Reviews per rating 1..10, stacked by source: given, stated in the text, predicted."""
    height, top, bottom, left = 200, 12, 30, 34
    plot_h, plot_w = height - top - bottom, WIDTH - left - 8
    totals = {
        r: sum(distribution.histograms[s].get(r, 0) for s in SOURCE_COLOURS) for r in RATING_POINTS
    }
    peak = max(totals.values(), default=0) or 1
    slot = plot_w / len(RATING_POINTS)
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 8}" y2="{top + plot_h}" '
        f'stroke="{AXIS}"/>',
        _text(left - 4, top + 8, f"{peak:,}", "end"),
        _text(left - 4, top + plot_h, "0", "end"),
    ]
    for i, rating in enumerate(RATING_POINTS):
        x, y = left + i * slot + 2, float(top + plot_h)
        for source, colour in SOURCE_COLOURS.items():
            count = distribution.histograms[source].get(rating, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            body.append(_rect(x, y, slot - 4, h, colour, f"{rating}/10, {source}: {count:,}"))
        body.append(_text(x + (slot - 4) / 2, top + plot_h + 14, str(rating)))
    legend_x = float(left)
    for source, colour in SOURCE_COLOURS.items():
        body.append(_rect(legend_x, height - 10, 9, 9, colour, source))
        body.append(_text(legend_x + 12, height - 2, source, "start"))
        legend_x += 80
    return _svg(height, "Ratings 1 to 10 by source: given, stated in the text, predicted", body)


def years_svg(years: Sequence[YearPolarity]) -> Markup:
    """Per review year: positive (green) and negative (red) share, and the mean rating (line)."""
    height, top, bottom, left = 196, 14, 40, 34
    plot_h, plot_w = height - top - bottom, WIDTH - left - 34
    base = top + plot_h
    body = [
        f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="{AXIS}"/>',
        _text(left - 4, top + 8, "100%", "end"),
        _text(left - 4, base, "0", "end"),
        _text(left + plot_w + 4, top + 8, "10", "start", RATING_LINE),
        _text(left + plot_w + 4, base, "1", "start", RATING_LINE),
    ]
    slot = plot_w / max(len(years), 1)
    step = max(1, round(len(years) / 8))
    points: list[str] = []
    for i, row in enumerate(years):
        x = left + i * slot + 1
        width = max(slot - 2, 1)
        if row.share_positive is not None:
            pos_h = plot_h * row.share_positive
            tip = f"{row.year}: {row.analyzed:,} scored, {row.share_positive:.0%} positive"
            body.append(_rect(x, top, width, plot_h - pos_h, NEGATIVE_LIGHT, tip))
            body.append(_rect(x, base - pos_h, width, pos_h, POSITIVE_LIGHT, tip))
        if row.mean_rating is not None:
            cy = base - plot_h * (row.mean_rating - 1) / 9
            points.append(f"{x + width / 2:.1f},{cy:.1f}")
            tip = f"{row.year}: mean rating {row.mean_rating:.1f} ({row.reviews:,} reviews)"
            body.append(
                f'<circle cx="{x + width / 2:.1f}" cy="{cy:.1f}" r="3" fill="{RATING_LINE}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        if i % step == 0:
            body.append(_text(x + slot / 2, base + 14, str(row.year)))
    if len(points) > 1:
        body.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{RATING_LINE}" '
            'stroke-width="2"/>'
        )
    legend = [
        ("positive", POSITIVE_LIGHT),
        ("negative", NEGATIVE_LIGHT),
        ("mean rating", RATING_LINE),
    ]
    legend_x = float(left)
    for name, colour in legend:
        body.append(_rect(legend_x, height - 10, 9, 9, colour, name))
        body.append(_text(legend_x + 12, height - 2, name, "start"))
        legend_x += 90
    return _svg(height, "Share of positive reviews and mean rating per review year", body)


def aspect_bars_svg(aspects: Sequence[AspectSummary]) -> Markup:
    """Per aspect, praise (right, green) against criticism (left, red), in mentions."""
    row_h, top, label_w = 22, 6, 92
    height = top + row_h * max(len(aspects), 1) + 6
    centre = label_w + (WIDTH - label_w) / 2
    half = (WIDTH - label_w) / 2 - 30
    peak = max((max(a.positive, a.negative) for a in aspects), default=0) or 1
    body = [f'<line x1="{centre}" y1="{top}" x2="{centre}" y2="{height - 4}" stroke="{AXIS}"/>']
    for i, aspect in enumerate(aspects):
        y = top + i * row_h
        body.append(_text(label_w - 6, y + 15, aspect.aspect, "end"))
        neg_w, pos_w = half * aspect.negative / peak, half * aspect.positive / peak
        body.append(
            _rect(
                centre - neg_w,
                y + 4,
                neg_w,
                14,
                NEGATIVE,
                f"{aspect.aspect}: {aspect.negative:,} negative",
            )
        )
        body.append(
            _rect(
                centre, y + 4, pos_w, 14, POSITIVE, f"{aspect.aspect}: {aspect.positive:,} positive"
            )
        )
        body.append(_text(centre - neg_w - 3, y + 15, f"{aspect.negative:,}", "end"))
        body.append(_text(centre + pos_w + 3, y + 15, f"{aspect.positive:,}", "start"))
    return _svg(height, "Praise (right) and criticism (left) per aspect", body)
