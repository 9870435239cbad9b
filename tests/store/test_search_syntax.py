"""Web-search syntax to FTS5: every term is quoted, operators are ours."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelsense.errors import QueryError
from reelsense.store.search_syntax import ParsedSearch, Term, parse_search, to_fts5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("storm", '"storm"'),
        ("storm keeper", '"storm" AND "keeper"'),
        ('"slow  pacing"', '"slow pacing"'),
        ("noir OR thriller", '("noir" OR "thriller")'),
        ("a b OR c d", '"a" AND ("b" OR "c") AND "d"'),
        ("storm -remake", '("storm") NOT "remake"'),
        ("storm -remake -copy", '("storm") NOT ("remake" OR "copy")'),
        ('storm -"pale copy"', '("storm") NOT "pale copy"'),
        ("surpris*", '"surpris"*'),
        ('"slow pac"*', '"slow pac"*'),
        ("storm AND keeper", '"storm" AND "keeper"'),
        ("a:b", '"a:b"'),
        ("NEAR(", '"NEAR("'),
        ("'); DROP TABLE reviews;--", '"DROP" AND "TABLE" AND "reviews;--"'),
        ("or and", '"or" AND "and"'),  # lower case words are words
    ],
)
def test_query_renders_as_quoted_fts5(text: str, expected: str) -> None:
    assert to_fts5(parse_search(text)) == expected


def test_parse_keeps_groups_and_exclusions() -> None:
    parsed = parse_search("noir OR thriller -remake twist*")
    assert parsed == ParsedSearch(
        groups=((Term("noir"), Term("thriller")), (Term("twist", prefix=True),)),
        excluded=(Term("remake"),),
    )


def test_quote_inside_a_term_can_never_break_out() -> None:
    rendered = to_fts5(ParsedSearch(groups=((Term('say "hi"'),),)))
    assert rendered == '"say ""hi"""'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unbalanced', "search query has an unbalanced quote"),
        ("AND", "AND with nothing before it"),
        ("OR", "OR with nothing before it"),
        ("storm OR OR keeper", "OR with nothing before it"),
        ("storm OR", "OR with nothing after it"),
        ("-a OR b", "cannot combine OR with an excluded term"),
        ("a OR -b", "cannot combine OR with an excluded term"),
        ("*", "no words to search for"),
        ('""', "no words to search for"),
        ("- -- ***", "no words to search for"),
        ("-storm", "only excludes words"),
    ],
)
def test_malformed_queries_get_a_human_message(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_search(text)


_SYNTAX_PIECES = [*"abcé xyz\"*-():^+{}.,;'\\", "OR", "AND", "NOT", "NEAR", " OR ", " AND "]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_SYNTAX_PIECES), max_size=12).map("".join)))
def test_any_text_is_a_query_error_or_valid_fts5(text: str) -> None:
    try:
        match = to_fts5(parse_search(text))
    except QueryError:
        return
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(headline, body)")
        conn.execute("INSERT INTO t VALUES ('abc', 'xyz é')")
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()
    finally:
        conn.close()
