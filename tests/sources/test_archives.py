"""Streaming archive members: zip, tar, tar.gz; unsafe names; corrupt archives."""

from __future__ import annotations

import io
import random
import string
import tarfile
import zipfile
from pathlib import Path

import pytest

from reelsense.errors import SourceError
from reelsense.records import Movie, Problem, Review
from reelsense.sources.archives import ArchiveMember, ArchiveReader, iter_members, scan_tar
from reelsense.sources.crawler_source import CrawlerArchiveSource

CRAWLER = (
    "<movie>\n\t<title>Paper Moon River</title>\n"
    "\t<link>http://www.imdb.com/title/{tt}/</link>\n\t<year>1990</year>\n"
    "\t<generalScore>0.7</generalScore>\n"
    "\t<review>\n\t\t<date>2001-02-03</date>\n\t\t<username>rowan</username>\n"
    "\t\t<score>0.8</score>\n\t\t<shortDescription>Nice</shortDescription>\n"
    "\t\t<fullReview>A gentle river film. 8/10</fullReview>\n\t</review>\n</movie>\n"
)
TREE = {
    "Group1/Movie0.txt": CRAWLER.format(tt="tt9900201"),
    "Group1/Movie1.txt": CRAWLER.format(tt="tt9900202"),
    "Group2/Movie0.txt": CRAWLER.format(tt="tt9900203"),
}


def write_tar(path: Path, files: dict[str, str], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as archive:  # type: ignore[call-overload]
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def write_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def member_texts(path: Path) -> dict[str, bytes]:
    result: dict[str, bytes] = {}
    for item in iter_members(path):
        if isinstance(item, ArchiveMember):
            result[item.name] = item.stream.read()
    return result


@pytest.mark.parametrize("suffix,mode", [(".tar.gz", "w:gz"), (".tgz", "w:gz"), (".tar", "w")])
def test_tar_members_stream_in_order(tmp_path: Path, suffix: str, mode: str) -> None:
    path = write_tar(tmp_path / f"c{suffix}", TREE, mode)
    texts = member_texts(path)
    assert list(texts) == list(TREE)
    assert texts["Group1/Movie1.txt"] == TREE["Group1/Movie1.txt"].encode()


def test_zip_members_stream_in_order(tmp_path: Path) -> None:
    texts = member_texts(write_zip(tmp_path / "c.zip", TREE))
    assert list(texts) == list(TREE)


def test_directories_and_symlinks_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.tar"
    with tarfile.open(path, "w") as archive:
        folder = tarfile.TarInfo("Group1")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
        link = tarfile.TarInfo("Group1/link.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
        data = b"hello"
        info = tarfile.TarInfo("Group1/Movie0.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    assert member_texts(path) == {"Group1/Movie0.txt": b"hello"}


@pytest.mark.parametrize("bad", ["../escape.txt", "/abs/Movie0.txt", "a/../../b.txt"])
def test_path_traversal_member_is_reported_and_skipped(tmp_path: Path, bad: str) -> None:
    files = {bad: "x", "Group1/Movie0.txt": "y"}
    for path in (write_tar(tmp_path / "c.tar.gz", files), write_zip(tmp_path / "c.zip", files)):
        items = list(iter_members(path))
        problems = [i for i in items if isinstance(i, Problem)]
        names = [i.name for i in items if isinstance(i, ArchiveMember)]
        assert names == ["Group1/Movie0.txt"]
        assert len(problems) == 1 and "unsafe member name" in problems[0].message


@pytest.mark.parametrize("name", ["broken.zip", "broken.tar.gz", "broken.tar"])
def test_unreadable_archive_raises_source_error_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"this is not an archive at all" * 40)
    with pytest.raises(SourceError) as caught:
        list(iter_members(path))
    assert caught.value.path == str(path)


def test_truncated_tar_gz_keeps_what_was_read_and_reports(tmp_path: Path) -> None:
    files = {f"Group1/Movie{i}.txt": CRAWLER.format(tt=f"tt99003{i:02d}") * 30 for i in range(6)}
    path = write_tar(tmp_path / "c.tar.gz", files)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    source = CrawlerArchiveSource(path)
    records = list(source.records())
    problems = [r for r in records if isinstance(r, Problem)]
    assert any(isinstance(r, Movie) for r in records)
    assert problems, "a cut-off archive must be reported"
    assert str(path) in str(problems[-1])


def test_corrupt_zip_member_is_reported_and_stops(tmp_path: Path) -> None:
    rng = random.Random(0)
    noise = "".join(rng.choice(string.ascii_letters) for _ in range(5000))
    files = {"Group1/Movie0.txt": TREE["Group1/Movie0.txt"], "Group1/Movie1.txt": noise}
    path = write_zip(tmp_path / "c.zip", files)
    data = bytearray(path.read_bytes())
    second = data.find(b"Group1/Movie1.txt") + len("Group1/Movie1.txt") + 100
    data[second : second + 20] = b"\xff" * 20
    path.write_bytes(bytes(data))
    records = list(CrawlerArchiveSource(path).records())
    assert sum(isinstance(r, Review) for r in records) == 1
    assert isinstance(records[-1], Problem)
    assert "corrupt archive" in records[-1].message


def test_crawler_archive_keeps_group_and_position(tmp_path: Path) -> None:
    for path in (write_tar(tmp_path / "c.tar.gz", TREE), write_zip(tmp_path / "c.zip", TREE)):
        source = CrawlerArchiveSource(path)
        movies = [r for r in source.records() if isinstance(r, Movie)]
        assert [(m.group, m.position) for m in movies] == [
            ("Group1", 0),
            ("Group1", 1),
            ("Group2", 0),
        ]
        assert movies[1].source_file == f"{path}/Group1/Movie1.txt"
        assert source.files_read == 3
        assert source.position > 0


def test_reader_position_reaches_archive_size(tmp_path: Path) -> None:
    path = write_tar(tmp_path / "c.tar.gz", TREE)
    reader = ArchiveReader(path)
    for item in reader.members():
        if isinstance(item, ArchiveMember):
            item.stream.read()
    assert reader.position == reader.size == path.stat().st_size


def test_fast_tar_scan_matches_tarfile(tmp_path: Path) -> None:
    long_name = "deep/" + "x" * 120 + "/Movie0.txt"
    files = {**TREE, long_name: "long", "skip/me.bin": "binary"}
    for mode, name in (("w:gz", "c.tar.gz"), ("w", "c.tar")):
        path = write_tar(tmp_path / name, files, mode)
        got = dict(
            item  # type: ignore[misc]
            for item in scan_tar(path, lambda member: member.endswith(".txt"))
        )
        assert got == {n: t.encode() for n, t in files.items() if n.endswith(".txt")}


def test_fast_tar_scan_reports_truncation(tmp_path: Path) -> None:
    path = write_tar(tmp_path / "c.tar.gz", {f"m{i}.txt": "abc" * 3000 for i in range(20)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = list(scan_tar(path, lambda member: True))
    assert isinstance(items[-1], Problem)
    assert len(items) > 1


# --- regressions found by benchmarks/fuzz.py (aclImdb target, damaged archives) ----


def _two_member_tar() -> bytearray:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name in ("a.txt", "b.txt"):
            info = tarfile.TarInfo(name)
            info.size = 3
            archive.addfile(info, io.BytesIO(b"abc"))
    return bytearray(out.getvalue())


def test_scan_tar_non_octal_checksum_is_a_problem_not_a_value_error(tmp_path: Path) -> None:
    data = _two_member_tar()
    data[1024 + 150] = ord("9")  # the second header's checksum field
    path = tmp_path / "a.tar"
    path.write_bytes(bytes(data))
    items = list(scan_tar(path, lambda name: True))
    assert items[0] == ("a.txt", b"abc")
    assert items[1:] == [
        Problem(str(path), None, "corrupt archive: bad tar header checksum; stopped")
    ]


def test_scan_tar_non_octal_size_is_a_problem_not_a_value_error(tmp_path: Path) -> None:
    data = _two_member_tar()
    header = 1024
    data[header + 126] = ord("9")  # the size field, then a checksum that matches
    data[header + 148 : header + 156] = b" " * 8
    data[header + 148 : header + 156] = b"%06o\0 " % sum(data[header : header + 512])
    path = tmp_path / "a.tar"
    path.write_bytes(bytes(data))
    items = list(scan_tar(path, lambda name: True))
    assert items[1:] == [Problem(str(path), None, "corrupt archive: bad member size; stopped")]
