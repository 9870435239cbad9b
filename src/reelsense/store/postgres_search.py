"""Full-text search for the PostgreSQL store: ``tsvector`` + GIN, ``ts_rank_cd``, ``ts_headline``.

The user's text is parsed by :mod:`reelsense.store.search_syntax` (the same
rules as SQLite), then rendered as a ``tsquery`` expression whose every term
is a bound parameter: ``phraseto_tsquery`` for a word or phrase, a quoted
``word:*`` lexeme for a prefix, combined with ``&&``, ``||`` and ``!!``.
Nothing the user types can become ``tsquery`` syntax. The configuration
``reelsense_search`` strips accents and neither stems nor drops stop words.
"""

from __future__ import annotations

import re

from reelsense.store.base import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, SearchQuery
from reelsense.store.postgres_connection import PgConnection
from reelsense.store.postgres_movies import resolve_movie
from reelsense.store.queries import search_filters
from reelsense.store.search_syntax import ParsedSearch, Term, parse_search
from reelsense.store.sqlite_search import SNIPPET_TOKENS, fts5_match

__all__ = ["CONFIG", "search_reviews", "tsquery_sql"]

CONFIG = "'reelsense_search'::regconfig"
RANK_WEIGHTS = "'{0.5, 0.5, 0.5, 1.0}'::float4[]"
"""ts_rank_cd weights for D, C, B, A: a headline ('A') match counts twice a text ('D') one."""

_WORD = re.compile(r"\w+")
_ELLIPSIS = "…"

_HEADLINE_OPTIONS = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, HighlightAll=true"
_SNIPPET_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords={SNIPPET_TOKENS}, "
    f"MinWords={SNIPPET_TOKENS // 2}, ShortWord=0, MaxFragments=1"
)

_SEARCH_SQL = """
WITH q AS (SELECT {tsquery} AS query),
best AS (
    SELECT r.review_id, ts_rank_cd({weights}, r.search_vector, q.query, 1) AS score
    FROM reviews AS r CROSS JOIN q
    LEFT JOIN analyses AS a ON a.review_id = r.review_id AND a.model_version = %(model)s
    WHERE r.search_vector @@ q.query {filters}
    ORDER BY score DESC, r.review_id
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT r.review_id, r.movie_id, m.title, r.review_date, r.author, {email} AS email, r.rating,
       r.body, best.score,
       ts_headline({config}, r.headline, q.query, %(headline_options)s) AS headline,
       ts_headline({config}, r.body, q.query, %(snippet_options)s) AS snippet,
       a.polarity, a.p_positive, a.final_rating, a.rating_source
FROM best CROSS JOIN q
JOIN reviews AS r ON r.review_id = best.review_id
JOIN movies AS m ON m.movie_id = r.movie_id
LEFT JOIN analyses AS a ON a.review_id = r.review_id AND a.model_version = %(model)s
{email_join}
ORDER BY best.score DESC, r.review_id
"""


def _term_sql(term: Term, params: dict[str, object]) -> str:
    name = f"t{len(params)}"
    if not term.prefix:
        params[name] = term.text
        return f"phraseto_tsquery({CONFIG}, %({name})s)"
    words = _WORD.findall(term.text)
    if not words:
        params[name] = term.text
        return f"phraseto_tsquery({CONFIG}, %({name})s)"
    params[name] = f"'{words[-1]}':*"  # \w+ holds no quote or backslash
    last = f"to_tsquery({CONFIG}, %({name})s)"
    if len(words) == 1:
        return last
    head = f"h{len(params)}"
    params[head] = " ".join(words[:-1])
    return f"tsquery_phrase(phraseto_tsquery({CONFIG}, %({head})s), {last})"


def _any_sql(terms: tuple[Term, ...], params: dict[str, object]) -> str:
    return "(" + " || ".join(_term_sql(term, params) for term in terms) + ")"


def tsquery_sql(parsed: ParsedSearch, params: dict[str, object]) -> str:
    """An SQL expression of type ``tsquery`` for ``parsed``; terms are added to ``params``.

    Example
    -------
    >>> params: dict[str, object] = {}
    >>> tsquery_sql(parse_search("noir -remake"), params)[:40]
    "(((phraseto_tsquery('reelsense_search'::"
    >>> sorted(params.values())
    ['noir', 'remake']
    """
    expression = "(" + " && ".join(_any_sql(group, params) for group in parsed.groups) + ")"
    if parsed.excluded:
        expression = f"({expression} && !!{_any_sql(parsed.excluded, params)})"
    return expression


def _with_ellipses(snippet: str, body: str) -> str:
    plain = snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").strip()
    if not plain:
        return snippet
    start = body.find(plain)
    if start == -1:
        return snippet
    if body[:start].strip():
        snippet = _ELLIPSIS + snippet.lstrip()
    if body[start + len(plain) :].strip():
        snippet = snippet.rstrip() + _ELLIPSIS
    return snippet


def search_reviews(
    conn: PgConnection, query: SearchQuery, *, include_personal: bool
) -> list[SearchHit]:
    """Run a search (see ``Store.search``); ``rank`` is ``ts_rank_cd``, higher is better."""
    fts5_match(query)  # the same validation of text and filters as SQLite
    params: dict[str, object] = {}
    tsquery = tsquery_sql(parse_search(query.text), params)
    model = conn.execute(
        "SELECT model_version FROM models ORDER BY registered_at DESC, model_version DESC LIMIT 1"
    ).fetchone()
    params.update(
        model=None if model is None else model["model_version"],
        limit=query.limit,
        offset=query.offset,
        headline_options=_HEADLINE_OPTIONS,
        snippet_options=_SNIPPET_OPTIONS,
    )
    filters = ""
    if query.movie is not None:
        movie = resolve_movie(conn, query.movie)
        if movie is None:
            return []
        params["movie"] = movie
        filters += " AND r.movie_id = %(movie)s"
    more, values = search_filters(query, lambda name: f"%({name})s", dates_as_text=False)
    filters += more
    params.update(values)
    sql = _SEARCH_SQL.format(
        tsquery=tsquery,
        weights=RANK_WEIGHTS,
        config=CONFIG,
        filters=filters,
        email="e.email" if include_personal else "NULL",
        email_join=(
            "LEFT JOIN reviewer_emails AS e ON e.review_id = r.review_id"
            if include_personal
            else ""
        ),
    )
    return [
        SearchHit(
            review_id=int(row["review_id"]),
            movie_id=row["movie_id"],
            title=row["title"],
            date=row["review_date"],
            display_name=row["author"],
            email=row["email"],
            rating=row["rating"],
            headline=row["headline"],
            snippet=_with_ellipses(row["snippet"] or "", row["body"]),
            rank=float(row["score"]),
            polarity=row["polarity"],
            p_positive=row["p_positive"],
            final_rating=row["final_rating"],
            rating_source=row["rating_source"],
        )
        for row in conn.execute(sql, params)
    ]
