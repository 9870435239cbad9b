"""Tables with a column mapping: CSV, JSONL, Parquet."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reelsense.errors import ConfigError, SourceError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources.tabular import ColumnMapping, TabularSource, parse_mapping, read_tabular

MAPPING = parse_mapping(
    ["text=body", "rating=stars", "movie=film", "title=name", "user=who", "date=when"]
)


def reviews(records: list[Record]) -> list[Review]:
    return [r for r in records if isinstance(r, Review)]


def problems(records: list[Record]) -> list[Problem]:
    return [r for r in records if isinstance(r, Problem)]


def test_parse_mapping_builds_the_dataclass() -> None:
    mapping = parse_mapping(["text=body", "rating=stars", "rating_scale=5"])
    assert mapping == ColumnMapping(text="body", rating="stars", rating_scale=5.0)
    assert mapping.columns() == {"text": "body", "rating": "stars"}


@pytest.mark.parametrize(
    "items,message",
    [
        (["text=body", "stars=rating"], "unknown field 'stars'"),
        (["rating=stars"], "needs text=COLUMN"),
        (["text"], "not field=column"),
        (["text=a", "text=b"], "mapped twice"),
        (["text=a", "rating_scale=zero"], "not a positive number"),
    ],
)
def test_parse_mapping_rejects_bad_items(items: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_mapping(items)


def test_csv_rows_become_movies_and_reviews(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "film,name,who,when,stars,body\n"
        'tt9900401,Glass Harbour,Ann (ann@example.com),2020-01-02,8,"Lovely, calm film."\n'
        'tt9900401,Glass Harbour,Bo,2020-02-03,,"Multi\n\nline review. 3 out of 10"\n'
        "tt9900402,Tin Sky,Cy,someday,ten,Odd one.\n",
        encoding="utf-8",
    )
    records = list(read_tabular(path, MAPPING))
    movies = [r for r in records if isinstance(r, Movie)]
    assert [(m.movie_id, m.title) for m in movies] == [
        ("tt9900401", "Glass Harbour"),
        ("tt9900402", "Tin Sky"),
    ]
    got = reviews(records)
    assert [(r.rating, r.source_line, r.position) for r in got] == [
        (8.0, 2, 0),
        (None, 3, 1),
        (None, 6, 2),
    ]
    assert (got[0].display_name, got[0].email, got[0].date) == (
        "Ann",
        "ann@example.com",
        date(2020, 1, 2),
    )
    assert got[1].text == "Multi\n\nline review. 3 out of 10"
    assert got[1].stated is not None and got[1].stated.value == 3.0
    assert [str(p) for p in problems(records)] == [
        f"{path}:6: rating 'ten' is not a number 0-10",
        f"{path}:6: date 'someday' not understood",
    ]


def test_five_star_scale_is_rescaled(tmp_path: Path) -> None:
    path = tmp_path / "stars.csv"
    path.write_text("body,stars\nGreat.,5\nOkay.,2.5\nBad.,6\n", encoding="utf-8")
    mapping = parse_mapping(["text=body", "rating=stars", "rating_scale=5"])
    records = list(read_tabular(path, mapping))
    assert [r.rating for r in reviews(records)] == [10.0, 5.0, None]
    assert [p.message for p in problems(records)] == ["rating '6' is not a number 0-5"]


def test_no_movie_column_uses_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "my_film.csv"
    path.write_text("body\nNice.\n", encoding="utf-8")
    records = list(read_tabular(path, parse_mapping(["text=body"])))
    assert isinstance(records[0], Movie) and records[0].movie_id == "my_film"
    assert reviews(records)[0].movie_id == "my_film"


def test_a_review_longer_than_csvs_default_field_limit_is_read_whole(tmp_path: Path) -> None:
    long_text = " ".join(f"word{i}" for i in range(30_000))  # about 250 KB, over 128 KiB
    path = tmp_path / "reviews.csv"
    path.write_text(f'body,stars\n"{long_text}",7\nShort.,5\n', encoding="utf-8")
    records = list(read_tabular(path, parse_mapping(["text=body", "rating=stars"])))
    assert problems(records) == []
    assert [len(r.text) for r in reviews(records)] == [len(long_text), len("Short.")]


def test_missing_column_is_a_source_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("body,score\nNice.,3\n", encoding="utf-8")
    with pytest.raises(SourceError, match="'stars'") as caught:
        list(read_tabular(path, parse_mapping(["text=body", "rating=stars"])))
    assert caught.value.line == 1


def test_empty_text_and_wrong_field_count_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("body,stars\n,5\nNice.,5,extra\nFine.,6\n", encoding="utf-8")
    records = list(read_tabular(path, parse_mapping(["text=body", "rating=stars"])))
    assert [r.text for r in reviews(records)] == ["Fine."]
    assert [p.line for p in problems(records)] == [2, 3]


def test_jsonl_lines_and_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    lines = [
        json.dumps({"body": "First &amp; best.", "stars": 9, "film": "tt9900403"}),
        "{not json",
        "",
        json.dumps({"body": "Second.", "stars": None, "film": "tt9900403"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_tabular(path, parse_mapping(["text=body", "rating=stars", "movie=film"])))
    got = reviews(records)
    assert [(r.text, r.rating, r.source_line) for r in got] == [
        ("First & best.", 9.0, 1),
        ("Second.", None, 4),
    ]
    assert [p.line for p in problems(records)] == [2]


def test_parquet_rows_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    table = pa.table(
        {"body": ["One.", "Two.", "Three."], "stars": [7.0, 11.0, None], "extra": [1, 2, 3]}
    )
    pq.write_table(table, path)
    source = TabularSource(path, parse_mapping(["text=body", "rating=stars"]))
    records = list(source.records())
    assert [(r.text, r.rating, r.source_line) for r in reviews(records)] == [
        ("One.", 7.0, 1),
        ("Two.", None, 2),
        ("Three.", None, 3),
    ]
    assert [str(p) for p in problems(records)] == [f"{path}:2: rating '11.0' is not a number 0-10"]
    assert source.files_read == 1


def test_parquet_missing_column_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    pq.write_table(pa.table({"body": ["One."]}), path)
    with pytest.raises(SourceError, match="'stars'"):
        list(read_tabular(path, parse_mapping(["text=body", "rating=stars"])))


# --- regressions found by the property tests (test_tabular_properties.py) -----


def test_jsonl_too_deep_or_too_long_numbers_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    lines = ["[" * 5000 + "]" * 5000, '{"body": ' + "1" * 5000 + "}", '{"body": "Fine."}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_tabular(path, parse_mapping(["text=body"])))
    assert [r.text for r in reviews(records)] == ["Fine."]
    assert [(p.line, p.message.split(":")[0]) for p in problems(records)] == [
        (1, "not valid JSON"),
        (2, "not valid JSON"),
    ]


def test_infinite_or_absurd_year_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("body,film,year\nA.,tt1,inf\nB.,tt2,1e9\nC.,tt3,1999.0\n", encoding="utf-8")
    mapping = parse_mapping(["text=body", "movie=film", "year=year"])
    records = list(read_tabular(path, mapping))
    assert [m.year for m in records if isinstance(m, Movie)] == [None, None, 1999]
    assert [p.message for p in problems(records)] == [
        "year 'inf' is not a year",
        "year '1e9' is not a year",
    ]


def test_nul_bytes_do_not_reach_ids_or_names(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("body,film,id,user\nA.,tt\x001,r\x001,An\x00n\n", encoding="utf-8")
    mapping = parse_mapping(["text=body", "movie=film", "review_id=id", "user=user"])
    (got,) = reviews(list(read_tabular(path, mapping)))
    assert (got.movie_id, got.external_id, got.display_name) == ("tt1", "r1", "Ann")


def test_damaged_parquet_names_the_rows_it_could_not_read(tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    pq.write_table(pa.table({"body": ["One.", "Two.", "Three."]}), path)
    data = bytearray(path.read_bytes())
    # Corrupt the column chunk's data (after the 4-byte magic): pyarrow then
    # either fails or ends the batches early; either way the rows are named.
    data[4:40] = bytes(36)
    path.write_bytes(bytes(data))
    records = list(read_tabular(path, parse_mapping(["text=body"])))
    texts = [r.text for r in reviews(records)]
    (problem,) = problems(records)
    assert problem.line == len(texts) + 1 and problem.message.endswith("; stopped")


def _silently_short_parquet(path: Path) -> bool:
    """Write a Parquet file that pyarrow reads short without raising, if one byte can do it."""
    pq.write_table(pa.table({"body": ["One.", "Two.", "Three."]}), path)
    base = path.read_bytes()
    for at in range(4, len(base)):
        damaged = bytearray(base)
        damaged[at] = 0 if base[at] else 1
        path.write_bytes(bytes(damaged))
        try:
            read = sum(batch.num_rows for batch in pq.ParquetFile(path).iter_batches())
        except (OSError, ValueError, pa.ArrowException):
            continue
        if read < 3:
            return True
    return False


def test_parquet_that_ends_early_without_an_error_names_the_missing_rows(tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    if not _silently_short_parquet(path):
        pytest.skip("this pyarrow raises on every one-byte damage of the file")
    records = list(read_tabular(path, parse_mapping(["text=body"])))
    read = len(reviews(records))
    (problem,) = problems(records)
    assert problem.line == read + 1
    assert problem.message == f"rows {read + 1}-3 unreadable (damaged file); stopped"
