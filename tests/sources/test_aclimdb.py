"""The aclImdb layout: folder and archive, URLs after reviews, fields, splits."""

from __future__ import annotations

import io
import itertools
import tarfile
from pathlib import Path

import pytest

from reelsense.errors import ConfigError, SourceError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources.aclimdb import AclImdbSource, find_aclimdb_root, read_aclimdb

DATA = Path(__file__).parents[2].parent / "shared" / "data"
ARCHIVE = DATA / "aclImdb_v1.tar.gz"

URL = "http://www.imdb.com/title/{}/usercomments"

# (folder, label) -> {id: (rating, text)}; urls_{label}.txt line i is review i's movie.
REVIEWS: dict[tuple[str, str], dict[int, tuple[int, str]]] = {
    ("train", "pos"): {0: (9, "A warm little film.<br /><br />Loved it. 9/10"), 1: (8, "Good.")},
    ("train", "neg"): {0: (2, "Dreary and long."), 1: (3, "Weak script.")},
    ("test", "pos"): {0: (10, "Perfect from start to end."), 1: (7, "Quite nice.")},
    ("test", "neg"): {0: (1, "Awful."), 1: (4, "Not for me.")},
    ("train", "unsup"): {0: (0, "Saw it twice, no opinion yet."), 1: (0, "Hmm.")},
}
URLS: dict[tuple[str, str], list[str]] = {
    ("train", "pos"): [URL.format("tt9900301"), URL.format("tt9900302")],
    ("train", "neg"): [URL.format("tt9900301"), URL.format("tt9900303")],
    ("test", "pos"): [URL.format("tt9900304"), URL.format("tt9900304")],
    ("test", "neg"): [URL.format("tt9900305"), URL.format("tt9900306")],
    ("train", "unsup"): [URL.format("tt9900307"), URL.format("tt9900301")],
}


def layout() -> list[tuple[str, bytes]]:
    """Member names and contents in the real archive's order: reviews before urls."""
    members: list[tuple[str, bytes]] = [("aclImdb/README", b"fake readme")]
    for folder in ("test", "train"):
        for (f, label), reviews in REVIEWS.items():
            if f != folder:
                continue
            for review_id, (rating, text) in reviews.items():
                members.append((f"aclImdb/{f}/{label}/{review_id}_{rating}.txt", text.encode()))
        for (f, label), urls in URLS.items():
            if f == folder:
                members.append((f"aclImdb/{f}/urls_{label}.txt", "\n".join(urls).encode() + b"\n"))
    return members


def build_tree(root: Path) -> Path:
    for name, data in layout():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root / "aclImdb"


def build_archive(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in layout():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def reviews(records: list[Record]) -> list[Review]:
    return [r for r in records if isinstance(r, Review)]


@pytest.fixture(params=["folder", "archive"])
def dataset(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "folder":
        return build_tree(tmp_path)
    return build_archive(tmp_path / "aclImdb_v1.tar.gz")


def test_reads_every_review_with_its_fields(dataset: Path) -> None:
    records = list(read_aclimdb(dataset))
    got = {r.external_id: r for r in reviews(records)}
    assert len(got) == 10
    first = got["aclImdb/train/pos/0_9"]
    assert (first.movie_id, first.position, first.rating, first.split, first.label) == (
        "tt9900301",
        0,
        9.0,
        "train",
        "pos",
    )
    assert first.text == "A warm little film.\n\nLoved it. 9/10"
    assert first.stated is not None and first.stated.value == 9.0
    unsup = got["aclImdb/train/unsup/1_0"]
    assert (unsup.rating, unsup.label, unsup.split, unsup.movie_id) == (
        None,
        None,
        "unsup",
        "tt9900301",
    )
    assert got["aclImdb/test/neg/1_4"].movie_id == "tt9900306"
    assert not [r for r in records if isinstance(r, Problem)]


def test_each_movie_is_yielded_once_before_its_reviews(dataset: Path) -> None:
    seen: set[str] = set()
    movies: list[Movie] = []
    for record in read_aclimdb(dataset):
        if isinstance(record, Movie):
            movies.append(record)
            seen.add(record.movie_id)
        elif isinstance(record, Review):
            assert record.movie_id in seen
    assert len(movies) == len({m.movie_id for m in movies}) == 7
    assert movies[0].url is not None and movies[0].url.startswith("http://www.imdb.com/title/")


def test_splits_select_what_is_read(dataset: Path) -> None:
    got = reviews(list(read_aclimdb(dataset, splits=["test"])))
    assert {r.split for r in got} == {"test"}
    assert len(got) == 4


def test_unknown_split_is_a_config_error(dataset: Path) -> None:
    with pytest.raises(ConfigError, match="validation"):
        list(read_aclimdb(dataset, splits=["validation"]))


def test_source_reports_progress(dataset: Path) -> None:
    source = AclImdbSource(dataset)
    list(source.records())
    assert source.files_read == 10
    assert 0 < source.position <= source.size


def test_missing_urls_in_archive_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "a.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("aclImdb/train/pos/0_9.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"Good"))
    with pytest.raises(SourceError, match="urls"):
        list(read_aclimdb(path))


def test_archive_reviews_before_and_after_their_urls_keep_archive_order(tmp_path: Path) -> None:
    # train/pos's urls come first (read directly), the rest after their reviews
    # (spilled and replayed): the output is in archive order either way.
    members = layout()
    first_urls = next(m for m in members if m[0].endswith("train/urls_pos.txt"))
    members.remove(first_urls)
    members.insert(1, first_urls)
    path = tmp_path / "mixed.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    got = reviews(list(read_aclimdb(path)))
    expected = [name for name, _ in members if "urls_" not in name and name.endswith(".txt")]
    assert [f"aclImdb/{r.external_id.split('/', 1)[1]}.txt" for r in got if r.external_id] == (
        expected
    )
    linked = {r.external_id: r.movie_id for r in got}
    assert linked["aclImdb/train/pos/1_8"] == "tt9900302"
    assert linked["aclImdb/test/neg/1_4"] == "tt9900306"
    assert linked["aclImdb/train/unsup/0_0"] == "tt9900307"


def test_review_without_url_line_is_a_problem(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "test" / "pos" / "5_8.txt").write_text("An extra review.")
    records = list(read_aclimdb(root, splits=["test"]))
    problems = [r for r in records if isinstance(r, Problem)]
    assert len(problems) == 1 and "no IMDb URL for review 5" in problems[0].message
    assert len(reviews(records)) == 4


def test_finds_root_from_parent_folder(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    assert find_aclimdb_root(tmp_path) == root
    assert find_aclimdb_root(root) == root
    assert find_aclimdb_root(root / "train" / "pos") is None


@pytest.mark.slow
def test_real_archive_first_records() -> None:
    if not ARCHIVE.exists():
        pytest.skip(f"aclImdb archive not found at {ARCHIVE}")
    records = list(itertools.islice(read_aclimdb(ARCHIVE, splits=["test"]), 300))
    got = reviews(records)
    assert len(got) > 200
    assert all(r.movie_id.startswith("tt") for r in got)
    assert all(r.split == "test" and r.label in ("pos", "neg") for r in got)
    assert all(r.rating is not None and (r.rating <= 4) == (r.label == "neg") for r in got)
    assert all(r.external_id and r.external_id.startswith("aclImdb/test/") for r in got)
    assert all("<br" not in r.text for r in got)
    assert not [r for r in records if isinstance(r, Problem)]


# --- regressions found by the property tests (test_aclimdb_properties.py) -----


def test_file_with_a_foreign_name_is_a_problem_not_silently_skipped(dataset: Path) -> None:
    if dataset.is_dir():
        (dataset / "test" / "pos" / "notes.txt").write_text("Not a review.")
        (dataset / "test" / "pos" / ".hidden").write_text("ignored")
    else:
        members = [*layout(), ("aclImdb/test/pos/notes.txt", b"Not a review.")]
        with tarfile.open(dataset, "w:gz") as archive:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    records = list(read_aclimdb(dataset, splits=["test"]))
    (problem,) = [r for r in records if isinstance(r, Problem)]
    assert problem.source_file.endswith("test/pos/notes.txt")
    assert problem.message == "not an aclImdb review file name (ID_RATING.txt); skipped"
    assert len(reviews(records)) == 4


def test_review_name_with_thousands_of_digits_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = build_archive(tmp_path / "a.tar.gz")
    members = [*layout(), ("aclImdb/test/pos/1_" + "9" * 5000 + ".txt", b"Long.")]
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    records = list(read_aclimdb(path, splits=["test"]))
    assert [p.message for p in records if isinstance(p, Problem)] == [
        "not an aclImdb review file name (ID_RATING.txt); skipped"
    ]


def test_url_lines_split_only_at_line_ends_and_lose_nul_bytes(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    # U+2028 inside line 0 must not push review 1 onto another movie's line.
    lines = [URL.format("tt9900304") + "\u2028x", "\x00" + URL.format("tt9900309")]
    (root / "test" / "urls_pos.txt").write_bytes("\n".join(lines).encode())
    records = list(read_aclimdb(root, splits=["test"]))
    got = {r.position: r.movie_id for r in reviews(records) if r.label == "pos"}
    assert got == {0: "tt9900304", 1: "tt9900309"}
    urls = [m.url for m in records if isinstance(m, Movie)]
    assert URL.format("tt9900309") in urls
    assert all("\x00" not in (url or "") for url in urls)


def test_review_name_that_is_not_a_readable_file_is_a_problem(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "test" / "pos" / "1_7.txt").unlink()
    (root / "test" / "pos" / "1_7.txt").mkdir()
    target = root / "test" / "pos" / "0_10.txt"
    target.unlink()
    target.symlink_to(root / "missing.txt")
    records = list(read_aclimdb(root, splits=["test"]))
    problems = [(Path(p.source_file).name, p.message) for p in records if isinstance(p, Problem)]
    assert sorted(problems) == [
        ("0_10.txt", "broken symbolic link; skipped"),
        ("1_7.txt", "not a readable file; skipped"),
    ]


def test_review_links_are_read_only_inside_the_dataset(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "data")
    secret = tmp_path / "secret.txt"
    secret.write_text("not a review of anything")
    outside = root / "test" / "pos" / "0_10.txt"
    outside.unlink()
    outside.symlink_to(secret)
    inside = root / "test" / "pos" / "1_7.txt"
    kept = inside.read_bytes()
    inside.unlink()
    (root / "test" / "kept.txt").write_bytes(kept)
    inside.symlink_to(root / "test" / "kept.txt")
    records = list(read_aclimdb(root, splits=["test"]))
    (problem,) = [p for p in records if isinstance(p, Problem)]
    assert Path(problem.source_file).name == "0_10.txt"
    assert "outside" in problem.message and "not followed" in problem.message
    assert all("not a review of anything" not in r.text for r in reviews(records))
    assert 1 in {r.position for r in reviews(records) if r.label == "pos"}
