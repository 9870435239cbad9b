"""Repair of glued sentences and sentence splitting (pure functions).

The crawler removed ``<br>`` tags, so the last sentence of one paragraph is
glued to the first of the next: ``review it.But not this one``. Repair puts
the lost space back where a sentence end (``.``, ``!``, ``?``, or a ``:``
before a quotation) is directly followed by a capital letter, and leaves
alone what only looks like that: abbreviations (``e.g.``, ``U.S.``,
``Mr.Smith``), decimals (``3.5``), ellipses (``...``), URLs and domains
(``www.imdb.com``), initials (``J.R.R. Tolkien``) and file names
(``clip.AVI``).

Both repair and splitting are regex based; Python code runs only at the few
candidate places in a text.
"""

from __future__ import annotations

import re

__all__ = [
    "count_glued",
    "glued_positions",
    "repair_glued",
    "sentence_spans",
    "split_sentences",
]

_UPPER = "A-ZÀ-ÖØ-Þ"
_OPEN_QUOTE = "\"“‘'("

# A glue candidate: sentence punctuation right after a word character or a
# closing quote/bracket, right before a capital (maybe after a quote). ``..``
# cannot match because the character before the last dot is a dot.
_GLUE_RE = re.compile(
    rf"(?<=[^\W_]|[)\]\"'”’%*])(?:[!?]+|\.|:(?=[\"“]))(?=[{_OPEN_QUOTE}”]?[{_UPPER}])"
)
# Titles and short forms that are followed by a capital without ending a
# sentence (``Mr.Smith``, ``Dr.No``, ``St.Louis``, ``vs.Predator``).
_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "messrs", "dr", "st", "jr", "sr", "prof", "mt", "ft", "gen",
        "col", "capt", "cpt", "lt", "sgt", "rev", "gov", "sen", "rep", "pres", "fr",
        "ph", "vs", "v", "cf", "vol", "no", "nos", "ch", "pt", "fig", "op", "ed", "eds",
        "approx", "ca", "viz", "mme", "mlle", "hr", "jan", "feb", "aug", "sept", "oct",
        "nov", "dec",
    }
)  # fmt: skip
# A left word that is a URL, an e-mail, a domain, a decimal or an
# abbreviation with inner dots (``e.g``, ``i.e``, ``a.m``, ``imdb.com``).
_URLISH_RE = re.compile(r"://|www\.|@|\.(?-i:[a-z0-9])|^[a-z]?$", re.IGNORECASE)
# Initials and dotted abbreviations in capitals: ``J.R.R``, ``U.S``, ``J``.
_INITIALS_RE = re.compile(rf"^(?:[{_UPPER}]\.)*[{_UPPER}]$")
# A capitalised file extension or top-level domain right after the dot.
_EXTENSION_RE = re.compile(
    r"(?:AVI|MP4|MKV|MPE?G|WMV|MOV|FLV|EXE|TXT|PDF|DOC|JPE?G|PNG|GIF|ZIP|RAR|ISO|SRT|HTML?"
    r"|COM|NET|ORG)\b"
)
_LEADING_PUNCT = "\"“‘'([{*_-"


def _left_word(text: str, pos: int, floor: int = 0) -> str:
    """The run of non-space characters ending at ``pos``, without opening punctuation.

    The word starts no earlier than ``floor`` (the previous glue point).
    """
    start = max(text.rfind(" ", floor, pos) + 1, text.rfind("\n", floor, pos) + 1, floor)
    return text[start:pos].lstrip(_LEADING_PUNCT)


def _is_glue(text: str, start: int, end: int, floor: int) -> bool:
    """Whether the candidate punctuation ``text[start:end]`` really ends a sentence."""
    if (
        text[start] == "?"
        and end - start == 1
        and text[start - 1].isupper()
        and text[end : end + 1].isupper()
    ):
        return False  # a character lost to ``?`` inside a word in capitals: ``ST?RSTE``
    word = _left_word(text, start, floor)
    if _URLISH_RE.search(word):
        return False
    core = word.rstrip(")]\"'”’")
    if _INITIALS_RE.match(core):
        return False
    if text[start] == "." and core.lower() in _TITLES:
        return False
    return not (text[start] == "." and _EXTENSION_RE.match(text, end))


def glued_positions(text: str) -> list[int]:
    """Offsets in ``text`` where a lost space between two sentences belongs.

    Parameters
    ----------
    text:
        Review text (normalised or not).

    Returns
    -------
    list[int]
        Increasing offsets; inserting a space before each gives
        :func:`repair_glued` ``(text)``. A closing quote after the
        punctuation stays with its sentence (``"Go!"The`` → after the quote).

    Example
    -------
    >>> glued_positions("It ended.But e.g. this, www.imdb.com and 3.5 stay.")
    [9]
    """
    positions: list[int] = []
    for match in _GLUE_RE.finditer(text):
        start, end = match.span()
        if not _is_glue(text, start, end, positions[-1] if positions else 0):
            continue
        # ``one."Pusher`` opens a quote; ``"Go!"The`` closes one.
        if end < len(text) and (
            text[end] == "”" or (text[end] == '"' and text.count('"', 0, end) % 2 == 1)
        ):
            end += 1
        positions.append(end)
    return positions


def count_glued(text: str) -> int:
    """Number of places where :func:`repair_glued` would insert a space.

    Example
    -------
    >>> count_glued("Great.Really great!Go see it")
    2
    """
    return len(glued_positions(text))


def repair_glued(text: str) -> str:
    """Insert the space the crawler lost between sentences.

    ``"review it.But not"`` → ``"review it. But not"``; leaves ``e.g.``,
    ``U.S.``, ``3.5``, ``...``, URLs and initials alone. Also separates a
    colon from the quotation it introduces (``says:"You`` → ``says: "You``).

    Parameters
    ----------
    text:
        Review text.

    Returns
    -------
    str
        The text with one space inserted at each :func:`glued_positions`
        offset; unchanged (the same object) when there is none. Repair is
        idempotent: repairing the result again changes nothing.

    Example
    -------
    >>> repair_glued("I loved it.But J.R.R. Tolkien did not.")
    'I loved it. But J.R.R. Tolkien did not.'
    """
    positions = glued_positions(text)
    if not positions:
        return text
    pieces: list[str] = []
    last = 0
    for pos in positions:
        pieces.append(text[last:pos])
        last = pos
    pieces.append(text[last:])
    return " ".join(pieces)


# A sentence end: end punctuation (and closing quotes/brackets) before
# whitespace and a capital, digit or opening quote; or a paragraph break.
_END_RE = re.compile(rf"(?P<punct>[.!?…]+)[\"”’')\]]*(?=\s+[\"“‘'(\[]?[{_UPPER}0-9])|\n[ \t]*\n")
# Short forms after which a capital does not start a new sentence.
_NO_SPLIT_AFTER = _TITLES | {"e.g", "i.e", "eg", "ie", "etc.al", "al", "et"}
_DIGIT_AFTER_RE = re.compile(r"\s+[0-9]")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether a candidate sentence end is a real one."""
    punct_start = match.start("punct")
    if punct_start < 0:  # a paragraph break
        return True
    if text[punct_start] != "." or match.group("punct") != ".":
        return True  # ``!``, ``?``, ``...`` and ``…`` always end a sentence here
    word = _left_word(text, punct_start)
    lowered = word.lower()
    if lowered == "no":
        return not _DIGIT_AFTER_RE.match(text, match.end())  # "No. 5"
    if lowered in _NO_SPLIT_AFTER:
        return False
    return not _INITIALS_RE.match(word)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences in ``text`` (no repair is done here).

    Call ``sentence_spans(repair_glued(text))`` for the spans of the
    repaired text, as :func:`split_sentences` does. Spans exclude the
    whitespace between sentences; empty sentences are dropped.

    Parameters
    ----------
    text:
        Review text.

    Returns
    -------
    list[tuple[int, int]]
        ``(start, end)`` pairs in order, so that ``text[start:end]`` is one
        sentence.

    Example
    -------
    >>> sentence_spans("Good. Very good.")
    [(0, 5), (6, 16)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END_RE.finditer(text):
        if not _ends_sentence(text, match):
            continue
        end = match.end() if match.start("punct") >= 0 else match.start()
        _add_span(text, start, end, spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append ``text[start:end]`` without its surrounding whitespace, if not empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    """Split a review into sentences, after :func:`repair_glued`.

    A sentence ends at ``.``, ``!``, ``?``, ``...`` or ``…`` (with any
    closing quotes) followed by a space and a capital, digit or opening
    quote, and at a paragraph break. It does not end after titles and short
    forms (``Mr.``, ``Dr.``, ``e.g.``, ``vs.``), initials (``J. R. R.``,
    ``U.S.``) or inside decimals.

    Parameters
    ----------
    text:
        Review text, normalised or not.

    Returns
    -------
    list[str]
        The sentences of the repaired text, stripped, none empty.

    Example
    -------
    >>> split_sentences("I saw it.Mr. Smith was great! Go, e.g. Today.")
    ['I saw it.', 'Mr. Smith was great!', 'Go, e.g. Today.']
    """
    repaired = repair_glued(text)
    return [repaired[start:end] for start, end in sentence_spans(repaired)]
