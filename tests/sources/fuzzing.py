"""Hostile inputs for the readers and the invariants every reader keeps.

Shared by the property tests in this folder (a short, derandomised run) and
``benchmarks/fuzz.py`` (a long one). The strategies do not stop at random
bytes: they build well-formed crawler files, tables and aclImdb trees and then
damage them the way real files get damaged (cut-off writes, bare ``&``, stray
or unclosed tags, invalid UTF-8, NULs, huge attributes, entity soup).

Each ``check_*`` function reads one input, asserts the reader's invariants
and returns the records, so a failing input is one call to reproduce.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from hypothesis import strategies as st

from reelsense.errors import ReelsenseError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources.crawler import read_crawler

# --- pieces of crawler text -------------------------------------------------

TEXT_PIECES = [
    "Good film.",
    "But",
    "review it.But not this one.",
    " ",
    "\n",
    "\r\n",
    "\t",
    "&",
    "&amp",
    "&amp;",
    "&amp;amp;",
    "&#x107;",
    "&#99999999;",
    "&#0;",
    "&lt;review&gt;",
    "&bogus;",
    "S?erne",
    "?",
    "½",
    "9/10",
    "10 out of 10",
    "***? (of ****)",
    "*1/2 out of ****",
    "★★★☆",
    "null",
    "<i>",
    "</i>",
    "<p>",
    "<br />",
    '<a href="http://x">',
    "<",
    ">",
    "\x00",
    "\ufeff",
    "Aino (aino80@example.com)",
    "*** This review may contain spoilers ***",
    "<review>",
    "</review>",
    "</fullReview>",
    "<title>",
]
SCORES = ["0.7", "1.0", "0.1", "-1.0", "-1", "0.05", "1.5", "nan", "inf", "-inf", "1e308", "abc"]
SCORES += ["", "null", "²", "0.95", " 0.8 ", "1_0"]
YEARS = ["1996", "null", "", "²", "١٩٩٦", "99999", "-5", "1869", "2100", "19 96", "1e3"]
DATES = ["2010-05-04", "4 May 2010", "May 4, 2010", "null", "", "2010-02-30", "31.12.1999"]
DATES += ["9999-99-99", "\x00"]
LINKS = ["http://www.imdb.com/title/tt0117407/?ref_=fn_al_tt_1", "", "null", "tt", "x\x00tt12"]
LINKS += ["http://www.imdb.com/title/tt99999999999999999999/", "&amp;tt1&"]
USERS = ["bellringer", "Aino Mäkeläinen (aino80@example.com)", "null", "", "(a@b.c)", "<>"]

SNIPPETS = [
    b"&",
    b"&amp",
    b"&#",
    b"&#x;",
    b"&#1114112;",
    b"<",
    b"<review>",
    b"</review>",
    b"<movie>",
    b"</movie>",
    b"<fullReview>",
    b"</fullReview>",
    b"<title>",
    b"<score>",
    b"<p>",
    b"<helpful>3</helpful>",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x81\x8d\x8f",
    b"\x00",
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    b"\xef\xbb\xbf",
    b"<?xml version='1.0'?>",
    b"<!-- x -->",
    b'<a href="' + b"x" * 5000 + b'">',
    b"\xe2\x82",
    b"< review >",
    b"<REVIEW>",
    b"\t\t<fullReview>never closed",
]


def _field_text(pieces: Sequence[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(st.sampled_from(pieces), max_size=8).map("".join),
        st.text(max_size=30),
    )


@st.composite
def crawler_documents(draw: st.DrawFn) -> str:
    """A crawler file as the crawler wrote it, with odd but plausible field values."""

    def field(name: str, values: st.SearchStrategy[str]) -> str:
        if draw(st.integers(0, 9)) == 0:
            return ""  # the field is missing
        return f"\t<{name}>{draw(values)}</{name}>\n"

    parts = ["<movie>\n"]
    parts.append(field("title", _field_text(TEXT_PIECES)))
    parts.append(field("link", st.sampled_from(LINKS)))
    parts.append(field("year", st.sampled_from(YEARS)))
    parts.append(field("generalScore", st.sampled_from(SCORES)))
    for _ in range(draw(st.integers(0, 4))):
        parts.append("\t<review>\n")
        parts.append(field("date", st.sampled_from(DATES)))
        parts.append(field("username", st.sampled_from(USERS)))
        parts.append(field("score", st.sampled_from(SCORES)))
        parts.append(field("shortDescription", _field_text(TEXT_PIECES)))
        parts.append(field("fullReview", _field_text(TEXT_PIECES)))
        parts.append("\t</review>\n")
    if draw(st.booleans()):
        parts.append("</movie>\n")
    return "".join(parts)


@st.composite
def damaged(draw: st.DrawFn, document: bytes) -> bytes:
    """``document`` after a few cuts, insertions, deletions and case changes."""
    data = document
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cut", "insert", "delete", "duplicate", "upper", "eol"]))
        at = draw(st.integers(0, len(data)))
        if kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(SNIPPETS)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + draw(st.integers(1, 80))] + data[at:]
        elif kind == "upper":
            end = at + draw(st.integers(1, 40))
            data = data[:at] + data[at:end].upper() + data[end:]
        else:
            data = data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"])))
    return data


@st.composite
def _encoded_document(draw: st.DrawFn) -> bytes:
    text = draw(crawler_documents())
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "cp1252", "utf-8-sig"]))
    return text.encode(encoding, errors="replace")


def crawler_bytes() -> st.SearchStrategy[bytes]:
    """Crawler files, damaged or not, and now and then plain random bytes."""
    return st.one_of(
        _encoded_document().flatmap(damaged),
        st.binary(max_size=300),
        st.binary(max_size=60).map(lambda junk: b"<movie>\n" + junk),
    )


# --- invariants ---------------------------------------------------------------

# A line that carries only structure: it needs no record of its own.
_STRUCTURE_LINE_RE = re.compile(r"\s*(?:</?(?:movie|review)\s*>\s*)*", re.IGNORECASE)
_STRING_FIELDS = ("movie_id", "title", "url", "text", "headline", "display_name", "email")


def check_record_values(records: Iterable[Record], source: str) -> None:
    """Invariants of any reader's records, whatever the input."""
    movies: set[str] = set()
    for record in records:
        assert isinstance(record, Movie | Review | Problem), record
        # Reviews and problems name their file; a movie may (aclImdb's do not).
        assert record.source_file is not None or isinstance(record, Movie), record
        assert record.source_file is None or record.source_file.startswith(source), record
        if isinstance(record, Problem):
            assert record.message.strip(), record
            continue
        for name in _STRING_FIELDS:
            value = getattr(record, name, None)
            # PostgreSQL refuses NUL in text; no reader may let one through.
            assert value is None or "\x00" not in value, (name, record)
        if isinstance(record, Movie):
            movies.add(record.movie_id)
            assert record.imdb_rating is None or 1.0 <= record.imdb_rating <= 10.0, record
            continue
        assert record.movie_id in movies, "a review comes after its movie"
        assert record.rating is None or 1.0 <= record.rating <= 10.0, record
        if record.stated is not None:
            assert 1.0 <= record.stated.value <= 10.0, record.stated
            field_text = record.text if record.stated.field == "text" else record.headline
            assert field_text is not None
            assert field_text[record.stated.start : record.stated.end] == record.stated.matched


def _lines(data: bytes) -> list[str]:
    """The file's lines decoded as the crawler reader decodes them."""
    decoded = []
    for raw in data.splitlines():
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(raw.decode("cp1252", errors="replace"))
    if decoded and decoded[0].startswith("\ufeff"):
        decoded[0] = decoded[0][1:]
    return decoded


def _span(record: Record) -> tuple[int, int] | None:
    if isinstance(record, Problem):
        if record.line is None:
            return None
        return record.line, record.end_line if record.end_line is not None else record.line
    if record.source_line is None:
        return None
    end = record.source_end_line
    return record.source_line, end if end is not None else record.source_line


def unaccounted_lines(data: bytes, records: Iterable[Record]) -> list[int]:
    """Lines of a crawler file that no yielded record or problem accounts for.

    A line is accounted for when it holds only whitespace and the structure
    tags ``<movie>``, ``</movie>``, ``<review>``, ``</review>``, or lies in
    the line span of a yielded movie header, review or problem.
    """
    covered: set[int] = set()
    for record in records:
        span = _span(record)
        if span is not None:
            covered.update(range(span[0], span[1] + 1))
    return [
        number
        for number, line in enumerate(_lines(data), start=1)
        if number not in covered and not _STRUCTURE_LINE_RE.fullmatch(line)
    ]


def _chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def check_crawler(data: bytes, name: str = "Group1/Movie0.txt") -> list[Record]:
    """Read crawler bytes and assert every invariant of :func:`read_crawler`.

    The same bytes read whole, line by line, as a file and in odd-sized
    chunks give the same records; line numbers and spans lie inside the
    file; every line is accounted for.
    """
    try:
        records = list(read_crawler(io.BytesIO(data), name))
    except ReelsenseError:
        return []
    for chunks in ([data], data.splitlines(keepends=True), _chunked(data, 7)):
        assert list(read_crawler(chunks, name)) == records, "chunking changed the records"
    check_record_values(records, name)
    count = len(data.splitlines())
    for record in records:
        span = _span(record)
        if span is not None:
            assert 1 <= span[0] <= span[1] <= count, (span, count, record)
    assert unaccounted_lines(data, records) == [], records
    return records
