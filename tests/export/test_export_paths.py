"""``export`` writes only inside the path it was given.

Names taken from the data (crawler groups, movie ids) become single, safe path
components; symbolic links in the output folder are refused with a clear
message rather than followed out of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelsense.errors import ConfigError
from reelsense.export import ExportFilters, export
from reelsense.records import Movie, Review
from reelsense.store import SQLiteStore
from tests.cli.conftest import Cli

HOSTILE_NAMES = [
    "../../escaped",
    "..",
    ".",
    "/tmp/absolute",
    "a/../../b",
    "..\\..\\windows",
    "Group1/../../../up",
    "~",
    "x" * 300,
    "nul\x00byte",
    "",
]


def _files(root: Path) -> set[Path]:
    """Files under ``root``, except the database's own folder (SQLite adds files there)."""
    return {
        p
        for p in root.rglob("*")
        if (p.is_file() or p.is_symlink()) and "data" not in p.relative_to(root).parts[:1]
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Movies whose groups and ids are path-like, plus one ordinary movie."""
    path = tmp_path / "data" / "reviews.db"
    path.parent.mkdir()
    records: list[Movie | Review] = []
    for index, name in enumerate(HOSTILE_NAMES):
        movie_id = f"tt01{index:05d}"
        records.append(Movie(movie_id, title=f"Film {index}", group=name, position=0))
        records.append(Review(movie_id, 0, f"A review of film {index}.", rating=7.0))
    records.append(Movie("../../tt9999999", title="Loose"))
    records.append(Review("../../tt9999999", 0, "A review of a loose film.", rating=5.0))
    records.append(Movie("tt0000001", title="Plain", group="Group1", position=0))
    records.append(Review("tt0000001", 0, "A plain review.", rating=6.0))
    with SQLiteStore(path) as store:
        store.write(records)
    return path


def test_names_from_the_data_never_leave_the_output_folder(db: Path, tmp_path: Path) -> None:
    before = _files(tmp_path)
    out = tmp_path / "deep" / "out"
    with SQLiteStore(db, read_only=True) as store:
        report = export(store, "xml", "reviews", out, ExportFilters())
    written = _files(tmp_path) - before
    assert written, "nothing was written"
    assert all(out in path.parents for path in written), sorted(written)
    assert all(len(part.encode()) <= 255 for path in written for part in path.parts)
    assert report.files == len(written) == len(HOSTILE_NAMES) + 2
    assert report.rows == len(HOSTILE_NAMES) + 2


def test_a_symlinked_folder_inside_the_output_is_refused(db: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "Group1").symlink_to(outside, target_is_directory=True)
    with SQLiteStore(db, read_only=True) as store, pytest.raises(ConfigError) as caught:
        export(store, "xml", "reviews", out, ExportFilters(group="Group1"), force=True)
    assert "symbolic link" in str(caught.value)
    assert "Group1" in str(caught.value)
    assert list(outside.iterdir()) == []


def test_a_symlinked_file_inside_the_output_is_refused(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "Group1").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / "Group1" / "Movie0.txt").symlink_to(victim)
    with SQLiteStore(db, read_only=True) as store, pytest.raises(ConfigError, match="symbolic"):
        export(store, "xml", "reviews", out, ExportFilters(group="Group1"), force=True)
    assert victim.read_text() == "keep me"


def test_a_symlink_in_place_of_an_exported_file_is_replaced_not_followed(
    db: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.csv"
    victim.write_text("keep me")
    link = tmp_path / "reviews.csv"
    link.symlink_to(victim)
    with SQLiteStore(db, read_only=True) as store:
        export(store, "csv", "reviews", link, ExportFilters(), force=True)
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and "plain review" in link.read_text()


def test_cli_export_reports_a_symlink_in_one_line(db: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "Group1").symlink_to(outside, target_is_directory=True)
    result = Cli(db)("export", "--format", "xml", "-o", out, "--force", "--group", "Group1")
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "symbolic link" in result.output
    assert os.listdir(outside) == []
