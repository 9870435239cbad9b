"""Whitespace, entity and markup normalisation (pure functions, no I/O).

Review text arrives as page HTML with most markup already gone: entities
(``&amp;``, ``&#x107;``, a bare ``&amp`` with no ``;``), a few inline tags
(``<i>``, ``<a href=...>``), ``<br />`` paragraph breaks and ragged
whitespace. :func:`normalize_text` turns that into plain text whose only
line breaks are paragraph breaks written as ``"\\n\\n"``.

Everything here is regex based (precompiled) so that it runs on hundreds of
thousands of reviews during ingest.
"""

from __future__ import annotations

import html
import re

__all__ = ["PARAGRAPH_BREAK", "normalize_text", "strip_markup"]

PARAGRAPH_BREAK = "\n\n"
"""How a paragraph break is written in normalised text."""

# Tags that end a paragraph (or a line): they become a paragraph break.
_BLOCK_TAGS = r"br|p|div|hr|li|ul|ol|blockquote|h[1-6]|tr|table|center|pre"
# Inline tags that are dropped without trace.
_INLINE_TAGS = (
    r"a|b|i|u|s|em|strong|span|font|strike|del|ins|sub|sup|small|big|tt|code|q|cite"
    r"|abbr|acronym|img|mark|spoiler|td|th|tbody|thead|dfn|kbd|samp|var|wbr|nobr"
)
# A whitelist keeps ``a <3`` or ``x<y and y>z`` intact.
_BLOCK_TAG_RE = re.compile(rf"<\s*/?\s*(?:{_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG_RE = re.compile(rf"<\s*/?\s*(?:{_INLINE_TAGS})\b[^<>]*>", re.IGNORECASE)
# Entities that survive one round of decoding (``&amp;#x107;``).
_LEFTOVER_ENTITY_RE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# Control and zero-width characters that carry no text.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
# Horizontal whitespace other than one plain space (matching every single
# space would make the substitution several times slower).
_HSPACE_RE = re.compile(r"[^\S\n ][^\S\n]*| [^\S\n]+")
# The same job for text whose only whitespace is " " and "\n".
_SPACES_RE = re.compile(r"  +")


def strip_markup(text: str) -> str:
    """Remove leftover HTML tags; block tags become a paragraph break.

    Only known HTML tag names are touched, so text such as ``a <3`` or
    ``x<y`` stays as it is. Entities are not decoded and whitespace is not
    tidied: :func:`normalize_text` does both.

    Parameters
    ----------
    text:
        Text that may hold tags such as ``<i>``, ``</b>``, ``<a href=...>``,
        ``<br />`` or ``<p>``.

    Returns
    -------
    str
        The text without those tags; ``<br>``, ``<p>`` and other block tags
        are replaced by ``"\\n\\n"``.

    Example
    -------
    >>> strip_markup("a <i>fine</i> film<br />Yes")
    'a fine film\\n\\nYes'
    """
    if "<" not in text:
        return text
    text = _BLOCK_TAG_RE.sub(PARAGRAPH_BREAK, text)
    return _INLINE_TAG_RE.sub("", text)


def normalize_text(raw: str) -> str:
    """Decode HTML entities, drop leftover inline tags, tidy whitespace.

    Paragraph breaks (blank lines, ``<br />``, ``<p>``) become ``"\\n\\n"``;
    a single newline and runs of other whitespace become one space; the
    result is stripped. ``?`` standing for characters lost upstream is kept
    as is. Entities are decoded with :func:`html.unescape` (which also reads
    ``&amp`` without ``;``); an entity left after one round (``&amp;#x107;``)
    is decoded once more.

    Parameters
    ----------
    raw:
        Review text as read from a source.

    Returns
    -------
    str
        Plain text; its only line breaks are ``"\\n\\n"`` paragraph breaks.

    Example
    -------
    >>> normalize_text("Tom &amp Jerry<br /><br />  <i>great</i>\\tfun ")
    'Tom & Jerry\\n\\ngreat fun'
    """
    text = raw
    if "&" in text:
        text = html.unescape(text)
        if "&" in text and _LEFTOVER_ENTITY_RE.search(text):
            text = html.unescape(text)
    # Printable text holds no whitespace but the plain space, and no invisible
    # characters; tags only add or remove ASCII, so that stays true below.
    printable = text.isprintable()
    if "<" in text:
        text = _BLOCK_TAG_RE.sub(PARAGRAPH_BREAK, text)
        text = _INLINE_TAG_RE.sub("", text)
    if printable:
        return _tidy_spaces(text)
    text = _INVISIBLE_RE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HSPACE_RE.sub(" ", text)
    if "\n" in text:
        text = _join_lines(text)
    return text.strip()


def _tidy_spaces(text: str) -> str:
    """:func:`normalize_text`'s whitespace rules for text whose only spaces are ``" "``/``"\\n"``.

    The common case: a literal pattern that ``re`` scans quickly, where the
    general rules need a character class tried at every position.
    """
    if "  " in text:
        text = _SPACES_RE.sub(" ", text)
    if "\n" in text:
        return _join_lines(text)
    return text.strip(" ")


def _join_lines(text: str) -> str:
    """Lines of one paragraph joined by a space; blank lines become one paragraph break."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip(" ")
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return PARAGRAPH_BREAK.join(paragraphs)
