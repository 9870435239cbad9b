"""open_sources: which paths become which sources."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

import pytest

import reelsense.sources as sources
from reelsense.errors import SourceError
from reelsense.records import Movie, Review
from reelsense.sources import (
    AclImdbSource,
    CrawlerArchiveSource,
    CrawlerFileSource,
    TabularSource,
    open_sources,
    parse_mapping,
)

EXAMPLES = Path(__file__).parents[2] / "examples" / "corpus"
CRAWLER = (
    "<movie>\n\t<title>Kite Season</title>\n\t<link>http://www.imdb.com/title/{tt}/</link>\n"
    "\t<year>2003</year>\n\t<generalScore>0.6</generalScore>\n\t<review>\n"
    "\t\t<date>2004-01-01</date>\n\t\t<username>kiter</username>\n\t\t<score>0.6</score>\n"
    "\t\t<shortDescription>Fine</shortDescription>\n\t\t<fullReview>Fine film.</fullReview>\n"
    "\t</review>\n</movie>\n"
)


def write_group_tree(root: Path) -> Path:
    for group, count in (("Group1", 2), ("Group2", 1), ("Group10", 1)):
        for k in range(count):
            path = root / group / f"Movie{k}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(CRAWLER.format(tt=f"tt99005{len(group)}{k}"), encoding="utf-8")
    return root


def test_folder_of_groups_gives_one_source_per_file_in_natural_order(tmp_path: Path) -> None:
    found = list(open_sources([write_group_tree(tmp_path / "corpus")]))
    assert all(isinstance(s, CrawlerFileSource) for s in found)
    names = [s.path.relative_to(tmp_path / "corpus").as_posix() for s in found]
    assert names == [
        "Group1/Movie0.txt",
        "Group1/Movie1.txt",
        "Group2/Movie0.txt",
        "Group10/Movie0.txt",
    ]
    movie = next(r for r in found[1].records() if isinstance(r, Movie))
    assert (movie.group, movie.position) == ("Group1", 1)


def test_example_corpus_reads_two_groups() -> None:
    movies: list[Movie] = []
    count = 0
    for source in open_sources([EXAMPLES]):
        for record in source.records():
            if isinstance(record, Movie):
                movies.append(record)
            elif isinstance(record, Review):
                count += 1
    assert [(m.group, m.position) for m in movies] == [
        ("Group1", 0),
        ("Group1", 1),
        ("Group1", 2),
        ("Group2", 0),
        ("Group2", 1),
    ]
    assert count == 30


def test_archive_of_groups_is_one_source(tmp_path: Path) -> None:
    tree = write_group_tree(tmp_path / "corpus")
    zipped = tmp_path / "corpus.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(tree.rglob("*.txt")):
            archive.write(path, path.relative_to(tree).as_posix())
    tarred = tmp_path / "corpus.tgz"
    with tarfile.open(tarred, "w:gz") as archive:
        archive.add(tree, arcname="corpus")
    for path in (zipped, tarred):
        (source,) = open_sources([path])
        assert isinstance(source, CrawlerArchiveSource)
        movies = [r for r in source.records() if isinstance(r, Movie)]
        assert sorted((m.group, m.position) for m in movies) == [
            ("Group1", 0),
            ("Group1", 1),
            ("Group10", 0),
            ("Group2", 0),
        ]


def test_aclimdb_folder_and_archive_are_detected(tmp_path: Path) -> None:
    root = tmp_path / "data" / "aclImdb"
    (root / "train" / "pos").mkdir(parents=True)
    (root / "train" / "pos" / "0_9.txt").write_text("Good.")
    (root / "train" / "urls_pos.txt").write_text("http://www.imdb.com/title/tt9900601/x\n")
    (source,) = open_sources([tmp_path / "data"])
    assert isinstance(source, AclImdbSource)
    archive = tmp_path / "acl.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname="aclImdb")
    (source,) = open_sources([archive])
    assert isinstance(source, AclImdbSource)
    assert sum(isinstance(r, Review) for r in source.records()) == 1


def test_table_needs_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("body\nNice.\n")
    with pytest.raises(SourceError, match="--map"):
        list(open_sources([path]))
    (source,) = open_sources([path], mapping=parse_mapping(["text=body"]))
    assert isinstance(source, TabularSource)


def test_crawler_file_without_txt_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "movie.xml"
    path.write_text("\n  " + CRAWLER.format(tt="tt9900701"))
    (source,) = open_sources([path])
    assert isinstance(source, CrawlerFileSource)


def test_unknown_file_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# just notes\n")
    with pytest.raises(SourceError, match="not a review file"):
        list(open_sources([path]))


def test_missing_path_is_a_source_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(SourceError) as caught:
        list(open_sources([missing]))
    assert str(caught.value) == f"{missing}: no such file or directory"


def test_folder_without_review_files_is_a_source_error(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "sub" / "image.png").write_bytes(b"\x89PNG....")
    with pytest.raises(SourceError, match="no review files found"):
        list(open_sources([tmp_path / "empty"]))


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    tree = write_group_tree(tmp_path / "corpus")
    (tree / "Group1" / "loop").symlink_to(tree, target_is_directory=True)
    found = list(open_sources([tree]))
    assert len(found) == 4


def test_open_sources_reads_nothing_but_the_sniff(tmp_path: Path) -> None:
    tree = write_group_tree(tmp_path / "corpus")
    found = list(open_sources([tree]))
    assert all(s.files_read == 0 and s.position == 0 for s in found)


def test_public_names_are_exported() -> None:
    for name in sources.__all__:
        assert hasattr(sources, name), name
