"""Hostile inputs shared by the store, CLI and web tests: SQL/FTS injection and XSS payloads.

Written for these tests; nothing here comes from a third-party corpus.
"""

from __future__ import annotations

__all__ = ["INJECTION", "XSS"]

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
