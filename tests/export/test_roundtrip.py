"""XML export writes the crawler's own files: ingest → export → ingest gives identical records."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from reelsense.export import ExportFilters, export
from reelsense.export.catalog import canonical_url
from reelsense.ingest import discover, ingest
from reelsense.records import Movie, Review
from reelsense.sources.crawler import read_crawler
from reelsense.store import SQLiteStore

# Every quirk the crawler produced, in text written for this test.
QUIRKS_GROUP_MOVIE0 = """<movie>
\t<title>Tom &amp Jerry &amp</title>
\t<link>http://www.imdb.com/title/tt0300001/?ref_=fn_al_tt_1</link>
\t<year>1988</year>
\t<generalScore>0.74</generalScore>
\t<review>
\t\t<date>2004-11-27</date>
\t\t<username>Mika P?k?l? (mika80@example.com)</username>
\t\t<score>-1.0</score>
\t\t<shortDescription>*** This review may contain spoilers ***</shortDescription>
\t\t<fullReview>I watched it twice.But not a third time &amp; that says it. \
<i>Lovely</i> music by Ivan Petrovi&#x107; &amp; co. 9/10</fullReview>
\t</review>
\t<review>
\t\t<date>null</date>
\t\t<username>null</username>
\t\t<score>0.3</score>
\t\t<shortDescription>null</shortDescription>
\t\t<fullReview>Fish & chips & <a href="x">links</a>; x<y and y>z; a <3 here; S?erne.</fullReview>
\t</review>
\t<review>
\t\t<date>2009-01-02</date>
\t\t<username>only@example.net</username>
\t\t<score>1.0</score>
\t\t<shortDescription>***? (of ****) &amp;amp;copy and &amp;amp;lt;b&amp;amp;gt;</shortDescription>
\t\t<fullReview>First paragraph.

Second paragraph with a literal &amp;amp;amp; and &amp;amp;#169; inside.</fullReview>
\t</review>
\t<review>
\t\t<date>2010-03-04</date>
\t\t<username>Rowan Hale (halefilmnotes)</username>
\t\t<score>0.75</score>
\t\t<shortDescription>null as a word: null</shortDescription>
\t\t<fullReview>null</fullReview>
\t</review>
</movie>
"""

QUIRKS_GROUP_MOVIE1 = """<movie>
\t<title>Kites</title>
\t<link>http://www.imdb.com/title/tt0300002/</link>
\t<year>null</year>
\t<generalScore>null</generalScore>
\t<review>
\t\t<date>2011-05-06</date>
\t\t<username>Jonas S?rensen</username>
\t\t<score>0.8</score>
\t\t<shortDescription>Eight &lt;of&gt; ten</shortDescription>
\t\t<fullReview>Strong &quot;quoted&quot; words; I give it 8 out of 10.</fullReview>
\t</review>
</movie>
"""

LONE_MOVIE = """<movie>
\t<title>Paper &amp; Glue</title>
\t<link>https://www.imdb.com/title/tt0300003/</link>
\t<year>2001</year>
\t<generalScore>0.61</generalScore>
\t<review>
\t\t<date>2002-02-02</date>
\t\t<username>Ann Lee (ann@example.org)</username>
\t\t<score>0.6</score>
\t\t<shortDescription>Fine</shortDescription>
\t\t<fullReview>Fine, really.</fullReview>
\t</review>
</movie>
"""


def write_corpus(root: Path) -> Path:
    """Group9 with two movies, the first also in Group10, and one movie outside any group."""
    (root / "Group9").mkdir(parents=True)
    (root / "Group10").mkdir()
    (root / "Group9" / "Movie0.txt").write_text(QUIRKS_GROUP_MOVIE0, encoding="utf-8")
    (root / "Group9" / "Movie1.txt").write_text(QUIRKS_GROUP_MOVIE1, encoding="utf-8")
    (root / "Group10" / "Movie2.txt").write_text(QUIRKS_GROUP_MOVIE0, encoding="utf-8")
    (root / "lone.txt").write_text(LONE_MOVIE, encoding="utf-8")
    return root


def ingest_into(path: Path, db: Path) -> SQLiteStore:
    store = SQLiteStore(db)
    sources, errors = discover([path])
    assert not errors
    ingest(sources, store)
    return store


def review_fields(store: SQLiteStore) -> list[dict[str, Any]]:
    """Every stored review field except where it was read from, in movie and position order."""
    rows = []
    for item in store.iter_reviews(include_personal=True):
        fields = dataclasses.asdict(item.review)
        del fields["source_file"], fields["source_line"]
        rows.append(fields)
    return sorted(rows, key=lambda r: (r["movie_id"], r["position"]))


def movie_fields(store: SQLiteStore) -> list[tuple[object, ...]]:
    """Every stored movie field the store protocol shows, with its group positions."""
    out = []
    for s in store.list_movies():
        positions = store.movie_stats(s.movie_id).group_positions
        out.append((s.movie_id, s.title, s.year, s.imdb_rating, s.reviews, s.rated, positions))
    return out


def reader_records(path: Path) -> tuple[Movie, list[Review]]:
    with path.open("rb") as fh:
        records = list(read_crawler(fh, path.name))
    movies = [r for r in records if isinstance(r, Movie)]
    reviews = [r for r in records if isinstance(r, Review)]
    assert len(movies) == 1
    return movies[0], reviews


def strip_place(record: Movie | Review) -> Movie | Review:
    if isinstance(record, Movie):
        return dataclasses.replace(record, source_file=None)
    return dataclasses.replace(record, source_file=None, source_line=None)


def same_link(first: Movie, second: Movie, store: SQLiteStore) -> None:
    """Links survive exactly when the store gives them; else the canonical IMDb link is written."""
    if callable(getattr(store, "iter_movies", None)):
        assert second.url == first.url
    else:
        assert second.url == canonical_url(first.movie_id)


def round_trip(source: Path, tmp_path: Path) -> tuple[SQLiteStore, SQLiteStore, Path]:
    first = ingest_into(source, tmp_path / "first.db")
    out = tmp_path / "exported"
    export(first, "xml", "reviews", out, ExportFilters(), include_personal=True)
    second = ingest_into(out, tmp_path / "second.db")
    return first, second, out


def test_round_trip_keeps_every_quirk(tmp_path: Path) -> None:
    first, second, out = round_trip(write_corpus(tmp_path / "corpus"), tmp_path)
    assert review_fields(second) == review_fields(first)
    assert movie_fields(second) == movie_fields(first)
    # The originals had problems (a title cut off after '&'); the written files have none.
    assert {p.message for p in first.problems()} == {"title cut off after '&'"}
    assert second.problems() == []
    assert second.counts() == dataclasses.replace(first.counts(), problems=0)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == [
        "Group10/Movie2.txt",
        "Group9/Movie0.txt",
        "Group9/Movie1.txt",
        "tt0300003.txt",
    ]


def test_round_trip_reads_back_the_same_records(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    first, _, out = round_trip(corpus, tmp_path)
    for original, exported in [
        (corpus / "Group9" / "Movie0.txt", out / "Group9" / "Movie0.txt"),
        (corpus / "Group9" / "Movie1.txt", out / "Group9" / "Movie1.txt"),
        (corpus / "lone.txt", out / "tt0300003.txt"),
    ]:
        movie_a, reviews_a = reader_records(original)
        movie_b, reviews_b = reader_records(exported)
        assert [strip_place(r) for r in reviews_b] == [strip_place(r) for r in reviews_a]
        same_link(movie_a, movie_b, first)
        assert dataclasses.replace(strip_place(movie_b), url=None) == dataclasses.replace(
            strip_place(movie_a), url=None
        )


def test_quirky_values_are_written_as_the_crawler_did(tmp_path: Path) -> None:
    _, _, out = round_trip(write_corpus(tmp_path / "corpus"), tmp_path)
    text = (out / "Group9" / "Movie0.txt").read_text(encoding="utf-8")
    assert "<title>Tom &amp; Jerry &amp;</title>" in text
    assert "<username>Mika P?k?l? (mika80@example.com)</username>" in text
    assert "<score>-1.0</score>" in text and "<score>0.3</score>" in text
    assert "<shortDescription>*** This review may contain spoilers ***</shortDescription>" in text
    assert "<date>null</date>" in text and "<username>null</username>" in text
    assert "x&lt;y and y&gt;z; a &lt;3" in text
    assert "<generalScore>0.74</generalScore>" in text


def test_emails_are_left_out_of_xml_unless_asked(tmp_path: Path) -> None:
    first = ingest_into(write_corpus(tmp_path / "corpus"), tmp_path / "first.db")
    out = tmp_path / "plain"
    report = export(first, "xml", "reviews", out)
    written = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.txt"))
    assert "@example" not in written
    assert "<username>Mika P?k?l?</username>" in written
    assert report.files == 4 and report.movies == 3 and report.rows == 6


def test_xml_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    from reelsense.errors import ConfigError

    first = ingest_into(write_corpus(tmp_path / "corpus"), tmp_path / "first.db")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="--force"):
        export(first, "xml", "reviews", out)
    assert export(first, "xml", "reviews", out, force=True).files == 4
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_xml_with_filters_writes_only_matching_movies(tmp_path: Path) -> None:
    first = ingest_into(write_corpus(tmp_path / "corpus"), tmp_path / "first.db")
    out = tmp_path / "out"
    report = export(first, "xml", "reviews", out, ExportFilters(group="Group9", min_rating=7))
    assert report.movies == 2 and report.rows == 3  # ratings 10 and 7.5; 8
    assert sorted(p.name for p in out.rglob("*.txt")) == ["Movie0.txt", "Movie1.txt"]
    assert not (out / "Group10").exists()


def test_round_trip_on_the_real_seed_file(seed_file: Path, tmp_path: Path) -> None:
    first, second, out = round_trip(seed_file, tmp_path)
    assert first.counts().reviews == 56
    assert review_fields(second) == review_fields(first)
    assert movie_fields(second) == movie_fields(first)
    (exported,) = out.rglob("*.txt")
    movie_a, reviews_a = reader_records(seed_file)
    movie_b, reviews_b = reader_records(exported)
    assert [strip_place(r) for r in reviews_b] == [strip_place(r) for r in reviews_a]
    same_link(movie_a, movie_b, first)
