"""Vega-Lite chart specs for the dashboard, built with Altair.

Each function returns a plain JSON-ready dict (``Chart.to_dict()``) with its
data inline; the page embeds it in a ``<script type="application/json">``
block and ``static/js/charts.js`` draws it with the vendored vega-embed.
Charts take the width of their container, so they fit a phone screen.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from reelsense.insight.compare import Comparison
from reelsense.insight.results import RATING_POINTS, SOURCES, AspectSummary, MovieInsight

__all__ = [
    "SOURCE_COLOURS",
    "aspect_chart",
    "compare_aspects_chart",
    "compare_ratings_chart",
    "rating_chart",
    "years_chart",
]

Spec = dict[str, Any]

SOURCE_COLOURS = {"given": "#4c78a8", "stated": "#f58518", "predicted": "#9c9c9c"}
POSITIVE, NEGATIVE = "#2e7d32", "#c62828"
HEIGHT = 200


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    """Inline data (kept in the spec, not moved to a named dataset)."""
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _spec(chart: alt.Chart | alt.LayerChart | alt.FacetChart) -> Spec:
    spec: Spec = chart.properties(width="container", height=HEIGHT).to_dict()
    spec.setdefault("config", {}).update(
        {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11}}
    )
    return spec


def rating_chart(insight: MovieInsight) -> Spec:
    """Reviews per rating 1..10, stacked by where the rating came from (given vs filled)."""
    rows = [
        {"rating": r, "source": s, "reviews": insight.ratings.histograms[s].get(r, 0)}
        for s in SOURCES
        for r in RATING_POINTS
    ]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X("rating:O", title="Rating", sort=list(RATING_POINTS)),
            y=alt.Y("reviews:Q", title="Reviews", stack="zero"),
            color=alt.Color(
                "source:N",
                title="Rating",
                scale=alt.Scale(domain=list(SOURCES), range=[SOURCE_COLOURS[s] for s in SOURCES]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["rating:O", "source:N", "reviews:Q"],
        )
        .transform_calculate(order="indexof(['given','stated','predicted'], datum.source)")
    )
    return _spec(chart)


def years_chart(insight: MovieInsight) -> Spec:
    """Share of positive reviews per year they were written (line), with review counts."""
    rows = [
        {
            "year": str(y.year),
            "share": y.share_positive,
            "reviews": y.reviews,
            "mean": y.mean_rating,
        }
        for y in insight.years
        if y.share_positive is not None
    ]
    base = alt.Chart(_data(rows)).encode(
        x=alt.X("year:O", title="Year written"),
        y=alt.Y(
            "share:Q",
            title="Share positive",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        tooltip=[
            "year:O",
            alt.Tooltip("share:Q", format=".0%", title="positive"),
            "reviews:Q",
            alt.Tooltip("mean:Q", format=".1f", title="mean rating"),
        ],
    )
    chart = alt.layer(base.mark_line(color=POSITIVE), base.mark_point(color=POSITIVE, filled=True))
    return _spec(chart)


def _aspect_rows(aspects: tuple[AspectSummary, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for a in aspects:
        rows.append({"aspect": a.aspect, "kind": "praise", "mentions": a.positive})
        rows.append({"aspect": a.aspect, "kind": "criticism", "mentions": -a.negative})
    return rows


def aspect_chart(insight: MovieInsight) -> Spec:
    """Praise (right) and criticism (left) per aspect of the film."""
    order = [a.aspect for a in insight.aspects]
    chart = (
        alt.Chart(_data(_aspect_rows(insight.aspects)))
        .mark_bar()
        .encode(
            y=alt.Y("aspect:N", title=None, sort=order),
            x=alt.X("mentions:Q", title="Criticism ← mentions → praise"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["praise", "criticism"], range=[POSITIVE, NEGATIVE]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["aspect:N", "kind:N", "mentions:Q"],
        )
    )
    return _spec(chart)


def compare_ratings_chart(comparison: Comparison) -> Spec:
    """Mean and median rating of each movie compared."""
    rows = []
    for side in comparison.movies:
        rows.append({"movie": side.label, "measure": "mean", "rating": side.mean})
        rows.append({"movie": side.label, "measure": "median", "rating": side.median})
    labels = [side.label for side in comparison.movies]
    chart = (
        alt.Chart(_data([r for r in rows if r["rating"] is not None]))
        .mark_bar()
        .encode(
            y=alt.Y("movie:N", title=None, sort=labels),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("rating:Q", title="Rating", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=["mean", "median"], range=["#4c78a8", "#9ecae9"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["movie:N", "measure:N", alt.Tooltip("rating:Q", format=".2f")],
        )
    )
    return _spec(chart)


def compare_aspects_chart(comparison: Comparison) -> Spec:
    """Share of positive mentions of each aspect, per movie."""
    rows = [
        {
            "movie": side.label,
            "aspect": a.aspect,
            "share": a.share_positive,
            "mentions": a.positive + a.negative + a.neutral,
        }
        for side in comparison.movies
        for a in side.aspects
        if a.share_positive is not None
    ]
    labels = [side.label for side in comparison.movies]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("aspect:N", title=None),
            yOffset=alt.YOffset("movie:N", sort=labels),
            x=alt.X(
                "share:Q",
                title="Share of positive mentions",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("movie:N", title=None, sort=labels, legend=alt.Legend(orient="top")),
            tooltip=[
                "movie:N",
                "aspect:N",
                alt.Tooltip("share:Q", format=".0%"),
                "mentions:Q",
            ],
        )
    )
    return _spec(chart)
