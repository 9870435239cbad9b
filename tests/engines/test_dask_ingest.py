"""``ingest`` reading on Dask workers stores exactly what the local ingest stores."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelsense.cli.app import app
from reelsense.errors import ConfigError
from reelsense.ingest import Chunk, IngestProgress, IngestReport, discover, ingest
from reelsense.records import Review
from reelsense.sources.base import Source
from reelsense.store import SQLiteStore
from tests.cli.test_ingest import GOOD_MOVIE, write_movie
from tests.engines.cluster_options import INVALID_CLUSTER_OPTIONS
from tests.sources.hostile import write_zip

pytest.importorskip("distributed", reason="dask[distributed] is not installed")

from reelsense.engines.dask_ingest import DaskReader

Dump = dict[str, list[tuple[object, ...]]]


def movie_text(n: int, reviews: int) -> str:
    """A crawler file for movie ``tt98000{n}`` with ``reviews`` reviews."""
    first = GOOD_MOVIE.index("\t<review>")
    review = GOOD_MOVIE[first : GOOD_MOVIE.index("\t<review>", first + 1)]
    head = GOOD_MOVIE[:first].replace("tt9800001", f"tt98000{n:02d}")
    body = "".join(review.replace("lighthouse", f"lighthouse {n}-{i}") for i in range(reviews))
    return f"{head}{body}</movie>\n"


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> list[Path]:
    """Crawler trees, a truncated file, a crawler zip, a broken archive and a missing path."""
    corpus = tmp_path / "corpus"
    for n in range(4):
        write_movie(corpus / "Group1" / f"Movie{n}.txt", movie_text(n, 1 + n))
    cut = movie_text(10, 3)
    write_movie(corpus / "Group2" / "Movie0.txt", cut[: cut.rindex("lighthouse")])
    write_movie(corpus / "Group2" / "Movie1.txt", "<movie><title>no end")
    archive = write_zip(
        tmp_path / "more.zip",
        {f"Group3/Movie{n}.txt": movie_text(20 + n, 2).encode() for n in range(3)},
    )
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"\x1f\x8b\x08 definitely not gzip")
    return [corpus, archive, broken, write_movie(tmp_path / "single.txt"), tmp_path / "nope"]


Progressed = list[tuple[str, int, int]]


def run(paths: list[Path], db: Path, reader: DaskReader | None) -> tuple[IngestReport, Progressed]:
    """Ingest ``paths`` into ``db``; the report and every progress update."""
    sources, unreadable = discover(paths)
    seen: Progressed = []

    def progressed(update: IngestProgress) -> None:
        seen.append((update.source.path.name, update.bytes_done, update.reviews_read))

    with SQLiteStore(db) as store:
        report = ingest(
            sources,
            store,
            unreadable=unreadable,
            batch_size=2,
            reader=reader,
            on_progress=progressed,
        )
    return report, seen


def dump(db: Path) -> Dump:
    """Every row of every table, without the columns holding timestamps."""
    tables: Dump = {}
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        for name in names:
            columns = [r[1] for r in conn.execute(f"pragma table_info({name})")]
            kept = ", ".join(c for c in columns if not c.endswith("_at")) or "*"
            tables[name] = conn.execute(f"select {kept} from {name} order by 1").fetchall()
    return tables


def counts(report: IngestReport) -> tuple[object, ...]:
    return (
        report.inputs,
        report.files_read,
        report.movies,
        report.reviews_read,
        report.stored,
        report.problems,
        report.failed,
    )


def test_dask_ingest_stores_exactly_what_the_local_ingest_stores_and_reruns_idempotently(
    tmp_path: Path, mixed_corpus: list[Path], dask_scheduler: str
) -> None:
    local, local_progress = run(mixed_corpus, tmp_path / "local.db", None)
    reader = DaskReader(scheduler=dask_scheduler, in_flight=1)
    on_dask, dask_progress = run(mixed_corpus, tmp_path / "dask.db", reader)
    expected = dump(tmp_path / "local.db")
    assert len(expected["reviews"]) == 1 + 2 + 3 + 4 + 2 + 3 * 2 + 2
    assert len(expected["problems"]) >= 4  # truncated, unfinished, broken archive, missing
    assert dump(tmp_path / "dask.db") == expected
    assert counts(on_dask) == counts(local)
    assert not on_dask.clean
    assert dask_progress == local_progress  # the same bar, batch by batch
    assert len(local_progress) > len(mixed_corpus) + 6  # several batches per source

    again, _ = run(mixed_corpus, tmp_path / "dask.db", reader)
    assert again.stored.reviews_new == 0
    assert again.stored.reviews_existing == on_dask.reviews_read
    assert dump(tmp_path / "dask.db") == expected


def test_dask_ingest_reports_an_input_the_worker_cannot_see_and_goes_on(
    tmp_path: Path, dask_scheduler: str
) -> None:
    first, gone, last = (write_movie(tmp_path / f"m{n}.txt", movie_text(n, 2)) for n in range(3))
    sources, unreadable = discover([first, gone, last])
    gone.unlink()  # seen by the client at discovery, not by the worker
    problems: list[str] = []
    with SQLiteStore(tmp_path / "r.db") as store:
        report = ingest(
            sources,
            store,
            unreadable=unreadable,
            reader=DaskReader(scheduler=dask_scheduler),
            on_problem=lambda p: problems.append(str(p)),
        )
    assert report.reviews_read == 4 and report.files_read == 2
    assert len(report.failed) == 1 and problems == report.failed
    assert problems[0].startswith(f"{gone}: not found on Dask worker tcp://")
    assert "file system every worker sees" in problems[0]


class FakeFuture:
    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk

    def result(self) -> Chunk:
        return self.chunk


class FakeActor:
    """Reads in-process like the worker actor, counting what was asked of it."""

    def __init__(self, log: list[int]) -> None:
        self.log = log
        self.left: dict[int, int] = {}

    def start(self, index: int, source: Source, batch_size: int) -> FakeFuture:
        self.log.append(index)
        self.left[index] = 3
        return self.next(index)

    def next(self, index: int) -> FakeFuture:
        self.left[index] -= 1
        record = Review(f"tt{index}", self.left[index], "text")
        last = self.left[index] == 0
        return FakeFuture(Chunk(index, [record], 0, 1 if last else 0, last))


def test_dask_reader_keeps_a_bounded_window_and_yields_in_source_order() -> None:
    started: list[int] = []
    actors = [FakeActor(started), FakeActor(started)]
    sources = [Path(f"s{n}") for n in range(10)]
    reader = DaskReader(in_flight=2)
    chunks = reader._read_window(sources, 1, actors)  # type: ignore[arg-type]
    first = next(chunks)
    assert started == [0, 1, 2, 3]  # two workers x two open sources each
    rest = list(chunks)
    assert started == list(range(10))
    order = [(c.source, c.records[0]) for c in [first, *rest]]
    assert order == [(s, Review(f"tt{s}", k, "text")) for s in range(10) for k in (2, 1, 0)]
    assert [c.last for c in [first, *rest]] == [False, False, True] * 10


@pytest.mark.parametrize(("options", "problem"), INVALID_CLUSTER_OPTIONS)
def test_dask_reader_rejects_invalid_options(options: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        DaskReader(**options)  # type: ignore[arg-type]


def test_dask_reader_with_nothing_to_read_contacts_no_scheduler() -> None:
    reader = DaskReader(scheduler="tcp://127.0.0.1:1", connect_timeout=0.1)
    assert list(reader([], 10)) == []


def cli_ingest(db: Path, *args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["ingest", "--db", str(db), "-q", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_cli_ingest_on_dask_prints_what_the_local_ingest_prints(
    tmp_path: Path, mixed_corpus: list[Path], dask_scheduler: str
) -> None:
    local = cli_ingest(tmp_path / "local.db", *mixed_corpus)
    on_dask = cli_ingest(tmp_path / "dask.db", "--scheduler", dask_scheduler, *mixed_corpus)
    assert local[0] == on_dask[0] == 1
    assert on_dask[1:] == local[1:]  # the same summary and the same problems, in order
    assert "Ingest summary" in on_dask[1] and "broken.tar.gz" in on_dask[2]
    assert dump(tmp_path / "dask.db") == dump(tmp_path / "local.db")


def test_cli_ingest_on_its_own_local_dask_cluster_exits_0_when_clean(tmp_path: Path) -> None:
    movie = write_movie(tmp_path / "Group1" / "Movie0.txt")
    code, out, err = cli_ingest(tmp_path / "r.db", "--engine", "dask", "--workers", "1", movie)
    assert code == 0, err
    assert "reviews new" in out and "distributed" not in err
    with sqlite3.connect(tmp_path / "r.db") as conn:
        assert conn.execute("select count(*) from reviews").fetchone() == (2,)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--engine", "local", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs"),
        (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "with --scheduler"),
        (["--engine", "dask", "--parallel"], "not with Dask"),
        (["--workers", "2"], "add --engine dask"),
    ],
)
def test_cli_ingest_rejects_contradictory_engine_options(
    tmp_path: Path, args: list[str], problem: str
) -> None:
    code, _, err = cli_ingest(tmp_path / "r.db", *args, write_movie(tmp_path / "m.txt"))
    assert code == 1
    assert problem in err
    assert not (tmp_path / "r.db").exists()


def test_cli_ingest_on_dask_without_dask_installed_asks_for_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "reelsense.engines.dask")
    monkeypatch.delitem(sys.modules, "reelsense.engines.dask_ingest")
    code, _, err = cli_ingest(
        tmp_path / "r.db", "--engine", "dask", write_movie(tmp_path / "m.txt")
    )
    assert code == 1
    assert "reelsense[dask]" in err


def test_cli_ingest_help_explains_the_dask_options() -> None:
    result = CliRunner().invoke(app, ["ingest", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for text in ("--engine", "--scheduler", "--workers", "shared file system", "Dask"):
        assert text in result.output
