"""Table exports: CSV, JSON Lines, Parquet and XLSX — columns, types, filters, personal data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from reelsense.errors import ConfigError, QueryError
from reelsense.export import ExportFilters, export
from reelsense.export.excel import write_xlsx
from reelsense.export.rows import build_table
from reelsense.records import Movie, Record, Review, StatedRating
from reelsense.store import SQLiteStore
from reelsense.store.base import AnalysisRow, AspectMention

MODEL = "test-export-1"
EMAIL = "ann.lee@example.org"
FIRST, SECOND, LONE = "tt0200001", "tt0200002", "tt0200003"


def corpus() -> list[Record]:
    """Two movies of Group4 (original and remake) and one movie outside any group."""
    return [
        Movie(FIRST, "Salt Marsh", 1971, 7.8, group="Group4", position=0),
        Movie(SECOND, "Salt Marsh", 2015, 5.1, group="Group4", position=1),
        Movie(LONE, "Paper Kites", 2003, 6.4),
        Review(
            FIRST,
            0,
            "A tender film about herons. 9/10",
            date(2004, 3, 1),
            "Ann Lee",
            EMAIL,
            None,
            "Tender",
            stated=StatedRating(9.0, "9/10", 28, 32),
        ),
        Review(FIRST, 1, "Slow and grey, the acting is stiff.", date(2006, 5, 2), "Bo", None, 4.0),
        Review(FIRST, 2, "Lovely light over the marsh.", None, None, None, 8.0, spoiler=True),
        Review(SECOND, 0, "Loud where the original whispered.", date(2016, 1, 9), "Cy", None, 3.0),
        Review(LONE, 0, "Kites, wind and a lot of charm.", date(2005, 7, 7), "Di", None, 7.0),
    ]


def build_store(path: Path | str = ":memory:") -> SQLiteStore:
    """A store with the corpus, scored by a hand-written model."""
    store = SQLiteStore(path)
    store.write(corpus())
    store.register_model(MODEL, "{}")
    rows, aspects = [], []
    for item in store.iter_reviews():
        review = item.review
        positive = review.text.startswith(("A tender", "Lovely", "Kites"))
        final = review.rating if review.rating is not None else 9.0
        source = "given" if review.rating is not None else "stated"
        rows.append(
            AnalysisRow(item.review_id, MODEL, "positive" if positive else "negative",
                        0.9 if positive else 0.2, 8 if positive else 3, 0.6, final, source, 1.0)
        )  # fmt: skip
        aspects.append(
            AspectMention(item.review_id, MODEL, 0, "acting", "positive" if positive else
                          "negative", 0.8 if positive else 0.1, review.text)
        )  # fmt: skip
    store.write_analysis(rows, aspects)
    return store


@pytest.fixture
def store() -> SQLiteStore:
    return build_store()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_header_and_one_line_per_review(store: SQLiteStore) -> None:
    out = io.StringIO()
    report = export(store, "csv", "reviews", out)
    rows = read_csv(out.getvalue())
    assert report.rows == len(rows) == 5
    assert list(rows[0])[:6] == ["review_id", "movie_id", "title", "position", "date", "author"]
    assert rows[0]["date"] == "2004-03-01" and rows[0]["rating"] == ""
    assert rows[0]["stated_rating"] == "9.0" and rows[2]["spoiler"] == "true"


def test_emails_appear_only_when_asked(store: SQLiteStore, tmp_path: Path) -> None:
    for fmt in ("csv", "jsonl"):
        plain, personal = io.StringIO(), io.StringIO()
        export(store, fmt, "reviews", plain)
        export(store, fmt, "reviews", personal, include_personal=True)
        assert EMAIL not in plain.getvalue() and "email" not in plain.getvalue()
        assert EMAIL in personal.getvalue()
    for fmt in ("parquet", "xlsx"):
        export(store, fmt, "reviews", tmp_path / f"r.{fmt}")
        assert EMAIL.encode() not in (tmp_path / f"r.{fmt}").read_bytes()
    table = pq.read_table(tmp_path / "r.parquet")
    assert "email" not in table.column_names
    export(store, "parquet", "reviews", tmp_path / "p.parquet", include_personal=True)
    assert EMAIL in pq.read_table(tmp_path / "p.parquet").column("email").to_pylist()


def test_jsonl_rows_are_typed_objects(store: SQLiteStore) -> None:
    out = io.StringIO()
    export(store, "jsonl", "movies", out)
    movies = [json.loads(line) for line in out.getvalue().splitlines()]
    first = next(m for m in movies if m["movie_id"] == FIRST)
    assert first["year"] == 1971 and first["imdb_rating"] == 7.8 and first["reviews"] == 3
    assert first["groups"] == "Group4/0"
    lone = next(m for m in movies if m["movie_id"] == LONE)
    assert lone["groups"] is None


def test_parquet_has_proper_types(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    report = export(store, "parquet", "reviews", path)
    table = pq.read_table(path)
    assert report.rows == table.num_rows == 5
    schema = table.schema
    assert schema.field("date").type == pa.date32()
    assert schema.field("rating").type == pa.float64()
    assert schema.field("spoiler").type == pa.bool_()
    assert schema.field("review_id").type == pa.int64()
    assert schema.field("position").type == pa.int64()
    assert table.column("rating").null_count == 1
    assert table.column("date").to_pylist()[0] == date(2004, 3, 1)


def test_parquet_is_written_in_batches(store: SQLiteStore, tmp_path: Path) -> None:
    from reelsense.export.parquet import write_parquet

    path = tmp_path / "small.parquet"
    table = build_table(store, "reviews", ExportFilters())
    assert write_parquet(table, path, batch_rows=2) == 5
    assert pq.ParquetFile(path).metadata.num_rows == 5


def test_xlsx_cells_are_typed_with_frozen_header(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "reviews.xlsx"
    export(store, "xlsx", "reviews", path)
    sheet = load_workbook(path)["reviews"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["review_id", "movie_id", "title"]
    row = {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}
    assert row["review_id"] == 1 and isinstance(row["review_id"], int)
    assert row["date"].date() == date(2004, 3, 1)  # an Excel date, not text
    assert row["stated_rating"] == 9.0 and row["rating"] is None
    assert sheet.cell(3, header.index("rating") + 1).value == 4.0


def test_xlsx_starts_another_sheet_when_one_is_full(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "split.xlsx"
    table = build_table(store, "reviews", ExportFilters())
    assert write_xlsx(table, path, sheet_rows=2) == 5
    book = load_workbook(path)
    assert book.sheetnames == ["reviews", "reviews (2)", "reviews (3)"]
    assert book["reviews (3)"].cell(1, 1).value == "review_id"
    assert book["reviews (3)"].max_row == 2


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ExportFilters(movies=("tt0200001",)), 3),
        (ExportFilters(movies=("paper kites",)), 1),
        (ExportFilters(group="Group4"), 4),
        (ExportFilters(group="Group4", movies=("tt0200003",)), 0),
        (ExportFilters(min_rating=5), 2),
        (ExportFilters(min_rating=5, filled=True), 3),
        (ExportFilters(max_rating=4, filled=True), 2),
        (ExportFilters(since=date(2005, 1, 1), until=date(2006, 12, 31)), 2),
        (ExportFilters(sentiment="positive"), 3),
        (ExportFilters(sentiment="negative", group="Group4"), 2),
    ],
)
def test_filters_keep_the_matching_reviews(
    store: SQLiteStore, filters: ExportFilters, expected: int
) -> None:
    out = io.StringIO()
    report = export(store, "csv", "reviews", out, filters)
    assert report.rows == len(read_csv(out.getvalue())) == expected


def test_filtered_reviews_keep_emails_when_asked(store: SQLiteStore) -> None:
    out = io.StringIO()
    export(store, "csv", "reviews", out, ExportFilters(sentiment="positive"), True)
    emails = {row["email"] for row in read_csv(out.getvalue())}
    assert emails == {EMAIL, ""}


def test_analysis_and_aspect_rows(store: SQLiteStore) -> None:
    out = io.StringIO()
    export(store, "jsonl", "analysis", out, ExportFilters(movies=(FIRST,)))
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 3
    assert {r["rating_source"] for r in rows} == {"given", "stated"}
    assert all(r["model_version"] == MODEL for r in rows)
    out = io.StringIO()
    export(store, "csv", "aspects", out, ExportFilters(sentiment="negative"))
    aspects = read_csv(out.getvalue())
    assert len(aspects) == 2 and {a["polarity"] for a in aspects} == {"negative"}
    assert EMAIL not in out.getvalue()


def test_analysis_needs_a_scored_store() -> None:
    bare = SQLiteStore(":memory:")
    bare.write(corpus())
    with pytest.raises(ConfigError, match="reelsense analyze"):
        export(bare, "csv", "analysis", io.StringIO())
    with pytest.raises(ConfigError, match="reelsense analyze"):
        export(bare, "csv", "reviews", io.StringIO(), ExportFilters(sentiment="positive"))


def test_existing_file_is_kept_unless_forced(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError, match="--force"):
        export(store, "csv", "reviews", path)
    assert path.read_text(encoding="utf-8") == "keep me"
    export(store, "csv", "reviews", path, force=True)
    assert path.read_text(encoding="utf-8").startswith("review_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no leftover temp file


def test_binary_formats_need_a_path(store: SQLiteStore) -> None:
    for fmt in ("parquet", "xlsx", "xml"):
        with pytest.raises(ConfigError, match="PATH"):
            export(store, fmt, "reviews", io.StringIO())  # type: ignore[arg-type]


def test_review_filters_do_not_apply_to_movies(store: SQLiteStore) -> None:
    with pytest.raises(ConfigError, match="not movies"):
        export(store, "csv", "movies", io.StringIO(), ExportFilters(min_rating=5))


def test_unknown_or_ambiguous_movie_is_an_error(store: SQLiteStore) -> None:
    with pytest.raises(QueryError, match="no movie"):
        export(store, "csv", "reviews", io.StringIO(), ExportFilters(movies=("nothing",)))
    with pytest.raises(QueryError, match="2 movies"):
        export(store, "csv", "reviews", io.StringIO(), ExportFilters(movies=("salt",)))


def test_contradictory_bounds_are_rejected() -> None:
    with pytest.raises(ConfigError, match="above"):
        ExportFilters(min_rating=8, max_rating=3)
    with pytest.raises(ConfigError, match="after"):
        ExportFilters(since=date(2010, 1, 1), until=date(2000, 1, 1))
