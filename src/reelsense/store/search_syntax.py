"""Web-search syntax, parsed once and rendered safely for each backend.

What a user may type (see :class:`reelsense.store.base.SearchQuery`)::

    dark comedy            both words
    "slow burn"            a phrase
    noir OR thriller       either alternative (binds tighter than the implicit AND)
    -remake                exclude a word (or -"a phrase")
    surpris*               a prefix
    AND                    allowed between terms; it changes nothing

Every term is rendered as a quoted string, so nothing the user types can
become FTS5 syntax (``NEAR(``, ``a:b``, ``*``, a stray ``)``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from reelsense.errors import QueryError

__all__ = ["ParsedSearch", "Term", "parse_search", "to_fts5"]


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase; ``prefix`` means its last word is a prefix."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class ParsedSearch:
    """A query as all-of ``groups`` (each any-of its terms) minus ``excluded``."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "term", "or", "and"
    term: Term | None = None
    negated: bool = False


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _without_controls(text: str) -> str:
    """Control characters and lone surrogates become spaces (FTS5 stops at a NUL)."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)


def _tokens(text: str) -> list[_Token]:
    text = _without_controls(text)
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close == -1:
                raise QueryError("search query has an unbalanced quote")
            body = text[i + 1 : close]
            i = close + 1
            prefix = i < n and text[i] == "*"
            while i < n and text[i] == "*":
                i += 1
            if _has_word(body):
                tokens.append(_Token("term", Term(" ".join(body.split()), prefix), negated))
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        word = text[start:i]
        if not negated and word in ("OR", "AND"):
            tokens.append(_Token(word.lower()))
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _has_word(word):
            tokens.append(_Token("term", Term(word, prefix), negated))
    return tokens


def parse_search(text: str) -> ParsedSearch:
    """Parse web-search syntax into terms.

    Parameters
    ----------
    text:
        What the user typed.

    Returns
    -------
    ParsedSearch
        The groups that must all match and the terms that must not.

    Raises
    ------
    QueryError
        An unbalanced quote, an ``OR``/``AND`` with nothing on one side,
        ``OR`` next to an excluded term, or no word to search for.

    Example
    -------
    >>> parse_search('noir OR thriller -remake').groups
    ((Term(text='noir', prefix=False), Term(text='thriller', prefix=False)),)
    """
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending: str | None = None  # an operator waiting for its right-hand term
    previous_negated = False
    for token in _tokens(text):
        if token.kind in ("or", "and"):
            operator = token.kind.upper()
            if pending is not None or (not groups and not excluded):
                raise QueryError(f"search query has {operator} with nothing before it")
            if token.kind == "or" and previous_negated:
                raise QueryError("search query cannot combine OR with an excluded term")
            pending = token.kind
            continue
        assert token.term is not None
        if token.negated:
            if pending == "or":
                raise QueryError("search query cannot combine OR with an excluded term")
            excluded.append(token.term)
        elif pending == "or":
            groups[-1].append(token.term)
        else:
            groups.append([token.term])
        previous_negated = token.negated
        pending = None
    if pending is not None:
        raise QueryError(f"search query has {pending.upper()} with nothing after it")
    if not groups:
        if excluded:
            raise QueryError("search query only excludes words; add a word to search for")
        raise QueryError("search query has no words to search for")
    return ParsedSearch(tuple(tuple(group) for group in groups), tuple(excluded))


def _fts5_term(term: Term) -> str:
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def _fts5_any(terms: tuple[Term, ...]) -> str:
    if len(terms) == 1:
        return _fts5_term(terms[0])
    return "(" + " OR ".join(_fts5_term(term) for term in terms) + ")"


def to_fts5(parsed: ParsedSearch) -> str:
    """Render a parsed search as an SQLite FTS5 ``MATCH`` expression.

    Example
    -------
    >>> to_fts5(parse_search('noir OR thriller -remake surpris*'))
    '(("noir" OR "thriller") AND "surpris"*) NOT "remake"'
    """
    expression = " AND ".join(_fts5_any(group) for group in parsed.groups)
    if parsed.excluded:
        expression = f"({expression}) NOT {_fts5_any(parsed.excluded)}"
    return expression
