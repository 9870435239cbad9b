"""The crawler's own XML-like format: one ``<movie>`` file per movie and group membership.

:func:`write_movie_file` writes what :func:`reelsense.sources.crawler.read_crawler`
reads back to the same records (given the e-mail is included): the reader
decodes entities, drops inline tags and tidies whitespace, and text already
stored has been through that, so writing it escaped reads back unchanged.

Encoding details that make the round trip exact:

* ``&``, ``<`` and ``>`` are written ``&amp;``, ``&lt;``, ``&gt;``. An ``&``
  followed by a letter or ``#`` (text such as ``&copy`` or ``&lt;`` that was
  literally in a review) also gets a zero-width space after its ``&amp;``: the
  reader decodes entities twice when a decoded text still looks like it
  holds one, and it drops zero-width characters after decoding.
* A missing value is the literal ``null``, as the crawler wrote it; a value
  that *is* the word ``null`` is written with its first letter as a
  character reference so it is not read as missing.
* ``score`` is the rating / 10 (``0.7``), ``-1.0`` when there is none;
  ``generalScore`` is the IMDb rating / 10.
* A spoiler-flagged review without a headline gets the site's
  ``*** This review may contain spoilers ***`` marker as its headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from reelsense.records import Movie, Review

__all__ = [
    "NO_RATING",
    "SPOILER_MARKER",
    "escape_text",
    "format_username",
    "write_movie_file",
]

SPOILER_MARKER = "*** This review may contain spoilers ***"
"""The headline the site showed for a review marked as containing spoilers."""
NO_RATING = "-1.0"
"""The crawler's score for "no rating"."""

_NULL = "null"
_ENTITY_START_RE = re.compile(r"&(?=[A-Za-z#])")
_ZERO_WIDTH = "\u200b"


def escape_text(text: str | None) -> str:
    """A field's text as the crawler file holds it; ``None`` → ``null``.

    Example
    -------
    >>> escape_text("Tom & Jerry <3")
    'Tom &amp; Jerry &lt;3'
    >>> escape_text(None)
    'null'
    """
    if text is None:
        return _NULL
    out = _ENTITY_START_RE.sub("&" + _ZERO_WIDTH, text)
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if out.strip().lower() == _NULL:
        stripped = out.lstrip()
        lead = out[: len(out) - len(stripped)]
        out = f"{lead}&#{ord(stripped[0])};{stripped[1:]}"
    return out


def _number(value: float) -> str:
    return repr(round(value / 10, 6))


def format_username(review: Review, *, include_personal: bool) -> str | None:
    """The crawler's username: ``Name (e-mail)`` with personal data, else the name.

    Example
    -------
    >>> format_username(Review("tt1", 0, "x", display_name="Ann", email="a@x.org"),
    ...                 include_personal=True)
    'Ann (a@x.org)'
    """
    email = review.email if include_personal else None
    if email is None:
        return review.display_name
    if review.display_name is None:
        return email
    return f"{review.display_name} ({email})"


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else _NULL


def write_movie_file(
    out: TextIO, movie: Movie, reviews: Iterable[Review], *, include_personal: bool = False
) -> int:
    """Write one movie and its reviews (in the order given) in the crawler's format.

    Parameters
    ----------
    out:
        A text stream, opened for UTF-8 with ``newline="\\n"``.
    movie:
        Title, link (``url``), year and IMDb rating are written; the group
        and position are the file's place in the folder tree, not its content.
    reviews:
        The movie's reviews, normally in :attr:`Review.position` order.
    include_personal:
        Append the e-mail to the username (``Ann Lee (ann@x.org)``) as the
        crawler did; otherwise e-mails are left out.

    Returns
    -------
    int
        The number of reviews written.

    Example
    -------
    >>> import io
    >>> buf = io.StringIO()
    >>> write_movie_file(buf, Movie("tt1", "A & B", 1999, 7.4), [])
    0
    >>> [line.strip() for line in buf.getvalue().splitlines()[:3]]
    ['<movie>', '<title>A &amp; B</title>', '<link>null</link>']
    """
    year = str(movie.year) if movie.year is not None else _NULL
    score = _number(movie.imdb_rating) if movie.imdb_rating is not None else _NULL
    out.write(
        "<movie>\n"
        f"\t<title>{escape_text(movie.title)}</title>\n"
        f"\t<link>{escape_text(movie.url)}</link>\n"
        f"\t<year>{year}</year>\n"
        f"\t<generalScore>{score}</generalScore>\n"
    )
    count = 0
    for review in reviews:
        headline = review.headline
        if headline is None and review.spoiler:
            headline = SPOILER_MARKER
        rating = _number(review.rating) if review.rating is not None else NO_RATING
        username = format_username(review, include_personal=include_personal)
        out.write(
            "\t<review>\n"
            f"\t\t<date>{_date(review.date)}</date>\n"
            f"\t\t<username>{escape_text(username)}</username>\n"
            f"\t\t<score>{rating}</score>\n"
            f"\t\t<shortDescription>{escape_text(headline)}</shortDescription>\n"
            f"\t\t<fullReview>{escape_text(review.text or None)}</fullReview>\n"
            "\t</review>\n"
        )
        count += 1
    out.write("</movie>\n")
    return count
