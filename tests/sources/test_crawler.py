"""The crawler XML reader: fields, quirks, problems and their line numbers."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources.crawler import read_crawler
from reelsense.sources.crawler_source import (
    CrawlerArchiveSource,
    CrawlerFileSource,
    group_and_position,
    looks_like_crawler,
)

DATA = Path(__file__).parents[2].parent / "shared" / "data"
SEED = DATA / "seed" / "000_02b5297a58df6d9a.txt"
EXAMPLES = Path(__file__).parents[2] / "examples" / "corpus"

HEADER = (
    "<movie>\n"
    "\t<title>The Copper Bell</title>\n"
    "\t<link>http://www.imdb.com/title/tt9900123/?ref_=fn_al_tt_1</link>\n"
    "\t<year>1972</year>\n"
    "\t<generalScore>0.66</generalScore>\n"
)


def review(
    text: str,
    *,
    day: str = "2010-05-04",
    user: str = "bellringer",
    score: str = "0.7",
    headline: str = "A fine bell",
) -> str:
    return (
        "\t<review>\n"
        f"\t\t<date>{day}</date>\n"
        f"\t\t<username>{user}</username>\n"
        f"\t\t<score>{score}</score>\n"
        f"\t\t<shortDescription>{headline}</shortDescription>\n"
        f"\t\t<fullReview>{text}</fullReview>\n"
        "\t</review>\n"
    )


def read(content: str | bytes, name: str = "Movie0.txt") -> list[Record]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return list(read_crawler(data.splitlines(keepends=True), name))


def movies(records: Iterable[Record]) -> list[Movie]:
    return [r for r in records if isinstance(r, Movie)]


def reviews(records: Iterable[Record]) -> list[Review]:
    return [r for r in records if isinstance(r, Review)]


def problems(records: Iterable[Record]) -> list[Problem]:
    return [r for r in records if isinstance(r, Problem)]


def test_reads_movie_fields_and_reviews_in_order() -> None:
    records = read(HEADER + review("First.") + review("Second.") + "</movie>\n")
    assert isinstance(records[0], Movie)
    movie = records[0]
    assert (movie.movie_id, movie.title, movie.year, movie.imdb_rating) == (
        "tt9900123",
        "The Copper Bell",
        1972,
        6.6,
    )
    got = reviews(records)
    assert [r.text for r in got] == ["First.", "Second."]
    assert [r.position for r in got] == [0, 1]
    assert [r.source_line for r in got] == [6, 13]
    assert got[0].date == date(2010, 5, 4)
    assert got[0].rating == 7.0
    assert got[0].source_file == "Movie0.txt"
    assert problems(records) == []


def test_score_minus_one_means_no_rating_and_text_rating_is_stated() -> None:
    records = read(HEADER + review("Lovely to hear it ring. 9/10", score="-1.0") + "</movie>\n")
    (got,) = reviews(records)
    assert got.rating is None
    assert got.stated is not None and got.stated.value == 9.0
    assert got.stated.field == "text"


def test_stated_rating_falls_back_to_headline() -> None:
    records = read(HEADER + review("No number here.", headline="3 out of 10") + "</movie>\n")
    (got,) = reviews(records)
    assert got.stated is not None
    assert (got.stated.value, got.stated.field) == (3.0, "headline")


def test_literal_null_values_become_none() -> None:
    header = HEADER.replace("1972", "null").replace("0.66", "null")
    records = read(header + review("Text.", day="null", user="null", headline="null") + "</movie>")
    (movie,) = movies(records)
    (got,) = reviews(records)
    assert movie.year is None and movie.imdb_rating is None
    assert (got.date, got.display_name, got.email, got.headline) == (None, None, None, None)
    assert problems(records) == []


@pytest.mark.parametrize(
    "marker",
    [
        "*** This review may contain spoilers ***",
        "***this review may contain spoilers***",
        "  *** This  Review May Contain\tSpoilers *** ",
    ],
)
def test_spoiler_marker_is_a_flag_not_a_headline(marker: str) -> None:
    (got,) = reviews(read(HEADER + review("Text.", headline=marker) + "</movie>\n"))
    assert got.spoiler is True
    assert got.headline is None


def test_username_email_is_split_off() -> None:
    records = read(HEADER + review("Text.", user="Ann Lee (ann.lee@example.com)") + "</movie>")
    (got,) = reviews(records)
    assert (got.display_name, got.email) == ("Ann Lee", "ann.lee@example.com")


def test_entities_inline_tags_and_bare_ampersand_are_read() -> None:
    text = "Bo &amp; Ivo Petrovi&#x107; &eacute;clat&nbsp;here, <i>rock</i> & <b>roll</b>."
    records = read(HEADER + review(text) + review("Next one.") + "</movie>\n")
    got = reviews(records)
    assert got[0].text == "Bo & Ivo Petrović éclat here, rock & roll."
    assert got[1].text == "Next one."
    assert problems(records) == []


def test_unclosed_inline_tags_do_not_swallow_later_reviews() -> None:
    text = 'Starts <p>well and <a href="http://example.com/x">links I <3 it'
    records = read(HEADER + review(text) + review("Second.") + review("Third.") + "</movie>")
    got = reviews(records)
    assert len(got) == 3
    assert "links I" in got[0].text
    assert [r.text for r in got[1:]] == ["Second.", "Third."]


def test_glued_sentences_are_kept_as_given() -> None:
    (got,) = reviews(read(HEADER + review("I loved it.But not the end.") + "</movie>"))
    assert got.text == "I loved it.But not the end."


def test_question_mark_damage_is_kept() -> None:
    records = read(HEADER + review("Laura Drasb?k shines.", user="?ivind Br?ten") + "</movie>")
    (got,) = reviews(records)
    assert got.text == "Laura Drasb?k shines."
    assert got.display_name == "?ivind Br?ten"


def test_title_cut_off_at_amp_is_kept_and_reported() -> None:
    header = HEADER.replace("The Copper Bell", "Bells &amp")
    records = read(header + review("Text.") + "</movie>\n")
    (movie,) = movies(records)
    assert movie.title == "Bells &"
    assert [(p.line, p.message) for p in problems(records)] == [(2, "title cut off after '&'")]


def test_truncated_write_drops_incomplete_review_and_reports_its_line() -> None:
    content = HEADER + review("One.") + review("Two.") + "\t<review>\n\t\t<date>2011-01-01</date>\n"
    content += "\t\t<fullReview>This text stops in the mid"
    records = read(content)
    assert [r.text for r in reviews(records)] == ["One.", "Two."]
    (problem,) = problems(records)
    assert problem.line == 20
    assert problem.message == "file ends inside review 3 (truncated write)"
    assert str(problem) == "Movie0.txt:20: file ends inside review 3 (truncated write)"


def test_missing_end_of_movie_is_reported_at_last_line() -> None:
    records = read(HEADER + review("One."))
    assert len(reviews(records)) == 1
    (problem,) = problems(records)
    assert (problem.line, problem.message) == (12, "file ends before </movie> (truncated write)")


def test_empty_file_is_one_problem() -> None:
    assert read("") == [Problem("Movie0.txt", None, "empty file")]
    assert read("  \n\n") == [Problem("Movie0.txt", None, "empty file")]


def test_file_that_is_not_crawler_xml_is_one_problem_and_no_records() -> None:
    records = read("id,text\n1,hello\n")
    assert len(records) == 1
    assert isinstance(records[0], Problem)
    assert records[0].line == 1
    assert "not a crawler file" in records[0].message


def test_cp1252_line_is_decoded_and_reported_once() -> None:
    content = (HEADER + review("Caf\xe9 scene.") + review("Na\xefve plot.") + "</movie>\n").encode(
        "cp1252"
    )
    records = read(content)
    assert [r.text for r in reviews(records)] == ["Café scene.", "Naïve plot."]
    (problem,) = problems(records)
    assert (problem.line, problem.message) == (11, "not valid UTF-8 from line 11; read as cp1252")


def test_bad_score_and_date_are_reported_with_their_lines() -> None:
    records = read(
        HEADER
        + review("A.", score="1.7")
        + review("B.", score="ten")
        + review("C.", day="someday")
        + review("D.", day="12 April 2005")
        + "</movie>\n"
    )
    got = reviews(records)
    assert [r.rating for r in got] == [None, None, 7.0, 7.0]
    assert got[2].date is None
    assert got[3].date == date(2005, 4, 12)
    assert [(p.line, p.message) for p in problems(records)] == [
        (9, "review 1: score '1.7' out of range 0.1-1.0"),
        (16, "review 2: score 'ten' is not a number"),
        (21, "review 3: date 'someday' not understood"),
    ]


def test_link_without_tt_id_gets_a_stable_title_id_and_a_problem() -> None:
    header = HEADER.replace("http://www.imdb.com/title/tt9900123/?ref_=fn_al_tt_1", "null")
    records = read(header + review("Text.") + "</movie>\n")
    (movie,) = movies(records)
    assert movie.movie_id == "title:the copper bell:1972"
    assert reviews(records)[0].movie_id == movie.movie_id
    assert [(p.line, p.message) for p in problems(records)] == [(3, "no IMDb id in link")]


def test_unknown_elements_are_ignored_with_one_problem() -> None:
    extra = review("Text.").replace("\t</review>", "\t\t<helpful>3 of 4</helpful>\n\t</review>")
    records = read(HEADER + extra + extra + "</movie>\n")
    assert len(reviews(records)) == 2
    (problem,) = problems(records)
    assert problem.line == 12
    assert "<helpful>" in problem.message


def test_multiline_review_text_keeps_paragraphs() -> None:
    content = HEADER + review("First paragraph.\n\nSecond paragraph.") + "</movie>\n"
    (got,) = reviews(read(content))
    assert got.text == "First paragraph.\n\nSecond paragraph."


def test_reads_from_arbitrary_byte_chunks() -> None:
    data = (HEADER + review("One.") + review("Two.") + "</movie>\n").encode()
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    got = reviews(read_crawler(chunks, "x.txt"))
    assert [(r.text, r.source_line) for r in got] == [("One.", 6), ("Two.", 13)]


def test_group_and_position_come_from_the_path() -> None:
    assert group_and_position("corpus/Group12/Movie3.txt") == ("Group12", 3)
    assert group_and_position("seed/000_abc.txt") == (None, None)
    assert group_and_position("Movie2.txt") == (None, 2)


def test_sniffing_recognises_crawler_start() -> None:
    assert looks_like_crawler(b"\xef\xbb\xbf\n  <movie>\n")
    assert looks_like_crawler(b'<?xml version="1.0"?>\n<movie>')
    assert not looks_like_crawler(b"<html><movie>")


def test_file_source_counts_bytes_and_keeps_grouping(tmp_path: Path) -> None:
    path = tmp_path / "Group4" / "Movie2.txt"
    path.parent.mkdir()
    path.write_text(HEADER + review("One.") + "</movie>\n", encoding="utf-8")
    source = CrawlerFileSource(path)
    records = list(source.records())
    (movie,) = movies(records)
    assert (movie.group, movie.position, movie.source_file) == ("Group4", 2, str(path))
    assert source.position == source.size == path.stat().st_size
    assert source.files_read == 1


def test_example_corpus_has_every_quirk() -> None:
    truncated = list(CrawlerFileSource(EXAMPLES / "Group2" / "Movie1.txt").records())
    assert [p.message for p in problems(truncated)] == [
        "file ends inside review 6 (truncated write)"
    ]
    assert len(reviews(truncated)) == 5
    cut = list(CrawlerFileSource(EXAMPLES / "Group1" / "Movie2.txt").records())
    assert movies(cut)[0].title == "Lanterns &"
    original = reviews(CrawlerFileSource(EXAMPLES / "Group1" / "Movie0.txt").records())
    assert any(r.spoiler for r in original)
    assert any(r.rating is None and r.stated is not None for r in original)


def test_real_seed_file() -> None:
    if not SEED.exists():
        pytest.skip(f"real crawler seed file not found at {SEED}")
    records = list(CrawlerFileSource(SEED).records())
    (movie,) = movies(records)
    assert (movie.movie_id, movie.title, movie.year, movie.imdb_rating) == (
        "tt0117407",
        "Pusher",
        1996,
        7.4,
    )
    got = reviews(records)
    assert len(got) == 56
    assert sum(r.rating is None for r in got) == 3
    assert sum(r.email is not None for r in got) == 7
    unrated = [r for r in got if r.rating is None and r.text.rstrip().endswith("9/10")]
    assert len(unrated) == 1
    assert unrated[0].stated is not None and unrated[0].stated.value == 9.0
    assert sum(r.spoiler for r in got) == 1
    assert all(r.source_line is not None and r.source_line > 5 for r in got)
    assert problems(records) == []


def test_file_cut_off_in_the_header_keeps_the_movie_when_it_has_an_id() -> None:
    records = read(HEADER[: HEADER.index("\t<year>")] + "\t<year>19")
    (movie,) = movies(records)
    assert (movie.movie_id, movie.title, movie.year) == ("tt9900123", "The Copper Bell", None)
    assert [(p.line, p.message) for p in problems(records)] == [
        (4, "file ends inside <year>"),
        (4, "file ends before </movie> (truncated write)"),
    ]
    assert not movies(read("<movie>\n\t<title>The Cop"))


# --- regressions found by the property tests (test_crawler_properties.py) -----


def test_superscript_digit_year_is_a_problem_not_a_crash() -> None:
    records = read(HEADER.replace("1972", "²") + "</movie>\n")
    (movie,) = movies(records)
    assert movie.year is None
    assert [(p.line, p.message) for p in problems(records)] == [(4, "year '²' is not a year")]


def test_link_is_decoded_and_loses_nul_bytes() -> None:
    header = HEADER.replace(
        "?ref_=fn_al_tt_1", "?ref_=fn&amp;x=1\x00"
    )  # the writer escapes '&'; a NUL would be refused by PostgreSQL
    (movie,) = movies(read(header + "</movie>\n"))
    assert movie.url == "http://www.imdb.com/title/tt9900123/?ref_=fn&x=1"


def test_crlf_cut_between_chunks_is_one_line_break() -> None:
    data = (HEADER + review("Text.") + "</movie>\n").replace("\n", "\r\n").encode()
    cut = data.index(b"\r\n", data.index(b"<review>")) + 1  # between "\r" and "\n"
    records = list(read_crawler([data[:cut], data[cut:]], "Movie0.txt"))
    assert records == read(data)
    (got,) = reviews(records)
    assert (got.source_line, got.source_end_line) == (6, 12)


def test_movie_and_reviews_carry_their_line_spans() -> None:
    records = read(HEADER + review("One.") + review("Two.") + "</movie>\n")
    (movie,) = movies(records)
    assert (movie.source_line, movie.source_end_line) == (1, 6)
    assert [(r.source_line, r.source_end_line) for r in reviews(records)] == [(6, 12), (13, 19)]


def test_every_run_of_stray_text_between_reviews_is_reported_with_its_lines() -> None:
    content = HEADER + review("One.") + "junk\nmore junk\n" + review("Two.") + "</review>\n"
    records = read(content + "</movie>\ntrailing\n")
    assert [(p.line, p.end_line, p.message) for p in problems(records)] == [
        (13, 14, "unexpected content 'junk' ignored (lines 13-14)"),
        (22, 22, "unexpected content </review> ignored"),
        (24, 24, "unexpected content 'trailing' ignored"),
    ]


def test_review_after_end_of_movie_is_reported_over_all_its_lines() -> None:
    records = read(HEADER + "</movie>\n" + review("Lost\nacross\nlines."))
    assert reviews(records) == []
    spans = [(p.line, p.end_line, p.message) for p in problems(records)]
    assert (7, None, "<review> outside <movie>") in spans
    assert (12, 14, "<fullReview> out of place, ignored") in spans


def test_non_crawler_file_problem_spans_the_whole_file() -> None:
    (problem,) = read("\nid,text\n1,hello\n2,bye\n")
    assert isinstance(problem, Problem)
    assert (problem.line, problem.end_line) == (2, 4)


def test_cut_off_header_without_title_or_link_is_reported_over_its_lines() -> None:
    records = read("<movie>\n\t<year>1999</year>\n\t<generalScore>0.5</generalScore>\n")
    assert movies(records) == []
    assert [(p.line, p.end_line, p.message) for p in problems(records)] == [
        (1, 3, "movie header has neither title nor link; skipped"),
        (3, None, "file ends before </movie> (truncated write)"),
    ]


def test_movie_field_after_a_review_is_reported_not_silently_dropped() -> None:
    records = read(HEADER + review("One.") + "\t<year>1999</year>\n</movie>\n")
    (movie,) = movies(records)
    assert movie.year == 1972
    assert [(p.line, p.message) for p in problems(records)] == [
        (13, "<year> out of place, ignored")
    ]


def test_sniffed_archive_member_with_crlf_cut_at_512_bytes_keeps_line_numbers(
    tmp_path: Path,
) -> None:
    # A member that is not .txt/.xml is sniffed: its first 512 bytes are one chunk.
    body = HEADER + review("Padding " * 40) + review("Second.") + "</movie>\n"
    data = body.replace("\n", "\r\n").encode()
    shift = 511 - data.rindex(b"\r\n", 0, 512)  # move a "\r" to byte 511, its "\n" to 512
    data = data.replace(b"<movie>", b"<movie>" + b" " * shift, 1)
    assert data[511:513] == b"\r\n"
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("Group1/Movie0.dat", data)
    from_archive = [r for r in CrawlerArchiveSource(archive).records() if isinstance(r, Review)]
    direct = reviews(read(data))
    assert [(r.source_line, r.source_end_line) for r in from_archive] == [(6, 12), (13, 19)]
    assert [r.source_line for r in direct] == [6, 13]
