"""Hostile inputs at full size through ``reelsense ingest``, with the default limits.

Each attack is ingested in one batch together with a well-formed crawler file,
by the real command in a fresh process. Printed per attack: wall time, peak
RSS (the command and its reader process, sampled every 20 ms), exit status,
the message naming the attack (the limit's, when one was hit), the number of problem lines, and
whether the good file of the same batch was stored. The first row (two good
files) is the cost of starting the command; inputs over 20 MB (a sparse
file, say) add a second, reader process of about the same size.

The attacks: member names escaping the archive (zip, tar.gz); a 4 GiB member
of zeros (zip, tar.gz: a decompression bomb); 64 members of 60 MiB zeros
each, every one under the size limit (zip); a million empty members (zip,
tar.gz); a 2 GiB sparse file (crawler ``.txt``, and a ``.csv`` of one
endless line); a folder with a symlink loop, links out of the tree and to
``/dev/zero``, and a FIFO; a folder 1000 levels deep.

Inputs are built in a temporary folder (about 350 MB of disk, a few
minutes, mostly compressing zeros) and removed afterwards.

    .venv/bin/python benchmarks/attacks.py [--only bomb-tar.gz,million-zip] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.sources.hostile import (
    good_movie,
    make_fifo,
    write_many_tar,
    write_many_zip,
    write_sparse,
    write_tar,
    write_zip,
)

from reelsense.sources.limits import GIB, MIB

GOOD_TT = "tt9909999"
MILLION = 1_000_000


@dataclass(frozen=True)
class Attack:
    """One hostile input: how to build it and the extra options it needs."""

    name: str
    build: Callable[[Path], Path]
    options: tuple[str, ...] = ()


def traversal(suffix: str) -> Callable[[Path], Path]:
    names = ["../escape.txt", "/etc/cron.d/Movie0.txt", "a/../../b.txt", "C:/Windows/x.txt"]
    members: dict[str, bytes | int] = {name: good_movie("tt9909001") for name in names}
    members["Group1/Movie0.txt"] = good_movie("tt9909002")
    writer = write_zip if suffix == ".zip" else write_tar
    return lambda folder: writer(folder / f"traversal{suffix}", members)


def bomb(suffix: str) -> Callable[[Path], Path]:
    members: dict[str, bytes | int] = {"Group1/Movie0.txt": 4 * GIB}
    writer = write_zip if suffix == ".zip" else write_tar
    return lambda folder: writer(folder / f"bomb{suffix}", members)


def many_small_bombs(folder: Path) -> Path:
    members: dict[str, bytes | int] = {f"Group1/Movie{i}.txt": 60 * MIB for i in range(64)}
    return write_zip(folder / "bombs.zip", members)


def hostile_tree(folder: Path) -> Path:
    tree = folder / "tree"
    (tree / "Group1").mkdir(parents=True)
    secret = folder / "secret.txt"
    secret.write_bytes(good_movie("tt9909003"))
    (tree / "Group1" / "Movie0.txt").symlink_to(tree / "Group1" / "Movie1.txt")
    (tree / "Group1" / "Movie1.txt").symlink_to(tree / "Group1" / "Movie0.txt")
    (tree / "Group1" / "Movie2.txt").symlink_to(secret)
    (tree / "Group1" / "Movie3.txt").symlink_to("/dev/zero")
    (tree / "Group1" / "up").symlink_to(folder, target_is_directory=True)
    (tree / "Group1" / "loop").symlink_to(tree, target_is_directory=True)
    make_fifo(tree / "Group1" / "Movie4.txt")
    return tree


def deep_tree(folder: Path) -> Path:
    top = folder / "deep"
    level = top
    for _ in range(1001):  # iteratively: os.makedirs recurses once per level
        level.mkdir()
        level = level / "d"
    return top


def second_good_file(folder: Path) -> Path:
    path = folder / "also-good.txt"
    path.write_bytes(good_movie("tt9909004"))
    return path


ATTACKS = [
    Attack("baseline-two-good", second_good_file),
    Attack("traversal-zip", traversal(".zip")),
    Attack("traversal-tar.gz", traversal(".tar.gz")),
    Attack("bomb-zip", bomb(".zip")),
    Attack("bomb-tar.gz", bomb(".tar.gz")),
    Attack("bombs-under-size-zip", many_small_bombs),
    Attack("million-tar.gz", lambda folder: write_many_tar(folder / "many.tar.gz", MILLION)),
    Attack("million-zip", lambda folder: write_many_zip(folder / "many.zip", MILLION)),
    Attack("sparse-2g-txt", lambda folder: write_sparse(folder / "huge.txt", 2 * GIB)),
    Attack(
        "sparse-2g-csv",
        lambda folder: write_sparse(folder / "huge.csv", 2 * GIB),
        ("--map", "text=body"),
    ),
    Attack("symlinks-fifo-tree", hostile_tree),
    Attack("deep-1000-tree", deep_tree),
]


def reelsense_command() -> list[str]:
    script = Path(sys.executable).with_name("reelsense")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reelsense.cli.app"]


def peak_rss(process: subprocess.Popen[bytes]) -> tuple[float, int]:
    """Wait for ``process``; its wall time and peak RSS with its children (bytes)."""
    start = time.perf_counter()
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.02)
    return time.perf_counter() - start, peak


def run(attack: Attack, folder: Path) -> dict[str, str]:
    """Build one attack, ingest it with a good file, and describe what happened."""
    work = folder / attack.name
    work.mkdir()
    started = time.perf_counter()
    target = attack.build(work)
    built = time.perf_counter() - started
    good = work / "good.txt"
    good.write_bytes(good_movie(GOOD_TT))
    db = work / "reviews.db"
    command = [*reelsense_command(), "ingest", "--db", str(db), "--quiet"]
    command += [*attack.options, str(target), str(good)]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        seconds, rss = peak_rss(process)
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").splitlines()
    mentions = [line for line in lines if str(target) in line or target.name in line]
    # the limit's own message first; "cannot read ..." repeats it as a log line
    mentions.sort(key=lambda line: ("(raise --" not in line, line.startswith("cannot read")))
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("select count(*) from movies where movie_id = ?", (GOOD_TT,))
    return {
        "attack": attack.name,
        "built": f"{built:.1f}s",
        "seconds": f"{seconds:.2f}",
        "peak_rss": f"{rss / MIB:.0f} MiB",
        "exit": str(process.returncode),
        "good_stored": "yes" if stored[0] == 1 else "NO",
        "problem_lines": str(len(lines)),
        "message": (mentions[0] if mentions else (lines[0] if lines else "-")).replace(
            str(work) + "/", ""
        ),
    }


def remove(folder: Path) -> None:
    """Remove the work folder; the deep tree first, bottom-up (rmtree recurses per level)."""
    for deep in folder.glob("*/deep"):
        levels = [deep]
        while (levels[-1] / "d").is_dir():
            levels.append(levels[-1] / "d")
        for level in reversed(levels):
            level.rmdir()
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated attack names")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    chosen = [a for a in ATTACKS if not args.only or a.name in args.only.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="reelsense-attacks-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, default limits", flush=True)
    try:
        for attack in chosen:
            result = run(attack, folder)
            print(
                f"{result['attack']:<22} {result['seconds']:>7}s  {result['peak_rss']:>9}  "
                f"exit {result['exit']}  good stored: {result['good_stored']:<3}  "
                f"problem lines: {result['problem_lines']:>7}  (built in {result['built']})\n"
                f"    {result['message']}",
                flush=True,
            )
    finally:
        if args.keep is None:
            remove(folder)


if __name__ == "__main__":
    main()
