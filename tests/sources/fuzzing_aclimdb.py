"""Hostile aclImdb trees and archives for :class:`~reelsense.sources.aclimdb.AclImdbSource`.

A tree holds review files with odd names and bytes, URL lists that are
missing, short or damaged, and the archive form of the same tree (reviews
before URL lists, as in the published archive), sometimes cut off or with
bytes changed. The accounting invariant: every file not starting with ``.``
in a ``{train,test}/{pos,neg,unsup}`` folder (or archive member there) gives
one review or a problem naming that file.
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
from pathlib import Path

from hypothesis import strategies as st

from reelsense.errors import ReelsenseError
from reelsense.records import Problem, Record, Review
from reelsense.sources.aclimdb import AclImdbSource
from tests.sources.fuzzing import check_record_values

FOLDERS = [("train", "pos"), ("train", "neg"), ("test", "pos"), ("test", "neg"), ("train", "unsup")]
NAMES = ["0_9.txt", "1_7.txt", "2_1.txt", "3_0.txt", "4_11.txt", "01_7.txt", "9_10.txt"]
NAMES += ["x.txt", "12.txt", "1_2.txt~", "1_7.TXT", "5_" + "9" * 5000 + ".txt"]
URL_LINES = ["http://www.imdb.com/title/tt9900301/usercomments", "", "tt", "\x00tt12"]
URL_LINES += ["http://www.imdb.com/title/tt9900302/", "not a url", "\ufffd", "tt1\u2028tt2", "\x85"]

Tree = list[tuple[str, bytes]]


@st.composite
def aclimdb_trees(draw: st.DrawFn) -> Tree:
    """Member names (under ``aclImdb/``) and contents, reviews before URL lists."""
    members: Tree = []
    urls: Tree = []
    for folder, label in draw(st.lists(st.sampled_from(FOLDERS), min_size=1, unique=True)):
        for name in draw(st.lists(st.sampled_from(NAMES), max_size=4, unique=True)):
            data = draw(st.one_of(st.binary(max_size=40), st.text(max_size=40).map(str.encode)))
            members.append((f"aclImdb/{folder}/{label}/{name}", data))
        if draw(st.integers(0, 4)):
            lines = draw(st.lists(st.sampled_from(URL_LINES), max_size=6))
            data = "\n".join(lines).encode() + draw(st.sampled_from([b"", b"\n", b"\xff\r\n"]))
            urls.append((f"aclImdb/{folder}/urls_{label}.txt", data))
    return members + urls


def _tar_bytes(tree: Tree) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        for name, data in tree:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


@st.composite
def aclimdb_inputs(draw: st.DrawFn) -> tuple[Tree, str, bytes]:
    """A tree, how to present it (``folder``, ``archive``, ``damaged``) and archive bytes."""
    tree = draw(aclimdb_trees())
    kind = draw(st.sampled_from(["folder", "archive", "damaged"]))
    data = b""
    if kind != "folder":
        data = _tar_bytes(tree)
    if kind == "damaged":
        damaged = bytearray(data)
        for _ in range(draw(st.integers(1, 3))):
            if not damaged:
                break
            at = draw(st.integers(0, len(damaged) - 1))
            if draw(st.booleans()):
                damaged[at] ^= draw(st.integers(1, 255))
            else:
                del damaged[at:]
        data = bytes(damaged)
    return tree, kind, data


def _review_files(tree: Tree) -> list[str]:
    """The member names that must each give a review or a problem."""
    names = []
    for name, _ in tree:
        parts = name.split("/")
        if (parts[1], parts[2]) in FOLDERS and not parts[3].startswith("."):
            names.append(name)
    return names


def check_aclimdb(tree: Tree, kind: str, data: bytes, folder: Path) -> list[Record]:
    """Read the tree as a folder or an archive and assert the reader's invariants."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if kind == "folder":
        tree = [(name, content) for name, content in tree if len(name) < 200]  # NAME_MAX
        for name, content in tree:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        path = folder / "aclImdb"
    else:
        path = folder / "aclImdb_v1.tar.gz"
        path.write_bytes(data)
    try:
        records = list(AclImdbSource(path).records())
    except ReelsenseError:
        return []
    check_record_values(records, str(path))
    for record in records:
        if isinstance(record, Review) and record.label is None:
            assert record.rating is None, "unlabelled reviews have no rating"
    if kind != "damaged":
        named = {r.source_file for r in records if isinstance(r, Review | Problem)}
        prefix = f"{folder}/" if kind == "folder" else f"{path}/"
        for name in _review_files(tree):
            assert f"{prefix}{name}" in named, f"{name} left no review or problem"
        files = [r.source_file for r in records if isinstance(r, Review)]
        assert len(files) == len(set(files)), "a file gave two reviews"
        _check_movie_ids(tree, records)
    return records


def _check_movie_ids(tree: Tree, records: list[Record]) -> None:
    """Review ``ID`` gets the movie of line ``ID`` of its ``urls_*.txt`` (lines end at ``\\n``)."""
    urls: dict[tuple[str, str], list[str]] = {}
    for name, data in tree:
        found = re.search(r"(train|test)/urls_(pos|neg|unsup)\.txt$", name)
        if found:
            lines = data.decode("utf-8", errors="replace").split("\n")
            urls[(found.group(1), found.group(2))] = [line.rstrip("\r") for line in lines]
    for review in (r for r in records if isinstance(r, Review)):
        assert review.external_id is not None
        _, folder, label, _ = review.external_id.split("/")
        line = urls[(folder, label)][review.position]
        assert review.movie_id in line, (review.movie_id, line)
