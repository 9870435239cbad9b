"""Hostile inputs shared by the store, CLI and web tests: SQL/FTS injection and XSS payloads.

Written for these tests; nothing here comes from a third-party corpus.
"""

from __future__ import annotations

from datetime import date

from reelsense.records import Movie, Record, Review
from reelsense.store import Store
from reelsense.store.base import AnalysisRow, AspectMention

__all__ = ["INJECTION", "XSS", "XSS_GROUP", "write_xss_corpus", "xss_movie_id"]

INJECTION: list[str] = [
    # SQL: quotes, comments, stacked statements, unions, always-true conditions
    "' OR 1=1 --",
    '" OR ""="',
    "storm' OR '1'='1",
    "'; DROP TABLE reviews; --",
    '"; DROP TABLE movies; --',
    "1; DELETE FROM movies",
    "storm' UNION SELECT email FROM reviewer_emails --",
    "') OR 1=1 /*",
    "$$; DROP TABLE reviews; $$",
    "%",
    "_",
    "%' --",
    "\\",
    "\\' OR 1=1 --",
    # FTS5 syntax: column filters, NEAR, operators, prefixes, parentheses, quotes
    "NEAR(storm keeper, 2)",
    "storm NEAR keeper",
    "headline:storm",
    "{headline text}: storm",
    "text:*",
    "- headline : storm",
    "*",
    "**",
    "storm*keeper",
    "^storm",
    "(storm",
    "storm)",
    "((((",
    "))))",
    '"',
    '"""',
    '"storm',
    'storm"',
    "-",
    "--",
    "- -storm",
    "OR",
    "AND",
    "NOT storm",
    "storm NOT keeper",
    "OR 1=1",
    "storm OR OR keeper",
    "storm AND AND",
    # PostgreSQL tsquery syntax
    "':*",
    "storm:*",
    "!storm",
    "storm & keeper",
    "storm | keeper",
    "storm <-> keeper",
    "storm <2> keeper",
    "E'\\x00'",
    # control characters, NUL, odd Unicode
    "\x00",
    "storm\x00keeper",
    "\x00' OR 1=1 --",
    "storm\r\n\t\x1b[31m",
    "\u202estorm",
    "\U0001f3ac\U0001f37f",
    # huge
    "storm " * 400,
    "x" * 5000,
]
"""Text tried as a search query, title query, movie id, group name and filter value."""

XSS: list[str] = [
    "<script>window.__pwned = 'script'; alert('script')</script>",
    "<img src=x onerror=\"window.__pwned='img'; alert('img')\">",
    "<svg onload=\"window.__pwned='svg'; alert('svg')\"></svg>",
    "<svg><script>window.__pwned='svg-script'; alert('svg-script')</script></svg>",
    "\"><img src=x onerror=\"window.__pwned='attr'; alert('attr')\">",
    "' onmouseover='window.__pwned=1' autofocus onfocus='window.__pwned=\"focus\"' x='",
    "</textarea><script>window.__pwned='textarea'; alert('textarea')</script>",
    "</title><script>window.__pwned='title'; alert('title')</script>",
    "</script><script>window.__pwned='json'; alert('json')</script>",
    "<a href=\"javascript:window.__pwned='link';alert('link')\">click</a>",
    "javascript:window.__pwned='bare';alert('bare')",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<style>@import 'http://evil.invalid/x.css';</style>",
    "{{7*7}}{% raw %}${7*7}",
]
"""Markup that runs script (sets ``window.__pwned`` or opens a dialog) if rendered as HTML."""


XSS_GROUP = "Group <b>9</b>"
"""The crawler group holding every XSS movie (markup in a group name, too)."""
XSS_VERSION = "xss-test-1"


def xss_movie_id(index: int) -> str:
    """The id of the movie whose title is ``XSS[index]``."""
    return f"tt09{index:05d}"


def write_xss_corpus(store: Store) -> list[str]:
    """One movie per :data:`XSS` payload, with the payload as its title; every review
    carries payloads in its username, headline and text, and in aspect quotes; all are
    scored (some reviews disagree with their rating, so they are listed as such).

    Returns the movie ids, in payload order.
    """
    records: list[Record] = []
    ids = []
    for index, payload in enumerate(XSS):
        movie_id = xss_movie_id(index)
        ids.append(movie_id)
        records.append(
            Movie(movie_id, title=payload, year=1990 + index, group=XSS_GROUP, position=index)
        )
        for position in range(4):
            other = XSS[(index + position) % len(XSS)]
            records.append(
                Review(
                    movie_id,
                    position,
                    f"The harbour acting is {other} wonderful. {payload} Story {position}.",
                    date=date(2000 + position, 1 + index % 12, 1),
                    display_name=other,
                    rating=10.0 if position == 0 else 3.0 + position,
                    headline=payload,
                )
            )
    store.write(records)
    store.register_model(XSS_VERSION, '{"version": "xss-test-1"}')
    items = list(store.iter_reviews())
    analyses = [
        AnalysisRow(
            review_id=item.review_id,
            model_version=XSS_VERSION,
            polarity="negative" if item.review.position == 0 else "positive",
            p_positive=0.1 if item.review.position == 0 else 0.8,
            predicted_rating=3 if item.review.position == 0 else 8,
            predicted_confidence=0.6,
            final_rating=item.review.rating,
            rating_source="given",
            rating_confidence=1.0,
        )
        for item in items
    ]
    aspects = [
        AspectMention(
            item.review_id,
            XSS_VERSION,
            0,
            "acting",
            "positive" if item.review.position % 2 else "negative",
            0.8 if item.review.position % 2 else 0.2,
            item.review.text,
        )
        for item in items
    ]
    store.write_analysis(analyses, aspects)
    return ids
