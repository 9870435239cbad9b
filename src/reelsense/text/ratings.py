"""Ratings that reviewers state in their own text (pure functions).

Reviewers often close with their verdict: ``9/10``, ``10 out of 10``,
``3 out of 5 stars``, ``***½ (of ****)`` (the ``½`` may have been lost to
``?``), ``*1/2 out of ****``, ``★★★★☆``. :func:`extract_stated_rating` finds
such statements and normalises them to the 1–10 scale as
``value / denominator * 10``; a stated zero (``0/10``) means "the lowest"
and maps to ``1.0``. Accepted denominators are 4, 5, 10 and 100.

What is *not* a rating: fractions (``2/3 of the film``, ``1/2 hour``),
dates (``9/10/2001``, ``10/12/99``, ``on 9/10``), ``24/7``, ``9/11``,
counts (``9 out of 10 people``) and other people's scores (``IMDb rating
5.6/10``). When a text holds several ratings, the reviewer's own is the
one marked by a cue (``I give it``, ``my rating``); failing that, the last
one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelsense.records import RatingField, StatedRating

__all__ = ["extract_stated_rating", "find_stated_ratings", "scale_rating"]

_WORD_NUMBERS = {
    "zero": 0.0, "no": 0.0, "a": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0,
    "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0,
    "hundred": 100.0, "half": 0.5,
}  # fmt: skip
_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
_WORD_NUMBER = r"zero|one|two|three|four|five|six|seven|eight|nine|ten"
# A half after a score: ``½``, ``1/2``, ``.5``, ``and a half``, or ``?``
# where the ``½`` was lost upstream.
_HALF = r"(?:\s*(?:½|1/2|\?)|\s+and\s+(?:a\s+)?half)"

# What follows a fraction that is not a rating: ``2/3 of the film``, ``1/4 mile``.
_NOT_AFTER = (
    r"(?!\s*(?:of\s+(?:the|a|an|it|its|this|that|these|those|them|all|my|his|her|their|our"
    r"|your|what|which|us|you|people)\b|th\b|ths\b|hours?\b|hrs?\b|minutes?\b|mins?\b|miles?\b"
    r"|inch(?:es)?\b|cups?\b|pounds?\b|lbs?\b|kg\b|seconds?\b|secs?\b|years?\b|days?\b"
    r"|weeks?\b|months?\b|percent\b|%))"
)
# ``9 out of 10 people``: a count, not a rating.
_NOT_COUNT = (
    r"(?!\s+(?:people|persons|critics|viewers|movies|films|times|men|women|kids|children"
    r"|friends|cases|americans|users|reviewers|voters|fans|moviegoers|audiences|directors"
    r"|actors|actresses|scenes|shows|episodes|things|ones|others|of\b|would\b|will\b"
    r"|who\b|that\b|were\b|are\b|have\b|had\b|agree|dentists|doctors|jokes|gags|minutes|times))"
)

# ``7/10``, ``7.5 / 10``, ``85/100``, ``4/5 stars``.
_SLASH_RE = re.compile(
    rf"(?<![\w/.,\-*])(?P<num>{_NUMBER})\s?(?:stars?\s?)?/\s?(?P<den>100|10|5|4)"
    rf"(?![\w/]|[.,]\d){_NOT_AFTER}(?:\s?stars?\b)?",
    re.IGNORECASE,
)
# ``10 out of 10``, ``8 out of ten``, ``3.5 stars out of 4``, ``two stars out of five``.
_OUT_OF_RE = re.compile(
    rf"(?<![\w.,\-/*])(?P<num>{_NUMBER}|{_WORD_NUMBER}|a|half)(?P<half>{_HALF})?"
    r"\s*(?:\(\s*)?(?:stars?|points?|marks?)?\s*out\s+(?:of\s+)?(?:a\s+(?:possible\s+|maximum\s+(?:of\s+)?)?)?"
    rf"(?P<den>100|10|5|4|ten|five|four|a\s+hundred)\b(?!\.\d|/){_NOT_COUNT}(?:\s?stars?\b)?",
    re.IGNORECASE,
)
# ``***½ (of ****)``, ``***? (of ****)``, ``*** 1/2 out of ****``, ``*1/2 out of ****``,
# ``1/2* out of *****``, ``**/****``.
_STARS_RE = re.compile(
    r"(?<![\w*])(?:(?P<lonehalf>½|1/2)\s?\*|(?P<stars>\*{1,10})(?P<half>\s?(?:½|1/2|\?))?)"
    r"\s*(?:\(\s*)?(?:out\s+of|of|/)\s*(?P<den>\*{4,10})(?!\*)(?:\s?stars?\b)?(?:\s?\))?",
    re.IGNORECASE,
)
# Cheap scans that rule a text out before the full patterns run: most
# reviews hold a ``/`` or the letters ``out`` but no rating.
_SLASH_HINT_RE = re.compile(r"/\s?(?:100|10|5|4)(?!\d)")
# Searched in the lower-cased text: a literal first word lets ``re`` skip ahead
# to each "out", several times faster than a case-insensitive scan.
_OUT_OF_HINT_RE = re.compile(
    r"out\s+(?:of\s+)?(?:a\s+(?:possible\s+|maximum\s+(?:of\s+)?)?)?"
    r"(?:\d|ten\b|five\b|four\b|a\s+hundred)"
)
# How far before its ``out`` an ``N out of M`` statement is looked for (see _out_of_start).
_OUT_OF_LEAD = 200
_WIDE_SPACE_RE = re.compile(r"\s\s")
# ``★★★★☆``.
_GLYPHS_RE = re.compile(r"(?P<full>★*)(?P<half>½?)(?P<empty>☆*)")

# Cues before a rating that mark it as the reviewer's own.
_OWN_CUE_RE = re.compile(
    r"(?:\bi(?:\s+would|\s+will|\s+shall|\s+must|\s+can|\s+could|['’]d|['’]ll|\s+have|['’]ve)?"
    r"(?:\s+(?:have|only|now|hereby|therefore|personally|just|really|gladly|still|happily"
    r"|generously|must|to|even|also|am|going|give\s+it))*"
    r"\s+(?:give|gave|given|giving|rate|rated|rating|grade|graded|score|scored|award|awarded"
    r"|vote|voted|mark|put)\b"
    r"|\bi'm\s+giving\b|\bi\s+am\s+giving\b|\bmy\s+(?:final\s+|overall\s+|own\s+)?"
    r"(?:rating|score|vote|grade|verdict|mark|opinion)\b)",
    re.IGNORECASE,
)
# An own cue that is only hypothetical: ``I would have given it 7/10``.
_HYPOTHETICAL_RE = re.compile(
    r"\b(?:would|could|should|might)(?:\s+have|['’]ve)\s|\bi['’]d\s+have\b"
    r"|\b(?:was|were)\s+going\s+to\b"
    r"|\boriginally\b|\bif\s+i\b",
    re.IGNORECASE,
)
# Cues that mark a rating of the whole film among ratings of its parts:
# ``Overall: 6/10`` after ``Acting: 4/10``.
_OVERALL_CUE_RE = re.compile(
    r"\b(?:overall|total|final|verdict|bottom\s+line|conclusion|in\s+all|all\s+in\s+all"
    r"|summary|movie|film)\b[^.!?\n]{0,20}$",
    re.IGNORECASE,
)
# Cues before a rating that mark it as someone else's.
_OTHER_CUE_RE = re.compile(
    r"\b(?:imdb|average|users?|voters|metacritic|rotten|critics?|currently|people"
    r"|others|everyone|fans|reviewers?|they|he|she|friends?|wife|husband|son|daughter"
    r"|boyfriend|girlfriend)\b",
    re.IGNORECASE,
)
# A comparison just before a rating: ``3/10 instead of 1/10``.
_COMPARED_RE = re.compile(
    r"\b(?:instead\s+of|rather\s+than|than|not|from|vs\.?|versus|up\s+to|down\s+to)\s*(?:a\s+|an\s+)?$",
    re.IGNORECASE,
)
# A label naming a part of the film (``Acting: 4/10``, ``Plot - 3/10``), not
# the whole (``Overall: 6/10``, ``My rating: 7/10``).
_LABEL_RE = re.compile(r"(?P<label>[A-Za-z][\w' ]{0,24}?)\s*[:=\-–]\s*$")
_WHOLE_LABEL_RE = re.compile(
    r"\b(?:overall|total|final|verdict|rating|rate|score|grade|vote|bottom\s+line|conclusion"
    r"|summary|movie|film|mine|opinion|result)\b",
    re.IGNORECASE,
)
# Words just after a rating that make it someone else's: ``6/10 from the critics``.
_OTHER_AFTER_RE = re.compile(
    r"\W{0,3}(?:rating\s+|average\s+|score\s+)?(?:from|by|according\s+to|among|on\s+average)\s+"
    r"(?:the\s+|most\s+|many\s+|other\s+|some\s+)?(?:imdb|critics?|users?|voters|fans|people"
    r"|others|audiences?|reviewers?|viewers)\b",
    re.IGNORECASE,
)
# Words just before a fraction that make it a date: ``on 9/10``.
_DATE_BEFORE_RE = re.compile(r"\b(?:on|since|until|till|from|dated?|born|by)\s*$", re.IGNORECASE)

_CUE_WINDOW = 60
# Without a cue, only statements this close to the end (or the start) of a
# text count: a score in the middle of a review is too often about something
# else (another film, a part of this one, a count).
_END_WINDOW = 200
_START_WINDOW = 60


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One rating statement found in a text, before choosing among them."""

    value: float
    start: int
    end: int


def scale_rating(value: float, denominator: float) -> float | None:
    """``value`` out of ``denominator`` on the 1–10 scale, or ``None`` if out of range.

    A stated zero is the lowest rating and maps to ``1.0``; the result is
    rounded to two decimals.

    Example
    -------
    >>> scale_rating(4, 5), scale_rating(3.5, 4), scale_rating(0, 10), scale_rating(11, 10)
    (8.0, 8.75, 1.0, None)
    """
    if denominator <= 0 or not 0 <= value <= denominator:
        return None
    return round(max(1.0, value / denominator * 10.0), 2)


def _number(token: str) -> float:
    """A numeral or number word as a float (``"7,5"`` → 7.5, ``"eight"`` → 8.0)."""
    token = re.sub(r"\s+", " ", token.strip().lower())
    if token in _WORD_NUMBERS:
        return _WORD_NUMBERS[token]
    if token == "a hundred":
        return 100.0
    return float(token.replace(",", "."))


def _half(token: str | None) -> float:
    """0.5 when a half (``½``, ``1/2``, ``?``, ``and a half``) was matched."""
    return 0.5 if token and token.strip() else 0.0


def _out_of_start(text: str) -> int | None:
    """Where an ``N out of M`` statement can first start, or ``None`` when there is none.

    Every statement holds a hint match at its ``out``, and what comes before
    that word (number, half, ``stars``) is under 40 characters unless it holds
    a run of whitespace; so the scan starts 200 characters before the first
    hint, or at 0 when that stretch has such a run (or lower-casing moved
    the offsets).
    """
    lowered = text.lower()
    hint = _OUT_OF_HINT_RE.search(lowered)
    if hint is None:
        return None
    start = max(0, hint.start() - _OUT_OF_LEAD)
    if len(lowered) != len(text) or _WIDE_SPACE_RE.search(text, start, hint.start()):
        return 0
    return start


def _candidates(text: str) -> list[_Candidate]:
    """Every well-formed rating statement in ``text``, ordered, not overlapping."""
    found: list[_Candidate] = []
    if "/" in text and _SLASH_HINT_RE.search(text):
        for m in _SLASH_RE.finditer(text):
            if _DATE_BEFORE_RE.search(text, max(0, m.start() - 10), m.start()):
                continue
            value = scale_rating(_number(m["num"]), float(m["den"]))
            if value is not None:
                found.append(_Candidate(value, m.start(), m.end()))
    start = _out_of_start(text)
    if start is not None:
        for m in _OUT_OF_RE.finditer(text, start):
            value = scale_rating(_number(m["num"]) + _half(m["half"]), _number(m["den"]))
            if value is not None:
                found.append(_Candidate(value, m.start(), m.end()))
    if "*" in text:
        for m in _STARS_RE.finditer(text):
            stars = 0.5 if m["lonehalf"] else len(m["stars"]) + _half(m["half"])
            value = scale_rating(stars, len(m["den"]))
            if value is not None and len(m["den"]) in (4, 5, 10):
                found.append(_Candidate(value, m.start(), m.end()))
    if "★" in text or "☆" in text:
        for m in _GLYPHS_RE.finditer(text):
            full, half, empty = len(m["full"]), len(m["half"]), len(m["empty"])
            total = full + half + empty
            if total in (4, 5, 10) and full + half > 0 and m.end() - m.start() >= 3:
                value = scale_rating(full + 0.5 * half, total)
                if value is not None:
                    found.append(_Candidate(value, m.start(), m.end()))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Candidate] = []
    for cand in found:
        if kept and cand.start < kept[-1].end:
            continue  # overlaps a longer or earlier statement
        kept.append(cand)
    return kept


def _window_before(text: str, start: int) -> str:
    """Up to ``_CUE_WINDOW`` characters before ``start``, within the same sentence."""
    window = text[max(0, start - _CUE_WINDOW) : start]
    cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("\n"))
    return window[cut + 1 :] if cut >= 0 else window


def find_stated_ratings(text: str, field: RatingField = "text") -> list[StatedRating]:
    """Every rating statement in ``text``, in order, each on the 1–10 scale.

    Unlike :func:`extract_stated_rating` this does not choose: it lists
    every well-formed statement, including other people's scores.

    Parameters
    ----------
    text:
        Review text or headline.
    field:
        Which field ``text`` is; copied into each result.

    Returns
    -------
    list[StatedRating]
        Statements with offsets into ``text``.

    Example
    -------
    >>> [r.value for r in find_stated_ratings("The first was 9/10, this is 4/10.")]
    [9.0, 4.0]
    """
    return [
        StatedRating(c.value, text[c.start : c.end], c.start, c.end, field)
        for c in _candidates(text)
    ]


def extract_stated_rating(text: str, field: RatingField = "text") -> StatedRating | None:
    """Find the rating a reviewer states (``9/10``, ``***½ (of ****)``), on 1–10.

    Recognised: ``9/10``, ``7.5/10``, ``8 / 10``, ``85/100``, ``4/5 stars``,
    ``(3/4)``, ``10 out of 10``, ``8 out of ten``, ``3 out of 5 stars``,
    ``3.5 stars out of 4``, ``two stars out of five``, ``***½ (of ****)``
    (``½`` also as ``?`` or ``1/2``), ``*** 1/2 out of ****`` and
    ``★★★★☆``. The value is ``value / denominator * 10``; a stated zero
    maps to ``1.0``; values above the denominator are ignored.

    When there are several statements, the last one with a cue of the
    reviewer's own (``I give it``, ``I rate``, ``my rating``) wins; failing
    that the last one not marked as someone else's (``IMDb rating``,
    ``the average``) — so "the original was 9/10 but this one is 4/10"
    gives 4.0.

    Parameters
    ----------
    text:
        Review text or headline (normalised or not).
    field:
        Which field ``text`` is: ``"text"`` or ``"headline"``.

    Returns
    -------
    StatedRating | None
        The rating with the matched text and its offsets into ``text``, or
        ``None`` when the text states no rating of its own.

    Example
    -------
    >>> r = extract_stated_rating("Slow start, great ending. I give it 8 out of 10!")
    >>> (r.value, r.matched) if r else None
    (8.0, '8 out of 10')
    """
    candidates = _candidates(text)
    if not candidates:
        return None
    own: list[_Candidate] = []
    edge: list[_Candidate] = []
    overall: list[_Candidate] = []
    parts: list[_Candidate] = []
    for cand in candidates:
        before = _window_before(text, cand.start)
        cue = _OWN_CUE_RE.search(before)
        if cue:
            if not _HYPOTHETICAL_RE.search(before, 0, cue.end()):
                own.append(cand)
            continue
        if (
            _OTHER_CUE_RE.search(before)
            or _COMPARED_RE.search(before)
            or _OTHER_AFTER_RE.match(text, cand.end)
        ):
            continue
        at_start = cand.start <= _START_WINDOW and (
            not before.strip() or _WHOLE_LABEL_RE.search(before) is not None
        )
        if len(text) - cand.end <= _END_WINDOW or at_start:
            if _OVERALL_CUE_RE.search(before):
                overall.append(cand)
            label = _LABEL_RE.search(before)
            if label and not _WHOLE_LABEL_RE.search(label["label"]):
                parts.append(cand)
            else:
                edge.append(cand)
    if own:
        chosen = own[-1]
    elif overall:
        chosen = overall[-1]
    elif edge or parts:
        chosen = (edge or parts)[-1]
    else:
        return None
    return StatedRating(
        chosen.value, text[chosen.start : chosen.end], chosen.start, chosen.end, field
    )
