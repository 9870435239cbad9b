"""Hostile inputs: each is refused with a clear message, in bounded time and memory,
and the other inputs of the same batch are still ingested.

Sizes here are small, with limits lowered to match; ``benchmarks/attacks.py``
runs the same attacks at full size (a million members, a 2 GB file, GBs of
zeros) with the default limits.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelsense.errors import ConfigError, LimitError, SourceError
from reelsense.ingest import IngestReport, discover, ingest
from reelsense.records import Problem
from reelsense.sources import IngestLimits, RefusedSource, open_sources
from reelsense.sources.archives import ArchiveMember, iter_members, scan_tar
from reelsense.sources.limits import MIB, parse_size
from reelsense.store import open_store
from tests.sources.hostile import (
    good_movie,
    make_fifo,
    write_many_tar,
    write_many_zip,
    write_sparse,
    write_tar,
    write_zip,
)

GOOD_TT = "tt9900901"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """The well-behaved file given in every batch."""
    path = tmp_path / "good" / "Movie0.txt"
    path.parent.mkdir()
    path.write_bytes(good_movie(GOOD_TT))
    return path


@pytest.fixture
def memory() -> Iterator[list[int]]:
    """Peak bytes allocated by Python during the test, in ``memory[0]`` at the end."""
    peak = [0]
    tracemalloc.start()
    yield peak
    tracemalloc.stop()


def run_batch(
    paths: list[Path], limits: IngestLimits | None = None
) -> tuple[IngestReport, list[Problem], set[str]]:
    """Ingest ``paths`` in one batch; the report, the problems and the movie ids stored."""
    store = open_store(":memory:")
    problems: list[Problem] = []
    sources, errors = discover(paths, limits=limits)
    report = ingest(sources, store, unreadable=errors, on_problem=problems.append)
    stored = {movie.movie_id for movie in store.iter_movies()}
    return report, problems, stored


def messages(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def peak_mib() -> float:
    return tracemalloc.get_traced_memory()[1] / MIB


# --- path traversal -------------------------------------------------------------------

TRAVERSAL = ["../escape.txt", "/etc/cron.d/Movie0.txt", "a/../../b.txt", "C:/Windows/x.txt"]


@pytest.mark.parametrize("writer", [write_tar, write_zip])
def test_traversal_names_are_refused_and_the_rest_is_ingested(
    tmp_path: Path, good: Path, writer: object
) -> None:
    members: dict[str, bytes | int] = {name: good_movie("tt9900911") for name in TRAVERSAL}
    members["Group1/Movie0.txt"] = good_movie("tt9900912")
    suffix = ".tar.gz" if writer is write_tar else ".zip"
    archive = writer(tmp_path / f"evil{suffix}", members)  # type: ignore[operator]
    report, problems, stored = run_batch([archive, good])
    assert stored == {"tt9900912", GOOD_TT}
    text = messages(problems)
    for name in TRAVERSAL:
        assert f"unsafe member name {name!r} skipped" in text
    assert not report.clean
    assert not (tmp_path.parent / "escape.txt").exists()


def test_backslash_traversal_in_zip_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "evil.zip", {"..\\..\\x.txt": b"x", "ok.txt": b"y"})
    items = list(iter_members(archive))
    assert [i.name for i in items if isinstance(i, ArchiveMember)] == ["ok.txt"]
    assert any(isinstance(i, Problem) and "unsafe member" in i.message for i in items)


# --- decompression bombs ----------------------------------------------------------------

BOMB_LIMITS = IngestLimits(max_ratio=50)


def test_zip_bomb_member_is_skipped_from_its_header_and_later_members_read(
    tmp_path: Path, good: Path, memory: list[int]
) -> None:
    archive = write_zip(
        tmp_path / "bomb.zip",
        {
            "Group1/Movie0.txt": good_movie("tt9900921"),
            "Group1/Movie1.txt": 32 * MIB,
            "Group1/Movie2.txt": good_movie("tt9900922"),
        },
    )
    tracemalloc.reset_peak()
    _report, problems, stored = run_batch([archive, good], BOMB_LIMITS)
    assert peak_mib() < 16, "the bomb was inflated"
    assert stored == {"tt9900921", "tt9900922", GOOD_TT}
    (problem,) = problems
    assert problem.source_file == str(archive)
    assert "member Group1/Movie1.txt expands" in problem.message
    assert "compression ratio limit of 50" in problem.message
    assert "(raise --max-ratio); skipped" in problem.message


def test_tar_gz_bomb_stops_the_archive_early_and_the_batch_goes_on(
    tmp_path: Path, good: Path, memory: list[int]
) -> None:
    archive = write_tar(
        tmp_path / "bomb.tar.gz",
        {"Group1/Movie0.txt": good_movie("tt9900931"), "Group1/Movie1.txt": 48 * MIB},
    )
    tracemalloc.reset_peak()
    start = time.perf_counter()
    _report, problems, stored = run_batch([archive, good], BOMB_LIMITS)
    elapsed = time.perf_counter() - start
    assert peak_mib() < 16
    assert stored == {"tt9900931", GOOD_TT}
    (problem,) = problems
    assert "archive expands" in problem.message and "(raise --max-ratio)" in problem.message
    assert problem.message.endswith("stopped")
    # 48 MiB inflated would take longer; the ratio trips after a few MiB
    assert elapsed < 5


def test_member_declared_over_the_size_limit_is_skipped_unread(tmp_path: Path, good: Path) -> None:
    limits = IngestLimits(max_file_bytes=1 * MIB)
    for name, writer in (("big.tar.gz", write_tar), ("big.zip", write_zip)):
        archive = writer(
            tmp_path / name,
            {"Group1/Movie0.txt": 2 * MIB, "Group1/Movie1.txt": good_movie("tt9900941")},
        )
        _, problems, stored = run_batch([archive, good], limits)
        assert stored == {"tt9900941", GOOD_TT}
        (problem,) = problems
        assert problem.message == (
            "member Group1/Movie0.txt is 2.0 MiB, over the limit of 1.0 MiB per file "
            "(raise --max-file-bytes); skipped"
        )


def test_archive_total_limit_stops_reading(tmp_path: Path) -> None:
    padded = [good_movie(f"tt99009{i}5") + b" " * 600_000 for i in range(4)]
    members: dict[str, bytes | int] = {f"G/Movie{i}.txt": data for i, data in enumerate(padded)}
    limits = IngestLimits(max_archive_bytes=1 * MIB)
    for archive in (
        write_zip(tmp_path / "big.zip", members),
        write_tar(tmp_path / "big.tar", members, mode="w"),
    ):
        _, problems, stored = run_batch([archive], limits)
        assert "tt9900905" in stored and "tt9900935" not in stored
        (problem,) = problems
        assert "archive holds more than 1.0 MiB uncompressed" in problem.message
        assert problem.message.endswith("(raise --max-archive-bytes); stopped")


def test_fast_tar_scan_applies_the_limits(tmp_path: Path, memory: list[int]) -> None:
    archive = write_tar(tmp_path / "acl.tar.gz", {"a/urls_pos.txt": b"x", "a/big.txt": 40 * MIB})
    tracemalloc.reset_peak()
    items = list(scan_tar(archive, lambda name: True, limits=BOMB_LIMITS))
    assert peak_mib() < 16
    assert items[0] == ("a/urls_pos.txt", b"x")
    assert isinstance(items[-1], Problem) and "(raise --max-ratio)" in items[-1].message
    small = IngestLimits(max_file_bytes=1 * MIB, max_ratio=1000)
    items = list(scan_tar(archive, lambda name: True, limits=small))
    assert isinstance(items[-1], Problem) and "member a/big.txt is 40.0 MiB" in items[-1].message


def test_aclimdb_archive_with_a_bomb_is_bounded(tmp_path: Path, good: Path) -> None:
    archive = write_tar(
        tmp_path / "acl.tar.gz",
        {
            "aclImdb/train/pos/0_9.txt": b"Lovely.",
            "aclImdb/train/urls_pos.txt": b"http://www.imdb.com/title/tt9900951/\n",
            "aclImdb/train/neg/0_1.txt": 40 * MIB,
        },
    )
    _, problems, stored = run_batch([archive, good], BOMB_LIMITS)
    assert stored == {"tt9900951", GOOD_TT}
    assert any("(raise --max-ratio)" in p.message for p in problems)


# --- many tiny members --------------------------------------------------------------------


def test_tar_with_too_many_members_stops_at_the_limit(tmp_path: Path, good: Path) -> None:
    archive = write_many_tar(tmp_path / "many.tar.gz", 300, good_movie("tt9900961"))
    report, problems, stored = run_batch([archive, good], IngestLimits(max_files=200))
    assert stored == {"tt9900961", GOOD_TT}
    assert report.files_read == 201  # 200 members and the good file
    (problem,) = problems
    assert problem.message == (
        "more than 200 members, the limit per archive or folder (raise --max-files); stopped"
    )


def test_archive_of_broken_members_stops_at_the_problem_limit(tmp_path: Path, good: Path) -> None:
    archive = write_many_tar(tmp_path / "empty.tar.gz", 300)
    report, problems, stored = run_batch([archive, good], IngestLimits(max_problems=50))
    assert stored == {GOOD_TT}
    assert len(problems) == 51  # 50 "empty file" and the limit itself
    assert report.failed == [
        f"{archive}: more than 50 problems, the limit per input; stopped (raise --max-problems)"
    ]


def test_table_of_bad_rows_stops_at_the_problem_limit(tmp_path: Path) -> None:
    from reelsense.sources import parse_mapping

    table = tmp_path / "bad.csv"
    table.write_text("body,stars\n" + "fine,ten\n" * 100)
    store = open_store(":memory:")
    mapping = parse_mapping(["text=body", "rating=stars", "movie=body"])
    sources, _ = discover([table], mapping=mapping, limits=IngestLimits(max_problems=20))
    report = ingest(sources, store)
    assert report.problems == 21
    assert "more than 20 problems" in report.failed[0]


def test_zip_with_too_many_members_is_refused_before_its_directory_is_loaded(
    tmp_path: Path, good: Path
) -> None:
    archive = write_many_zip(tmp_path / "many.zip", 300, good_movie("tt9900962"))
    report, _problems, stored = run_batch([archive, good], IngestLimits(max_files=200))
    assert stored == {GOOD_TT}
    assert report.failed == [
        f"{archive}: more than 200 members, the limit per archive or folder (raise --max-files)"
    ]


def test_folder_with_too_many_files_reads_up_to_the_limit(tmp_path: Path, good: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    for number in range(12):
        (tree / f"Movie{number}.txt").write_bytes(good_movie(f"tt99009{70 + number}"))
    _report, problems, stored = run_batch([tree, good], IngestLimits(max_files=10))
    assert len(stored) == 11 and GOOD_TT in stored
    (problem,) = problems
    assert "more than 10 files" in problem.message and "the rest not read" in problem.message


# --- a huge single file ---------------------------------------------------------------------


def test_sparse_2gb_crawler_file_is_refused_without_reading(
    tmp_path: Path, good: Path, memory: list[int]
) -> None:
    huge = write_sparse(tmp_path / "Movie1.txt", 2 << 30)
    tracemalloc.reset_peak()
    start = time.perf_counter()
    report, _problems, stored = run_batch([huge, good])
    assert time.perf_counter() - start < 5
    assert peak_mib() < 16
    assert stored == {GOOD_TT}
    assert report.failed == [
        f"{huge}: file is 2.0 GiB, over the limit of 64.0 MiB per file (raise --max-file-bytes)"
    ]


def test_sparse_table_with_one_endless_line_is_refused(
    tmp_path: Path, good: Path, memory: list[int]
) -> None:
    from reelsense.sources import parse_mapping

    for name in ("huge.csv", "huge.jsonl"):
        huge = write_sparse(tmp_path / name, 2 << 30)
        tracemalloc.reset_peak()
        store = open_store(":memory:")
        limits = IngestLimits(max_line_bytes=1 * MIB)
        sources, errors = discover(
            [huge, good], mapping=parse_mapping(["text=body"]), limits=limits
        )
        report = ingest(sources, store, unreadable=errors)
        assert peak_mib() < 32
        assert report.movies == 1
        (failure,) = report.failed
        assert "line 1 is longer than 1.0 MiB, the limit per line" in failure
        assert "(raise --max-line-bytes)" in failure


# --- folder trees: links, loops, pipes, depth ---------------------------------------------


def test_symlink_loops_and_links_out_of_the_tree_are_refused(tmp_path: Path, good: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(good_movie("tt9900981"))
    tree = tmp_path / "tree"
    (tree / "Group1").mkdir(parents=True)
    (tree / "Group1" / "Movie0.txt").write_bytes(good_movie("tt9900982"))
    (tree / "Group1" / "Movie1.txt").symlink_to(secret)
    (tree / "Group1" / "Movie2.txt").symlink_to(tree / "Group1" / "Movie3.txt")
    (tree / "Group1" / "Movie3.txt").symlink_to(tree / "Group1" / "Movie2.txt")
    (tree / "Group1" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tree / "Group1" / "self").symlink_to(tree, target_is_directory=True)
    (tree / "Group1" / "zero.txt").symlink_to("/dev/zero")
    (tree / "Group1" / "Movie4.txt").symlink_to(tree / "Group1" / "Movie0.txt")
    report, _problems, stored = run_batch([tree, good])
    assert stored == {"tt9900982", GOOD_TT}
    text = "\n".join(report.failed)
    assert f"{tree}/Group1/Movie1.txt: symbolic link to {secret}, outside {tree}" in text
    assert f"{tree}/Group1/Movie2.txt: symbolic link loop; skipped" in text
    assert f"{tree}/Group1/up: symbolic link to {tmp_path}, outside" in text
    assert "zero.txt: symbolic link to /dev/zero" in text
    assert "Group1/self" not in text  # a link inside the tree: already walked
    assert len(report.failed) == 5


def test_fifo_is_refused_without_blocking(tmp_path: Path, good: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    make_fifo(tree / "Movie0.txt")
    alone = make_fifo(tmp_path / "pipe.txt")
    report, _, stored = run_batch([tree, alone, good])
    assert stored == {GOOD_TT}
    assert sorted(report.failed) == [
        f"{alone}: a FIFO, not a file; skipped",
        f"{tree}/Movie0.txt: a FIFO, not a file; skipped",
    ]


def test_device_given_on_the_command_line_is_refused(good: Path) -> None:
    report, _, stored = run_batch([Path("/dev/zero"), good])
    assert stored == {GOOD_TT}
    assert report.failed == ["/dev/zero: a device, not a file; skipped"]


def test_explicit_symlink_loop_is_named(tmp_path: Path, good: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    report, _, stored = run_batch([loop, good])
    assert stored == {GOOD_TT}
    assert report.failed == [f"{loop}: symbolic link loop"]


def test_deep_folder_tree_stops_at_the_depth_limit(tmp_path: Path, good: Path) -> None:
    deep = tmp_path / "tree"
    for _ in range(6):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "Movie0.txt").write_bytes(good_movie("tt9900991"))
    (tmp_path / "tree" / "Movie0.txt").write_bytes(good_movie("tt9900992"))
    report, _, stored = run_batch([tmp_path / "tree", good], IngestLimits(max_depth=3))
    assert stored == {"tt9900992", GOOD_TT}
    (failure,) = report.failed
    assert "subfolders are more than 3 levels deep; not read (raise --max-depth)" in failure


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[Path]:
    """``tree/d/d/.../d``, 1000 levels: more than Python's recursion limit."""
    top = tmp_path / "tree"
    levels = [top]
    for _ in range(1000):
        levels.append(levels[-1] / "d")
    for level in levels:  # mkdir(parents=True) recurses once per level too
        level.mkdir()
    yield top
    # shutil.rmtree (and so pytest's cleanup) recurses once per level: remove bottom-up
    for level in reversed(levels):
        level.rmdir()


def test_a_thousand_levels_deep_does_not_crash(chain: Path, good: Path) -> None:
    report, _, stored = run_batch([chain, good])
    assert stored == {GOOD_TT}
    assert "more than 32 levels deep" in report.failed[0]


def test_refused_source_raises_its_reason(tmp_path: Path) -> None:
    source = RefusedSource(tmp_path / "x", "symbolic link loop; skipped")
    with pytest.raises(SourceError, match="symbolic link loop"):
        list(source.records())


def test_open_sources_passes_the_limits_on(tmp_path: Path) -> None:
    path = tmp_path / "Movie0.txt"
    path.write_bytes(good_movie("tt9900993"))
    (source,) = open_sources([path], limits=IngestLimits(max_file_bytes=10))
    with pytest.raises(LimitError) as caught:
        list(source.records())
    assert caught.value.option == "--max-file-bytes"


# --- the limits themselves -------------------------------------------------------------


def test_limits_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="max_files must be positive"):
        IngestLimits(max_files=0)


@pytest.mark.parametrize(
    "text,size",
    [("5000", 5000), ("64M", 64 * MIB), ("64MiB", 64 * MIB), ("2GB", 2 << 30), ("1.5k", 1536)],
)
def test_parse_size_reads_units(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-3M", "0"])
def test_parse_size_rejects_nonsense(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_size(text)


def test_errors_survive_pickling_between_processes() -> None:
    import pickle

    error = LimitError("a.zip", "member x is big", "--max-file-bytes")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.option) == (LimitError, str(error), "--max-file-bytes")
    plain = pickle.loads(pickle.dumps(SourceError("a.txt", 3, "bad")))
    assert (plain.path, plain.line, plain.problem) == ("a.txt", 3, "bad")
