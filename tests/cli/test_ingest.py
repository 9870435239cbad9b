"""``reelsense ingest`` and ``reelsense problems`` from the user's side."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reelsense.cli.app import app
from tests.cli.conftest import Cli
from tests.sources.hostile import write_sparse, write_zip

SEED_EMAIL_FRAGMENTS = (
    "@hotmail.com",
    "@gmail.com",
    "@virgin.net",
    "@postkassa.no",
    "@datashopper",
)

GOOD_MOVIE = """<movie>
\t<title>The Quiet Harbour</title>
\t<link>http://www.imdb.com/title/tt9800001/?ref_=fn_al_tt_1</link>
\t<year>2001</year>
\t<generalScore>0.68</generalScore>
\t<review>
\t\t<date>2003-05-01</date>
\t\t<username>Harbour Fan (fan@example.com)</username>
\t\t<score>0.8</score>
\t\t<shortDescription>Calm and lovely</shortDescription>
\t\t<fullReview>A calm film about a lighthouse keeper.The acting is warm. 8/10</fullReview>
\t</review>
\t<review>
\t\t<date>2004-07-09</date>
\t\t<username>grumpy</username>
\t\t<score>-1.0</score>
\t\t<shortDescription>*** This review may contain spoilers ***</shortDescription>
\t\t<fullReview>Too slow for me, the lighthouse burns at the end. 4 out of 10</fullReview>
\t</review>
</movie>
"""


def write_movie(path: Path, text: str = GOOD_MOVIE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_ingest_a_clean_file_exits_0_and_prints_a_summary(cli: Cli, tmp_path: Path) -> None:
    movie = write_movie(tmp_path / "Group1" / "Movie0.txt")
    result = cli("ingest", movie)
    assert result.exit_code == 0, result.output
    assert "Ingest summary" in result.stdout
    assert "reviews new" in result.stdout
    assert query(cli.db, "select count(*) from reviews") == [(2,)]
    assert query(cli.db, "select group_name, position from movie_groups") == [("Group1", 0)]


def test_ingest_twice_stores_each_review_once(cli: Cli, tmp_path: Path) -> None:
    first = write_movie(tmp_path / "a" / "Movie0.txt")
    copy = write_movie(tmp_path / "b" / "copy.txt")
    assert cli("ingest", first).exit_code == 0
    again = cli("ingest", first, copy)
    assert again.exit_code == 0
    assert query(cli.db, "select count(*) from reviews") == [(2,)]
    assert "already stored" in again.stdout


def test_ingest_never_prints_emails(cli: Cli, tmp_path: Path) -> None:
    result = cli("ingest", write_movie(tmp_path / "m.txt"))
    assert "fan@example.com" not in result.output
    assert query(cli.db, "select email from reviewer_emails") == [("fan@example.com",)]
    assert query(cli.db, "select author from reviews where author like 'Harbour%'") == [
        ("Harbour Fan",)
    ]


def test_ingest_missing_path_is_a_clear_error_and_the_rest_is_stored(
    cli: Cli, tmp_path: Path
) -> None:
    good = write_movie(tmp_path / "m.txt")
    result = cli("ingest", tmp_path / "nope.txt", good)
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr
    assert query(cli.db, "select count(*) from reviews") == [(2,)]


def test_ingest_folder_without_review_files_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("# nothing here\n")
    result = cli("ingest", empty)
    assert result.exit_code == 1
    assert "empty" in result.stderr


def test_ingest_truncated_file_keeps_complete_reviews_and_reports_the_line(
    cli: Cli, tmp_path: Path
) -> None:
    cut = GOOD_MOVIE[: GOOD_MOVIE.index("Too slow")]
    bad = write_movie(tmp_path / "Group2" / "Movie1.txt", cut)
    result = cli("ingest", bad)
    assert result.exit_code == 1
    assert "Movie1.txt:" in result.stderr
    assert query(cli.db, "select count(*) from reviews") == [(1,)]
    listed = cli("problems")
    assert listed.exit_code == 0
    assert "Movie1.txt:" in listed.stdout


def test_ingest_into_a_corrupt_database_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    cli.db.write_bytes(b"this is not a database" * 100)
    result = cli("ingest", write_movie(tmp_path / "m.txt"))
    assert result.exit_code == 1
    assert "error:" in result.stderr


def test_ingest_unreadable_archive_is_reported_and_the_batch_goes_on(
    cli: Cli, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"\x1f\x8b\x08 definitely not gzip")
    result = cli("ingest", broken, write_movie(tmp_path / "m.txt"))
    assert result.exit_code == 1
    assert "broken.tar.gz" in result.stderr
    assert query(cli.db, "select count(*) from reviews") == [(2,)]


def test_seed_file_ingests_to_the_known_counts(cli: Cli, seed_file: Path) -> None:
    result = cli("ingest", seed_file)
    assert result.exit_code == 0, result.output
    assert query(cli.db, "select count(*) from movies") == [(1,)]
    assert query(cli.db, "select count(*) from reviews") == [(56,)]
    assert query(cli.db, "select count(*) from reviews where rating is null") == [(3,)]
    assert query(cli.db, "select count(*) from reviewer_emails") == [(7,)]
    stated = query(cli.db, "select stated_rating from reviews where rating is null")
    assert (9.0,) in stated
    for args in (("movies",), ("show", "tt0117407"), ("search", "film"), ("problems",)):
        shown = cli(*args)
        assert not any(f in shown.output for f in SEED_EMAIL_FRAGMENTS), args


def test_example_corpus_ingests_with_reported_problems(cli: Cli, example_corpus: Path) -> None:
    result = cli("ingest", example_corpus)
    assert result.exit_code == 1  # the example corpus is broken on purpose
    assert query(cli.db, "select count(distinct group_name) from movie_groups") == [(2,)]
    assert "@example" not in result.output


def test_parallel_and_serial_ingest_store_the_same(tmp_path: Path, example_corpus: Path) -> None:
    serial, parallel = Cli(tmp_path / "serial.db"), Cli(tmp_path / "parallel.db")
    assert serial("ingest", "--serial", example_corpus).exit_code == 1
    assert parallel("ingest", "--parallel", example_corpus).exit_code == 1
    sql = "select review_key, movie_id, rating, body from reviews order by review_key"
    assert query(serial.db, sql) == query(parallel.db, sql)
    assert query(serial.db, "select * from problems order by 2, 3") != []
    problems = "select source_file, line, message from problems order by 1, 2, 3"
    assert query(serial.db, problems) == query(parallel.db, problems)


def test_ingest_hostile_batch_names_each_limit_and_stores_the_rest(
    cli: Cli, tmp_path: Path
) -> None:
    bomb = write_zip(tmp_path / "bomb.zip", {"Group1/Movie0.txt": 8 << 20})
    loop = tmp_path / "tree" / "Movie0.txt"
    loop.parent.mkdir()
    loop.symlink_to(loop)
    huge = write_sparse(tmp_path / "huge.txt", 20 << 20)
    good = write_movie(tmp_path / "m.txt")
    for mode in ("--serial", "--parallel"):
        result = cli(
            "ingest",
            mode,
            "--max-ratio",
            "50",
            "--max-file-bytes",
            "16M",
            bomb,
            loop.parent,
            huge,
            good,
        )
        assert result.exit_code == 1, result.output
        assert "bomb.zip: member Group1/Movie0.txt expands" in result.stderr
        assert "(raise --max-ratio); skipped" in result.stderr
        assert "Movie0.txt: symbolic link loop; skipped" in result.stderr
        assert "huge.txt: file is 20.0 MiB, over the limit of 16.0 MiB per file" in result.stderr
        assert query(cli.db, "select count(*) from reviews") == [(2,)]


def test_ingest_rejects_a_malformed_limit(cli: Cli, tmp_path: Path) -> None:
    result = cli("ingest", "--max-file-bytes", "lots", write_movie(tmp_path / "m.txt"))
    assert result.exit_code == 1
    assert "'lots' is not a size" in result.stderr
    assert not cli.db.exists()


def test_ingest_help_lists_the_limits(cli: Cli) -> None:
    result = cli.runner.invoke(app, ["ingest", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in ("--max-file-bytes", "--max-archive-bytes", "--max-ratio", "--max-files"):
        assert option in result.output
