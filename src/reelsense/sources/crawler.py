"""Reader for the IMDb review crawler's XML-like files (``GroupN/MovieK.txt``).

The crawler built its files by string concatenation, so they are not
reliably well-formed XML: bare ``&``, HTML entities, leftover inline tags
(``<i>``, ``<a href=...>``, unclosed ``<p>``), a bare ``&amp`` cutting a title
short, and writes that stop mid-review. An XML parser in recovery mode
silently drops the rest of a file after an unclosed inline tag (measured with
lxml 5: one ``<p>`` inside the first review lost every later review), so this
module uses a tolerant line scanner instead: it only knows the crawler's
own elements, treats everything between a field's tags as that field's raw
text, and hands that text to :func:`reelsense.text.normalize.normalize_text`.

Every review that can be read is yielded; everything wrong is yielded as a
:class:`~reelsense.records.Problem` naming the line.

Every line is accounted for: each line that holds more than whitespace and
the structure tags ``<movie>``, ``</movie>``, ``<review>``, ``</review>``
lies within the line span (``source_line`` to ``source_end_line``) of a
yielded :class:`~reelsense.records.Movie` header or
:class:`~reelsense.records.Review`, or within the span (``line`` to
``end_line``, or just ``line``) of a yielded
:class:`~reelsense.records.Problem`. Nothing is dropped without a trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from reelsense.records import Movie, Problem, Record, Review
from reelsense.text.normalize import normalize_text
from reelsense.text.people import split_username
from reelsense.text.ratings import extract_stated_rating

logger = logging.getLogger(__name__)

_MOVIE_FIELDS = ("title", "link", "year", "generalScore")
_REVIEW_FIELDS = ("date", "username", "score", "shortDescription", "fullReview")
_KNOWN = {name.lower(): name for name in ("movie", "review", *_MOVIE_FIELDS, *_REVIEW_FIELDS)}
_TAG_RE = re.compile(r"<(/?)(" + "|".join(_KNOWN) + r")\s*>", re.IGNORECASE)
_OTHER_TAG_RE = re.compile(r"</?\s*([A-Za-z][\w:.-]*)")
_PROLOG_RE = re.compile(r"^\s*(?:<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*", re.DOTALL)
_TT_RE = re.compile(r"tt\d+")
_SPOILER_RE = re.compile(r"^\W*this\s+review\s+may\s+contain\s+spoilers\W*$", re.IGNORECASE)
_CUT_AMP_RE = re.compile(r"&amp\s*$")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d.%m.%Y",
)
_BOM = "\ufeff"


@dataclass
class _Field:
    value: str
    line: int


@dataclass
class _State:
    """Scanner state for one file."""

    source: str
    group: str | None
    position: int | None
    started: bool = False
    context: str = "start"  # start | movie | review | end
    movie_fields: dict[str, _Field] = field(default_factory=dict)
    movie_line: int = 0
    movie: Movie | None = None
    review_fields: dict[str, _Field] = field(default_factory=dict)
    review_line: int = 0
    review_index: int = 0
    open_field: str | None = None
    open_line: int = 0
    open_misplaced: bool = False
    buffer: list[str] = field(default_factory=list)
    # The current run of content outside any field: one problem per run.
    junk_line: int | None = None
    junk_end: int = 0
    junk_what: str = ""
    inside_reported: bool = False


def _clean(raw: _Field | None) -> str | None:
    """The field's raw text, or ``None`` when missing, empty or the literal ``null``."""
    if raw is None:
        return None
    text = raw.value.strip()
    if not text or text.lower() == "null":
        return None
    return text


def _iter_lines(stream: BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    """Yield complete lines from a file or from arbitrary byte chunks.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, wherever the chunks
    happen to be cut: the same bytes give the same lines.
    """
    pending = b""
    for chunk in stream:
        if pending:
            chunk = pending + chunk
            pending = b""
        if chunk.endswith(b"\n"):
            if chunk.count(b"\n") == 1 and b"\r" not in chunk[:-2]:
                yield chunk
            else:
                yield from chunk.splitlines(keepends=True)
            continue
        pieces = chunk.splitlines(keepends=True)
        # The last piece is incomplete, or a ``\r`` whose ``\n`` may start the next chunk.
        if pieces:
            pending = pieces.pop()
        yield from pieces
    if pending:
        yield pending


def read_crawler(
    stream: BinaryIO | Iterable[bytes],
    source_name: str,
    *,
    group: str | None = None,
    position: int | None = None,
) -> Iterator[Record]:
    """Stream the movie, reviews and problems of one crawler file.

    Parameters
    ----------
    stream:
        The file opened in binary mode, or any iterable of byte chunks.
        It is read line by line; each line is decoded as UTF-8, or as
        cp1252 when it is not valid UTF-8.
    source_name:
        The name used in problems and in ``source_file`` (a path, or
        ``archive.zip/Group1/Movie0.txt`` for an archive member).
    group, position:
        The crawler's grouping (``Group3``, 1), stored on the movie.

    Returns
    -------
    Iterator[Record]
        The :class:`Movie` first, then each complete :class:`Review`;
        :class:`Problem` records name the line that was wrong. Movie
        headers, reviews and problems carry their line spans, and every
        line of the file is accounted for by one of them (see the module
        docstring).

    Example
    -------
    >>> with open("Group1/Movie0.txt", "rb") as fh:  # doctest: +SKIP
    ...     records = list(read_crawler(fh, "Group1/Movie0.txt", group="Group1", position=0))
    """
    state = _State(source_name, group, position)
    lineno = 0
    cp1252_reported = False
    numbered = enumerate(_iter_lines(stream), start=1)
    for lineno, raw in numbered:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
            if not cp1252_reported:
                cp1252_reported = True
                yield Problem(
                    source_name, lineno, f"not valid UTF-8 from line {lineno}; read as cp1252"
                )
        if lineno == 1 and line.startswith(_BOM):
            line = line[1:]
        line = line.rstrip("\r\n") + "\n"
        if state.context == "start" and not state.started:
            stripped = _PROLOG_RE.sub("", line) if line.strip() else ""
            if not stripped.strip():
                continue
            if _TAG_RE.match(stripped) is None or not stripped.lower().startswith("<movie"):
                snippet = stripped.strip()[:40]
                last = lineno
                for last, _ in numbered:  # noqa: B007 - counts the lines left unread
                    pass
                yield Problem(
                    source_name,
                    lineno,
                    f"not a crawler file: expected <movie>, found {snippet!r}",
                    end_line=last,
                )
                return
            state.started = True
            state.movie_line = 1  # a prolog belongs to the first movie's header
            line = stripped
        yield from _scan_line(state, line, lineno)
    yield from _finish(state, lineno)


def _scan_line(state: _State, line: str, lineno: int) -> Iterator[Record]:
    pos = 0
    while True:
        match = _TAG_RE.search(line, pos)
        segment = line[pos : match.start()] if match else line[pos:]
        if state.open_field is not None:
            state.buffer.append(segment)
        elif segment.strip():
            _unknown(state, segment, lineno)
        if match is None:
            return
        yield from _flush_unknown(state)
        pos = match.end()
        closing = match.group(1) == "/"
        name = _KNOWN[match.group(2).lower()]
        if state.open_field is not None:
            if closing and name == state.open_field:
                yield from _close_field(state, lineno)
                continue
            yield Problem(
                state.source,
                state.open_line,
                f"<{state.open_field}> is not closed before <{'/' if closing else ''}{name}>",
                end_line=lineno,
            )
            yield from _close_field(state, lineno)
        yield from _tag(state, name, closing, lineno)


def _unknown(state: _State, segment: str, lineno: int) -> None:
    """Note content outside any field.

    Inside a review or a movie header (lines a record accounts for) only the
    first such content in the file is reported, so that an unknown element
    repeated in every review (``<helpful>``) is one problem. Elsewhere each
    run of it up to the next tag is one problem covering its lines.
    """
    inside = state.context == "review" or (state.context == "movie" and state.movie is None)
    if inside and state.inside_reported:
        return
    if state.junk_line is None:
        found = _OTHER_TAG_RE.search(segment)
        slash = "/" if found and found.group(0).startswith("</") else ""
        state.junk_what = f"<{slash}{found.group(1)}>" if found else repr(segment.strip()[:30])
        state.junk_line = lineno
        state.inside_reported = state.inside_reported or inside
    state.junk_end = lineno


def _flush_unknown(state: _State) -> Iterator[Problem]:
    if state.junk_line is None:
        return
    first, last = state.junk_line, state.junk_end
    where = f" (lines {first}-{last})" if last > first else ""
    state.junk_line = None
    yield Problem(
        state.source, first, f"unexpected content {state.junk_what} ignored{where}", end_line=last
    )


def _close_field(state: _State, lineno: int) -> Iterator[Problem]:
    name = state.open_field
    assert name is not None
    if state.open_misplaced:
        # Reported when closed, so that the problem covers all of its lines.
        yield Problem(state.source, state.open_line, f"<{name}> out of place, ignored", lineno)
    else:
        target = state.review_fields if state.context == "review" else state.movie_fields
        target[name] = _Field("".join(state.buffer), state.open_line)
    state.open_field = None
    state.open_misplaced = False
    state.buffer = []


def _tag(state: _State, name: str, closing: bool, lineno: int) -> Iterator[Record]:
    if name == "movie":
        if closing:
            if state.context == "review":
                yield from _end_review(state, lineno, closed=False)
            if state.context in ("movie", "review"):
                yield from _emit_movie(state, lineno)
            state.context = "end"
        else:
            if state.context == "review":
                yield from _end_review(state, lineno, closed=False)
            if state.context in ("movie", "review"):
                yield from _emit_movie(state, lineno)
            state.context = "movie"
            state.movie_fields = {}
            state.movie = None
            state.movie_line = lineno
            state.review_index = 0
        return
    if name == "review":
        if closing:
            if state.context == "review":
                yield from _end_review(state, lineno, closed=True)
            else:
                _unknown(state, "</review>", lineno)
            return
        if state.context == "review":
            yield from _end_review(state, lineno, closed=False)
        if state.context not in ("movie", "review"):
            yield Problem(state.source, lineno, "<review> outside <movie>")
            return
        yield from _emit_movie(state, lineno)
        state.context = "review"
        state.review_fields = {}
        state.review_line = lineno
        return
    if closing:
        _unknown(state, f"</{name}>", lineno)
        return
    expected = _REVIEW_FIELDS if state.context == "review" else _MOVIE_FIELDS
    # A movie field after the movie was emitted (after a review) would be lost.
    state.open_misplaced = (
        state.context not in ("movie", "review")
        or name not in expected
        or (state.context == "movie" and state.movie is not None)
    )
    state.open_field = name
    state.open_line = lineno
    state.buffer = []


def _finish(state: _State, lineno: int) -> Iterator[Record]:
    if not state.started:
        yield Problem(state.source, None, "empty file")
        return
    yield from _flush_unknown(state)
    if state.open_field is not None and state.context != "review":
        yield Problem(
            state.source,
            state.open_line,
            f"file ends inside <{state.open_field}>",
            end_line=lineno,
        )
        state.open_field = None
    if state.context == "review":
        yield Problem(
            state.source,
            state.review_line,
            f"file ends inside review {state.review_index + 1} (truncated write)",
            end_line=lineno,
        )
        yield from _emit_movie(state, lineno)
    elif state.context == "movie":
        if state.movie is not None or any(
            _clean(state.movie_fields.get(name)) for name in ("link", "title")
        ):
            yield from _emit_movie(state, lineno)
        else:
            yield Problem(
                state.source,
                state.movie_line,
                "movie header has neither title nor link; skipped",
                end_line=lineno,
            )
        yield Problem(state.source, lineno, "file ends before </movie> (truncated write)")


def _emit_movie(state: _State, lineno: int) -> Iterator[Record]:
    if state.movie is not None:
        return
    fields = state.movie_fields
    source = state.source
    title_raw = _clean(fields.get("title"))
    title: str | None = None
    if title_raw is not None:
        if _CUT_AMP_RE.search(title_raw):
            title_raw = _CUT_AMP_RE.sub("&amp;", title_raw)
            yield Problem(source, fields["title"].line, "title cut off after '&'")
        title = normalize_text(title_raw) or None
    year: int | None = None
    year_raw = _clean(fields.get("year"))
    if year_raw is not None:
        # ``str.isdigit`` is also true of ``²``, which ``int`` refuses.
        if year_raw.isascii() and year_raw.isdigit() and 1870 <= int(year_raw) <= 2100:
            year = int(year_raw)
        else:
            yield Problem(source, fields["year"].line, f"year {year_raw!r} is not a year")
    imdb_rating: float | None = None
    score_raw = _clean(fields.get("generalScore"))
    if score_raw is not None:
        imdb_rating, message = _scaled_score(score_raw, "generalScore")
        if message:
            yield Problem(source, fields["generalScore"].line, message)
    link_raw = _clean(fields.get("link"))
    # Decoded like any field: the writer escapes ``&`` in a URL, and a raw NUL
    # would be refused by PostgreSQL.
    link = normalize_text(link_raw) or None if link_raw else None
    tt = _TT_RE.search(link) if link else None
    if tt is not None:
        movie_id = tt.group(0)
    else:
        base = " ".join((title or "").casefold().split()) or source
        movie_id = f"title:{base}:{year if year is not None else ''}"
        line = fields["link"].line if "link" in fields else state.movie_line
        yield Problem(source, line, "no IMDb id in link")
    state.movie = Movie(
        movie_id=movie_id,
        title=title,
        year=year,
        imdb_rating=imdb_rating,
        url=link,
        group=state.group,
        position=state.position,
        source_file=source,
        source_line=state.movie_line,
        source_end_line=lineno,
    )
    yield state.movie


def _scaled_score(raw: str, name: str) -> tuple[float | None, str | None]:
    """Turn the crawler's 0.1–1.0 score into 1–10; -1 means no rating."""
    try:
        value = float(raw)
    except ValueError:
        return None, f"{name} {raw!r} is not a number"
    if value == -1.0:
        return None, None
    rating = round(value * 10, 1)
    if not 1.0 <= rating <= 10.0:
        return None, f"{name} {raw!r} out of range 0.1-1.0"
    return rating, None


def _parse_date(raw: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _end_review(state: _State, lineno: int, *, closed: bool) -> Iterator[Record]:
    index = state.review_index
    state.review_index += 1
    state.context = "movie"
    if not closed:
        yield Problem(
            state.source,
            state.review_line,
            f"review {index + 1} has no </review> (ends at line {lineno})",
            end_line=lineno,
        )
    movie = state.movie
    if movie is None:  # pragma: no cover - _emit_movie always ran at <review>
        return
    yield from _build_review(state, movie, index, lineno)


def _build_review(state: _State, movie: Movie, index: int, lineno: int) -> Iterator[Record]:
    fields = state.review_fields
    source = state.source
    label = f"review {index + 1}"
    review_date: date | None = None
    date_raw = _clean(fields.get("date"))
    if date_raw is not None:
        review_date = _parse_date(date_raw)
        if review_date is None:
            yield Problem(source, fields["date"].line, f"{label}: date {date_raw!r} not understood")
    rating: float | None = None
    score_raw = _clean(fields.get("score"))
    if score_raw is not None:
        rating, message = _scaled_score(score_raw, "score")
        if message:
            yield Problem(source, fields["score"].line, f"{label}: {message}")
    user_raw = _clean(fields.get("username"))
    display_name, email = split_username(normalize_text(user_raw) if user_raw else None)
    headline: str | None = None
    spoiler = False
    headline_raw = _clean(fields.get("shortDescription"))
    if headline_raw is not None:
        headline = normalize_text(headline_raw) or None
        if headline is not None and _SPOILER_RE.match(headline):
            spoiler, headline = True, None
    if "fullReview" not in fields:
        yield Problem(source, state.review_line, f"{label} has no <fullReview>")
    text_raw = _clean(fields.get("fullReview"))
    text = normalize_text(text_raw) if text_raw else ""
    stated = extract_stated_rating(text) if text else None
    if stated is None and headline:
        stated = extract_stated_rating(headline, field="headline")
    yield Review(
        movie_id=movie.movie_id,
        position=index,
        text=text,
        date=review_date,
        display_name=display_name,
        email=email,
        rating=rating,
        headline=headline,
        spoiler=spoiler,
        stated=stated,
        source_file=source,
        source_line=state.review_line,
        source_end_line=lineno,
    )
